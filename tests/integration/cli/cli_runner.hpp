#pragma once
// Runs the real ssokit-cli binary against the server of an ApiTest, one --state folder per
// simulated device.
#include <memory>
#include <string>
#include <vector>

#include "api_test.hpp"
#include "background_program.hpp"
#include "server_process.hpp"

namespace ssokit::testing {

// Runs ssokit-cli with exactly `args` (no flags added) to completion, capturing its exit code,
// stdout and stderr; kills it after 60 s (timed_out).
CommandResult run_cli(const std::vector<std::string>& args);

// A fresh server (ApiTest) plus a software statement file for "demo" and a folder for the
// devices' state folders.
class CliTest : public ApiTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  // ssokit-cli --server URL --service-provider demo --software-statement FILE
  //            --state <devices>/<device> --platform <platform> <args...>
  CommandResult cli(const std::string& device, const std::vector<std::string>& args,
                    const std::string& platform = "linux");
  // The same command left running in the background (link --wait, redeem --wait): read its
  // stdout line by line while other devices act.
  std::unique_ptr<BackgroundProgram> cli_in_background(const std::string& device, const std::vector<std::string>& args,
                                                       const std::string& platform = "linux");
  std::string state_dir(const std::string& device) const { return devices_->path() + "/" + device; }
  const std::string& statement_file() const { return statement_file_; }

  // The base flags without --state (for usage tests).
  std::vector<std::string> base_flags() const;

  // sign-in --sso-id on `device`, asserting success.
  void sign_in(const std::string& device, const std::string& sso_id, const std::string& platform = "linux");
  // link on `device`, asserting success; the code.
  std::string link(const std::string& device);
  // The "id" of the device marked current in `device`'s devices --json.
  std::string current_id(const std::string& device, const std::string& platform = "linux");

 private:
  std::unique_ptr<TempDir> devices_;
  std::string statement_file_;
  std::string base_url_;
};

// The text without its trailing newlines.
std::string trimmed(std::string text);

}  // namespace ssokit::testing
