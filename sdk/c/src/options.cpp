// ssokit_options and ssokit_call: the C setters over ClientOptions and CallOptions.
#include <memory>
#include <string>

#include "handles.hpp"
#include "platform_callbacks.hpp"
#include "ssokit/platform/device_identity.hpp"
#include "ssokit/platform/linux_services.hpp"

using ssokit::c_api::invalid_argument;

namespace {

// Setters answer this for a NULL options or string: nothing is changed.
int refuse_null(const char* what) { return invalid_argument(std::string(what) + " is NULL", nullptr); }

}  // namespace

extern "C" {

ssokit_options* ssokit_options_new(void) { return new ssokit_options; }
void ssokit_options_free(ssokit_options* options) { delete options; }

int ssokit_options_set_server(ssokit_options* options, const char* url) {
  if (options == nullptr || url == nullptr) return refuse_null("options or url");
  options->options.server = url;
  return SSOKIT_OK;
}

int ssokit_options_set_allow_insecure_http(ssokit_options* options, int allow) {
  if (options == nullptr) return refuse_null("options");
  options->options.allow_insecure_http = allow != 0;
  return SSOKIT_OK;
}

int ssokit_options_set_service_provider(ssokit_options* options, const char* service_provider) {
  if (options == nullptr || service_provider == nullptr) return refuse_null("options or service_provider");
  options->options.service_provider = service_provider;
  return SSOKIT_OK;
}

int ssokit_options_set_software_statement(ssokit_options* options, const char* statement) {
  if (options == nullptr || statement == nullptr) return refuse_null("options or statement");
  options->options.software_statement = statement;
  return SSOKIT_OK;
}

int ssokit_options_set_default_timeout_ms(ssokit_options* options, int64_t timeout_ms) {
  if (options == nullptr || timeout_ms <= 0) return invalid_argument("a positive default timeout is needed", nullptr);
  options->options.default_timeout = std::chrono::milliseconds(timeout_ms);
  return SSOKIT_OK;
}

int ssokit_options_set_async_threads(ssokit_options* options, int threads) {
  if (options == nullptr || threads < 1) return invalid_argument("at least one async thread is needed", nullptr);
  options->options.async_threads = threads;
  return SSOKIT_OK;
}

int ssokit_options_set_device_id(ssokit_options* options, const char* raw_id, const char* app_salt) {
  if (options == nullptr || raw_id == nullptr || app_salt == nullptr) return refuse_null("options, raw_id or app_salt");
  // The hash is taken now and the raw id forgotten; an empty id is reported by create.
  auto identity = std::make_shared<ssokit::platform::HashedDeviceIdentity>(raw_id, app_salt);
  const int answered = static_cast<int>(identity->device_id().status().code());
  options->options.platform.identity = std::move(identity);
  return answered;
}

int ssokit_options_set_device_info_json(ssokit_options* options, const char* json) {
  if (options == nullptr || json == nullptr) return refuse_null("options or json");
  options->options.platform.device_info = std::make_shared<ssokit::c_api::FixedDeviceInfo>(json);
  return SSOKIT_OK;
}

int ssokit_options_set_store(ssokit_options* options, ssokit_store_get_fn get, ssokit_store_put_fn put,
                             ssokit_store_remove_fn remove, void* user_data) {
  if (options == nullptr || get == nullptr || put == nullptr || remove == nullptr) {
    return refuse_null("options or a store callback");
  }
  options->options.platform.store = std::make_shared<ssokit::c_api::CallbackSecureStore>(get, put, remove, user_data);
  return SSOKIT_OK;
}

int ssokit_options_set_connect_token_provider(ssokit_options* options, ssokit_connect_token_fn provider,
                                              void* user_data) {
  if (options == nullptr || provider == nullptr) return refuse_null("options or provider");
  options->options.platform.platform_identity =
      std::make_shared<ssokit::c_api::CallbackConnectToken>(provider, user_data);
  return SSOKIT_OK;
}

int ssokit_options_use_linux_services(ssokit_options* options, const char* state_dir, const char* platform_name,
                                      ssokit_error** error) {
  if (options == nullptr || state_dir == nullptr || platform_name == nullptr) {
    return invalid_argument("options, state_dir or platform_name is NULL", error);
  }
  auto services = ssokit::platform::linux_services(state_dir, platform_name);
  if (!services) return ssokit::c_api::report(services.status(), error);
  options->options.platform = std::move(*services);
  return SSOKIT_OK;
}

int ssokit_options_set_log(ssokit_options* options, ssokit_log_fn log, void* user_data) {
  if (options == nullptr || log == nullptr) return refuse_null("options or log");
  options->options.log = [log, user_data](ssokit::LogLevel level, std::string_view line) {
    const std::string text(line);  // NUL-terminated for C
    log(user_data, static_cast<int>(level), text.c_str());
  };
  return SSOKIT_OK;
}

ssokit_call* ssokit_call_new(void) {
  auto* call = new ssokit_call;
  // Every call object can be cancelled: the flag is shared by all the calls made with it.
  call->options.cancel_flag(std::make_shared<std::atomic<bool>>(false));
  return call;
}

void ssokit_call_free(ssokit_call* call) { delete call; }

int ssokit_call_set_timeout_ms(ssokit_call* call, int64_t timeout_ms) {
  if (call == nullptr || timeout_ms <= 0) return invalid_argument("a positive timeout is needed", nullptr);
  call->options.timeout(std::chrono::milliseconds(timeout_ms));
  return SSOKIT_OK;
}

int ssokit_call_set_from_server(ssokit_call* call, int from_server) {
  if (call == nullptr) return refuse_null("call");
  call->options.from_server(from_server != 0);
  return SSOKIT_OK;
}

void ssokit_call_cancel(ssokit_call* call) {
  if (call != nullptr) call->options.cancel_flag()->store(true);
}

}  // extern "C"
