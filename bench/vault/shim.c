/* Diagnostics for bench/vault/run.sh only, never part of the tool: an LD_PRELOAD library that
 * takes one cost out of a quarantine run, to show how much of its time that cost is.
 *
 *   SHIM_NOFSYNC=1      fsync and fdatasync return 0 at once (nothing is made durable)
 *   SHIM_ZIPCRYPTO=1    libarchive's "zip:encryption=aes256" option is refused, so the vault
 *                       falls back to ZipCrypto (no PBKDF2 key derivation per zip written and
 *                       read back; the encryption zip -P uses)
 *   SHIM_COUNT=1        counts the calls of nettle_pbkdf2_hmac_sha1 (libarchive's WinZip AES
 *                       key derivation, 1000 rounds of HMAC-SHA1) and prints them at exit
 *
 * Built by run.sh: cc -shared -fPIC -o shim.so shim.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct archive;
int fsync(int fd);
int fdatasync(int fd);
int archive_write_set_options(struct archive *a, const char *opts);
void nettle_pbkdf2_hmac_sha1(size_t key_length, const uint8_t *key, unsigned iterations,
                             size_t salt_length, const uint8_t *salt, size_t length, uint8_t *dst);

static int on(const char *name)
{
    const char *e = getenv(name);
    return e && *e == '1';
}

int fsync(int fd)
{
    if (on("SHIM_NOFSYNC"))
        return 0;
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    return real(fd);
}

int fdatasync(int fd)
{
    if (on("SHIM_NOFSYNC"))
        return 0;
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    return real(fd);
}

int archive_write_set_options(struct archive *a, const char *opts)
{
    if (on("SHIM_ZIPCRYPTO") && strcmp(opts, "zip:encryption=aes256") == 0)
        return -25; /* ARCHIVE_FAILED */
    int (*real)(struct archive *, const char *) =
        (int (*)(struct archive *, const char *))dlsym(RTLD_NEXT, "archive_write_set_options");
    return real(a, opts);
}

static long pbkdf2_calls;

void nettle_pbkdf2_hmac_sha1(size_t key_length, const uint8_t *key, unsigned iterations,
                             size_t salt_length, const uint8_t *salt, size_t length, uint8_t *dst)
{
    void (*real)(size_t, const uint8_t *, unsigned, size_t, const uint8_t *, size_t, uint8_t *) =
        (void (*)(size_t, const uint8_t *, unsigned, size_t, const uint8_t *, size_t,
                  uint8_t *))dlsym(RTLD_NEXT, "nettle_pbkdf2_hmac_sha1");
    pbkdf2_calls++;
    real(key_length, key, iterations, salt_length, salt, length, dst);
}

__attribute__((destructor)) static void report(void)
{
    if (on("SHIM_COUNT"))
        fprintf(stderr, "shim: pbkdf2 calls: %ld\n", pbkdf2_calls);
}
