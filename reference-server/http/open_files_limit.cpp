#include "http/open_files_limit.hpp"

#include <sys/resource.h>

#include <limits>

namespace ssokit::http {

std::size_t raise_open_files_limit(std::size_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  const auto as_size = [](rlim_t value) {
    return value == RLIM_INFINITY ? std::numeric_limits<std::size_t>::max() : static_cast<std::size_t>(value);
  };
  if (as_size(limit.rlim_cur) >= wanted) return as_size(limit.rlim_cur);
  const rlim_t target = as_size(limit.rlim_max) < wanted ? limit.rlim_max : static_cast<rlim_t>(wanted);
  rlimit raised = limit;
  raised.rlim_cur = target;
  if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) return as_size(limit.rlim_cur);
  return as_size(target);
}

}  // namespace ssokit::http
