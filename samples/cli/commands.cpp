#include "commands.hpp"

#include <cjson/cJSON.h>

#include <ctime>
#include <ostream>
#include <thread>

#include "qr.hpp"

namespace ssokit::cli {
namespace {

std::int64_t millis(ServerTime time) { return time.time_since_epoch().count(); }

std::string iso_time(ServerTime time) {
  const auto seconds = static_cast<std::time_t>(millis(time) / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

struct JsonDeleter {
  void operator()(cJSON* json) const { cJSON_Delete(json); }
};
using Json = std::unique_ptr<cJSON, JsonDeleter>;

void print_json(std::ostream& out, const cJSON* json) {
  char* text = cJSON_PrintUnformatted(json);
  out << text << "\n";
  cJSON_free(text);
}

void add_time(cJSON* object, const char* key, ServerTime time) {
  cJSON_AddNumberToObject(object, key, static_cast<double>(millis(time)));
}

int fail(const Status& status, std::ostream& err) {
  print_error(status, err);
  return 1;
}

int token_summary(const Result<ServiceToken>& token, const char* what, std::ostream& out, std::ostream& err) {
  if (!token) return fail(token.status(), err);
  out << what << "; the service token is valid until " << iso_time(token->not_after) << "\n";
  return 0;
}

int devices(const CliArgs& args, SsoClient& client, std::ostream& out, std::ostream& err) {
  auto list = client.list_devices();
  if (!list) return fail(list.status(), err);
  if (args.json) {
    Json root(cJSON_CreateObject());
    cJSON* array = cJSON_AddArrayToObject(root.get(), "devices");
    for (const Device& device : *list) {
      cJSON* item = cJSON_CreateObject();
      cJSON_AddStringToObject(item, "id", device.id.c_str());
      cJSON_AddStringToObject(item, "deviceType", device.device_type.c_str());
      cJSON_AddStringToObject(item, "model", device.model.c_str());
      cJSON_AddStringToObject(item, "os", device.os.c_str());
      cJSON_AddStringToObject(item, "osVersion", device.os_version.c_str());
      add_time(item, "lastSeen", device.last_seen);
      cJSON_AddStringToObject(item, "type", device.type == DeviceLinkType::kSso ? "sso" : "regular");
      cJSON_AddBoolToObject(item, "current", device.current);
      cJSON_AddItemToArray(array, item);
    }
    print_json(out, root.get());
    return 0;
  }
  for (const Device& device : *list) {
    out << (device.current ? "* " : "  ") << device.id << "  " << (device.type == DeviceLinkType::kSso ? "sso    " : "regular")
        << "  " << device.device_type << "  " << device.model << "  " << device.os << " " << device.os_version
        << "  last seen " << iso_time(device.last_seen) << "\n";
  }
  return 0;
}

int link(const CliArgs& args, SsoClient& client, std::ostream& out, std::ostream& err) {
  auto code = client.create_link_code();
  if (!code) return fail(code.status(), err);
  if (args.json) {
    Json root(cJSON_CreateObject());
    cJSON_AddStringToObject(root.get(), "code", code->value.c_str());
    add_time(root.get(), "notBefore", code->not_before);
    add_time(root.get(), "notAfter", code->not_after);
    print_json(out, root.get());
    return 0;
  }
  out << code->value << "\n";
  if (args.qr) out << samples::qr_for_terminal(code->value) << "valid until " << iso_time(code->not_after) << "\n";
  return 0;
}

int token(const CliArgs& args, SsoClient& client, std::ostream& out, std::ostream& err) {
  auto current = client.service_token();
  if (!current) return fail(current.status(), err);
  if (args.json) {
    Json root(cJSON_CreateObject());
    cJSON_AddStringToObject(root.get(), "serviceToken", current->value.c_str());
    add_time(root.get(), "notBefore", current->not_before);
    add_time(root.get(), "notAfter", current->not_after);
    print_json(out, root.get());
    return 0;
  }
  out << current->value << "\n";
  return 0;
}

int print_profiles(const CliArgs& args, const std::vector<MvpdProfile>& profiles, std::ostream& out) {
  if (args.json) {
    Json root(cJSON_CreateObject());
    cJSON* array = cJSON_AddArrayToObject(root.get(), "profiles");
    for (const MvpdProfile& profile : profiles) {
      cJSON* item = cJSON_CreateObject();
      cJSON_AddStringToObject(item, "mvpd", profile.mvpd.c_str());
      cJSON_AddStringToObject(item, "type", profile.sso ? "serviceTokenSSO" : "regular");
      add_time(item, "notBefore", profile.not_before);
      add_time(item, "notAfter", profile.not_after);
      cJSON* attributes = cJSON_AddObjectToObject(item, "attributes");
      for (const auto& [key, value] : profile.attributes) cJSON_AddStringToObject(attributes, key.c_str(), value.c_str());
      cJSON_AddItemToArray(array, item);
    }
    print_json(out, root.get());
    return 0;
  }
  if (profiles.empty()) out << "no MVPD profile\n";
  for (const MvpdProfile& profile : profiles) {
    out << profile.mvpd << "  " << (profile.sso ? "via SSO" : "signed in here") << "  until " << iso_time(profile.not_after)
        << "\n";
  }
  return 0;
}

// The mock MVPD page is a web page, not an API: the CLI plays the user's browser with the
// SDK's own transport.
Status submit_mvpd_login(const std::string& url, const std::string& user, const std::string& password) {
  const auto transport = make_curl_transport();
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  const auto encode = [](const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string encoded;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        encoded += static_cast<char>(c);
      } else {
        encoded += '%';
        encoded += kHex[c >> 4];
        encoded += kHex[c & 15];
      }
    }
    return encoded;
  };
  request.body = "user=" + encode(user) + "&password=" + encode(password);
  TransportCall call;
  call.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const TransportResult result = transport->send(request, call);
  if (!result.status.ok()) return result.status;
  if (result.response.status == 401) return Status(ErrorCode::kAccessDenied, "the MVPD refused the user or password");
  if (result.response.status != 200) {
    return Status(ErrorCode::kBadRequest, "the MVPD page answered " + std::to_string(result.response.status));
  }
  return Status();
}

int login_mvpd(const CliArgs& args, SsoClient& client, std::ostream& out, std::ostream& err) {
  const std::string& mvpd = args.operands[0];
  auto session = client.start_mvpd_session(mvpd, "ssokit-cli.local", "https://ssokit-cli.local/done");
  if (!session) return fail(session.status(), err);
  if (!session->already_authenticated) {
    if (Status login = submit_mvpd_login(session->url, args.user, args.password); !login.ok()) return fail(login, err);
  }
  auto profiles = session->code.empty() ? client.mvpd_profiles() : client.mvpd_profiles_for_code(session->code);
  if (!profiles) return fail(profiles.status(), err);
  return print_profiles(args, *profiles, out);
}

}  // namespace


int run_command(const CliArgs& args, SsoClient& client, std::ostream& out, std::ostream& err) {
  const std::string& command = args.command;
  if (command == "sign-in") {
    if (!args.sso_id.empty()) return token_summary(client.sign_in(args.sso_id), "signed in", out, err);
    return token_summary(client.sign_in_with_platform_identity(), "signed in with platform identity", out, err);
  }
  if (command == "redeem") return token_summary(client.redeem_link_code(args.operands[0]), "joined", out, err);
  if (command == "link") return link(args, client, out, err);
  if (command == "devices") return devices(args, client, out, err);
  if (command == "token") return token(args, client, out, err);
  if (command == "unlink") {
    auto unlinked = client.unlink_devices(args.operands);
    if (!unlinked) return fail(unlinked.status(), err);
    for (const std::string& id : *unlinked) out << id << "\n";
    return 0;
  }
  if (command == "profiles") {
    auto profiles = client.mvpd_profiles();
    if (!profiles) return fail(profiles.status(), err);
    return print_profiles(args, *profiles, out);
  }
  if (command == "login-mvpd") return login_mvpd(args, client, out, err);
  if (command == "sign-out") {
    const Status status = client.sign_out();
    if (!status.ok()) return fail(status, err);
    out << "signed out\n";
    return 0;
  }
  return fail(Status(ErrorCode::kInvalidArgument, "unknown command " + command), err);
}

}  // namespace ssokit::cli
