#include "api/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace ssokit::api {
namespace {

void bump(std::map<std::string, std::uint64_t, std::less<>>& counters, std::string_view label) {
  auto it = counters.find(label);
  if (it == counters.end()) it = counters.emplace(std::string(label), 0).first;
  ++it->second;
}

std::string format_double(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", value);
  return text;
}

void render_counter(std::ostringstream& out, const char* name, const char* help, const char* label,
                    const std::map<std::string, std::uint64_t, std::less<>>& counters) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " counter\n";
  for (const auto& [value, count] : counters) {
    out << name << '{' << label << "=\"" << value << "\"} " << count << '\n';
  }
}

}  // namespace

void Metrics::request(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
  auto it = durations_.find(route);
  if (it == durations_.end()) it = durations_.emplace(std::string(route), Histogram{}).first;
  Histogram& histogram = it->second;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++histogram.buckets[i];
      break;
    }
  }
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::link_redemption(std::string_view result) {
  std::lock_guard lock(mutex_);
  bump(redemptions_, result);
}

void Metrics::rate_limited(std::string_view limit) {
  std::lock_guard lock(mutex_);
  bump(rate_limited_, limit);
}

void Metrics::platform_identity_rejected(std::string_view reason) {
  std::lock_guard lock(mutex_);
  bump(platform_rejected_, reason);
}

void Metrics::device_moved() {
  std::lock_guard lock(mutex_);
  ++device_moves_;
}

std::string Metrics::render() const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP ssokit_http_requests_total HTTP requests answered, by route pattern and status.\n"
         "# TYPE ssokit_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out << "ssokit_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << count
        << '\n';
  }
  out << "# HELP ssokit_http_request_duration_seconds Time from parsed request to response, by route.\n"
         "# TYPE ssokit_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : durations_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += histogram.buckets[i];
      out << "ssokit_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
          << format_double(kBuckets[i]) << "\"} " << cumulative << '\n';
    }
    out << "ssokit_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << histogram.count
        << '\n';
    out << "ssokit_http_request_duration_seconds_sum{route=\"" << route << "\"} " << format_double(histogram.sum)
        << '\n';
    out << "ssokit_http_request_duration_seconds_count{route=\"" << route << "\"} " << histogram.count << '\n';
  }
  render_counter(out, "ssokit_link_redemptions_total", "Link-code redemptions by result.", "result", redemptions_);
  render_counter(out, "ssokit_rate_limited_total", "Requests refused by a rate limit, by limit.", "limit",
                 rate_limited_);
  render_counter(out, "ssokit_platform_identity_rejected_total", "Platform identity tokens ignored, by reason.",
                 "reason", platform_rejected_);
  out << "# HELP ssokit_device_moves_total Devices that signed in to, or redeemed a code of, another profile.\n"
         "# TYPE ssokit_device_moves_total counter\n"
         "ssokit_device_moves_total "
      << device_moves_ << '\n';
  return out.str();
}

}  // namespace ssokit::api
