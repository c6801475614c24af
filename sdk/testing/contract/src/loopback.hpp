#pragma once
// Socket plumbing shared by the loopback servers (ssokit/testing/loopback_servers.hpp).
#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace ssokit::testing::loopback {

std::string url(std::uint16_t port, const std::string& target);
sockaddr_in address(std::uint16_t port);
// A socket bound to 127.0.0.1 on a free port (listening when asked); the port in `port`.
int bound_socket(bool listening, std::uint16_t& port);
void make_pipe(int (&fds)[2]);
// Waits for `fd` to be readable; false when `wake` became readable first (the owner stops).
bool wait_readable(int fd, int wake);
// Writes all of `data`; false when the peer is gone.
bool send_all(int socket, std::string_view data);

}  // namespace ssokit::testing::loopback
