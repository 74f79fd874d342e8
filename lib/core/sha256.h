/* SHA-256 of evidence bytes (OpenSSL EVP: SHA-NI/AVX2 code paths where the CPU has them). */
#ifndef EXS_CORE_SHA256_H
#define EXS_CORE_SHA256_H

#include <stdbool.h>
#include <stddef.h>

/* Writes 64 lowercase hex digits and a NUL to hex. Returns false when the digest failed. */
bool exs_sha256_hex(const void *p, size_t n, char hex[65]);

#endif
