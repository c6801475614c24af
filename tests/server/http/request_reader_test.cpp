// The request reader without sockets: the framing budget (exact, whatever the read sizes),
// the bounded buffer, trailers discarded, body limits, 100-continue and pipelining.
#include "http/request_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ssokit::http {
namespace {

constexpr std::size_t kBudget = 256;
constexpr std::size_t kMaxBody = 1024;
// Reads of one byte, of a few, and as large as the reader allows.
const std::vector<std::size_t> kReadSizes = {1, 3, 64, RequestReader::kReadBytes};

ReaderLimits small_limits() {
  return ReaderLimits{kBudget, kMaxBody};
}

struct Fed {
  std::vector<Request> requests;  // complete ones, then the failed one if any
  std::optional<RequestProblem> failure;
  std::size_t bytes_fed = 0;
  std::size_t most_buffered = 0;
  std::size_t most_framing = 0;  // while no request had failed
};

// Feeds `bytes` to `reader` in reads of at most `read_size` until they run out or a request
// fails; pipelined requests are taken one after the other.
Fed feed(RequestReader& reader, std::string_view bytes, std::size_t read_size) {
  Fed fed;
  for (;;) {
    const RequestReader::Step step = reader.advance();
    fed.most_buffered = std::max(fed.most_buffered, reader.buffered());
    if (step != RequestReader::Step::kFailed) fed.most_framing = std::max(fed.most_framing, reader.framing_bytes());
    switch (step) {
      case RequestReader::Step::kNeedMore: {
        if (bytes.empty()) return fed;
        const RequestReader::Space space = reader.read_space();
        const std::size_t n = std::min({space.size, read_size, bytes.size()});
        if (n == 0) {
          ADD_FAILURE() << "no room to read although the reader needs more";
          return fed;
        }
        std::memcpy(space.data, bytes.data(), n);
        reader.commit(n);
        bytes.remove_prefix(n);
        fed.bytes_fed += n;
        break;
      }
      case RequestReader::Step::kHeaderDone:
        break;
      case RequestReader::Step::kComplete:
        fed.requests.push_back(reader.take_request());
        reader.start_next();
        break;
      case RequestReader::Step::kFailed:
        fed.failure = reader.problem();
        fed.requests.push_back(reader.take_request());
        return fed;
    }
  }
}

// Hands `bytes` (at most one read's worth) to `reader` and parses them; the step reached.
RequestReader::Step put(RequestReader& reader, std::string_view bytes) {
  const RequestReader::Space space = reader.read_space();
  EXPECT_LE(bytes.size(), space.size);
  std::memcpy(space.data, bytes.data(), std::min(bytes.size(), space.size));
  reader.commit(std::min(bytes.size(), space.size));
  return reader.advance();
}

Fed feed_all(std::string_view bytes, std::size_t read_size, ReaderLimits limits = small_limits()) {
  RequestReader reader(limits);
  return feed(reader, bytes, read_size);
}

std::vector<std::string> names_of(const Request& request) {
  std::vector<std::string> names;
  for (const Header& h : request.headers) names.push_back(h.name);
  return names;
}

constexpr char kChunkedHead[] = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";

// A chunked request with one 1-byte chunk whose size line carries an extension padded so that
// the framing (everything but the body byte) is exactly `framing` bytes.
std::string chunked_with_framing(std::size_t framing) {
  const std::string fixed = std::string(kChunkedHead) + "1;e=\r\n" + "\r\n" + "0\r\n\r\n";
  return std::string(kChunkedHead) + "1;e=" + std::string(framing - fixed.size(), 'p') + "\r\na\r\n0\r\n\r\n";
}

// The same with the padding in a trailer field instead.
std::string trailer_with_framing(std::size_t framing) {
  const std::string fixed = std::string(kChunkedHead) + "1\r\n" + "\r\n" + "0\r\n" + "T: \r\n" + "\r\n";
  return std::string(kChunkedHead) + "1\r\na\r\n0\r\nT: " + std::string(framing - fixed.size(), 'p') + "\r\n\r\n";
}

TEST(RequestReader, PlainAndPipelinedRequests) {
  const std::string bytes =
      "GET /a?x=1 HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n"
      "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
      "GET /c HTTP/1.0\r\n\r\n";
  for (std::size_t read_size : kReadSizes) {
    SCOPED_TRACE(read_size);
    const Fed fed = feed_all(bytes, read_size);
    EXPECT_FALSE(fed.failure.has_value());
    ASSERT_EQ(fed.requests.size(), 3u);
    EXPECT_EQ(fed.requests[0].method, "GET");
    EXPECT_EQ(fed.requests[0].path, "/a");
    EXPECT_EQ(fed.requests[0].query, "x=1");
    EXPECT_EQ(names_of(fed.requests[0]), (std::vector<std::string>{"Host", "X-A"}));
    EXPECT_EQ(fed.requests[1].body, "abc");
    EXPECT_EQ(fed.requests[2].path, "/c");
  }
}

TEST(RequestReader, VersionAndKeepAliveComeFromTheHeader) {
  RequestReader reader(small_limits());
  EXPECT_EQ(put(reader, "GET / HTTP/1.0\r\n\r\n"), RequestReader::Step::kComplete);
  EXPECT_EQ(reader.version(), 10u);
  EXPECT_FALSE(reader.keep_alive());

  // A "Connection: close" trailer does not change what the header said.
  RequestReader chunked(small_limits());
  EXPECT_EQ(put(chunked, std::string(kChunkedHead) + "1\r\na\r\n0\r\nConnection: close\r\n\r\n"),
            RequestReader::Step::kHeaderDone);
  EXPECT_EQ(chunked.advance(), RequestReader::Step::kComplete);
  EXPECT_EQ(chunked.version(), 11u);
  EXPECT_TRUE(chunked.keep_alive());
}

TEST(RequestReader, TrailersAreDiscardedAndNeverMergedIntoTheHeader) {
  const std::string bytes =
      "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;a=b\r\nhello\r\n6;q=\"x y\"\r\n world\r\n"
      "0\r\nAuthorization: Bearer smuggled\r\nHost: evil\r\nX-SSO-ID: someone\r\n\r\n"
      "GET /next HTTP/1.1\r\nHost: h\r\n\r\n";
  for (std::size_t read_size : kReadSizes) {
    SCOPED_TRACE(read_size);
    const Fed fed = feed_all(bytes, read_size);
    EXPECT_FALSE(fed.failure.has_value());
    ASSERT_EQ(fed.requests.size(), 2u);
    const Request& chunked = fed.requests[0];
    EXPECT_EQ(chunked.body, "hello world");
    EXPECT_EQ(names_of(chunked), (std::vector<std::string>{"Host", "Transfer-Encoding"}));
    EXPECT_EQ(*chunked.header("Host"), "h");
    EXPECT_EQ(chunked.header("Authorization"), nullptr);
    EXPECT_EQ(fed.requests[1].path, "/next");
    EXPECT_EQ(names_of(fed.requests[1]), (std::vector<std::string>{"Host"}));
  }
}

TEST(RequestReader, FramingExactlyAtTheBudgetIsReadOneByteMoreIs431) {
  for (std::size_t read_size : kReadSizes) {
    SCOPED_TRACE(read_size);
    for (const auto& make : {chunked_with_framing, trailer_with_framing}) {
      const std::string fits = make(kBudget);
      ASSERT_EQ(fits.size(), kBudget + 1);  // + the body byte
      const Fed fed = feed_all(fits, read_size);
      EXPECT_FALSE(fed.failure.has_value()) << fits;
      ASSERT_EQ(fed.requests.size(), 1u);
      EXPECT_EQ(fed.requests[0].body, "a");
      EXPECT_EQ(fed.most_framing, kBudget);

      const Fed over = feed_all(make(kBudget + 1), read_size);
      EXPECT_EQ(over.failure, RequestProblem::kHeaderTooLarge) << make(kBudget + 1);
      EXPECT_LE(over.most_framing, kBudget);
    }
  }
}

TEST(RequestReader, TheHeaderAloneCountsAgainstTheBudgetToo) {
  const std::string head = "GET / HTTP/1.1\r\nX-Pad: ";
  const std::string fits = head + std::string(kBudget - head.size() - 4, 'p') + "\r\n\r\n";
  ASSERT_EQ(fits.size(), kBudget);
  for (std::size_t read_size : kReadSizes) {
    SCOPED_TRACE(read_size);
    EXPECT_FALSE(feed_all(fits, read_size).failure.has_value());
    const std::string over = head + std::string(kBudget - head.size() - 3, 'p') + "\r\n\r\n";
    EXPECT_EQ(feed_all(over, read_size).failure, RequestProblem::kHeaderTooLarge);
  }
}

TEST(RequestReader, EndlessChunkExtensionOrTrailerFailsAndTheBufferStaysBounded) {
  std::string endless_extension = std::string(kChunkedHead) + "1;x=" + std::string(1 << 20, 'a');
  std::string endless_trailer = std::string(kChunkedHead) + "1\r\na\r\n0\r\n";
  while (endless_trailer.size() < (1u << 20)) endless_trailer += "X-Pad: pppppppppppppppp\r\n";
  for (const std::string* bytes : {&endless_extension, &endless_trailer}) {
    RequestReader reader(small_limits());
    const Fed fed = feed(reader, *bytes, RequestReader::kReadBytes);
    EXPECT_EQ(fed.failure, RequestProblem::kHeaderTooLarge);
    EXPECT_LE(fed.bytes_fed, kBudget + RequestReader::kReadBytes);
    EXPECT_LE(fed.most_buffered, reader.buffer_limit());
    EXPECT_EQ(reader.buffer_limit(), kBudget + RequestReader::kReadBytes);
  }
}

TEST(RequestReader, ManyShortChunkLinesAddUpAgainstTheBudget) {
  std::string bytes = kChunkedHead;
  for (int i = 0; i < 100; ++i) bytes += "1;e=x\r\na\r\n";  // 10 bytes of framing each, 100 of body
  bytes += "0\r\n\r\n";
  const Fed fed = feed_all(bytes, RequestReader::kReadBytes);
  EXPECT_EQ(fed.failure, RequestProblem::kHeaderTooLarge);
  // The header was complete, so what was asked is known.
  ASSERT_EQ(fed.requests.size(), 1u);
  EXPECT_EQ(fed.requests[0].path, "/x");
  EXPECT_EQ(fed.requests[0].body, "");
}

TEST(RequestReader, BodiesOverTheLimitAre413) {
  const std::string chunked =
      std::string(kChunkedHead) + "400\r\n" + std::string(kMaxBody, 'a') + "\r\n1\r\nb\r\n0\r\n\r\n";
  EXPECT_EQ(feed_all(chunked, RequestReader::kReadBytes).failure, RequestProblem::kBodyTooLarge);
  const std::string exact = std::string(kChunkedHead) + "400\r\n" + std::string(kMaxBody, 'a') + "\r\n0\r\n\r\n";
  const Fed fits = feed_all(exact, 7);
  EXPECT_FALSE(fits.failure.has_value());
  ASSERT_EQ(fits.requests.size(), 1u);
  EXPECT_EQ(fits.requests[0].body.size(), kMaxBody);

  // A declared length over the limit fails at once, with the header known.
  const Fed declared = feed_all("PUT /up?y=2 HTTP/1.1\r\nX-T: 1\r\nContent-Length: 1025\r\n\r\n", 64);
  EXPECT_EQ(declared.failure, RequestProblem::kBodyTooLarge);
  ASSERT_EQ(declared.requests.size(), 1u);
  EXPECT_EQ(declared.requests[0].method, "PUT");
  EXPECT_EQ(declared.requests[0].query, "y=2");
  EXPECT_NE(declared.requests[0].header("X-T"), nullptr);
}

TEST(RequestReader, HeaderDoneComesBeforeTheBodyForContinue) {
  RequestReader reader(small_limits());
  EXPECT_EQ(put(reader, "POST /u HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"),
            RequestReader::Step::kHeaderDone);
  EXPECT_TRUE(reader.expects_continue());
  EXPECT_EQ(reader.advance(), RequestReader::Step::kNeedMore);
  EXPECT_EQ(put(reader, "abc"), RequestReader::Step::kComplete);
  EXPECT_EQ(reader.take_request().body, "abc");

  RequestReader http10(small_limits());
  EXPECT_EQ(put(http10, "POST /u HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"),
            RequestReader::Step::kHeaderDone);
  EXPECT_FALSE(http10.expects_continue());
}

TEST(RequestReader, GarbageIsMalformed) {
  EXPECT_EQ(feed_all("\x01\x02 garbage\r\n\r\n", 64).failure, RequestProblem::kMalformed);
  EXPECT_EQ(feed_all(std::string(kChunkedHead) + "zz\r\n", 64).failure, RequestProblem::kMalformed);
}

}  // namespace
}  // namespace ssokit::http
