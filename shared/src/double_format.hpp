// Shortest round-trip decimal digits of a double, the two text forms the core needs, and the
// reverse: decimal text to the nearest double. Exact big-number arithmetic of our own instead of
// snprintf/strtod: Emscripten 3.1.6's libc++ has no std::to_chars for double, and musl's printf
// and strtod bring 128-bit long double arithmetic into the wasm (about 20 KB). Being exact, the
// results are the same natively and in wasm.
#pragma once

#include <string>
#include <string_view>

namespace ithaca {

// The JSON (and JavaScript) form: "0.1", "100.0", "1.5e-7", "1e+21"; integral values get ".0"
// so that a double stays a double when read back. Finite values only.
void append_double_json(double d, std::string& out);

// Go's strconv.FormatFloat(d, 'g', -1, 64), which cel-go's string(double) uses: "1", "0.1",
// "123456", "1e+06", "1.23456789e+08", "1.5e-07", "+Inf", "NaN".
std::string format_double_cel(double d);

// Reads all of `text` as [+-] digits [. digits] [(e|E) [+-] digits] (at least one digit before
// the exponent), or as inf, infinity or nan in any case, rounded to the nearest double with ties
// to even, as strtod does; beyond the range of doubles it gives ±inf or ±0. False, with `out`
// untouched, when `text` is anything else (hexadecimal, spaces, an empty string).
bool parse_double(std::string_view text, double& out);

}  // namespace ithaca
