#include "qt_outcome.hpp"

#include <QMetaEnum>
#include <string>
#include <utility>

#include "qt_call.hpp"
#include "ssokit/transport_support.hpp"

namespace ssokit::internal {
namespace {

// Qt turns an answer's 4xx/5xx status into one of these; the answer itself arrived whole.
bool is_http_status_error(QNetworkReply::NetworkError error) {
  switch (error) {
    case QNetworkReply::ProxyAuthenticationRequiredError:
    case QNetworkReply::ContentAccessDenied:
    case QNetworkReply::ContentOperationNotPermittedError:
    case QNetworkReply::ContentNotFoundError:
    case QNetworkReply::AuthenticationRequiredError:
    case QNetworkReply::ContentConflictError:
    case QNetworkReply::ContentGoneError:
    case QNetworkReply::UnknownContentError:
    case QNetworkReply::ProtocolInvalidOperationError:  // 400
    case QNetworkReply::InternalServerError:
    case QNetworkReply::OperationNotImplementedError:
    case QNetworkReply::ServiceUnavailableError:
    case QNetworkReply::UnknownServerError:
      return true;
    default:
      return false;
  }
}

// The enum's name, e.g. "RemoteHostClosedError": what happened, and nothing of the request.
std::string error_name(QNetworkReply::NetworkError error) {
  const char* name = QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(error);
  return name != nullptr ? name : "error " + std::to_string(static_cast<int>(error));
}

}  // namespace

TransportResult qt_outcome(QNetworkReply::NetworkError error, QtStop stop, HttpResponse response) {
  // Once Qt has the request, its HTTP thread may have written it at any moment before the
  // stop: only Qt's own "no connection" errors say for certain that nothing was sent.
  switch (stop) {
    case QtStop::kTimeout:
      return qt_failure(Status(ErrorCode::kTimeout, "the deadline passed while waiting for the answer"), false);
    case QtStop::kCancelled:
      return qt_failure(Status(ErrorCode::kCancelled, "the call was cancelled"), false);
    case QtStop::kTooLarge:
      return qt_failure(Status(ErrorCode::kNetworkError,
                               "response too large (over " +
                                   std::to_string(kMaxResponseBytes / (std::size_t{1024} * 1024)) + " MiB)"),
                        false);
    case QtStop::kNone:
      break;
  }
  if (response.status >= 100 && response.status < 200) {
    // Qt Network skips a 100 Continue but ends the reply at any other interim answer (say,
    // 103 Early Hints), the final one unread: that is no response.
    return qt_failure(Status(ErrorCode::kNetworkError,
                             "the answer did not arrive whole: Qt Network stopped at an interim 1xx answer"),
                      false);
  }
  if (response.status > 0 && (error == QNetworkReply::NoError || is_http_status_error(error))) {
    TransportResult result;
    result.response = std::move(response);
    return result;
  }
  switch (error) {
    case QNetworkReply::ConnectionRefusedError:
      return qt_failure(Status(ErrorCode::kNetworkError, "could not connect to the server"), true);
    case QNetworkReply::HostNotFoundError:
      return qt_failure(Status(ErrorCode::kNetworkError, "could not resolve the server's host name"), true);
    case QNetworkReply::SslHandshakeFailedError:
      // The handshake comes before the first byte of the request.
      return qt_failure(Status(ErrorCode::kNetworkError, "the TLS handshake with the server failed"), true);
    case QNetworkReply::NoError:  // finished without an HTTP status: nothing usable came back
      return qt_failure(Status(ErrorCode::kNetworkError, "the answer had no HTTP status"), false);
    default:
      return qt_failure(Status(ErrorCode::kNetworkError, "the answer did not arrive whole: " + error_name(error)),
                        false);
  }
}

}  // namespace ssokit::internal
