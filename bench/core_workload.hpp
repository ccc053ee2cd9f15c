// The workload core_bench (time) and core_instructions (callgrind instructions) both measure:
// one personalization expression, its hand-written floor, the context it reads, and the files
// of the realistic rule set. One definition, so the two benchmarks always measure the same thing.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "ithaca/json.hpp"
#include "ithaca/value.hpp"

namespace ithaca::bench {

inline constexpr const char* kExpr =
    "time.hour >= 6 && time.hour < 11 && device.type in ['mobile','tablet'] && geo.country == 'DE'";

// A file of the source tree (ITHACA_SOURCE_DIR is set by bench/CMakeLists.txt).
inline std::string read(const std::string& path) {
  std::ifstream in(std::string(ITHACA_SOURCE_DIR) + "/" + path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline Value small_context() {
  return parse_json(R"({"time": {"hour": 8, "minute": 5, "weekday": 2}, "geo": {"country": "DE", "languages": ["de-de"]},
                        "device": {"type": "tablet", "os": "ipados", "browser": "safari"}, "referrer": {"category": "direct"},
                        "visit": {"count": 2}})").value();
}

// The floor: what a developer would write by hand against the same context value.
inline bool hand_written(const Value& ctx) {
  const Value* time = ctx.find("time");
  const Value* hour = time ? time->find("hour") : nullptr;
  if (!hour || hour->kind() != Kind::Int || hour->as_int() < 6 || hour->as_int() >= 11) return false;
  const Value* device = ctx.find("device");
  const Value* type = device ? device->find("type") : nullptr;
  if (!type || !type->is_string() || (type->as_string() != "mobile" && type->as_string() != "tablet")) return false;
  const Value* geo = ctx.find("geo");
  const Value* country = geo ? geo->find("country") : nullptr;
  return country && country->is_string() && country->as_string() == "DE";
}

}  // namespace ithaca::bench
