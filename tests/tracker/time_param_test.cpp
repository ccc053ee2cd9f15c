#include "time_param.hpp"

#include <gtest/gtest.h>

namespace ithaca::tracker {
namespace {

TEST(TimeParam, ParsesEpochMillisecondsDatesAndRfc3339) {
  EXPECT_EQ(parse_time_param("1714521600000"), 1714521600000);
  EXPECT_EQ(parse_time_param("0"), 0);
  EXPECT_EQ(parse_time_param("-1000"), -1000);
  EXPECT_EQ(parse_time_param("2024-05-01"), 1714521600000);
  EXPECT_EQ(parse_time_param("1970-01-01"), 0);
  EXPECT_EQ(parse_time_param("2024-05-01T10:00:00Z"), 1714521600000 + 36'000'000);
  EXPECT_EQ(parse_time_param("2024-05-01T10:00:00.250Z"), 1714521600000 + 36'000'250);
  EXPECT_EQ(parse_time_param("2000-02-29"), 951782400000);
  EXPECT_EQ(parse_time_param("2024-02-29"), 1709164800000);
  EXPECT_EQ(parse_time_param("2026-12-31"), 1798675200000);
}

TEST(TimeParam, RejectsEverythingElse) {
  for (const char* bad : {"", "abc", "2024-13-01", "2024-05-01T25:00:00Z", "2024-05-01T10:00:00+02:00",
                          "2024-5-1", "12e3", "1;DROP", "9999999999999999999", "2024-05-01T10:00Z", "-",
                          // Days the month does not have; 1900 was no leap year, 2000 was.
                          "2026-02-31", "2026-04-31", "2026-02-29", "1900-02-29", "2024-06-31T10:00:00Z"}) {
    EXPECT_FALSE(parse_time_param(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace ithaca::tracker
