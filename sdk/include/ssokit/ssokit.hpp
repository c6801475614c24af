#pragma once
// The ssokit client SDK. Start with SsoClient::create (ssokit/client.hpp) and docs/sdk.md.
#include "ssokit/call.hpp"
#include "ssokit/client.hpp"
#include "ssokit/platform.hpp"
#include "ssokit/result.hpp"
#include "ssokit/status.hpp"
#include "ssokit/transport.hpp"
#include "ssokit/types.hpp"
