#include "ithaca/tracker/http_types.hpp"

#include <nlohmann/json.hpp>

#include "ascii.hpp"

namespace ithaca::tracker {

std::string_view HttpRequest::header(std::string_view lower_name) const noexcept {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

bool HttpRequest::has_header(std::string_view lower_name) const noexcept {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return true;
  }
  return false;
}

std::string_view HttpRequest::query_param(std::string_view name, bool* found) const noexcept {
  for (const auto& [key, value] : query) {
    if (key == name) {
      if (found) *found = true;
      return value;
    }
  }
  if (found) *found = false;
  return {};
}

void HttpResponse::set_header(std::string name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (iequals(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view HttpResponse::header(std::string_view name) const noexcept {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

HttpResponse json_error(int status, std::string_view code, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  // Messages may quote client input; replace rather than throw on invalid UTF-8.
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

HttpResponse json_response(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  return response;
}

}  // namespace ithaca::tracker
