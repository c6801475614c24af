#include "store/open_store.hpp"

#include "core/private_files.hpp"
#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace ssokit::store {

namespace {

const char* const kAcceptedForms =
    "accepted forms: omit --store (SQLite at <data>/ssokit.db), sqlite:///absolute/path.db, "
    "sqlite:relative/path.db";

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

std::string data_dir_database(const std::string& data_dir) {
  if (data_dir.empty()) throw StoreError("no data directory given for the embedded SQLite store");
  try {
    server::ensure_private_directory(data_dir);
  } catch (const std::runtime_error& e) {
    throw StoreError(e.what());
  }
  return data_dir + "/ssokit.db";
}

// "sqlite:///abs/path.db" -> "/abs/path.db"; "sqlite:rel/path.db" -> "rel/path.db".
std::string sqlite_url_path(const std::string& url) {
  const std::string rest = url.substr(std::string("sqlite:").size());
  std::string path;
  if (starts_with(rest, "///")) {
    path = rest.substr(2);  // keep the leading '/'
  } else if (starts_with(rest, "//")) {
    throw StoreError("store URL '" + url + "' names a host; SQLite needs a file: " + kAcceptedForms);
  } else {
    path = rest;
  }
  if (path.empty() || path == "/") throw StoreError("store URL '" + url + "' has no file path: " + kAcceptedForms);
  if (path == ":memory:") {
    throw StoreError("store URL '" + url + "': an in-memory SQLite database is not supported: " + kAcceptedForms);
  }
  if (path.find('?') != std::string::npos || path.find('#') != std::string::npos) {
    throw StoreError("store URL '" + url + "': query parameters are not supported: " + kAcceptedForms);
  }
  return path;
}

}  // namespace

std::unique_ptr<Store> open_store(const std::string& url, const std::string& data_dir,
                                  std::size_t postgres_pool_size) {
  SqliteOptions options;
  if (url.empty()) {
    options.path = data_dir_database(data_dir);
  } else if (starts_with(url, "sqlite:")) {
    options.path = sqlite_url_path(url);
  } else if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    PostgresOptions postgres;
    postgres.url = url;
    postgres.pool_size = postgres_pool_size;
    return std::make_unique<PostgresStore>(std::move(postgres));
  } else {
    // Not echoing the URL: a database URL may carry a password.
    const auto colon = url.find(':');
    const std::string scheme = colon == std::string::npos ? std::string() : url.substr(0, colon);
    throw StoreError("unsupported store URL" + (scheme.empty() ? std::string() : " scheme '" + scheme + "'") +
                     ": " + kAcceptedForms + ", postgresql://USER@HOST:PORT/DB");
  }
  return std::make_unique<SqliteStore>(std::move(options));
}

}  // namespace ssokit::store
