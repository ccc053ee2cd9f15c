// JSON text ↔ Value. The core carries its own small JSON reader and writer rather than using
// nlohmann/json (which the native edges use): measured in toolchain.md, nlohmann parse+dump with
// the exceptions it needs takes the wasm from 14.5 KB to 134 KB, more than the SDK's whole budget.
//
// Mapping: objects → maps (insertion order kept), arrays → lists, integral numbers written
// without fraction or exponent → int (uint when above INT64_MAX), other numbers → double.
// Writing: int/uint as exact integers, doubles as JavaScript prints them (shortest round-trip
// digits; exponent form below 1e-6 and from 1e21: 0.1, 1e-7, 1e+21) and always with a '.' or
// an exponent so the kind survives a round trip (100.0), non-finite doubles as the strings "NaN", "Infinity", "-Infinity",
// maps with non-string keys use the key's CEL string form, bytes as base64, timestamps as
// RFC 3339, durations as seconds with an "s" suffix, types as their CEL name.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ithaca/result.hpp"
#include "ithaca/value.hpp"

namespace ithaca {

struct JsonLimits {
  std::size_t max_bytes = 8u << 20;  // whole document
  int max_depth = 64;                // nesting of arrays and objects
};

// Parses one JSON document (surrounding whitespace allowed). Errors say what was wrong with
// the byte offset in Error::position and line:column in the message. Strings must be UTF-8.
Result<Value> parse_json(std::string_view text, const JsonLimits& limits = {});

// Appends the JSON text of `value` to `out` (compact, no whitespace).
void append_json(const Value& value, std::string& out);
std::string to_json(const Value& value);

// Appends `s` as a quoted JSON string (escaping control characters, quotes and backslashes).
void append_json_string(std::string_view s, std::string& out);

}  // namespace ithaca
