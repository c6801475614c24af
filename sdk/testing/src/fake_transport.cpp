#include "ssokit/testing/fake_transport.hpp"

namespace ssokit::testing {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string url_path(const std::string& url) {
  const auto scheme = url.find("://");
  const auto start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (start == std::string::npos) return "/";
  const auto end = url.find('?', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

void FakeTransport::respond(const std::string& method, const std::string& path_suffix, int status, std::string body,
                            std::vector<HttpHeader> headers) {
  TransportResult result;
  result.response.status = status;
  result.response.body = std::move(body);
  result.response.headers = std::move(headers);
  std::lock_guard lock(mutex_);
  scripts_.push_back({method, path_suffix, std::move(result)});
}

void FakeTransport::fail(const std::string& method, const std::string& path_suffix, Status status, bool not_sent) {
  TransportResult result;
  result.status = std::move(status);
  result.not_sent = not_sent;
  std::lock_guard lock(mutex_);
  scripts_.push_back({method, path_suffix, std::move(result)});
}

void FakeTransport::set_fallback(std::function<TransportResult(const HttpRequest&)> fallback) {
  std::lock_guard lock(mutex_);
  fallback_ = std::move(fallback);
}

TransportResult FakeTransport::send(const HttpRequest& request, const TransportCall& call) {
  if (call.cancelled && call.cancelled->load()) return {Status(ErrorCode::kCancelled, "cancelled"), {}, true};
  std::function<TransportResult(const HttpRequest&)> fallback;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    const std::string path = url_path(request.url);
    for (auto it = scripts_.begin(); it != scripts_.end(); ++it) {
      if (it->method == request.method && ends_with(path, it->path_suffix)) {
        TransportResult result = std::move(it->result);
        scripts_.erase(it);
        return result;
      }
    }
    fallback = fallback_;
  }
  if (fallback) return fallback(request);
  TransportResult result;
  result.status = Status(ErrorCode::kNetworkError, "no scripted answer for " + request.method + " " + url_path(request.url));
  result.not_sent = true;
  return result;
}

std::vector<HttpRequest> FakeTransport::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t FakeTransport::count(const std::string& method, const std::string& path_suffix) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const HttpRequest& request : requests_) {
    if (request.method == method && ends_with(url_path(request.url), path_suffix)) ++n;
  }
  return n;
}

std::size_t FakeTransport::pending() const {
  std::lock_guard lock(mutex_);
  return scripts_.size();
}

}  // namespace ssokit::testing
