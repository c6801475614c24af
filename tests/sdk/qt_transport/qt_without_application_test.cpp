// Without a QCoreApplication Qt's event loops refuse to run (Qt 6.4 warns "QEventLoop: Cannot
// be used without QApplication" and nothing is ever delivered), so the transport must refuse
// calls at once instead of waiting for a worker that never answers. This process has an
// application (main.cpp), so the test runs this executable again without one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <QCoreApplication>
#include <chrono>

#include "ssokit/qt_transport.hpp"
#include "ssokit/testing/loopback_servers.hpp"

extern char** environ;

namespace ssokit {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(QtTransport, WithoutAQCoreApplicationCallsAreRefusedAtOnce) {
  char program[] = "/proc/self/exe";
  char flag[] = "--without-qcoreapplication";
  char* arguments[] = {program, flag, nullptr};
  pid_t child = 0;
  ASSERT_EQ(::posix_spawn(&child, program, nullptr, nullptr, arguments, environ), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the run without an application did not end normally";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the run without an application failed (its output is above)";
}

// Only in the run without an application (main.cpp's --without-qcoreapplication).
TEST(QtTransportWithoutApplication, CallsAreRefusedAtOnce) {
  ASSERT_EQ(QCoreApplication::instance(), nullptr) << "run with --without-qcoreapplication";
  testing::CountingRelay server(1);  // counts connections; nothing is meant to reach it
  auto transport = make_qt_transport();
  HttpRequest request;
  request.url = server.url("/x");
  TransportCall call;
  call.deadline = steady_clock::now() + milliseconds(5000);
  const auto start = steady_clock::now();
  const TransportResult result = transport->send(request, call);
  EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
  EXPECT_EQ(result.status.code(), ErrorCode::kInvalidArgument) << result.status.message();
  EXPECT_THAT(result.status.message(), ::testing::HasSubstr("QCoreApplication"));
  EXPECT_TRUE(result.not_sent);
  transport.reset();
  EXPECT_EQ(server.connections(), 0);
}

}  // namespace
}  // namespace ssokit
