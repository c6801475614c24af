#include "write_load.hpp"

#include <chrono>
#include <stdexcept>

#include "http_client.hpp"

namespace ssokit::testing {
namespace {

// send(), with a call that got no answer (refused, reset: the instance died) as status 0.
HttpResponse send_or_silence(const HttpRequest& request) {
  try {
    return send(request);
  } catch (const std::runtime_error&) {
    return HttpResponse{};
  }
}

// send() for the checks after a fault, where the server is up: a transport failure (on a
// machine busy with other tests, a refused or reset connection) is tried again a few times
// instead of aborting the test; the last one comes back as status 0, a lost write.
HttpResponse send_checked(const HttpRequest& request) {
  for (int attempt = 1;; ++attempt) {
    const HttpResponse response = send_or_silence(request);
    if (response.status != 0 || attempt == 3) return response;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// The headers of an /api/ call from `device_id` (base64) with the client's access token.
std::vector<std::pair<std::string, std::string>> device_headers(const std::string& access_token,
                                                                const std::string& device_id) {
  return {{"Authorization", "Bearer " + access_token}, {"AP-Device-Identifier", "fingerprint " + device_id}};
}

// `headers` with one more.
std::vector<std::pair<std::string, std::string>> plus(std::vector<std::pair<std::string, std::string>> headers,
                                                      const std::string& name, const std::string& value) {
  headers.emplace_back(name, value);
  return headers;
}

}  // namespace

WriteLoad::WriteLoad(std::vector<std::string> base_urls, std::string sp, std::string access_token, int clients,
                     std::string tag)
    : base_urls_(std::move(base_urls)), sp_(std::move(sp)), access_token_(std::move(access_token)),
      tag_(std::move(tag)) {
  for (int client = 0; client < clients; ++client) threads_.emplace_back([this, client] { run_client(client); });
}

WriteLoad::~WriteLoad() { stop(); }

void WriteLoad::count(long status) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++statuses_[status];
}

void WriteLoad::run_client(int client) {
  for (int n = 0; !stopping_.load(); ++n) {
    const std::string& base = base_urls_[next_target_.fetch_add(1) % base_urls_.size()];
    const std::string name = tag_ + "-" + std::to_string(client) + "-" + std::to_string(n);
    AcknowledgedWrite write;
    write.device_id = base64(name);
    const HttpResponse signed_in =
        send_or_silence({"POST", base + "/api/" + sp_ + "/serviceToken",
                         plus(device_headers(access_token_, write.device_id), "X-SSO-ID", name), std::nullopt});
    count(signed_in.status);
    if (signed_in.status != 201) {
      // A refused or lost call: back off a little, as a client would, and go on.
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    write.service_token = signed_in.json("serviceToken").value_or("");
    const std::string& link_base = base_urls_[next_target_.fetch_add(1) % base_urls_.size()];
    const HttpResponse linked =
        send_or_silence({"POST", link_base + "/api/" + sp_ + "/link",
                         plus(device_headers(access_token_, write.device_id), "AD-Service-Token", write.service_token),
                         std::nullopt});
    count(linked.status);
    if (linked.status == 201) write.link_code = linked.json("code").value_or("");
    std::lock_guard<std::mutex> lock(mutex_);
    writes_.push_back(std::move(write));
    acknowledged_.fetch_add(1);
  }
}

bool WriteLoad::wait_for_acknowledged(std::size_t count, int timeout_ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (acknowledged_.load() < count) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::map<long, std::size_t> WriteLoad::statuses() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return statuses_;
}

std::vector<AcknowledgedWrite> WriteLoad::stop() {
  stopping_.store(true);
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  return writes_;
}

std::vector<std::string> find_missing_writes(const std::string& base_url, const std::string& sp,
                                             const std::string& access_token,
                                             const std::vector<AcknowledgedWrite>& writes) {
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const AcknowledgedWrite& write = writes[i];
    const HttpResponse listed =
        send_checked({"GET", base_url + "/api/" + sp + "/list",
                      plus(device_headers(access_token, write.device_id), "AD-Service-Token", write.service_token),
                      std::nullopt});
    if (listed.status != 200 || listed.body.find(write.device_id) == std::string::npos) {
      missing.push_back("the sign-in of " + write.device_id + ": " + std::to_string(listed.status) + " " + listed.body);
    }
    if (write.link_code.empty()) continue;
    const HttpResponse joined =
        send_checked({"POST", base_url + "/api/" + sp + "/serviceToken",
                      plus(device_headers(access_token, base64("joiner-" + std::to_string(i))), "X-SSO-LINK",
                           write.link_code),
                      std::nullopt});
    if (joined.status != 201) {
      missing.push_back("the link code of " + write.device_id + ": " + std::to_string(joined.status) + " " + joined.body);
    }
  }
  return missing;
}

}  // namespace ssokit::testing
