#include "error_line.hpp"

#include <algorithm>
#include <ostream>
#include <string_view>

namespace ssokit::samples {
namespace {

constexpr std::size_t kMaxPlainLength = 64;

bool is_plain(std::string_view text, std::string_view punctuation) {
  return !text.empty() && text.size() <= kMaxPlainLength && std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           punctuation.find(c) != std::string_view::npos;
  });
}

}  // namespace

void print_error(const Status& status, std::ostream& err) {
  const auto& server = status.server_error();
  if (server && is_plain(server->code, "_.-")) {
    // The SDK's message of a server error already starts "<code>: " when the server sent a
    // message too.
    const std::string prefix = server->code + ": ";
    const std::string& message = status.message();
    err << "error: " << (message.rfind(prefix, 0) == 0 ? message : prefix + message) << "\n";
    return;
  }
  err << "error: " << to_string(status.code()) << ": " << status.message() << "\n";
}

std::string trace_of(const Status& status) {
  const auto& server = status.server_error();
  return server && is_plain(server->trace, "-") ? server->trace : std::string();
}

}  // namespace ssokit::samples
