/*
 * A C99 program on the C API (ssokit/c/ssokit.h), walked against a real server by
 * c_api_test.cpp: a phone signs in, shows a link code, a TV joins with it, the phone lists and
 * unlinks the TV, and the TV finds out; errors, async calls and cancellation along the way.
 * The phone's platform services are C callbacks (an in-memory store); the TV's are the Linux
 * services. Prints one "ok: ..." line per step; exits 1 at the first surprise.
 *
 *   c_api_walk SERVER_URL SOFTWARE_STATEMENT TV_STATE_DIR
 */
#define _POSIX_C_SOURCE 200809L /* strdup, pthreads */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssokit/c/ssokit.h"

static int failures = 0;

#define CHECK(condition, what)                                       \
  do {                                                               \
    if (!(condition)) {                                              \
      fprintf(stderr, "FAIL line %d: %s\n", __LINE__, what);         \
      failures++;                                                    \
      return 1;                                                      \
    }                                                                \
  } while (0)

/* ---- the phone's store: a few keys in memory, behind the C callbacks ------------------- */

enum { kMaxEntries = 16 };
struct memory_store {
  pthread_mutex_t mutex;
  char* keys[kMaxEntries];
  char* values[kMaxEntries];
  size_t lengths[kMaxEntries];
  int puts;
  int fail_writes;
};

static int find_key(struct memory_store* store, const char* key) {
  for (int i = 0; i < kMaxEntries; i++) {
    if (store->keys[i] != NULL && strcmp(store->keys[i], key) == 0) return i;
  }
  return -1;
}

static int store_get(void* user_data, const char* key, ssokit_buffer* value) {
  struct memory_store* store = user_data;
  pthread_mutex_lock(&store->mutex);
  const int at = find_key(store, key);
  if (at >= 0) ssokit_buffer_set(value, store->values[at], store->lengths[at]);
  pthread_mutex_unlock(&store->mutex);
  return SSOKIT_OK;
}

static int store_put(void* user_data, const char* key, const char* value, size_t length) {
  struct memory_store* store = user_data;
  pthread_mutex_lock(&store->mutex);
  int at = find_key(store, key);
  for (int i = 0; at < 0 && i < kMaxEntries; i++) {
    if (store->keys[i] == NULL) at = i;
  }
  int answer = SSOKIT_STORAGE_ERROR;
  if (at >= 0 && !store->fail_writes) {
    if (store->keys[at] == NULL) store->keys[at] = strdup(key);
    free(store->values[at]);
    store->values[at] = malloc(length + 1);
    memcpy(store->values[at], value, length);
    store->values[at][length] = '\0';
    store->lengths[at] = length;
    store->puts++;
    answer = SSOKIT_OK;
  }
  pthread_mutex_unlock(&store->mutex);
  return answer;
}

static int store_remove(void* user_data, const char* key) {
  struct memory_store* store = user_data;
  pthread_mutex_lock(&store->mutex);
  const int at = find_key(store, key);
  if (at >= 0) {
    free(store->keys[at]);
    free(store->values[at]);
    store->keys[at] = NULL;
    store->values[at] = NULL;
  }
  pthread_mutex_unlock(&store->mutex);
  return SSOKIT_OK;
}

static void store_clear(struct memory_store* store) {
  for (int i = 0; i < kMaxEntries; i++) {
    free(store->keys[i]);
    free(store->values[i]);
  }
  pthread_mutex_destroy(&store->mutex);
}

/* ---- waiting for an async callback ---------------------------------------------------- */

struct completion {
  pthread_mutex_t mutex;
  pthread_cond_t done;
  int finished;
  int status;
  size_t devices;
  int saw_current;
};

static void list_done(void* user_data, int status, const ssokit_device_list* devices, const ssokit_error* error) {
  struct completion* completion = user_data;
  (void)error;
  pthread_mutex_lock(&completion->mutex);
  completion->status = status;
  completion->devices = ssokit_device_list_size(devices);
  for (size_t i = 0; i < completion->devices; i++) {
    if (ssokit_device_is_current(ssokit_device_list_at(devices, i))) completion->saw_current = 1;
  }
  completion->finished = 1;
  pthread_cond_signal(&completion->done);
  pthread_mutex_unlock(&completion->mutex);
}

static void wait_for(struct completion* completion) {
  pthread_mutex_lock(&completion->mutex);
  while (!completion->finished) pthread_cond_wait(&completion->done, &completion->mutex);
  pthread_mutex_unlock(&completion->mutex);
}

/* ---- the log callback ----------------------------------------------------------------- */

struct log_count {
  pthread_mutex_t mutex;
  int lines;
};

static void count_line(void* user_data, int level, const char* line) {
  struct log_count* count = user_data;
  if (level < 0 || level > 3 || line == NULL) return;
  pthread_mutex_lock(&count->mutex);
  count->lines++;
  pthread_mutex_unlock(&count->mutex);
}

/* ---- the walk ------------------------------------------------------------------------- */

static ssokit_options* base_options(const char* server, const char* statement) {
  ssokit_options* options = ssokit_options_new();
  ssokit_options_set_server(options, server);
  ssokit_options_set_service_provider(options, "demo");
  ssokit_options_set_software_statement(options, statement);
  ssokit_options_set_default_timeout_ms(options, 20000);
  return options;
}

static int check_errors_before_any_call(const char* server, const char* statement) {
  CHECK(strcmp(ssokit_status_name(SSOKIT_DEVICE_UNLINKED), "device_unlinked") == 0, "status names");
  CHECK(strcmp(ssokit_status_name(999), "unknown") == 0, "an unknown status has a name too");
  CHECK(strlen(ssokit_version()) > 0, "a version");

  ssokit_options* options = base_options(server, statement);
  ssokit_client* client = NULL;
  ssokit_error* error = NULL;
  CHECK(ssokit_client_create(options, &client, &error) == SSOKIT_INVALID_ARGUMENT, "no platform: refused");
  CHECK(client == NULL, "no client on failure");
  CHECK(error != NULL && strstr(ssokit_error_message(error), "platform") != NULL, "the message names the platform");
  CHECK(ssokit_error_http_status(error) == 0 && strcmp(ssokit_error_server_code(error), "") == 0,
        "no server error object before any call");
  ssokit_error_free(error);
  CHECK(ssokit_options_set_device_id(options, "", "salt") == SSOKIT_INVALID_ARGUMENT, "an empty raw id is refused");
  CHECK(ssokit_options_set_server(NULL, server) == SSOKIT_INVALID_ARGUMENT, "NULL options are refused");
  CHECK(ssokit_client_create(options, NULL, NULL) == SSOKIT_INVALID_ARGUMENT, "NULL out-parameter, NULL error");
  ssokit_options_free(options);
  printf("ok: errors before any call\n");
  return 0;
}

static int walk(const char* server, const char* statement, const char* tv_state) {
  if (check_errors_before_any_call(server, statement) != 0) return 1;

  /* The phone: platform services from C callbacks. */
  struct memory_store phone_store = {0};
  pthread_mutex_init(&phone_store.mutex, NULL);
  ssokit_options* phone_options = base_options(server, statement);
  CHECK(ssokit_options_set_device_id(phone_options, "c-phone-serial", "c-walk") == SSOKIT_OK, "phone device id");
  CHECK(ssokit_options_set_device_info_json(
            phone_options, "{\"primaryHardwareType\":\"MobilePhone\",\"model\":\"C Phone\",\"osName\":\"Android\"}") ==
            SSOKIT_OK,
        "phone device info");
  CHECK(ssokit_options_set_store(phone_options, store_get, store_put, store_remove, &phone_store) == SSOKIT_OK,
        "phone store");
  ssokit_client* phone = NULL;
  ssokit_error* error = NULL;
  CHECK(ssokit_client_create(phone_options, &phone, &error) == SSOKIT_OK, "phone client");
  ssokit_options_free(phone_options); /* the client keeps what it needs */

  /* The TV: the Linux services, a simulated Tizen TV. */
  ssokit_options* tv_options = base_options(server, statement);
  CHECK(ssokit_options_use_linux_services(tv_options, tv_state, "tizen", &error) == SSOKIT_OK, "tv services");
  ssokit_client* tv = NULL;
  CHECK(ssokit_client_create(tv_options, &tv, &error) == SSOKIT_OK, "tv client");
  ssokit_options_free(tv_options);
  printf("ok: two clients\n");

  /* The phone signs in; the token lands in the app's store through the callbacks. */
  CHECK(ssokit_client_signed_in(phone) == 0, "not signed in yet");
  ssokit_token* token = NULL;
  CHECK(ssokit_client_sign_in(phone, "c-alice", NULL, &token, &error) == SSOKIT_OK, "phone sign-in");
  CHECK(strlen(ssokit_token_value(token)) > 20, "a token");
  CHECK(ssokit_token_not_after_ms(token) > ssokit_token_not_before_ms(token), "a validity window");
  ssokit_token_free(token);
  CHECK(ssokit_client_signed_in(phone) == 1, "signed in");
  CHECK(phone_store.puts > 0, "the SDK wrote to the app's store");
  printf("ok: the phone signed in (%d store writes)\n", phone_store.puts);

  /* A wrong code: the server's error object reaches C. */
  CHECK(ssokit_client_redeem_link_code(tv, "12345", NULL, &token, &error) == SSOKIT_LINK_CODE_INVALID,
        "a malformed code is link_code_invalid");
  CHECK(error != NULL && ssokit_error_status(error) == SSOKIT_LINK_CODE_INVALID, "the error carries the status");
  CHECK(strcmp(ssokit_error_server_code(error), "link_code_invalid") == 0, "the server's code");
  CHECK(ssokit_error_http_status(error) >= 400 && ssokit_error_http_status(error) < 500, "a 4xx");
  CHECK(strlen(ssokit_error_server_trace(error)) > 0, "the server's trace id");
  printf("ok: a wrong code: %s (HTTP %d, action \"%s\")\n", ssokit_error_server_code(error),
         ssokit_error_http_status(error), ssokit_error_server_action(error));
  ssokit_error_free(error);
  error = NULL;

  /* Pairing: the phone shows a code, the TV types it. */
  ssokit_link_code* code = NULL;
  CHECK(ssokit_client_create_link_code(phone, NULL, &code, &error) == SSOKIT_OK, "a link code");
  CHECK(strlen(ssokit_link_code_value(code)) == 6, "six digits");
  CHECK(ssokit_client_redeem_link_code(tv, ssokit_link_code_value(code), NULL, &token, &error) == SSOKIT_OK,
        "the TV joins");
  ssokit_token_free(token);
  ssokit_link_code_free(code);
  CHECK(ssokit_client_signed_in(tv) == 1, "the TV is signed in");
  printf("ok: the TV joined with the phone's code\n");

  /* The phone lists both devices. */
  ssokit_device_list* devices = NULL;
  CHECK(ssokit_client_list_devices(phone, NULL, &devices, &error) == SSOKIT_OK, "list");
  CHECK(ssokit_device_list_size(devices) == 2, "two devices");
  const ssokit_device* tv_device = NULL;
  for (size_t i = 0; i < ssokit_device_list_size(devices); i++) {
    const ssokit_device* device = ssokit_device_list_at(devices, i);
    if (ssokit_device_is_current(device)) {
      CHECK(strcmp(ssokit_device_type(device), "MobilePhone") == 0, "the phone is a phone");
      CHECK(strcmp(ssokit_device_model(device), "C Phone") == 0, "the phone's model");
      CHECK(ssokit_device_link_type(device) == SSOKIT_LINK_REGULAR, "the phone signed in on its own");
    } else {
      tv_device = device;
    }
  }
  CHECK(tv_device != NULL, "the TV is listed");
  CHECK(strcmp(ssokit_device_type(tv_device), "TV") == 0, "the TV is a TV");
  CHECK(ssokit_device_link_type(tv_device) == SSOKIT_LINK_SSO, "the TV joined by code");
  CHECK(ssokit_device_last_seen_ms(tv_device) > 0, "last seen");
  CHECK(ssokit_device_list_at(devices, 2) == NULL, "nothing past the end");
  char* tv_id = NULL;
  CHECK(ssokit_client_device_id(tv, &tv_id, &error) == SSOKIT_OK, "the TV's id");
  CHECK(strcmp(tv_id, ssokit_device_id(tv_device)) == 0, "the TV's own id is the listed one");
  ssokit_device_list_free(devices);
  printf("ok: the phone lists itself and the TV\n");

  /* The same list, asynchronously. */
  struct completion listed = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, -1, 0, 0};
  CHECK(ssokit_client_list_devices_async(phone, NULL, list_done, &listed) == SSOKIT_OK, "queued");
  wait_for(&listed);
  CHECK(listed.status == SSOKIT_OK && listed.devices == 2 && listed.saw_current, "the async list");
  CHECK(ssokit_client_list_devices_async(phone, NULL, NULL, NULL) == SSOKIT_INVALID_ARGUMENT, "no callback");
  printf("ok: the async list\n");

  /* A cancelled call answers at once. */
  ssokit_call* cancelled = ssokit_call_new();
  ssokit_call_cancel(cancelled);
  CHECK(ssokit_client_list_devices(phone, cancelled, &devices, &error) == SSOKIT_CANCELLED, "cancelled");
  CHECK(ssokit_error_status(error) == SSOKIT_CANCELLED, "the error says so");
  ssokit_error_free(error);
  error = NULL;
  ssokit_call_free(cancelled);
  printf("ok: a cancelled call\n");

  /* The phone unlinks the TV; the TV's cache does not know; asking the server does. */
  const char* ids[] = {tv_id};
  ssokit_string_list* unlinked = NULL;
  CHECK(ssokit_client_unlink_devices(phone, ids, 1, NULL, &unlinked, &error) == SSOKIT_OK, "unlink");
  CHECK(ssokit_string_list_size(unlinked) == 1 && strcmp(ssokit_string_list_at(unlinked, 0), tv_id) == 0,
        "the TV was unlinked");
  ssokit_string_list_free(unlinked);
  ssokit_string_free(tv_id);
  CHECK(ssokit_client_service_token(tv, NULL, &token, &error) == SSOKIT_OK, "the cache still answers");
  ssokit_token_free(token);
  ssokit_call* check = ssokit_call_new();
  ssokit_call_set_from_server(check, 1);
  ssokit_call_set_timeout_ms(check, 10000);
  CHECK(ssokit_client_service_token(tv, check, &token, &error) == SSOKIT_DEVICE_UNLINKED, "the server says unlinked");
  CHECK(strcmp(ssokit_error_server_code(error), "device_unlinked") == 0, "the server's code");
  ssokit_error_free(error);
  error = NULL;
  ssokit_call_free(check);
  CHECK(ssokit_client_signed_in(tv) == 0, "the TV's token was cleared");
  printf("ok: the phone unlinked the TV and the TV found out\n");

  /* A new device whose store cannot write: its registration cannot be kept, so signing in
   * fails with the store's status; the log callback hears about the calls. */
  struct memory_store broken_store = {0};
  pthread_mutex_init(&broken_store.mutex, NULL);
  broken_store.fail_writes = 1;
  struct log_count heard = {PTHREAD_MUTEX_INITIALIZER, 0};
  ssokit_options* broken_options = base_options(server, statement);
  ssokit_options_set_device_id(broken_options, "c-broken-serial", "c-walk");
  ssokit_options_set_device_info_json(broken_options, "{\"primaryHardwareType\":\"TV\"}");
  ssokit_options_set_store(broken_options, store_get, store_put, store_remove, &broken_store);
  CHECK(ssokit_options_set_log(broken_options, count_line, &heard) == SSOKIT_OK, "a log callback");
  ssokit_client* broken = NULL;
  CHECK(ssokit_client_create(broken_options, &broken, &error) == SSOKIT_OK, "a client on a broken store");
  ssokit_options_free(broken_options);
  CHECK(ssokit_client_sign_in(broken, "c-bob", NULL, &token, &error) == SSOKIT_STORAGE_ERROR,
        "the store's failure is the answer");
  CHECK(strstr(ssokit_error_message(error), "secure store") != NULL, "the message says where");
  ssokit_error_free(error);
  ssokit_client_free(broken);
  store_clear(&broken_store);
  CHECK(heard.lines > 0, "the log callback was called");
  printf("ok: a failing store is SSOKIT_STORAGE_ERROR (%d log lines)\n", heard.lines);

  ssokit_client_free(tv);
  ssokit_client_free(phone);
  store_clear(&phone_store);
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: c_api_walk SERVER_URL SOFTWARE_STATEMENT TV_STATE_DIR\n");
    return 2;
  }
  if (walk(argv[1], argv[2], argv[3]) != 0 || failures != 0) return 1;
  printf("ok: the walk is complete\n");
  return 0;
}
