// Shortest round-trip decimal digits of a double, and the two text forms the core needs.
// Written here because Emscripten 3.1.6's libc++ has no std::to_chars for double; built on
// snprintf/strtod, which glibc and musl both round correctly, so native and wasm agree.
#pragma once

#include <string>

namespace ithaca {

// The JSON (and JavaScript) form: "0.1", "100.0", "1.5e-7", "1e+21"; integral values get ".0"
// so that a double stays a double when read back. Finite values only.
void append_double_json(double d, std::string& out);

// Go's strconv.FormatFloat(d, 'g', -1, 64), which cel-go's string(double) uses: "1", "0.1",
// "123456", "1e+06", "1.23456789e+08", "1.5e-07", "+Inf", "NaN".
std::string format_double_cel(double d);

}  // namespace ithaca
