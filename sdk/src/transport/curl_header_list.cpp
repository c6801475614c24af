#include "transport/curl_header_list.hpp"

#include <algorithm>
#include <string_view>

namespace ssokit::internal {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

bool has_header(const HttpRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [name](const HttpHeader& h) { return iequals(h.name, name); });
}

}  // namespace

CurlHeaderList::~CurlHeaderList() { curl_slist_free_all(list_); }

void CurlHeaderList::clear() {
  curl_slist_free_all(list_);
  list_ = nullptr;
  held_.clear();
}

bool CurlHeaderList::assign(const HttpRequest& request) {
  wanted_.clear();
  for (const HttpHeader& header : request.headers) {
    // curl drops a header given as "Name:" (that is how one of its own is removed);
    // "Name;" sends it with an empty value.
    wanted_.append(header.name).append(header.value.empty() ? ";" : ": ").append(header.value).push_back('\n');
  }
  // No header of curl's own the request did not ask for: no "Expect: 100-continue" round
  // trip, no form Content-Type, no "Accept: */*".
  for (std::string_view own : {"Expect", "Content-Type", "Accept"}) {
    if (!has_header(request, own)) wanted_.append(own).append(":\n");
  }
  if (list_ != nullptr && wanted_ == held_) return true;

  clear();
  std::string line;
  for (std::size_t start = 0; start < wanted_.size();) {
    const std::size_t end = wanted_.find('\n', start);
    line.assign(wanted_, start, end - start);
    curl_slist* grown = curl_slist_append(list_, line.c_str());
    if (grown == nullptr) {
      clear();
      return false;
    }
    list_ = grown;
    start = end + 1;
  }
  held_ = wanted_;
  return true;
}

}  // namespace ssokit::internal
