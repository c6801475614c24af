#pragma once
// Reading samples of the Prometheus text exposition that /metrics answers.
#include <optional>
#include <string>

namespace ssokit::testing {

// The value of the sample whose name-and-labels text is exactly `series`
// (e.g. `ssokit_http_requests_total{route="/x",status="200"}`); nullopt when absent.
std::optional<double> metric_value(const std::string& exposition, const std::string& series);

// The sum of every sample whose series starts with `series_prefix`
// (e.g. `ssokit_rate_limited_total{` for all its label sets); 0 when there is none.
double metric_sum(const std::string& exposition, const std::string& series_prefix);

}  // namespace ssokit::testing
