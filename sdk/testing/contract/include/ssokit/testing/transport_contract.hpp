#pragma once
// The transport contract: what every HttpTransport of the SDK keeps (4xx/5xx are responses,
// deadlines, cancellation, failures to get an answer, refused requests, the response size
// limit, calls outliving the transport), written once as GoogleTest tests and run against
// each transport. The curl and Qt transports pass it; an app team proves its own transport
// the same way (docs/transport-adapter.md), in one line of a GoogleTest program:
//
//   SSOKIT_TRANSPORT_CONTRACT(MyStack, [] { return make_my_transport(); });
//
// which runs every test of the contract as MyStack/TransportContract.<Test>/MyStack, each
// with a fresh transport from the factory, against servers on 127.0.0.1.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "ssokit/transport.hpp"

namespace ssokit::testing {

struct TransportFactory {
  std::string name;
  std::function<std::shared_ptr<HttpTransport>()> make;
};

// How gtest shows the parameter: the transport's name, not its bytes.
inline void PrintTo(const TransportFactory& factory, std::ostream* out) { *out << factory.name; }

class TransportContract : public ::testing::TestWithParam<TransportFactory> {
 protected:
  std::shared_ptr<HttpTransport> make() const { return GetParam().make(); }
};

// Defined in the object file that holds the contract's tests. The tests register themselves
// from static initializers, and a linker takes from a static library only the object files
// something refers to: SSOKIT_TRANSPORT_CONTRACT calls this so that the tests come along.
bool link_transport_contract_tests();

}  // namespace ssokit::testing

// Runs the contract against the transports `...` makes (a callable returning
// std::shared_ptr<ssokit::HttpTransport>, e.g. a lambda). `instance_name` is an identifier
// naming the instance in the tests' names. Use it at namespace scope, once per transport.
// Plain INSTANTIATE_TEST_SUITE_P would leave the contract's tests behind in the static
// library; it also wants the suite's unqualified name in scope, hence the namespace.
#define SSOKIT_TRANSPORT_CONTRACT(instance_name, ...)                                                   \
  namespace ssokit_transport_contract_##instance_name {                                                 \
  using ::ssokit::testing::TransportContract;                                                           \
  INSTANTIATE_TEST_SUITE_P(                                                                             \
      instance_name, TransportContract,                                                                 \
      ::testing::Values(::ssokit::testing::TransportFactory{#instance_name, __VA_ARGS__}),              \
      [](const ::testing::TestParamInfo<::ssokit::testing::TransportFactory>& instance) {               \
        return instance.param.name;                                                                     \
      });                                                                                               \
  }                                                                                                     \
  [[maybe_unused]] static const bool ssokit_transport_contract_linked_##instance_name =                 \
      ::ssokit::testing::link_transport_contract_tests()
