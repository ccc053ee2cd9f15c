#include "clickhouse/clickhouse_client.hpp"

#include <httplib.h>

#include <charconv>
#include <cstdio>

namespace ithaca::tracker {
namespace {

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

bool valid_database(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return !(name[0] >= '0' && name[0] <= '9');
}

}  // namespace

bool is_clickhouse_store(std::string_view store) { return store.rfind("clickhouse://", 0) == 0; }

bool parse_clickhouse_url(std::string_view url, ClickHouseEndpoint& out, std::string& error) {
  ClickHouseEndpoint e;
  if (!is_clickhouse_store(url)) {
    error = "the store must be sqlite or clickhouse://host:port/database";
    return false;
  }
  std::string_view rest = url.substr(13);
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = credentials.find(':');
    e.user = credentials.substr(0, colon);
    if (colon != std::string_view::npos) e.password = credentials.substr(colon + 1);
  }
  std::string_view hostport = rest.substr(0, rest.find('/'));
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty()) e.database = db;
  }
  std::string_view host = hostport, port;
  bool has_port = false;
  if (!hostport.empty() && hostport.front() == '[') {  // [IPv6]:port
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) {
      error = "the ClickHouse host has an unclosed [";
      return false;
    }
    host = hostport.substr(1, close - 1);
    if (close + 1 < hostport.size()) {
      if (hostport[close + 1] != ':') {
        error = "the ClickHouse URL is clickhouse://host:port/database";
        return false;
      }
      port = hostport.substr(close + 2);
      has_port = true;
    }
  } else if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
    has_port = true;
  }
  if (has_port) {
    int p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p < 1 || p > 65535) {
      error = "the ClickHouse port must be 1..65535";
      return false;
    }
    e.port = p;
  }
  if (host.empty()) {
    error = "the ClickHouse URL needs a host: clickhouse://host:port/database";
    return false;
  }
  e.host = host;
  if (!valid_database(e.database)) {
    error = "the ClickHouse database name must be letters, digits and underscores";
    return false;
  }
  out = std::move(e);
  return true;
}

Status ClickHouseResult::status() const {
  switch (outcome) {
    case ClickHouseOutcome::Ok: return Status::ok();
    case ClickHouseOutcome::Unreachable: return Status::error("ClickHouse is unreachable: " + body);
    case ClickHouseOutcome::Ambiguous: return Status::error("ClickHouse did not answer: " + body);
    case ClickHouseOutcome::Rejected:
      return Status::error("ClickHouse answered " + std::to_string(http_status) + ": " + body.substr(0, 600));
  }
  return Status::error("ClickHouse failed");
}

ClickHouseClient::ClickHouseClient(ClickHouseEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

void ClickHouseClient::set_timeouts(std::chrono::milliseconds connect, std::chrono::milliseconds read) {
  connect_timeout_ = connect;
  read_timeout_ = read;
}

ClickHouseResult ClickHouseClient::post(const std::string& path, std::string_view body) const {
  httplib::Client client(endpoint_.host, endpoint_.port);
  client.set_keep_alive(false);
  client.set_connection_timeout(std::chrono::duration_cast<std::chrono::microseconds>(connect_timeout_));
  client.set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(read_timeout_));
  client.set_write_timeout(std::chrono::duration_cast<std::chrono::microseconds>(read_timeout_));
  httplib::Headers headers;
  if (!endpoint_.user.empty()) headers.emplace("X-ClickHouse-User", endpoint_.user);
  if (!endpoint_.password.empty()) headers.emplace("X-ClickHouse-Key", endpoint_.password);
  auto res = client.Post(path, headers, body.data(), body.size(), "text/plain; charset=utf-8");
  ClickHouseResult out;
  if (!res) {
    const auto error = res.error();
    out.outcome = (error == httplib::Error::Connection || error == httplib::Error::ConnectionTimeout ||
                   error == httplib::Error::BindIPAddress)
                      ? ClickHouseOutcome::Unreachable
                      : ClickHouseOutcome::Ambiguous;
    out.body = httplib::to_string(error);
    return out;
  }
  out.http_status = res->status;
  out.body = std::move(res->body);
  if (res->status != 200) out.outcome = ClickHouseOutcome::Rejected;
  return out;
}

ClickHouseResult ClickHouseClient::execute(std::string_view sql, bool use_database) const {
  // Dedup checks send long IN lists: allow queries up to 32 MiB (the default is 256 KiB).
  std::string path = "/?output_format_json_quote_64bit_integers=0&max_query_size=33554432";
  if (use_database) path += "&database=" + url_encode(endpoint_.database);
  return post(path, sql);
}

ClickHouseResult ClickHouseClient::insert(std::string_view insert_sql, std::string_view data) const {
  std::string path = "/?database=" + url_encode(endpoint_.database) + "&query=" + url_encode(insert_sql) +
                     "&input_format_skip_unknown_fields=0";
  return post(path, data);
}

Status ClickHouseClient::select(std::string_view sql, std::vector<std::vector<std::string>>& rows) const {
  std::string text(sql);
  text += " FORMAT TabSeparated";
  ClickHouseResult r = execute(text);
  if (!r.ok()) return r.status();
  rows = parse_tab_separated(r.body);
  return Status::ok();
}

std::string sql_string(std::string_view value) {
  std::string out = "'";
  for (unsigned char c : value) {
    if (c == '\\' || c == '\'') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '\'';
  return out;
}

std::string sql_int(std::int64_t value) { return std::to_string(value); }

std::vector<std::vector<std::string>> parse_tab_separated(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      const char n = text[++i];
      switch (n) {
        case 't': field += '\t'; break;
        case 'n': field += '\n'; break;
        case 'r': field += '\r'; break;
        case 'b': field += '\b'; break;
        case 'f': field += '\f'; break;
        case '0': field += '\0'; break;
        case 'a': field += '\a'; break;
        case 'v': field += '\v'; break;
        default: field += n; break;
      }
      any = true;
    } else if (c == '\t') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace ithaca::tracker
