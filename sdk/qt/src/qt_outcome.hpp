#pragma once
// How a finished QNetworkReply ends a call: a response (4xx and 5xx included), or kNetworkError
// / kTimeout / kCancelled. Messages name what happened, never the URL, a header or the body
// (Qt's own errorString() quotes the URL, so it is not used).
#include <QNetworkReply>

#include "ssokit/transport.hpp"

namespace ssokit::internal {

// Why the worker ended a reply itself, if it did.
enum class QtStop { kNone, kTimeout, kCancelled, kTooLarge };

// `response` is what was collected; it becomes the result's only when an answer arrived whole.
TransportResult qt_outcome(QNetworkReply::NetworkError error, QtStop stop, HttpResponse response);

}  // namespace ssokit::internal
