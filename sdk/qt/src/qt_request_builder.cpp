#include "qt_request_builder.hpp"

#include <QString>
#include <QUrl>
#include <string>
#include <utility>
#include <vector>

namespace ssokit::internal {
namespace {

QByteArray bytes(const std::string& text) { return QByteArray(text.data(), static_cast<qsizetype>(text.size())); }

bool same_name(const std::string& a, const std::string& b) {
  return QByteArray::fromRawData(a.data(), static_cast<qsizetype>(a.size()))
             .compare(QByteArray::fromRawData(b.data(), static_cast<qsizetype>(b.size())), Qt::CaseInsensitive) == 0;
}

// QNetworkRequest keeps one value per header name (setRawHeader replaces), so a name given
// more than once is sent once with its values joined, as HTTP allows for list headers.
void set_headers(QNetworkRequest& qt_request, const std::vector<HttpHeader>& headers) {
  std::vector<bool> done(headers.size(), false);
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (done[i]) continue;
    QByteArray value = bytes(headers[i].value);
    for (std::size_t j = i + 1; j < headers.size(); ++j) {
      if (done[j] || !same_name(headers[i].name, headers[j].name)) continue;
      value += ", ";
      value += bytes(headers[j].value);
      done[j] = true;
    }
    // Never a null QByteArray (which would make Qt drop the header): an empty value is sent.
    qt_request.setRawHeader(bytes(headers[i].name), value);
  }
  // Without one, Qt asks for gzip and unpacks the body while the headers still describe the
  // packed one; "identity" keeps body and headers what the server sent, as with curl.
  if (!qt_request.hasRawHeader("Accept-Encoding")) qt_request.setRawHeader("Accept-Encoding", "identity");
}

// Everything Qt would do on its own that the curl transport does not.
void set_attributes(QNetworkRequest& qt_request) {
  qt_request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
  qt_request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);  // HTTP/1.1, like curl
  qt_request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
  qt_request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
  qt_request.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);
  // No cache attributes: the manager has no cache, and AlwaysNetwork would add Cache-Control
  // and Pragma headers of Qt's own.
}

}  // namespace

Result<QtOutgoing> build_qt_request(const HttpRequest& request, QtTlsConfig& tls) {
  // Strict: a URL Qt would have to repair is refused, not sent somewhere else.
  const QUrl url(QString::fromStdString(request.url), QUrl::StrictMode);
  if (!url.isValid() || url.host().isEmpty()) {
    return Status(ErrorCode::kNetworkError, "could not send the request: the URL is malformed");
  }
  const QString scheme = url.scheme();
  const bool https = scheme == QLatin1String("https");
  if (!https && scheme != QLatin1String("http")) {
    return Status(ErrorCode::kNetworkError, "could not send the request: only http and https URLs are supported");
  }

  QtOutgoing outgoing;
  outgoing.request.setUrl(url);
  set_attributes(outgoing.request);
  set_headers(outgoing.request, request.headers);
  if (https) {
    const Result<QSslConfiguration>& configuration = tls.get();
    if (!configuration) return configuration.status();
    outgoing.request.setSslConfiguration(*configuration);
  }

  const std::string& method = request.method;
  outgoing.verb = bytes(method);
  if (method == "HEAD") {
    outgoing.kind = QtOutgoing::Kind::kHead;
  } else if (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    // POST goes as a custom request too: Qt's own POST invents a Content-Type when the
    // request has none, and sends a URL's query as the body when there is no body.
    outgoing.kind = QtOutgoing::Kind::kCustomWithBody;
    outgoing.body = bytes(request.body);  // a copy: Qt's HTTP thread may read it after send() returns
  } else if (method == "GET") {
    outgoing.kind = QtOutgoing::Kind::kGet;
  } else {
    outgoing.kind = QtOutgoing::Kind::kCustom;
  }
  return outgoing;
}

}  // namespace ssokit::internal
