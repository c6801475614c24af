// raise_open_files_limit: a low soft RLIMIT_NOFILE is raised toward the hard limit, never
// beyond it, and a high one is left alone. The test lowers its own soft limit and restores it.
#include "http/open_files_limit.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace ssokit::http {
namespace {

class OpenFilesLimit : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &original_), 0);
    if (original_.rlim_max != RLIM_INFINITY && original_.rlim_max < 512) GTEST_SKIP() << "hard limit too low";
  }
  void TearDown() override { ::setrlimit(RLIMIT_NOFILE, &original_); }

  void set_soft(rlim_t soft) {
    rlimit limit = original_;
    limit.rlim_cur = soft;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
  }
  static rlim_t soft_now() {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
  }

  rlimit original_{};
};

TEST_F(OpenFilesLimit, ALowSoftLimitIsRaisedToWhatIsWanted) {
  set_soft(128);
  EXPECT_EQ(raise_open_files_limit(400), 400u);
  EXPECT_EQ(soft_now(), 400u);
}

TEST_F(OpenFilesLimit, NeverBeyondTheHardLimit) {
  if (original_.rlim_max == RLIM_INFINITY) GTEST_SKIP() << "no hard limit";
  set_soft(128);
  const std::size_t wanted = static_cast<std::size_t>(original_.rlim_max) + 1000;
  EXPECT_EQ(raise_open_files_limit(wanted), static_cast<std::size_t>(original_.rlim_max));
  EXPECT_EQ(soft_now(), original_.rlim_max);
}

TEST_F(OpenFilesLimit, AHighEnoughSoftLimitIsLeftAlone) {
  set_soft(300);
  EXPECT_EQ(raise_open_files_limit(200), 300u);
  EXPECT_EQ(soft_now(), 300u);
}

}  // namespace
}  // namespace ssokit::http
