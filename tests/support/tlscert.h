/* Test support: a TLS server's key and self-signed certificate, made at run time (no key
 * lives in the tree), for 127.0.0.1, ::1 and localhost. The certificate is also written as
 * PEM, so that a client told to trust it (curl's CAINFO) can check the server by it.
 */
#ifndef XS_TEST_TLSCERT_H
#define XS_TEST_TLSCERT_H

#include <openssl/ssl.h>

/* A server context holding a new P-256 key and its certificate, the certificate written to
 * pem_path (when not NULL); NULL on error. The caller frees it with SSL_CTX_free. */
SSL_CTX *t_tls_server(const char *pem_path);

#endif
