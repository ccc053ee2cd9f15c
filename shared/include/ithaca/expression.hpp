// Compiling and evaluating CEL expressions (the subset documented in docs/rule-language.md).
// compile() parses and checks an expression once; a Program is then evaluated many times.
// Contract: compile() returns an Error (kind Parse or Limit, with a byte position) for anything
// outside the subset; evaluate() never fails structurally — it returns a Value, which is of kind
// Error when the expression evaluated to an error (no such key, overflow, division by zero, …).
// Programs are immutable and may be shared; evaluation is bounded by Limits and does not
// allocate unless the expression builds new strings, lists or maps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ithaca/result.hpp"
#include "ithaca/value.hpp"

namespace ithaca {

struct Limits {
  std::size_t max_source_bytes = 16 * 1024;
  int max_nesting = 64;                   // parenthesised/operator/call nesting in the source
  std::size_t max_nodes = 8192;           // AST size
  // AST depth: what recursion over a tree may reach (the evaluator; the compiled-rule-set reader).
  // Chains that nesting does not count (a.b.c…, a + b + c…) deepen it too. In wasm, whose stack
  // is 512 KB, the reader and the evaluator still ran at twice this (docs/compiled-rules.md).
  int max_depth = 1000;
  std::uint64_t max_iterations = 100'000; // comprehension steps in one evaluation
  std::size_t max_value_items = 100'000;  // elements a list/map/string built during evaluation may hold
  // What one evaluation may build, all told: the bytes of strings (and bytes) made by `+` and
  // functions, plus 16 (a Value) per list element and per map key and value that literals, `+`,
  // map() and filter() make.
  // A rule builds a few short strings, if any; 64 MiB is 40 of the largest list the limit above
  // allows, yet a page or a request handler survives it (without it, 2 KB of macros built 6 GB).
  std::uint64_t max_built_bytes = 64u << 20;
  // What `matches` may cost in one evaluation: text bytes × pattern instructions (the engine's
  // linear bound), summed. About a third of a second of matching at most; a user agent of 500
  // bytes against a 200-instruction pattern costs 100,000 of it.
  std::uint64_t max_match_work = 100'000'000;
};

// Where evaluation finds top-level identifiers. A Value map is the usual activation; the rule
// engine layers its own (e.g. `segment`) over the visitor's context without copying it.
class Activation {
 public:
  virtual ~Activation() = default;
  virtual const Value* find(std::string_view name) const noexcept = 0;
  // For the rule engine: slots (initially null) where programs whose attribute paths were
  // numbered together under `table` keep the members they resolved, so that the rules of one
  // decision read each context attribute once. Other activations keep nothing.
  virtual const Value** path_memo(const void* table) const noexcept {
    (void)table;
    return nullptr;
  }
};

// One top-level condition of an expression and what it evaluated to; used to explain decisions.
struct ConditionTrace {
  int begin = 0;  // byte span in the source
  int end = 0;
  Value value;
};

namespace detail {
struct Ast;
struct AstAccess;  // ast.hpp: for the core's own readers and writers of compiled programs
}

class Program {
 public:
  Value evaluate(const Value& context, const Limits& limits = {}) const;
  Value evaluate(const Activation& activation, const Limits& limits = {}) const;

  // Evaluates like evaluate(), and also records the value of each operand of the top-level
  // chain of && (or ||) — the "which conditions were true" of an explanation.
  Value explain(const Activation& activation, std::vector<ConditionTrace>& trace,
                const Limits& limits = {}) const;

  std::string_view source() const noexcept;
  // Every dotted reference to the activation the expression makes, e.g. "device.type",
  // "segment.mobile" (selection chains cut at the first index or call). Sorted, unique.
  const std::vector<std::string>& references() const noexcept;

 private:
  friend Result<Program> compile(std::string_view, const Limits&);
  friend int share_path_ids(const std::vector<const Program*>&, const void*);
  friend struct detail::AstAccess;
  std::shared_ptr<const detail::Ast> ast_;
};

Result<Program> compile(std::string_view source, const Limits& limits = {});

}  // namespace ithaca
