#include "wire/json.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire {
namespace {
constexpr std::string_view kAwaitingAnswer = "awaiting approval answer";
}  // namespace

// The HTTP status tells the two answers apart (SPEC §6.2): 202 is the only answer without a
// token, and its `status` is not checked, as no success body's is.
Result<Redemption> parse_redemption(int http_status, const std::string& body) {
  Redemption redemption;
  if (http_status == 202) {
    auto object = json::parse_object(body, kAwaitingAnswer);
    if (!object) return object.status();
    auto not_after = json::Fields(object->get(), kAwaitingAnswer).time("notAfter");
    if (!not_after) return not_after.status();
    redemption.state = RedemptionState::kAwaitingApproval;
    redemption.not_after = *not_after;
    return redemption;
  }
  auto token = parse_service_token(body);
  if (!token) return token.status();
  redemption.token = std::move(token).value();
  return redemption;
}

}  // namespace ssokit::wire
