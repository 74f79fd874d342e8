/* Digests of file contents as lowercase hex (OpenSSL EVP). SHA-256 for every file checked;
 * SHA-1 and MD5 only when an IOC list names such hashes (Loki's hash lists and ESET's
 * indicators carry them). Each returns false (hex "") when the digest could not be computed
 * (OpenSSL out of memory or failing): the caller must not take the content as hashed. */
#ifndef XS_CORE_DIGEST_H
#define XS_CORE_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

/* Starts OpenSSL now as the first digest would (its configuration loaded), which registers
 * its exit handler (OPENSSL_cleanup): false when it could not start (out of memory). The
 * digests start it on first use anyway; exs_scan_run starts it before it registers its own
 * exit guard, so that OpenSSL's handler runs after the guard. */
bool xs_digest_init(void);

bool xs_sha256_hex(const void *p, size_t n, char hex[65]);
bool xs_sha1_hex(const void *p, size_t n, char hex[41]);
bool xs_md5_hex(const void *p, size_t n, char hex[33]);

#endif
