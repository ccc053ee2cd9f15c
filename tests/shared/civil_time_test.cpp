#include "civil_time.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "data_tables.hpp"
#include "ithaca/tz_rule.hpp"
#include "testing/tsv_table.hpp"

namespace ithaca::civil {
namespace {

// "2024-03-31T01:00:00Z" → Unix seconds (test helper; the table only uses this exact shape).
std::int64_t utc_seconds(const std::string& s) {
  int y, mo, d, h, mi, sec;
  EXPECT_EQ(std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &sec), 6) << s;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + sec;
}

std::string format(const CivilTime& c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

TEST(CivilTime, DaysFromCivilKnownDates) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2024, 2, 29), 19782);
  EXPECT_EQ(days_from_civil(1, 1, 1), -719162);
  EXPECT_EQ(days_from_civil(9999, 12, 31), 2932896);
}

TEST(CivilTime, RoundTripsEveryFewDaysOverTenThousandYears) {
  for (std::int64_t day = -719162; day <= 2932896; day += 7) {
    const CivilTime c = from_unix_seconds(day * 86400 + 3661);
    ASSERT_EQ(days_from_civil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day)), day);
    ASSERT_EQ(c.hour, 1);
    ASSERT_EQ(c.minute, 1);
    ASSERT_EQ(c.second, 1);
    ASSERT_EQ(c.weekday, weekday_from_days(day));
  }
}

TEST(CivilTime, FromUnixSeconds) {
  CivilTime c = from_unix_seconds(0);
  EXPECT_EQ(format(c), "1970-01-01 00:00:00");
  EXPECT_EQ(c.weekday, 4);  // Thursday
  EXPECT_EQ(c.day_of_year, 0);
  c = from_unix_seconds(-1);
  EXPECT_EQ(format(c), "1969-12-31 23:59:59");
  EXPECT_EQ(c.weekday, 3);
  EXPECT_EQ(c.day_of_year, 364);
  c = from_unix_seconds(utc_seconds("2024-12-31T12:00:00Z"));
  EXPECT_EQ(c.day_of_year, 365);  // leap year
  EXPECT_EQ(c.weekday, 2);        // Tuesday
  // Extreme inputs are clamped, never overflow.
  (void)from_unix_seconds(INT64_MAX);
  (void)from_unix_seconds(INT64_MIN);
}

TEST(CivilTime, ConversionsAcrossDstAndOffsetsTable) {
  const auto rows = testing::read_tsv("time_conversions.tsv");
  ASSERT_GE(rows.size(), 50u);
  int passed = 0;
  for (const auto& row : rows) {
    ASSERT_EQ(row.cells.size(), 4u) << "line " << row.line;
    const std::int64_t t = utc_seconds(row.cells[1]);
    const auto offset = utc_offset_seconds(row.cells[0], t);
    ASSERT_TRUE(offset.has_value()) << row.cells[0];
    const std::string local = format(from_unix_seconds(t + *offset));
    const bool ok = local == row.cells[2] && *offset / 60 == std::stoi(row.cells[3]);
    EXPECT_TRUE(ok) << "line " << row.line << ": " << row.cells[0] << " at " << row.cells[1] << " gave " << local
                    << " (" << *offset / 60 << " min), expected " << row.cells[2] << " (" << row.cells[3] << ")";
    passed += ok;
  }
  std::printf("[ civil    ] %d/%zu time conversions passed\n", passed, rows.size());
}

TEST(CivilTime, FixedOffsetsAndUnknownZones) {
  EXPECT_EQ(utc_offset_seconds("Z", 0), 0);
  EXPECT_EQ(utc_offset_seconds("GMT", 0), 0);
  EXPECT_EQ(utc_offset_seconds("+5", 0), 5 * 3600);
  EXPECT_EQ(utc_offset_seconds("GMT-8", 0), -8 * 3600);
  EXPECT_EQ(utc_offset_seconds("europe/berlin", 0), 3600);  // case-insensitive fallback
  EXPECT_FALSE(utc_offset_seconds("", 0));
  EXPECT_FALSE(utc_offset_seconds("Mars/Olympus_Mons", 0));
  EXPECT_FALSE(utc_offset_seconds("+19:00", 0));
  EXPECT_FALSE(utc_offset_seconds("+05:60", 0));
  EXPECT_FALSE(utc_offset_seconds("+05:3", 0));
  EXPECT_FALSE(utc_offset_seconds("++05", 0));
  EXPECT_FALSE(utc_offset_seconds(std::string(1000, 'A'), 0));
}

TEST(CivilTime, ZoneCountry) {
  EXPECT_EQ(zone_country("Europe/Berlin"), "DE");
  EXPECT_EQ(zone_country("Europe/Oslo"), "NO");
  EXPECT_EQ(zone_country("America/New_York"), "US");
  EXPECT_EQ(zone_country("Asia/Calcutta"), "IN");   // backward link to Asia/Kolkata
  EXPECT_EQ(zone_country("US/Eastern"), "US");      // backward link
  EXPECT_EQ(zone_country("Australia/Sydney"), "AU");
  // Old spellings that Chromium still reports take the country of the zone they were renamed
  // to, not of the zone their link ends at (Port Moresby, Nairobi, Panama).
  EXPECT_EQ(zone_country("Pacific/Truk"), "FM");
  EXPECT_EQ(zone_country("Pacific/Ponape"), "FM");
  EXPECT_EQ(zone_country("Africa/Asmera"), "ER");
  EXPECT_EQ(zone_country("America/Coral_Harbour"), "CA");
  EXPECT_EQ(zone_country("Iceland"), "IS");
  EXPECT_EQ(zone_country("America/Sao_Paulo"), "BR");
  EXPECT_EQ(zone_country("UTC"), "");
  EXPECT_EQ(zone_country("Etc/GMT+5"), "");
  EXPECT_EQ(zone_country("Nowhere/Special"), "");
  EXPECT_EQ(zone_country(""), "");
}

TEST(CivilTime, ZoneTableIsSortedAndEveryRuleParses) {
  std::size_t rows = 0;
  std::string_view previous;
  for (const data::Row row : data::tz_zones) {
    if (rows++ > 0) {
      ASSERT_LT(previous, row[0]) << "tz_zones.tsv must be sorted by zone";
    }
    previous = row[0];
    ASSERT_TRUE(posix_rule_offset(row[2], 1'700'000'000).has_value()) << row[0] << ": " << row[2];
    ASSERT_TRUE(row[1].empty() || row[1].size() == 2) << row[0];
    // Every zone is found by its name, exactly and in other case.
    ASSERT_EQ(zone_rule(row[0]), row[2]) << row[0];
    std::string upper(row[0]);
    for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    ASSERT_EQ(zone_rule(upper), row[2]) << upper;
  }
  ASSERT_GT(rows, 400u);
}

// Morocco leaves +01 for +00 during Ramadan and Palestine ends DST early in Ramadan years: tzdata
// lists those dates (no POSIX rule says them), and so does the table, to 2038.
TEST(CivilTime, ListedTransitionsBeatTheRule) {
  EXPECT_EQ(utc_offset_seconds("Africa/Casablanca", utc_seconds("2026-02-23T04:24:05Z")), 0);
  EXPECT_EQ(utc_offset_seconds("Africa/Casablanca", utc_seconds("2026-03-22T01:59:59Z")), 0);
  EXPECT_EQ(utc_offset_seconds("Africa/Casablanca", utc_seconds("2026-03-22T02:00:00Z")), 3600);
  EXPECT_EQ(utc_offset_seconds("Africa/Casablanca", utc_seconds("2027-02-20T12:00:00Z")), 0);
  EXPECT_EQ(utc_offset_seconds("Africa/Casablanca", utc_seconds("2026-07-01T12:00:00Z")), 3600);
  EXPECT_EQ(utc_offset_seconds("Africa/El_Aaiun", utc_seconds("2030-01-10T12:00:00Z")), 0);
  EXPECT_EQ(utc_offset_seconds("Asia/Gaza", utc_seconds("2036-10-20T12:00:00Z")), 7200);
  EXPECT_EQ(utc_offset_seconds("Asia/Hebron", utc_seconds("2037-10-15T12:00:00Z")), 7200);
  EXPECT_EQ(utc_offset_seconds("Asia/Gaza", utc_seconds("2027-07-01T12:00:00Z")), 10800);
  // From 2038 the rule holds again, and before the first listed date too.
  EXPECT_EQ(utc_offset_seconds("Africa/Casablanca", utc_seconds("2040-06-01T12:00:00Z")), 3600);
  // Hours: the first from 1970, each next from the one before; offsets in minutes.
  EXPECT_EQ(listed_offset("10=0 5=60", 10 * 3600 - 1), std::nullopt);
  EXPECT_EQ(listed_offset("10=0 5=60", 10 * 3600), 0);
  EXPECT_EQ(listed_offset("10=-90 5=60", 14 * 3600), -90 * 60);
  EXPECT_EQ(listed_offset("10=0 5=60", 15 * 3600), 3600);
  EXPECT_EQ(listed_offset("10=0 5=60", kListedUntil), std::nullopt);
  EXPECT_EQ(listed_offset("", 150), std::nullopt);
}

TEST(CivilTime, ListedTransitionsAreWellFormed) {
  // "HOURS=MINUTES" pairs, one space apart, in time order across a zone's rows, before 2038, on
  // whole hours and minutes, for zones of the zone table; each takes effect at its instant.
  std::string_view zone;
  std::int64_t last = 0;
  std::size_t pairs = 0;
  for (const data::Row row : data::tz_listed) {
    ASSERT_FALSE(zone_rule(row[0]).empty()) << row[0];
    if (row[0] != zone) zone = row[0], last = 0;
    std::int64_t hour = 0;
    for (std::string_view rest = row[1]; !rest.empty(); ++pairs) {
      const std::string_view pair = rest.substr(0, rest.find(' '));
      rest.remove_prefix(std::min(rest.size(), pair.size() + 1));
      const std::size_t eq = pair.find('=');
      ASSERT_NE(eq, std::string_view::npos) << row[0] << ": " << pair;
      hour += std::stoll(std::string(pair.substr(0, eq)));
      const std::int64_t at = hour * 3600;
      const long off = std::stol(std::string(pair.substr(eq + 1))) * 60;
      ASSERT_GT(at, last) << row[0] << ": " << pair;
      ASSERT_LT(at, kListedUntil) << row[0];
      ASSERT_LE(std::labs(off), 18 * 3600) << row[0];
      ASSERT_EQ(utc_offset_seconds(row[0], at), off) << row[0] << ": " << pair;
      ASSERT_EQ(listed_offset(row[1], at), off) << row[0] << ": " << pair;
      last = at;
    }
  }
  ASSERT_GT(pairs, 40u);
}

TEST(CivilTime, PosixRules) {
  EXPECT_EQ(posix_rule_offset("EST5EDT", utc_seconds("2024-07-01T00:00:00Z")), -4 * 3600);  // default US rules
  EXPECT_EQ(posix_rule_offset("<+0545>-5:45", 0), 5 * 3600 + 45 * 60);
  EXPECT_EQ(posix_rule_offset("EST5EDT,0/0,J365/25", utc_seconds("2024-07-01T00:00:00Z")), -4 * 3600);  // DST all year
  EXPECT_EQ(posix_rule_offset("XXX3YYY,J60/2,J300/2", utc_seconds("2023-06-01T00:00:00Z")), -2 * 3600);
  for (const char* bad : {"", "C", "CET", "CET-1CEST,M3.5", "CET-1CEST,M13.5.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0",
                          "<+01", "CET-200", "CET-1CEST,J0,J10", "CET-1CEST,M3.5.0,M10.5.0/3x"})
    EXPECT_FALSE(posix_rule_offset(bad, 0)) << bad;
}

TEST(TzRule, GivesTheYearsChangesInUtc) {
  const auto berlin = TzRule::parse("CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_TRUE(berlin);
  EXPECT_TRUE(berlin->has_daylight_time());
  EXPECT_EQ(berlin->standard_offset(), 3600);
  EXPECT_EQ(berlin->daylight_offset(), 7200);
  EXPECT_EQ(berlin->daylight_start(2024), utc_seconds("2024-03-31T01:00:00Z"));  // 02:00 CET
  EXPECT_EQ(berlin->daylight_end(2024), utc_seconds("2024-10-27T01:00:00Z"));    // 03:00 CEST
  EXPECT_EQ(berlin->offset_at(utc_seconds("2024-03-31T00:59:59Z")), 3600);
  EXPECT_EQ(berlin->offset_at(utc_seconds("2024-03-31T01:00:00Z")), 7200);

  // Southern hemisphere: daylight time ends in April and starts in October.
  const auto sydney = TzRule::parse("AEST-10AEDT,M10.1.0,M4.1.0/3");
  ASSERT_TRUE(sydney);
  EXPECT_EQ(sydney->daylight_end(2024), utc_seconds("2024-04-06T16:00:00Z"));    // 03:00 AEDT
  EXPECT_EQ(sydney->daylight_start(2024), utc_seconds("2024-10-05T16:00:00Z"));  // 02:00 AEST
  EXPECT_EQ(sydney->offset_at(utc_seconds("2024-01-15T00:00:00Z")), 11 * 3600);
  EXPECT_EQ(sydney->offset_at(utc_seconds("2024-07-15T00:00:00Z")), 10 * 3600);

  const auto kathmandu = TzRule::parse("<+0545>-5:45");
  ASSERT_TRUE(kathmandu);
  EXPECT_FALSE(kathmandu->has_daylight_time());
  EXPECT_EQ(kathmandu->offset_at(0), 5 * 3600 + 45 * 60);
  EXPECT_FALSE(TzRule::parse("CET-1CEST,M3.5.0"));
}

TEST(CivilTime, GarbageNeverCrashes) {
  std::mt19937 rng(7);
  const std::string alphabet = "ABCMJ<>+-:,./0123456789 ";
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) s += alphabet[rng() % alphabet.size()];
    (void)posix_rule_offset(s, static_cast<std::int64_t>(rng()) * 1000);
    (void)utc_offset_seconds(s, static_cast<std::int64_t>(rng()));
  }
}

}  // namespace
}  // namespace ithaca::civil
