// IP → country/region/city through a MaxMind DB file (libmaxminddb, memory-mapped). The
// address is only looked up, never kept. Lookups are thread-safe once open() returned.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace ithaca::tracker {

struct GeoResult {
  std::string country;  // ISO 3166-1 alpha-2, upper case
  std::string region;   // first subdivision ISO code
  std::string city;     // English name
};

class GeoDatabase {
 public:
  static std::unique_ptr<GeoDatabase> open(const std::string& path, std::string& error);
  ~GeoDatabase();
  GeoDatabase(const GeoDatabase&) = delete;
  GeoDatabase& operator=(const GeoDatabase&) = delete;

  // False when the address is malformed or not in the database.
  bool lookup(std::string_view ip, GeoResult& out) const;

 private:
  GeoDatabase();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ithaca::tracker
