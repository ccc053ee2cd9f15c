#include "reports/event_generator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "ithaca/ruleset.hpp"
#include "reports/time_zone.hpp"

namespace ithaca::tracker {
namespace {

using nlohmann::json;

struct Weighted {
  const char* a;
  const char* b;
  const char* c;
  double weight;
};

// User agents a shop sees (a: User-Agent, b: device type for the generator's own bookkeeping).
constexpr Weighted kAgents[] = {
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
     "desktop", "", 25},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
     "Safari/537.36",
     "desktop", "", 8},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
     "Safari/605.1.15",
     "desktop", "", 6},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0", "desktop", "", 6},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
     "Safari/537.36 Edg/124.0.0.0",
     "desktop", "", 5},
    {"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "desktop", "", 2},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
     "Mobile/15E148 Safari/604.1",
     "mobile", "", 20},
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile "
     "Safari/537.36",
     "mobile", "", 18},
    {"Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 "
     "Chrome/117.0.0.0 Mobile Safari/537.36",
     "mobile", "", 4},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Mobile/21E219 Instagram 330.0.0.28.64 (iPhone15,2; iOS 17_4; en_US; en; scale=3.00; 1179x2556)",
     "mobile", "", 2},
    {"Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
     "Mobile/15E148 Safari/604.1",
     "tablet", "", 4},
};
constexpr Weighted kBots[] = {
    {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot", "", 6},
    {"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bot", "", 3},
    {"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "bot", "", 1},
};
// Country, language, time zone.
constexpr Weighted kPlaces[] = {
    {"DE", "de-DE", "Europe/Berlin", 22},  {"US", "en-US", "America/New_York", 18}, {"GB", "en-GB", "Europe/London", 10},
    {"FR", "fr-FR", "Europe/Paris", 8},    {"AT", "de-AT", "Europe/Vienna", 5},     {"CH", "de-CH", "Europe/Zurich", 4},
    {"NL", "nl-NL", "Europe/Amsterdam", 5}, {"ES", "es-ES", "Europe/Madrid", 5},    {"IT", "it-IT", "Europe/Rome", 5},
    {"PL", "pl-PL", "Europe/Warsaw", 4},   {"SE", "sv-SE", "Europe/Stockholm", 3},  {"CA", "en-CA", "America/Toronto", 3},
    {"AU", "en-AU", "Australia/Sydney", 3}, {"JP", "ja-JP", "Asia/Tokyo", 2},       {"BR", "pt-BR", "America/Sao_Paulo", 3},
};
// Channel: category, default source, referrer URL.
constexpr Weighted kSearch[] = {{"google", "https://www.google.com/", "", 70},
                                {"bing", "https://www.bing.com/", "", 15},
                                {"duckduckgo", "https://duckduckgo.com/", "", 10},
                                {"ecosia", "https://www.ecosia.org/", "", 5}};
constexpr Weighted kSocial[] = {{"facebook", "https://www.facebook.com/", "", 35},
                                {"instagram", "https://www.instagram.com/", "", 30},
                                {"twitter", "https://t.co/x7Yq2", "", 10},
                                {"linkedin", "https://www.linkedin.com/", "", 10},
                                {"reddit", "https://www.reddit.com/r/Coffee/", "", 15}};
constexpr Weighted kReferrals[] = {{"coffeegeek.example", "https://coffeegeek.example/reviews/grinders", "", 40},
                                   {"blog.brewing.example", "https://blog.brewing.example/pour-over-guide", "", 35},
                                   {"news.example", "https://news.example/food/coffee-prices", "", 25}};
constexpr Weighted kEmailCampaigns[] = {{"weekly-roast", "", "", 60}, {"black-friday", "", "", 25}, {"winback", "", "", 15}};
constexpr Weighted kPaidCampaigns[] = {{"brand", "", "", 50}, {"espresso-beans", "", "", 30}, {"gift-boxes", "", "", 20}};

constexpr const char* kProducts[] = {"ethiopia-yirgacheffe", "colombia-huila", "brazil-santos", "kenya-aa",
                                     "house-espresso", "decaf-swiss-water", "guatemala-antigua", "sumatra-mandheling",
                                     "breakfast-blend", "cold-brew-pack", "gift-box", "grinder-hand"};
constexpr const char* kInterests[] = {"espresso", "filter", "espresso", "filter", "espresso", "decaf",
                                      "filter", "filter", "filter", "cold-brew", "gifts", "gear"};
constexpr double kPrices[] = {14.9, 12.9, 9.9, 16.9, 13.9, 12.9, 13.9, 14.9, 10.9, 19.9, 34.9, 49.0};
constexpr const char* kPosts[] = {"pour-over-guide", "espresso-at-home", "storing-beans", "decaf-myths", "roast-levels",
                                  "cold-brew-recipe"};

constexpr double kHourWeights[] = {0.25, 0.18, 0.12, 0.1, 0.1, 0.15, 0.3, 0.55, 0.8, 0.95, 1.0, 1.0,
                                   1.0,  0.95, 0.9, 0.9, 0.95, 1.0, 1.05, 1.1, 1.05, 0.9, 0.6, 0.4};

enum class Channel { Direct, Search, Social, Email, Paid, Referral };

struct Touch {
  std::int64_t ts;
  std::string category, source, medium, campaign;
  json to_json() const {
    json t = {{"ts", ts}, {"category", category}};
    if (!source.empty()) t["source"] = source;
    if (!medium.empty()) t["medium"] = medium;
    if (!campaign.empty()) t["campaign"] = campaign;
    return t;
  }
};

struct Profile {
  std::string id;  // the SDK's random state id (sent as visitor_id only with consent)
  bool consent = false;
  int agent = 0, place = 0;
  std::uint32_t ip = 0;
  int visits = 0;
  std::int64_t last_ts = 0;
  int stage = 0;
  int orders = 0;
  std::vector<Touch> touchpoints;  // last 10
  json first_touch;
  std::vector<std::string> interests;
};

struct ExperimentInfo {
  std::string id, goal;
  std::vector<std::pair<std::string, double>> variants;
  int traffic = 100;
};

}  // namespace

struct EventGenerator::Impl {
  GeneratorOptions o;
  std::mt19937_64 rng;
  std::vector<double> minute_cdf;  // cumulative weights per minute of the span
  std::int64_t start_ms = 0;
  std::vector<Profile> profiles;
  std::size_t next_profile_slot = 0;
  std::int64_t generated = 0, visits = 0;
  double u = 0, visits_estimate = 1;
  std::vector<std::string> stages{"awareness", "consideration", "purchase", "loyalty"};
  std::vector<ExperimentInfo> experiments;
  std::vector<GeneratedRequest> pending;  // requests of the current visit, in order
  std::vector<std::shared_ptr<const TimeZone>> zones;  // per place

  double uniform() { return std::uniform_real_distribution<double>(0, 1)(rng); }
  bool chance(double p) { return uniform() < p; }
  template <std::size_t N>
  std::size_t pick(const Weighted (&table)[N]) {
    double total = 0;
    for (const auto& w : table) total += w.weight;
    double x = uniform() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if ((x -= table[i].weight) < 0) return i;
    }
    return N - 1;
  }
  std::string hex(int bytes) {
    std::string s;
    char buf[3];
    for (int i = 0; i < bytes; ++i) {
      std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned>(rng() & 0xff));
      s += buf;
    }
    return s;
  }

  void load_rules() {
    if (o.rules_json.empty()) return;
    json doc = json::parse(o.rules_json, nullptr, false);
    if (!doc.is_object()) return;
    if (auto j = doc.find("journey"); j != doc.end() && j->contains("stages") && (*j)["stages"].is_array()) {
      std::vector<std::string> s;
      for (const auto& st : (*j)["stages"]) {
        if (st.is_object() && st.contains("id") && st["id"].is_string()) s.push_back(st["id"]);
      }
      if (!s.empty()) stages = s;
    }
    if (auto ex = doc.find("experiments"); ex != doc.end() && ex->is_object()) {
      for (const auto& [id, e] : ex->items()) {
        ExperimentInfo info;
        info.id = id;
        info.goal = e.value("goal", "");
        info.traffic = e.value("traffic", 100);
        if (e.contains("variants") && e["variants"].is_array()) {
          for (const auto& v : e["variants"]) {
            if (v.is_object() && v.contains("id")) info.variants.emplace_back(v["id"], v.value("weight", 1.0));
          }
        }
        if (!info.variants.empty()) experiments.push_back(std::move(info));
      }
    }
  }

  explicit Impl(GeneratorOptions options) : o(std::move(options)), rng(o.seed) {
    if (o.end_ms == 0) {
      o.end_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
    }
    start_ms = o.end_ms - static_cast<std::int64_t>(o.days * 86'400'000.0);
    const std::int64_t minutes = std::max<std::int64_t>(1, (o.end_ms - start_ms) / 60'000);
    minute_cdf.resize(static_cast<std::size_t>(minutes));
    double total = 0;
    for (std::int64_t m = 0; m < minutes; ++m) {
      const std::int64_t t = start_ms + m * 60'000;
      const int hour = static_cast<int>((t / 3'600'000) % 24);
      const int weekday = static_cast<int>((t / 86'400'000 + 4) % 7);  // 0 = Sunday
      total += kHourWeights[hour] * ((weekday == 0 || weekday == 6) ? 0.85 : 1.0);
      minute_cdf[static_cast<std::size_t>(m)] = total;
    }
    for (double& c : minute_cdf) c /= total;
    visits_estimate = std::max(1.0, static_cast<double>(o.events) / 6.0);
    load_rules();
    for (const auto& place : kPlaces) {
      std::string error;
      auto zone = TimeZone::load(place.c, error);
      zones.push_back(zone ? zone : TimeZone::utc());
    }
  }

  std::int64_t time_at(double q) {
    auto it = std::lower_bound(minute_cdf.begin(), minute_cdf.end(), q);
    const auto m = static_cast<std::int64_t>(it - minute_cdf.begin());
    return start_ms + m * 60'000 + static_cast<std::int64_t>(uniform() * 60'000);
  }

  Profile& choose_profile(std::int64_t now) {
    if (!profiles.empty() && chance(o.returning_rate)) {
      const std::size_t window = std::min<std::size_t>(profiles.size(), 50'000);
      const std::size_t newest = (next_profile_slot + profiles.size() - 1) % profiles.size();
      const std::size_t back = static_cast<std::size_t>(uniform() * static_cast<double>(window));
      Profile& p = profiles[(newest + profiles.size() - back) % profiles.size()];
      if (p.last_ts < now - 30 * 60'000) return p;
    }
    Profile p;
    p.id = hex(16);
    p.consent = chance(o.consent_rate);
    p.agent = static_cast<int>(pick(kAgents));
    p.place = static_cast<int>(pick(kPlaces));
    p.ip = static_cast<std::uint32_t>(rng());
    constexpr std::size_t kMaxProfiles = 300'000;
    if (profiles.size() < kMaxProfiles) {
      profiles.push_back(std::move(p));
      next_profile_slot = 0;
      return profiles.back();
    }
    const std::size_t slot = next_profile_slot;
    next_profile_slot = (next_profile_slot + 1) % kMaxProfiles;
    profiles[slot] = std::move(p);
    return profiles[slot];
  }

  std::string variant_for(const ExperimentInfo& e, const std::string& visitor, bool& in) {
    const std::uint32_t bucket = ithaca::bucket_of(e.id, visitor);
    in = bucket < static_cast<std::uint32_t>(e.traffic) * 100;
    double total = 0;
    for (const auto& v : e.variants) total += v.second;
    double x = static_cast<double>(bucket % 10000) / 10000.0 * total;
    for (const auto& v : e.variants) {
      if ((x -= v.second) < 0) return v.first;
    }
    return e.variants.back().first;
  }

  std::string address(std::uint32_t ip) {
    char buf[20];
    std::snprintf(buf, sizeof buf, "10.%u.%u.%u", (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
    return buf;
  }

  void bot_visit(std::int64_t t) {
    const std::size_t agent = pick(kBots);
    GeneratedRequest r;
    r.user_agent = kBots[agent].a;
    r.forwarded_for = address(static_cast<std::uint32_t>(rng()));
    r.ts = t;
    json events = json::array();
    const int pages = 1 + static_cast<int>(uniform() * 8);
    for (int i = 0; i < pages; ++i) {
      const std::string path = chance(0.5) ? std::string("/products/") + kProducts[rng() % 12]
                                           : std::string("/blog/") + kPosts[rng() % 6];
      events.push_back({{"type", "pageview"}, {"id", hex(12)}, {"ts", t + i * 2000}, {"url", "https://" + o.host + path}});
    }
    r.events = events.size();
    r.body = {{"site", o.site}, {"events", std::move(events)}};
    generated += static_cast<std::int64_t>(r.events);
    pending.push_back(std::move(r));
  }

  void human_visit(std::int64_t t) {
    Profile& p = choose_profile(t);
    p.visits += 1;
    const Weighted& place = kPlaces[p.place];
    const std::string device = kAgents[p.agent].b;

    // How the visit arrived.
    static constexpr double kChannelWeights[] = {28, 30, 12, 8, 8, 14};
    double x = uniform() * 100;
    int c = 0;
    while (c < 5 && (x -= kChannelWeights[c]) >= 0) ++c;
    const auto channel = static_cast<Channel>(c);
    std::string referrer, query;
    Touch touch{t, "direct", "", "", ""};
    switch (channel) {
      case Channel::Direct: break;
      case Channel::Search: {
        const auto& s = kSearch[pick(kSearch)];
        referrer = s.b;
        touch = {t, "search", s.a, "", ""};
        break;
      }
      case Channel::Social: {
        const auto& s = kSocial[pick(kSocial)];
        referrer = s.b;
        touch = {t, "social", s.a, "", ""};
        break;
      }
      case Channel::Email: {
        const std::string campaign = kEmailCampaigns[pick(kEmailCampaigns)].a;
        query = "?utm_source=newsletter&utm_medium=email&utm_campaign=" + campaign;
        touch = {t, "email", "newsletter", "email", campaign};
        break;
      }
      case Channel::Paid: {
        const std::string campaign = kPaidCampaigns[pick(kPaidCampaigns)].a;
        referrer = "https://www.google.com/";
        query = "?utm_source=google&utm_medium=cpc&utm_campaign=" + campaign + "&gclid=" + hex(10);
        touch = {t, "paid", "google", "cpc", campaign};
        break;
      }
      case Channel::Referral: {
        const auto& s = kReferrals[pick(kReferrals)];
        referrer = s.b;
        touch = {t, "other", s.a, "", ""};
        break;
      }
    }
    if (p.first_touch.is_null()) p.first_touch = touch.to_json();
    p.touchpoints.push_back(touch);
    if (p.touchpoints.size() > 10) p.touchpoints.erase(p.touchpoints.begin());

    // Where it lands.
    auto product_page = [&](std::size_t& product) {
      product = rng() % 12;
      return std::string("/products/") + kProducts[product];
    };
    std::size_t product = 0;
    std::string path;
    const double land = uniform();
    switch (channel) {
      case Channel::Search: path = land < 0.5 ? product_page(product) : land < 0.75 ? "/" : std::string("/blog/") + kPosts[rng() % 6]; break;
      case Channel::Social:
      case Channel::Referral: path = land < 0.45 ? std::string("/blog/") + kPosts[rng() % 6] : land < 0.8 ? product_page(product) : "/"; break;
      case Channel::Email: path = land < 0.4 ? product_page(product) : land < 0.7 ? "/shop" : "/"; break;
      case Channel::Paid: path = land < 0.7 ? product_page(product) : "/shop"; break;
      case Channel::Direct: path = land < 0.7 ? "/" : land < 0.85 ? "/shop" : product_page(product); break;
    }
    const std::string landing = path;

    // Experiments as the core buckets them.
    std::vector<std::pair<const ExperimentInfo*, std::string>> assigned;
    for (const auto& e : experiments) {
      bool in = false;
      std::string v = variant_for(e, p.id, in);
      if (in) assigned.emplace_back(&e, std::move(v));
    }
    auto variant_of = [&](const std::string& id) -> std::string {
      for (const auto& [e, v] : assigned) {
        if (e->id == id) return v;
      }
      return {};
    };
    const TimeZone& zone = *zones[static_cast<std::size_t>(p.place)];
    const int local_hour = static_cast<int>(zone.local_hour(t) - static_cast<std::int64_t>(zone.local_day(t)) * 24);
    const bool boosted_cart = variant_of("hero-headline") == "benefit";
    const bool boosted_checkout = variant_of("free-shipping-cta") == "free-shipping";

    json events = json::array();
    int cart_items = 0, visit_pageviews = 0;
    double cart_value = 0;
    std::int64_t now = t;
    std::vector<std::string> exposed;
    std::string previous_url = referrer;
    auto context = [&](const std::string& page) {
      json touches = json::array();
      for (const auto& tp : p.touchpoints) touches.push_back(tp.to_json());
      return json{{"time", {{"timezone", place.c}}},
                  {"geo", {{"country", place.a}, {"languages", {place.b}}}},
                  {"device", {{"type", device}}},
                  {"visit", {{"first", p.visits == 1}, {"count", p.visits}, {"pageviews", visit_pageviews},
                             {"landing_path", landing}, {"path", page}}},
                  {"journey", {{"stage", stages[static_cast<std::size_t>(std::min<int>(p.stage, static_cast<int>(stages.size()) - 1))]},
                               {"first_touch", p.first_touch},
                               {"last_touch", p.touchpoints.back().to_json()},
                               {"touchpoints", std::move(touches)},
                               {"interests", p.interests}}},
                  {"custom", {{"cart_items", cart_items}, {"orders", p.orders}}}};
    };
    auto event = [&](const char* type, const std::string& page, const std::string& url, json extra) {
      json e = {{"type", type}, {"id", hex(12)}, {"ts", now}, {"url", url}, {"context", context(page)}};
      if (!previous_url.empty()) e["referrer"] = previous_url;
      for (auto& [k, v] : extra.items()) e[k] = std::move(v);
      events.push_back(std::move(e));
    };
    auto advance_stage = [&](int at_least) { p.stage = std::max(p.stage, std::min(at_least, static_cast<int>(stages.size()) - 1)); };
    auto expose = [&](const std::string& page, const std::string& url, const std::string& slot,
                      const std::string& experiment, const std::string& variant) {
      const std::string key = slot + "/" + variant;
      if (std::find(exposed.begin(), exposed.end(), key) != exposed.end()) return;
      exposed.push_back(key);
      json props = {{"slot", slot}, {"variant", variant}};
      if (!experiment.empty()) props["experiment"] = experiment;
      event("exposure", page, url, {{"name", slot}, {"props", props}});
    };

    for (int step = 0; step < 40 && !path.empty(); ++step) {
      const std::string url = "https://" + o.host + path + (step == 0 ? query : "");
      ++visit_pageviews;
      if (visit_pageviews >= 3) advance_stage(1);
      event("pageview", path, url, json::object());
      // Slots on the page.
      if (path == "/") {
        const std::string hero_variant = variant_of("hero-headline");
        if (local_hour >= 23 || local_hour < 6) {
          expose(path, url, "hero", "", "night");
        } else if (!hero_variant.empty()) {
          expose(path, url, "hero", "hero-headline", hero_variant);
        } else {
          expose(path, url, "hero", "", "standard");
        }
        expose(path, url, "greeting", "",
               local_hour < 11 && local_hour >= 6 ? "good-morning"
               : local_hour < 18 && local_hour >= 12 ? "good-afternoon"
               : local_hour >= 18 ? "good-evening" : "hello");
      }
      if (path == "/cart") {
        const std::string v = variant_of("free-shipping-cta");
        if (!v.empty()) expose(path, url, "cta", "free-shipping-cta", v);
      }
      if (path == "/" || path == "/shop" || path == "/cart") {
        const std::string country = place.a;
        expose(path, url, "shipping_notice", "",
               (country == "DE" || country == "AT" || country == "CH") ? "dach"
               : country == "US" ? "us" : country == "GB" ? "uk"
               : (country == "FR" || country == "NL" || country == "ES" || country == "IT" || country == "PL" ||
                  country == "SE") ? "eu" : "international");
      }
      // What the visitor does there.
      now += 5'000 + static_cast<std::int64_t>(uniform() * 60'000);
      double next = uniform();
      std::string next_path;
      if (path.rfind("/products/", 0) == 0) {
        const std::string interest = kInterests[product];
        if (std::find(p.interests.begin(), p.interests.end(), interest) == p.interests.end()) {
          p.interests.insert(p.interests.begin(), interest);
          if (p.interests.size() > 5) p.interests.pop_back();
          advance_stage(1);
        }
        event("event", path, url, {{"name", "view_item"}, {"props", {{"item", kProducts[product]}}}});
        if (chance(boosted_cart ? 0.16 : 0.12)) {
          ++cart_items;
          cart_value += kPrices[product];
          advance_stage(2);
          event("conversion", path, url,
                {{"name", "add_to_cart"}, {"props", {{"item", kProducts[product]}, {"value", kPrices[product]}}}});
          next_path = next < 0.6 ? "/cart" : next < 0.8 ? product_page(product) : "";
        } else {
          next_path = next < 0.25 ? product_page(product) : next < 0.45 ? "/shop" : next < 0.55 ? "/" : "";
        }
      } else if (path == "/" ) {
        next_path = next < 0.45 ? "/shop" : next < 0.75 ? product_page(product) : next < 0.85 ? std::string("/blog/") + kPosts[rng() % 6] : next < 0.9 ? "/about" : "";
      } else if (path == "/shop") {
        next_path = next < 0.7 ? product_page(product) : next < 0.75 ? "/" : next < 0.8 && cart_items ? "/cart" : "";
      } else if (path.rfind("/blog/", 0) == 0) {
        if (chance(0.03)) event("event", path, url, {{"name", "newsletter_signup"}});
        next_path = next < 0.15 ? std::string("/blog/") + kPosts[rng() % 6] : next < 0.45 ? product_page(product) : next < 0.6 ? "/" : "";
      } else if (path == "/cart") {
        next_path = cart_items && next < (boosted_checkout ? 0.62 : 0.55) ? "/checkout" : next < 0.7 ? product_page(product) : "";
      } else if (path == "/checkout") {
        event("conversion", path, url, {{"name", "checkout"}, {"props", {{"value", std::round(cart_value * 100) / 100}}}});
        next_path = next < 0.7 ? "/order-complete" : "";
      } else if (path == "/order-complete") {
        ++p.orders;
        advance_stage(3);
        event("conversion", path, url, {{"name", "purchase"}, {"props", {{"value", std::round(cart_value * 100) / 100}}}});
        cart_items = 0;
        cart_value = 0;
        next_path = next < 0.2 ? "/" : "";
      } else {
        next_path = next < 0.3 ? "/" : next < 0.5 ? "/shop" : "";
      }
      previous_url = url;
      path = next_path;
    }
    p.last_ts = now;

    // The SDK sends at most 20 events per request.
    for (std::size_t i = 0; i < events.size(); i += 20) {
      GeneratedRequest r;
      r.user_agent = kAgents[p.agent].a;
      r.forwarded_for = address(p.ip);
      r.accept_language = std::string(place.b) + ";q=0.9,en;q=0.5";
      json chunk = json::array();
      for (std::size_t k = i; k < std::min(events.size(), i + 20); ++k) chunk.push_back(std::move(events[k]));
      r.ts = chunk.front()["ts"].get<std::int64_t>();
      r.events = chunk.size();
      r.body = {{"site", o.site}, {"events", std::move(chunk)}};
      if (p.consent) r.body["visitor_id"] = p.id;
      generated += static_cast<std::int64_t>(r.events);
      pending.push_back(std::move(r));
    }
  }

  bool next(GeneratedRequest& out) {
    while (pending.empty()) {
      if (generated >= o.events) return false;
      // Visits spread over the span by its daily rhythm; the estimate of how many there will be
      // is refined as events per visit become known, so the stream ends near `end`.
      if (visits > 0 && visits % 500 == 0) {
        const double per_visit = static_cast<double>(generated) / static_cast<double>(visits);
        visits_estimate = std::max(static_cast<double>(visits) + 1.0, static_cast<double>(o.events) / per_visit);
      }
      const double remaining = std::max(1.0, visits_estimate - static_cast<double>(visits));
      u = std::min(1.0, u + (1.0 - u) / remaining * (0.5 + uniform()));
      const std::int64_t t = std::min(time_at(u), o.end_ms - 60'000 * 45);  // visits end before `end`
      ++visits;
      if (chance(o.bot_rate)) {
        bot_visit(t);
      } else {
        human_visit(t);
      }
    }
    out = std::move(pending.front());
    pending.erase(pending.begin());
    return true;
  }
};

EventGenerator::EventGenerator(GeneratorOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
EventGenerator::~EventGenerator() = default;
bool EventGenerator::next(GeneratedRequest& out) { return impl_->next(out); }
std::int64_t EventGenerator::events_generated() const noexcept { return impl_->generated; }

}  // namespace ithaca::tracker
