#include "postgres_test_cluster.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace ssokit::testing {
namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

void ignore_notice(void*, const char*) {}

Connection connect(const std::string& url) {
  Connection conn(PQconnectdb(url.c_str()), PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot reach " + url + ": " + PQerrorMessage(conn.get()));
  }
  // "schema ... already exists, skipping" is the expected answer of a second instance.
  PQsetNoticeProcessor(conn.get(), ignore_notice, nullptr);
  return conn;
}

void execute(const std::string& url, const std::string& sql) {
  Connection conn = connect(url);
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn.get(), sql.c_str()), PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    throw std::runtime_error(sql + ": " + PQerrorMessage(conn.get()));
  }
}

// Names come from the tests themselves; still, only [a-z0-9_] reaches the SQL text.
void require_identifier(const std::string& name) {
  if (name.empty() || name.size() > 63) throw std::runtime_error("bad PostgreSQL name: " + name);
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      throw std::runtime_error("bad PostgreSQL name: " + name);
    }
  }
}

}  // namespace

std::string postgres_test_cluster() {
  const char* url = std::getenv("SSOKIT_TEST_POSTGRES_URL");
  return url == nullptr ? std::string() : std::string(url);
}

std::string url_with_database(const std::string& url, const std::string& database) {
  const auto query = url.find('?');
  const auto slash = url.rfind('/', query);
  if (slash == std::string::npos || slash < url.find("://") + 3) throw std::runtime_error("no database in " + url);
  return url.substr(0, slash + 1) + database + (query == std::string::npos ? "" : url.substr(query));
}

void create_postgres_database(const std::string& cluster_url, const std::string& database) {
  require_identifier(database);
  execute(cluster_url, "CREATE DATABASE " + database);
}

std::string postgres_schema_url(const std::string& cluster_url, const std::string& schema) {
  require_identifier(schema);
  execute(cluster_url, "CREATE SCHEMA IF NOT EXISTS " + schema);
  // libpq passes `options` to the server as command-line switches: -c search_path=<schema>.
  const char separator = cluster_url.find('?') == std::string::npos ? '?' : '&';
  return cluster_url + separator + "options=-csearch_path%3D" + schema;
}

}  // namespace ssokit::testing
