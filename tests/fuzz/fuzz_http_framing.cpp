// libFuzzer target: the reference server's HTTP/1.1 request reader (http/request_reader.hpp),
// fed the input in reads of a fuzzer-chosen size, the way a server session feeds it, with
// pipelined requests taken one after the other. The invariants of SPEC §2 must hold:
//   - never more than buffer_limit() bytes buffered, and room to read whenever it needs bytes;
//   - the framing of a request (everything but its body) within the budget until it fails,
//     the unfinished line or block it waits on included;
//   - a body within the body limit, and no body on a failed request;
//   - trailer fields never among a request's headers.
// The input's first byte chooses the read size (bits 1-7: 1..64, or 127 for whole reads) and,
// in bit 0, the mode: "chunked" puts the fixed head of a chunked POST before the rest, so the
// fuzzer writes chunks, extensions and trailers, and that request must come out with exactly
// the head's two fields whatever its trailers say.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "http/request_reader.hpp"

namespace {

using ssokit::http::ReaderLimits;
using ssokit::http::Request;
using ssokit::http::RequestProblem;
using ssokit::http::RequestReader;

// Small limits, so that inputs reach them.
constexpr ReaderLimits kLimits{512, 1024};
constexpr std::string_view kChunkedHead = "POST /f HTTP/1.1\r\nHost: fuzz\r\nTransfer-Encoding: chunked\r\n\r\n";

void require(bool condition) {
  if (!condition) std::abort();
}

// The first request of the "chunked" mode: the head is fixed and complete, so its fields are
// Host and Transfer-Encoding, and nothing a trailer adds.
void check_fixed_head(const Request& request) {
  require(request.headers.size() == 2);
  require(request.headers[0].name == "Host" && request.headers[0].value == "fuzz");
  require(request.headers[1].name == "Transfer-Encoding" && request.headers[1].value == "chunked");
  require(request.method == "POST" && request.target == "/f");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool chunked_mode = (data[0] & 1) != 0;
  const std::size_t step_bits = data[0] >> 1;
  const std::size_t read_size = step_bits == 127 ? RequestReader::kReadBytes : 1 + step_bits % 64;
  std::string input = chunked_mode ? std::string(kChunkedHead) : std::string();
  input.append(reinterpret_cast<const char*>(data + 1), size - 1);

  RequestReader reader(kLimits);
  std::string_view rest(input);
  bool first_request = true;
  // Every read consumes input and every request ends in at most three steps: a loop beyond
  // this is a reader that stopped making progress.
  const std::size_t most_steps = 8 * input.size() + 64;
  for (std::size_t steps = 0;; ++steps) {
    require(steps < most_steps);
    const RequestReader::Step step = reader.advance();
    require(reader.buffered() <= reader.buffer_limit());
    if (step != RequestReader::Step::kFailed) require(reader.framing_bytes() <= kLimits.max_header_bytes);
    switch (step) {
      case RequestReader::Step::kNeedMore: {
        // What it holds while waiting is the unfinished part of a line or block: framing.
        require(reader.framing_bytes() + reader.buffered() <= kLimits.max_header_bytes);
        if (rest.empty()) return 0;  // the peer would have closed here
        const RequestReader::Space space = reader.read_space();
        require(space.size > 0);
        const std::size_t n = std::min({space.size, read_size, rest.size()});
        std::memcpy(space.data, rest.data(), n);
        reader.commit(n);
        rest.remove_prefix(n);
        break;
      }
      case RequestReader::Step::kHeaderDone:
        (void)reader.expects_continue();
        break;
      case RequestReader::Step::kComplete: {
        const Request request = reader.take_request();
        require(request.problem == RequestProblem::kNone);
        require(request.body.size() <= kLimits.max_body_bytes);
        if (chunked_mode && first_request) check_fixed_head(request);
        first_request = false;
        reader.start_next();
        break;
      }
      case RequestReader::Step::kFailed: {
        require(reader.problem() != RequestProblem::kNone);
        require(!reader.keep_alive());
        const Request request = reader.take_request();
        require(request.problem == reader.problem() && request.body.empty());
        if (chunked_mode && first_request) check_fixed_head(request);
        return 0;
      }
    }
  }
}
