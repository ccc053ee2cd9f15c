#include "ithaca/context.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "ithaca/json.hpp"
#include "language.hpp"

namespace ithaca {
namespace {

Value json(const std::string& text) {
  Result<Value> v = parse_json(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? v.value() : Value();
}

RawSignals raw_from(const std::string& text) {
  Result<RawSignals> r = raw_signals_from_value(json(text));
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : RawSignals{};
}

const Value& at(const Value& v, const char* path) {
  static const Value missing = Value::error("missing");
  const Value* found = v.find_path(path);
  EXPECT_NE(found, nullptr) << path;
  return found ? *found : missing;
}

std::string str(const Value& v, const char* path) { return std::string(at(v, path).as_string()); }
std::int64_t num(const Value& v, const char* path) { return at(v, path).as_int(); }

TEST(Context, TimeFromOffsetAndZone) {
  // 2024-03-31T01:30:00Z: Berlin has just switched to summer time (03:30 local, Sunday).
  Value ctx = derive_context(raw_from(R"({"now": 1711848600000, "timezone": "Europe/Berlin"})"));
  EXPECT_EQ(num(ctx, "time.hour"), 3);
  EXPECT_EQ(num(ctx, "time.minute"), 30);
  EXPECT_EQ(num(ctx, "time.utc_offset_minutes"), 120);
  EXPECT_EQ(num(ctx, "time.weekday"), 0);
  EXPECT_EQ(str(ctx, "time.weekday_name"), "sunday");
  EXPECT_EQ(str(ctx, "time.date"), "2024-03-31");
  EXPECT_EQ(str(ctx, "time.time"), "03:30");
  EXPECT_EQ(str(ctx, "time.daypart"), "night");
  EXPECT_TRUE(at(ctx, "time.is_weekend").as_bool());
  EXPECT_EQ(str(ctx, "time.timezone"), "Europe/Berlin");
  EXPECT_EQ(at(ctx, "time.now").kind(), Kind::Timestamp);
  EXPECT_EQ(at(ctx, "time.now").as_timestamp().seconds, 1711848600);
  EXPECT_EQ(str(ctx, "geo.timezone_country"), "DE");

  // An explicit offset wins over the zone's rules.
  ctx = derive_context(raw_from(R"({"now": 1711848600000, "timezone": "Europe/Berlin", "tz_offset_minutes": -300})"));
  EXPECT_EQ(num(ctx, "time.hour"), 20);
  EXPECT_EQ(num(ctx, "time.day"), 30);
  EXPECT_EQ(str(ctx, "time.weekday_name"), "saturday");
  EXPECT_EQ(str(ctx, "time.daypart"), "evening");

  // Neither: UTC.
  ctx = derive_context(raw_from(R"({"now": "2024-07-03T12:15:00Z"})"));
  EXPECT_EQ(num(ctx, "time.hour"), 12);
  EXPECT_EQ(num(ctx, "time.utc_offset_minutes"), 0);
  EXPECT_EQ(num(ctx, "time.month"), 7);
  EXPECT_EQ(num(ctx, "time.year"), 2024);
  EXPECT_EQ(str(ctx, "time.daypart"), "afternoon");
  EXPECT_FALSE(at(ctx, "time.is_weekend").as_bool());

  // No clock: only the zone.
  ctx = derive_context(raw_from(R"({"timezone": "Asia/Tokyo"})"));
  EXPECT_EQ(ctx.find_path("time.hour"), nullptr);
  EXPECT_EQ(str(ctx, "time.timezone"), "Asia/Tokyo");
  EXPECT_EQ(str(ctx, "geo.timezone_country"), "JP");
}

TEST(Context, Dayparts) {
  const char* expected[24] = {"night", "night", "night", "night", "night", "night", "morning", "morning",
                              "morning", "morning", "morning", "morning", "afternoon", "afternoon", "afternoon",
                              "afternoon", "afternoon", "evening", "evening", "evening", "evening", "evening",
                              "night", "night"};
  for (int h = 0; h < 24; ++h) {
    RawSignals raw;
    raw.now_ms = (1'700'006'400LL + h * 3600) * 1000;  // 2023-11-15T00:00:00Z + h hours
    EXPECT_EQ(str(derive_context(raw), "time.daypart"), expected[h]) << h;
  }
}

TEST(Context, Languages) {
  EXPECT_EQ(language::parse_accept_language("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"),
            (std::vector<std::string>{"fr-ch", "fr", "en", "de"}));
  EXPECT_EQ(language::parse_accept_language("en;q=0.5, de-DE, en-US;q=0.7, xx;q=0, de-de"),
            (std::vector<std::string>{"de-de", "en-us", "en"}));
  EXPECT_EQ(language::parse_accept_language("pt_BR;q=1.0,pt;q=0.9"), (std::vector<std::string>{"pt-br", "pt"}));
  EXPECT_TRUE(language::parse_accept_language(";;;,,,q=1").empty());
  std::string many;
  for (char c = 'a'; c <= 'z'; ++c) many += std::string("x") + c + ",";
  EXPECT_EQ(language::parse_accept_language(many).size(), language::kMaxLanguages);

  Value ctx = derive_context(raw_from(R"({"languages": ["de-DE", "en_US", "de-DE", "**", "en"]})"));
  const List& langs = at(ctx, "geo.languages").as_list();
  ASSERT_EQ(langs.size(), 3u);
  EXPECT_EQ(langs[0].as_string(), "de-de");
  EXPECT_EQ(langs[1].as_string(), "en-us");
  EXPECT_EQ(str(ctx, "geo.language"), "de");

  ctx = derive_context(raw_from(R"({"languages": "es-MX,es;q=0.9"})"));
  EXPECT_EQ(str(ctx, "geo.language"), "es");
  ctx = derive_context(raw_from(R"({"accept_language": "it;q=0.3, ja"})"));
  EXPECT_EQ(str(ctx, "geo.language"), "ja");
  // navigator.languages wins over the header.
  ctx = derive_context(raw_from(R"({"languages": ["nl"], "accept_language": "fr"})"));
  EXPECT_EQ(str(ctx, "geo.language"), "nl");
  ctx = derive_context(RawSignals{});
  EXPECT_EQ(str(ctx, "geo.language"), "");
  EXPECT_TRUE(at(ctx, "geo.languages").as_list().empty());
}

TEST(Context, FullExample) {
  Value ctx = derive_context(raw_from(R"({
    "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    "url": "https://shop.example.com/products/shoes?utm_source=newsletter&utm_medium=email&utm_campaign=spring&color=red#top",
    "referrer": "https://mail.google.com/",
    "site_host": "shop.example.com",
    "now": 1718000000000, "tz_offset_minutes": 120, "timezone": "Europe/Berlin",
    "languages": ["de-DE", "de", "en"], "country": "de", "dark_mode": true, "screen_width": 390
  })"));
  EXPECT_EQ(str(ctx, "device.type"), "mobile");
  EXPECT_EQ(str(ctx, "device.os"), "ios");
  EXPECT_EQ(str(ctx, "device.os_version"), "17.4.1");
  EXPECT_EQ(num(ctx, "device.os_major"), 17);
  EXPECT_EQ(str(ctx, "device.browser"), "safari");
  EXPECT_EQ(str(ctx, "device.browser_version"), "17.4");
  EXPECT_EQ(num(ctx, "device.browser_major"), 17);
  EXPECT_FALSE(at(ctx, "device.bot").as_bool());
  EXPECT_TRUE(at(ctx, "device.touch").as_bool());
  EXPECT_TRUE(at(ctx, "device.dark_mode").as_bool());
  EXPECT_EQ(num(ctx, "device.screen_width"), 390);
  EXPECT_EQ(str(ctx, "referrer.category"), "email");
  EXPECT_EQ(str(ctx, "referrer.source"), "newsletter");
  EXPECT_EQ(str(ctx, "referrer.medium"), "email");
  EXPECT_EQ(str(ctx, "referrer.host"), "mail.google.com");
  EXPECT_EQ(str(ctx, "utm.campaign"), "spring");
  EXPECT_EQ(str(ctx, "campaign.campaign"), "spring");
  EXPECT_EQ(at(ctx, "utm").payload(), at(ctx, "campaign").payload());
  EXPECT_EQ(str(ctx, "url.host"), "shop.example.com");
  EXPECT_EQ(str(ctx, "url.path"), "/products/shoes");
  EXPECT_EQ(str(ctx, "url.fragment"), "top");
  EXPECT_EQ(str(ctx, "url.params.color"), "red");
  EXPECT_EQ(str(ctx, "geo.country"), "DE");
  EXPECT_EQ(str(ctx, "geo.timezone_country"), "DE");
  EXPECT_EQ(str(ctx, "geo.language"), "de");
  EXPECT_EQ(num(ctx, "time.hour"), 8);  // 2024-06-10T06:13:20Z at +02:00
}

TEST(Context, RawSignalErrorsNameTheirPath) {
  struct Case {
    const char* json;
    const char* path;
  };
  const Case cases[] = {
      {R"([1,2])", "$"},
      {R"({"user_agent": 5})", "$.user_agent"},
      {R"({"ua_ch": "mobile"})", "$.ua_ch"},
      {R"({"now": true})", "$.now"},
      {R"({"now": "yesterday"})", "$.now"},
      {R"({"now": 1e300})", "$.now"},
      {R"({"now": 99999999999999999})", "$.now"},
      {R"({"tz_offset_minutes": "60"})", "$.tz_offset_minutes"},
      {R"({"tz_offset_minutes": 5000})", "$.tz_offset_minutes"},
      {R"({"languages": ["en", 3]})", "$.languages[1]"},
      {R"({"languages": {"en": 1}})", "$.languages"},
      {R"({"touch": "yes"})", "$.touch"},
      {R"({"max_touch_points": -1})", "$.max_touch_points"},
  };
  for (const Case& c : cases) {
    Result<RawSignals> r = raw_signals_from_value(json(c.json));
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().kind, ErrorKind::Json) << c.json;
    EXPECT_EQ(r.error().path, c.path) << c.json;
    EXPECT_FALSE(r.error().message.empty());
  }
  // Nulls and unknown keys are fine.
  EXPECT_TRUE(raw_signals_from_value(json(R"({"user_agent": null, "something_new": [1]})")).ok());
  RawSignals r = raw_from(R"({"now": "2024-03-31T03:30:00.250+02:00"})");
  EXPECT_EQ(r.now_ms, 1711848600250);
}

TEST(Context, JsonInJsonOut) {
  std::string out = derive_context_json(R"({"user_agent": "curl/8.5.0", "now": 0})");
  Result<Value> v = parse_json(out);
  ASSERT_TRUE(v.ok()) << out;
  EXPECT_EQ(str(v.value(), "device.type"), "bot");
  EXPECT_EQ(str(v.value(), "device.bot_name"), "curl");
  EXPECT_EQ(str(v.value(), "time.date"), "1970-01-01");
  EXPECT_EQ(str(v.value(), "referrer.category"), "direct");

  out = derive_context_json(R"({"user_agent": )");
  v = parse_json(out);
  ASSERT_TRUE(v.ok()) << out;
  EXPECT_EQ(str(v.value(), "error.kind"), "json");
  EXPECT_NE(v.value().find_path("error.position"), nullptr);

  out = derive_context_json(R"({"languages": [1]})");
  v = parse_json(out);
  ASSERT_TRUE(v.ok()) << out;
  EXPECT_EQ(str(v.value(), "error.path"), "$.languages[0]");
}

TEST(Context, OutputIsValidUtf8ForBrokenInput) {
  RawSignals raw;
  raw.user_agent = "Mozilla/5.0 (Linux; Android 14; Pix\xff\xfe" "el) Chrome/124.0.0.0 Mobile Safari/537.36";
  raw.url = "https://shop.example.com/\xc3?utm_source=%ff%c3&x=\xe2\x82";
  raw.referrer = "https://ex\xff" "ample.com/\x01";  // split: \xffa would be one (too large) escape
  raw.city = "M\xfcnchen";
  const std::string out = to_json(derive_context(raw));
  EXPECT_TRUE(parse_json(out).ok()) << out;
}

TEST(Context, GarbageNeverCrashes) {
  std::mt19937 rng(5);
  const std::string alphabet = R"({}[]":,0123456789.-+eE truefalsnul\user_agentnowlanguagesua_chreferrer)";
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    for (int k = static_cast<int>(rng() % 200); k > 0; --k) s += alphabet[rng() % alphabet.size()];
    const std::string out = derive_context_json(s);
    ASSERT_TRUE(parse_json(out).ok()) << s << " → " << out;
  }
}

}  // namespace
}  // namespace ithaca
