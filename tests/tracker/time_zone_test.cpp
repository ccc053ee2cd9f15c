// Local days and hours from the system's TZif files, including the footer rules that carry a
// zone past its last listed transition, and the clock changes reports must bucket correctly.
#include "reports/time_zone.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "time_param.hpp"

namespace ithaca::tracker {
namespace {

constexpr std::int64_t H = kHourMs;

std::int64_t utc(int y, unsigned m, unsigned d, int hour = 0, int minute = 0) {
  return days_from_civil(y, m, d) * kDayMs + hour * H + minute * 60'000;
}

std::shared_ptr<const TimeZone> zone(const char* name) {
  std::string error;
  auto z = TimeZone::load(name, error);
  EXPECT_TRUE(z) << error;
  return z;
}

TEST(TimeZone, UtcNeedsNoFile) {
  std::string error;
  auto z = TimeZone::load("UTC", error);
  ASSERT_TRUE(z);
  EXPECT_EQ(z->offset_ms(utc(2024, 7, 1)), 0);
  EXPECT_EQ(z->local_day(utc(2024, 3, 30, 23, 59)), days_from_civil(2024, 3, 30));
}

TEST(TimeZone, BerlinSummerTime) {
  auto berlin = zone("Europe/Berlin");
  // Summer time from 2024-03-31 01:00 UTC to 2024-10-27 01:00 UTC.
  EXPECT_EQ(berlin->offset_ms(utc(2024, 3, 31, 0, 59)), 1 * H);
  EXPECT_EQ(berlin->offset_ms(utc(2024, 3, 31, 1, 0)), 2 * H);
  EXPECT_EQ(berlin->offset_ms(utc(2024, 10, 27, 0, 59)), 2 * H);
  EXPECT_EQ(berlin->offset_ms(utc(2024, 10, 27, 1, 0)), 1 * H);
  // Far past the file's explicit transitions, the footer rule (last Sunday of March) applies.
  EXPECT_EQ(berlin->offset_ms(utc(2090, 3, 26, 1, 0)), 2 * H);
  EXPECT_EQ(berlin->offset_ms(utc(2090, 3, 26, 0, 59)), 1 * H);
  // A local day begins at local midnight.
  EXPECT_EQ(berlin->day_start_utc(static_cast<std::int32_t>(days_from_civil(2024, 3, 31))), utc(2024, 3, 30, 23));
  EXPECT_EQ(berlin->day_start_utc(static_cast<std::int32_t>(days_from_civil(2024, 4, 1))), utc(2024, 3, 31, 22));
  // 02:30 local does not exist on 2024-03-31: local hour 02 has no instant, 03:00 starts at 01:00 UTC.
  const std::int64_t day = days_from_civil(2024, 3, 31);
  EXPECT_EQ(berlin->local_start_utc((day * 24 + 3) * H), utc(2024, 3, 31, 1));
  EXPECT_EQ(berlin->local_hour(berlin->local_start_utc((day * 24 + 2) * H)), day * 24 + 3);
}

TEST(TimeZone, HalfHourAndSouthernZones) {
  auto kolkata = zone("Asia/Kolkata");
  EXPECT_EQ(kolkata->offset_ms(utc(2024, 1, 1)), 5 * H + 30 * 60'000);
  EXPECT_EQ(kolkata->local_day(utc(2024, 1, 1, 18, 29)), days_from_civil(2024, 1, 1));
  EXPECT_EQ(kolkata->local_day(utc(2024, 1, 1, 18, 30)), days_from_civil(2024, 1, 2));
  auto sydney = zone("Australia/Sydney");
  EXPECT_EQ(sydney->offset_ms(utc(2024, 1, 15)), 11 * H);  // summer in January
  EXPECT_EQ(sydney->offset_ms(utc(2024, 7, 15)), 10 * H);
  EXPECT_EQ(sydney->offset_ms(utc(2095, 1, 15)), 11 * H);
  EXPECT_EQ(sydney->offset_ms(utc(2095, 7, 15)), 10 * H);
}

TEST(TimeZone, SegmentsCoverARange) {
  auto berlin = zone("Europe/Berlin");
  auto segments = berlin->segments(utc(2024, 3, 1), utc(2024, 11, 1));
  ASSERT_EQ(segments.size(), 3u);
  EXPECT_EQ(segments[0].start_ms, utc(2024, 3, 1));
  EXPECT_EQ(segments[0].offset_ms, 1 * H);
  EXPECT_EQ(segments[1].start_ms, utc(2024, 3, 31, 1));
  EXPECT_EQ(segments[2].start_ms, utc(2024, 10, 27, 1));
  EXPECT_EQ(berlin->segments(utc(2024, 5, 1), utc(2024, 6, 1)).size(), 1u);
}

TEST(TimeZone, RejectsNamesThatAreNotZones) {
  std::string error;
  EXPECT_FALSE(TimeZone::load("../../etc/passwd", error));
  EXPECT_FALSE(TimeZone::load("Mars/Olympus_Mons", error));
  EXPECT_NE(error.find("unknown time zone"), std::string::npos);
  EXPECT_FALSE(TimeZone::from_tzif("x", "not a tzif file", error));
}

// TZif version 2 bytes with no transitions, one standard-time type and `footer` (RFC 8536).
std::string tzif_with_footer(std::int32_t std_offset_s, const std::string& footer) {
  auto be32 = [](std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
  };
  auto block = [&](std::string& out) {
    out += "TZif2";
    out += std::string(15, '\0');
    for (std::uint32_t count : {0u, 0u, 0u, 0u, 1u, 4u}) be32(out, count);  // one type, 4 chars
    be32(out, static_cast<std::uint32_t>(std_offset_s));
    out += '\0';  // not daylight time
    out += '\0';  // abbreviation at 0
    out += std::string("STD", 4);
  };
  std::string bytes;
  block(bytes);
  block(bytes);
  return bytes + "\n" + footer + "\n";
}

TEST(TimeZone, FooterRulesCarryTheZonePastItsTransitions) {
  std::string error;
  auto berlin = TimeZone::from_tzif("Test/Berlin", tzif_with_footer(3600, "CET-1CEST,M3.5.0,M10.5.0/3"), error);
  ASSERT_TRUE(berlin) << error;
  EXPECT_EQ(berlin->offset_ms(utc(2031, 3, 30, 0, 59)), 1 * H);  // 2031-03-30 is the last Sunday
  EXPECT_EQ(berlin->offset_ms(utc(2031, 3, 30, 1)), 2 * H);
  EXPECT_EQ(berlin->offset_ms(utc(2099, 10, 25, 0, 59)), 2 * H);
  EXPECT_EQ(berlin->offset_ms(utc(2099, 10, 25, 1)), 1 * H);

  // A daylight time without change rules gets the US rules (the core's TzRule, as glibc does).
  auto eastern = TimeZone::from_tzif("Test/Eastern", tzif_with_footer(-5 * 3600, "EST5EDT"), error);
  ASSERT_TRUE(eastern) << error;
  EXPECT_EQ(eastern->offset_ms(utc(2030, 7, 1)), -4 * H);
  EXPECT_EQ(eastern->offset_ms(utc(2030, 1, 1)), -5 * H);

  EXPECT_FALSE(TimeZone::from_tzif("Test/Bad", tzif_with_footer(3600, "CET-1CEST,M13.5.0,M10.5.0"), error));
  EXPECT_NE(error.find("unsupported footer rule"), std::string::npos) << error;
}

}  // namespace
}  // namespace ithaca::tracker
