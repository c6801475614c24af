#pragma once
// Result<T>: a value, or the Status saying why there is none. Works without exceptions:
// check `ok()` (or the bool) before `value()`; `value()` on an error aborts.
#include <cstdlib>
#include <optional>
#include <utility>

#include "ssokit/status.hpp"

namespace ssokit {

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) status_ = Status(ErrorCode::kBadResponse, "a Result was built from an OK status");
  }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Status& status() const { return status_; }  // OK when there is a value

  const T& value() const& { return checked(); }
  T& value() & { return checked(); }
  // By value on a temporary: `for (auto& d : client.list_devices().value())` then loops over
  // a value the loop keeps alive, not over a Result destroyed before the first iteration.
  T value() && { return std::move(checked()); }
  const T& operator*() const& { return checked(); }
  T& operator*() & { return checked(); }
  T operator*() && { return std::move(checked()); }
  const T* operator->() const { return &checked(); }
  T* operator->() { return &checked(); }

 private:
  T& checked() const {
    if (!value_) std::abort();  // value() of an error: a bug in the caller
    return const_cast<T&>(*value_);
  }
  std::optional<T> value_;
  Status status_;
};

}  // namespace ssokit
