#include "url_parts.hpp"

#include <gtest/gtest.h>

namespace ithaca::tracker {
namespace {

TEST(UrlParts, KeepsHostAndPathAndDropsTheRest) {
  auto p = split_url("https://User:pw@Shop.Example:8443/a/b?email=x@y.z#top");
  EXPECT_EQ(p.host, "shop.example");
  EXPECT_EQ(p.path, "/a/b");
  p = split_url("http://shop.example");
  EXPECT_EQ(p.host, "shop.example");
  EXPECT_EQ(p.path, "/");
  p = split_url("http://shop.example?x=1");
  EXPECT_EQ(p.path, "/");
  p = split_url("/local/path?q");
  EXPECT_EQ(p.host, "");
  EXPECT_EQ(p.path, "/local/path");
  p = split_url("http://[2001:db8::1]:8080/x");
  EXPECT_EQ(p.host, "[2001:db8::1]");
  EXPECT_EQ(p.path, "/x");
}

TEST(UrlParts, IgnoresWhatIsNotAUrl) {
  for (const char* bad : {"", "javascript:alert(1)", "relative/path", "?q=1"}) {
    auto p = split_url(bad);
    EXPECT_EQ(p.host, "") << bad;
    EXPECT_EQ(p.path, "") << bad;
  }
}

}  // namespace
}  // namespace ithaca::tracker
