#include "reports/dimensions.hpp"

namespace ithaca::tracker {

const std::array<DimInfo, kDimCount>& dimensions() {
  static const std::array<DimInfo, kDimCount> kDims = {{
      {Dim::All, "all", ""},
      {Dim::Page, "page", "path"},
      {Dim::Landing, "landing_page", "landing_path"},
      {Dim::ReferrerCategory, "referrer_category", "referrer_category"},
      {Dim::ReferrerSource, "referrer_source", "referrer_source"},
      {Dim::UtmSource, "utm_source", "utm_source"},
      {Dim::UtmMedium, "utm_medium", "utm_medium"},
      {Dim::UtmCampaign, "utm_campaign", "utm_campaign"},
      {Dim::Device, "device", "device_type"},
      {Dim::Os, "os", "os"},
      {Dim::Browser, "browser", "browser"},
      {Dim::Country, "country", "country"},
      {Dim::Language, "language", "language"},
      {Dim::Visit, "visit", "visit_first"},
      {Dim::Event, "event", "name"},
      {Dim::Type, "type", "type"},
  }};
  return kDims;
}

std::optional<Dim> parse_dimension(std::string_view name) {
  for (const DimInfo& d : dimensions()) {
    if (d.dim != Dim::All && name == d.name) return d.dim;
  }
  // Column names are accepted too.
  if (name == "path") return Dim::Page;
  if (name == "landing_path") return Dim::Landing;
  if (name == "device_type") return Dim::Device;
  return std::nullopt;
}

const char* dimension_name(Dim dim) { return dimensions()[static_cast<int>(dim)].name; }

std::string_view dimension_value(const StoredEvent& e, Dim dim) {
  switch (dim) {
    case Dim::All: return {};
    case Dim::Page: return e.path;
    case Dim::Landing: return e.landing_path;
    case Dim::ReferrerCategory: return e.referrer_category;
    case Dim::ReferrerSource: return e.referrer_source;
    case Dim::UtmSource: return e.utm_source;
    case Dim::UtmMedium: return e.utm_medium;
    case Dim::UtmCampaign: return e.utm_campaign;
    case Dim::Device: return e.device_type;
    case Dim::Os: return e.os;
    case Dim::Browser: return e.browser;
    case Dim::Country: return e.country;
    case Dim::Language: return e.language;
    case Dim::Visit: return visit_value(e.visit_first);
    case Dim::Event: return e.name;
    case Dim::Type: return to_string(e.type);
  }
  return {};
}

}  // namespace ithaca::tracker
