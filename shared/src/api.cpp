#include "ithaca/api.hpp"

#include "ithaca/compiled_ruleset.hpp"
#include "ithaca/expression.hpp"
#include "ithaca/json.hpp"
#include "ithaca/ruleset.hpp"

namespace ithaca {

namespace {

std::string error_json(const char* kind, std::string_view message, int position) {
  std::string out = "{\"error\":{\"kind\":\"";
  out += kind;
  out += "\",\"message\":";
  append_json_string(message, out);
  if (position >= 0) {
    out += ",\"position\":";
    out += std::to_string(position);
  }
  out += "}}";
  return out;
}

std::string evaluate_value(std::string_view expr, const Value& context) {
  auto program = compile(expr);
  if (!program.ok()) return error_json("parse", program.error().message, program.error().position);
  Value v = program.value().evaluate(context);
  if (v.is_error()) return error_json("eval", v.as_string(), v.error_position());
  std::string out = "{\"value\":";
  append_json(v, out);
  out += '}';
  return out;
}

}  // namespace

std::string evaluate_json(std::string_view expr, std::string_view context_json) {
  Value context = Value::map(Map());
  if (context_json.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    auto parsed = parse_json(context_json);
    if (!parsed.ok()) return error_json("parse", "context: " + parsed.error().message, -1);
    if (!parsed.value().is_map()) return error_json("parse", "context must be a JSON object", -1);
    context = std::move(parsed).value();
  }
  return evaluate_value(expr, context);
}

std::string evaluate_batch_line(std::string_view line) {
  auto parsed = parse_json(line);
  if (!parsed.ok()) return error_json("parse", "input line: " + parsed.error().message, -1);
  const Value& doc = parsed.value();
  if (!doc.is_map()) return error_json("parse", "input line must be a JSON object {\"expr\": …, \"context\": {…}}", -1);
  const Value* expr = doc.find("expr");
  if (!expr || !expr->is_string()) return error_json("parse", "input line needs \"expr\" as a string", -1);
  const Value* context = doc.find("context");
  if (context && !context->is_null() && !context->is_map())
    return error_json("parse", "\"context\" must be a JSON object", -1);
  return evaluate_value(expr->as_string(), context && context->is_map() ? *context : Value::map(Map()));
}

namespace {

void append_errors(const std::vector<Error>& errors, std::string& out) {
  out += "[";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    const Error& e = errors[i];
    if (i) out += ',';
    out += "{\"path\":";
    append_json_string(e.path, out);
    out += ",\"kind\":\"";
    out += to_string(e.kind);
    out += "\",\"message\":";
    append_json_string(e.message, out);
    if (e.position >= 0) out += ",\"position\":" + std::to_string(e.position);
    out += '}';
  }
  out += "]";
}

}  // namespace

std::string check_rules_json(std::string_view rules_json) {
  LoadResult loaded = load_ruleset(rules_json);
  std::string out;
  if (!loaded.ok()) {
    out = "{\"ok\":false,\"errors\":";
    append_errors(loaded.errors, out);
    out += '}';
    return out;
  }
  const Value& doc = loaded.rules->document();
  auto count = [&](const char* key) {
    const Value* v = doc.find(key);
    return std::to_string(v && v->is_map() ? v->as_map().size() : 0);
  };
  out = "{\"ok\":true,\"site\":";
  append_json_string(loaded.rules->site(), out);
  out += ",\"slots\":" + count("slots") + ",\"segments\":" + count("segments") +
         ",\"experiments\":" + count("experiments") + "}";
  return out;
}

std::string decide_json(std::string_view rules_json, std::string_view context_json) {
  LoadResult loaded = load_ruleset_or_compiled(rules_json);
  if (!loaded.ok()) {
    std::string out = "{\"error\":{\"kind\":\"load\",\"message\":\"the rule set does not load\",\"errors\":";
    append_errors(loaded.errors, out);
    out += "}}";
    return out;
  }
  return decide_json(*loaded.rules, context_json);
}

std::string decide_json(const RuleSet& rules, std::string_view context_json, const DecideOptions& options) {
  auto context = parse_json(context_json);
  if (!context.ok()) return error_json("parse", "context: " + context.error().message, -1);
  if (!context.value().is_map()) return error_json("parse", "context must be a JSON object", -1);
  return decide_to_json(rules, context.value(), options);
}

}  // namespace ithaca
