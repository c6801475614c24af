#pragma once
// Where a store reports a link code's change (Store::watch_link_codes): the watcher, set once
// before serving, called after the change is committed. Shared by the backends.
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>

#include "store/store.hpp"

namespace ssokit::store {

class LinkCodeChanges {
 public:
  // Replaces the watcher (nullptr: none), once no call of the old one is running: after it
  // returns, the old watcher is never called again.
  void watch(LinkCodeWatcher watcher) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    watcher_ = std::move(watcher);
  }
  // After the commit: a watcher that runs now may read the new state.
  void changed(const std::string& sp, const std::string& code_hash) const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    if (watcher_) watcher_(sp, code_hash);
  }

 private:
  mutable std::shared_mutex mutex_;
  LinkCodeWatcher watcher_;
};

}  // namespace ssokit::store
