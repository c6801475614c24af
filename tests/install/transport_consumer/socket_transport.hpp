#pragma once
// An app team's own HttpTransport, in miniature: plain HTTP/1.1 over POSIX sockets, built
// against the installed kit alone (<ssokit/transport.hpp>, <ssokit/transport_support.hpp>).
// It is here to be held to the installed transport contract, the way a team would hold its
// platform's transport to it (docs/transport-adapter.md); it is no transport to ship: no TLS,
// no keep-alive, no chunked answers, and a host name is resolved without a deadline.
#include <memory>

#include <ssokit/transport.hpp>

namespace consumer {

std::shared_ptr<ssokit::HttpTransport> make_socket_transport();

}  // namespace consumer
