#include "collect_decoder.hpp"

#include "ascii.hpp"
#include "json_nesting.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;

bool fail(DecodeError& error, int status, std::string code, std::string message) {
  error.status = status;
  error.code = std::move(code);
  error.message = std::move(message);
  return false;
}

bool has_control_chars(std::string_view s) noexcept {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// An optional string member; absent and null are the same. Fails on any other type or length.
bool read_string(const json& object, const char* key, std::size_t max_bytes,
                 const std::string& where, std::string& out, DecodeError& error) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_string()) {
    return fail(error, 400, "invalid_field", where + "." + key + " must be a string");
  }
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    return fail(error, 400, "field_too_long",
                where + "." + key + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  if (has_control_chars(s)) {
    return fail(error, 400, "invalid_field", where + "." + key + " contains control characters");
  }
  out = s;
  return true;
}

bool read_object(const json& object, const char* key, std::size_t max_bytes,
                 const std::string& where, json& out, DecodeError& error) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_object()) {
    return fail(error, 400, "invalid_field", where + "." + key + " must be an object");
  }
  // Serialized size is what would be stored; dump() cannot fail on parsed (valid UTF-8) input.
  if (it->dump().size() > max_bytes) {
    return fail(error, 400, "field_too_long",
                where + "." + key + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  out = *it;
  return true;
}

bool decode_event(const json& item, const CollectLimits& limits, const std::string& where,
                  DecodedEvent& event, DecodeError& error) {
  if (!item.is_object()) return fail(error, 400, "invalid_event", where + " must be an object");

  auto type = item.find("type");
  if (type == item.end() || !type->is_string()) {
    return fail(error, 400, "invalid_field",
                where + ".type is required: pageview, event, exposure or conversion");
  }
  auto parsed = parse_event_type(type->get_ref<const std::string&>());
  if (!parsed) {
    return fail(error, 400, "invalid_field",
                where + ".type must be pageview, event, exposure or conversion");
  }
  event.type = *parsed;

  if (!read_string(item, "id", limits.max_id_bytes, where, event.id, error)) return false;
  if (item.contains("id") && !item["id"].is_null() && event.id.empty()) {
    return fail(error, 400, "invalid_field", where + ".id must not be empty");
  }
  if (!read_string(item, "url", limits.max_url_bytes, where, event.url, error)) return false;
  if (!read_string(item, "referrer", limits.max_url_bytes, where, event.referrer, error)) {
    return false;
  }
  if (!read_string(item, "name", limits.max_name_bytes, where, event.name, error)) return false;
  if ((event.type == EventType::Event || event.type == EventType::Conversion) &&
      event.name.empty()) {
    return fail(error, 400, "invalid_field",
                where + ".name is required for " + to_string(event.type) + " events");
  }

  auto ts = item.find("ts");
  if (ts != item.end() && !ts->is_null()) {
    std::int64_t value = 0;
    if (ts->is_number_integer()) {
      if (ts->is_number_unsigned() && ts->get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxEventTimeMs)) {
        value = kMaxEventTimeMs + 1;
      } else {
        value = ts->get<std::int64_t>();
      }
    } else if (ts->is_number_float()) {
      double d = ts->get<double>();
      if (!(d >= static_cast<double>(kMinEventTimeMs) && d <= static_cast<double>(kMaxEventTimeMs))) {
        value = kMaxEventTimeMs + 1;
      } else {
        value = static_cast<std::int64_t>(d);
      }
    } else {
      return fail(error, 400, "invalid_field", where + ".ts must be epoch milliseconds");
    }
    if (value < kMinEventTimeMs || value > kMaxEventTimeMs) {
      return fail(error, 400, "invalid_field",
                  where + ".ts is outside 2000-01-01..2100-01-01 (epoch milliseconds expected)");
    }
    event.ts_ms = value;
  }

  if (!read_object(item, "props", limits.max_props_bytes, where, event.props, error)) return false;
  if (!read_object(item, "context", limits.max_context_bytes, where, event.context, error)) {
    return false;
  }
  return true;
}

}  // namespace

bool decode_collect(std::string_view body, const CollectLimits& limits, CollectPayload& out,
                    DecodeError& error) {
  out = CollectPayload{};
  if (body.size() > limits.max_body_bytes) {
    return fail(error, 413, "body_too_large",
                "the body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
  }
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return fail(error, 400, "empty_body", "the body is empty");
  }
  if (!json_depth_within(body, limits.max_depth)) {
    return fail(error, 400, "too_deep",
                "JSON nests deeper than " + std::to_string(limits.max_depth) + " levels");
  }

  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // Parse again with exceptions for the position and reason; only bad input pays for this.
    std::string reason = "malformed JSON";
    try {
      json again = json::parse(body);
      (void)again;
    } catch (const json::exception& e) {
      std::string what = e.what();
      auto pos = what.find("] ");
      reason = pos == std::string::npos ? what : what.substr(pos + 2);
    } catch (...) {
    }
    return fail(error, 400, "invalid_json", reason);
  }
  if (!doc.is_object()) return fail(error, 400, "invalid_json", "the body must be a JSON object");

  auto site = doc.find("site");
  if (site == doc.end() || !site->is_string()) {
    return fail(error, 400, "invalid_field", "$.site is required and must be a string");
  }
  const auto& site_id = site->get_ref<const std::string&>();
  if (!is_identifier(site_id, 1, 64)) {
    return fail(error, 400, "invalid_field", "$.site must be 1-64 characters of [A-Za-z0-9._-]");
  }
  out.site = site_id;

  auto visitor = doc.find("visitor_id");
  if (visitor != doc.end() && !visitor->is_null()) {
    if (!visitor->is_string() || !is_identifier(visitor->get_ref<const std::string&>(), 8, 128)) {
      return fail(error, 400, "invalid_field",
                  "$.visitor_id must be 8-128 characters of [A-Za-z0-9._-]");
    }
    out.visitor_id = visitor->get_ref<const std::string&>();
  }

  auto events = doc.find("events");
  if (events != doc.end()) {
    if (!events->is_array()) return fail(error, 400, "invalid_field", "$.events must be an array");
    if (events->empty()) return fail(error, 400, "invalid_field", "$.events is empty");
    if (events->size() > limits.max_events) {
      return fail(error, 413, "too_many_events",
                  "a batch holds at most " + std::to_string(limits.max_events) + " events, got " +
                      std::to_string(events->size()));
    }
    out.events.resize(events->size());
    for (std::size_t i = 0; i < events->size(); ++i) {
      if (!decode_event((*events)[i], limits, "$.events[" + std::to_string(i) + "]", out.events[i],
                        error)) {
        out.events.clear();
        return false;
      }
    }
    return true;
  }
  if (!doc.contains("type")) {
    return fail(error, 400, "invalid_field", "expected $.events (a batch) or $.type (one event)");
  }
  out.events.resize(1);
  if (!decode_event(doc, limits, "$", out.events[0], error)) {
    out.events.clear();
    return false;
  }
  return true;
}

}  // namespace ithaca::tracker
