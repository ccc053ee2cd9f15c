// Context from raw signals: turns what a page or a request already carries — User-Agent and its
// Client Hints, landing and referrer URLs, the clock, timezone and languages — into the context
// attributes that rules read (`time`, `geo`, `device`, `referrer`, `utm`/`campaign`, `url`; every
// attribute is listed in docs/context.md). All input is untrusted: lengths are bounded, work is
// linear in the (bounded) input, nothing throws, and the same input gives the same output native
// and in wasm. Classification tables are compiled in from shared/data/*.tsv; there is no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ithaca/result.hpp"
#include "ithaca/value.hpp"

namespace ithaca {

// Everything is optional: empty strings, empty lists and absent optionals mean "unknown".
struct RawSignals {
  std::string user_agent;
  // User-Agent Client Hints as a map: JS names from navigator.userAgentData (mobile, platform,
  // platformVersion, model, brands, fullVersionList, formFactors …), snake_case names
  // (platform_version …) or raw header names (sec-ch-ua, sec-ch-ua-mobile …) with their
  // structured-header string values. Null when absent.
  Value ua_ch;
  std::string url;        // landing/current URL
  std::string referrer;
  std::string site_host;  // the site's own host; empty means the landing URL's host
  std::optional<std::int64_t> now_ms;     // Unix epoch milliseconds
  // Minutes EAST of UTC (+60 for CET). JavaScript's Date#getTimezoneOffset() is the negation.
  std::optional<int> tz_offset_minutes;
  std::string timezone;                 // IANA name, e.g. "Europe/Berlin"
  std::vector<std::string> languages;   // navigator.languages order
  std::string accept_language;          // used when `languages` is empty
  std::string country;                  // ISO 3166-1 alpha-2, e.g. from server-side geo
  std::string region, city;             // from server-side geo, passed through
  // Optional page signals.
  std::optional<bool> touch;            // a touch screen ('ontouchstart' / pointer: coarse)
  std::optional<int> max_touch_points;  // navigator.maxTouchPoints (tells iPads from Macs)
  std::optional<int> screen_width, screen_height;  // CSS pixels
  std::optional<bool> dark_mode;        // prefers-color-scheme: dark
};

// From a JSON object with keys user_agent, ua_ch, url, referrer, site_host, now (epoch ms as a
// number, or an RFC 3339 string), tz_offset_minutes, timezone, languages (array of strings, or
// an Accept-Language string), accept_language, country, region, city, touch, max_touch_points,
// screen_width, screen_height, dark_mode. Null members count as absent; unknown keys are ignored.
// A member of the wrong type or out of range is an Error of kind Json with its path ("$.now").
Result<RawSignals> raw_signals_from_value(const Value& object);

// The derived context: a map with the groups time, geo, device, referrer, utm, campaign (the
// same map as utm) and url. String attributes are always present ("" when unknown); numbers and
// booleans only when known. Never fails.
Value derive_context(const RawSignals& raw);

// One JSON object of raw signals in, one JSON object (the derived context) out; or
// {"error":{"kind":"json","message":…,"path":…}} (with "position" for malformed JSON).
std::string derive_context_json(std::string_view raw_signals_json);

struct DeviceInfo {
  std::string type;             // mobile, tablet, desktop, tv, bot; "" when nothing is known
  std::string os;               // ios, ipados, android, windows, macos, linux, chromeos, …
  std::string os_version;       // "17.4.1", "14", "11"
  std::string browser;          // chrome, safari, firefox, edge, samsung, opera, instagram, …
  std::string browser_version;  // major.minor, or major when that is all that is known
  bool bot = false;
  std::string bot_name;         // googlebot, gptbot, curl, … when bot
  std::string model;            // device model when the UA or hints name one ("Pixel 8")
  std::optional<bool> touch;    // known or implied (phones and tablets are touch devices)
};

// Signals beyond the UA and its hints that help to classify a device.
struct DeviceSignals {
  std::optional<bool> touch;
  std::optional<int> max_touch_points;
  std::optional<int> screen_width;  // tells an iPhone in desktop mode from an iPad
};

DeviceInfo classify_device(std::string_view user_agent, const Value& ua_ch);
DeviceInfo classify_device(std::string_view user_agent, const Value& ua_ch, const DeviceSignals& extra);

// Campaign parameters from the landing URL (utm_*, with mtm_*/pk_* as fallbacks) and the first
// known click id. Values are percent-decoded and kept as written.
struct CampaignInfo {
  std::string source, medium, campaign, term, content, id;
  std::string click_id;       // the click id's value
  std::string click_id_type;  // its parameter name: gclid, fbclid, msclkid, …
};

struct ReferrerInfo {
  std::string url;       // the referrer as given (bounded, valid UTF-8)
  std::string host;      // lower-case, without port; "" when there is no usable referrer
  std::string category;  // direct, internal, search, social, email, paid, other
  std::string source;    // google, facebook, newsletter (from utm_source), gmail, …
  std::string medium;    // utm_medium (lower-case), else organic, social, email, cpc, referral, internal, ""
  CampaignInfo campaign;
};

ReferrerInfo classify_referrer(std::string_view referrer_url, std::string_view landing_url,
                               std::string_view site_host);

}  // namespace ithaca
