#include "error_line.hpp"

#include <ostream>

namespace ssokit::samples {

void print_error(const Status& status, std::ostream& err) {
  const auto& server = status.server_error();
  if (server && !server->code.empty()) {
    err << "error: " << server->code << ": " << (server->message.empty() ? status.message() : server->message) << "\n";
    return;
  }
  err << "error: " << to_string(status.code()) << ": " << status.message() << "\n";
}

}  // namespace ssokit::samples
