#include "device_classifier.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "ithaca/context.hpp"
#include "ithaca/json.hpp"
#include "testing/tsv_table.hpp"

namespace ithaca {
namespace {

Value hints(const char* json) {
  Result<Value> v = parse_json(json);
  EXPECT_TRUE(v.ok()) << json;
  return v.ok() ? v.value() : Value();
}

bool matches(const std::string& expected, const std::string& actual) { return expected == "*" || expected == actual; }

TEST(DeviceClassifier, RealUserAgentTable) {
  const auto rows = testing::read_tsv("user_agents.tsv");
  ASSERT_GE(rows.size(), 300u);
  int passed = 0;
  for (const auto& row : rows) {
    ASSERT_EQ(row.cells.size(), 6u) << "line " << row.line;
    const DeviceInfo d = classify_device(row.cells[5], Value());
    const bool ok = matches(row.cells[0], d.type) && matches(row.cells[1], d.os) && matches(row.cells[2], d.os_version) &&
                    matches(row.cells[3], d.browser) && matches(row.cells[4], d.browser_version) && !d.bot;
    EXPECT_TRUE(ok) << "line " << row.line << ": " << row.cells[5] << "\n  got " << d.type << " | " << d.os << " "
                    << d.os_version << " | " << d.browser << " " << d.browser_version << (d.bot ? " | bot " + d.bot_name : "")
                    << "\n  expected " << row.cells[0] << " | " << row.cells[1] << " " << row.cells[2] << " | "
                    << row.cells[3] << " " << row.cells[4];
    passed += ok;
  }
  std::printf("[ device   ] %d/%zu real user agents classified as expected\n", passed, rows.size());
}

TEST(DeviceClassifier, NamedBots) {
  const auto rows = testing::read_tsv("bots.tsv");
  ASSERT_GE(rows.size(), 80u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.cells.size(), 2u) << "line " << row.line;
    const DeviceInfo d = classify_device(row.cells[1], Value());
    EXPECT_TRUE(d.bot) << row.cells[1];
    EXPECT_EQ(d.type, "bot") << row.cells[1];
    EXPECT_FALSE(d.bot_name.empty()) << row.cells[1];
    if (row.cells[0] != "*") {
      EXPECT_EQ(d.bot_name, row.cells[0]) << row.cells[1];
    }
  }
}

TEST(DeviceClassifier, ExternalCrawlerList) {
  std::ifstream in(testing::data_path("bots_external.txt"));
  std::string line;
  int total = 0, bots = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++total;
    bots += classify_device(line, Value()).bot;
  }
  ASSERT_GT(total, 1000);
  std::printf("[ device   ] %d/%d crawler-user-agents instances detected as bots\n", bots, total);
  EXPECT_GE(bots * 100, total * 97);
}

TEST(DeviceClassifier, ClientHintsWindows11) {
  const char* ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
  DeviceInfo d = classify_device(ua, hints(R"({"sec-ch-ua": "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"",
      "sec-ch-ua-mobile": "?0", "sec-ch-ua-platform": "\"Windows\"", "sec-ch-ua-platform-version": "\"15.0.0\""})"));
  EXPECT_EQ(d.type, "desktop");
  EXPECT_EQ(d.os, "windows");
  EXPECT_EQ(d.os_version, "11");
  EXPECT_EQ(d.browser, "chrome");
  EXPECT_EQ(d.browser_version, "124.0");
  EXPECT_EQ(classify_device(ua, hints(R"({"platform":"Windows","platformVersion":"13.0.0"})")).os_version, "11");
  EXPECT_EQ(classify_device(ua, hints(R"({"platform":"Windows","platformVersion":"10.0.0"})")).os_version, "10");
  EXPECT_EQ(classify_device(ua, hints(R"({"platform":"Windows","platformVersion":"1.0.0"})")).os_version, "10");
  EXPECT_EQ(classify_device(ua, hints(R"({"platform":"Windows","platformVersion":"0.3.0"})")).os_version, "8.1");
  EXPECT_EQ(classify_device(ua, hints(R"({"platform":"Windows","platformVersion":"0.1.0"})")).os_version, "7");
}

TEST(DeviceClassifier, ClientHintsJsFormWithFullVersions) {
  const char* ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0";
  DeviceInfo d = classify_device(ua, hints(R"({"mobile": false, "platform": "Windows", "platformVersion": "15.0.0",
      "brands": [{"brand":"Chromium","version":"124"},{"brand":"Microsoft Edge","version":"124"},{"brand":"Not-A.Brand","version":"99"}],
      "fullVersionList": [{"brand":"Chromium","version":"124.0.6367.91"},{"brand":"Microsoft Edge","version":"124.0.2478.80"},{"brand":"Not-A.Brand","version":"99.0.0.0"}]})"));
  EXPECT_EQ(d.browser, "edge");
  EXPECT_EQ(d.browser_version, "124.0");
  EXPECT_EQ(d.os_version, "11");
}

TEST(DeviceClassifier, ClientHintsAndroidReducedUa) {
  const char* ua = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
  DeviceInfo d = classify_device(ua, hints(R"({"mobile": true, "platform": "Android", "platform_version": "14.0.0", "model": "Pixel 8"})"));
  EXPECT_EQ(d.type, "mobile");
  EXPECT_EQ(d.os, "android");
  EXPECT_EQ(d.os_version, "14");
  EXPECT_EQ(d.model, "Pixel 8");
  EXPECT_EQ(d.browser, "chrome");
  // Chrome on an Android tablet says ?0.
  d = classify_device("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
                      hints(R"({"sec-ch-ua-mobile": "?0", "sec-ch-ua-platform": "\"Android\"", "sec-ch-ua-model": "\"SM-X710\""})"));
  EXPECT_EQ(d.type, "tablet");
  EXPECT_EQ(d.model, "SM-X710");
  // Hints win over the UA string.
  d = classify_device(ua, hints(R"({"sec-ch-ua-mobile": "?0", "sec-ch-ua-platform": "\"Android\""})"));
  EXPECT_EQ(d.type, "tablet");
  d = classify_device(ua, hints(R"({"formFactors": ["Tablet"]})"));
  EXPECT_EQ(d.type, "tablet");
}

TEST(DeviceClassifier, ClientHintsMacAndBrave) {
  const char* ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
  DeviceInfo d = classify_device(ua, hints(R"({"platform":"macOS","platformVersion":"14.4.1","brands":[{"brand":"Brave","version":"124"},{"brand":"Chromium","version":"124"},{"brand":"Not-A.Brand","version":"99"}]})"));
  EXPECT_EQ(d.os, "macos");
  EXPECT_EQ(d.os_version, "14.4.1");
  EXPECT_EQ(d.browser, "brave");
  EXPECT_EQ(d.browser_version, "124.0");  // the UA's major.minor, as it agrees with the brand
  d = classify_device(ua, hints(R"({"sec-ch-ua":"\"Not A(Brand\";v=\"99\", \"Chromium\";v=\"124\""})"));
  EXPECT_EQ(d.browser, "chrome");  // Chromium alone is generic: the UA's more specific answer stays
}

TEST(DeviceClassifier, InAppBrowserBeatsGenericWebViewBrand) {
  const char* ua = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 Instagram 327.0.0.34.120 Android (34/14; 420dpi; 1080x2400; Google/google; Pixel 8; shiba; shiba; en_US; 587563711)";
  DeviceInfo d = classify_device(ua, hints(R"({"brands":[{"brand":"Android WebView","version":"124"},{"brand":"Chromium","version":"124"}],"mobile":true,"platform":"Android"})"));
  EXPECT_EQ(d.browser, "instagram");
  EXPECT_EQ(d.browser_version, "327.0");
  EXPECT_EQ(d.type, "mobile");
}

TEST(DeviceClassifier, AndroidModelFromTheUa) {
  auto model = [](const char* ua) { return classify_device(ua, Value()).model; };
  EXPECT_EQ(model("Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"),
            "Pixel 8");
  // Samsung Internet's "SAMSUNG SM-…" is the model the hint and other browsers name without the brand.
  EXPECT_EQ(model("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S928B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36"),
            "SM-S928B");
  // A locale before the model (UC Browser, MIUI): the model follows it.
  EXPECT_EQ(model("Mozilla/5.0 (Linux; U; Android 11; en-US; RMX2193 Build/RP1A.200720.011) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36"),
            "RMX2193");
  EXPECT_EQ(model("Mozilla/5.0 (Linux; U; Android 4.4.2; en-us) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30"), "");
  EXPECT_EQ(model("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"), "");
  EXPECT_EQ(model("Mozilla/5.0 (Linux; Android 12; moto g(30)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"),
            "moto g(30)");
}

TEST(DeviceClassifier, HeadlessBrandIsABot) {
  const char* ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
  DeviceInfo d = classify_device(ua, hints(R"({"brands":[{"brand":"HeadlessChrome","version":"124"},{"brand":"Chromium","version":"124"}]})"));
  EXPECT_TRUE(d.bot);
  EXPECT_EQ(d.type, "bot");
  EXPECT_EQ(d.bot_name, "headlesschrome");
}

TEST(DeviceClassifier, HeadlessChromeUaIsChromeAndABot) {
  // Old headless mode names itself in the product token; the engine under it is still Chrome.
  const char* uas[] = {
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.6367.60 Safari/537.36",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/119.0.6045.105 Safari/537.36"};
  const char* versions[] = {"124.0", "131.0", "119.0"};
  for (int i = 0; i < 3; ++i) {
    const DeviceInfo d = classify_device(uas[i], Value());
    EXPECT_TRUE(d.bot) << uas[i];
    EXPECT_EQ(d.type, "bot") << uas[i];
    EXPECT_EQ(d.bot_name, "headlesschrome") << uas[i];
    EXPECT_EQ(d.browser, "chrome") << uas[i];
    EXPECT_EQ(d.browser_version, versions[i]) << uas[i];
  }
}

TEST(DeviceClassifier, EmulatedPhoneKeepsDesktopFormFactor) {
  // Chromium's device mode: the emulated phone's UA, platform and mobile hint, the host's form factor.
  const char* pixel = "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
  DeviceInfo d = classify_device(pixel, hints(R"({"mobile":true,"platform":"Android","formFactors":["Desktop"],"brands":[{"brand":"Chromium","version":"131"},{"brand":"Google Chrome","version":"131"}]})"));
  EXPECT_EQ(d.type, "mobile");
  EXPECT_EQ(d.os, "android");
  EXPECT_EQ(d.browser, "chrome");
  d = classify_device(pixel, hints(R"({"sec-ch-ua-mobile":"?1","sec-ch-ua-platform":"\"Android\"","sec-ch-ua-form-factors":"\"Desktop\""})"));
  EXPECT_EQ(d.type, "mobile");
  // A desktop browser with only the mobile hint switched on (a UA override) is served as a phone too.
  const char* desktop = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
  EXPECT_EQ(classify_device(desktop, hints(R"({"mobile":true,"platform":"Windows","formFactors":["Desktop"]})")).type, "mobile");
  // Without the clash the form factor still decides.
  EXPECT_EQ(classify_device(desktop, hints(R"({"mobile":false,"platform":"Windows","formFactors":["Desktop"]})")).type, "desktop");
  EXPECT_EQ(classify_device(pixel, hints(R"({"mobile":true,"platform":"Android","formFactors":["Tablet"]})")).type, "tablet");
  EXPECT_EQ(classify_device(pixel, hints(R"({"mobile":false,"platform":"Android","formFactors":["Mobile"]})")).type, "mobile");
  EXPECT_EQ(classify_device(desktop, hints(R"({"mobile":false,"platform":"Chrome OS","formFactors":["Desktop","Tablet"]})")).type, "desktop");
}

TEST(DeviceClassifier, IpadPresentingAMacUa) {
  const char* ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";
  DeviceInfo mac = classify_device(ua, Value(), DeviceSignals{std::nullopt, 0, std::nullopt});
  EXPECT_EQ(mac.type, "desktop");
  EXPECT_EQ(mac.os, "macos");
  EXPECT_EQ(mac.touch, false);
  DeviceInfo ipad = classify_device(ua, Value(), DeviceSignals{std::nullopt, 5, 1024});
  EXPECT_EQ(ipad.type, "tablet");
  EXPECT_EQ(ipad.os, "ipados");
  EXPECT_EQ(ipad.os_version, "17.4");
  EXPECT_EQ(ipad.browser, "safari");
  EXPECT_EQ(ipad.touch, true);
  DeviceInfo touch_only = classify_device(ua, Value(), DeviceSignals{true, std::nullopt, std::nullopt});
  EXPECT_EQ(touch_only.type, "tablet");
  DeviceInfo iphone_desktop_mode = classify_device(ua, Value(), DeviceSignals{std::nullopt, 5, 390});
  EXPECT_EQ(iphone_desktop_mode.type, "mobile");
  EXPECT_EQ(iphone_desktop_mode.os, "ios");
}

TEST(DeviceClassifier, AndroidPhoneAskingForTheDesktopSite) {
  // Chrome on an Android phone with "Desktop site" on: an X11 UA, platform Android, mobile ?0.
  const char* ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
  const Value h = hints(R"({"mobile": false, "platform": "Android", "platformVersion": "14.0.0"})");
  EXPECT_EQ(classify_device(ua, h, DeviceSignals{true, 5, 412}).type, "mobile");
  EXPECT_EQ(classify_device(ua, h, DeviceSignals{true, 5, 800}).type, "tablet");  // a tablet's screen
  EXPECT_EQ(classify_device(ua, h).type, "tablet");                                // no screen known
  // A tablet-like Android UA (no "Mobile") on a phone-sized screen is a phone.
  const char* tablet_ua = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
  EXPECT_EQ(classify_device(tablet_ua, Value(), DeviceSignals{true, 5, 384}).type, "mobile");
  EXPECT_EQ(classify_device(tablet_ua, Value(), DeviceSignals{true, 5, 768}).type, "tablet");
  // Form factors name the hardware and still win.
  EXPECT_EQ(classify_device(ua, hints(R"({"mobile": false, "platform": "Android", "formFactors": ["Tablet"]})"),
                            DeviceSignals{true, 5, 412}).type, "tablet");
}

TEST(DeviceClassifier, TouchIsImpliedForPhonesAndTablets) {
  EXPECT_EQ(classify_device("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", Value()).touch, true);
  EXPECT_FALSE(classify_device("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", Value()).touch.has_value());
}

TEST(DeviceClassifier, EmptyAndGarbageInput) {
  DeviceInfo d = classify_device("", Value());
  EXPECT_EQ(d.type, "");
  EXPECT_FALSE(d.bot);
  d = classify_device("", hints(R"({"mobile": true})"));
  EXPECT_EQ(d.type, "mobile");
  (void)classify_device("", hints(R"({"brands": "garbage;;;\"", "platform": 5, "mobile": "maybe", "model": [1,2]})"));
  (void)classify_device("", hints(R"({"brands": [1, null, {"brand": 3}], "fullVersionList": {"a":1}})"));

  std::mt19937 rng(11);
  const std::string alphabet = "Mozilla/5.0 (;)_ AndroidiPhoneWindows NT Chrome Safari Version/bot\xff\xc3";
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 300);
    for (int k = 0; k < n; ++k) s += alphabet[rng() % alphabet.size()];
    (void)classify_device(s, Value());
  }
  // Huge inputs are cut, so time stays bounded.
  const std::string huge(1 << 20, 'a');
  const auto start = std::chrono::steady_clock::now();
  d = classify_device(huge, Value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_TRUE(d.bot);  // no platform, no browser
}

TEST(DeviceClassifier, BrandHeaderParsing) {
  auto brands = device::parse_brand_header(R"("Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99")");
  ASSERT_EQ(brands.size(), 3u);
  EXPECT_EQ(brands[1].name, "Google Chrome");
  EXPECT_EQ(brands[1].version, "124");
  brands = device::parse_brand_header(R"("Not\"A;Brand";v="8", "Chromium" ; v = "120")");
  ASSERT_EQ(brands.size(), 2u);
  EXPECT_EQ(brands[0].name, "Not\"A;Brand");
  EXPECT_TRUE(device::parse_brand_header("").empty());
  (void)device::parse_brand_header("\"unterminated;v=\"1");
  EXPECT_EQ(device::major_minor("124.0.6367.82"), "124.0");
  EXPECT_EQ(device::major_minor("17"), "17");
  EXPECT_EQ(device::major_minor("x1"), "");
}

}  // namespace
}  // namespace ithaca
