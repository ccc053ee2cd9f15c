#include "url_parts.hpp"

#include "ascii_text.hpp"

namespace ithaca::url {
namespace {

constexpr std::size_t npos = std::string_view::npos;

bool scheme_char(char c) { return ascii::is_alnum(c) || c == '+' || c == '-' || c == '.'; }

int hex_value(char c) {
  if (ascii::is_digit(c)) return c - '0';
  c = ascii::lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string normalize_host(std::string_view host) {
  host = ascii::trim(ascii::bounded(host, 255));
  if (host.size() > 253 + 8) return {};
  std::string out;
  if (!host.empty() && host.front() == '[') {  // IPv6 literal, maybe with a port
    std::size_t close = host.find(']');
    if (close == npos) return {};
    for (char c : host.substr(0, close + 1)) {
      if (!(ascii::is_alnum(c) || c == ':' || c == '.' || c == '[' || c == ']')) return {};
      out += ascii::lower(c);
    }
    return out;
  }
  std::size_t colon = host.find(':');
  if (colon != npos) host = host.substr(0, colon);
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  for (char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (!(ascii::is_alnum(c) || c == '.' || c == '-' || c == '_' || u >= 0x80)) return {};
    out += ascii::lower(c);
  }
  if (out.find("..") != npos || (!out.empty() && out.front() == '.')) return {};
  return ascii::repair_utf8(out);
}

UrlParts parse_url(std::string_view text) {
  UrlParts u;
  std::string_view s = ascii::trim(ascii::bounded(text, kMaxUrl));
  if (s.empty()) return u;

  std::size_t i = 0;
  bool authority = false;
  if (ascii::is_alpha(s[0])) {
    std::size_t k = 1;
    while (k < s.size() && k < 32 && scheme_char(s[k])) ++k;
    if (k < s.size() && s[k] == ':') {
      u.scheme = ascii::to_lower(s.substr(0, k));
      i = k + 1;
      if (s.substr(i, 2) == "//") {
        authority = true;
        i += 2;
      }
    }
  }
  if (u.scheme.empty()) {
    if (s.substr(0, 2) == "//") {
      authority = true;
      i = 2;
    } else if (s[0] != '/' && s[0] != '?' && s[0] != '#') {
      // A bare "www.example.com/path": a first segment with a dot and no spaces is a host.
      std::size_t end = s.find_first_of("/?#");
      std::string_view first = s.substr(0, end);
      if (first.find('.') != npos && first.find(' ') == npos) authority = true;
    }
  }
  if (authority) {
    std::size_t end = s.find_first_of("/?#", i);
    if (end == npos) end = s.size();
    std::string_view auth = s.substr(i, end - i);
    std::size_t at = auth.rfind('@');
    if (at != npos) auth.remove_prefix(at + 1);
    std::size_t port_colon = npos;
    if (!auth.empty() && auth.front() == '[') {
      std::size_t close = auth.find(']');
      if (close != npos && close + 1 < auth.size() && auth[close + 1] == ':') port_colon = close + 1;
    } else {
      port_colon = auth.rfind(':');
    }
    if (port_colon != npos) {
      std::string_view digits = auth.substr(port_colon + 1);
      int port = 0;
      bool ok = !digits.empty() && digits.size() <= 5;
      for (char c : digits) {
        if (!ascii::is_digit(c)) ok = false;
        else port = port * 10 + (c - '0');
      }
      if (ok && port <= 65535) u.port = port;
      auth = auth.substr(0, port_colon);
    }
    u.host = normalize_host(auth);
    i = end;
  }
  std::string_view rest = s.substr(i);
  std::size_t hash = rest.find('#');
  if (hash != npos) {
    u.fragment = ascii::repair_utf8(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  std::size_t q = rest.find('?');
  if (q != npos) {
    u.query = ascii::repair_utf8(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  u.path = ascii::repair_utf8(rest);
  if (authority && u.path.empty()) u.path.push_back('/');
  return u;
}

std::string percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_as_space && c == '+') ? ' ' : c;
  }
  return out;
}

std::vector<QueryParam> parse_query(std::string_view query) {
  std::vector<QueryParam> out;
  query = ascii::bounded(query, kMaxUrl);
  std::size_t i = 0;
  while (i <= query.size() && out.size() < kMaxParams) {
    std::size_t amp = query.find('&', i);
    if (amp == npos) amp = query.size();
    std::string_view part = query.substr(i, amp - i);
    if (!part.empty()) {
      std::size_t eq = part.find('=');
      std::string_view key = part.substr(0, eq);
      // A link copied out of HTML source keeps its escaped separators ("?a=1&amp;utm_medium=email",
      // common in e-mail campaigns): the parameter is `utm_medium`, not `amp;utm_medium`.
      if (key.substr(0, 4) == "amp;") key.remove_prefix(4);
      std::string_view value = eq == npos ? std::string_view() : part.substr(eq + 1);
      QueryParam p;
      p.key = ascii::repair_utf8(ascii::bounded(percent_decode(ascii::bounded(key, 256), true), 128));
      p.value = ascii::repair_utf8(ascii::bounded(percent_decode(ascii::bounded(value, 3 * kMaxParamValue), true), kMaxParamValue));
      if (!p.key.empty()) out.push_back(std::move(p));
    }
    if (amp >= query.size()) break;
    i = amp + 1;
  }
  return out;
}

}  // namespace ithaca::url
