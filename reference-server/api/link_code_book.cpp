#include "api/link_code_book.hpp"

#include <algorithm>

namespace ssokit::api {

void LinkCodeBook::keep(std::string_view sp, std::string_view device_id, std::string_view code,
                        server::Millis not_after, bool approval_required) {
  const server::Millis now = clock_.now_ms();
  const auto same_device = [&](const Entry& entry) { return entry.sp == sp && entry.device_id == device_id; };
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [now](const Entry& entry) { return entry.code.not_after <= now; }),
                 entries_.end());
  if (static_cast<std::size_t>(std::count_if(entries_.begin(), entries_.end(), same_device)) >= kMaxPerDevice) {
    entries_.erase(std::find_if(entries_.begin(), entries_.end(), same_device));
  }
  if (entries_.size() >= kMaxCodes) entries_.pop_front();
  entries_.push_back(Entry{std::string(sp), std::string(device_id),
                           KeptLinkCode{std::string(code), not_after, approval_required}});
}

std::vector<KeptLinkCode> LinkCodeBook::live(std::string_view sp, std::string_view device_id) const {
  const server::Millis now = clock_.now_ms();
  std::vector<KeptLinkCode> codes;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const Entry& entry : entries_) {
    if (entry.sp == sp && entry.device_id == device_id && entry.code.not_after > now) codes.push_back(entry.code);
  }
  return codes;
}

}  // namespace ssokit::api
