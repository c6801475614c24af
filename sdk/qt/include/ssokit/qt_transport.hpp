#pragma once
// make_qt_transport: the SDK's HttpTransport on Qt Network, for apps that already ship Qt and
// would rather not ship libcurl's TLS stack as well. Link ssokit::qt (built when CMake finds
// Qt 6.2 or newer with its Core and Network modules). This header includes no Qt header.
//
// Threading: each transport owns one worker QThread, and its QNetworkAccessManager lives on
// that thread. send() may be called from any thread, many at once: it hands the request to the
// worker and blocks on a condition variable until the worker has the outcome. It never runs an
// event loop on the caller's thread, so a caller needs no event loop of its own, and a GUI
// thread that calls it blocks like any other blocking call (use the SDK's *_async calls there).
//
// QCoreApplication: required. Without an application object Qt's event loops refuse to run
// (Qt 6.4: "QEventLoop: Cannot be used without QApplication"), so a transport made while there
// is none refuses every call with kInvalidArgument. Create the QCoreApplication (or
// QGuiApplication, QApplication) before the transport, and destroy the transport (that is,
// every SsoClient holding it) before the application object. Its event loop need not run.
//
// What matches the libcurl transport: 4xx/5xx are responses; redirects are not followed; a
// response over 4 MiB is refused with kNetworkError; the deadline is kTimeout and the cancel
// flag kCancelled (looked at every 20 ms); a refused connection, an unknown host or a failed
// TLS handshake is kNetworkError with not_sent; invalid requests are kInvalidArgument before
// anything is sent; no cookies, no cache, no proxy from the environment, HTTP/1.1.
//
// Where Qt Network differs (it does these itself and offers no way to turn them off):
//  - Requests carry Host, Connection, Accept-Language and User-Agent (Qt's "Mozilla/5.0")
//    unless the request has its own; the SDK always sends its own User-Agent. Without an
//    Accept-Encoding of the request's own, "Accept-Encoding: identity" is sent, so that the
//    body and headers are exactly what the server sent (Qt would otherwise ask for gzip and
//    unpack it behind the headers' back).
//  - Request headers repeated under one name are sent once, values joined with ", ".
//  - Response headers repeated under one name are kept once, values joined with ", " (each
//    Set-Cookie stays a header of its own).
//  - When the server closes a connection before any byte of the answer, Qt sends the request
//    again (once, in Qt 6.4) before it reports the failure, POST included.
//  - Qt normalizes the URL's percent-encoding (%7E is sent as ~, %2f as %2F): the same URL by
//    RFC 3986, but not byte for byte what was given.
//  - Once the request is in Qt's hands, a deadline or cancel reports not_sent = false: Qt's
//    HTTP runs on a thread of its own and reports its progress late, so "nothing was sent"
//    cannot be known for certain.
//  - Qt 6.4 ends a reply at an interim 1xx answer other than 100 Continue (say, 103 Early
//    Hints), the final answer unread: that call is kNetworkError, and Qt keeps the connection.
#include <memory>
#include <string>

#include "ssokit/transport.hpp"

namespace ssokit {

struct QtTransportOptions {
  bool verify_peer = true;  // verify the server's certificate and host name (HTTPS)
  // PEM file of CAs trusted in addition to the system's; "" = the system's only. When it
  // holds no certificate Qt can read, every HTTPS call fails with kNetworkError (not_sent).
  std::string ca_bundle;
};

// Starts the transport's worker thread; the thread stops when the last reference goes (a call
// in flight holds one).
std::shared_ptr<HttpTransport> make_qt_transport(QtTransportOptions options = {});

}  // namespace ssokit
