#include "referrer_classifier.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "ithaca/context.hpp"
#include "testing/tsv_table.hpp"
#include "url_parts.hpp"

namespace ithaca {
namespace {

TEST(ReferrerClassifier, Table) {
  const auto rows = testing::read_tsv("referrers.tsv");
  ASSERT_GE(rows.size(), 100u);
  int passed = 0;
  for (const auto& row : rows) {
    ASSERT_EQ(row.cells.size(), 7u) << "line " << row.line;
    const ReferrerInfo r = classify_referrer(row.cells[0], row.cells[1], row.cells[2]);
    const bool ok = r.category == row.cells[3] && r.source == row.cells[4] && r.medium == row.cells[5] &&
                    r.campaign.click_id_type == row.cells[6];
    EXPECT_TRUE(ok) << "line " << row.line << ": " << row.cells[0] << " → " << row.cells[1] << " (site " << row.cells[2]
                    << ")\n  got " << r.category << " / " << r.source << " / " << r.medium << " / " << r.campaign.click_id_type
                    << "\n  expected " << row.cells[3] << " / " << row.cells[4] << " / " << row.cells[5] << " / " << row.cells[6];
    passed += ok;
  }
  std::printf("[ referrer ] %d/%zu referrer cases classified as expected\n", passed, rows.size());
}

TEST(ReferrerClassifier, CampaignParameters) {
  ReferrerInfo r = classify_referrer("", "https://shop.example.com/p?UTM_SOURCE=News%20Letter&utm_medium=email&utm_campaign=Spring+Sale"
                                         "&utm_term=red%20shoes&utm_content=hero&utm_id=42&gclid=abc%3D%3D", "");
  EXPECT_EQ(r.campaign.source, "News Letter");
  EXPECT_EQ(r.campaign.medium, "email");
  EXPECT_EQ(r.campaign.campaign, "Spring Sale");
  EXPECT_EQ(r.campaign.term, "red shoes");
  EXPECT_EQ(r.campaign.content, "hero");
  EXPECT_EQ(r.campaign.id, "42");
  EXPECT_EQ(r.campaign.click_id, "abc==");
  EXPECT_EQ(r.campaign.click_id_type, "gclid");
  EXPECT_EQ(r.category, "paid");  // a paid click id wins over an email medium
  EXPECT_EQ(r.source, "news letter");

  r = classify_referrer("", "https://shop.example.com/?mtm_campaign=autumn&mtm_source=partner&pk_medium=ignored&utm_medium=banner", "");
  EXPECT_EQ(r.campaign.campaign, "autumn");
  EXPECT_EQ(r.campaign.source, "partner");
  EXPECT_EQ(r.campaign.medium, "banner");  // utm_* beats pk_*
  EXPECT_EQ(r.category, "paid");

  r = classify_referrer("", "https://shop.example.com/?utm_source=caf%C3%A9&utm_campaign=%FF%FE", "");
  EXPECT_EQ(r.campaign.source, "café");
  EXPECT_EQ(r.campaign.campaign, "\xEF\xBF\xBD\xEF\xBF\xBD");  // invalid UTF-8 repaired

  // A newsletter link copied from HTML source, separators still escaped.
  r = classify_referrer("", "https://shop.example.com/?utm_source=weekly&amp;utm_medium=email&amp;utm_campaign=may", "");
  EXPECT_EQ(r.campaign.medium, "email");
  EXPECT_EQ(r.campaign.campaign, "may");
  EXPECT_EQ(r.category, "email");
  EXPECT_EQ(r.source, "weekly");
}

TEST(ReferrerClassifier, HostPatterns) {
  using referrer::classify_host;
  EXPECT_EQ(classify_host("www.google.co.uk").category, "search");
  EXPECT_EQ(classify_host("google.com.br").source, "google");
  EXPECT_EQ(classify_host("mail.google.com").category, "email");  // the longer pattern wins
  EXPECT_EQ(classify_host("gemini.google.com").source, "gemini");
  EXPECT_EQ(classify_host("google.evil.com").category, "");
  EXPECT_EQ(classify_host("notgoogle.com").category, "");
  EXPECT_EQ(classify_host("google.blogspot.com").category, "");
  EXPECT_EQ(classify_host("mail.example.org").category, "email");
  EXPECT_EQ(classify_host("mail.example.org").source, "example");
  EXPECT_EQ(classify_host("").category, "");
}

TEST(ReferrerClassifier, SameSite) {
  using referrer::same_site;
  EXPECT_TRUE(same_site("www.example.com", "example.com"));
  EXPECT_TRUE(same_site("blog.example.com", "example.com"));
  EXPECT_TRUE(same_site("example.com", "shop.example.com"));
  EXPECT_FALSE(same_site("blog.example.com", "shop.example.com"));
  EXPECT_FALSE(same_site("notexample.com", "example.com"));
  EXPECT_FALSE(same_site("", "example.com"));
}

TEST(ReferrerClassifier, MediumCategories) {
  using referrer::medium_category;
  EXPECT_EQ(medium_category("CPC"), "paid");
  EXPECT_EQ(medium_category("cpm"), "paid");
  EXPECT_EQ(medium_category("paid-search"), "paid");
  EXPECT_EQ(medium_category("paid_social"), "paid");
  EXPECT_EQ(medium_category("email"), "email");
  EXPECT_EQ(medium_category("E-Mail"), "email");
  EXPECT_EQ(medium_category("weekly-newsletter"), "email");
  EXPECT_EQ(medium_category("social"), "social");
  EXPECT_EQ(medium_category("organic"), "search");
  EXPECT_EQ(medium_category("referral"), "other");
  EXPECT_EQ(medium_category("carrier-pigeon"), "");
}

TEST(UrlParts, Parsing) {
  url::UrlParts u = url::parse_url("HTTPS://User:pw@Shop.Example.COM.:8443/a/b?x=1&y=%41#frag");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "shop.example.com");
  EXPECT_EQ(u.port, 8443);
  EXPECT_EQ(u.path, "/a/b");
  EXPECT_EQ(u.query, "x=1&y=%41");
  EXPECT_EQ(u.fragment, "frag");
  u = url::parse_url("http://[2001:db8::1]:80/");
  EXPECT_EQ(u.host, "[2001:db8::1]");
  EXPECT_EQ(u.port, 80);
  u = url::parse_url("//cdn.example.com/x.js");
  EXPECT_EQ(u.host, "cdn.example.com");
  u = url::parse_url("/relative/path?q=1");
  EXPECT_EQ(u.host, "");
  EXPECT_EQ(u.path, "/relative/path");
  EXPECT_EQ(url::parse_url("https://exa mple.com/").host, "");
  EXPECT_EQ(url::parse_url("https://a..b/").host, "");
  const auto params = url::parse_query("a=1&&b&c=%zz&d=x+y&=v");
  ASSERT_EQ(params.size(), 4u);
  EXPECT_EQ(params[1].key, "b");
  EXPECT_EQ(params[2].value, "%zz");
  EXPECT_EQ(params[3].value, "x y");
  // HTML-escaped separators, as in links copied from an e-mail's source: "&amp;=x" and a
  // trailing "&amp;" are the escaped "&=x" and "&", dropped as those are.
  const auto escaped = url::parse_query("utm_source=news&amp;utm_medium=email&amp;=x&amp;");
  ASSERT_EQ(escaped.size(), 2u);
  EXPECT_EQ(escaped[1].key, "utm_medium");
  EXPECT_EQ(escaped[1].value, "email");
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "p" + std::to_string(i) + "=1&";
  EXPECT_EQ(url::parse_query(many).size(), url::kMaxParams);
}

TEST(ReferrerClassifier, GarbageNeverCrashes) {
  std::mt19937 rng(3);
  const std::string alphabet = "htps:/?#&=%.@[]:wgoglecm utm_sourceclid\xff";
  for (int i = 0; i < 5000; ++i) {
    std::string a, b, c;
    for (int k = static_cast<int>(rng() % 120); k > 0; --k) a += alphabet[rng() % alphabet.size()];
    for (int k = static_cast<int>(rng() % 120); k > 0; --k) b += alphabet[rng() % alphabet.size()];
    for (int k = static_cast<int>(rng() % 20); k > 0; --k) c += alphabet[rng() % alphabet.size()];
    const ReferrerInfo r = classify_referrer(a, b, c);
    EXPECT_FALSE(r.category.empty());
  }
  (void)classify_referrer(std::string(1 << 20, '%'), std::string(1 << 20, '&'), std::string(1 << 16, '.'));
}

}  // namespace
}  // namespace ithaca
