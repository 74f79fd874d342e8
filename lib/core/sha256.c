/* SHA-256 through OpenSSL's EVP interface; the digest is fetched once per process. */
#include <openssl/evp.h>
#include <pthread.h>

#include "core/sha256.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static EVP_MD *md;

static void fetch(void)
{
    md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

bool exs_sha256_hex(const void *p, size_t n, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dl = 0;
    pthread_once(&once, fetch);
    hex[0] = 0;
    if (!md || !EVP_Digest(p, n, d, &dl, md, NULL) || dl != 32)
        return false;
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = 0;
    return true;
}

