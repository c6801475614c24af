#pragma once
// Building answers: JSON bodies with the headers SPEC wants, the error envelope, OAuth errors.
#include <string>

#include "core/api_error.hpp"
#include "core/client_registry.hpp"
#include "core/json.hpp"
#include "http/message.hpp"

namespace ssokit::api {

// The JSON builders read naturally unqualified in route code.
using server::json_append;
using server::json_set;

// application/json; charset=utf-8 with Cache-Control: no-store (answers may hold tokens
// or codes, and none of them is worth caching).
http::Response json_response(int status, const cJSON* body);
// The same, with a body already written as JSON text.
http::Response json_response(int status, std::string json_text);

// {"status":"BAD_REQUEST","error":{"status","code","message","action","helpUrl","trace"}},
// plus Retry-After on 429.
http::Response error_response(const server::ApiError& error, const std::string& trace,
                              const std::string& public_url);
// The same envelope with another HTTP status than the catalog's: the faults test control
// injects (SPEC §6.4), e.g. internal_error as a 503.
http::Response error_response(const server::ApiError& error, int http_status, const std::string& trace,
                              const std::string& public_url);

// RFC 6749 §5.2 / RFC 7591 §3.2.2: {"error","error_description"}.
http::Response oauth_error_response(const server::OAuthError& error);

// Where helpUrl points for a code: the server's own rendering of the catalog.
std::string help_url(const std::string& public_url, const char* code);

}  // namespace ssokit::api
