/*
 * ssokit's C API: the SDK for C programs and the one surface language bindings use (the
 * Java/Kotlin binding sits on it). C99, no C++ type in any signature, no exception crosses it.
 *
 * Habits of every function here:
 * - Handles are opaque and owned by the caller once returned: free each with its _free
 *   function (NULL is accepted and ignored).
 * - Calls answer an int status: SSOKIT_OK (0) or one of the ssokit_status codes, the same
 *   numbers as the C++ ssokit::ErrorCode. On failure, when `error` is not NULL, *error gets
 *   an ssokit_error with the message and, when the server sent one, its error object; free it
 *   with ssokit_error_free. Out-parameters are set only on success.
 * - Strings in are NUL-terminated UTF-8 and copied before the function returns; strings out
 *   live as long as the handle they come from.
 * - Everything is thread-safe: one client may be used from many threads at once.
 * - Asynchronous calls return at once; their callback runs exactly once on an SDK worker
 *   thread, with a result (and error) that are valid only during the callback. Cancel one
 *   with ssokit_call_cancel on the ssokit_call it was given.
 *
 * Docs: docs/sdk.md, "C". Errors: docs/errors.md.
 */
#ifndef SSOKIT_C_SSOKIT_H
#define SSOKIT_C_SSOKIT_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define SSOKIT_C_API
#else
#define SSOKIT_C_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes ------------------------------------------------------------------------ */

/* Stable numbers: new codes are only ever added at the end. */
typedef enum ssokit_status {
  SSOKIT_OK = 0,
  SSOKIT_INVALID_ARGUMENT = 1,      /* the caller's mistake, found before any network call */
  SSOKIT_NETWORK_ERROR = 2,         /* no answer: DNS, refused, reset, TLS, truncated */
  SSOKIT_TIMEOUT = 3,               /* the call's deadline passed */
  SSOKIT_CANCELLED = 4,             /* ssokit_call_cancel */
  SSOKIT_BAD_RESPONSE = 5,          /* an answer the SDK does not understand */
  SSOKIT_LINK_CODE_INVALID = 6,     /* ask the other device for a new code */
  SSOKIT_RATE_LIMITED = 7,          /* wait ssokit_error_retry_after_ms */
  SSOKIT_DEVICE_UNLINKED = 8,       /* this device was unlinked; local state cleared */
  SSOKIT_TOKEN_EXPIRED = 9,         /* sign in again */
  SSOKIT_TOKEN_INVALID = 10,        /* sign in again */
  SSOKIT_NOT_SIGNED_IN = 11,        /* the call needs a service token and there is none */
  SSOKIT_REGISTRATION_FAILED = 12,  /* the software statement was refused */
  SSOKIT_ACCESS_DENIED = 13,
  SSOKIT_BAD_REQUEST = 14,
  SSOKIT_SERVER_ERROR = 15, /* 5xx */
  SSOKIT_STORAGE_ERROR = 16,        /* the secure store failed */
  SSOKIT_DEVICE_LIMIT_REACHED = 17, /* the profile holds its most devices: unlink one */
  SSOKIT_LINK_DENIED = 18           /* the device that made the link code denied this one */
} ssokit_status;

/* "ok", "device_unlinked", ...; "unknown" for a number that is no status. Never NULL. */
SSOKIT_C_API const char* ssokit_status_name(int status);
/* The SDK's version, e.g. "0.1.0". */
SSOKIT_C_API const char* ssokit_version(void);

/* ---- errors ------------------------------------------------------------------------------ */

typedef struct ssokit_error ssokit_error;

SSOKIT_C_API int ssokit_error_status(const ssokit_error* error);
SSOKIT_C_API const char* ssokit_error_message(const ssokit_error* error);
/* How long the server asked to wait (429 Retry-After), in milliseconds; 0 when it did not. */
SSOKIT_C_API int64_t ssokit_error_retry_after_ms(const ssokit_error* error);
/* The server's error object, when the server answered with one: its HTTP status (0 when there
 * was no error object) and its fields ("" when absent): code (e.g. "link_code_invalid"),
 * message, action (e.g. "get_new_link_code"), help_url, trace (quote it in bug reports). */
SSOKIT_C_API int ssokit_error_http_status(const ssokit_error* error);
SSOKIT_C_API const char* ssokit_error_server_code(const ssokit_error* error);
SSOKIT_C_API const char* ssokit_error_server_message(const ssokit_error* error);
SSOKIT_C_API const char* ssokit_error_server_action(const ssokit_error* error);
SSOKIT_C_API const char* ssokit_error_server_help_url(const ssokit_error* error);
SSOKIT_C_API const char* ssokit_error_server_trace(const ssokit_error* error);
SSOKIT_C_API void ssokit_error_free(ssokit_error* error);

/* ---- values ------------------------------------------------------------------------------ */

/* Times are milliseconds since the Unix epoch by the server's clock. */

typedef struct ssokit_token ssokit_token; /* a service token */
SSOKIT_C_API const char* ssokit_token_value(const ssokit_token* token);
SSOKIT_C_API int64_t ssokit_token_not_before_ms(const ssokit_token* token);
SSOKIT_C_API int64_t ssokit_token_not_after_ms(const ssokit_token* token);
SSOKIT_C_API void ssokit_token_free(ssokit_token* token);

typedef struct ssokit_link_code ssokit_link_code; /* the code another device types */
SSOKIT_C_API const char* ssokit_link_code_value(const ssokit_link_code* code);
SSOKIT_C_API int64_t ssokit_link_code_not_before_ms(const ssokit_link_code* code);
SSOKIT_C_API int64_t ssokit_link_code_not_after_ms(const ssokit_link_code* code);
SSOKIT_C_API void ssokit_link_code_free(ssokit_link_code* code);

typedef enum ssokit_link_type {
  SSOKIT_LINK_REGULAR = 0, /* signed in on its own (account id, platform identity) */
  SSOKIT_LINK_SSO = 1      /* joined the profile with a link code */
} ssokit_link_type;

typedef struct ssokit_device ssokit_device; /* borrowed from its ssokit_device_list */
SSOKIT_C_API const char* ssokit_device_id(const ssokit_device* device);
SSOKIT_C_API const char* ssokit_device_type(const ssokit_device* device); /* "TV", "MobilePhone"... */
SSOKIT_C_API const char* ssokit_device_model(const ssokit_device* device);
SSOKIT_C_API const char* ssokit_device_os(const ssokit_device* device);
SSOKIT_C_API const char* ssokit_device_os_version(const ssokit_device* device);
SSOKIT_C_API int64_t ssokit_device_last_seen_ms(const ssokit_device* device);
SSOKIT_C_API int ssokit_device_link_type(const ssokit_device* device); /* ssokit_link_type */
SSOKIT_C_API int ssokit_device_is_current(const ssokit_device* device); /* 1: the calling device */
/* Other metadata the device sent ("manufacturer"...); NULL when absent. */
SSOKIT_C_API const char* ssokit_device_extra(const ssokit_device* device, const char* key);

typedef struct ssokit_device_list ssokit_device_list;
SSOKIT_C_API size_t ssokit_device_list_size(const ssokit_device_list* list);
/* NULL past the end. */
SSOKIT_C_API const ssokit_device* ssokit_device_list_at(const ssokit_device_list* list, size_t index);
SSOKIT_C_API void ssokit_device_list_free(ssokit_device_list* list);

typedef struct ssokit_string_list ssokit_string_list;
SSOKIT_C_API size_t ssokit_string_list_size(const ssokit_string_list* list);
SSOKIT_C_API const char* ssokit_string_list_at(const ssokit_string_list* list, size_t index);
SSOKIT_C_API void ssokit_string_list_free(ssokit_string_list* list);

/* A string the SDK allocated for the caller (ssokit_client_device_id). */
SSOKIT_C_API void ssokit_string_free(char* text);

/* Where a platform callback puts bytes it hands to the SDK (copied at once). */
typedef struct ssokit_buffer ssokit_buffer;
SSOKIT_C_API void ssokit_buffer_set(ssokit_buffer* buffer, const char* data, size_t length);

/* ---- options: the server, the app, and the platform's services --------------------------- */

typedef struct ssokit_options ssokit_options;
SSOKIT_C_API ssokit_options* ssokit_options_new(void);
SSOKIT_C_API void ssokit_options_free(ssokit_options* options);

/* Each setter answers SSOKIT_INVALID_ARGUMENT for a NULL options or string. */
SSOKIT_C_API int ssokit_options_set_server(ssokit_options* options, const char* url); /* https://... */
/* http:// to another machine is refused unless this is set (test networks only). */
SSOKIT_C_API int ssokit_options_set_allow_insecure_http(ssokit_options* options, int allow);
SSOKIT_C_API int ssokit_options_set_service_provider(ssokit_options* options, const char* service_provider);
SSOKIT_C_API int ssokit_options_set_software_statement(ssokit_options* options, const char* statement);
/* The deadline of a call whose ssokit_call sets none (default 30000). */
SSOKIT_C_API int ssokit_options_set_default_timeout_ms(ssokit_options* options, int64_t timeout_ms);
/* Worker threads for the asynchronous calls (default 2). */
SSOKIT_C_API int ssokit_options_set_async_threads(ssokit_options* options, int threads);

/* The platform's services. Either ssokit_options_use_linux_services, or all three of
 * device id, device info and store. */

/* The device id, from the raw id the platform gives (a TV's DUID, Android's ANDROID_ID...):
 * hashed here with the salt (SHA-256, base64), the raw id kept nowhere. */
SSOKIT_C_API int ssokit_options_set_device_id(ssokit_options* options, const char* raw_id, const char* app_salt);
/* The X-Device-Info JSON object, e.g. {"primaryHardwareType":"TV","model":"QE55Q80C",...}. */
SSOKIT_C_API int ssokit_options_set_device_info_json(ssokit_options* options, const char* json);

/* The app's secure store (Keystore-backed storage, the Keychain, a 0600 file...): small string
 * values kept between runs. Each callback returns SSOKIT_OK or SSOKIT_STORAGE_ERROR, and may
 * be called from any SDK thread. get: ssokit_buffer_set(value, ...) when the key is present;
 * leave it untouched when it is not. put must be atomic (old value or new after a crash). */
typedef int (*ssokit_store_get_fn)(void* user_data, const char* key, ssokit_buffer* value);
typedef int (*ssokit_store_put_fn)(void* user_data, const char* key, const char* value, size_t length);
typedef int (*ssokit_store_remove_fn)(void* user_data, const char* key);
SSOKIT_C_API int ssokit_options_set_store(ssokit_options* options, ssokit_store_get_fn get, ssokit_store_put_fn put,
                                          ssokit_store_remove_fn remove, void* user_data);

/* Optional: the platform's signed identity token (Roku-style connect token). Set `token`
 * when there is one; leave it untouched when not. */
typedef void (*ssokit_connect_token_fn)(void* user_data, ssokit_buffer* token);
SSOKIT_C_API int ssokit_options_set_connect_token_provider(ssokit_options* options, ssokit_connect_token_fn provider,
                                                           void* user_data);

/* Linux desktops, samples and tests: a random installation id, a file store and the device
 * info of `platform_name` ("linux", "tizen", "webos", "roku", "android", "ios"), all in
 * `state_dir` (one folder per simulated device). */
SSOKIT_C_API int ssokit_options_use_linux_services(ssokit_options* options, const char* state_dir,
                                                   const char* platform_name, ssokit_error** error);

/* Log lines (already redacted: no token, code or device id in them). level: 0 debug,
 * 1 info, 2 warn, 3 error. Called from any SDK thread. */
typedef void (*ssokit_log_fn)(void* user_data, int level, const char* line);
SSOKIT_C_API int ssokit_options_set_log(ssokit_options* options, ssokit_log_fn log, void* user_data);

/* ---- per-call options -------------------------------------------------------------------- */

/* NULL wherever a call takes one means: the default timeout, no cancellation. */
typedef struct ssokit_call ssokit_call;
SSOKIT_C_API ssokit_call* ssokit_call_new(void);
SSOKIT_C_API void ssokit_call_free(ssokit_call* call);
SSOKIT_C_API int ssokit_call_set_timeout_ms(ssokit_call* call, int64_t timeout_ms);
/* ssokit_client_service_token asks the server now instead of answering from its cache: the
 * check that this device is still linked (SSOKIT_DEVICE_UNLINKED when it is not). */
SSOKIT_C_API int ssokit_call_set_from_server(ssokit_call* call, int from_server);
/* Cancels every call made with this ssokit_call, blocking or asynchronous, from any thread:
 * they answer SSOKIT_CANCELLED promptly. A cancelled ssokit_call stays cancelled. */
SSOKIT_C_API void ssokit_call_cancel(ssokit_call* call);

/* ---- the client -------------------------------------------------------------------------- */

typedef struct ssokit_client ssokit_client;

/* Checks the options (SSOKIT_INVALID_ARGUMENT names what is missing); no network call. The
 * options may be freed afterwards. */
SSOKIT_C_API int ssokit_client_create(const ssokit_options* options, ssokit_client** client, ssokit_error** error);
/* Finishes the client's queued asynchronous calls (each callback still runs), then frees it. */
SSOKIT_C_API void ssokit_client_free(ssokit_client* client);

/* Sign in with the app's own account id. */
SSOKIT_C_API int ssokit_client_sign_in(ssokit_client* client, const char* sso_id, const ssokit_call* call,
                                       ssokit_token** token, ssokit_error** error);
/* Join the profile of another device with the code it shows. */
SSOKIT_C_API int ssokit_client_redeem_link_code(ssokit_client* client, const char* code, const ssokit_call* call,
                                                ssokit_token** token, ssokit_error** error);
/* Sign in with the platform's identity token (ssokit_options_set_connect_token_provider). */
SSOKIT_C_API int ssokit_client_sign_in_with_platform_identity(ssokit_client* client, const ssokit_call* call,
                                                              ssokit_token** token, ssokit_error** error);
/* The current service token: cached, refreshed ahead of expiry (see ssokit_call_set_from_server). */
SSOKIT_C_API int ssokit_client_service_token(ssokit_client* client, const ssokit_call* call, ssokit_token** token,
                                             ssokit_error** error);
/* A code for another device of this profile to type. */
SSOKIT_C_API int ssokit_client_create_link_code(ssokit_client* client, const ssokit_call* call,
                                                ssokit_link_code** code, ssokit_error** error);
/* The devices of this profile, oldest first. */
SSOKIT_C_API int ssokit_client_list_devices(ssokit_client* client, const ssokit_call* call,
                                            ssokit_device_list** devices, ssokit_error** error);
/* Unlinks devices of this profile; `unlinked` gets the ids the server actually unlinked. */
SSOKIT_C_API int ssokit_client_unlink_devices(ssokit_client* client, const char* const* device_ids, size_t count,
                                              const ssokit_call* call, ssokit_string_list** unlinked,
                                              ssokit_error** error);
/* Forgets the service token locally (the device stays listed until unlinked). */
SSOKIT_C_API int ssokit_client_sign_out(ssokit_client* client, ssokit_error** error);
/* 1 when a service token is held, else 0. */
SSOKIT_C_API int ssokit_client_signed_in(const ssokit_client* client);
/* This device's id as the server knows it; free with ssokit_string_free. */
SSOKIT_C_API int ssokit_client_device_id(const ssokit_client* client, char** device_id, ssokit_error** error);

/* ---- asynchronous calls ------------------------------------------------------------------ */

/* `status` is SSOKIT_OK with the value, or the failure with `error`; both pointers are valid
 * only during the callback (copy what you keep) and NULL when not set. Each _async function
 * answers SSOKIT_OK when the call was queued (the callback will run), or
 * SSOKIT_INVALID_ARGUMENT without queuing anything for a NULL client, argument or callback. */
typedef void (*ssokit_token_done_fn)(void* user_data, int status, const ssokit_token* token,
                                     const ssokit_error* error);
typedef void (*ssokit_link_code_done_fn)(void* user_data, int status, const ssokit_link_code* code,
                                         const ssokit_error* error);
typedef void (*ssokit_device_list_done_fn)(void* user_data, int status, const ssokit_device_list* devices,
                                           const ssokit_error* error);
typedef void (*ssokit_string_list_done_fn)(void* user_data, int status, const ssokit_string_list* strings,
                                           const ssokit_error* error);

SSOKIT_C_API int ssokit_client_sign_in_async(ssokit_client* client, const char* sso_id, const ssokit_call* call,
                                             ssokit_token_done_fn done, void* user_data);
SSOKIT_C_API int ssokit_client_redeem_link_code_async(ssokit_client* client, const char* code,
                                                      const ssokit_call* call, ssokit_token_done_fn done,
                                                      void* user_data);
SSOKIT_C_API int ssokit_client_sign_in_with_platform_identity_async(ssokit_client* client, const ssokit_call* call,
                                                                    ssokit_token_done_fn done, void* user_data);
SSOKIT_C_API int ssokit_client_service_token_async(ssokit_client* client, const ssokit_call* call,
                                                   ssokit_token_done_fn done, void* user_data);
SSOKIT_C_API int ssokit_client_create_link_code_async(ssokit_client* client, const ssokit_call* call,
                                                      ssokit_link_code_done_fn done, void* user_data);
SSOKIT_C_API int ssokit_client_list_devices_async(ssokit_client* client, const ssokit_call* call,
                                                  ssokit_device_list_done_fn done, void* user_data);
SSOKIT_C_API int ssokit_client_unlink_devices_async(ssokit_client* client, const char* const* device_ids,
                                                    size_t count, const ssokit_call* call,
                                                    ssokit_string_list_done_fn done, void* user_data);

#ifdef __cplusplus
}
#endif

#endif /* SSOKIT_C_SSOKIT_H */
