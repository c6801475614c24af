#pragma once
// The clear text of link codes, for GET /test/link-codes (SPEC §6.4): the store keeps codes
// only hashed, so a CI job that must redeem a code without reading a screen gets it here.
// In memory only, and only while test control is on: it dies with the process and never
// reaches the store, a dump or another instance.
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace ssokit::api {

struct KeptLinkCode {
  std::string code;
  server::Millis not_after = 0;
  bool approval_required = false;
};

class LinkCodeBook {
 public:
  // Bounds, so that a load test run with --test-control cannot grow the process without end.
  // Per device: well above the 5 live codes a profile holds by default (--max-live-codes).
  static constexpr std::size_t kMaxPerDevice = 32;
  static constexpr std::size_t kMaxCodes = 10000;

  explicit LinkCodeBook(const server::Clock& clock) : clock_(clock) {}

  // A code `device_id` (the base64 text of AP-Device-Identifier) made for `sp`. Dead codes go
  // first; past a bound, the device's (or everyone's) oldest code gives way.
  void keep(std::string_view sp, std::string_view device_id, std::string_view code, server::Millis not_after,
            bool approval_required);
  // The device's codes whose notAfter is still ahead, in the order they were made. A code
  // already redeemed, or retired by the per-profile cap, still shows until its notAfter
  // (the store alone knows, and it keeps only hashes).
  std::vector<KeptLinkCode> live(std::string_view sp, std::string_view device_id) const;

 private:
  struct Entry {
    std::string sp;
    std::string device_id;
    KeptLinkCode code;
  };

  const server::Clock& clock_;
  mutable std::mutex mutex_;
  std::deque<Entry> entries_;  // guarded by mutex_; in the order made
};

}  // namespace ssokit::api
