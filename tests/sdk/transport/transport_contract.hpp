#pragma once
// The contract every HttpTransport of the SDK keeps (deadlines, cancellation, failures to get
// an answer, refused requests), written once in transport_contract_test.cpp and run against
// each transport: a test binary instantiates TransportContract with its factory, e.g.
//   INSTANTIATE_TEST_SUITE_P(Curl, TransportContract,
//                            ::testing::Values(TransportFactory{"curl", [] { return make_curl_transport(); }}));
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>

#include "ssokit/transport.hpp"

namespace ssokit::testing {

struct TransportFactory {
  std::string name;
  std::shared_ptr<HttpTransport> (*make)();
};

// How gtest shows the parameter: the transport's name, not its bytes.
inline void PrintTo(const TransportFactory& factory, std::ostream* out) { *out << factory.name; }

class TransportContract : public ::testing::TestWithParam<TransportFactory> {
 protected:
  std::shared_ptr<HttpTransport> make() const { return GetParam().make(); }
};

}  // namespace ssokit::testing
