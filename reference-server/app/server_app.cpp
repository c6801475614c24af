#include "app/server_app.hpp"

#include <pthread.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cctype>
#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

#include "api/metrics.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "api/service_event_sink.hpp"
#include "api/test_control.hpp"
#include "app/pepper.hpp"
#include "core/adjustable_clock.hpp"
#include "core/periodic_task.hpp"
#include "core/client_registry.hpp"
#include "core/housekeeping.hpp"
#include "core/key_ring.hpp"
#include "core/legacy_profiles.hpp"
#include "core/link_waiters.hpp"
#include "core/timer_queue.hpp"
#include "core/mvpd_service.hpp"
#include "core/platform_identity.hpp"
#include "core/private_files.hpp"
#include "core/profile_pseudonyms.hpp"
#include "core/service_tokens.hpp"
#include "core/sso_service.hpp"
#include "http/server.hpp"
#include "store/open_store.hpp"

namespace ssokit::app {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<server::PlatformIssuer> load_platform_issuers(const ServeFlags& flags) {
  std::vector<server::PlatformIssuer> issuers;
  for (const PlatformIssuerFlag& flag : flags.platform_issuers) {
    std::string error;
    std::string pem;
    try {
      pem = read_file(flag.pem_path);
    } catch (const std::exception& e) {
      throw std::runtime_error("--platform-issuer " + flag.name + ": " + e.what());
    }
    auto issuer = server::make_platform_issuer(flag.name, pem, error);
    if (!issuer) throw std::runtime_error("--platform-issuer " + flag.name + ": " + flag.pem_path + " is " + error);
    issuer->audience_required = flag.audience_required;
    issuer->max_lifetime_ms = flag.max_lifetime_seconds * 1000;
    issuers.push_back(std::move(*issuer));
  }
  return issuers;
}

// --mvpd-password-file: the password is the file's first line; the file must be 0600.
void load_mvpd_password_files(ServeFlags& flags) {
  for (const MvpdPasswordFileFlag& flag : flags.mvpd_password_files) {
    std::optional<std::string> content;
    try {
      content = server::read_private_file(flag.path);
    } catch (const std::exception& e) {
      throw std::runtime_error("--mvpd-password-file " + flag.name + ": " + e.what());
    }
    if (!content) throw std::runtime_error("--mvpd-password-file " + flag.name + ": " + flag.path + " does not exist");
    std::string password = content->substr(0, content->find('\n'));
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty())
      throw std::runtime_error("--mvpd-password-file " + flag.name + ": " + flag.path + " is empty");
    flags.config.mvpds[flag.name] = {flag.user, password};
  }
}

void write_ready_file(const std::string& path, const std::string& address) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << address << "\n";
    if (!out) throw std::runtime_error("cannot write " + temp);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot write " + path);
}

std::string url_host(const std::string& host) {
  if (host == "0.0.0.0" || host == "::") return "127.0.0.1";
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// What the offline commands (software-statement, rotate-keys) need: the same store, pepper
// check and keys as `serve` would use on that data folder.
struct OfflineStore {
  server::SystemClock clock;
  server::CryptoRandom random;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<server::KeyRing> keys;

  OfflineStore(const std::string& store_url, const std::string& data_dir)
      : store(store::open_store(store_url, data_dir)) {
    load_pepper(data_dir, *store);  // create it, or refuse a data folder that does not match
    keys = std::make_unique<server::KeyRing>(*store, clock, random);
    keys->load_or_create();
  }
};

// glibc returns the free top of a thread's heap to the kernel as soon as it passes the trim
// threshold, and the threshold moves with the allocation pattern. SQLite's per-transaction
// allocations on the writer thread hit that edge on every batch: a madvise() and a TLB
// flush of every core per commit, 13 % of a POST link in a profile. A fixed threshold keeps
// up to 32 MB of freed memory per heap with the process instead.
void keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif
}

}  // namespace

int run_serve(const ServeFlags& input_flags, std::ostream& err) {
  keep_freed_memory_for_reuse();
  // Block the stop signals in every thread; one thread waits for them with sigwait, so no
  // work ever happens inside a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  ServeFlags flags = input_flags;
  api::Logger logger(flags.log_level);
  try {
    load_mvpd_password_files(flags);
    if (flags.config.mvpds.empty()) flags.config.mvpds["demo-mvpd"] = {"demo", "demo"};
    // System time; only the /test/ routes of --test-control move it (SPEC §6.4).
    server::AdjustableClock clock;
    server::CryptoRandom random;
    auto store = store::open_store(flags.store_url, flags.data_dir, flags.store_pool);
    store->claim_serving();
    const std::string pepper = load_pepper(flags.data_dir, *store);
    server::KeyRing keys(*store, clock, random);
    keys.load_or_create();
    const server::ProfilePseudonyms pseudonyms = server::ProfilePseudonyms::load_or_create(*store, random);
    const server::ClientAddresses addresses(flags.trusted_proxies);
    std::vector<server::PlatformIssuer> issuers = load_platform_issuers(flags);

    http::ServerOptions options;
    options.address = flags.listen_host;
    options.port = flags.listen_port;
    options.threads = flags.threads;
    // Writes wait for their commit on the waiting pool, so the io threads keep serving and a
    // group commit holds as many writes as wait for it. Reads (GET, HEAD) never wait for one.
    options.waits = [](const http::Request& request) { return request.method != "GET" && request.method != "HEAD"; };
    options.waiting_threads = flags.waiting_threads;
    options.max_connections = flags.max_connections;
    api::Metrics metrics;
    // The router needs the bound port (for links it hands out), so it is built after listen();
    // no request is served before run(), by which time router_ptr is set.
    api::Router* router_ptr = nullptr;
    http::Server http_server(options, [&router_ptr](const http::Request& request) { return router_ptr->handle(request); });
    http_server.listen();
    const std::string address = url_host(flags.listen_host) + ":" + std::to_string(http_server.port());
    flags.config.public_url = flags.public_url.empty() ? "http://" + address : flags.public_url;

    server::ServiceTokens tokens(flags.config, keys, clock, random);
    server::PlatformIdentity platform(std::move(issuers), keys, clock, flags.config.clock_skew_ms);
    if (const std::size_t renamed = server::rename_legacy_profiles(*store, pseudonyms, platform)) {
      logger.log(api::LogLevel::kInfo, "renamed profiles of an older store to pseudonyms",
                 {api::field("profiles", static_cast<long long>(renamed))});
    }
    api::ServiceEventSink events(metrics, logger);
    server::SsoService sso(flags.config, *store, tokens, platform, pseudonyms, events, clock, random, pepper);
    server::ClientRegistry clients(flags.config, *store, keys, clock, random);
    server::MvpdService mvpd(flags.config, *store, sso, clock, random, pepper);
    api::Router router(logger, metrics, random, flags.config.public_url);
    // Requests held until a link code changes (SPEC §6.1): one timer thread for all of them,
    // woken by the store wherever the change happened, and by a moved test clock.
    server::TimerQueue link_timers;
    server::LinkWaiters waiters(link_timers, flags.max_waiters);
    store->watch_link_codes([&waiters](const std::string& sp, const std::string& code_hash) {
      waiters.changed(sp.empty() ? std::string() : server::SsoService::wait_key(sp, code_hash));
    });
    clock.on_change([&waiters] { waiters.changed(""); });
    api::Services services{flags.config, *store, keys, clients, sso, mvpd, metrics, logger, addresses, waiters, clock};
    api::add_dcr_routes(router, services);
    api::add_sso_routes(router, services);
    api::add_link_routes(router, services);
    api::add_v2_routes(router, services);
    api::add_mvpd_page_routes(router, services);
    api::add_ops_routes(router, services);
    // After the router: it goes first, and its timer thread (delayed calls) stops before the
    // router, the services and the event sink it uses.
    std::unique_ptr<api::TestControl> test_control;
    if (flags.test_control) {
      test_control = std::make_unique<api::TestControl>(clock, logger, router);
      events.keep_link_codes_in(&test_control->link_codes());
      api::add_test_routes(router, *test_control);
      router.set_interceptor(test_control.get());
      logger.log(api::LogLevel::kWarn, "test control is on: /test/ routes move the clock and show link codes");
    }
    router_ptr = &router;

    // Dead rows (expired codes, tokens, sessions, spent limits) go in the background, off
    // the request path; every instance may run it.
    server::Housekeeping housekeeping(*store, clock);
    server::PeriodicTask housekeeper(std::chrono::milliseconds(server::kHousekeepingPeriodMs), [&] {
      try {
        housekeeping.run_once();
      } catch (const std::exception& e) {
        logger.log(api::LogLevel::kWarn, "housekeeping failed", {api::field("error", e.what())});
      }
    });

    std::thread signal_waiter([&] {
      int signal_number = 0;
      sigwait(&stop_signals, &signal_number);
      logger.log(api::LogLevel::kInfo, "stopping: draining in-flight requests",
                 {api::field("signal", static_cast<long long>(signal_number))});
      http_server.stop();
      waiters.release_all();  // held requests are answered at once, with the current state
    });
    logger.log(api::LogLevel::kInfo, "listening",
               {api::field("address", address), api::field("public_url", flags.config.public_url),
                api::field("data", flags.data_dir), api::field("threads", static_cast<long long>(flags.threads))});
    if (!flags.ready_file.empty()) write_ready_file(flags.ready_file, address);
    http_server.run();
    // run() also returns if the server stopped on its own; wake the waiter either way.
    pthread_kill(signal_waiter.native_handle(), SIGTERM);
    signal_waiter.join();
    // Nothing may wake a waiter, or run a check, once the services go.
    store->watch_link_codes(nullptr);
    link_timers.stop();
    logger.log(api::LogLevel::kInfo, "stopped");
    return 0;
  } catch (const std::exception& e) {
    err << "ssokit-server: " << e.what() << "\n";
    return 1;
  }
}

int run_software_statement(const SoftwareStatementFlags& flags, std::ostream& out, std::ostream& err) {
  try {
    OfflineStore offline(flags.store_url, flags.data_dir);
    server::ServiceConfig config;
    server::ClientRegistry clients(config, *offline.store, *offline.keys, offline.clock, offline.random);
    std::optional<server::Millis> lifetime;
    if (flags.ttl_seconds) lifetime = *flags.ttl_seconds * 1000;
    out << clients.issue_software_statement(flags.service_provider, lifetime) << "\n";
    return 0;
  } catch (const std::exception& e) {
    err << "ssokit-server: " << e.what() << "\n";
    return 1;
  }
}

int run_revoke_statement(const RevokeStatementFlags& flags, std::ostream& out, std::ostream& err) {
  try {
    std::string statement = flags.statement_id;
    if (!flags.statement_path.empty()) {
      statement = flags.statement_path == "-" ? std::string(std::istreambuf_iterator<char>(std::cin), {})
                                              : read_file(flags.statement_path);
      while (!statement.empty() && std::isspace(static_cast<unsigned char>(statement.back()))) statement.pop_back();
    }
    OfflineStore offline(flags.store_url, flags.data_dir);
    server::ServiceConfig config;
    server::ClientRegistry clients(config, *offline.store, *offline.keys, offline.clock, offline.random);
    out << "revoked " << clients.revoke_software_statement(statement) << "\n";
    return 0;
  } catch (const std::exception& e) {
    err << "ssokit-server: " << e.what() << "\n";
    return 1;
  }
}

int run_rotate_keys(const RotateKeysFlags& flags, std::ostream& out, std::ostream& err) {
  try {
    OfflineStore offline(flags.store_url, flags.data_dir);
    server::KeyRing& keys = *offline.keys;
    std::vector<server::KeyPurpose> purposes;
    if (flags.purpose == "service-token" || flags.purpose == "all") {
      purposes.push_back(server::KeyPurpose::kServiceTokenHs256);
      purposes.push_back(server::KeyPurpose::kServiceTokenEs256);
    }
    if (flags.purpose == "software-statement" || flags.purpose == "all") {
      purposes.push_back(server::KeyPurpose::kSoftwareStatement);
    }
    if (flags.purpose == "encryption" || flags.purpose == "all") {
      purposes.push_back(server::KeyPurpose::kEncryptionRsa);
      purposes.push_back(server::KeyPurpose::kEncryptionEc);
    }
    for (server::KeyPurpose purpose : purposes) {
      keys.rotate(purpose);
      out << server::purpose_name(purpose) << " " << keys.signing_key(purpose)->kid() << "\n";
    }
    return 0;
  } catch (const std::exception& e) {
    err << "ssokit-server: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace ssokit::app
