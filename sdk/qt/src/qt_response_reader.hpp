#pragma once
// Collects a reply's headers and body into an HttpResponse as they arrive on the worker
// thread, refusing more than kMaxResponseBytes (every transport's limit, from
// ssokit/transport_support.hpp), so a broken or hostile server cannot exhaust a TV's memory.
#include "ssokit/transport.hpp"

class QNetworkReply;

namespace ssokit::internal {

class QtResponseReader {
 public:
  explicit QtResponseReader(bool head) : head_(head) {}

  // On metaDataChanged: takes the status and headers. False when the announced
  // Content-Length is already over the limit.
  bool take_headers(QNetworkReply& reply);
  // On readyRead and at the end: takes what the reply has buffered. False when over the limit.
  bool take_body(QNetworkReply& reply);

  HttpResponse& response() { return response_; }

 private:
  const bool head_;  // a HEAD's Content-Length announces no body
  std::size_t header_bytes_ = 0;
  HttpResponse response_;
};

}  // namespace ssokit::internal
