// The JSON-in/JSON-out facade (api.cpp) behind `ithaca eval` and `ithaca eval --batch`.
#include "ithaca/api.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ithaca/json.hpp"
#include "testing/files.hpp"

namespace ithaca {
namespace {

struct EvalCase {
  const char* expr;
  const char* context;
  const char* json;  // the exact output
};

void PrintTo(const EvalCase& c, std::ostream* os) { *os << c.expr << "  with " << c.context; }

class EvaluateJson : public ::testing::TestWithParam<EvalCase> {};

TEST_P(EvaluateJson, WritesTheExactOutput) {
  EXPECT_EQ(evaluate_json(GetParam().expr, GetParam().context), GetParam().json);
}

INSTANTIATE_TEST_SUITE_P(Values, EvaluateJson, ::testing::Values(
    EvalCase{"1 + 1", "", R"({"value":2})"},
    EvalCase{"1u", "", R"({"value":1})"},
    EvalCase{"1.0", "", R"({"value":1.0})"},
    EvalCase{"0.5 * 3.0", "", R"({"value":1.5})"},
    EvalCase{"1e100", "", R"({"value":1e+100})"},
    EvalCase{"0.0 / 0.0", "", R"({"value":"NaN"})"},
    EvalCase{"[1.0 / 0.0, -1.0 / 0.0]", "", R"({"value":["Infinity","-Infinity"]})"},
    EvalCase{"9223372036854775807", "", R"({"value":9223372036854775807})"},
    EvalCase{"-9223372036854775808", "", R"({"value":-9223372036854775808})"},
    EvalCase{"18446744073709551615u", "", R"({"value":18446744073709551615})"},
    EvalCase{"true", "", R"({"value":true})"},
    EvalCase{"null", "", R"({"value":null})"},
    EvalCase{"'a\"b\\\\c\\n\\u0001'", "", R"({"value":"a\"b\\c\n\u0001"})"},
    EvalCase{"'\xc3\xa9\xf0\x9f\x98\x80'", "", "{\"value\":\"\xc3\xa9\xf0\x9f\x98\x80\"}"},
    EvalCase{"b'\\xff\\x00'", "", R"({"value":"/wA="})"},
    EvalCase{"[1, 'a', [true]]", "", R"({"value":[1,"a",[true]]})"},
    EvalCase{"{'b': 1, 'a': {}}", "", R"({"value":{"b":1,"a":{}}})"},
    EvalCase{"{1: 'a', true: 'b', 2u: 'c'}", "", R"({"value":{"1":"a","true":"b","2":"c"}})"},
    EvalCase{"timestamp('2024-01-01T00:00:00+01:00')", "", R"({"value":"2023-12-31T23:00:00Z"})"},
    EvalCase{"duration('90m')", "", R"({"value":"5400s"})"},
    EvalCase{"int", "", R"({"value":"int"})"},
    EvalCase{"type(timestamp(0))", "", R"({"value":"google.protobuf.Timestamp"})"},
    EvalCase{"device.type", R"({"device": {"type": "mobile"}})", R"({"value":"mobile"})"},
    EvalCase{"x", R"({"x": 18446744073709551615})", R"({"value":18446744073709551615})"},
    EvalCase{"x", R"({"x": 2.0})", R"({"value":2.0})"},
    EvalCase{"x", "  {\"x\": 1}\n", R"({"value":1})"},
    EvalCase{"1", "   \n", R"({"value":1})"}));

INSTANTIATE_TEST_SUITE_P(Errors, EvaluateJson, ::testing::Values(
    EvalCase{"1 +", "", R"({"error":{"kind":"parse","message":"unexpected end of expression, expected a value","position":3}})"},
    EvalCase{"'\xc3\xa9' + \xc3\xa9", "", R"({"error":{"kind":"parse","message":"unexpected character outside a string","position":7}})"},
    EvalCase{"f(1)", "", R"({"error":{"kind":"parse","message":"unknown function 'f'","position":0}})"},
    EvalCase{"", "", R"({"error":{"kind":"parse","message":"empty expression","position":0}})"},
    // An evaluation error carries the offset of the sub-expression that produced it.
    EvalCase{"1 / 0", "", R"({"error":{"kind":"eval","message":"division by zero","position":0}})"},
    EvalCase{"1 + 2 * (3 / 0)", "", R"({"error":{"kind":"eval","message":"division by zero","position":9}})"},
    EvalCase{"missing", "{}", R"({"error":{"kind":"eval","message":"undeclared reference to 'missing'","position":0}})"},
    EvalCase{"true && missing", "{}", R"({"error":{"kind":"eval","message":"undeclared reference to 'missing'","position":8}})"},
    EvalCase{"a.b", R"({"a": {}})", R"({"error":{"kind":"eval","message":"no such key: 'b'","position":0}})"},
    EvalCase{"1 + a.b", R"({"a": {}})", R"({"error":{"kind":"eval","message":"no such key: 'b'","position":4}})"},
    EvalCase{"x", R"({"x": [1,})",
             R"({"error":{"kind":"parse","message":"context: invalid JSON at line 1, column 10: unexpected character '}', expected a value"}})"},
    EvalCase{"x", "[1]", R"({"error":{"kind":"parse","message":"context must be a JSON object"}})"},
    EvalCase{"x", "null", R"({"error":{"kind":"parse","message":"context must be a JSON object"}})"}));

TEST(EvaluateJson, LimitErrorsComeBackAsParseErrorsWithAPosition) {
  const std::string huge = "'" + std::string(20000, 'x') + "'";
  const std::string out = evaluate_json(huge, "");
  EXPECT_EQ(out.rfind(R"({"error":{"kind":"parse","message":"expression is 20002 bytes, over the limit of 16384")", 0), 0u)
      << out;
  EXPECT_NE(out.find(R"("position":16384)"), std::string::npos) << out;
}

// ---- batch lines ----

struct BatchCase {
  const char* line;
  const char* json;
};

void PrintTo(const BatchCase& c, std::ostream* os) { *os << c.line; }

class BatchLine : public ::testing::TestWithParam<BatchCase> {};

TEST_P(BatchLine, WritesTheExactOutput) {
  EXPECT_EQ(evaluate_batch_line(GetParam().line), GetParam().json);
}

INSTANTIATE_TEST_SUITE_P(Lines, BatchLine, ::testing::Values(
    BatchCase{R"({"expr": "1 + 1"})", R"({"value":2})"},
    BatchCase{R"({"expr": "a.b", "context": {"a": {"b": [1, 2.5, "x"]}}})", R"({"value":[1,2.5,"x"]})"},
    BatchCase{R"({"context": {"x": 3}, "expr": "x * 2"})", R"({"value":6})"},
    BatchCase{R"({"expr": "1", "context": null})", R"({"value":1})"},
    BatchCase{R"({"expr": "1", "extra": true})", R"({"value":1})"},
    BatchCase{R"(  {"expr": "'\u00e9'"}  )", "{\"value\":\"\xc3\xa9\"}"},
    BatchCase{R"({"expr": "1 +"})", R"({"error":{"kind":"parse","message":"unexpected end of expression, expected a value","position":3}})"},
    BatchCase{R"({"expr": "1/0"})", R"({"error":{"kind":"eval","message":"division by zero","position":0}})"},
    BatchCase{R"({"expr": "b + a", "context": {"b": 1}})", R"({"error":{"kind":"eval","message":"undeclared reference to 'a'","position":4}})"}));

INSTANTIATE_TEST_SUITE_P(MalformedLines, BatchLine, ::testing::Values(
    BatchCase{"", R"({"error":{"kind":"parse","message":"input line: invalid JSON at line 1, column 1: unexpected end of input, expected a value"}})"},
    BatchCase{"not json", R"({"error":{"kind":"parse","message":"input line: invalid JSON at line 1, column 1: unexpected character 'n', expected a value"}})"},
    BatchCase{R"({"expr": "1")", R"({"error":{"kind":"parse","message":"input line: invalid JSON at line 1, column 13: expected ',' or '}' in object"}})"},
    BatchCase{"[1]", R"({"error":{"kind":"parse","message":"input line must be a JSON object {\"expr\": …, \"context\": {…}}"}})"},
    BatchCase{R"({"expr": 1})", R"({"error":{"kind":"parse","message":"input line needs \"expr\" as a string"}})"},
    BatchCase{R"({"context": {}})", R"({"error":{"kind":"parse","message":"input line needs \"expr\" as a string"}})"},
    BatchCase{R"({"expr": "x", "context": [1]})", R"({"error":{"kind":"parse","message":"\"context\" must be a JSON object"}})"},
    BatchCase{R"({"expr": "x", "context": "x=1"})", R"({"error":{"kind":"parse","message":"\"context\" must be a JSON object"}})"}));

TEST(BatchLine, EveryOutputIsOneLineOfValidJson) {
  // Whatever comes in — including raw control characters, invalid UTF-8 and newlines inside
  // expressions — what comes out is one line holding one JSON object with "value" or "error".
  const std::string inputs[] = {
      R"({"expr": "'a\nb'"})",
      R"({"expr": "'''a\nb'''"})",
      "{\"expr\": \"'\xff'\"}",
      "{\"expr\": \"x\", \"context\": {\"x\": \"\x01\"}}",
      R"({"expr": "'\\u0000\\n\\r'"})",
      R"({"expr": "1 +\n"})",
      "\t",
      "{\"expr\": \"\\ud800\"}",
      std::string("{\"expr\": \"1\"}\0garbage", 21),
  };
  for (const std::string& in : inputs) {
    const std::string out = evaluate_batch_line(in);
    EXPECT_EQ(out.find('\n'), std::string::npos) << out;
    EXPECT_EQ(out.find('\r'), std::string::npos) << out;
    auto parsed = parse_json(out);
    ASSERT_TRUE(parsed.ok()) << out;
    ASSERT_TRUE(parsed.value().is_map()) << out;
    const bool has_value = parsed.value().find("value") != nullptr;
    const bool has_error = parsed.value().find("error") != nullptr;
    EXPECT_NE(has_value, has_error) << out;
    EXPECT_EQ(parsed.value().as_map().size(), 1u) << out;
  }
}

TEST(BatchLine, ErrorsCarryKindAndMessage) {
  auto parsed = parse_json(evaluate_batch_line(R"({"expr": "x.y", "context": {"x": {}}})"));
  ASSERT_TRUE(parsed.ok());
  const Value* error = parsed.value().find("error");
  ASSERT_NE(error, nullptr);
  ASSERT_NE(error->find("kind"), nullptr);
  EXPECT_EQ(error->find("kind")->as_string(), "eval");
  ASSERT_NE(error->find("message"), nullptr);
  EXPECT_EQ(error->find("message")->as_string(), "no such key: 'y'");
}

// ---- docs/rule-language.md: every `| expression | result |` row is real ----

struct DocExample {
  int line;
  std::string expr;
  std::string want;
};

// The text of a table cell written as inline code: `x` or `` x `` (for text with backquotes).
std::string code_span(std::string cell) {
  while (!cell.empty() && cell.front() == ' ') cell.erase(cell.begin());
  while (!cell.empty() && cell.back() == ' ') cell.pop_back();
  if (cell.size() >= 6 && cell.compare(0, 3, "`` ") == 0 && cell.compare(cell.size() - 3, 3, " ``") == 0)
    return cell.substr(3, cell.size() - 6);
  if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') return cell.substr(1, cell.size() - 2);
  ADD_FAILURE() << "not a code span: " << cell;
  return cell;
}

std::vector<DocExample> doc_examples(const std::string& doc) {
  std::vector<DocExample> out;
  bool in_table = false;
  int line_no = 0;
  std::size_t at = 0;
  while (at < doc.size()) {
    std::size_t end = doc.find('\n', at);
    if (end == std::string::npos) end = doc.size();
    const std::string line = doc.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (line.rfind("| expression | result |", 0) == 0) {
      in_table = true;
      continue;
    }
    if (!in_table || line.rfind("|---", 0) == 0) continue;
    if (line.empty() || line[0] != '|') {
      in_table = false;
      continue;
    }
    // Split on the pipes that are not escaped as \|, then unescape.
    std::vector<std::string> cells(1);
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
        cells.back() += '|';
        ++i;
      } else if (line[i] == '|') {
        cells.emplace_back();
      } else {
        cells.back() += line[i];
      }
    }
    if (cells.size() < 2) continue;
    out.push_back({line_no, code_span(cells[0]), code_span(cells[1])});
  }
  return out;
}

// The CLI's answer in the doc's notation: the JSON value, "error: …" or "parse error at N: …".
std::string doc_form(const std::string& output) {
  const std::string value_prefix = R"({"value":)";
  if (output.rfind(value_prefix, 0) == 0) return output.substr(value_prefix.size(), output.size() - value_prefix.size() - 1);
  auto parsed = parse_json(output);
  if (!parsed.ok()) return "unreadable output " + output;
  const Value* error = parsed.value().find("error");
  if (!error || !error->find("kind") || !error->find("message")) return "unreadable output " + output;
  const std::string message(error->find("message")->as_string());
  if (error->find("kind")->as_string() == "eval") return "error: " + message;
  const Value* position = error->find("position");
  return "parse error at " + std::to_string(position ? position->as_int() : -1) + ": " + message;
}

TEST(RuleLanguageDoc, EveryExampleGivesItsDocumentedResult) {
  const std::string doc = testing::read_file("docs/rule-language.md");
  ASSERT_FALSE(doc.empty()) << "cannot read docs/rule-language.md";
  const std::string marker = "## Example context";
  const std::size_t section = doc.find(marker);
  ASSERT_NE(section, std::string::npos);
  const std::size_t open = doc.find("```json\n", section);
  const std::size_t close = doc.find("```", open + 8);
  ASSERT_NE(open, std::string::npos);
  ASSERT_NE(close, std::string::npos);
  const std::string context = doc.substr(open + 8, close - open - 8);
  ASSERT_TRUE(parse_json(context).ok()) << "the example context is not JSON";

  const auto examples = doc_examples(doc);
  EXPECT_GT(examples.size(), 150u);
  for (const DocExample& ex : examples)
    EXPECT_EQ(doc_form(evaluate_json(ex.expr, context)), ex.want)
        << "docs/rule-language.md:" << ex.line << ": " << ex.expr;
}

}  // namespace
}  // namespace ithaca
