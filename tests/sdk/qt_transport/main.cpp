// The Qt transport tests' main. Qt Network needs a QCoreApplication (see qt_transport.hpp), so
// one is made here on the main thread, as an app has one; its event loop never runs, as in an
// app making SDK calls from its main thread: the transport must not need it to.
// With --without-qcoreapplication only the QtTransportWithoutApplication tests run, with none
// (qt_without_application_test.cpp runs this executable that way).
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <cstring>
#include <memory>
#include <string>

namespace {

constexpr const char* kWithoutApplicationTests = "QtTransportWithoutApplication.*";

bool take_flag(int& argc, char** argv, const char* flag) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], flag) != 0) continue;
    for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
    --argc;
    return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const bool without_application = take_flag(argc, argv, "--without-qcoreapplication");
  const std::string filter = GTEST_FLAG_GET(filter);
  if (without_application) {
    GTEST_FLAG_SET(filter, kWithoutApplicationTests);
  } else {
    // Excluded here (and so from ctest's discovery): they need a process without an application.
    const bool has_negative = filter.find('-') != std::string::npos;
    GTEST_FLAG_SET(filter, filter + (has_negative ? ":" : "-") + kWithoutApplicationTests);
  }
  std::unique_ptr<QCoreApplication> application;
  if (!without_application) application = std::make_unique<QCoreApplication>(argc, argv);
  const int failed = RUN_ALL_TESTS();
  // A filter that matched nothing must not pass for a run without an application.
  if (without_application && ::testing::UnitTest::GetInstance()->successful_test_count() == 0) return 1;
  return failed;
}
