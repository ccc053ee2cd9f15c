#include "language.hpp"

#include <algorithm>
#include <utility>

#include "ascii_text.hpp"

namespace ithaca::language {
namespace {

constexpr std::size_t kMaxItems = 32;  // items read from one header

void add_unique(std::vector<std::string>& out, std::string tag) {
  if (tag.empty() || out.size() >= kMaxLanguages) return;
  if (std::find(out.begin(), out.end(), tag) == out.end()) out.push_back(std::move(tag));
}

// "0.8" → 800, "1" → 1000; -1 when malformed.
int parse_q(std::string_view s) {
  s = ascii::trim(s);
  if (s.empty() || (s[0] != '0' && s[0] != '1')) return -1;
  int q = (s[0] - '0') * 1000;
  if (s.size() == 1) return q;
  if (s[1] != '.' || s.size() > 5) return -1;
  int scale = 100;
  for (char c : s.substr(2)) {
    if (!ascii::is_digit(c)) return -1;
    q += (c - '0') * scale;
    scale /= 10;
  }
  return q > 1000 ? -1 : q;
}

}  // namespace

std::string normalize_tag(std::string_view tag) {
  tag = ascii::trim(tag);
  if (tag.empty() || tag.size() > 35) return {};
  std::string out;
  std::size_t subtag = 0, index = 0;
  for (char c : tag) {
    if (c == '-' || c == '_') {
      if (subtag == 0) return {};
      out += '-';
      subtag = 0;
      ++index;
      continue;
    }
    if (!ascii::is_alnum(c) || (index == 0 && !ascii::is_alpha(c))) return {};
    if (++subtag > 8) return {};
    out += ascii::lower(c);
  }
  if (subtag == 0) return {};
  const std::size_t first = out.find('-');
  const std::size_t primary = first == std::string::npos ? out.size() : first;
  if (primary < 2 || primary > 8) return {};
  return out;
}

std::vector<std::string> parse_accept_language(std::string_view header) {
  struct Item {
    std::string tag;
    int q;
  };
  std::vector<Item> items;
  header = ascii::bounded(header, 1024);
  std::size_t i = 0;
  while (i < header.size() && items.size() < kMaxItems) {
    std::size_t comma = header.find(',', i);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view part = header.substr(i, comma - i);
    i = comma + 1;
    std::size_t semi = part.find(';');
    std::string tag = normalize_tag(part.substr(0, semi));
    int q = 1000;
    while (semi != std::string_view::npos) {
      std::string_view params = part.substr(semi + 1);
      std::size_t next = params.find(';');
      std::string_view param = ascii::trim(params.substr(0, next));
      if (param.size() >= 2 && ascii::lower(param[0]) == 'q' && param[1] == '=') {
        int parsed = parse_q(param.substr(2));
        if (parsed >= 0) q = parsed;
      }
      semi = next == std::string_view::npos ? next : semi + 1 + next;
    }
    if (!tag.empty() && q > 0) items.push_back({std::move(tag), q});
  }
  // Insertion sort: stable, and small in wasm (at most kMaxItems items).
  for (std::size_t k = 1; k < items.size(); ++k)
    for (std::size_t j = k; j > 0 && items[j - 1].q < items[j].q; --j) std::swap(items[j - 1], items[j]);
  std::vector<std::string> out;
  for (Item& item : items) add_unique(out, std::move(item.tag));
  return out;
}

std::vector<std::string> normalize_list(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  std::size_t seen = 0;
  for (const std::string& t : tags) {
    if (++seen > kMaxItems || out.size() >= kMaxLanguages) break;
    add_unique(out, normalize_tag(t));
  }
  return out;
}

std::string primary_subtag(std::string_view tag) {
  return std::string(tag.substr(0, tag.find('-')));
}

}  // namespace ithaca::language
