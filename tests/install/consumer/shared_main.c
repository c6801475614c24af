/* A C program on the installed libssokit.so: creating a client checks its options, no network. */
#include <stdio.h>
#include <string.h>

#include "ssokit/c/ssokit.h"

int main(void) {
  ssokit_options* options = ssokit_options_new();
  ssokit_client* client = NULL;
  ssokit_error* error = NULL;
  const int status = ssokit_client_create(options, &client, &error);
  const int refused = status == SSOKIT_INVALID_ARGUMENT && client == NULL && strlen(ssokit_error_message(error)) > 0;
  printf("consumer_shared: libssokit %s refuses empty options: %s\n", ssokit_version(), ssokit_error_message(error));
  ssokit_error_free(error);
  ssokit_options_free(options);
  return refused ? 0 : 1;
}
