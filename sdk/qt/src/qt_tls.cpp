#include "qt_tls.hpp"

#include <QSslSocket>
#include <QString>

namespace ssokit::internal {

const Result<QSslConfiguration>& QtTlsConfig::get() {
  if (built_) return *built_;
  QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
  // VerifyNone also skips the host name check, as curl's verify_peer = false does.
  configuration.setPeerVerifyMode(verify_peer_ ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
  if (!ca_bundle_.empty() && !configuration.addCaCertificates(QString::fromStdString(ca_bundle_), QSsl::Pem)) {
    // The path is the app's own configuration, not a secret, but it is left out all the same:
    // messages of the transport never carry what the app passed in.
    built_.emplace(Status(ErrorCode::kNetworkError, "the CA bundle holds no PEM certificate that could be read"));
    return *built_;
  }
  built_.emplace(std::move(configuration));
  return *built_;
}

}  // namespace ssokit::internal
