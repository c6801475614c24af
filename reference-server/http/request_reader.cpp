#include "http/request_reader.hpp"

// Beast's basic_parser (1.74) leaves two things to its caller: it waits for a whole chunk-size
// line, or a whole trailer block, to be in the buffer without bounding either, and parser<>
// inserts trailer fields into the message's header fields. So this reader drives the parser
// itself: one put() step at a time over a buffer of fixed maximum size, counting framing as
// (bytes parsed) - (body bytes delivered) and checking the budget after every step; the header
// is copied out when it completes, and the message's fields are cleared then, so trailers land
// in an empty field set that nobody reads.

#include <algorithm>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/ascii.hpp"

namespace ssokit::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Parser = bhttp::request_parser<bhttp::string_body>;

std::string_view view(beast::string_view s) {
  return std::string_view(s.data(), s.size());
}

// The request line and header fields, copied when the header completes (or when the request
// fails before that, with what was parsed).
struct Head {
  std::string method;
  std::string target;
  unsigned version = 11;
  bool keep_alive = false;
  bool expects_continue = false;
  std::vector<Header> fields;
};

Head head_of(const Parser& parser) {
  const auto& message = parser.get();
  Head head;
  head.method = std::string(view(message.method_string()));
  head.target = std::string(view(message.target()));
  head.version = message.version() == 10 ? 10 : 11;
  const bool complete = parser.is_header_done();
  head.keep_alive = complete && parser.keep_alive();
  head.fields.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
  for (const auto& field : message) {
    head.fields.push_back(Header{std::string(view(field.name_string())), std::string(view(field.value()))});
  }
  if (complete && head.version >= 11) {
    const auto expect = message.find(bhttp::field::expect);
    head.expects_continue = expect != message.end() && iequals(trim_ows(view(expect->value())), "100-continue");
  }
  return head;
}

RequestProblem problem_of(const beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) return RequestProblem::kHeaderTooLarge;
  if (ec == bhttp::error::body_limit) return RequestProblem::kBodyTooLarge;
  return RequestProblem::kMalformed;
}

ReaderLimits normalized(ReaderLimits limits) {
  limits.max_header_bytes =
      std::clamp<std::size_t>(limits.max_header_bytes, 1, std::numeric_limits<std::uint32_t>::max());
  return limits;
}

}  // namespace

struct RequestReader::Impl {
  explicit Impl(ReaderLimits l) : limits(normalized(l)), buffer(limits.max_header_bytes + kReadBytes) { start(); }

  void start() {
    parser.emplace();
    parser->eager(false);  // one step per put(), so that the budget is checked after each
    parser->header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser->body_limit(static_cast<std::uint64_t>(limits.max_body_bytes));
    parsed = 0;
    head.reset();
    problem = RequestProblem::kNone;
    outcome.reset();
  }

  std::size_t framing() const { return parsed - parser->get().body().size(); }

  Step finish(Step step, RequestProblem why) {
    problem = why;
    if (!head) head = head_of(*parser);  // failed within the header: no trailer can be in it
    outcome = step;
    return step;
  }

  Step advance() {
    if (outcome) return *outcome;
    for (;;) {
      if (buffer.size() == 0) return Step::kNeedMore;
      beast::error_code ec;
      const std::size_t used = parser->put(buffer.data(), ec);
      buffer.consume(used);
      parsed += used;
      const bool header_completed = !head && parser->is_header_done();
      if (header_completed) {
        head = head_of(*parser);
        parser->get().clear();  // from here on only trailers would be added; they go unread
      }
      if (framing() > limits.max_header_bytes) return finish(Step::kFailed, RequestProblem::kHeaderTooLarge);
      // need_more never consumes, and a put() without error always does; the second test only
      // keeps a surprise from looping here.
      if (ec == bhttp::error::need_more || (!ec && used == 0)) {
        // Every byte still buffered belongs to the line or block the parser waits for.
        if (framing() + buffer.size() > limits.max_header_bytes) {
          return finish(Step::kFailed, RequestProblem::kHeaderTooLarge);
        }
        return Step::kNeedMore;
      }
      if (ec) return finish(Step::kFailed, problem_of(ec));
      if (parser->is_done()) return finish(Step::kComplete, RequestProblem::kNone);
      if (header_completed) return Step::kHeaderDone;
    }
  }

  Request take_request() {
    if (!head) head = head_of(*parser);
    Request request;
    request.method = head->method;
    request.target = head->target;
    const std::size_t question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) request.query = request.target.substr(question + 1);
    request.headers = std::move(head->fields);
    request.problem = problem;
    if (outcome == Step::kComplete) request.body = std::move(parser->get().body());
    return request;
  }

  const ReaderLimits limits;
  beast::flat_buffer buffer;  // its max_size() is the bound: max_header_bytes + kReadBytes
  std::optional<Parser> parser;
  std::size_t parsed = 0;  // bytes of the current request the parser has used
  std::optional<Head> head;
  RequestProblem problem = RequestProblem::kNone;
  std::optional<Step> outcome;  // kComplete or kFailed, once reached
};

RequestReader::RequestReader(ReaderLimits limits) : impl_(std::make_unique<Impl>(limits)) {}

RequestReader::~RequestReader() = default;

RequestReader::Space RequestReader::read_space() {
  auto& buffer = impl_->buffer;
  // Never more than max_size(): advance() fails a request whose unfinished framing would need
  // more, before anyone asks for space.
  const std::size_t room = std::min(kReadBytes, buffer.max_size() - buffer.size());
  const auto space = buffer.prepare(room);
  return Space{static_cast<char*>(space.data()), space.size()};
}

void RequestReader::commit(std::size_t bytes) {
  impl_->buffer.commit(bytes);
}

RequestReader::Step RequestReader::advance() {
  return impl_->advance();
}

RequestProblem RequestReader::problem() const {
  return impl_->problem;
}

unsigned RequestReader::version() const {
  return impl_->head ? impl_->head->version : 11;
}

bool RequestReader::keep_alive() const {
  return impl_->problem == RequestProblem::kNone && impl_->head && impl_->head->keep_alive;
}

bool RequestReader::expects_continue() const {
  return impl_->head && impl_->head->expects_continue;
}

Request RequestReader::take_request() {
  return impl_->take_request();
}

void RequestReader::start_next() {
  impl_->start();
}

std::size_t RequestReader::buffered() const {
  return impl_->buffer.size();
}

std::size_t RequestReader::buffer_limit() const {
  return impl_->buffer.max_size();
}

std::size_t RequestReader::framing_bytes() const {
  return impl_->framing();
}

void RequestReader::release_memory() {
  if (impl_->buffer.size() == 0) impl_->buffer.shrink_to_fit();
}

}  // namespace ssokit::http
