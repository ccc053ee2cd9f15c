#include "geo_database.hpp"

#include <maxminddb.h>

namespace ithaca::tracker {

struct GeoDatabase::Impl {
  MMDB_s mmdb{};
  bool opened = false;
};

GeoDatabase::GeoDatabase() : impl_(std::make_unique<Impl>()) {}

GeoDatabase::~GeoDatabase() {
  if (impl_->opened) MMDB_close(&impl_->mmdb);
}

std::unique_ptr<GeoDatabase> GeoDatabase::open(const std::string& path, std::string& error) {
  std::unique_ptr<GeoDatabase> db(new GeoDatabase());
  const int rc = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db->impl_->mmdb);
  if (rc != MMDB_SUCCESS) {
    error = "cannot open geo database " + path + ": " + MMDB_strerror(rc);
    return nullptr;
  }
  db->impl_->opened = true;
  return db;
}

namespace {

std::string utf8_string(MMDB_entry_s* entry, const char* const* path) {
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data ||
      data.type != MMDB_DATA_TYPE_UTF8_STRING) {
    return {};
  }
  return std::string(data.utf8_string, data.data_size);
}

}  // namespace

bool GeoDatabase::lookup(std::string_view ip, GeoResult& out) const {
  out = GeoResult{};
  if (ip.empty() || ip.size() > 64) return false;
  const std::string address(ip);
  int gai_error = 0;
  int mmdb_error = MMDB_SUCCESS;
  MMDB_lookup_result_s result =
      MMDB_lookup_string(&impl_->mmdb, address.c_str(), &gai_error, &mmdb_error);
  if (gai_error != 0 || mmdb_error != MMDB_SUCCESS || !result.found_entry) return false;

  static const char* const country[] = {"country", "iso_code", nullptr};
  static const char* const registered[] = {"registered_country", "iso_code", nullptr};
  static const char* const region[] = {"subdivisions", "0", "iso_code", nullptr};
  static const char* const city[] = {"city", "names", "en", nullptr};
  out.country = utf8_string(&result.entry, country);
  if (out.country.empty()) out.country = utf8_string(&result.entry, registered);
  out.region = utf8_string(&result.entry, region);
  out.city = utf8_string(&result.entry, city);
  return !out.country.empty() || !out.city.empty();
}

}  // namespace ithaca::tracker
