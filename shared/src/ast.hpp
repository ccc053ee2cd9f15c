// The compiled form of an expression: a tree of nodes, each with its byte span in the source.
// Names are resolved at compile time (functions to ids, iteration variables to slots), so
// evaluation does no lookups beyond the activation's members.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ithaca/expression.hpp"
#include "ithaca/value.hpp"

namespace ithaca {

class Regex;  // regex.hpp

inline constexpr int kMaxIterSlots = 16;

enum class Op : std::uint8_t {
  Literal,     // value
  Ident,       // name: looked up in the activation
  IterVar,     // slot: a comprehension variable
  Select,      // kids[0].name
  Path,        // path[0].path[1]…: a selection chain from an identifier, resolved in one walk
  Has,         // has(kids[0].name)
  Index,       // kids[0][kids[1]]
  MakeList,    // [kids...]
  MakeMap,     // {kids[0]: kids[1], ...}
  Not, Negate,
  Add, Sub, Mul, Div, Mod,
  Eq, Ne, Lt, Le, Gt, Ge, In,
  And, Or,     // n-ary, CEL's commutative error absorption
  Cond,        // kids[0] ? kids[1] : kids[2]
  Call,        // fn(kids...) — receiver calls put the receiver first
  All, Exists, ExistsOne, MapMacro, Filter,  // kids: range, [filter], step; slot: variable
};

enum class Fn : std::uint8_t {
  None,
  Size, Contains, StartsWith, EndsWith, Matches,
  ToInt, ToUint, ToDouble, ToString, ToBool, ToBytes, ToTimestamp, ToDuration, Dyn, TypeOf,
  GetFullYear, GetMonth, GetDate, GetDayOfMonth, GetDayOfWeek, GetDayOfYear,
  GetHours, GetMinutes, GetSeconds, GetMilliseconds,
  LowerAscii, UpperAscii, Trim,
};

struct Node {
  Op op = Op::Literal;
  Fn fn = Fn::None;
  std::int32_t begin = 0;  // byte span in the source
  std::int32_t end = 0;
  std::int32_t at = 0;     // where an error of this node is reported: the start of the sub-expression,
                           // before parentheses around it widened `begin`
  std::int32_t slot = -1;  // IterVar / comprehension variable slot; Path: its id in the memo, or -1
  std::string name;        // Ident, Select/Has field; Call: the function's name as written
  std::vector<std::string> path;  // Path
  Value value;             // Literal
  std::vector<std::unique_ptr<Node>> kids;
  std::shared_ptr<const Regex> regex;  // Matches with a constant pattern, compiled once

  Node() = default;
  Node(Node&&) = default;
  Node& operator=(Node&&) = default;
  // Frees the subtree without recursing once per level (parser.cpp).
  ~Node();
};

namespace detail {
struct Ast {
  std::string source;
  std::unique_ptr<Node> root;
  std::vector<std::string> references;
  int iter_slots = 0;  // comprehension variables in scope at once, at most
  int path_ids = 0;    // how many Path ids the nodes use (compile_paths / share_path_ids)
  const void* path_table = nullptr;  // set when the ids are shared with other programs (a rule set)
};

// A program's tree, and a program made from a tree (compiled_ruleset.cpp writes and reads them).
struct AstAccess {
  static const Ast& of(const Program& program) noexcept { return *program.ast_; }
  static Program make(std::shared_ptr<const Ast> ast) {
    Program program;
    program.ast_ = std::move(ast);
    return program;
  }
};
}  // namespace detail

// Evaluation entry point used by Program (evaluator.cpp). `iter_slots` is how many
// comprehension variables the tree may bind at once (0: none, so no storage is set up).
// `memo`, when given, holds a slot per Path id (initially null) where resolved paths are kept.
Value evaluate_node(const Node& node, const Activation& activation, const Limits& limits,
                    std::vector<ConditionTrace>* trace, int iter_slots = kMaxIterSlots,
                    const Value** memo = nullptr);

// The spans explain() records a value for, in order: each operand of the root's && / || chain, or
// the root itself (evaluator.cpp, beside the code that records them). They do not depend on the
// data, so a rule set's loader finds them once.
std::vector<std::pair<std::int32_t, std::int32_t>> traced_spans(const Node& root);

// Rewrites selection chains rooted at identifiers into Path nodes (after references are taken)
// and numbers the paths the expression reads more than once, so one evaluation walks each once.
void compile_paths(detail::Ast& ast);

// Numbers the paths of freshly compiled programs together (equal paths, one id), marking them
// with `table`; an Activation whose path_memo(table) answers then lets all of them share what
// they resolved. Returns how many ids there are. For the rule-set loader, before sharing.
int share_path_ids(const std::vector<const Program*>& programs, const void* table);

// What one evaluation has spent of the budgets in Limits (besides iteration steps).
struct Spent {
  std::uint64_t built_bytes = 0;  // Limits::max_built_bytes
  std::uint64_t match_work = 0;   // Limits::max_match_work
};

// Applies a built-in function to evaluated arguments (functions.cpp). `node` carries the
// function id and, for `matches`, a precompiled pattern; `matches` charges its work to `spent`.
Value call_function(const Node& node, const Value* const* args, std::size_t count, const Limits& limits,
                    Spent& spent);

// The error of an evaluation that went over one of its Limits: "WHAT over the limit of LIMIT UNIT".
Value over_limit(const char* what, std::uint64_t limit, const char* unit);

// Arity check for compile time: returns an error message, or empty when `fn` accepts `count`
// arguments (receiver included) in the given call style.
std::string check_arity(Fn fn, std::size_t count, bool receiver_style);
Fn lookup_function(std::string_view name);

}  // namespace ithaca
