#pragma once
// The compact REST API V2 profile part: just enough of the MVPD side to show SSO end to end.
// An app starts an authentication session, the user logs in on the server's mock MVPD page,
// and the MVPD profile then belongs to the whole SSO profile: every device of it sees it.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/outcome.hpp"
#include "core/sso_service.hpp"

namespace ssokit::server {

struct MvpdSessionRequest {
  std::string mvpd;
  std::string domain_name;
  std::string redirect_url;
};

struct MvpdSession {
  bool already_authenticated = false;  // a live MVPD profile exists: authorize, direct
  std::string code;
  std::string url;                      // the mock MVPD login page for this session
  std::string session_id;
  std::string mvpd;
  std::string service_provider;
  Millis not_before = 0;
  Millis not_after = 0;
};

struct MvpdProfileView {
  store::MvpdProfileRecord record;
  bool on_login_device = false;  // type "regular" on the device that logged in, else "serviceTokenSSO"
};

// What the mock login page needs to render its form.
struct MvpdLoginPage {
  std::string mvpd;
  std::string service_provider;
};

inline constexpr std::size_t kMvpdCodeLength = 8;

class MvpdService {
 public:
  MvpdService(const ServiceConfig& config, store::Store& store, SsoService& sso, Clock& clock, Random& random,
              std::string pepper);

  Outcome<MvpdSession> start_session(const SsoRequest& request, const MvpdSessionRequest& session);
  // GET profiles/code/{code}: the profile obtained through that session ({} until login).
  Outcome<std::vector<MvpdProfileView>> profiles_for_code(const SsoRequest& request, const std::string& code);
  Outcome<std::vector<MvpdProfileView>> profiles(const SsoRequest& request);
  // true when a profile was removed, false when there was none ("invalid").
  Outcome<bool> logout(const SsoRequest& request, const std::string& mvpd);

  // The mock MVPD page: 400 token_invalid for an unknown or expired session code,
  // 401 unauthorized for a wrong user or password.
  Outcome<MvpdLoginPage> login_page(const std::string& code);
  Outcome<store::MvpdProfileRecord> login(const std::string& code, const std::string& user,
                                          const std::string& password);

  std::string login_url(const std::string& code) const;

 private:
  Outcome<store::MvpdSessionRecord> live_session(const std::string& code);
  std::vector<MvpdProfileView> views(const std::vector<store::MvpdProfileRecord>& records,
                                     const std::string& device_id) const;
  std::string code_hash(const std::string& code) const;

  const ServiceConfig& config_;
  store::Store& store_;
  SsoService& sso_;
  Clock& clock_;
  Random& random_;
  KeyedHmacSha256 code_hmac_;  // keyed with the link-code pepper
};

}  // namespace ssokit::server
