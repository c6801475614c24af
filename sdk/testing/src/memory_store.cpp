#include "ssokit/testing/memory_store.hpp"

namespace ssokit::testing {

Result<std::optional<std::string>> MemorySecureStore::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (failing_) return Status(ErrorCode::kStorageError, "the memory store is set to fail");
  const auto it = values_.find(key);
  if (it == values_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Status MemorySecureStore::put(const std::string& key, const std::string& value) {
  std::lock_guard lock(mutex_);
  if (failing_) return Status(ErrorCode::kStorageError, "the memory store is set to fail");
  values_[key] = value;
  return Status();
}

Status MemorySecureStore::remove(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (failing_) return Status(ErrorCode::kStorageError, "the memory store is set to fail");
  values_.erase(key);
  return Status();
}

void MemorySecureStore::set_failing(bool failing) {
  std::lock_guard lock(mutex_);
  failing_ = failing;
}

std::map<std::string, std::string> MemorySecureStore::contents() const {
  std::lock_guard lock(mutex_);
  return values_;
}

}  // namespace ssokit::testing
