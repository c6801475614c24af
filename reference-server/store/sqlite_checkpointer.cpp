#include "store/sqlite_checkpointer.hpp"

#include <cstdio>
#include <exception>

#include "store/sqlite_connection.hpp"

namespace ssokit::store::sqlite {

Checkpointer::Checkpointer(const std::string& path, int busy_timeout_ms, std::chrono::milliseconds interval)
    : db_(std::make_unique<Connection>(path, Connection::Mode::kWriter, busy_timeout_ms)),
      interval_(interval),
      thread_([this] { loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::loop() {
  bool failing = false;  // said once when checkpoints start to fail
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      db_->query("PRAGMA wal_checkpoint(PASSIVE)").run();
      failing = false;
    } catch (const std::exception& e) {
      // A busy or failing file: the next round tries again; the WAL only grows meanwhile.
      if (!failing) std::fprintf(stderr, "ssokit store: WAL checkpoint failed, retrying: %s\n", e.what());
      failing = true;
    }
    lock.lock();
  }
}

}  // namespace ssokit::store::sqlite
