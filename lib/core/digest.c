/* File digests through OpenSSL's EVP interface; each digest is fetched once per process. */
#include <openssl/evp.h>
#include <pthread.h>

#include "core/digest.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static EVP_MD *md_sha256, *md_sha1, *md_md5;

static void fetch(void)
{
    md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    md_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
    md_md5 = EVP_MD_fetch(NULL, "MD5", NULL);
}

static bool hex_digest(const EVP_MD *md, unsigned want, const void *p, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dl = 0;
    hex[0] = 0;
    if (!md || !EVP_Digest(p, n, d, &dl, md, NULL) || dl != want)
        return false;
    for (unsigned i = 0; i < want; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * want] = 0;
    return true;
}

bool exs_sha256_hex(const void *p, size_t n, char hex[65])
{
    pthread_once(&once, fetch);
    return hex_digest(md_sha256, 32, p, n, hex);
}

bool exs_sha1_hex(const void *p, size_t n, char hex[41])
{
    pthread_once(&once, fetch);
    return hex_digest(md_sha1, 20, p, n, hex);
}

bool exs_md5_hex(const void *p, size_t n, char hex[33])
{
    pthread_once(&once, fetch);
    return hex_digest(md_md5, 16, p, n, hex);
}
