/* File digests through OpenSSL's EVP interface; each digest is fetched once per process.
 *
 * OpenSSL initialises itself lazily, and every step can fail for lack of memory:
 * OPENSSL_init_crypto and EVP_MD_fetch return 0/NULL, EVP_Digest returns 0 (its context could
 * not be allocated, or the provider failed). Each is checked; a fetch that failed is not kept,
 * so the next file tries again, and a digest that failed is false for the caller, who must not
 * take the file as hashed. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>

#include "core/digest.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static EVP_MD *md_sha256, *md_sha1, *md_md5;

bool xs_digest_init(void)
{
    /* Not OPENSSL_init_crypto(0, NULL): OpenSSL 3.0 registers its exit handler with the first
     * options not done yet, and no options are always done. Loading the configuration is what
     * the first EVP_MD_fetch asks for. */
    return OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL) == 1;
}

static const EVP_MD *fetch(EVP_MD **slot, const char *name)
{
    pthread_mutex_lock(&mu);
    if (!*slot && OPENSSL_init_crypto(0, NULL) == 1)
        *slot = EVP_MD_fetch(NULL, name, NULL);
    const EVP_MD *md = *slot;
    pthread_mutex_unlock(&mu);
    return md;
}

static bool hex_digest(const EVP_MD *md, unsigned want, const void *p, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dl = 0;
    hex[0] = 0;
    if (!md || EVP_Digest(p, n, d, &dl, md, NULL) != 1 || dl != want)
        return false;
    for (unsigned i = 0; i < want; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * want] = 0;
    return true;
}

bool xs_sha256_hex(const void *p, size_t n, char hex[65])
{
    return hex_digest(fetch(&md_sha256, "SHA256"), 32, p, n, hex);
}

bool xs_sha1_hex(const void *p, size_t n, char hex[41])
{
    return hex_digest(fetch(&md_sha1, "SHA1"), 20, p, n, hex);
}

bool xs_md5_hex(const void *p, size_t n, char hex[33])
{
    return hex_digest(fetch(&md_md5, "MD5"), 16, p, n, hex);
}
