/*
 * A minimal wolfSSL TLS server for the probe's tests: listens on 127.0.0.1 (port from argv, 0 for any),
 * prints "PORT n" once listening, and completes (or fails) one handshake per connection, then closes.
 * Usage: wolfssl-server PORT CERT KEY [-c CIPHER_LIST] [-v MIN_VERSION (0 SSLv3 .. 4 TLS 1.3)]
 */
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  signal(SIGPIPE, SIG_IGN);
  const char *ciphers = NULL;
  int minVersion = -1;
  const char *cert = argv[2], *key = argv[3];
  for (int i = 4; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "-c") == 0) ciphers = argv[i + 1];
    else if (strcmp(argv[i], "-v") == 0) minVersion = atoi(argv[i + 1]);
  }
  wolfSSL_Init();
  WOLFSSL_CTX *ctx = wolfSSL_CTX_new(wolfSSLv23_server_method());
  if (!ctx) return 3;
  if (minVersion >= 0 && wolfSSL_CTX_SetMinVersion(ctx, minVersion) != WOLFSSL_SUCCESS) { fprintf(stderr, "bad min version\n"); return 3; }
  if (wolfSSL_CTX_use_certificate_file(ctx, cert, WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS ||
      wolfSSL_CTX_use_PrivateKey_file(ctx, key, WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
    fprintf(stderr, "cannot load %s / %s\n", cert, key);
    return 3;
  }
  if (ciphers && wolfSSL_CTX_set_cipher_list(ctx, ciphers) != WOLFSSL_SUCCESS) { fprintf(stderr, "bad cipher list\n"); return 3; }
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)atoi(argv[1]));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 64) != 0) { perror("bind"); return 4; }
  socklen_t len = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &len);
  printf("PORT %d\n", ntohs(a.sin_port));
  fflush(stdout);
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    struct timeval tv = {10, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    WOLFSSL *ssl = wolfSSL_new(ctx);
    wolfSSL_set_fd(ssl, c);
    if (wolfSSL_accept(ssl) == WOLFSSL_SUCCESS) wolfSSL_shutdown(ssl);
    wolfSSL_free(ssl);
    close(c);
  }
}
