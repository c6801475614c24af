#pragma once
// The per-address creation limit of SPEC §2 (--address-rate): client registrations, access
// tokens and sign-ins that add a device all draw from one bucket per client address.
#include <optional>
#include <string>

#include "core/service_config.hpp"
#include "store/store.hpp"

namespace ssokit::server {

inline constexpr const char* kAddressCreateLimit = "address_create";  // its label in metrics

inline std::optional<store::NamedLimit> address_creation_limit(const ServiceConfig& config,
                                                               const std::string& client_address) {
  if (!config.address_rate) return std::nullopt;
  return store::NamedLimit{"create-address:" + client_address, kAddressCreateLimit, *config.address_rate};
}

}  // namespace ssokit::server
