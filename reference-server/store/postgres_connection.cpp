#include "store/postgres_connection.hpp"

#include <libpq-fe.h>

#include <charconv>

namespace ssokit::store::postgres {
namespace {

// libpq's messages span lines ("...failed: Connection refused\n\tIs the server running...");
// errors here are one line (the server prints exactly one on a failed start).
std::string one_line(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    const bool blank = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (blank) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string message_of(const PGconn* conn) {
  return one_line(conn != nullptr ? PQerrorMessage(conn) : "out of memory");
}

[[noreturn]] void fail(PGresult* result, const PGconn* conn, std::string_view what) {
  std::string sqlstate;
  std::string message;
  if (result != nullptr) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (state != nullptr) sqlstate = state;
    // The primary message only: DETAIL lines can quote row values (a duplicate key's), and
    // an error must never carry a secret.
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    if (primary != nullptr) message = one_line(primary);
    PQclear(result);
  }
  if (message.empty()) message = message_of(conn);
  throw PostgresError(
      "postgresql: " + std::string(what) + ": " + message + (sqlstate.empty() ? std::string() : " (" + sqlstate + ")"),
      sqlstate);
}

bool ok(PGresult* result) {
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

}  // namespace

Params& Params::add(std::string_view text) {
  values_.emplace_back(std::string(text));
  return *this;
}

Params& Params::add(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

Params& Params::add_null() {
  values_.emplace_back(std::nullopt);
  return *this;
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& value : values_) out.push_back(value ? value->c_str() : nullptr);
  return out;
}

Rows::Rows(PGresult* result) : result_(result) {}
Rows::~Rows() {
  PQclear(result_);
}
Rows::Rows(Rows&& other) noexcept : result_(other.result_) {
  other.result_ = nullptr;
}

int Rows::count() const {
  return PQntuples(result_);
}

std::string Rows::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::int64_t Rows::int64(int row, int column) const {
  const char* text = PQgetvalue(result_, row, column);
  const char* end = text + PQgetlength(result_, row, column);
  std::int64_t value = 0;
  const auto [ptr, error] = std::from_chars(text, end, value);
  if (error != std::errc() || ptr != end) throw StoreError("postgresql: a column that should be a number is not");
  return value;
}

bool Rows::is_null(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

std::int64_t Rows::affected() const {
  const char* text = PQcmdTuples(result_);
  return text[0] == '\0' ? 0 : std::stoll(text);
}

Connection::Connection(const std::string& url, int connect_timeout_s) {
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const std::string timeout = std::to_string(connect_timeout_s);
  const char* values[] = {url.c_str(), timeout.c_str(), "ssokit-server", nullptr};
  // expand_dbname = 1: the URI in dbname sets every parameter it names.
  conn_ = PQconnectdbParams(keys, values, 1);
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = message_of(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw PostgresError("postgresql: cannot connect: " + message, "08001");
  }
  // Notices ("relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() {
  PQfinish(conn_);
}

int Connection::socket() const { return PQsocket(conn_); }

bool Connection::consume_input() { return PQconsumeInput(conn_) == 1 && PQstatus(conn_) == CONNECTION_OK; }

std::vector<Connection::Notification> Connection::take_notifications() {
  std::vector<Notification> taken;
  while (PGnotify* notify = PQnotifies(conn_)) {
    taken.push_back(Notification{notify->relname, notify->extra});
    PQfreemem(notify);
  }
  return taken;
}

void Connection::exec(const char* sql) {
  PGresult* result = PQexec(conn_, sql);
  if (!ok(result)) fail(result, conn_, "statement");
  PQclear(result);
}

Rows Connection::run(const char* name, const char* sql, const Params& params) {
  if (prepared_.count(name) == 0) {
    PGresult* prepared = PQprepare(conn_, name, sql, 0, nullptr);
    if (!ok(prepared)) fail(prepared, conn_, std::string("prepare ") + name);
    PQclear(prepared);
    prepared_.insert(name);
  }
  const std::vector<const char*> values = params.pointers();
  PGresult* result = PQexecPrepared(conn_, name, params.size(), values.data(), nullptr, nullptr, 0);
  if (!ok(result)) fail(result, conn_, name);
  return Rows(result);
}

Rows Connection::run_as_transaction(const char* name, const char* sql, const Params& params, bool relaxed) {
  if (PQenterPipelineMode(conn_) != 1) fail(nullptr, conn_, "pipeline mode");
  const bool prepare = prepared_.count(name) == 0;
  const std::vector<const char*> values = params.pointers();
  const auto send = [&](const char* command) {
    return PQsendQueryParams(conn_, command, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  };
  bool sent = send("BEGIN");
  if (relaxed) sent = sent && send("SET LOCAL synchronous_commit TO off");
  if (prepare) sent = sent && PQsendPrepare(conn_, name, sql, 0, nullptr) == 1;
  sent = sent && PQsendQueryPrepared(conn_, name, params.size(), values.data(), nullptr, nullptr, 0) == 1;
  sent = sent && send("COMMIT");
  sent = sent && PQpipelineSync(conn_) == 1;
  // A failed send leaves the connection in an unknown state: no SQLSTATE, so the pool drops it.
  if (!sent) throw PostgresError("postgresql: " + std::string(name) + ": " + message_of(conn_), "");

  // Each command's results end with a null; then the sync point. After an error the
  // server skips the rest (PGRES_PIPELINE_ABORTED) up to the sync.
  const int commands = 3 + (relaxed ? 1 : 0) + (prepare ? 1 : 0);
  const int statement_index = commands - 2;
  PGresult* answer = nullptr;
  PGresult* error = nullptr;
  for (int command = 0; command < commands; ++command) {
    while (PGresult* result = PQgetResult(conn_)) {
      const ExecStatusType status = PQresultStatus(result);
      if (command == statement_index && ok(result) && answer == nullptr) {
        answer = result;
      } else if (status == PGRES_FATAL_ERROR && error == nullptr) {
        error = result;
      } else {
        PQclear(result);
      }
    }
  }
  PGresult* sync = PQgetResult(conn_);
  const bool synced = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
  PQclear(sync);
  if (!synced || PQexitPipelineMode(conn_) != 1) {
    PQclear(answer);
    PQclear(error);
    throw PostgresError("postgresql: " + std::string(name) + ": the pipeline did not end: " + message_of(conn_), "");
  }
  if (error != nullptr) {
    PQclear(answer);
    fail(error, conn_, name);
  }
  if (answer == nullptr) throw PostgresError("postgresql: " + std::string(name) + ": no answer", "");
  if (prepare) prepared_.insert(name);
  return Rows(answer);
}

bool Connection::healthy() const {
  return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK;
}

}  // namespace ssokit::store::postgres
