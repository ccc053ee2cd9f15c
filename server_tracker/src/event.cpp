#include "ithaca/tracker/event.hpp"

namespace ithaca::tracker {

const char* to_string(EventType type) noexcept {
  switch (type) {
    case EventType::Pageview: return "pageview";
    case EventType::Event: return "event";
    case EventType::Exposure: return "exposure";
    case EventType::Conversion: return "conversion";
  }
  return "event";
}

std::optional<EventType> parse_event_type(std::string_view text) noexcept {
  if (text == "pageview") return EventType::Pageview;
  if (text == "event") return EventType::Event;
  if (text == "exposure") return EventType::Exposure;
  if (text == "conversion") return EventType::Conversion;
  return std::nullopt;
}

}  // namespace ithaca::tracker
