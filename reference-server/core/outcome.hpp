#pragma once
// A value or the ApiError that prevented it: how core operations answer.
#include <type_traits>
#include <utility>
#include <variant>

#include "core/api_error.hpp"

namespace ssokit::server {

template <class T, class E = ApiError>
class Outcome {
 public:
  Outcome(T value) : state_(std::move(value)) {}   // NOLINT: implicit by design
  Outcome(E error) : state_(std::move(error)) {}   // NOLINT: implicit by design
  template <class Id, class = std::enable_if_t<std::is_same_v<Id, ErrorId> && std::is_same_v<E, ApiError>>>
  Outcome(Id id) : state_(ApiError(id)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<T>(state_); }
  T& value() { return std::get<T>(state_); }
  const T* operator->() const { return &value(); }
  const T& operator*() const { return value(); }
  const E& error() const { return std::get<E>(state_); }

 private:
  std::variant<T, E> state_;
};

// For operations that answer nothing but success.
struct Done {};

}  // namespace ssokit::server
