#pragma once
// The request header lines of one pooled curl handle. A call that sends the same lines as the
// handle's last call (the common case: one client asking the same server again) reuses the
// curl_slist instead of building it afresh, which saved two allocations per header line.
#include <curl/curl.h>

#include <string>

#include "ssokit/transport.hpp"

namespace ssokit::internal {

class CurlHeaderList {
 public:
  CurlHeaderList() = default;
  ~CurlHeaderList();
  CurlHeaderList(const CurlHeaderList&) = delete;
  CurlHeaderList& operator=(const CurlHeaderList&) = delete;

  // Makes the list hold `request`'s headers as curl lines ("Name: value", "Name;" for an empty
  // value), plus "Name:" lines that turn off curl's own Expect, Content-Type and Accept when
  // the request has none of its own. The header names and values must have passed the
  // transport's checks (tokens; no CR, LF or NUL). False when out of memory.
  bool assign(const HttpRequest& request);
  // Valid until the next assign() or the end of this list.
  curl_slist* get() const { return list_; }

 private:
  void clear();

  std::string wanted_;  // the lines asked for, '\n'-separated; kept for its capacity
  std::string held_;    // the lines in list_, '\n'-separated
  curl_slist* list_ = nullptr;
};

}  // namespace ssokit::internal
