#include "geo_database.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using testing::TempDir;

// The MMDB fixture, or "" when libmaxmind-db-writer-perl is missing (the test skips).
std::string build_mmdb(const TempDir& dir) {
  const std::string out = dir.str("test.mmdb");
  return testing::build_test_mmdb(out) ? out : std::string();
}

TEST(GeoDatabase, LooksUpCountryRegionAndCity) {
  TempDir dir;
  const std::string path = build_mmdb(dir);
  if (path.empty()) GTEST_SKIP() << "libmaxmind-db-writer-perl is not installed";
  std::string error;
  auto geo = GeoDatabase::open(path, error);
  ASSERT_TRUE(geo) << error;
  GeoResult r;
  ASSERT_TRUE(geo->lookup("81.2.69.160", r));
  EXPECT_EQ(r.country, "GB");
  EXPECT_EQ(r.region, "ENG");
  EXPECT_EQ(r.city, "London");
  ASSERT_TRUE(geo->lookup("127.0.0.1", r));
  EXPECT_EQ(r.country, "DE");
  ASSERT_TRUE(geo->lookup("2001:db8::5", r));
  EXPECT_EQ(r.country, "JP");  // registered_country as the fallback
  EXPECT_FALSE(geo->lookup("192.0.2.1", r));
  EXPECT_FALSE(geo->lookup("not an address", r));
  EXPECT_FALSE(geo->lookup("", r));
}

TEST(GeoDatabase, OpenFailsClearly) {
  std::string error;
  EXPECT_FALSE(GeoDatabase::open("/no/such.mmdb", error));
  EXPECT_NE(error.find("/no/such.mmdb"), std::string::npos);
  EXPECT_FALSE(GeoDatabase::open(testing::fixture("rules_shop.json"), error));
}

}  // namespace
}  // namespace ithaca::tracker
