#include "qt_response_reader.hpp"

#include <QNetworkReply>
#include <QVariant>
#include <string>

#include "ssokit/transport_support.hpp"

namespace ssokit::internal {
namespace {

std::string text(const QByteArray& bytes) { return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size())); }

}  // namespace

bool QtResponseReader::take_headers(QNetworkReply& reply) {
  // Qt reports the final response's headers only (interim 1xx answers are skipped), each name
  // once: repeated headers arrive joined with ", ", except Set-Cookie, joined with "\n",
  // which is split back into headers of their own.
  const QVariant status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute);
  response_.status = status.isValid() ? status.toInt() : 0;
  response_.headers.clear();
  header_bytes_ = 0;
  for (const QNetworkReply::RawHeaderPair& pair : reply.rawHeaderPairs()) {
    const std::string name = text(pair.first);
    const bool cookie = pair.first.compare("set-cookie", Qt::CaseInsensitive) == 0;
    for (const QByteArray& value : cookie ? pair.second.split('\n') : QList<QByteArray>{pair.second}) {
      response_.headers.push_back({name, text(value)});
      header_bytes_ += name.size() + static_cast<std::size_t>(value.size()) + 4;  // "name: value\r\n"
    }
  }
  if (header_bytes_ > kMaxResponseBytes) return false;
  if (head_) return true;
  bool announced = false;
  const qulonglong length = reply.header(QNetworkRequest::ContentLengthHeader).toULongLong(&announced);
  return !announced || length <= kMaxResponseBytes - header_bytes_;
}

bool QtResponseReader::take_body(QNetworkReply& reply) {
  const qint64 available = reply.bytesAvailable();
  if (available <= 0) return true;
  const std::size_t kept = header_bytes_ + response_.body.size();
  if (kept > kMaxResponseBytes || static_cast<std::size_t>(available) > kMaxResponseBytes - kept) return false;
  const std::size_t before = response_.body.size();
  response_.body.resize(before + static_cast<std::size_t>(available));
  const qint64 read = reply.read(response_.body.data() + before, available);
  response_.body.resize(before + static_cast<std::size_t>(read > 0 ? read : 0));
  return true;
}

}  // namespace ssokit::internal
