/* One item's zip: a single member encrypted with the password "infected", written with
 * libarchive's zip writer and read back through its reader to check the stored bytes. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/limits.h"
#include "vault/internal.h"

typedef struct sink {
    int fd;
    int failed;
} sink;

static la_ssize_t sink_write(struct archive *a, void *ctx, const void *p, size_t n)
{
    sink *s = ctx;
    if (xs_vault_write_all(s->fd, p, n) != 0) {
        s->failed = errno ? errno : EIO;
        archive_set_error(a, s->failed, "%s", xs_vault_strerror(s->failed));
        return -1;
    }
    return (la_ssize_t)n;
}

bool xs_vault_zipcrypto_only;

int xs_vault_zip_write(int dfd, const char *tmpname, const char *member, int src,
                       const char **encryption, char *err, size_t errlen)
{
    struct archive *a = NULL;
    struct archive_entry *e = NULL;
    int rc = -1;
    sink s = {-1, 0};
    unsigned char buf[65536];
    struct stat st;
    if (fstat(src, &st) != 0 || lseek(src, 0, SEEK_SET) < 0) {
        snprintf(err, errlen, "cannot read the file: %s", xs_vault_strerror(errno));
        return -1;
    }
    s.fd = openat(dfd, tmpname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (s.fd < 0) {
        snprintf(err, errlen, "cannot create %s in the vault: %s", tmpname, xs_vault_strerror(errno));
        return -1;
    }
    if (!(a = archive_write_new()) || !(e = archive_entry_new())) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    archive_write_set_format_zip(a);
    *encryption = "aes256";
    if (xs_vault_zipcrypto_only ||
        archive_write_set_options(a, "zip:encryption=aes256") != ARCHIVE_OK) {
        *encryption = "traditional";
        if (archive_write_set_options(a, "zip:encryption=traditional") != ARCHIVE_OK) {
            snprintf(err, errlen, "libarchive can encrypt no zip: %s", archive_error_string(a));
            goto out;
        }
    }
    if (archive_write_set_passphrase(a, XS_VAULT_PASSWORD) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
        archive_write_open(a, &s, NULL, sink_write, NULL) != ARCHIVE_OK)
        goto arch;
    archive_entry_set_pathname(e, member);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0600);
    archive_entry_set_size(e, st.st_size);
    archive_entry_set_mtime(e, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    if (archive_write_header(a, e) != ARCHIVE_OK)
        goto arch;
    for (;;) {
        ssize_t r = read(src, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errlen, "cannot read the file: %s", xs_vault_strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        if (archive_write_data(a, buf, (size_t)r) != r)
            goto arch;
    }
    if (archive_write_finish_entry(a) != ARCHIVE_OK || archive_write_close(a) != ARCHIVE_OK)
        goto arch;
    if (xs_vault_fsync(s.fd) != 0) {
        snprintf(err, errlen, "cannot sync %s: %s", tmpname, xs_vault_strerror(errno));
        goto out;
    }
    rc = 0;
    goto out;
arch:
    snprintf(err, errlen, "cannot write %s: %s", tmpname,
             s.failed ? xs_vault_strerror(s.failed) : archive_error_string(a));
out:
    archive_entry_free(e);
    if (a)
        archive_write_free(a);
    if (close(s.fd) != 0 && rc == 0) {
        snprintf(err, errlen, "cannot close %s: %s", tmpname, xs_vault_strerror(errno));
        rc = -1;
    }
    return rc;
}

int xs_vault_zip_read(int dfd, const char *name, char hex[65], uint64_t *size, int out,
                      char *err, size_t errlen)
{
    unsigned char buf[65536], md[32];
    unsigned mdlen = 0;
    int rc = -1, members = 0;
    uint64_t total = 0;
    struct archive *a = NULL;
    struct archive_entry *e;
    EVP_MD_CTX *ctx = NULL;
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", name, xs_vault_strerror(errno));
        return -1;
    }
    if (!(a = archive_read_new()) || !(ctx = EVP_MD_CTX_new()) ||
        !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    archive_read_support_format_zip(a);
    if (archive_read_add_passphrase(a, XS_VAULT_PASSWORD) != ARCHIVE_OK ||
        archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK)
        goto arch;
    int r;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        if (++members > 1) {
            snprintf(err, errlen, "%s holds more than one member", name);
            goto done;
        }
        for (;;) {
            la_ssize_t got = archive_read_data(a, buf, sizeof buf);
            if (got < 0)
                goto arch;
            if (got == 0)
                break;
            total += (uint64_t)got;
            if (total > XS_VAULT_MAX_ITEM) {
                snprintf(err, errlen, "%s: the member is larger than an item may be", name);
                goto done;
            }
            if (!EVP_DigestUpdate(ctx, buf, (size_t)got)) {
                snprintf(err, errlen, "out of memory");
                goto done;
            }
            if (out >= 0 && xs_vault_write_all(out, buf, (size_t)got) != 0) {
                snprintf(err, errlen, "cannot write the restored file: %s", xs_vault_strerror(errno));
                goto done;
            }
        }
    }
    if (r != ARCHIVE_EOF)
        goto arch;
    if (members != 1) {
        snprintf(err, errlen, "%s holds no member", name);
        goto done;
    }
    if (!EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    xs_vault_hex(md, hex);
    *size = total;
    rc = 0;
    goto done;
arch:
    snprintf(err, errlen, "cannot read %s back: %s", name,
             archive_error_string(a) ? archive_error_string(a) : "corrupt zip");
done:
    EVP_MD_CTX_free(ctx);
    if (a)
        archive_read_free(a);
    close(fd);
    return rc;
}
