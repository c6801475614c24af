// The SQLite store's housekeeping: dead rows deleted in bounded steps.
#include "store/sqlite_store.hpp"
#include "store/sqlite_store_support.hpp"

namespace ssokit::store {

std::size_t SqliteStore::purge_expired(const PurgeCutoffs& cutoffs) {
  // Each statement deletes at most `batch` rows through its expiry index, so one call stays
  // short however much is dead; a row with tat <= now means the same as no row.
  static const char* const kPurges[] = {
      "DELETE FROM rate_limits WHERE key IN "
      "(SELECT key FROM rate_limits WHERE tat <= ?1 ORDER BY tat LIMIT ?2)",
      "DELETE FROM access_tokens WHERE token_hash IN "
      "(SELECT token_hash FROM access_tokens WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)",
      "DELETE FROM mvpd_profiles WHERE (service_provider, profile_id, mvpd) IN "
      "(SELECT service_provider, profile_id, mvpd FROM mvpd_profiles WHERE not_after <= ?1 "
      "ORDER BY not_after LIMIT ?2)",
  };
  return sqlite::on_writer(
      *writer_,
      [&](sqlite::Connection& db) {
        std::size_t deleted = 0;
        for (const char* sql : kPurges) {
          auto q = db.query(sql);
          q.bind(cutoffs.now).bind(cutoffs.batch);
          q.run();
          deleted += static_cast<std::size_t>(db.changes());
        }
        {
          // A code's status stays readable a while after it expired (SPEC §6.1).
          auto q = db.query(
              "DELETE FROM link_codes WHERE seq IN "
              "(SELECT seq FROM link_codes WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)");
          q.bind(cutoffs.link_codes_expired_before).bind(cutoffs.batch);
          q.run();
          deleted += static_cast<std::size_t>(db.changes());
        }
        auto q = db.query(
            "DELETE FROM mvpd_sessions WHERE code_hash IN "
            "(SELECT code_hash FROM mvpd_sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)");
        q.bind(cutoffs.sessions_expired_before).bind(cutoffs.batch);
        q.run();
        return deleted + static_cast<std::size_t>(db.changes());
      },
      sqlite::Durability::kRelaxed);
}

}  // namespace ssokit::store
