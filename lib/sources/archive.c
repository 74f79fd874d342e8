/* Archives as streams, through libarchive. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "scan/ctx.h"
#include "sources/archive.h"

#define ARCH_BUF 65536

typedef struct arch {
    const exs_input *in;
    unsigned char *prefix;
    size_t plen;
    long long pos;      /* logical position in the outer stream */
    unsigned char *buf;
    exs_archive_budget *b;
    bool outermost;     /* this walk's reads are the budget's packed bytes */
    struct archive *a;
} arch;

static la_ssize_t arch_read(struct archive *a, void *ctx, const void **out)
{
    (void)a;
    arch *x = ctx;
    if (x->pos < (long long)x->plen) {
        *out = x->prefix + x->pos;
        size_t n = x->plen - (size_t)x->pos;
        x->pos += (long long)n;
        return (la_ssize_t)n;
    }
    long r = x->in->read(x->in->ctx, x->buf, ARCH_BUF);
    if (r < 0)
        return -1;
    x->pos += r;
    if (x->outermost)
        x->b->packed += (uint64_t)r;
    *out = x->buf;
    return r;
}

static la_int64_t arch_seek(struct archive *a, void *ctx, la_int64_t off, int whence)
{
    (void)a;
    arch *x = ctx;
    long long target;
    if (whence == SEEK_SET)
        target = off;
    else if (whence == SEEK_CUR)
        target = x->pos + off;
    else {
        long long end = x->in->seek(x->in->ctx, 0, SEEK_END);
        if (end < 0)
            return ARCHIVE_FATAL;
        target = end + off;
    }
    if (target < 0)
        return ARCHIVE_FATAL;
    /* Reads below plen come from the prefix; the stream itself is positioned past it. */
    long long real = target < (long long)x->plen ? (long long)x->plen : target;
    if (x->in->seek(x->in->ctx, real, SEEK_SET) < 0)
        return ARCHIVE_FATAL;
    x->pos = target;
    return target;
}

static la_int64_t arch_skip(struct archive *a, void *ctx, la_int64_t request)
{
    arch *x = ctx;
    if (!x->in->seek)
        return 0; /* let libarchive read and discard */
    la_int64_t r = arch_seek(a, ctx, request, SEEK_CUR);
    return r < 0 ? 0 : request;
}

typedef struct member {
    arch *x;
    struct exs_scan *s;
    const char *display;
    int warned;
} member;

static long member_read(void *ctx, void *buf, size_t n)
{
    member *m = ctx;
    arch *x = m->x;
    exs_archive_budget *b = x->b;
    if (b->over)
        return 0;
    la_ssize_t r = archive_read_data(x->a, buf, n);
    if (r < 0) {
        if (!m->warned)
            exs_warn(m->s, EXS_W_ARCHIVE, m->display, 0, "member data: %s",
                     archive_error_string(x->a) ? archive_error_string(x->a) : "read error");
        m->warned = 1;
        return -1;
    }
    b->unpacked += (uint64_t)r;
    if (b->unpacked > b->floor && b->unpacked / (b->packed + 1) > b->ratio) {
        b->over = 1;
        exs_warn(m->s, EXS_W_LIMIT, m->display, 0,
                 "archive expands more than %llux (nested archives counted together): rest "
                 "not read (zip bomb?)",
                 (unsigned long long)b->ratio);
        return 0;
    }
    return (long)r;
}

void exs_archive_walk(struct exs_scan *s, const char *display, const exs_input *in,
                      const void *prefix, size_t plen, exs_archive_budget *budget,
                      exs_member_fn fn, void *ctx)
{
    arch x = {0};
    x.in = in;
    x.b = budget;
    x.outermost = budget->level++ == 0;
    if (x.outermost)
        budget->packed += plen;
    x.prefix = malloc(plen ? plen : 1);
    x.buf = malloc(ARCH_BUF);
    x.a = archive_read_new();
    if (!x.prefix || !x.buf || !x.a) {
        exs_warn(s, EXS_W_LIMIT, display, 0, "out of memory opening the archive");
        goto out;
    }
    memcpy(x.prefix, prefix, plen);
    x.plen = plen;
    archive_read_support_filter_all(x.a);
    archive_read_support_format_all(x.a);
    archive_read_support_format_raw(x.a);
    archive_read_set_read_callback(x.a, arch_read);
    archive_read_set_callback_data(x.a, &x);
    if (in->seek) {
        archive_read_set_seek_callback(x.a, arch_seek);
        archive_read_set_skip_callback(x.a, arch_skip);
    }
    if (archive_read_open1(x.a) != ARCHIVE_OK) {
        exs_warn(s, EXS_W_ARCHIVE, display, 0, "cannot open archive: %s",
                 archive_error_string(x.a) ? archive_error_string(x.a) : "unknown format");
        goto out;
    }
    uint64_t members = 0, max_members = budget->members ? budget->members : EXS_MAX_ARCHIVE_MEMBERS;
    for (;;) {
        struct archive_entry *e;
        int r = archive_read_next_header(x.a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r == ARCHIVE_RETRY)
            continue;
        if (r == ARCHIVE_WARN)
            exs_warn(s, EXS_W_ARCHIVE, display, 0, "%s",
                     archive_error_string(x.a) ? archive_error_string(x.a) : "warning");
        else if (r != ARCHIVE_OK) {
            exs_warn(s, EXS_W_ARCHIVE, display, 0, "damaged archive, rest not read: %s",
                     archive_error_string(x.a) ? archive_error_string(x.a) : "fatal error");
            break;
        }
        if (++members > max_members) {
            exs_warn(s, EXS_W_LIMIT, display, 0, "more than %llu members; rest not read",
                     (unsigned long long)max_members);
            break;
        }
        if (archive_entry_filetype(e) != AE_IFREG)
            continue;
        const char *name = archive_entry_pathname(e);
        if (!name)
            name = archive_entry_pathname_utf8(e);
        if (!name)
            name = "(unnamed)";
        if (archive_entry_is_encrypted(e)) {
            exs_warn(s, EXS_W_ARCHIVE, display, 0, "encrypted member not read: %.200s", name);
            continue;
        }
        int raw = archive_format(x.a) == ARCHIVE_FORMAT_RAW;
        member m = {&x, s, display, 0};
        exs_input min = {member_read, NULL, &m};
        fn(ctx, name, raw, &min);
        if (budget->over)
            break;
    }
out:
    if (x.a)
        archive_read_free(x.a);
    free(x.prefix);
    free(x.buf);
    budget->level--;
}
