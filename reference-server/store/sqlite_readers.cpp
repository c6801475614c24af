#include "store/sqlite_readers.hpp"

#include <utility>

namespace ssokit::store::sqlite {

ReaderPool::ReaderPool(std::string path, int busy_timeout_ms, std::size_t max_idle)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms), max_idle_(max_idle) {}

ReaderPool::~ReaderPool() = default;

ReaderPool::Lease ReaderPool::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  // Opened outside the lock: opening touches the file and may wait on busy_timeout.
  return Lease(*this, std::make_unique<Connection>(path_, Connection::Mode::kReader, busy_timeout_ms_));
}

void ReaderPool::release(std::unique_ptr<Connection> connection) noexcept {
  if (!connection || connection->in_transaction()) return;  // closes it
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

}  // namespace ssokit::store::sqlite

