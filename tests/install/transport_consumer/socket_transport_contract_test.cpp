// The installed transport contract, run against this project's own transport: the one line
// an app team writes to prove its platform's transport (docs/transport-adapter.md).
#include <ssokit/testing/transport_contract.hpp>

#include "socket_transport.hpp"

SSOKIT_TRANSPORT_CONTRACT(PlainSocket, [] { return consumer::make_socket_transport(); });
