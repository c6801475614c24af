#include "store/sqlite_checkpointer.hpp"

#include <cstdio>
#include <exception>
#include <utility>

#include "store/sqlite_connection.hpp"

namespace ssokit::store::sqlite {

Checkpointer::Checkpointer(const std::string& path, int busy_timeout_ms, std::chrono::milliseconds interval,
                           std::int64_t restart_frames, std::function<void()> wal_too_long)
    : db_(std::make_unique<Connection>(path, Connection::Mode::kWriter, busy_timeout_ms)),
      restart_frames_(restart_frames),
      wal_too_long_(std::move(wal_too_long)) {
  timer_ = std::make_unique<server::PeriodicTask>(interval, [this] { checkpoint(); });
}

Checkpointer::~Checkpointer() = default;  // timer_ first: the thread stops before db_ closes

void Checkpointer::checkpoint() {
  try {
    // PASSIVE rounds until few frames arrived during the last one (at most kMaxRounds), so
    // that when the writer is asked to finish the job, little is left for it to copy while
    // writes wait.
    std::int64_t wal_frames = -1;  // the WAL's length in frames, as the last round found it
    for (int round = 0; round < kMaxRounds; ++round) {
      auto passive = db_->query("PRAGMA wal_checkpoint(PASSIVE)");
      const std::int64_t before = wal_frames;
      if (passive.step()) wal_frames = passive.int64(1);
      if (wal_frames <= restart_frames_ || (before >= 0 && wal_frames - before <= kWriterShare)) break;
    }
    if (wal_frames > restart_frames_) wal_too_long_();
    failing_ = false;
  } catch (const std::exception& e) {
    // A busy or failing file: the next round tries again; the WAL only grows meanwhile.
    if (!failing_) std::fprintf(stderr, "ssokit store: WAL checkpoint failed, retrying: %s\n", e.what());
    failing_ = true;
  }
}

}  // namespace ssokit::store::sqlite
