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

// A device as `devices --json` prints it, without "current" where it means nothing.
cJSON* device_json(const Device& device, bool with_current) {
  cJSON* item = cJSON_CreateObject();
  cJSON_AddStringToObject(item, "id", device.id.c_str());
  cJSON_AddStringToObject(item, "deviceType", device.device_type.c_str());
  cJSON_AddStringToObject(item, "model", device.model.c_str());
  cJSON_AddStringToObject(item, "os", device.os.c_str());
  cJSON_AddStringToObject(item, "osVersion", device.os_version.c_str());
  add_time(item, "lastSeen", device.last_seen);
  cJSON_AddStringToObject(item, "type", device.type == DeviceLinkType::kSso ? "sso" : "regular");
  if (with_current) cJSON_AddBoolToObject(item, "current", device.current);
  return item;
}

// "ID  TV  QE55Q80C  Tizen 7.0": a device on one line, as `devices` prints it.
std::string device_text(const Device& device) {
  return device.id + "  " + device.device_type + "  " + device.model + "  " + device.os + " " + device.os_version;
}

int devices(const CliArgs& args, SsoClient& client, std::ostream& out, std::ostream& err) {
  auto list = client.list_devices();
  if (!list) return fail(list.status(), err);
  if (args.json) {
    Json root(cJSON_CreateObject());
    cJSON* array = cJSON_AddArrayToObject(root.get(), "devices");
    for (const Device& device : *list) cJSON_AddItemToArray(array, device_json(device, true));
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

const char* state_name(LinkCodeState state) {
  switch (state) {
    case LinkCodeState::kWaiting:
      return "WAITING";
    case LinkCodeState::kAwaitingApproval:
      return "AWAITING_APPROVAL";
    case LinkCodeState::kRedeemed:
      return "REDEEMED";
    case LinkCodeState::kDenied:
      return "DENIED";
    case LinkCodeState::kExpired:
      return "EXPIRED";
  }
  return "UNKNOWN";
}

// `link --wait`: what became of the code. A device that redeemed it (and waits for this
// device's decision, or joined) is an answer, exit 0; a code still waiting or ended is one
// error line, exit 1.
int print_link_outcome(const CliArgs& args, const LinkCode& code, SsoClient& client, std::ostream& out,
                       std::ostream& err) {
  auto status = client.wait_for_link_code(code.value, CallOptions().timeout(*args.wait));
  if (!status) return fail(status.status(), err);
  if (status->state == LinkCodeState::kWaiting) {
    err << "error: timeout: no device redeemed the code within " << args.wait->count() << " s\n";
    return 1;
  }
  if (status->state == LinkCodeState::kExpired) {
    err << "error: link_code_expired: the code ended before a device redeemed it; make a new one\n";
    return 1;
  }
  if (args.json) {
    Json root(cJSON_CreateObject());
    cJSON_AddStringToObject(root.get(), "status", state_name(status->state));
    add_time(root.get(), "notAfter", status->not_after);
    if (status->device) cJSON_AddItemToObject(root.get(), "device", device_json(*status->device, false));
    print_json(out, root.get());
    return 0;
  }
  const std::string device = status->device ? device_text(*status->device) : std::string("(unknown device)");
  switch (status->state) {
    case LinkCodeState::kAwaitingApproval:
      out << "awaiting approval: " << device << "\n";
      break;
    case LinkCodeState::kDenied:
      out << "denied: " << device << "\n";
      break;
    default:
      out << "redeemed by: " << device << "\n";
      break;
  }
  return 0;
}

int link(const CliArgs& args, SsoClient& client, std::ostream& out, std::ostream& err) {
  LinkCodeOptions options;
  options.require_approval = args.approval;
  auto code = client.create_link_code(options);
  if (!code) return fail(code.status(), err);
  if (args.json) {
    Json root(cJSON_CreateObject());
    cJSON_AddStringToObject(root.get(), "code", code->value.c_str());
    add_time(root.get(), "notBefore", code->not_before);
    add_time(root.get(), "notAfter", code->not_after);
    cJSON_AddStringToObject(root.get(), "approval", code->approval_required ? "required" : "optional");
    if (!code->uri.empty()) cJSON_AddStringToObject(root.get(), "uri", code->uri.c_str());
    print_json(out, root.get());
  } else {
    out << code->value << "\n";
    if (!code->uri.empty()) out << code->uri << "\n";
    if (args.qr) {
      // A phone camera opens the app's link when there is one; otherwise it reads the digits.
      out << samples::qr_for_terminal(code->uri.empty() ? code->value : code->uri) << "valid until "
          << iso_time(code->not_after) << "\n";
    }
  }
  if (!args.wait) return 0;
  out.flush();  // a script reads the code before the other device can redeem it
  return print_link_outcome(args, *code, client, out, err);
}

int redeem(const CliArgs& args, SsoClient& client, std::ostream& out, std::ostream& err) {
  RedeemOptions options;
  options.wait_for_approval = args.wait.has_value();
  CallOptions call;
  if (args.wait) call.timeout(*args.wait);
  auto redemption = client.redeem_link_code(args.operands[0], options, call);
  if (!redemption) return fail(redemption.status(), err);
  const bool joined = redemption->state == RedemptionState::kJoined;
  if (!joined && args.wait) {
    err << "error: timeout: the device that made the code did not decide within " << args.wait->count()
        << " s; run redeem again with the same code to go on waiting\n";
    return 1;
  }
  if (args.json) {
    Json root(cJSON_CreateObject());
    cJSON_AddStringToObject(root.get(), "status", joined ? "JOINED" : "AWAITING_APPROVAL");
    if (joined) add_time(root.get(), "notBefore", redemption->token.not_before);
    add_time(root.get(), "notAfter", joined ? redemption->token.not_after : redemption->not_after);
    print_json(out, root.get());
    return 0;
  }
  if (joined) {
    out << "joined; the service token is valid until " << iso_time(redemption->token.not_after) << "\n";
  } else {
    out << "awaiting approval by the device that made the code (until " << iso_time(redemption->not_after)
        << "); run redeem again with --wait to wait for it\n";
  }
  return 0;
}

int decide(const CliArgs& args, SsoClient& client, std::ostream& out, std::ostream& err) {
  const bool approve = args.command == "approve";
  const Status decided = approve ? client.approve_link_code(args.operands[0]) : client.deny_link_code(args.operands[0]);
  if (!decided.ok()) return fail(decided, err);
  if (args.json) {
    Json root(cJSON_CreateObject());
    cJSON_AddStringToObject(root.get(), "decision", approve ? "approved" : "denied");
    print_json(out, root.get());
  } else {
    out << (approve ? "approved" : "denied") << "\n";
  }
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
  if (command == "redeem") return redeem(args, client, out, err);
  if (command == "approve" || command == "deny") return decide(args, client, out, err);
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
