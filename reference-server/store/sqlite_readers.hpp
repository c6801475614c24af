#pragma once
// Read connections of the SQLite store. In WAL mode readers never wait for the writer:
// each read runs on its own connection, taken from a small pool (opened on demand when
// every pooled one is busy, so the number of connections follows the number of threads
// reading at once; at most `max_idle` stay open between reads).
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite_connection.hpp"

namespace ssokit::store::sqlite {

class ReaderPool {
 public:
  ReaderPool(std::string path, int busy_timeout_ms, std::size_t max_idle);
  ~ReaderPool();
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  // Exclusive use of one read connection; returns it to the pool when destroyed.
  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ~Lease() { pool_.release(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    ReaderPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  Lease acquire();

 private:
  void release(std::unique_ptr<Connection> connection) noexcept;

  const std::string path_;
  const int busy_timeout_ms_;
  const std::size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
};

}  // namespace ssokit::store::sqlite
