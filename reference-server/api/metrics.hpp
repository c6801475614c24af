#pragma once
// Prometheus metrics of one server process, rendered in the text exposition format.
// Counters per label value; one latency histogram per route.
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace ssokit::api {

class Metrics final {
 public:
  void request(std::string_view route, int status, double seconds);

  void link_redemption(std::string_view result);
  void rate_limited(std::string_view limit);
  void platform_identity_rejected(std::string_view reason);
  void device_moved();

  std::string render() const;

 private:
  static constexpr std::array<double, 13> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                       0.1,    0.25,  0.5,    1.0,   2.5,   5.0};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // cumulative on render
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram, std::less<>> durations_;
  std::map<std::string, std::uint64_t, std::less<>> redemptions_;
  std::map<std::string, std::uint64_t, std::less<>> rate_limited_;
  std::map<std::string, std::uint64_t, std::less<>> platform_rejected_;
  std::uint64_t device_moves_ = 0;
};

}  // namespace ssokit::api
