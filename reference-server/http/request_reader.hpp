#pragma once
// Reads HTTP/1.1 requests out of a byte stream within fixed bounds (SPEC §2), without sockets:
// a server session feeds it what it reads, and so does the fuzz target.
//
// The framing budget: the request line, the header fields, every chunk-size line with its
// extensions, the CRLFs between chunks and the trailer fields together count against
// max_header_bytes, cumulatively per request; the body counts against max_body_bytes. Bytes the
// parser is still waiting on (an unfinished line) count as soon as they are buffered, so no more
// than buffer_limit() bytes are ever held. Trailer fields are counted, then discarded (RFC 9112
// §7.1.2 allows it): the request carries the fields present when the header was complete.
//
// Beast stays in request_reader.cpp (pimpl), as everywhere in http/.
#include <cstddef>
#include <memory>

#include "http/message.hpp"

namespace ssokit::http {

struct ReaderLimits {
  std::size_t max_header_bytes = 16 * 1024;  // the framing budget
  std::size_t max_body_bytes = 64 * 1024;
};

class RequestReader {
 public:
  enum class Step {
    kNeedMore,    // feed more bytes: read_space(), then commit()
    kHeaderDone,  // the header of a request whose body is still to come (time for 100-continue)
    kComplete,    // a whole request: take_request()
    kFailed,      // problem() says why; take_request() for what was understood; no more steps
  };

  // Where the next bytes go: at most `size` of them at `data`, valid until the next call.
  struct Space {
    char* data = nullptr;
    std::size_t size = 0;
  };

  // The most one read adds: the buffer holds at most max_header_bytes + kReadBytes.
  static constexpr std::size_t kReadBytes = 8 * 1024;

  explicit RequestReader(ReaderLimits limits);
  ~RequestReader();
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  Space read_space();
  void commit(std::size_t bytes);

  // Parses what is buffered, as far as it goes.
  Step advance();

  // Only after kFailed.
  RequestProblem problem() const;
  // Known once the header is complete (kHeaderDone, kComplete); HTTP/1.1 defaults before.
  unsigned version() const;  // 10 or 11
  bool keep_alive() const;
  bool expects_continue() const;  // HTTP/1.1 and "Expect: 100-continue"

  // The request (after kComplete) or what was understood of it (after kFailed: the header when
  // it was complete, never a body). remote_address is left empty.
  Request take_request();

  // Begins the next request on the same connection; bytes already buffered (pipelined) stay.
  void start_next();

  // Unparsed bytes held now (pipelined ones included); never more than buffer_limit().
  std::size_t buffered() const;
  std::size_t buffer_limit() const;
  // Framing bytes of the current request parsed so far (bytes parsed minus body bytes), until
  // take_request() moves the body out.
  std::size_t framing_bytes() const;
  // Frees the buffer's memory when it is empty (for connections waiting idle).
  void release_memory();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ssokit::http
