// Recursive-descent parser for the CEL subset, following the grammar of the CEL language
// definition: Expr = Or ["?" Or ":" Expr]; Or = And {"||" And}; And = Relation {"&&" Relation};
// Relation = Addition {relop Addition}; Addition/Multiplication left-associative; Unary;
// Member = Primary {"." IDENT ["(" args ")"] | "[" Expr "]"}.
// Macros (has, all, exists, exists_one, map, filter) expand here; names resolve here; constant
// sub-expressions fold here, so evaluation only sees what depends on the context.
#include <algorithm>
#include <array>

#include "ast.hpp"
#include "heap_sort.hpp"
#include "lexer.hpp"
#include "regex.hpp"

namespace ithaca {

namespace {

constexpr std::array<std::string_view, 17> kReserved = {
    "as", "break", "const", "continue", "else", "for", "function", "if", "import",
    "let", "loop", "package", "namespace", "return", "var", "void", "while"};

struct TypeName {
  std::string_view name;
  Kind kind;
};
constexpr std::array<TypeName, 10> kTypeNames = {{
    {"bool", Kind::Bool}, {"int", Kind::Int}, {"uint", Kind::Uint}, {"double", Kind::Double},
    {"string", Kind::String}, {"bytes", Kind::Bytes}, {"list", Kind::List}, {"map", Kind::Map},
    {"null_type", Kind::Null}, {"type", Kind::Type}}};

class Parser {
 public:
  Parser(std::vector<Token> tokens, const Limits& limits) : t_(std::move(tokens)), limits_(limits) {}

  Result<std::unique_ptr<Node>> parse() {
    auto root = expr();
    if (!root) return error_;
    if (peek().kind != Tok::End) {
      fail(std::string("unexpected ") + describe(peek().kind) + " after the expression", peek().begin);
      return error_;
    }
    return root;
  }

  int max_slots() const { return max_slots_; }

 private:
  using NodePtr = std::unique_ptr<Node>;

  const Token& peek(int ahead = 0) const {
    std::size_t k = std::min(pos_ + static_cast<std::size_t>(ahead), t_.size() - 1);
    return t_[k];
  }
  const Token& take() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }
  bool accept(Tok k) {
    if (peek().kind != k) return false;
    take();
    return true;
  }

  NodePtr fail(std::string message, int at) {
    if (error_.message.empty()) error_ = Error{ErrorKind::Parse, std::move(message), at, {}};
    return nullptr;
  }
  bool expect(Tok k, const char* context) {
    if (accept(k)) return true;
    fail(std::string("expected ") + describe(k) + " " + context + ", found " + describe(peek().kind),
         peek().begin);
    return false;
  }

  NodePtr make(Op op, int begin, int end) {
    if (++nodes_ > limits_.max_nodes) {
      return fail("expression has more than " + std::to_string(limits_.max_nodes) + " nodes", begin);
    }
    auto n = std::make_unique<Node>();
    n->op = op;
    n->begin = begin;
    n->end = end;
    n->at = begin;
    return n;
  }
  // An error of a binary operation is reported at the start of the operation, `a`'s start
  // (before any parentheses around `a` widened its span).
  NodePtr binary(Op op, NodePtr a, NodePtr b) {
    auto n = make(op, a->begin, b->end);
    if (!n) return nullptr;
    n->at = a->at;
    n->kids.push_back(std::move(a));
    n->kids.push_back(std::move(b));
    return n;
  }

  // Nesting guard for every recursive production.
  struct Depth {
    Parser& p;
    bool ok;
    explicit Depth(Parser& parser) : p(parser), ok(++parser.depth_ <= parser.limits_.max_nesting) {}
    ~Depth() { --p.depth_; }
  };
  NodePtr too_deep() {
    return fail("expression nests deeper than " + std::to_string(limits_.max_nesting) + " levels",
                peek().begin);
  }

  // Nesting is counted where the tree really deepens: a primary (parentheses, lists, maps,
  // calls), a unary operator, and the else-branch of ?: — so 32 levels of parentheses are 32.
  NodePtr expr() {
    auto cond = logical(Op::Or);
    if (!cond) return nullptr;
    if (!accept(Tok::Question)) return cond;
    auto yes = logical(Op::Or);
    if (!yes) return nullptr;
    if (!expect(Tok::Colon, "in a conditional (a ? b : c)")) return nullptr;
    Depth d(*this);
    if (!d.ok) return too_deep();
    auto no = expr();
    if (!no) return nullptr;
    auto n = make(Op::Cond, cond->begin, no->end);
    if (!n) return nullptr;
    n->kids.push_back(std::move(cond));
    n->kids.push_back(std::move(yes));
    n->kids.push_back(std::move(no));
    return fold(std::move(n));
  }

  // || over && over relations; both flattened into n-ary nodes.
  NodePtr logical(Op op) {
    const Tok tok = op == Op::Or ? Tok::OrOr : Tok::AndAnd;
    auto first = op == Op::Or ? logical(Op::And) : relation();
    if (!first || peek().kind != tok) return first;
    auto n = make(op, first->begin, first->end);
    if (!n) return nullptr;
    n->kids.push_back(std::move(first));
    while (accept(tok)) {
      auto next = op == Op::Or ? logical(Op::And) : relation();
      if (!next) return nullptr;
      n->end = next->end;
      n->kids.push_back(std::move(next));
    }
    return fold(std::move(n));
  }

  NodePtr relation() {
    auto left = addition();
    while (left) {
      Op op;
      switch (peek().kind) {
        case Tok::EqEq: op = Op::Eq; break;
        case Tok::NotEq: op = Op::Ne; break;
        case Tok::Less: op = Op::Lt; break;
        case Tok::LessEq: op = Op::Le; break;
        case Tok::Greater: op = Op::Gt; break;
        case Tok::GreaterEq: op = Op::Ge; break;
        case Tok::In: op = Op::In; break;
        default: return left;
      }
      take();
      auto right = addition();
      if (!right) return nullptr;
      left = fold(binary(op, std::move(left), std::move(right)));
    }
    return left;
  }

  NodePtr addition() {
    auto left = multiplication();
    while (left && (peek().kind == Tok::Plus || peek().kind == Tok::Minus)) {
      const Op op = take().kind == Tok::Plus ? Op::Add : Op::Sub;
      auto right = multiplication();
      if (!right) return nullptr;
      left = fold(binary(op, std::move(left), std::move(right)));
    }
    return left;
  }

  NodePtr multiplication() {
    auto left = unary();
    while (left && (peek().kind == Tok::Star || peek().kind == Tok::Slash || peek().kind == Tok::Percent)) {
      const Tok k = take().kind;
      const Op op = k == Tok::Star ? Op::Mul : k == Tok::Slash ? Op::Div : Op::Mod;
      auto right = unary();
      if (!right) return nullptr;
      left = fold(binary(op, std::move(left), std::move(right)));
    }
    return left;
  }

  NodePtr unary() {
    if (peek().kind == Tok::Bang || peek().kind == Tok::Minus) {
      Depth d(*this);
      if (!d.ok) return too_deep();
      const Token& op = take();
      const int begin = op.begin;
      const bool negate = op.kind == Tok::Minus;
      // A minus directly on a number literal is part of the literal, so that
      // -9223372036854775808 is a valid int.
      if (negate && (peek().kind == Tok::Int || peek().kind == Tok::Double) &&
          peek(1).kind != Tok::Dot && peek(1).kind != Tok::LBracket) {
        const Token& lit = take();
        auto n = make(Op::Literal, begin, lit.end);
        if (!n) return nullptr;
        if (lit.kind == Tok::Double) n->value = Value::real(-lit.number);
        else n->value = Value::integer(static_cast<std::int64_t>(0 - lit.bits));
        return n;
      }
      auto operand = unary();
      if (!operand) return nullptr;
      auto n = make(negate ? Op::Negate : Op::Not, begin, operand->end);
      if (!n) return nullptr;
      n->kids.push_back(std::move(operand));
      return fold(std::move(n));
    }
    return member();
  }

  NodePtr member() {
    auto n = primary();
    while (n) {
      if (accept(Tok::Dot)) {
        const Token& name = peek();
        if (name.kind != Tok::Ident) {
          if (name.kind == Tok::Question) return fail("optional field selection '.?' is not supported", name.begin);
          return fail(std::string("expected a field name after '.', found ") + describe(name.kind), name.begin);
        }
        take();
        if (!name.backquoted && peek().kind == Tok::LParen) {
          take();
          n = call(name, std::move(n));
        } else {
          auto sel = make(Op::Select, n->begin, name.end);
          if (!sel) return nullptr;
          sel->name = name.text;
          sel->kids.push_back(std::move(n));
          n = std::move(sel);  // not folded: has() must still see the selection
        }
      } else if (peek().kind == Tok::LBracket) {
        take();
        if (peek().kind == Tok::Question) return fail("optional index '[?' is not supported", peek().begin);
        auto index = expr();
        if (!index) return nullptr;
        const int end = peek().end;
        if (!expect(Tok::RBracket, "after an index")) return nullptr;
        auto idx = binary(Op::Index, std::move(n), std::move(index));
        if (!idx) return nullptr;
        idx->end = end;
        n = fold(std::move(idx));
      } else if (peek().kind == Tok::LBrace && n->op == Op::Ident) {
        return fail("message construction (Type{...}) is not supported", peek().begin);
      } else {
        break;
      }
    }
    return n;
  }

  // A comma-separated list up to `close`; a trailing comma only where the grammar allows one
  // (list literals — not calls or macros).
  bool args(std::vector<NodePtr>& out, Tok close, const char* what, bool trailing_comma = false) {
    if (accept(close)) return true;
    for (;;) {
      auto a = expr();
      if (!a) return false;
      out.push_back(std::move(a));
      if (accept(Tok::Comma)) {
        if (trailing_comma && accept(close)) return true;
        continue;
      }
      return expect(close, what);
    }
  }

  NodePtr primary() {
    Depth d(*this);
    if (!d.ok) return too_deep();
    const Token& t = peek();
    switch (t.kind) {
      case Tok::Int: case Tok::Uint: case Tok::Double: case Tok::String: case Tok::Bytes:
      case Tok::True: case Tok::False: case Tok::Null: {
        take();
        auto n = make(Op::Literal, t.begin, t.end);
        if (!n) return nullptr;
        switch (t.kind) {
          case Tok::Int:
            if (t.bits > 9223372036854775807ull) return fail("integer literal out of range", t.begin);
            n->value = Value::integer(static_cast<std::int64_t>(t.bits));
            break;
          case Tok::Uint: n->value = Value::uinteger(t.bits); break;
          case Tok::Double: n->value = Value::real(t.number); break;
          case Tok::String: n->value = Value::string(t.text); break;
          case Tok::Bytes: n->value = Value::bytes(t.text); break;
          case Tok::True: n->value = Value::boolean(true); break;
          case Tok::False: n->value = Value::boolean(false); break;
          default: break;
        }
        return n;
      }
      case Tok::LParen: {
        take();
        auto inner = expr();
        if (!inner) return nullptr;
        const int close = peek().end;
        if (!expect(Tok::RParen, "to close '('")) return nullptr;
        // The parentheses belong to the sub-expression's text, so `!(a || b)` explains whole.
        inner->begin = t.begin;
        inner->end = close;
        return inner;
      }
      case Tok::LBracket: {
        take();
        auto n = make(Op::MakeList, t.begin, t.end);
        if (!n) return nullptr;
        if (!args(n->kids, Tok::RBracket, "to close a list", true)) return nullptr;
        n->end = t_[pos_ - 1].end;
        return fold(std::move(n));
      }
      case Tok::LBrace: {
        take();
        auto n = make(Op::MakeMap, t.begin, t.end);
        if (!n) return nullptr;
        if (!accept(Tok::RBrace)) {
          for (;;) {
            auto k = expr();
            if (!k) return nullptr;
            if (!expect(Tok::Colon, "between a map key and its value")) return nullptr;
            auto v = expr();
            if (!v) return nullptr;
            n->kids.push_back(std::move(k));
            n->kids.push_back(std::move(v));
            if (accept(Tok::Comma)) {
              if (accept(Tok::RBrace)) break;
              continue;
            }
            if (!expect(Tok::RBrace, "to close a map")) return nullptr;
            break;
          }
        }
        n->end = t_[pos_ - 1].end;
        return fold(std::move(n));
      }
      case Tok::Dot:
        return fail("leading '.' (root-scoped names) is not supported", t.begin);
      case Tok::Ident: {
        take();
        if (t.backquoted) return fail("a backquoted name can only follow '.'", t.begin);
        if (std::find(kReserved.begin(), kReserved.end(), t.text) != kReserved.end())
          return fail("'" + t.text + "' is a reserved word", t.begin);
        if (peek().kind == Tok::LParen) {
          take();
          return call(t, nullptr);
        }
        return identifier(t);
      }
      default:
        return fail(std::string("unexpected ") + describe(t.kind) + ", expected a value", t.begin);
    }
  }

  NodePtr identifier(const Token& t) {
    for (int k = static_cast<int>(scopes_.size()) - 1; k >= 0; --k) {
      if (scopes_[k] == t.text) {
        auto n = make(Op::IterVar, t.begin, t.end);
        if (!n) return nullptr;
        n->slot = k;
        n->name = t.text;
        return n;
      }
    }
    for (const auto& tn : kTypeNames) {
      if (tn.name == t.text) {
        auto n = make(Op::Literal, t.begin, t.end);
        if (!n) return nullptr;
        n->value = Value::type(tn.kind);
        return n;
      }
    }
    auto n = make(Op::Ident, t.begin, t.end);
    if (!n) return nullptr;
    n->name = t.text;
    return n;
  }

  // name(...) or target.name(...); the '(' is consumed.
  NodePtr call(const Token& name, NodePtr target) {
    const int begin = target ? target->begin : name.begin;
    if (name.text == "has" && !target) return has_macro(name);
    if (target && (name.text == "all" || name.text == "exists" || name.text == "exists_one" ||
                   name.text == "map" || name.text == "filter"))
      return comprehension(name, std::move(target));
    std::vector<NodePtr> kids;
    if (target) kids.push_back(std::move(target));
    if (!args(kids, Tok::RParen, "to close the argument list")) return nullptr;
    const int end = t_[pos_ - 1].end;
    const Fn fn = lookup_function(name.text);
    if (fn == Fn::None) return fail("unknown function '" + name.text + "'", name.begin);
    std::string bad = check_arity(fn, kids.size(), begin != name.begin);
    if (!bad.empty()) return fail(bad, name.begin);
    auto n = make(Op::Call, begin, end);
    if (!n) return nullptr;
    n->fn = fn;
    n->name = name.text;
    n->kids = std::move(kids);
    if (fn == Fn::Matches && n->kids[1]->op == Op::Literal && n->kids[1]->value.is_string()) {
      auto re = Regex::compile(n->kids[1]->value.as_string());
      if (!re.ok()) {
        const Node& pat = *n->kids[1];
        return fail("invalid regular expression: " + re.error().message +
                        (re.error().position >= 0 ? " (at pattern offset " + std::to_string(re.error().position) + ")" : ""),
                    pat.begin);
      }
      n->regex = std::make_shared<const Regex>(std::move(re).value());
    }
    return fold(std::move(n));
  }

  NodePtr has_macro(const Token& name) {
    auto arg = expr();
    if (!arg) return nullptr;
    const int end = peek().end;
    if (!expect(Tok::RParen, "to close has(")) return nullptr;
    if (arg->op != Op::Select) return fail("has() needs a field selection, e.g. has(device.type)", arg->begin);
    arg->op = Op::Has;
    arg->begin = name.begin;
    arg->end = end;
    return arg;
  }

  NodePtr comprehension(const Token& name, NodePtr range) {
    const Token& var = peek();
    if (var.kind != Tok::Ident || var.backquoted)
      return fail("the first argument of " + name.text + "() must be a variable name", var.begin);
    if (std::find(kReserved.begin(), kReserved.end(), var.text) != kReserved.end())
      return fail("'" + var.text + "' is a reserved word", var.begin);
    take();
    if (static_cast<int>(scopes_.size()) >= kMaxIterSlots)
      return fail("comprehensions nest deeper than " + std::to_string(kMaxIterSlots) + " levels", name.begin);
    if (!expect(Tok::Comma, "after the comprehension variable")) return nullptr;
    const int slot = static_cast<int>(scopes_.size());
    scopes_.push_back(var.text);
    max_slots_ = std::max(max_slots_, slot + 1);
    std::vector<NodePtr> body;
    bool ok = args(body, Tok::RParen, "to close the macro");
    scopes_.pop_back();
    if (!ok) return nullptr;
    Op op;
    std::size_t want = 1;
    if (name.text == "all") op = Op::All;
    else if (name.text == "exists") op = Op::Exists;
    else if (name.text == "exists_one") op = Op::ExistsOne;
    else if (name.text == "filter") op = Op::Filter;
    else { op = Op::MapMacro; want = body.size() == 2 ? 2 : 1; }
    if (body.size() != want)
      return fail(name.text + "() takes a variable and " + (op == Op::MapMacro ? "one or two expressions" : "one expression"),
                  name.begin);
    auto n = make(op, range->begin, t_[pos_ - 1].end);
    if (!n) return nullptr;
    n->slot = slot;
    n->name = name.text;
    n->kids.push_back(std::move(range));
    for (auto& b : body) n->kids.push_back(std::move(b));
    return n;
  }

  // Replaces a node whose operands are all literals by the literal it evaluates to.
  NodePtr fold(NodePtr n) {
    if (!n) return nullptr;
    if (n->op == Op::Literal || n->op == Op::Ident || n->op == Op::IterVar) return n;
    for (const auto& k : n->kids)
      if (k->op != Op::Literal) return n;
    struct Empty final : Activation {
      const Value* find(std::string_view) const noexcept override { return nullptr; }
    } empty;
    Value v = evaluate_node(*n, empty, limits_, nullptr);
    n->op = Op::Literal;
    n->value = std::move(v);
    n->kids.clear();
    n->regex.reset();
    return n;
  }

  std::vector<Token> t_;
  const Limits& limits_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::size_t nodes_ = 0;
  std::vector<std::string> scopes_;
  int max_slots_ = 0;
  Error error_;
};

// "device.type" for Select chains rooted at an identifier; stops at calls and indexes.
void collect_references(const Node& n, std::vector<std::string>& out) {
  if (n.op == Op::Ident || n.op == Op::Select || n.op == Op::Has) {
    std::string path;
    const Node* at = &n;
    std::vector<const std::string*> parts;
    while (at->op == Op::Select || at->op == Op::Has) {
      parts.push_back(&at->name);
      at = at->kids[0].get();
    }
    if (at->op == Op::Ident) {
      path = at->name;
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) path += "." + **it;
      out.push_back(std::move(path));
      return;
    }
  }
  for (const auto& k : n.kids) collect_references(*k, out);
}

}  // namespace

// Without recursing once per level: a wasm stack holds only a few thousand levels of
// destructors, and the parser builds (then refuses) trees up to max_nodes deep.
Node::~Node() {
  std::vector<std::unique_ptr<Node>> pending;
  for (auto& kid : kids)
    if (kid) pending.push_back(std::move(kid));
  while (!pending.empty()) {
    std::unique_ptr<Node> n = std::move(pending.back());
    pending.pop_back();
    for (auto& kid : n->kids)
      if (kid) pending.push_back(std::move(kid));  // a tree read partly (compiled_ruleset.cpp) has empty places
    n->kids.clear();
  }
}

namespace {

// Depth of a tree the parser built (up to max_nodes deep), walked without recursion.
int tree_depth(const Node& root) {
  int deepest = 0;
  std::vector<std::pair<const Node*, int>> todo{{&root, 1}};
  while (!todo.empty()) {
    const auto [node, depth] = todo.back();
    todo.pop_back();
    deepest = std::max(deepest, depth);
    for (const auto& kid : node->kids) todo.emplace_back(kid.get(), depth + 1);
  }
  return deepest;
}

}  // namespace

Result<Program> compile(std::string_view source, const Limits& limits) {
  if (source.size() > limits.max_source_bytes)
    return Error{ErrorKind::Limit,
                 "expression is " + std::to_string(source.size()) + " bytes, over the limit of " +
                     std::to_string(limits.max_source_bytes),
                 static_cast<int>(limits.max_source_bytes), {}};
  auto tokens = tokenize(source);
  if (!tokens.ok()) return tokens.error();
  if (tokens.value().size() == 1) return Error{ErrorKind::Parse, "empty expression", 0, {}};
  Parser parser(std::move(tokens).value(), limits);
  auto root = parser.parse();
  if (!root.ok()) return root.error();
  if (const int depth = tree_depth(*root.value()); depth > limits.max_depth)
    return Error{ErrorKind::Limit,
                 "expression's syntax tree is " + std::to_string(depth) + " levels deep, over the limit of " +
                     std::to_string(limits.max_depth),
                 0, {}};
  auto ast = std::make_shared<detail::Ast>();
  ast->source = std::string(source);
  ast->root = std::move(root).value();
  ast->iter_slots = parser.max_slots();
  collect_references(*ast->root, ast->references);
  heap_sort(ast->references.data(), ast->references.size());
  ast->references.erase(std::unique(ast->references.begin(), ast->references.end()), ast->references.end());
  compile_paths(*ast);
  Program program;
  program.ast_ = std::move(ast);
  return program;
}

}  // namespace ithaca
