#pragma once
// A SecureStore in memory, with a switch to make it fail.
#include <map>
#include <mutex>
#include <string>

#include "ssokit/platform.hpp"

namespace ssokit::testing {

class MemorySecureStore final : public SecureStore {
 public:
  Result<std::optional<std::string>> get(const std::string& key) override;
  Status put(const std::string& key, const std::string& value) override;
  Status remove(const std::string& key) override;

  void set_failing(bool failing);
  std::map<std::string, std::string> contents() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> values_;
  bool failing_ = false;
};

}  // namespace ssokit::testing
