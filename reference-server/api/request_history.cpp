#include "api/request_history.hpp"

#include <algorithm>

#include "http/ascii.hpp"

namespace ssokit::api {

bool is_secret_header(std::string_view name) {
  // SPEC §2's headers that carry a token, a code, an id or a secret, and the standard ones
  // that carry credentials. X-Device-Info (device metadata) stays readable.
  static constexpr std::string_view kSecret[] = {
      "Authorization", "Proxy-Authorization", "Cookie", "AD-Service-Token", "X-SSO-LINK", "X-SSO-ID",
      "AP-Device-Identifier", "X-Roku-Reserved-Roku-Connect-Token",
  };
  for (std::string_view secret : kSecret) {
    if (http::iequals(name, secret)) return true;
  }
  return false;
}

void RequestHistory::add(std::string method, std::string route, int status, std::string trace,
                         const std::vector<http::Header>& headers) {
  RecordedRequest request{std::move(method), std::move(route), status, std::move(trace), {}};
  request.headers.reserve(headers.size());
  for (const http::Header& header : headers) {
    request.headers.push_back({header.name, is_secret_header(header.name) ? kRedacted : header.value});
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (requests_.size() == kCapacity) requests_.pop_front();
  requests_.push_back(std::move(request));
}

std::vector<RecordedRequest> RequestHistory::last(std::size_t limit) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::size_t count = std::min(limit, requests_.size());
  return {requests_.end() - static_cast<std::ptrdiff_t>(count), requests_.end()};
}

void RequestHistory::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  requests_.clear();
}

}  // namespace ssokit::api
