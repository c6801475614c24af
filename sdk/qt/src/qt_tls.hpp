#pragma once
// The TLS configuration of a transport's HTTPS requests, built on first use: building it loads
// Qt's TLS backend (and with it OpenSSL), which an app calling only http:// never needs.
// Used on the worker thread only.
#include <QSslConfiguration>
#include <optional>
#include <string>

#include "ssokit/result.hpp"

namespace ssokit::internal {

class QtTlsConfig {
 public:
  QtTlsConfig(bool verify_peer, std::string ca_bundle)
      : verify_peer_(verify_peer), ca_bundle_(std::move(ca_bundle)) {}

  // The system's CAs plus those of ca_bundle; kNetworkError when ca_bundle has none.
  const Result<QSslConfiguration>& get();

 private:
  bool verify_peer_;
  std::string ca_bundle_;
  std::optional<Result<QSslConfiguration>> built_;
};

}  // namespace ssokit::internal
