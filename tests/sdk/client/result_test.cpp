// Result<T>: the natural loop over a call's answer must be safe.
// `for (auto& d : client.list_devices().value())` once iterated a destroyed temporary: value()
// on an rvalue Result returned a reference into the Result, which dies at the end of the
// range-init expression. On an rvalue, value() and * now return the value itself, which the
// loop keeps alive. (Under ASan the loops below reported a use after scope before.)
#include "ssokit/result.hpp"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ssokit {
namespace {

// Rvalues give values; lvalues still give references (no copy for a named Result).
static_assert(std::is_same_v<decltype(std::declval<Result<std::vector<int>>>().value()), std::vector<int>>);
static_assert(std::is_same_v<decltype(*std::declval<Result<std::vector<int>>>()), std::vector<int>>);
static_assert(std::is_same_v<decltype(std::declval<Result<std::vector<int>>&>().value()), std::vector<int>&>);
static_assert(std::is_same_v<decltype(std::declval<const Result<std::vector<int>>&>().value()),
                             const std::vector<int>&>);

Result<std::vector<std::string>> devices() {
  return std::vector<std::string>{"tv-" + std::string(40, 'x'), "phone-" + std::string(40, 'y')};
}

TEST(Result, TheNaturalLoopOverATemporarysValueSeesEveryElement) {
  std::vector<std::string> seen;
  for (const auto& d : devices().value()) seen.push_back(d);
  for (const auto& d : *devices()) seen.push_back(d);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], "tv-" + std::string(40, 'x'));
  EXPECT_EQ(seen[3], "phone-" + std::string(40, 'y'));
}

TEST(Result, ANamedResultIsReadInPlace) {
  Result<std::vector<std::string>> named = devices();
  named.value().push_back("added");
  EXPECT_EQ(named->size(), 3u);
  EXPECT_EQ((*named)[2], "added");
  std::vector<std::string> taken = std::move(named).value();  // moves out, as before
  EXPECT_EQ(taken.size(), 3u);
}

}  // namespace
}  // namespace ssokit
