#pragma once
// An HttpRequest in Qt's terms: the QNetworkRequest with every attribute that makes Qt behave
// like the curl transport, and how to send it. Built on the worker thread.
#include <QByteArray>
#include <QNetworkRequest>

#include "qt_tls.hpp"
#include "ssokit/result.hpp"
#include "ssokit/transport.hpp"

namespace ssokit::internal {

struct QtOutgoing {
  enum class Kind {
    kGet,             // QNetworkAccessManager::get
    kHead,            // ::head, so that Qt reads no body after the headers
    kCustom,          // ::sendCustomRequest without a body
    kCustomWithBody,  // ::sendCustomRequest with `body`; POST too (see the .cpp)
  };
  Kind kind = Kind::kGet;
  QNetworkRequest request;
  QByteArray verb;
  QByteArray body;
};

// kNetworkError (the request cannot be sent: not http(s), not a URL, no TLS configuration)
// or what to send. `request` has passed check_request.
Result<QtOutgoing> build_qt_request(const HttpRequest& request, QtTlsConfig& tls);

}  // namespace ssokit::internal
