/* The manifest: JSON lines, each one's "prev" the SHA-256 of the line before it (of the
 * genesis, 64 zeros, for the first), so that an edited, removed or inserted line breaks the
 * chain. Appended a line or a batch's lines at a time, each append synced. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/digest.h"
#include "core/escape.h"
#include "core/limits.h"
#include "vault/internal.h"

void xs_vault_jstr(FILE *f, const char *key, const char *p, bool comma)
{
    fprintf(f, "%s\"%s\":\"", comma ? "," : "", key);
    xs_esc_json(f, p ? p : "", p ? strlen(p) : 0);
    fputc('"', f);
}

/* Appends whole lines (line[0..n), each ending in a newline) to dfd/name (O_APPEND) and
 * syncs them: one sync for all. A torn write (a failure) is cut off again, so that the file
 * holds whole lines only, and none of these when it fails. */
static int append_line(exs_vault *v, const char *name, const char *line, size_t n)
{
    for (size_t off = 0; off < n;) {
        const char *nl = memchr(line + off, '\n', n - off);
        size_t l = (nl ? (size_t)(nl - line) + 1 : n) - off;
        if (l > XS_VAULT_MAX_LINE) { /* the reader would refuse it, and the vault with it */
            snprintf(v->err, sizeof v->err, "an entry of the %s would be %zu bytes, over "
                     "XS_VAULT_MAX_LINE (%d): not written", name, l, XS_VAULT_MAX_LINE);
            errno = EFBIG;
            return -1;
        }
        off += l;
    }
    bool created = false;
    int fd = openat(v->dfd, name, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        fd = openat(v->dfd, name, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    0600);
        created = fd >= 0;
    }
    if (fd < 0) {
        snprintf(v->err, sizeof v->err, "cannot open the %s: %s", name, xs_vault_strerror(errno));
        return -1;
    }
    off_t end = lseek(fd, 0, SEEK_END);
    if (xs_vault_write_all(fd, line, n) != 0 || xs_vault_fsync(fd) != 0) {
        int e = errno;
        if (end >= 0 && ftruncate(fd, end) == 0)
            (void)fsync(fd);
        close(fd);
        snprintf(v->err, sizeof v->err, "cannot write the %s in the vault: %s", name,
                 xs_vault_strerror(e));
        errno = e;
        return -1;
    }
    if (close(fd) != 0) {
        snprintf(v->err, sizeof v->err, "cannot write the %s: %s", name, xs_vault_strerror(errno));
        return -1;
    }
    /* a new file's name must be as durable as its line */
    if (created && xs_vault_fsync(v->dfd) != 0) {
        snprintf(v->err, sizeof v->err, "cannot sync the vault folder after creating the %s: %s",
                 name, xs_vault_strerror(errno));
        return -1;
    }
    return 0;
}

long long xs_vault_manifest_cap = XS_VAULT_MAX_LOG;
long long xs_vault_manifest_max_lines = XS_VAULT_MAX_ENTRIES;

bool xs_vault_manifest_room(const exs_vault *v, size_t k, size_t n, bool reserve)
{
    long long bytes = xs_vault_manifest_cap, lines = xs_vault_manifest_max_lines;
    if (reserve) {
        bytes -= (bytes + XS_VAULT_FULL_RESERVE - 1) / XS_VAULT_FULL_RESERVE;
        lines -= (lines + XS_VAULT_FULL_RESERVE - 1) / XS_VAULT_FULL_RESERVE;
    }
    return (long long)(v->manifest_lines + k) <= lines &&
           (long long)(v->manifest_bytes + k * (n + 96)) <= bytes;
}

int xs_vault_manifest_append(exs_vault *v, const char *body, size_t n)
{
    return xs_vault_manifest_append_many(v, &body, &n, 1);
}

int xs_vault_manifest_append_many(exs_vault *v, const char *const *body, const size_t *n,
                                  size_t k)
{
    if (v->head_unknown) { /* never chain to a head that may be wrong */
        snprintf(v->err, sizeof v->err, "the manifest could not be read back after a failed "
                 "write: nothing more is recorded in this run (the next opening carries on)");
        return -1;
    }
    size_t len = 1;
    for (size_t i = 0; i < k; i++)
        len += n[i] + 64 + 16;
    char *lines = malloc(len), prev[65];
    if (!lines) {
        snprintf(v->err, sizeof v->err, "out of memory");
        return -1;
    }
    /* each line chained to the one before it, the first to the head */
    memcpy(prev, v->prev, 65);
    size_t o = 0;
    for (size_t i = 0; i < k; i++) {
        int l = snprintf(lines + o, len - o, "{\"prev\":\"%s\",%.*s}", prev, (int)n[i], body[i]);
        if (l < 0 || (size_t)l >= len - o - 1 || !xs_sha256_hex(lines + o, (size_t)l, prev)) {
            free(lines);
            snprintf(v->err, sizeof v->err, "out of memory");
            return -1;
        }
        o += (size_t)l;
        lines[o++] = '\n';
    }
    int rc = append_line(v, XS_VAULT_MANIFEST, lines, o);
    free(lines);
    if (rc == 0) {
        memcpy(v->prev, prev, 65);
        v->manifest_lines += k;
        v->manifest_bytes += o;
    } else {
        /* the lines may be in the file or not (cut off again, or written before a later sync
         * failed): the head is what the file says, so that the next entry chains to it */
        char keep[sizeof v->err];
        memcpy(keep, v->err, sizeof keep);
        v->head_unknown = xs_vault_manifest_head(v) != 0;
        memcpy(v->err, keep, sizeof keep);
    }
    return rc;
}

exs_rc exs_vault_find_head(exs_vault *v, const char *head, uint64_t *line)
{
    *line = 0;
    if (strlen(head) != 64 || strspn(head, "0123456789abcdef") != 64) {
        snprintf(v->err, sizeof v->err, "a chain head is 64 lowercase hex digits");
        return EXS_EINVAL;
    }
    if (strcmp(head, XS_VAULT_GENESIS) == 0)
        return EXS_OK; /* the head of an empty manifest: line 0, a prefix of any */
    char *buf;
    size_t n;
    if (xs_vault_slurp(v->dfd, XS_VAULT_MANIFEST, &buf, &n) != 0) {
        int e = errno;
        snprintf(v->err, sizeof v->err, "cannot read the manifest: %s", xs_vault_strerror(e));
        return e == ENOMEM ? EXS_ENOMEM : EXS_EIO;
    }
    exs_rc rc = EXS_ENOENT;
    uint64_t no = 0;
    char hex[65];
    for (size_t off = 0; off < n;) {
        const char *nl = memchr(buf + off, '\n', n - off);
        if (!nl)
            break;
        no++;
        if (!xs_sha256_hex(buf + off, (size_t)(nl - buf - off), hex)) {
            rc = EXS_ENOMEM;
            break;
        }
        if (memcmp(hex, head, 64) == 0) {
            *line = no;
            rc = EXS_OK;
            break;
        }
        off = (size_t)(nl - buf) + 1;
    }
    free(buf);
    if (rc == EXS_ENOENT)
        snprintf(v->err, sizeof v->err, "the recorded chain head %s is the SHA-256 of no line "
                 "of the manifest: it was cut short below it, or rewritten", head);
    return rc;
}

int xs_vault_journal_append_lines(exs_vault *v, const char *lines, size_t n)
{
    int rc = append_line(v, XS_VAULT_JOURNAL, lines, n);
    if (rc == 0) { /* counted for xs_vault_journal_room (a failed append is cut off) */
        v->journal_bytes += n;
        for (const char *p = lines; (p = memchr(p, '\n', n - (size_t)(p - lines))); p++)
            v->journal_lines++;
    }
    return rc;
}

long long xs_vault_journal_max_lines = XS_VAULT_MAX_ENTRIES;

bool xs_vault_journal_room(const exs_vault *v, uint64_t lines, uint64_t bytes)
{
    uint64_t ml = (uint64_t)xs_vault_journal_max_lines, mb = XS_VAULT_MAX_LOG;
    ml -= (ml + XS_VAULT_FULL_RESERVE - 1) / XS_VAULT_FULL_RESERVE;
    mb -= (mb + XS_VAULT_FULL_RESERVE - 1) / XS_VAULT_FULL_RESERVE;
    return v->journal_lines + lines <= ml && v->journal_bytes + bytes <= mb;
}

int xs_vault_journal_append(exs_vault *v, const char *body, size_t n)
{
    char *line = malloc(n + 3);
    if (!line) {
        snprintf(v->err, sizeof v->err, "out of memory");
        return -1;
    }
    line[0] = '{';
    memcpy(line + 1, body, n);
    line[n + 1] = '}';
    line[n + 2] = '\n';
    int rc = xs_vault_journal_append_lines(v, line, n + 3);
    free(line);
    return rc;
}

static int head_line(void *ctx, xs_str line, const xs_str *k, const xs_str *val, size_t nf)
{
    (void)k, (void)val, (void)nf;
    exs_vault *v = ctx;
    v->manifest_lines++;
    return xs_sha256_hex(line.p, line.n, v->prev) ? 0 : -1;
}

int xs_vault_cut_torn(exs_vault *v, const char *name, const char *buf, size_t n)
{
    size_t keep = n;
    while (keep > 0 && buf[keep - 1] != '\n')
        keep--;
    int fd = openat(v->dfd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)keep) != 0 || xs_vault_fsync(fd) != 0) {
        snprintf(v->err, sizeof v->err, "cannot cut the torn last line of the %s: %s", name,
                 xs_vault_strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

int xs_vault_manifest_head(exs_vault *v)
{
    char *buf;
    size_t n;
    bool torn;
    memcpy(v->prev, XS_VAULT_GENESIS, 65);
    v->manifest_lines = 0;
    v->manifest_bytes = 0;
    if (xs_vault_slurp(v->dfd, XS_VAULT_MANIFEST, &buf, &n) != 0) {
        snprintf(v->err, sizeof v->err, "cannot read the manifest: %s", xs_vault_strerror(errno));
        return -1;
    }
    v->manifest_bytes = n;
    /* A line that does not parse still moves the chain on: verify names it. */
    size_t off = 0;
    while (off < n) {
        const char *nl = memchr(buf + off, '\n', n - off);
        if (!nl)
            break;
        head_line(v, xs_str_make(buf + off, (size_t)(nl - buf - off)), NULL, NULL, 0);
        off = (size_t)(nl - buf) + 1;
    }
    torn = off < n;
    int rc = torn ? xs_vault_cut_torn(v, XS_VAULT_MANIFEST, buf, n) : 0;
    free(buf);
    return rc;
}

const char *exs_vault_head(const exs_vault *v, uint64_t *lines)
{
    if (lines)
        *lines = v->manifest_lines;
    return v->prev;
}
