// The regex engine's matcher (regex.hpp says what the engine accepts): Regex::search runs a
// program, Regex::from_program checks one that came as bytes, and ready() works out what search
// can skip. The compiler that makes programs from patterns is regex_compiler.cpp; the case
// folding table below serves both.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "regex.hpp"
#include "regex_program.hpp"
#include "utf8.hpp"

namespace ithaca {

using namespace regex_internal;

namespace {

// ---- Simple case folding (Unicode CaseFolding.txt, C and S entries) for Latin, Greek, Cyrillic,
// Armenian, Glagolitic, Coptic, Deseret and the letter-like symbols. Orbits longer than two are
// listed whole; the rest are upper/lower pairs described by ranges.

constexpr char32_t kOrbits[][4] = {
    {'K', 'k', 0x212A, 0},        {'S', 's', 0x17F, 0},         {0xB5, 0x39C, 0x3BC, 0},
    {0xC5, 0xE5, 0x212B, 0},      {0xDF, 0x1E9E, 0, 0},         {0x1C4, 0x1C5, 0x1C6, 0},
    {0x1C7, 0x1C8, 0x1C9, 0},     {0x1CA, 0x1CB, 0x1CC, 0},     {0x1F1, 0x1F2, 0x1F3, 0},
    {0x392, 0x3B2, 0x3D0, 0},     {0x395, 0x3B5, 0x3F5, 0},     {0x398, 0x3B8, 0x3D1, 0x3F4},
    {0x399, 0x3B9, 0x345, 0x1FBE}, {0x39A, 0x3BA, 0x3F0, 0},    {0x3A0, 0x3C0, 0x3D6, 0},
    {0x3A1, 0x3C1, 0x3F1, 0},     {0x3A3, 0x3C2, 0x3C3, 0},     {0x3A6, 0x3C6, 0x3D5, 0},
    {0x3A9, 0x3C9, 0x2126, 0},    {0x1E60, 0x1E61, 0x1E9B, 0},
};

// Upper case in [lo, hi]; its lower case is c + delta, or, when delta is 0, the pairs
// alternate upper/lower starting at lo.
struct FoldRange {
  char32_t lo, hi;
  std::int32_t delta;
};
constexpr FoldRange kFolds[] = {
    {0x41, 0x5A, 32},      {0xC0, 0xD6, 32},      {0xD8, 0xDE, 32},      {0x100, 0x12F, 0},
    {0x132, 0x137, 0},     {0x139, 0x148, 0},     {0x14A, 0x177, 0},     {0x178, 0x178, 0xFF - 0x178},
    {0x179, 0x17E, 0},     {0x1CD, 0x1DC, 0},     {0x1DE, 0x1EF, 0},     {0x1F4, 0x1F5, 0},
    {0x1F8, 0x21F, 0},     {0x222, 0x233, 0},     {0x246, 0x24F, 0},     {0x386, 0x386, 38},
    {0x388, 0x38A, 37},    {0x38C, 0x38C, 64},    {0x38E, 0x38F, 63},    {0x391, 0x3A1, 32},
    {0x3A3, 0x3AB, 32},    {0x3D8, 0x3EF, 0},     {0x400, 0x40F, 80},    {0x410, 0x42F, 32},
    {0x460, 0x481, 0},     {0x48A, 0x4BF, 0},     {0x4C0, 0x4C0, 15},    {0x4C1, 0x4CE, 0},
    {0x4D0, 0x52F, 0},     {0x531, 0x556, 48},    {0x1E00, 0x1E95, 0},   {0x1EA0, 0x1EFF, 0},
    {0x2160, 0x216F, 16},  {0x24B6, 0x24CF, 26},  {0x2C00, 0x2C2F, 48},  {0x2C80, 0x2CE3, 0},
    {0xA640, 0xA66D, 0},   {0xA680, 0xA69B, 0},   {0xFF21, 0xFF3A, 32},  {0x10400, 0x10427, 40},
};

}  // namespace

int regex_internal::case_variants(char32_t c, char32_t out[3]) {
  if (c < 0x41) return 0;
  for (const auto& orbit : kOrbits) {
    if (c != orbit[0] && c != orbit[1] && c != orbit[2] && c != orbit[3]) continue;
    int n = 0;
    for (char32_t o : orbit)
      if (o != 0 && o != c) out[n++] = o;
    return n;
  }
  for (const auto& f : kFolds) {
    if (f.delta == 0) {
      if (c >= f.lo && c <= f.hi) {
        out[0] = ((c - f.lo) % 2 == 0) ? c + 1 : c - 1;
        return 1;
      }
    } else if (c >= f.lo && c <= f.hi) {
      out[0] = c + f.delta;
      return 1;
    } else if (c >= f.lo + f.delta && c <= f.hi + f.delta) {
      out[0] = c - f.delta;
      return 1;
    }
  }
  return 0;
}

namespace {

bool in_ranges(const Range* r, std::size_t n, char32_t c) {
  std::size_t lo = 0, hi = n;
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (c < r[mid].lo) hi = mid;
    else if (c > r[mid].hi) lo = mid + 1;
    else return true;
  }
  return false;
}

// The bytes a match can start with, so that search() can skip the others while no thread is
// alive: the lead bytes of every code point the program can consume first (assertions are
// assumed to hold). Bytes 0x80-0xFF all count when U+FFFD can match, since each invalid byte
// reads as U+FFFD; otherwise no continuation byte is in the set, so a skip always lands on a
// code point boundary. False when the set is useless or a match can be empty.
bool first_byte_set(const std::vector<Inst>& prog, const std::vector<Range>& ranges, std::uint32_t bits[8]) {
  auto set = [&](unsigned b) { bits[b >> 5] |= 1u << (b & 31); };
  auto lead = [](char32_t c) -> unsigned {
    return c < 0x80 ? c : c < 0x800 ? 0xC0 | (c >> 6) : c < 0x10000 ? 0xE0 | (c >> 12) : 0xF0 | (c >> 18);
  };
  auto add = [&](char32_t lo, char32_t hi, bool fold) {
    for (char32_t c = lo; c <= hi && c < 0x80; ++c) {
      set(c);
      if (fold && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) set(c ^ 0x20);
    }
    if (hi >= 0x80)
      for (unsigned b = lead(std::max<char32_t>(lo, 0x80)); b <= lead(hi); ++b) set(b);
    if (fold || (lo <= kBadRune && kBadRune <= hi))
      for (unsigned b = 0x80; b <= 0xFF; ++b) set(b);
    if (fold && hi >= 0x80)  // the Kelvin sign and the long s fold to ASCII letters
      for (unsigned b : {'K', 'k', 'S', 's'}) set(b);
  };
  std::vector<bool> seen(prog.size());
  std::vector<std::uint32_t> stack{0};
  while (!stack.empty()) {
    const std::uint32_t pc = stack.back();
    stack.pop_back();
    if (seen[pc]) continue;
    seen[pc] = true;
    const Inst& in = prog[pc];
    switch (in.op) {
      case kMatch: case kAny: case kAnyNotNL: return false;
      case kJmp: stack.push_back(static_cast<std::uint32_t>(static_cast<std::int64_t>(pc) + in.x)); break;
      case kSplit:
        stack.push_back(static_cast<std::uint32_t>(static_cast<std::int64_t>(pc) + in.x));
        stack.push_back(static_cast<std::uint32_t>(static_cast<std::int64_t>(pc) + in.y));
        break;
      case kAssert: stack.push_back(pc + 1); break;
      case kChar: add(static_cast<char32_t>(in.x), static_cast<char32_t>(in.x), false); break;
      default:  // kClass
        if (in.flags & kNegate) return false;
        for (std::int32_t k = 0; k < in.y; ++k) add(ranges[in.x + k].lo, ranges[in.x + k].hi, in.flags & kFold);
    }
  }
  for (int w = 0; w < 8; ++w)
    if (bits[w] != ~0u) return true;
  return false;
}

}  // namespace

void Regex::ready() {
  const Inst& start = prog_[0];
  anchored_ = start.op == kAssert && start.x == kBeginText;
  skip_ = !anchored_ && first_byte_set(prog_, ranges_, first_bytes_);
  prog_.shrink_to_fit();
  ranges_.shrink_to_fit();
}

Result<Regex> Regex::from_program(std::vector<Inst> program, std::vector<Range> ranges, std::size_t max_program_size) {
  auto fail = [](std::string message) { return Error{ErrorKind::Load, "a pattern's program " + std::move(message), -1, ""}; };
  const auto m = static_cast<std::int64_t>(program.size());
  if (program.empty()) return fail("is empty");
  if (program.size() > max_program_size)
    return fail("has " + std::to_string(m) + " instructions, more than " + std::to_string(max_program_size));
  for (const Range& r : ranges)
    if (r.lo > r.hi || r.hi > kMaxRune) return fail("has a class range that is not one of code points");
  for (std::int64_t pc = 0; pc < m; ++pc) {
    const Inst& in = program[static_cast<std::size_t>(pc)];
    const std::string at = " at instruction " + std::to_string(pc);
    auto inside = [&](std::int32_t jump) { return pc + jump >= 0 && pc + jump < m; };
    if (in.op > kMatch) return fail("has an unknown instruction" + at);
    if (in.flags > (in.op == kClass ? kNegate | kFold : 0)) return fail("has unknown flags" + at);
    if (in.op <= kAssert && pc + 1 == m) return fail("ends without a match" + at);
    switch (in.op) {
      case kChar:
        if (in.x < 0 || static_cast<char32_t>(in.x) > kMaxRune) return fail("has a character that is no code point" + at);
        break;
      case kClass:
        if (in.x < 0 || in.y < 0 || std::int64_t{in.x} + in.y > static_cast<std::int64_t>(ranges.size()))
          return fail("has a class outside its ranges" + at);
        break;
      case kAssert:
        if (in.x < kBeginText || in.x > kNotWordBoundary) return fail("has an unknown assertion" + at);
        break;
      case kSplit:
        if (!inside(in.x) || !inside(in.y)) return fail("jumps outside itself" + at);
        break;
      case kJmp:
        if (!inside(in.x)) return fail("jumps outside itself" + at);
        break;
      default:
        break;
    }
  }
  Regex re;
  re.prog_ = std::move(program);
  re.ranges_ = std::move(ranges);
  re.ready();
  return Result<Regex>(std::move(re));
}

bool Regex::search(std::string_view text) const noexcept {
  const std::size_t m = prog_.size();
  if (m == 0) return false;  // moved-from
  std::uint32_t inline_buf[4 * kInlineStates];
  std::unique_ptr<std::uint32_t[]> heap;
  std::uint32_t* buf = inline_buf;
  if (m > kInlineStates) {
    heap.reset(new std::uint32_t[4 * m]);
    buf = heap.get();
  }
  // mark: generation that last added a pc; clist: consuming pcs at this position;
  // nlist: pcs to resume at the next position; stack: the epsilon-closure work list.
  std::uint32_t* mark = buf;
  std::uint32_t* clist = buf + m;
  std::uint32_t* nlist = buf + 2 * m;
  std::uint32_t* stack = buf + 3 * m;
  std::fill(mark, mark + m, 0u);
  std::uint32_t gen = 0;
  std::size_t nc = 0, nn = 0;
  const Inst* prog = prog_.data();
  const Range* ranges = ranges_.data();
  const std::size_t n = text.size();
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };

  std::uint32_t ctx = 0;  // bit per Assertion that holds at the current position
  // Adds pc and everything reachable from it without consuming; true when that reaches Match.
  auto add = [&](std::uint32_t pc0) {
    if (mark[pc0] == gen) return false;
    mark[pc0] = gen;
    if (prog[pc0].op <= kClass) {  // the common case: a consuming instruction
      clist[nc++] = pc0;
      return false;
    }
    std::size_t sp = 0;
    stack[sp++] = pc0;
    auto push = [&](std::uint32_t pc) {
      if (mark[pc] != gen) {
        mark[pc] = gen;
        stack[sp++] = pc;
      }
    };
    while (sp > 0) {
      const std::uint32_t pc = stack[--sp];
      const Inst& in = prog[pc];
      switch (in.op) {
        case kMatch: return true;
        case kJmp: push(static_cast<std::uint32_t>(static_cast<std::int64_t>(pc) + in.x)); break;
        case kSplit:
          push(static_cast<std::uint32_t>(static_cast<std::int64_t>(pc) + in.y));
          push(static_cast<std::uint32_t>(static_cast<std::int64_t>(pc) + in.x));
          break;
        case kAssert:
          if (ctx & (1u << in.x)) push(pc + 1);
          break;
        default: clist[nc++] = pc;
      }
    }
    return false;
  };

  for (std::size_t i = 0;;) {
    if (nn == 0 && skip_) {  // no thread alive: skip to the next byte a match can start with
      while (i < n && ((first_bytes_[byte(i) >> 5] >> (byte(i) & 31)) & 1) == 0) ++i;
      if (i >= n) return false;
    }
    if (++gen == 0) {
      std::fill(mark, mark + m, 0u);
      gen = 1;
    }
    const bool word_before = i > 0 && is_word_byte(byte(i - 1));
    const bool word_after = i < n && is_word_byte(byte(i));
    ctx = (i == 0 ? 1u << kBeginText : 0u) | (i == n ? 1u << kEndText : 0u) |
          (i == 0 || byte(i - 1) == '\n' ? 1u << kBeginLine : 0u) |
          (i == n || byte(i) == '\n' ? 1u << kEndLine : 0u) |
          (word_before != word_after ? 1u << kWordBoundary : 1u << kNotWordBoundary);
    nc = 0;
    for (std::size_t k = 0; k < nn; ++k)
      if (add(nlist[k])) return true;
    if ((!anchored_ || i == 0) && add(0)) return true;
    if (i >= n || (nc == 0 && anchored_)) return false;
    std::size_t next = i;
    const std::uint32_t decoded = utf8::decode(text, next);
    const char32_t c = decoded == utf8::invalid ? kBadRune : decoded;
    nn = 0;
    for (std::size_t k = 0; k < nc; ++k) {
      const std::uint32_t pc = clist[k];
      const Inst& in = prog[pc];
      bool ok = false;
      switch (in.op) {
        case kChar: ok = c == static_cast<char32_t>(in.x); break;
        case kAny: ok = true; break;
        case kAnyNotNL: ok = c != '\n'; break;
        default: {  // kClass
          const Range* r = ranges + in.x;
          const auto size = static_cast<std::size_t>(in.y);
          ok = in_ranges(r, size, c);
          if (!ok && (in.flags & kFold)) {
            char32_t v[3];
            const int nv = case_variants(c, v);
            for (int j = 0; j < nv && !ok; ++j) ok = in_ranges(r, size, v[j]);
          }
          ok = ok != ((in.flags & kNegate) != 0);
        }
      }
      if (ok) nlist[nn++] = pc + 1;
    }
    i = next;
  }
}

}  // namespace ithaca
