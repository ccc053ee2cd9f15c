// The regex engine's compiler (regex.hpp says what it accepts): a pattern parsed and compiled
// in one pass to the program the matcher (regex.cpp) runs, with the named classes it expands.
// The page's engine links without it: compiled rule sets carry their patterns' programs
// (compiled_ruleset.cpp, wasm_sdk/bindings/page_patterns.cpp).
#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "heap_sort.hpp"
#include "regex.hpp"
#include "regex_program.hpp"
#include "utf8.hpp"

namespace ithaca {

using namespace regex_internal;

namespace {

constexpr int kMaxRepeat = 1000;
// The pattern's flags, as (?imsU) sets them.
enum Flag : std::uint8_t { kFoldCase = 1, kDotNL = 2, kMultiLine = 4, kUngreedy = 8 };

// vector::insert costs 300–550 B of wasm per element type and overload; these two for the plain
// Inst and Range reuse resize() and push_back() instead (620 B gzipped less, measured).
// [first, last) must not point into v (resize may move it).
template <class T>
void append(std::vector<T>& v, const T* first, const T* last) {
  static_assert(std::is_trivially_copyable_v<T>);
  const std::size_t n = v.size();
  v.resize(n + static_cast<std::size_t>(last - first));
  if (first != last) std::memcpy(v.data() + n, first, static_cast<std::size_t>(last - first) * sizeof(T));
}
template <class T>
void insert_at(std::vector<T>& v, std::size_t i, const T& x) {
  static_assert(std::is_trivially_copyable_v<T>);
  v.push_back(x);
  std::memmove(v.data() + i + 1, v.data() + i, (v.size() - 1 - i) * sizeof(T));
  v[i] = x;
}

// Named ASCII classes as lo/hi byte pairs. The first three are \d, \s and \w.
struct NamedClass {
  const char* name;
  const char* pairs;
};
constexpr NamedClass kNamedClasses[] = {
    {"d", "09"},       {"s", "\t\n\f\r  "}, {"w", "09AZ__az"},  {"alnum", "09AZaz"},
    {"alpha", "AZaz"}, {"ascii", "\x01\x7f"}, {"blank", "\t\t  "}, {"cntrl", "\x01\x1f\x7f\x7f"},
    {"digit", "09"},   {"graph", "!~"},     {"lower", "az"},      {"print", " ~"},
    {"punct", "!/:@[`{~"}, {"space", "\t\r  "}, {"upper", "AZ"}, {"word", "09AZ__az"},
    {"xdigit", "09AFaf"},
};

void normalize(std::vector<Range>& v) {
  heap_sort(v.data(), v.size(), [](const Range& a, const Range& b) { return a.lo < b.lo; });
  std::size_t n = 0;
  for (const Range& r : v) {
    if (n > 0 && r.lo <= v[n - 1].hi + 1) {
      v[n - 1].hi = std::max(v[n - 1].hi, r.hi);
    } else {
      v[n++] = r;
    }
  }
  v.resize(n);
}

// Appends a named ASCII class, or its complement. Under case folding the class is first closed
// under folding (\w gains the Kelvin sign and the long s), so that \W and [:^lower:] exclude
// their folds too, as in RE2; the result is itself closed under folding.
void add_named(const NamedClass& nc, bool negate, bool fold, std::vector<Range>& out) {
  std::vector<Range> tmp;
  for (const char* s = nc.pairs; *s != 0; s += 2)
    tmp.push_back({static_cast<char32_t>(static_cast<unsigned char>(s[0])),
                   static_cast<char32_t>(static_cast<unsigned char>(s[1]))});
  // NUL cannot sit in a C string: "ascii" and "cntrl" start at it.
  if (nc.pairs[0] == 1) tmp[0].lo = 0;
  if (fold) {
    const std::size_t n = tmp.size();
    for (std::size_t i = 0; i < n; ++i) {
      for (char32_t c = tmp[i].lo; c <= tmp[i].hi; ++c) {
        char32_t v[3];
        for (int k = 0, nv = case_variants(c, v); k < nv; ++k) tmp.push_back({v[k], v[k]});
      }
    }
    normalize(tmp);
  }
  if (!negate) {
    append(out, tmp.data(), tmp.data() + tmp.size());
    return;
  }
  char32_t next = 0;  // sorted and disjoint
  for (const Range& r : tmp) {
    if (r.lo > next) out.push_back({next, r.lo - 1});
    next = r.hi + 1;
  }
  if (next <= kMaxRune) out.push_back({next, kMaxRune});
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_word_char(char c) { return is_word_byte(static_cast<unsigned char>(c)); }

}  // namespace

// ---- The compiler.

// Parses and compiles in one pass. Every fragment of code is contiguous, its jumps are relative
// and all its exits fall through to its end, so fragments concatenate by adjacency and a
// repetition copies its operand verbatim. The operand stack holds fragments (always a suffix of
// the code, in order), open parentheses and alternation bars.
class RegexCompiler {
 public:
  RegexCompiler(std::string_view pattern, std::size_t max_size, Regex& re)
      : pat_(pattern), max_(max_size), code_(re.prog_), pool_(re.ranges_) {}

  bool run();
  Error error;

 private:
  enum class Kind : std::uint8_t { Frag, Paren, Bar };
  struct Item {
    Kind kind;
    std::uint8_t saved_flags;
    int pos;
    std::size_t start;
  };
  // What the last parsed item was, for repetition checks.
  enum class Last : std::uint8_t { None, Atom, Repeat };
  struct Escape {
    enum Kind : std::uint8_t { Rune, Class, Assert, Quote } kind;
    char32_t rune;
    Assertion assertion;
  };

  bool fail(std::string_view what, std::size_t pos, std::string_view arg = {}) {
    std::string message(what);
    message += arg;
    error = Error{ErrorKind::Parse, std::move(message), static_cast<int>(pos), {}};
    return false;
  }
  bool room(std::size_t extra, std::size_t pos) {
    if (code_.size() + extra + 1 <= max_) return true;
    return fail("pattern too large: the program would exceed its limit of instructions, ", pos,
                std::to_string(max_));
  }
  void push_frag(std::size_t start) {
    stack_.push_back({Kind::Frag, 0, 0, start});
    last_ = Last::Atom;
  }
  bool emit_atom(Inst inst, std::size_t pos) {
    if (!room(1, pos)) return false;
    push_frag(code_.size());
    code_.push_back(inst);
    return true;
  }
  bool emit_literal(char32_t c, std::size_t pos);
  bool emit_class(std::vector<Range>& ranges, std::uint8_t flags, std::size_t pos);

  bool parse_group();
  bool close_group();
  bool parse_class();
  bool parse_escape(bool in_class, Escape& out);
  bool parse_repeat_op();
  bool repeat(int lo, int hi, std::size_t pos);
  bool parse_braces(std::size_t p, int& lo, int& hi, std::size_t& end) const;
  bool decode_pattern(char32_t& c);
  void collapse_concat();
  bool collapse_alternation(std::size_t pos);
  bool check_names();

  std::string_view pat_;
  std::size_t max_;
  std::vector<Inst>& code_;
  std::vector<Range>& pool_;
  std::vector<Item> stack_;
  std::vector<Range> class_;  // scratch for the class being parsed
  std::vector<std::pair<std::string_view, std::size_t>> names_;
  std::size_t p_ = 0;
  std::uint8_t flags_ = 0;
  Last last_ = Last::None;
  bool no_posix_close_ = false;  // no ":]" after the last '[:' looked at
};

bool RegexCompiler::decode_pattern(char32_t& c) {
  std::size_t start = p_;
  std::uint32_t cp = utf8::decode(pat_, p_);
  if (cp == utf8::invalid) return fail("invalid UTF-8 in pattern", start);
  c = cp;
  return true;
}

bool RegexCompiler::emit_literal(char32_t c, std::size_t pos) {
  char32_t v[3];
  int n = (flags_ & kFoldCase) ? case_variants(c, v) : 0;
  if (n == 0) return emit_atom({kChar, 0, static_cast<std::int32_t>(c), 0}, pos);
  class_.clear();
  class_.push_back({c, c});
  for (int i = 0; i < n; ++i) class_.push_back({v[i], v[i]});
  return emit_class(class_, 0, pos);
}

bool RegexCompiler::emit_class(std::vector<Range>& ranges, std::uint8_t flags, std::size_t pos) {
  normalize(ranges);
  if (flags == 0 && ranges.size() == 1 && ranges[0].lo == ranges[0].hi)
    return emit_atom({kChar, 0, static_cast<std::int32_t>(ranges[0].lo), 0}, pos);
  if (flags == kNegate && ranges.size() == 1 && ranges[0].lo == '\n' && ranges[0].hi == '\n')
    return emit_atom({kAnyNotNL, 0, 0, 0}, pos);
  const std::size_t offset = pool_.size();
  append(pool_, ranges.data(), ranges.data() + ranges.size());
  return emit_atom({kClass, flags, static_cast<std::int32_t>(offset),
                    static_cast<std::int32_t>(ranges.size())},
                   pos);
}

bool RegexCompiler::run() {
  stack_.reserve(16);
  while (p_ < pat_.size()) {
    const std::size_t pos = p_;
    switch (pat_[p_]) {
      case '(':
        if (!parse_group()) return false;
        break;
      case ')':
        if (!close_group()) return false;
        break;
      case '|':
        collapse_concat();
        stack_.push_back({Kind::Bar, 0, static_cast<int>(pos), 0});
        last_ = Last::None;
        ++p_;
        break;
      case '*':
      case '+':
      case '?':
        if (!parse_repeat_op()) return false;
        break;
      case '{': {
        int lo = 0, hi = 0;
        std::size_t end = 0;
        if (!parse_braces(p_, lo, hi, end)) {  // not a repetition: a literal brace
          ++p_;
          if (!emit_literal('{', pos)) return false;
          break;
        }
        if (!parse_repeat_op()) return false;
        break;
      }
      case '^':
        ++p_;
        if (!emit_atom({kAssert, 0, (flags_ & kMultiLine) ? kBeginLine : kBeginText, 0}, pos))
          return false;
        break;
      case '$':
        ++p_;
        if (!emit_atom({kAssert, 0, (flags_ & kMultiLine) ? kEndLine : kEndText, 0}, pos))
          return false;
        break;
      case '.':
        ++p_;
        if (!emit_atom({(flags_ & kDotNL) ? kAny : kAnyNotNL, 0, 0, 0}, pos)) return false;
        break;
      case '[':
        if (!parse_class()) return false;
        break;
      case '\\': {
        Escape e{};
        class_.clear();
        if (!parse_escape(false, e)) return false;
        if (e.kind == Escape::Rune) {
          if (!emit_literal(e.rune, pos)) return false;
        } else if (e.kind == Escape::Class) {
          if (!emit_class(class_, 0, pos)) return false;
        } else if (e.kind == Escape::Assert) {
          if (!emit_atom({kAssert, 0, e.assertion, 0}, pos)) return false;
        } else {  // \Q...\E: each character is its own atom, so a repetition takes the last
          std::size_t end = pat_.find("\\E", p_);
          if (end == std::string_view::npos) end = pat_.size();
          while (p_ < end) {
            const std::size_t at = p_;
            char32_t c = 0;
            if (!decode_pattern(c) || !emit_literal(c, at)) return false;
          }
          p_ = std::min(end + 2, pat_.size());
        }
        break;
      }
      default: {
        char32_t c = 0;
        if (!decode_pattern(c) || !emit_literal(c, pos)) return false;
      }
    }
  }
  if (!collapse_alternation(p_)) return false;
  if (stack_.size() > 1) return fail("missing closing )", static_cast<std::size_t>(stack_[stack_.size() - 2].pos));
  if (!check_names() || !room(0, 0)) return false;
  code_.push_back({kMatch, 0, 0, 0});  // room() always keeps one slot for it
  return true;
}

bool RegexCompiler::parse_group() {
  const std::size_t pos = p_;
  if (p_ + 1 >= pat_.size() || pat_[p_ + 1] != '?') {
    ++p_;
    stack_.push_back({Kind::Paren, flags_, static_cast<int>(pos), 0});
    last_ = Last::None;
    return true;
  }
  std::string_view rest = pat_.substr(p_ + 2);
  auto starts = [&](std::string_view s) { return rest.substr(0, s.size()) == s; };
  if (starts("=")) return fail("lookahead (?=...) is not supported", pos);
  if (starts("!")) return fail("negative lookahead (?!...) is not supported", pos);
  if (starts("<=")) return fail("lookbehind (?<=...) is not supported", pos);
  if (starts("<!")) return fail("negative lookbehind (?<!...) is not supported", pos);
  if (starts("P=")) return fail("named backreference (?P=name) is not supported", pos);
  if (starts("P>")) return fail("recursion (?P>name) is not supported", pos);
  if (starts(">")) return fail("atomic group (?>...) is not supported", pos);
  if (starts("#")) return fail("comment group (?#...) is not supported", pos);
  if (starts("(")) return fail("conditional group (?(...)...) is not supported", pos);
  if (starts("|")) return fail("branch reset group (?|...) is not supported", pos);
  if (starts("R") || starts("&") || (!rest.empty() && rest[0] >= '0' && rest[0] <= '9'))
    return fail("recursion (?R) is not supported", pos);
  if (starts("P<") || starts("<")) {
    std::size_t name_start = p_ + (starts("P<") ? 4 : 3);
    std::size_t close = pat_.find('>', name_start);
    if (close == std::string_view::npos) return fail("invalid named capture group: missing >", pos);
    std::string_view name = pat_.substr(name_start, close - name_start);
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_word_char))
      return fail("invalid named capture group name", pos);
    names_.push_back({name, pos});
    p_ = close + 1;
    stack_.push_back({Kind::Paren, flags_, static_cast<int>(pos), 0});
    last_ = Last::None;
    return true;
  }
  // Flags: (?i) (?s-m) (?i:...)
  std::uint8_t on = 0, off = 0;
  bool negated = false, any = false;
  for (std::size_t q = p_ + 2;; ++q) {
    if (q >= pat_.size()) return fail("missing closing ) after flags", pos);
    char c = pat_[q];
    std::uint8_t bit = c == 'i' ? kFoldCase : c == 's' ? kDotNL : c == 'm' ? kMultiLine : c == 'U' ? kUngreedy : 0;
    if (bit != 0) {
      (negated ? off : on) |= bit;
      any = true;
      continue;
    }
    if (c == '-' && !negated) {
      negated = true;
      any = false;  // a flag must follow the '-'
      continue;
    }
    if ((c == ')' || c == ':') && (any || !negated)) {  // (?) is an empty flag set, as in RE2
      std::uint8_t flags = static_cast<std::uint8_t>((flags_ | on) & ~off);
      p_ = q + 1;
      if (c == ':') {
        stack_.push_back({Kind::Paren, flags_, static_cast<int>(pos), 0});
      }
      flags_ = flags;
      last_ = Last::None;
      return true;
    }
    return fail("invalid or unsupported group syntax: ", pos, pat_.substr(p_, q + 1 - p_));
  }
}

bool RegexCompiler::close_group() {
  const std::size_t pos = p_;
  if (!collapse_alternation(pos)) return false;
  if (stack_.size() < 2) return fail("unexpected )", pos);
  Item frag = stack_.back();
  stack_.pop_back();
  flags_ = stack_.back().saved_flags;
  stack_.back() = frag;
  last_ = Last::Atom;
  ++p_;
  return true;
}

void RegexCompiler::collapse_concat() {
  std::size_t start = code_.size();
  while (!stack_.empty() && stack_.back().kind == Kind::Frag) {
    start = stack_.back().start;
    stack_.pop_back();
  }
  push_frag(start);
}

// Turns f1 | f2 | ... | fk (adjacent in the code) into
// split(f1, next) f1 jmp(end) split(f2, next) f2 jmp(end) ... fk.
bool RegexCompiler::collapse_alternation(std::size_t pos) {
  collapse_concat();
  std::size_t first = stack_.size() - 1, k = 1;
  while (first >= 2 && stack_[first - 1].kind == Kind::Bar) {
    first -= 2;
    ++k;
  }
  if (k == 1) return true;
  if (!room(2 * (k - 1), pos)) return false;
  const std::size_t base = stack_[first].start;
  const std::size_t total = code_.size() - base + 2 * (k - 1);
  std::vector<Inst> out;
  out.reserve(total);
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t s = stack_[first + 2 * i].start;
    const std::size_t e = i + 1 < k ? stack_[first + 2 * i + 2].start : code_.size();
    const bool last = i + 1 == k;
    if (!last) out.push_back({kSplit, 0, 1, static_cast<std::int32_t>(e - s + 2)});
    append(out, code_.data() + s, code_.data() + e);
    if (!last) out.push_back({kJmp, 0, static_cast<std::int32_t>(total - out.size()), 0});
  }
  code_.resize(base);
  append(code_, out.data(), out.data() + out.size());
  stack_.resize(first);
  push_frag(base);
  return true;
}

// {n} {n,} {n,m}: true with the bounds when p starts a well-formed repetition; anything else
// is a literal '{' (as in RE2). Bounds beyond the limit come back as kMaxRepeat + 1.
bool RegexCompiler::parse_braces(std::size_t p, int& lo, int& hi, std::size_t& end) const {
  auto number = [&](int& v) {
    std::size_t start = p;
    v = 0;
    while (p < pat_.size() && pat_[p] >= '0' && pat_[p] <= '9') {
      v = std::min(v * 10 + (pat_[p] - '0'), kMaxRepeat + 1);
      ++p;
    }
    return p > start;
  };
  ++p;
  if (!number(lo)) return false;
  hi = lo;
  if (p < pat_.size() && pat_[p] == ',') {
    ++p;
    if (p < pat_.size() && pat_[p] == '}') hi = -1;
    else if (!number(hi)) return false;
  }
  if (p >= pat_.size() || pat_[p] != '}') return false;
  end = p + 1;
  return true;
}

bool RegexCompiler::parse_repeat_op() {
  const std::size_t pos = p_;
  int lo = 0, hi = -1;
  std::size_t end = p_ + 1;
  switch (pat_[p_]) {
    case '*': break;
    case '+': lo = 1; break;
    case '?': hi = 1; break;
    default: parse_braces(p_, lo, hi, end);
  }
  std::string_view op = pat_.substr(pos, end - pos);
  if (last_ == Last::Repeat) return fail("bad repetition operator: ", pos, op);
  if (last_ == Last::None || stack_.empty() || stack_.back().kind != Kind::Frag)
    return fail("missing argument to repetition operator: ", pos, op);
  if (lo > kMaxRepeat || hi > kMaxRepeat)
    return fail("repetition count above 1000: ", pos, op);
  if (hi >= 0 && hi < lo) return fail("invalid repetition range: ", pos, op);
  p_ = end;
  if (p_ < pat_.size() && pat_[p_] == '+')
    return fail("possessive quantifiers are not supported: ", pos, pat_.substr(pos, p_ + 1 - pos));
  if (p_ < pat_.size() && pat_[p_] == '?') ++p_;  // lazy: the same language
  if (!repeat(lo, hi, pos)) return false;
  last_ = Last::Repeat;
  return true;
}

bool RegexCompiler::repeat(int lo, int hi, std::size_t pos) {
  const std::size_t s = stack_.back().start;
  const std::size_t len = code_.size() - s;
  auto rel = [](std::size_t v) { return static_cast<std::int32_t>(v); };
  if (lo == 0 && hi == -1) {  // L: split(+1, end) x jmp L
    if (!room(2, pos)) return false;
    insert_at(code_, s, Inst{kSplit, 0, 1, rel(len + 2)});
    code_.push_back({kJmp, 0, -rel(len + 1), 0});
    return true;
  }
  if (lo == 0 && hi == 1) {  // split(+1, end) x
    if (!room(1, pos)) return false;
    insert_at(code_, s, Inst{kSplit, 0, 1, rel(len + 1)});
    return true;
  }
  // x{n,m} = x...x (split(+1, end) x)...;  x{n,} = x...x split(x, +1) with n >= 1.
  const std::uint64_t total =
      hi == -1 ? static_cast<std::uint64_t>(lo) * len + 1
               : static_cast<std::uint64_t>(lo) * len + static_cast<std::uint64_t>(hi - lo) * (len + 1);
  if (total > max_ || !room(total > len ? static_cast<std::size_t>(total) - len : 0, pos)) {
    return fail("pattern too large: the program would exceed its limit of instructions, ", pos,
                std::to_string(max_));
  }
  const std::vector<Inst> body(code_.begin() + static_cast<std::ptrdiff_t>(s), code_.end());
  code_.resize(s);
  for (int i = 0; i < lo; ++i) append(code_, body.data(), body.data() + body.size());
  if (hi == -1) {
    code_.push_back({kSplit, 0, -rel(len), 1});
    return true;
  }
  const std::size_t end = s + static_cast<std::size_t>(total);
  for (int i = lo; i < hi; ++i) {
    code_.push_back({kSplit, 0, 1, rel(end - code_.size())});
    append(code_, body.data(), body.data() + body.size());
  }
  return true;
}

bool RegexCompiler::parse_escape(bool in_class, Escape& out) {
  const std::size_t pos = p_;
  if (p_ + 1 >= pat_.size()) return fail("trailing \\ at end of pattern", pos);
  ++p_;
  const char c = pat_[p_++];
  out.kind = Escape::Rune;
  auto invalid = [&] {
    std::size_t end = p_;
    while (end < pat_.size() && (static_cast<unsigned char>(pat_[end]) & 0xC0) == 0x80) ++end;
    return fail("invalid escape sequence: ", pos, pat_.substr(pos, end - pos));
  };
  switch (c) {
    case 'a': out.rune = 7; return true;
    case 'f': out.rune = '\f'; return true;
    case 't': out.rune = '\t'; return true;
    case 'n': out.rune = '\n'; return true;
    case 'r': out.rune = '\r'; return true;
    case 'v': out.rune = '\v'; return true;
    case '1': case '2': case '3': case '4': case '5': case '6': case '7':
      // As in RE2: a lone digit would be a backreference, a digit followed by octal digits is octal.
      if (p_ >= pat_.size() || pat_[p_] < '0' || pat_[p_] > '7')
        return fail("backreferences are not supported: ", pos, pat_.substr(pos, 2));
      [[fallthrough]];
    case '0': {  // \0, \0o, \0oo, \1o, \1oo: octal
      out.rune = static_cast<char32_t>(c - '0');
      for (int i = 0; i < 2 && p_ < pat_.size() && pat_[p_] >= '0' && pat_[p_] <= '7'; ++i)
        out.rune = out.rune * 8 + static_cast<char32_t>(pat_[p_++] - '0');
      return true;
    }
    case 'x': {
      char32_t v = 0;
      if (p_ < pat_.size() && pat_[p_] == '{') {
        std::size_t q = p_ + 1;
        while (q < pat_.size() && hex_value(pat_[q]) >= 0 && v <= kMaxRune) v = v * 16 + static_cast<char32_t>(hex_value(pat_[q++]));
        if (q == p_ + 1 || q >= pat_.size() || pat_[q] != '}' || v > kMaxRune) {
          p_ = std::min(q + 1, pat_.size());
          return invalid();
        }
        p_ = q + 1;
      } else {
        if (p_ + 2 > pat_.size() || hex_value(pat_[p_]) < 0 || hex_value(pat_[p_ + 1]) < 0) {
          p_ = std::min(p_ + 2, pat_.size());
          return invalid();
        }
        v = static_cast<char32_t>(hex_value(pat_[p_]) * 16 + hex_value(pat_[p_ + 1]));
        p_ += 2;
      }
      out.rune = v;
      return true;
    }
    case 'd': case 'D': case 's': case 'S': case 'w': case 'W': {
      const char lower = static_cast<char>(c | 0x20);
      add_named(kNamedClasses[lower == 'd' ? 0 : lower == 's' ? 1 : 2], c != lower, (flags_ & kFoldCase) != 0,
                class_);
      out.kind = Escape::Class;
      return true;
    }
    case 'p': case 'P':
      return fail("Unicode character classes are not supported: ", pos, pat_.substr(pos, 2));
    case 'C': return fail("\\C (any byte) is not supported", pos);
    case 'Z': return fail("\\Z is not supported; use \\z for the end of text", pos);
    case 'k': case 'g': return fail("backreferences are not supported: ", pos, pat_.substr(pos, 2));
    default: break;
  }
  if (c == '8' || c == '9') return fail("backreferences are not supported: ", pos, pat_.substr(pos, 2));
  if (!in_class) {
    out.kind = Escape::Assert;
    switch (c) {
      case 'A': out.assertion = kBeginText; return true;
      case 'z': out.assertion = kEndText; return true;
      case 'b': out.assertion = kWordBoundary; return true;
      case 'B': out.assertion = kNotWordBoundary; return true;
      case 'Q': out.kind = Escape::Quote; return true;
      default: out.kind = Escape::Rune;
    }
  }
  if (static_cast<unsigned char>(c) < 0x80 && (c == '_' || !is_word_char(c))) {  // punctuation, and \_ as in Go
    out.rune = static_cast<char32_t>(c);
    return true;
  }
  return invalid();
}

bool RegexCompiler::parse_class() {
  const std::size_t open = p_++;
  std::uint8_t flags = (flags_ & kFoldCase) ? kFold : 0;
  if (p_ < pat_.size() && pat_[p_] == '^') {
    flags |= kNegate;
    ++p_;
  }
  class_.clear();
  // Reads one class member: a code point (is_set false) or a set such as \d. A range's upper
  // end is never a POSIX class: in [K-[:lower:]] it is the '['.
  auto member = [&](char32_t& c, bool& is_set, bool range_end) {
    is_set = false;
    if (!range_end && !no_posix_close_ && pat_[p_] == '[' && p_ + 1 < pat_.size() && pat_[p_ + 1] == ':') {
      std::size_t close = pat_.find(":]", p_ + 2);
      no_posix_close_ = close == std::string_view::npos;  // keeps "[[:[:[:…" linear
      if (close != std::string_view::npos) {
        std::string_view name = pat_.substr(p_ + 2, close - p_ - 2);
        bool negate = !name.empty() && name[0] == '^';
        if (negate) name.remove_prefix(1);
        for (std::size_t i = 3; i < std::size(kNamedClasses); ++i) {
          if (name == kNamedClasses[i].name) {
            add_named(kNamedClasses[i], negate, (flags_ & kFoldCase) != 0, class_);
            p_ = close + 2;
            is_set = true;
            return true;
          }
        }
        return fail("invalid POSIX character class: ", p_, pat_.substr(p_, close + 2 - p_));
      }
    }
    if (pat_[p_] == '\\') {
      Escape e{};
      if (!parse_escape(true, e)) return false;
      is_set = e.kind == Escape::Class;
      c = e.rune;
      return true;
    }
    return decode_pattern(c);
  };
  bool first = true;
  for (;;) {
    if (p_ >= pat_.size()) return fail("missing closing ]", open);
    if (pat_[p_] == ']' && !first) break;
    first = false;
    const std::size_t item = p_;
    char32_t lo = 0, hi = 0;
    bool is_set = false;
    if (!member(lo, is_set, false)) return false;
    if (is_set) continue;
    hi = lo;
    if (p_ + 1 < pat_.size() && pat_[p_] == '-' && pat_[p_ + 1] != ']') {
      ++p_;
      if (!member(hi, is_set, true)) return false;
      if (is_set || hi < lo)
        return fail("invalid character class range: ", item, pat_.substr(item, p_ - item));
    }
    class_.push_back({lo, hi});
  }
  ++p_;
  return emit_class(class_, flags, open);
}

bool RegexCompiler::check_names() {
  if (names_.size() < 2) return true;
  heap_sort(names_.data(), names_.size());
  for (std::size_t i = 1; i < names_.size(); ++i)
    if (names_[i].first == names_[i - 1].first)
      return fail("duplicate capture group name: ", names_[i].second, names_[i].first);
  return true;
}

Result<Regex> Regex::compile(std::string_view pattern, std::size_t max_program_size) {
  Regex re;
  RegexCompiler compiler(pattern, max_program_size, re);
  if (!compiler.run()) return std::move(compiler.error);
  re.ready();
  return Result<Regex>(std::move(re));
}

}  // namespace ithaca
