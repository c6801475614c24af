#include "wire/json.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire {
namespace {
constexpr std::string_view kAnswer = "service token answer";
}  // namespace

// `status` ("CREATED"/"OK") is not checked: the HTTP status already said it.
Result<ServiceToken> parse_service_token(const std::string& body) {
  auto object = json::parse_object(body, kAnswer);
  if (!object) return object.status();
  const json::Fields fields(object->get(), kAnswer);
  // The seed's tables call it `jws`, its examples and this server `serviceToken`.
  auto value = fields.header_value({"serviceToken", "jws"});
  if (!value) return value.status();
  auto validity = fields.validity();
  if (!validity) return validity.status();
  return ServiceToken{std::move(value).value(), validity->not_before, validity->not_after};
}

}  // namespace ssokit::wire
