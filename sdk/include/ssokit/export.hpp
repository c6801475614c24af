#pragma once
// SSOKIT_API marks the public C++ API: what a shared ssokit library exports (SSOKIT_SHARED,
// libssokit.so). The SDK and its platform adaptors are compiled with hidden visibility, so
// everything else (the internal and wire namespaces, template instances) stays inside.
// SSOKIT_INTERNAL marks what a public class declares but apps never use (SsoClient::State).
#if defined(_WIN32)
#define SSOKIT_API
#define SSOKIT_INTERNAL
#else
#define SSOKIT_API __attribute__((visibility("default")))
#define SSOKIT_INTERNAL __attribute__((visibility("hidden")))
#endif
