#include "redaction.hpp"

#include <algorithm>
#include <cctype>

namespace ssokit::internal {
namespace {

constexpr std::string_view kMask = "[redacted]";
// The letters of the server's base20 link codes (--link-code-format base20:N): no vowels, no Y.
constexpr std::string_view kBase20 = "BCDFGHJKLMNPQRSTVWXZ";
// The shortest link code the server makes (N in 4..16 for both alphabets).
constexpr std::size_t kMinCodeLength = 4;

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_base20(char c) {
  return kBase20.find(static_cast<char>(std::toupper(static_cast<unsigned char>(c)))) != std::string_view::npos;
}

bool is_token_char(char c) {
  return is_alnum(c) || c == '-' || c == '_' || c == '+' || c == '/' || c == '=' || c == '.';
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Long base64-ish text, or a run with 4+ digits (a digit code, alone or inside).
bool looks_secret(std::string_view run) {
  if (run.size() >= 16) return true;
  return std::count_if(run.begin(), run.end(), is_digit) >= static_cast<std::ptrdiff_t>(kMinCodeLength);
}

enum class CodeKind { kNone, kDigits, kLetters };

struct CodeGroup {
  CodeKind kind = CodeKind::kNone;
  std::size_t length = 0;  // digits or letters, without the '-'
};

// `run` as (part of) a link code: digits, or base20 letters in either case, in '-'-joined groups.
CodeGroup code_group(std::string_view run) {
  if (equals_ignoring_case(run, "http") || equals_ignoring_case(run, "https")) return {};
  CodeGroup group;
  bool part_empty = true;
  for (const char c : run) {
    if (c == '-') {
      if (part_empty) return {};
      part_empty = true;
      continue;
    }
    const CodeKind kind = is_digit(c) ? CodeKind::kDigits : is_base20(c) ? CodeKind::kLetters : CodeKind::kNone;
    if (kind == CodeKind::kNone || (group.kind != CodeKind::kNone && kind != group.kind)) return {};
    group.kind = kind;
    ++group.length;
    part_empty = false;
  }
  if (part_empty) return {};
  return group;
}

bool is_code(std::string_view run) {
  return code_group(run).length >= kMinCodeLength;
}

// A path segment that may be secret: besides the rules for any run, random-looking text
// (a code mixing letters and digits, a fragment of base64).
bool secret_segment(std::string_view segment) {
  if (looks_secret(segment) || is_code(segment)) return true;
  if (segment.find_first_of("+=") != std::string_view::npos) return true;
  const bool letters = std::any_of(segment.begin(), segment.end(),
                                   [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
  const bool digits = std::any_of(segment.begin(), segment.end(), is_digit);
  return segment.size() >= 6 && letters && digits;
}

// A path the SDK logs (/api/demo/list) keeps its route and loses its secret segments.
std::string redact_path(std::string_view run) {
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const auto slash = run.find('/', start);
    const auto segment = run.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    out.append(secret_segment(segment) ? kMask : segment);
    if (slash == std::string_view::npos) return out;
    out += '/';
    start = slash + 1;
  }
}

// The run of token characters at `from`; trailing dots are a sentence's, not the run's.
std::size_t run_end(std::string_view text, std::size_t from) {
  std::size_t end = from;
  while (end < text.size() && is_token_char(text[end])) ++end;
  while (end - from > 1 && text[end - 1] == '.') --end;
  return end;
}

// Masks each private value where it stands as a whole word; the longest first, so a value
// that holds another ("Bearer <token>" and the token) goes whole.
std::string mask_private_values(std::string_view text, std::vector<std::string_view> values) {
  std::string out(text);
  std::sort(values.begin(), values.end(), [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  for (const std::string_view value : values) {
    if (value.empty()) continue;
    for (std::size_t at = out.find(value); at != std::string::npos; at = out.find(value, at)) {
      const std::size_t end = at + value.size();
      const bool whole = (at == 0 || !is_alnum(out[at - 1])) && (end == out.size() || !is_alnum(out[end]));
      if (!whole) {
        ++at;
        continue;
      }
      out.replace(at, value.size(), kMask);
      at += kMask.size();
    }
  }
  return out;
}

}  // namespace

std::string redact(std::string_view input, const std::vector<std::string_view>& private_values) {
  const std::string text = mask_private_values(input, private_values);
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_token_char(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = run_end(text, i);
    const std::string_view run = std::string_view(text).substr(i, end - i);
    if (const CodeGroup first = code_group(run); first.kind != CodeKind::kNone) {
      // A code shown in groups ("BCDF GHJK", "025 605"): runs of one kind, one space apart.
      std::size_t length = first.length;
      while (end + 1 < text.size() && text[end] == ' ' && is_token_char(text[end + 1])) {
        const std::size_t next_end = run_end(text, end + 1);
        const CodeGroup next = code_group(std::string_view(text).substr(end + 1, next_end - end - 1));
        if (next.kind != first.kind) break;
        length += next.length;
        end = next_end;
      }
      out.append(length >= kMinCodeLength ? kMask : std::string_view(text).substr(i, end - i));
    } else if (run.front() == '/') {
      out.append(redact_path(run));
    } else {
      // Any other run, '/' included: a base64 device id is not a path.
      out.append(looks_secret(run) ? kMask : run);
    }
    i = end;
  }
  return out;
}

}  // namespace ssokit::internal
