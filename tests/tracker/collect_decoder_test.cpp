#include "collect_decoder.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ithaca::tracker {
namespace {

CollectLimits small_limits() {
  CollectLimits limits;
  limits.max_events = 3;
  limits.max_body_bytes = 16384;
  limits.max_depth = 6;
  return limits;
}

TEST(CollectDecoder, DecodesABatch) {
  CollectPayload payload;
  DecodeError error;
  ASSERT_TRUE(decode_collect(R"({"site":"shop","visitor_id":"abcdefgh-1234","events":[
      {"type":"pageview","id":"e1","ts":1716000000000,"url":"https://shop.example/a","referrer":"https://www.google.com/"},
      {"type":"conversion","name":"checkout","props":{"value":12.5},"context":{"visit":{"first":true}}}]})",
                             small_limits(), payload, error))
      << error.message;
  EXPECT_EQ(payload.site, "shop");
  EXPECT_EQ(payload.visitor_id, "abcdefgh-1234");
  ASSERT_EQ(payload.events.size(), 2u);
  EXPECT_EQ(payload.events[0].type, EventType::Pageview);
  EXPECT_EQ(payload.events[0].id, "e1");
  EXPECT_EQ(payload.events[0].ts_ms, 1716000000000);
  EXPECT_EQ(payload.events[0].referrer, "https://www.google.com/");
  EXPECT_EQ(payload.events[1].type, EventType::Conversion);
  EXPECT_EQ(payload.events[1].name, "checkout");
  EXPECT_FALSE(payload.events[1].ts_ms.has_value());
  EXPECT_EQ(payload.events[1].props_json, R"({"value":12.5})");
  EXPECT_DOUBLE_EQ(*payload.events[1].props.value, 12.5);
  EXPECT_EQ(payload.events[1].context_json, R"({"visit":{"first":true}})");
  EXPECT_EQ(payload.events[1].context.visit_first, true);
}

TEST(CollectDecoder, DecodesASingleEvent) {
  CollectPayload payload;
  DecodeError error;
  ASSERT_TRUE(decode_collect(R"({"site":"shop","type":"event","name":"click","url":"/x"})", small_limits(),
                             payload, error));
  ASSERT_EQ(payload.events.size(), 1u);
  EXPECT_EQ(payload.events[0].type, EventType::Event);
  EXPECT_EQ(payload.events[0].name, "click");
}

TEST(CollectDecoder, IgnoresUnknownMembersAndNulls) {
  CollectPayload payload;
  DecodeError error;
  ASSERT_TRUE(decode_collect(R"({"site":"shop","future":1,"events":[{"type":"pageview","id":null,"props":null,"x":[1]}]})",
                             small_limits(), payload, error));
  EXPECT_TRUE(payload.events[0].id.empty());
  EXPECT_TRUE(payload.events[0].props_json.empty());
}

struct BadCase {
  const char* name;
  std::string body;
  int status;
  const char* code;
  const char* message_part;
};

class CollectDecoderRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(CollectDecoderRejects, WithStatusCodeAndPath) {
  const BadCase& c = GetParam();
  CollectPayload payload;
  DecodeError error;
  EXPECT_FALSE(decode_collect(c.body, small_limits(), payload, error));
  EXPECT_EQ(error.status, c.status);
  EXPECT_EQ(error.code, c.code);
  EXPECT_NE(error.message.find(c.message_part), std::string::npos) << error.message;
  EXPECT_TRUE(payload.events.empty());
}

const BadCase kBadCases[] = {
    {"empty", "", 400, "empty_body", "empty"},
    {"whitespace", "  \n ", 400, "empty_body", "empty"},
    {"malformed", R"({"site":"shop",)", 400, "invalid_json", "malformed JSON at byte 15"},
    {"trailing_garbage", R"({"site":"shop","type":"pageview"} x)", 400, "invalid_json", "malformed JSON"},
    {"single_quotes", R"({'site':'shop'})", 400, "invalid_json", "malformed JSON"},
    {"trailing_comma", R"({"site":"shop","events":[{"type":"pageview"},]})", 400, "invalid_json", "malformed JSON"},
    {"leading_zero", R"({"site":"shop","type":"pageview","props":{"a":01}})", 400, "invalid_json", "malformed JSON"},
    {"bad_escape", R"({"site":"shop","type":"pageview","url":"\x41"})", 400, "invalid_json", "escape"},
    {"lone_surrogate", R"({"site":"shop","type":"pageview","url":"\ud800"})", 400, "invalid_json", "surrogate"},
    {"raw_newline_in_string", "{\"site\":\"shop\",\"type\":\"pageview\",\"url\":\"a\nb\"}", 400, "invalid_json",
     "control character"},
    {"bom", "\xef\xbb\xbf{\"site\":\"shop\",\"type\":\"pageview\"}", 400, "invalid_json", "malformed JSON"},
    {"not_object", R"([1,2])", 400, "invalid_json", "object"},
    {"missing_site", R"({"type":"pageview"})", 400, "invalid_field", "$.site"},
    {"site_not_string", R"({"site":5,"type":"pageview"})", 400, "invalid_field", "$.site"},
    {"site_bad_chars", R"({"site":"sh op","type":"pageview"})", 400, "invalid_field", "$.site"},
    {"site_injection", R"({"site":"x'; DROP TABLE events;--","type":"pageview"})", 400, "invalid_field", "$.site"},
    {"no_events_no_type", R"({"site":"shop"})", 400, "invalid_field", "$.events"},
    {"events_not_array", R"({"site":"shop","events":{}})", 400, "invalid_field", "$.events"},
    {"events_empty", R"({"site":"shop","events":[]})", 400, "invalid_field", "empty"},
    {"too_many", R"({"site":"shop","events":[{"type":"pageview"},{"type":"pageview"},{"type":"pageview"},{"type":"pageview"}]})",
     413, "too_many_events", "at most 3"},
    {"deep_event_member", R"({"site":"shop","events":[{"type":"pageview","x":[[[[[[1]]]]]]}]})", 400, "too_deep", "deeper"},
    {"deep_not_object", std::string(100, '[') + std::string(100, ']'), 400, "too_deep", "deeper"},
    {"event_not_object", R"({"site":"shop","events":[1]})", 400, "invalid_event", "$.events[0]"},
    {"bad_type", R"({"site":"shop","events":[{"type":"pageview"},{"type":"purchase"}]})", 400, "invalid_field",
     "$.events[1].type"},
    {"missing_type", R"({"site":"shop","events":[{"url":"/"}]})", 400, "invalid_field", "$.events[0].type"},
    {"event_needs_name", R"({"site":"shop","events":[{"type":"event"}]})", 400, "invalid_field", "$.events[0].name"},
    {"conversion_needs_name", R"({"site":"shop","type":"conversion"})", 400, "invalid_field", "$.name"},
    {"id_number", R"({"site":"shop","type":"pageview","id":5})", 400, "invalid_field", "$.id"},
    {"id_empty", R"({"site":"shop","type":"pageview","id":""})", 400, "invalid_field", "$.id"},
    {"id_too_long", R"({"site":"shop","type":"pageview","id":")" + std::string(129, 'a') + R"("})", 400,
     "field_too_long", "$.id"},
    {"url_too_long", R"({"site":"shop","type":"pageview","url":"/)" + std::string(2048, 'a') + R"("})", 400,
     "field_too_long", "$.url"},
    {"url_control_chars", R"({"site":"shop","type":"pageview","url":"/a\nb"})", 400, "invalid_field", "control"},
    {"ts_string", R"({"site":"shop","type":"pageview","ts":"yesterday"})", 400, "invalid_field", "$.ts"},
    {"ts_seconds", R"({"site":"shop","type":"pageview","ts":1716000000})", 400, "invalid_field", "$.ts"},
    {"ts_huge", R"({"site":"shop","type":"pageview","ts":18446744073709551615})", 400, "invalid_field", "$.ts"},
    {"ts_negative", R"({"site":"shop","type":"pageview","ts":-5})", 400, "invalid_field", "$.ts"},
    {"ts_nan_like", R"({"site":"shop","type":"pageview","ts":1e400})", 400, "invalid_json", "out of range"},
    {"ts_bool", R"({"site":"shop","type":"pageview","ts":true})", 400, "invalid_field", "$.ts"},
    {"props_array", R"({"site":"shop","type":"pageview","props":[1]})", 400, "invalid_field", "$.props"},
    {"context_string", R"({"site":"shop","type":"pageview","context":"x"})", 400, "invalid_field", "$.context"},
    {"props_too_large", R"({"site":"shop","type":"pageview","props":{"a":")" + std::string(3000, 'x') +
                            R"(","b":")" + std::string(1200, 'y') + R"("}})",
     400, "field_too_long", "$.props"},
    {"too_deep", R"({"site":"shop","type":"pageview","props":{"a":{"b":{"c":{"d":{"e":{}}}}}}})", 400, "too_deep",
     "deeper"},
    {"visitor_id_short", R"({"site":"shop","visitor_id":"abc","type":"pageview"})", 400, "invalid_field",
     "$.visitor_id"},
    {"visitor_id_object", R"({"site":"shop","visitor_id":{},"type":"pageview"})", 400, "invalid_field",
     "$.visitor_id"},
    {"invalid_utf8", "{\"site\":\"shop\",\"type\":\"pageview\",\"url\":\"/\xff\xfe\"}", 400, "invalid_json",
     "UTF-8"},
    {"overlong_utf8", "{\"site\":\"shop\",\"type\":\"pageview\",\"url\":\"/\xc0\xaf\"}", 400, "invalid_json",
     "UTF-8"},
    {"body_too_large", std::string(17000, ' '), 413, "body_too_large", "larger"},
};

INSTANTIATE_TEST_SUITE_P(All, CollectDecoderRejects, ::testing::ValuesIn(kBadCases),
                         [](const ::testing::TestParamInfo<BadCase>& param) { return param.param.name; });

TEST(CollectDecoder, AcceptsTheLargestAllowedBatch) {
  CollectLimits limits;
  limits.max_events = 500;
  std::string body = R"({"site":"shop","events":[)";
  for (int i = 0; i < 500; ++i) body += std::string(i ? "," : "") + R"({"type":"pageview","url":"/"})";
  body += "]}";
  CollectPayload payload;
  DecodeError error;
  ASSERT_TRUE(decode_collect(body, limits, payload, error)) << error.message;
  EXPECT_EQ(payload.events.size(), 500u);
}

TEST(CollectDecoder, KeepsPropsAndContextAsMinifiedJson) {
  CollectPayload payload;
  DecodeError error;
  ASSERT_TRUE(decode_collect(
      "{\"site\":\"shop\",\"type\":\"event\",\"name\":\"x\",\"props\": { \"b\" : [1, 2.5e3, null],\n \"a\" : \"y \\u00e9\" },"
      "\"context\":{ \"s\": \" keep  spaces \" } }",
      small_limits(), payload, error))
      << error.message;
  EXPECT_EQ(payload.events[0].props_json, R"({"b":[1,2.5e3,null],"a":"y \u00e9"})");
  EXPECT_EQ(payload.events[0].context_json, R"({"s":" keep  spaces "})");
}

TEST(CollectDecoder, ExtractsTheReportColumnsFromPropsAndContext) {
  CollectPayload payload;
  DecodeError error;
  ASSERT_TRUE(decode_collect(R"({"site":"shop","events":[{"type":"exposure",
      "props":{"slot":"hero","experiment":"exp","variant":"b","value":3,"nested":{"slot":"no"}},
      "context":{"time":{"timezone":"Europe/Berlin","hour":7},"geo":{"country":"DE","languages":["de-DE","en"]},
                 "visit":{"first":false,"count":4,"landing_path":"/x"},"journey":{"stage":"purchase"},
                 "visitor":{"id":"v-12345678"},
                 "deep":{"visit":{"count":99}}}}]})",
                             small_limits(), payload, error))
      << error.message;
  const DecodedEvent& e = payload.events[0];
  EXPECT_EQ(e.props.slot, "hero");
  EXPECT_EQ(e.props.experiment, "exp");
  EXPECT_EQ(e.props.variant, "b");
  EXPECT_EQ(e.props.value, 3.0);
  EXPECT_EQ(e.context.timezone, "Europe/Berlin");
  EXPECT_EQ(e.context.country, "DE");
  EXPECT_EQ(e.context.first_language, "de-DE");
  EXPECT_EQ(e.context.visit_first, false);
  EXPECT_EQ(e.context.visit_count, 4);
  EXPECT_EQ(e.context.landing_path, "/x");
  EXPECT_EQ(e.context.journey_stage, "purchase");
  EXPECT_EQ(e.context.visitor_id, "v-12345678");
}

TEST(CollectDecoder, WarnsOfPropsColumnsOfTheWrongTypeAndKeepsTheEvent) {
  CollectPayload payload;
  DecodeError error;
  ASSERT_TRUE(decode_collect(R"({"site":"shop","events":[{"type":"pageview"},
      {"type":"conversion","name":"buy","props":{"value":"12","slot":null}},
      {"type":"exposure","props":{"experiment":5,"variant":"A","slot":[1]}}]})",
                             small_limits(), payload, error))
      << error.message;
  ASSERT_EQ(payload.events.size(), 3u);
  EXPECT_FALSE(payload.events[1].props.value);
  EXPECT_EQ(payload.events[1].props_json, R"({"value":"12","slot":null})");
  EXPECT_EQ(payload.events[2].props.experiment, "");
  EXPECT_EQ(payload.events[2].props.variant, "A");
  // null is no value, not a wrong one; an array's elements are not columns.
  EXPECT_EQ(payload.warnings, (std::vector<std::string>{
                                  "$.events[1].props.value is not a number: stored in props only",
                                  "$.events[2].props.experiment is not a string: stored in props only"}));
  // A repeated props member counts once, the last one, and so do its warnings.
  CollectPayload repeated;
  ASSERT_TRUE(decode_collect(R"({"site":"shop","type":"conversion","name":"buy","props":{"value":"x"},"props":{"value":7}})",
                             small_limits(), repeated, error));
  EXPECT_EQ(repeated.events[0].props.value, 7.0);
  EXPECT_TRUE(repeated.warnings.empty());
  CollectPayload clean;
  ASSERT_TRUE(decode_collect(R"({"site":"shop","type":"conversion","name":"buy","props":{"value":12.5}})",
                             small_limits(), clean, error));
  EXPECT_TRUE(clean.warnings.empty());
  EXPECT_EQ(clean.events[0].props.value, 12.5);
}

TEST(CollectDecoder, DecodesEscapesAndUtf8) {
  CollectPayload payload;
  DecodeError error;
  ASSERT_TRUE(decode_collect(R"({"site":"shop","type":"event","name":"caf\u00e9 \ud83d\ude00 \"q\" \/ ü"})",
                             small_limits(), payload, error))
      << error.message;
  EXPECT_EQ(payload.events[0].name, "café 😀 \"q\" / ü");
}

TEST(CollectDecoder, LaterDuplicateMembersWin) {
  CollectPayload payload;
  DecodeError error;
  ASSERT_TRUE(decode_collect(R"({"site":"x","site":"shop","type":"event","name":"a","name":"b"})", small_limits(),
                             payload, error));
  EXPECT_EQ(payload.site, "shop");
  EXPECT_EQ(payload.events[0].name, "b");
}

TEST(CollectDecoder, BracketsInsideStringsDoNotCountAsDepth) {
  CollectPayload payload;
  DecodeError error;
  ASSERT_TRUE(decode_collect(R"({"site":"shop","type":"event","name":"[[[[[[[[{{{{{{{{\"]]]]"})", small_limits(),
                             payload, error))
      << error.message;
}

}  // namespace
}  // namespace ithaca::tracker
