#include "store/sqlite_checkpointer.hpp"

#include <cstdio>
#include <exception>

#include "store/sqlite_connection.hpp"

namespace ssokit::store::sqlite {

Checkpointer::Checkpointer(const std::string& path, int busy_timeout_ms, std::chrono::milliseconds interval)
    : db_(std::make_unique<Connection>(path, Connection::Mode::kWriter, busy_timeout_ms)) {
  timer_ = std::make_unique<server::PeriodicTask>(interval, [this] { checkpoint(); });
}

Checkpointer::~Checkpointer() = default;  // timer_ first: the thread stops before db_ closes

void Checkpointer::checkpoint() {
  try {
    db_->query("PRAGMA wal_checkpoint(PASSIVE)").run();
    failing_ = false;
  } catch (const std::exception& e) {
    // A busy or failing file: the next round tries again; the WAL only grows meanwhile.
    if (!failing_) std::fprintf(stderr, "ssokit store: WAL checkpoint failed, retrying: %s\n", e.what());
    failing_ = true;
  }
}

}  // namespace ssokit::store::sqlite
