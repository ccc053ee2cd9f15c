// The tracker's own HTTP request and response: plain data, so every handler can be driven by
// tests without a socket. The one file that includes httplib.h (src/http_server.cpp) converts
// to and from these. Header names in HttpRequest::headers are lower-case.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ithaca::tracker {

struct HttpRequest {
  std::string method;  // "GET", "POST", …
  std::string path;    // percent-decoded, without the query string
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string remote_ip;  // the peer address; never stored or logged

  // First value of a header (name given in lower case) or empty.
  std::string_view header(std::string_view lower_name) const noexcept;
  bool has_header(std::string_view lower_name) const noexcept;
  // First value of a query parameter or empty; `found` tells empty from absent.
  std::string_view query_param(std::string_view name, bool* found = nullptr) const noexcept;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // empty when there is no body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  void set_header(std::string name, std::string value);
  std::string_view header(std::string_view name) const noexcept;  // case-insensitive
};

// How a handler answers after it returns (collect, once its events are durable), when the HTTP
// layer can do that: called on the request's own thread before the handler returns, it gives a
// function that sends the response from any thread and must be called exactly once. It may
// give an empty function (the connection cannot answer later); the handler then waits.
using AnswerLater = std::function<std::function<void(HttpResponse)>()>;

// The one error shape of every endpoint: {"error": {"code": …, "message": …}}.
HttpResponse json_error(int status, std::string_view code, std::string_view message);
HttpResponse json_response(int status, std::string body);

}  // namespace ithaca::tracker
