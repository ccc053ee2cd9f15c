#include "reports/event_facts.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace ithaca::tracker {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxKey = 256;

std::string text(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  const auto& s = it->get_ref<const std::string&>();
  return s.size() <= kMaxKey ? s : std::string();
}

std::optional<Touch> touch_of(const json& value) {
  if (!value.is_object()) return std::nullopt;
  return Touch{text(value, "category"), text(value, "source"), text(value, "campaign")};
}

}  // namespace

Touches extract_touches(std::string_view context_json) {
  Touches out;
  std::optional<Touch> first, last;
  if (!context_json.empty()) {
    json context = json::parse(context_json, nullptr, false);
    if (context.is_object()) {
      auto journey = context.find("journey");
      if (journey != context.end() && journey->is_object()) {
        if (auto f = journey->find("first_touch"); f != journey->end()) first = touch_of(*f);
        if (auto l = journey->find("last_touch"); l != journey->end()) last = touch_of(*l);
        if (auto t = journey->find("touchpoints"); t != journey->end() && t->is_array()) {
          for (const auto& item : *t) {
            if (auto touch = touch_of(item)) out.linear.push_back(std::move(*touch));
            if (out.linear.size() == 50) break;
          }
        }
      }
    }
  }
  if (!first && !out.linear.empty()) first = out.linear.front();
  if (!last && !out.linear.empty()) last = out.linear.back();
  out.first = first.value_or(Touch{});
  out.last = last ? *last : out.first;
  if (out.linear.empty()) out.linear.push_back(out.first);
  return out;
}

std::int64_t value_micro(const std::optional<double>& value) {
  if (!value || !std::isfinite(*value)) return 0;
  const double v = std::clamp(*value, -1e12, 1e12);
  return std::llround(v * 1e6);
}

std::int64_t linear_credit(std::size_t i, std::size_t n) {
  const auto nn = static_cast<std::int64_t>(n);
  return kMicro / nn + (static_cast<std::int64_t>(i) < kMicro % nn ? 1 : 0);
}

std::int64_t linear_share(std::int64_t value, std::size_t i, std::size_t n) {
  const auto nn = static_cast<std::int64_t>(n);
  const std::int64_t magnitude = value < 0 ? -value : value;
  const std::int64_t share = magnitude / nn + (static_cast<std::int64_t>(i) < magnitude % nn ? 1 : 0);
  return value < 0 ? -share : share;
}

}  // namespace ithaca::tracker
