#include <gtest/gtest.h>

#include "wire_test_support.hpp"

namespace ssokit::wire {
namespace {

using testing::ms;

// docs/api.md §8: the reference server's answers.
constexpr const char* kAuthenticate =
    R"({"actionName":"authenticate","actionType":"interactive","reasonType":"none","code":"JVLWFQLK",)"
    R"("url":"http://127.0.0.1:8080/mvpd/login/JVLWFQLK","sessionId":"248db8d1-2a6a-4b9b-8fe5-ff771ac313b4",)"
    R"("mvpd":"demo-mvpd","serviceProvider":"demo","notBefore":1795409777384,"notAfter":1795411577384})";
constexpr const char* kAuthorize =
    R"({"actionName":"authorize","actionType":"direct","reasonType":"authenticatedSSO","code":"ZNBTNTQM",)"
    R"("url":"http://127.0.0.1:8080/mvpd/login/ZNBTNTQM","sessionId":"f57e08fd-5418-41ab-98d9-fb4b11c8d382",)"
    R"("mvpd":"demo-mvpd","serviceProvider":"demo","notBefore":1795409786081,"notAfter":1795411586081})";

TEST(ParseMvpdSession, ReadsAnInteractiveSession) {
  const auto session = parse_mvpd_session(kAuthenticate);
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_FALSE(session->already_authenticated);
  EXPECT_EQ(session->code, "JVLWFQLK");
  EXPECT_EQ(session->url, "http://127.0.0.1:8080/mvpd/login/JVLWFQLK");
  EXPECT_EQ(session->session_id, "248db8d1-2a6a-4b9b-8fe5-ff771ac313b4");
  EXPECT_EQ(session->mvpd, "demo-mvpd");
  EXPECT_EQ(session->not_before, ms(1795409777384));
  EXPECT_EQ(session->not_after, ms(1795411577384));
}

TEST(ParseMvpdSession, ReadsADirectAuthorization) {
  const auto session = parse_mvpd_session(kAuthorize);
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_TRUE(session->already_authenticated);
  EXPECT_EQ(session->code, "ZNBTNTQM");
  EXPECT_EQ(session->mvpd, "demo-mvpd");
  EXPECT_EQ(session->not_after, ms(1795411586081));
}

TEST(ParseMvpdSession, ADirectActionTypeAloneMeansAlreadyAuthenticated) {
  const auto session = parse_mvpd_session(R"({"actionName":"resume","actionType":"direct"})");
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_TRUE(session->already_authenticated);
  EXPECT_EQ(session->code, "");
  EXPECT_EQ(session->url, "");
  EXPECT_EQ(session->not_after, ms(0));
}

TEST(ParseMvpdSession, RefusesAnInteractiveSessionItCannotFollow) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"({"actionType":"interactive","code":"C","url":"https://x","notBefore":1,"notAfter":2})",
       "bad MVPD session answer: actionName is missing"},
      {R"({"actionName":"authenticate","url":"https://x","notBefore":1,"notAfter":2})",
       "bad MVPD session answer: code is missing"},
      {R"({"actionName":"authenticate","code":"C","notBefore":1,"notAfter":2})",
       "bad MVPD session answer: url is missing"},
      {R"({"actionName":"authenticate","code":"C","url":"https://x","notAfter":2})",
       "bad MVPD session answer: notBefore is missing"},
      {R"json({"actionName":"authenticate","code":"C","url":"javascript:alert(1)","notBefore":1,"notAfter":2})json",
       "bad MVPD session answer: url is not an http(s) URL"},
      {R"({"actionName":"authenticate","code":"C","url":"https://x","sessionId":7,"notBefore":1,"notAfter":2})",
       "bad MVPD session answer: sessionId is not a string"},
      {R"({"actionName":"authenticate","actionType":5,"code":"C","url":"https://x","notBefore":1,"notAfter":2})",
       "bad MVPD session answer: actionType is not a string"},
      {R"({"actionName":"authorize","notBefore":1})", "bad MVPD session answer: notAfter is missing"},
  };
  for (const Case& c : cases) {
    const auto session = parse_mvpd_session(c.body);
    ASSERT_FALSE(session.ok()) << c.body;
    EXPECT_EQ(session.status().code(), ErrorCode::kBadResponse);
    EXPECT_EQ(session.status().message(), c.message);
  }
  EXPECT_TRUE(
      parse_mvpd_session(R"({"actionName":"authenticate","code":"C","url":"HTTPS://X","notBefore":1,"notAfter":2})")
          .ok());
}

TEST(ParseMvpdProfiles, ReadsTheLoginDevicesProfile) {
  const auto profiles = parse_mvpd_profiles(
      R"({"profiles":{"demo-mvpd":{"notBefore":1795409779869,"notAfter":1795496179869,"issuer":"demo-mvpd",)"
      R"("type":"regular","attributes":{"userID":{"value":"demo","state":"plain"}}}}})");
  ASSERT_TRUE(profiles.ok()) << profiles.status().message();
  ASSERT_EQ(profiles->size(), 1u);
  const MvpdProfile& profile = profiles->front();
  EXPECT_EQ(profile.mvpd, "demo-mvpd");
  EXPECT_EQ(profile.issuer, "demo-mvpd");
  EXPECT_FALSE(profile.sso);
  EXPECT_EQ(profile.not_before, ms(1795409779869));
  EXPECT_EQ(profile.not_after, ms(1795496179869));
  EXPECT_EQ(profile.attributes, (std::map<std::string, std::string>{{"userID", "demo"}}));
}

TEST(ParseMvpdProfiles, ReadsAnSsoProfileOfAnotherDevice) {
  const auto profiles = parse_mvpd_profiles(
      R"({"profiles":{"demo-mvpd":{"notBefore":1,"notAfter":2,"issuer":"demo-mvpd","type":"serviceTokenSSO",)"
      R"("attributes":{"userID":{"value":"demo","state":"plain"}}},"other":{"notBefore":3,"notAfter":4,"type":"appSSO"}}})");
  ASSERT_TRUE(profiles.ok()) << profiles.status().message();
  ASSERT_EQ(profiles->size(), 2u);
  EXPECT_TRUE((*profiles)[0].sso);
  EXPECT_EQ((*profiles)[1].mvpd, "other");
  EXPECT_EQ((*profiles)[1].issuer, "other");  // no issuer: the MVPD itself
  EXPECT_TRUE((*profiles)[1].sso);
  EXPECT_TRUE((*profiles)[1].attributes.empty());
}

TEST(ParseMvpdProfiles, NoProfileIsAnEmptyList) {
  const auto profiles = parse_mvpd_profiles(R"({"profiles":{}})");
  ASSERT_TRUE(profiles.ok());
  EXPECT_TRUE(profiles->empty());
}

TEST(ParseMvpdProfiles, AttributesMapToTheirStringValues) {
  const auto profiles = parse_mvpd_profiles(
      R"({"profiles":{"m":{"notBefore":1,"notAfter":2,"attributes":{"userID":{"value":"u","state":"plain"},)"
      R"("zip":"12345","householdID":{"value":"enc-blob","state":"enc"},"maxRating":{"value":{"MPAA":"R"}},)"
      R"("age":{"value":42},"flags":[1],"nothing":null,"noValue":{"state":"plain"}}}}})");
  ASSERT_TRUE(profiles.ok()) << profiles.status().message();
  EXPECT_EQ(profiles->front().attributes,
            (std::map<std::string, std::string>{{"userID", "u"}, {"zip", "12345"}, {"householdID", "enc-blob"}}));
}

TEST(ParseMvpdProfiles, RefusesBadProfiles) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"({})", "bad MVPD profiles answer: profiles is missing"},
      {R"({"profiles":[]})", "bad MVPD profiles answer: profiles is not an object"},
      {R"({"profiles":{"m":1}})", "bad MVPD profiles answer: profiles.* is not an object"},
      {R"({"profiles":{"m":{"notAfter":2}}})", "bad MVPD profiles answer: profiles.*.notBefore is missing"},
      {R"({"profiles":{"m":{"notBefore":1,"notAfter":2.5}}})",
       "bad MVPD profiles answer: profiles.*.notAfter is not a time (whole ms since the epoch, 0..2^53)"},
      {R"({"profiles":{"m":{"notBefore":1,"notAfter":2,"type":true}}})",
       "bad MVPD profiles answer: profiles.*.type is not a string"},
      {R"({"profiles":{"m":{"notBefore":1,"notAfter":2,"issuer":1}}})",
       "bad MVPD profiles answer: profiles.*.issuer is not a string"},
      {R"({"profiles":{"m":{"notBefore":1,"notAfter":2,"attributes":[]}}})",
       "bad MVPD profiles answer: profiles.*.attributes is not an object"},
      {R"({"profiles":{"":{"notBefore":1,"notAfter":2}}})",
       "bad MVPD profiles answer: profiles has an empty MVPD name"},
  };
  for (const Case& c : cases) {
    const auto profiles = parse_mvpd_profiles(c.body);
    ASSERT_FALSE(profiles.ok()) << c.body;
    EXPECT_EQ(profiles.status().code(), ErrorCode::kBadResponse);
    EXPECT_EQ(profiles.status().message(), c.message);
  }
}

TEST(ParseMvpdLogout, CompleteIsTrueInvalidIsFalse) {
  const auto complete =
      parse_mvpd_logout(R"({"logouts":{"demo-mvpd":{"actionName":"complete","actionType":"none"}}})", "demo-mvpd");
  ASSERT_TRUE(complete.ok()) << complete.status().message();
  EXPECT_TRUE(*complete);
  const auto invalid =
      parse_mvpd_logout(R"({"logouts":{"demo-mvpd":{"actionName":"invalid","actionType":"none"}}})", "demo-mvpd");
  ASSERT_TRUE(invalid.ok());
  EXPECT_FALSE(*invalid);
}

TEST(ParseMvpdLogout, ReadsTheEntryOfTheAskedMvpd) {
  const auto logout =
      parse_mvpd_logout(R"({"logouts":{"a":{"actionName":"invalid"},"b":{"actionName":"complete"}}})", "b");
  ASSERT_TRUE(logout.ok());
  EXPECT_TRUE(*logout);
}

TEST(ParseMvpdLogout, RefusesWhatItCannotComplete) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"({})", "bad MVPD logout answer: logouts is missing"},
      {R"({"logouts":[]})", "bad MVPD logout answer: logouts is not an object"},
      {R"({"logouts":{"other":{"actionName":"complete"}}})",
       "bad MVPD logout answer: logouts has no entry for the MVPD"},
      {R"({"logouts":{"demo-mvpd":"complete"}})", "bad MVPD logout answer: logouts.* is not an object"},
      {R"({"logouts":{"demo-mvpd":{"actionType":"none"}}})", "bad MVPD logout answer: logouts.*.actionName is missing"},
      {R"({"logouts":{"demo-mvpd":{"actionName":"logout","actionType":"interactive","url":"https://x"}}})",
       "bad MVPD logout answer: logouts.*.actionName is neither \"complete\" nor \"invalid\""},
  };
  for (const Case& c : cases) {
    const auto logout = parse_mvpd_logout(c.body, "demo-mvpd");
    ASSERT_FALSE(logout.ok()) << c.body;
    EXPECT_EQ(logout.status().code(), ErrorCode::kBadResponse);
    EXPECT_EQ(logout.status().message(), c.message);
  }
}

}  // namespace
}  // namespace ssokit::wire
