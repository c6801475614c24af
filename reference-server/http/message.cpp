#include "http/message.hpp"
#include "http/ascii.hpp"

#include <cstdio>
#include <ctime>

namespace ssokit::http {

const std::string* Request::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return &h.value;
  }
  return nullptr;
}

void Response::set_header(std::string name, std::string value) {
  auto it = headers.begin();
  while (it != headers.end() && !iequals(it->name, name)) ++it;
  if (it == headers.end()) {
    headers.push_back(Header{std::move(name), std::move(value)});
    return;
  }
  it->name = std::move(name);
  it->value = std::move(value);
  // Later duplicates would contradict the value just set.
  for (auto next = it + 1; next != headers.end();) {
    if (iequals(next->name, it->name)) {
      next = headers.erase(next);
    } else {
      ++next;
    }
  }
}

Response Response::held(std::shared_ptr<LaterResponse> later) {
  Response response;
  response.later = std::move(later);
  return response;
}

bool LaterResponse::complete(Response response) {
  std::function<void(Response)> next;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (settled_) return false;
    settled_ = true;
    if (!next_) {
      ready_ = std::move(response);
      return true;
    }
    next = std::move(next_);
    next_ = nullptr;
  }
  next(std::move(response));  // outside the lock: it may chain further or take a while
  return true;
}

void LaterResponse::then(std::function<void(Response)> next) {
  std::optional<Response> ready;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!ready_) {
      if (!settled_) next_ = std::move(next);
      return;  // abandoned: nobody is listening any more
    }
    ready = std::move(ready_);
    ready_.reset();
  }
  next(std::move(*ready));
}

void LaterResponse::abandon() {
  std::function<void(Response)> released;
  std::function<void()> listener;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (abandoned_) return;
    abandoned_ = true;
    settled_ = true;
    ready_.reset();
    released = std::move(next_);
    next_ = nullptr;
    listener = std::move(on_abandon_);
    on_abandon_ = nullptr;
  }
  // Outside the lock: `released` (and the connection it keeps alive) is destroyed here, and the
  // listener may look at this answer.
  if (listener) listener();
}

void LaterResponse::on_abandon(std::function<void()> listener) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!abandoned_) {
      on_abandon_ = std::move(listener);
      return;
    }
  }
  listener();
}

bool LaterResponse::settled() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return settled_;
}

std::string http_date(std::chrono::system_clock::time_point when) {
  // Fixed English names: strftime's %a/%b follow the C locale, which a program may change.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                              kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12],
                              tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

}  // namespace ssokit::http
