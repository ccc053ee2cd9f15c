#include "device_classifier.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "ascii_text.hpp"
#include "data_tables.hpp"
#include "ithaca/context.hpp"

namespace ithaca {
namespace device {
namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr std::size_t kMaxBrands = 16;
constexpr std::size_t kMaxHintText = 1024;

bool starts_word(std::string_view s, std::size_t pos) { return pos == 0 || !ascii::is_alnum(s[pos - 1]); }

// Position of `token` in `s` where it starts a word (when the token itself starts with a letter
// or digit), else npos.
std::size_t find_token(std::string_view s, std::string_view token) {
  if (token.empty()) return npos;
  const bool needs_start = ascii::is_alnum(token[0]);
  for (std::size_t pos = s.find(token); pos != npos; pos = s.find(token, pos + 1))
    if (!needs_start || starts_word(s, pos)) return pos;
  return npos;
}

// The lower-case UA with its word starts chained by first character, so a table token that
// starts a word is compared only where a word with its first letter begins (a few places instead
// of a scan per token).
class Ua {
 public:
  explicit Ua(std::string_view lower) : text(lower) {
    head_.fill(kNone);
    std::array<std::uint16_t, 36> tail;
    tail.fill(kNone);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (!ascii::is_alnum(text[i]) || !starts_word(text, i)) continue;
      if (count_ == kMaxStarts) {
        complete_ = false;
        break;
      }
      const int b = bucket(text[i]);
      starts_[count_] = static_cast<std::uint16_t>(i);
      next_[count_] = kNone;
      if (tail[b] == kNone) head_[b] = static_cast<std::uint16_t>(count_);
      else next_[tail[b]] = static_cast<std::uint16_t>(count_);
      tail[b] = static_cast<std::uint16_t>(count_);
      ++count_;
    }
  }

  // Same answer as find_token(text, token): the first place where it occurs (starting a word
  // when it starts with a letter or digit).
  std::size_t find(std::string_view token) const {
    if (token.empty() || !ascii::is_alnum(token[0]) || !complete_) return find_token(text, token);
    for (std::uint16_t k = head_[bucket(token[0])]; k != kNone; k = next_[k])
      if (text.compare(starts_[k], token.size(), token) == 0) return starts_[k];
    return npos;
  }
  bool has(std::string_view token) const { return find(token) != npos; }

  const std::string_view text;

 private:
  static constexpr std::uint16_t kNone = 0xFFFF;
  static constexpr std::size_t kMaxStarts = 1024;
  static int bucket(char c) { return ascii::is_digit(c) ? c - '0' : 10 + (ascii::lower(c) - 'a'); }
  std::array<std::uint16_t, kMaxStarts> starts_;
  std::array<std::uint16_t, kMaxStarts> next_;
  std::array<std::uint16_t, 36> head_;
  std::size_t count_ = 0;
  bool complete_ = true;
};

// The version number at `pos` (after optional spaces, '/' or ':'), '_' read as '.'.
std::string read_version(std::string_view s, std::size_t pos) {
  std::size_t skipped = 0;
  while (pos < s.size() && skipped < 3 && (s[pos] == ' ' || s[pos] == '/' || s[pos] == ':')) ++pos, ++skipped;
  std::string out;
  while (pos < s.size() && out.size() < 32 && (ascii::is_digit(s[pos]) || s[pos] == '.' || s[pos] == '_')) {
    out += s[pos] == '_' ? '.' : s[pos];
    ++pos;
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  if (!out.empty() && out.front() == '.') out.clear();
  return out;
}

// Version for a table row: each '|'-separated key names the token the number follows; an empty
// key or "-" means right after the matched token.
std::string version_for(const Ua& ua, std::string_view keys, std::size_t token_end) {
  const std::string_view s = ua.text;
  while (true) {
    std::size_t bar = keys.find('|');
    std::string_view key = keys.substr(0, bar);
    std::string v;
    if (key.empty() || key == "-") {
      v = read_version(s, token_end);
    } else if (std::size_t pos = ua.find(key); pos != npos) {
      v = read_version(s, pos + key.size());
    }
    if (!v.empty() || bar == npos) return v;
    keys.remove_prefix(bar + 1);
  }
}

int leading_int(std::string_view s) {
  int n = 0, digits = 0;
  for (char c : s) {
    if (!ascii::is_digit(c) || digits == 6) break;
    n = n * 10 + (c - '0');
    ++digits;
  }
  return digits == 0 ? -1 : n;
}

// "14.0.0" → "14", "10.15.0" → "10.15": client hints pad versions with zeros.
std::string trim_zero_components(std::string_view v) {
  while (v.size() > 2 && v.substr(v.size() - 2) == ".0") v.remove_suffix(2);
  return std::string(v);
}

constexpr bool is_word_char(char c) { return ascii::is_alnum(c) || c == '-' || c == '_' || c == '.'; }

// The word of `s` around [pos, pos + len), without trailing punctuation.
std::string word_at(std::string_view s, std::size_t pos, std::size_t len) {
  std::size_t begin = pos, end = pos + len;
  while (begin > 0 && is_word_char(s[begin - 1]) && pos - begin < 64) --begin;
  while (end < s.size() && is_word_char(s[end]) && end - pos < 64) ++end;
  std::string_view w = s.substr(begin, end - begin);
  while (!w.empty() && (w.back() == '.' || w.back() == '-' || w.back() == '_')) w.remove_suffix(1);
  while (!w.empty() && (w.front() == '.' || w.front() == '-' || w.front() == '_')) w.remove_prefix(1);
  return std::string(w);
}

bool is_browser_product(std::string_view name) {
  static constexpr std::string_view kGeneric[] = {
      "mozilla", "applewebkit", "khtml", "gecko", "like", "chrome", "safari", "version", "mobile",
      "firefox", "compatible", "webkit", "windows", "nt", "win64", "wow64", "x64", "x86_64", "linux",
      "u", "x11", "ko", "macintosh", "intel", "mac", "os", "iphone", "ipad", "cpu", "android",
      "edg", "edga", "edgios", "opr", "crios", "fxios", "samsungbrowser", "yabrowser", "trident",
      "presto", "en", "en-us", "build", "wv", "k"};
  for (std::string_view g : kGeneric)
    if (name == g) return true;
  return false;
}

// The first product name of a UA ("foo" in "Foo/1.0" or "(compatible; Foo/1.0)") that is not a
// browser engine's, for naming unknown bots; else the first such word; else "unknown".
std::string product_name(std::string_view s) {
  // "(compatible; Name/1.0; …)" names itself.
  for (std::size_t c = s.find("compatible;"); c != npos; c = s.find("compatible;", c + 1)) {
    std::size_t begin = c + 11;
    while (begin < s.size() && s[begin] == ' ') ++begin;
    std::size_t end = begin;
    while (end < s.size() && (is_word_char(s[end]) || s[end] == ' ') && end - begin < 48) ++end;
    std::string_view name = ascii::trim(s.substr(begin, end - begin));
    while (!name.empty() && !ascii::is_alnum(name.back())) name.remove_suffix(1);
    if (!name.empty() && ascii::is_alpha(name[0]) && name.substr(0, 4) != "msie" && !is_browser_product(name))
      return std::string(name);
  }
  std::string first_word;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !is_word_char(s[i])) ++i;
    const std::size_t begin = i;
    while (i < s.size() && is_word_char(s[i])) ++i;
    std::string_view name = s.substr(begin, i - begin);
    const char before = begin == 0 ? ' ' : s[begin - 1];
    const bool starts = before == ' ' || before == '(' || before == ';' || before == '[' || before == ',';
    const bool product = i < s.size() && s[i] == '/';
    if (product)
      while (i < s.size() && s[i] != ' ' && s[i] != ';' && s[i] != ')') ++i;
    while (!name.empty() && !ascii::is_alnum(name.back())) name.remove_suffix(1);
    if (!starts || name.empty() || !ascii::is_alpha(name[0]) || name.size() > 48 || is_browser_product(name))
      continue;
    if (product) return std::string(name);
    if (first_word.empty()) first_word = name;
  }
  return first_word.empty() ? "unknown" : first_word;
}

// Top-level domains that, after a dot and a name, make a word a domain name. Short on purpose:
// "webos.tv" and version numbers must not match.
bool domain_suffix(std::string_view tld) {
  static constexpr std::string_view kTlds[] = {"com", "net", "org", "io", "ai", "co", "info", "biz", "dev",
                                               "app", "fr", "de", "ru", "cn", "jp", "me", "us", "uk",
                                               "nl", "it", "es", "pl", "se", "gg", "ly", "gy", "edu"};
  for (std::string_view t : kTlds)
    if (tld == t) return true;
  return false;
}

// "name@host.tld" or "name.tld" followed by a non-letter, with a name that starts with a letter.
// The suffix must end the dotted word: app ids such as "jp.co.yahoo.ipn.appli" (Yahoo! JAPAN's
// apps) or "br.com.bank.app" are reversed domains, not contact details.
bool has_email_or_domain(std::string_view s) {
  for (std::size_t dot = s.find('.'); dot != npos; dot = s.find('.', dot + 1)) {
    std::size_t begin = dot;
    while (begin > 0 && (ascii::is_alnum(s[begin - 1]) || s[begin - 1] == '-') && dot - begin < 64) --begin;
    if (begin == dot || !ascii::is_alpha(s[begin]) || dot - begin < 2) continue;
    std::size_t end = dot + 1;
    while (end < s.size() && ascii::is_alpha(s[end]) && end - dot < 8) ++end;
    if (end < s.size() && ascii::is_alnum(s[end])) continue;
    if (end + 1 < s.size() && s[end] == '.' && ascii::is_alnum(s[end + 1])) continue;
    if (domain_suffix(s.substr(dot + 1, end - dot - 1))) return true;
  }
  return false;
}

struct BotMatch {
  bool bot = false;
  std::string name;
};

BotMatch detect_bot(const Ua& ua, bool has_os, bool has_browser) {
  const std::string_view s = ua.text;
  data::Row best[2];  // strong, weak: one walk over the table finds the earliest of each
  std::size_t best_pos[2] = {npos, npos};
  for (const data::Row row : data::bot_tokens) {
    const std::size_t pos = ua.find(row[0]);
    if (pos == npos) continue;
    const int weak = row[2] == "strong" ? 0 : 1;
    if (pos < best_pos[weak]) best[weak] = row, best_pos[weak] = pos;
  }
  for (const data::Row& row : best)
    if (!row.empty()) return {true, std::string(row[1])};

  const data::Table& markers = data::bot_markers;
  for (const data::Row row : markers) {
    const std::string_view token = row[0], match = row[1], naming = row[2];
    if (match == "ignore") continue;
    for (std::size_t pos = s.find(token); pos != npos; pos = s.find(token, pos + 1)) {
      const std::size_t end = pos + token.size();
      if (match == "word_end" && end < s.size() && ascii::is_alpha(s[end])) continue;
      std::string word = word_at(s, pos, token.size());
      bool ignored = false;
      for (const data::Row other : markers)
        ignored = ignored || (other[1] == "ignore" && ascii::istarts_with(word, other[0]));
      if (ignored) continue;
      if (naming == "word" && !word.empty() && word != token && word.find('.') == npos) return {true, word};
      return {true, product_name(s)};
    }
  }

  // "(compatible; Foo/1.0)" without a browser that used that form (Internet Explorer, Konqueror).
  if ((s.find("compatible;") != npos || s.find("(compatible)") != npos) && s.find("msie") == npos &&
      s.find("trident") == npos && s.find("konqueror") == npos)
    return {true, product_name(s)};
  // Browsers never carry contact details: an e-mail address or a domain name means a tool.
  if (has_email_or_domain(s)) return {true, product_name(s)};

  // Every browser sends "Mozilla/…" (or, long ago, "Opera/…"); clients that do not, and name no
  // platform either, are libraries and tools. So are UAs that name neither a platform nor a browser.
  const bool browser_like = ascii::istarts_with(s, "mozilla/") || ascii::istarts_with(s, "opera");
  if (!has_os && (!browser_like || !has_browser)) return {true, product_name(s)};
  return {};
}

struct OsMatch {
  std::string os, version;
  std::string_view type;  // implied device type or "-"
};

std::string windows_version(std::string_view nt) {
  for (const data::Row row : data::windows_versions)
    if (row[0] == nt) return std::string(row[1]);
  return std::string(nt);
}

OsMatch detect_os(const Ua& ua) {
  const std::string_view s = ua.text;
  for (const data::Row row : data::os_tokens) {
    const std::string_view token = row[0];
    const std::size_t pos = ua.find(token);
    if (pos == npos) continue;
    OsMatch m{std::string(row[1]), {}, row[2]};
    const std::string_view style = row[3];
    const std::size_t end = pos + token.size();
    if (style == "after") {
      m.version = read_version(s, end);
    } else if (style == "windows") {
      std::string nt = read_version(s, end);
      if (!nt.empty()) m.version = windows_version(nt);
    } else if (style == "ios") {
      std::size_t os = s.find(" os ", end);
      if (os != npos && os - end < 24) m.version = read_version(s, os + 4);
    } else if (style == "cros") {
      std::size_t p = end;
      while (p < s.size() && s[p] == ' ') ++p;
      while (p < s.size() && s[p] != ' ' && s[p] != ')' && p - end < 24) ++p;  // the CPU word
      m.version = read_version(s, p);
    }
    return m;
  }
  return {};
}

// "Linux; Android 14; Pixel 8 Build/…)" → "Pixel 8" (from the original-case UA).
std::string android_model(std::string_view ua, std::string_view lower) {
  std::size_t pos = find_token(lower, "android");
  if (pos == npos) return {};
  std::string_view model;
  // UC Browser, MIUI and kin write a locale first ("Android 11; en-US; RMX2193 Build/…"): the
  // model is the part after it.
  for (int part = 0; part < 2; ++part) {
    std::size_t semi = lower.find(';', pos);
    std::size_t close = lower.find(')', pos);
    if (semi == npos || (close != npos && close < semi)) return {};
    std::size_t begin = semi + 1, end = begin;
    int depth = 0;  // models such as "moto g(30)" hold parentheses
    while (end < lower.size() && lower[end] != ';' && (lower[end] != ')' || depth > 0) && end - begin < 64) {
      depth += lower[end] == '(' ? 1 : lower[end] == ')' ? -1 : 0;
      ++end;
    }
    model = ascii::trim(ua.substr(begin, end - begin));
    const bool locale = (model.size() == 5 && (model[2] == '-' || model[2] == '_')) || model.size() == 2;
    if (!locale || end >= lower.size() || lower[end] != ';') break;
    pos = end;
  }
  std::size_t build = ascii::to_lower(model).find(" build/");
  if (build != npos) model = ascii::trim(model.substr(0, build));
  // Samsung Internet writes "SAMSUNG SM-S928B" where the model hint and other browsers say "SM-S928B".
  if (ascii::istarts_with(model, "samsung sm-")) model.remove_prefix(8);
  std::string lm = ascii::to_lower(model);
  if (lm.empty() || lm == "k" || lm == "wv" || lm == "u" || lm == "mobile" || lm == "tablet" ||
      lm.find("rv:") != npos || lm.find("build") == 0 || lm.find('/') != npos ||
      (lm.size() == 5 && lm[2] == '-') || lm.size() == 2)
    return {};
  return ascii::repair_utf8(model);
}

bool has_tv_marker(const Ua& ua) {
  for (const data::Row row : data::tv_markers)
    if (ua.has(row[0])) return true;
  return false;
}

// --- Client hints ---

std::string hint_key(std::string_view key) {
  std::string out;
  const bool header = key.find('-') != npos;
  for (char c : ascii::bounded(key, 64)) {
    if (header) {
      out += c == '-' ? '_' : ascii::lower(c);
    } else if (c >= 'A' && c <= 'Z') {
      if (!out.empty() && out.back() != '_') out += '_';
      out += ascii::lower(c);
    } else {
      out += c;
    }
  }
  std::string_view key_view = out;
  if (key_view == "sec_ch_ua") return "brands";
  if (key_view.substr(0, 10) == "sec_ch_ua_") key_view.remove_prefix(10);
  if (key_view == "ua_full_version") return "full_version";
  return std::string(key_view);
}

// A structured-field string ("\"Android\"") or a plain string, unquoted.
std::string hint_string(const Value& v) {
  if (!v.is_string()) return {};
  std::string_view s = ascii::trim(ascii::bounded(v.as_string(), 256));
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    std::string out;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] == '\\' && i + 2 < s.size()) ++i;
      out += s[i];
    }
    return ascii::repair_utf8(out);
  }
  return ascii::repair_utf8(s);
}

std::optional<bool> hint_bool(const Value& v) {
  if (v.is_bool()) return v.as_bool();
  if (v.kind() == Kind::Int) return v.as_int() != 0;
  if (v.is_string()) {
    std::string_view s = ascii::trim(v.as_string());
    if (s == "?1" || s == "1" || s == "true") return true;
    if (s == "?0" || s == "0" || s == "false") return false;
  }
  return std::nullopt;
}

std::vector<Brand> hint_brands(const Value& v) {
  if (v.is_string()) return parse_brand_header(v.as_string());
  std::vector<Brand> out;
  if (!v.is_list()) return out;
  for (const Value& item : v.as_list()) {
    if (out.size() >= kMaxBrands) break;
    if (item.is_map()) {
      const Value* brand = item.find("brand");
      const Value* version = item.find("version");
      if (brand && brand->is_string())
        out.push_back({hint_string(*brand), version ? hint_string(*version) : std::string()});
    } else if (item.is_string()) {
      out.push_back({hint_string(item), {}});
    }
  }
  return out;
}

std::string hint_os(std::string_view platform) {
  std::string p = ascii::to_lower(platform);
  if (p == "android") return "android";
  if (p == "windows") return "windows";
  if (p == "macos" || p == "mac os x" || p == "mac os") return "macos";
  if (p == "chrome os" || p == "chromeos" || p == "chromium os") return "chromeos";
  if (p == "linux") return "linux";
  if (p == "ios") return "ios";
  if (p == "ipados") return "ipados";
  if (p == "fuchsia") return "fuchsia";
  return {};
}

std::string hint_os_version(std::string_view os, std::string_view version) {
  if (version.empty() || !ascii::is_digit(version[0])) return {};
  if (os == "windows") {
    // Sec-CH-UA-Platform-Version: 13+ is Windows 11, 1–10 Windows 10, 0.1/0.2/0.3 are 7/8/8.1.
    const int major = leading_int(version);
    if (major >= 13) return "11";
    if (major >= 1) return "10";
    std::size_t dot = version.find('.');
    const int minor = dot == npos ? 0 : leading_int(version.substr(dot + 1));
    return minor == 1 ? "7" : minor == 2 ? "8" : minor == 3 ? "8.1" : std::string();
  }
  return trim_zero_components(version);
}

std::string_view brand_browser(std::string_view brand) {
  const std::string lower = ascii::to_lower(brand);
  for (const data::Row row : data::client_hint_brands)
    if (row[0] == lower) return row[1];
  return {};
}

bool generic_browser(std::string_view b) { return b == "chromium" || b == "chrome_webview"; }

}  // namespace

std::vector<Brand> parse_brand_header(std::string_view h) {
  h = ascii::bounded(h, kMaxHintText);
  std::vector<Brand> out;
  std::size_t i = 0;
  auto quoted = [&](std::string& into) {
    ++i;  // opening quote
    while (i < h.size() && h[i] != '"') {
      if (h[i] == '\\' && i + 1 < h.size()) ++i;
      into += h[i++];
    }
    if (i < h.size()) ++i;  // closing quote
  };
  auto bare = [&](std::string& into) {
    while (i < h.size() && h[i] != ',' && h[i] != ';' && h[i] != '=') into += h[i++];
    into = std::string(ascii::trim(into));
  };
  while (i < h.size() && out.size() < kMaxBrands) {
    while (i < h.size() && (h[i] == ' ' || h[i] == ',' || h[i] == '\t')) ++i;
    if (i >= h.size()) break;
    Brand b;
    if (h[i] == '"') quoted(b.name);
    else bare(b.name);
    while (i < h.size() && h[i] != ',') {
      if (h[i] != ';') { ++i; continue; }
      ++i;
      std::string key, value;
      while (i < h.size() && h[i] == ' ') ++i;
      bare(key);
      if (i < h.size() && h[i] == '=') {
        ++i;
        while (i < h.size() && h[i] == ' ') ++i;
        if (i < h.size() && h[i] == '"') quoted(value);
        else bare(value);
      }
      if (key == "v") b.version = value;
    }
    b.name = ascii::repair_utf8(b.name);
    b.version = ascii::repair_utf8(b.version);
    if (!b.name.empty()) out.push_back(std::move(b));
  }
  return out;
}

std::string major_minor(std::string_view v) {
  std::string out;
  std::size_t i = 0;
  while (i < v.size() && ascii::is_digit(v[i]) && out.size() < 8) out += v[i++];
  if (out.empty()) return out;
  if (i + 1 < v.size() && v[i] == '.' && ascii::is_digit(v[i + 1])) {
    out += '.';
    ++i;
    std::size_t n = 0;
    while (i < v.size() && ascii::is_digit(v[i]) && n++ < 8) out += v[i++];
  }
  return out;
}

ClientHints parse_client_hints(const Value& ua_ch) {
  ClientHints h;
  if (!ua_ch.is_map()) return h;
  std::size_t seen = 0;
  for (const auto& [k, v] : ua_ch.as_map()) {
    if (++seen > 64) break;
    if (!k.is_string()) continue;
    const std::string key = hint_key(k.as_string());
    if (key == "mobile") h.mobile = hint_bool(v);
    else if (key == "platform") h.platform = hint_string(v);
    else if (key == "platform_version") h.platform_version = hint_string(v);
    else if (key == "model") h.model = hint_string(v);
    else if (key == "brands") h.brands = hint_brands(v);
    else if (key == "full_version_list") h.full_version_list = hint_brands(v);
    else if (key == "full_version") h.full_version = hint_string(v);
    else if (key == "form_factors" || key == "form_factor") {
      for (const Brand& b : hint_brands(v)) h.form_factors.push_back(ascii::to_lower(b.name));
    }
  }
  return h;
}

}  // namespace device

DeviceInfo classify_device(std::string_view user_agent, const Value& ua_ch) {
  return classify_device(user_agent, ua_ch, DeviceSignals{});
}

DeviceInfo classify_device(std::string_view user_agent, const Value& ua_ch, const DeviceSignals& extra) {
  using namespace device;
  DeviceInfo info;
  const std::string_view ua = ascii::trim(ascii::bounded(user_agent, kMaxUserAgent));
  const std::string s = ascii::to_lower(ua);
  const ClientHints hints = parse_client_hints(ua_ch);
  if (s.empty() && hints.empty()) {
    if (extra.touch) info.touch = extra.touch;
    else if (extra.max_touch_points) info.touch = *extra.max_touch_points > 0;
    return info;
  }

  // --- From the User-Agent string ---
  const Ua words(s);
  OsMatch os = detect_os(words);
  // Chrome's reduced UA (and Samsung Internet's) says "Android 10; K" whatever the version: that
  // 10 is no version, as the K is no model. The platformVersion hint, when sent, gives the real one.
  if (os.os == "android" && os.version == "10" && s.find("android 10; k)") != npos) os.version.clear();
  std::string browser, browser_version;
  bool in_app = false;
  for (const data::Row row : data::browser_tokens) {
    const std::string_view token = row[0];
    const std::size_t pos = words.find(token);
    if (pos == npos) continue;
    browser = row[1];
    browser_version = major_minor(version_for(words, row[2], pos + token.size()));
    in_app = row[3] == "app";
    break;
  }
  // Android WebView marks itself with "; wv)"; apps that embed one without naming themselves
  // show up as chrome_webview.
  if (browser == "chrome" && os.os == "android" && (s.find("; wv)") != npos || words.has("version/4.0")))
    browser = "chrome_webview";
  // WebKit without a Safari token on iOS is an app's WKWebView; elsewhere an unknown WebKit browser.
  if (browser == "webkit") browser_version.clear();

  // Since iOS 26 the OS token is frozen (at 18_6 or 18_7) and Safari's "Version/" carries the
  // real release: from 26 on, iOS and Safari share version numbers.
  if (os.os == "ios" || os.os == "ipados") {
    const std::size_t v = words.find("version/");
    const std::string safari = v == npos ? std::string() : read_version(s, v + 8);
    if (leading_int(safari) >= 26 && leading_int(os.version) >= 18 && leading_int(safari) > leading_int(os.version))
      os.version = safari;
  }

  std::string type;
  const bool tv = !s.empty() && has_tv_marker(words);
  const bool says_mobile = words.has("mobi") || words.has("phone") || words.has("opera mini");
  const bool says_tablet = words.has("tablet");
  if (tv) {
    type = "tv";
  } else if (!os.type.empty() && os.type != "-") {
    type = os.type;
  } else if (!os.os.empty()) {  // Android and kin: phones say "Mobile", tablets do not
    type = says_tablet ? "tablet" : says_mobile ? "mobile" : "tablet";
  } else if (!s.empty()) {
    type = says_tablet ? "tablet" : says_mobile ? "mobile" : "desktop";
  }
  if (os.os == "android") info.model = android_model(ua, s);

  // --- Client hints win where they speak ---
  const std::string platform_os = hint_os(hints.platform);
  if (!platform_os.empty()) {
    if (platform_os != os.os) os.version.clear();
    os.os = platform_os;
    std::string v = hint_os_version(platform_os, hints.platform_version);
    if (!v.empty()) os.version = v;
    if (type != "tv") {
      if (platform_os == "android") {
        if (type != "mobile") type = "tablet";  // Sec-CH-UA-Mobile below decides
      } else if (platform_os == "ios") {
        type = "mobile";
      } else if (platform_os == "ipados") {
        type = "tablet";
      } else {
        type = "desktop";
      }
    }
  }
  if (hints.mobile && type != "tv") {
    if (*hints.mobile) type = "mobile";
    else if (os.os == "android" || type.empty() || type == "mobile") type = os.os == "android" ? "tablet" : "desktop";
  }
  // An Android phone asking for the desktop site (Sec-CH-UA-Mobile ?0, an X11 or tablet-like UA)
  // looks like a tablet to everything above; its phone-sized screen does not change (tablets are
  // 600 CSS pixels wide and more), as for iPhones in desktop mode below.
  const bool phone_screen = extra.screen_width && *extra.screen_width > 0 && *extra.screen_width < 600;
  if (type == "tablet" && os.os == "android" && phone_screen) type = "mobile";
  // Form factors name the hardware; `mobile` is the experience the browser asks for. They clash
  // when Chromium emulates a phone (device mode, UA overrides): UA, platform and `mobile` become
  // the phone's while the form factors stay the host's ["Desktop"]. Such a browser renders and is
  // served as a phone, so "desktop" never overrides `mobile: true`.
  const bool asks_mobile = hints.mobile && *hints.mobile;
  for (const std::string& f : hints.form_factors) {
    if (type == "tv") break;
    if (f == "tablet" || f == "mobile" || (f == "desktop" && !asks_mobile)) {
      type = f;
      break;
    }
  }
  if (!hints.model.empty()) info.model = std::string(ascii::bounded(hints.model, 64));

  bool headless_brand = false;
  {
    const std::vector<Brand>& list = hints.full_version_list.empty() ? hints.brands : hints.full_version_list;
    std::string_view chosen;
    std::string chosen_version;
    for (const Brand& b : list) {
      if (ascii::iequals(b.name, "HeadlessChrome")) headless_brand = true;
      const std::string_view mapped = brand_browser(b.name);
      if (mapped.empty()) continue;
      if (chosen.empty() || (generic_browser(chosen) && !generic_browser(mapped))) {
        chosen = mapped;
        chosen_version = b.version;
      }
    }
    const bool use_hint = !chosen.empty() && !in_app && (!generic_browser(chosen) || browser.empty());
    if (use_hint) {
      std::string v = major_minor(chosen_version);
      if (hints.full_version_list.empty() && !hints.full_version.empty() && chosen == browser)
        v = major_minor(hints.full_version);
      // Brands carry only the major version; keep the UA's major.minor when it agrees.
      if (v.find('.') == npos && leading_int(browser_version) == leading_int(v))
        v = browser_version;
      browser = chosen;
      browser_version = v;
    }
  }

  // --- iPads that present a Mac UA: only touch tells them apart ---
  const bool touch_screen = (extra.max_touch_points && *extra.max_touch_points > 1) || (extra.touch && *extra.touch);
  if (os.os == "macos" && touch_screen && platform_os.empty()) {
    os.os = phone_screen ? "ios" : "ipados";
    type = phone_screen ? "mobile" : "tablet";
    // iPadOS and Safari have shared version numbers since iPadOS 13.
    std::size_t v = words.find("version/");
    os.version = v == npos ? std::string() : read_version(s, v + 8);
  }

  // --- Bots ---
  BotMatch bot = s.empty() ? BotMatch{} : detect_bot(words, !os.os.empty(), !browser.empty());
  if (headless_brand && !bot.bot) bot = {true, "headlesschrome"};
  if (bot.bot) {
    info.bot = true;
    info.bot_name = ascii::repair_utf8(ascii::bounded(bot.name, 64));
    type = "bot";
  }

  info.type = type;
  info.os = os.os;
  info.os_version = os.version;
  info.browser = browser;
  info.browser_version = browser_version;
  if (extra.touch) info.touch = extra.touch;
  else if (extra.max_touch_points) info.touch = *extra.max_touch_points > 0;
  else if (type == "mobile" || type == "tablet") info.touch = true;
  return info;
}

}  // namespace ithaca
