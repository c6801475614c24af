#include "core/mvpd_service.hpp"

#include "core/secret_hash.hpp"

namespace ssokit::server {

MvpdService::MvpdService(const ServiceConfig& config, store::Store& store, SsoService& sso, Clock& clock,
                         Random& random, std::string pepper)
    : config_(config), store_(store), sso_(sso), clock_(clock), random_(random), code_hmac_(pepper) {}

std::string MvpdService::code_hash(const std::string& code) const {
  return code_hmac_.hex("mvpd-session\n" + code);
}

std::string MvpdService::login_url(const std::string& code) const {
  return config_.public_url + "/mvpd/login/" + code;
}

Outcome<MvpdSession> MvpdService::start_session(const SsoRequest& request, const MvpdSessionRequest& session) {
  auto caller = sso_.authorize(request);
  if (!caller) return caller.error();
  if (session.mvpd.empty() || session.domain_name.empty() || session.redirect_url.empty()) {
    return ApiError(ErrorId::kRequestInvalid, "mvpd, domainName and redirectUrl are required");
  }
  if (config_.mvpds.count(session.mvpd) == 0) return ErrorId::kInvalidParameterMvpd;

  const Millis now = clock_.now_ms();
  MvpdSession out;
  for (const auto& existing : store_.list_mvpd_profiles(request.sp, caller->profile_id, now)) {
    if (existing.mvpd == session.mvpd) out.already_authenticated = true;
  }
  // Codes use the link-code consonants: easy to type on a second screen, no words spelled.
  static const LinkCodeFormat kCodeFormat = *LinkCodeFormat::parse("base20:8");
  out.code = kCodeFormat.generate(random_);
  out.url = login_url(out.code);
  out.session_id = random_.uuid();
  out.mvpd = session.mvpd;
  out.service_provider = request.sp;
  out.not_before = now;
  out.not_after = now + config_.mvpd_session_ttl_ms;

  store::MvpdSessionRecord record;
  record.code_hash = code_hash(out.code);
  record.service_provider = request.sp;
  record.session_id = out.session_id;
  record.profile_id = caller->profile_id;
  record.device_id = caller->device_id;
  record.mvpd = session.mvpd;
  record.domain_name = session.domain_name;
  record.redirect_url = session.redirect_url;
  record.created_at = now;
  record.expires_at = out.not_after;
  store_.insert_mvpd_session(record);
  return out;
}

Outcome<store::MvpdSessionRecord> MvpdService::live_session(const std::string& code) {
  auto session = store_.find_mvpd_session(code_hash(code));
  if (!session || session->expires_at <= clock_.now_ms()) {
    return ApiError(ErrorId::kTokenInvalid, "The authentication code is unknown or expired");
  }
  return *session;
}

std::vector<MvpdProfileView> MvpdService::views(const std::vector<store::MvpdProfileRecord>& records,
                                                const std::string& device_id) const {
  std::vector<MvpdProfileView> out;
  for (const auto& record : records) out.push_back({record, record.login_device_id == device_id});
  return out;
}

Outcome<std::vector<MvpdProfileView>> MvpdService::profiles_for_code(const SsoRequest& request,
                                                                     const std::string& code) {
  auto caller = sso_.authorize(request);
  if (!caller) return caller.error();
  auto session = live_session(code);
  if (!session) return session.error();
  // A code of another SSO profile answers like an unknown one.
  if (session->service_provider != request.sp || session->profile_id != caller->profile_id) {
    return ApiError(ErrorId::kTokenInvalid, "The authentication code is unknown or expired");
  }
  std::vector<store::MvpdProfileRecord> matching;
  for (auto& record : store_.list_mvpd_profiles(request.sp, caller->profile_id, clock_.now_ms())) {
    if (record.mvpd == session->mvpd) matching.push_back(std::move(record));
  }
  return views(matching, caller->device_id);
}

Outcome<std::vector<MvpdProfileView>> MvpdService::profiles(const SsoRequest& request) {
  auto caller = sso_.authorize(request);
  if (!caller) return caller.error();
  return views(store_.list_mvpd_profiles(request.sp, caller->profile_id, clock_.now_ms()), caller->device_id);
}

Outcome<bool> MvpdService::logout(const SsoRequest& request, const std::string& mvpd) {
  auto caller = sso_.authorize(request);
  if (!caller) return caller.error();
  return store_.delete_mvpd_profile(request.sp, caller->profile_id, mvpd, clock_.now_ms());
}

Outcome<MvpdLoginPage> MvpdService::login_page(const std::string& code) {
  auto session = live_session(code);
  if (!session) return session.error();
  return MvpdLoginPage{session->mvpd, session->service_provider};
}

Outcome<store::MvpdProfileRecord> MvpdService::login(const std::string& code, const std::string& user,
                                                     const std::string& password) {
  auto session = live_session(code);
  if (!session) return session.error();
  const auto account = config_.mvpds.find(session->mvpd);
  // Both compared in constant time, and both always compared: no timing hint on which was wrong.
  const bool user_ok = account != config_.mvpds.end() && constant_time_equals(sha256_hex(account->second.user), sha256_hex(user));
  const bool password_ok =
      account != config_.mvpds.end() && constant_time_equals(sha256_hex(account->second.password), sha256_hex(password));
  if (!user_ok || !password_ok) return ApiError(ErrorId::kUnauthorized, "Wrong user or password");
  const Millis now = clock_.now_ms();
  store::MvpdProfileRecord profile;
  profile.service_provider = session->service_provider;
  profile.profile_id = session->profile_id;
  profile.mvpd = session->mvpd;
  profile.login_device_id = session->device_id;
  profile.user_id = user;
  profile.not_before = now;
  profile.not_after = now + config_.mvpd_profile_ttl_ms;
  return store_.upsert_mvpd_profile(profile, now);
}

}  // namespace ssokit::server
