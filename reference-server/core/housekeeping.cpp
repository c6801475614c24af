#include "core/housekeeping.hpp"

namespace ssokit::server {

std::size_t Housekeeping::run_once() {
  std::size_t total = 0;
  for (;;) {
    store::PurgeCutoffs cutoffs;
    cutoffs.now = clock_.now_ms();
    cutoffs.sessions_expired_before = cutoffs.now - kMvpdSessionGraceMs;
    cutoffs.link_codes_expired_before = cutoffs.now - kLinkCodeStatusRetentionMs;
    cutoffs.batch = kPurgeBatch;
    const std::size_t deleted = store_.purge_expired(cutoffs);
    total += deleted;
    // Five tables, a batch each: fewer rows than one batch means nothing is left.
    if (deleted < static_cast<std::size_t>(kPurgeBatch)) return total;
  }
}

}  // namespace ssokit::server
