/* Archives as streams, through libarchive. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "scan/scan_int.h"
#include "sources/archive.h"

#define ARCH_BUF 65536

typedef struct arch {
    const xs_input *in;
    unsigned char *prefix;
    size_t plen;
    long long pos;      /* logical position in the outer stream */
    unsigned char *buf;
    xs_archive_budget *b;
    bool outermost;     /* this walk's reads are the budget's packed bytes */
    bool failed;        /* the stream under it failed (and said so): the walk stops */
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
    if (r < 0) {
        x->failed = true;
        archive_set_error(a, EIO, "the stream under the archive failed");
        return -1;
    }
    x->pos += r;
    if (x->outermost)
        x->b->packed += (uint64_t)r;
    *out = x->buf;
    return r;
}

static la_int64_t arch_seek(struct archive *a, void *ctx, la_int64_t off, int whence)
{
    arch *x = ctx;
    long long target;
    if (whence == SEEK_SET)
        target = off;
    else if (whence == SEEK_CUR)
        target = x->pos + off;
    else {
        long long end = x->in->seek(x->in->ctx, 0, SEEK_END);
        if (end < 0) {
            archive_set_error(a, EIO, "cannot seek in the stream under the archive");
            return ARCHIVE_FATAL;
        }
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

/* After a libarchive call failed: true (and the sweep fails) when the cause is a failure of
 * the machine, the stream under the archive or memory; false for damaged data, which the
 * caller counts as a warning. */
static bool arch_failed(arch *x, struct exs_scan *s, const char *display, const char *what)
{
    if (x->failed)
        return true; /* the stream reported it */
    /* libarchive says ENOMEM, or says nothing at all: damage always comes with its words
     * ("Unrecognized archive format", "Damaged tar archive"), while a bidder or a decoder that
     * could not allocate may just decline, leaving no error set (found by torture-libs) */
    const char *e = archive_error_string(x->a);
    /* nor does it always say ENOMEM when it ran out: zlib's Z_MEM_ERROR at set-up is "Can't
     * initialize ... decompression", other set-ups say "Can't allocate ..." or "... out of
     * memory". Only those words: a decoder's refusal that names memory is the data's ("Zstd
     * decompression failed: Frame requires too much memory for decoding": a window larger
     * than the decoder allows), damage to count, not a failure of the machine. */
    if (archive_errno(x->a) != ENOMEM && e && *e && strncmp(e, "Can't allocate", 14) != 0 &&
        strncmp(e, "Can't initialize", 16) != 0 && !strstr(e, "out of memory") &&
        !strstr(e, "Cannot allocate memory"))
        return false;
    xs_scan_fail(s, EXS_ENOMEM, "out of memory %s %s: %s", what, display,
                  e && *e ? e : "libarchive failed without a message");
    x->failed = true;
    return true;
}

static long member_read(void *ctx, void *buf, size_t n)
{
    member *m = ctx;
    arch *x = m->x;
    xs_archive_budget *b = x->b;
    if (b->over)
        return 0;
    if (x->failed)
        return -1;
    la_ssize_t r = archive_read_data(x->a, buf, n);
    if (r < 0) {
        if (!arch_failed(x, m->s, m->display, "reading a member of") && !m->warned)
            xs_warn(m->s, XS_W_ARCHIVE, m->display, 0, "member data: %s",
                     archive_error_string(x->a) ? archive_error_string(x->a) : "read error");
        m->warned = 1;
        return -1; /* said: a failure of the sweep, or damage counted */
    }
    b->unpacked += (uint64_t)r;
    if (b->unpacked > b->floor && b->unpacked / (b->packed + 1) > b->ratio) {
        b->over = 1;
        xs_warn(m->s, XS_W_LIMIT, m->display, 0,
                 "archive expands more than %llux (nested archives counted together): rest "
                 "not read (zip bomb?)",
                 (unsigned long long)b->ratio);
        return 0;
    }
    return (long)r;
}

void xs_archive_walk(struct exs_scan *s, const char *display, const xs_input *in,
                      const void *prefix, size_t plen, xs_archive_budget *budget,
                      xs_member_fn fn, void *ctx)
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
        xs_scan_fail(s, EXS_ENOMEM, "out of memory opening the archive %s", display);
        goto out;
    }
    memcpy(x.prefix, prefix, plen);
    x.plen = plen;
    /* Each format and filter on its own: archive_read_support_format_all and _filter_all
     * ignore a registration that failed for lack of memory (and clear its error), which would
     * leave an archive silently unread as "unknown format". The list is theirs (3.6). */
    static int (*const support[])(struct archive *) = {
        archive_read_support_format_ar,      archive_read_support_format_cpio,
        archive_read_support_format_empty,   archive_read_support_format_lha,
        archive_read_support_format_mtree,   archive_read_support_format_tar,
        archive_read_support_format_xar,     archive_read_support_format_warc,
        archive_read_support_format_7zip,    archive_read_support_format_cab,
        archive_read_support_format_rar,     archive_read_support_format_rar5,
        archive_read_support_format_iso9660, archive_read_support_format_zip,
        archive_read_support_format_raw,     archive_read_support_filter_bzip2,
        archive_read_support_filter_compress, archive_read_support_filter_gzip,
        archive_read_support_filter_lzip,    archive_read_support_filter_lzma,
        archive_read_support_filter_xz,      archive_read_support_filter_uu,
        archive_read_support_filter_rpm,     archive_read_support_filter_lrzip,
        archive_read_support_filter_lzop,    archive_read_support_filter_grzip,
        archive_read_support_filter_lz4,     archive_read_support_filter_zstd,
    };
    for (size_t i = 0; i < sizeof support / sizeof support[0]; i++) {
        int r = support[i](x.a);
        /* ARCHIVE_WARN: through an external program, or not built in; still a reader */
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            const char *e = archive_error_string(x.a);
            xs_scan_fail(s, archive_errno(x.a) == ENOMEM ? EXS_ENOMEM : EXS_EENGINE,
                          "libarchive could not set up a reader for %s: %s", display,
                          e ? e : "error");
            goto out;
        }
    }
    archive_clear_error(x.a);
    archive_read_set_read_callback(x.a, arch_read);
    archive_read_set_callback_data(x.a, &x);
    if (in->seek) {
        archive_read_set_seek_callback(x.a, arch_seek);
        archive_read_set_skip_callback(x.a, arch_skip);
    }
    if (archive_read_open1(x.a) != ARCHIVE_OK) {
        if (!arch_failed(&x, s, display, "opening the archive"))
            xs_warn(s, XS_W_ARCHIVE, display, 0, "cannot open archive: %s",
                     archive_error_string(x.a) ? archive_error_string(x.a) : "unknown format");
        goto out;
    }
    uint64_t members = 0, max_members = budget->members ? budget->members : XS_MAX_ARCHIVE_MEMBERS;
    for (;;) {
        struct archive_entry *e;
        int r = archive_read_next_header(x.a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r == ARCHIVE_RETRY)
            continue;
        if (r == ARCHIVE_WARN)
            xs_warn(s, XS_W_ARCHIVE, display, 0, "%s",
                     archive_error_string(x.a) ? archive_error_string(x.a) : "warning");
        else if (r != ARCHIVE_OK) {
            if (!arch_failed(&x, s, display, "reading the archive"))
                xs_warn(s, XS_W_ARCHIVE, display, 0, "damaged archive, rest not read: %s",
                         archive_error_string(x.a) ? archive_error_string(x.a) : "fatal error");
            break;
        }
        if (++members > max_members) {
            xs_warn(s, XS_W_LIMIT, display, 0, "more than %llu members; rest not read",
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
            xs_warn(s, XS_W_ARCHIVE, display, 0, "encrypted member not read: %.200s", name);
            continue;
        }
        int raw = archive_format(x.a) == ARCHIVE_FORMAT_RAW;
        member m = {&x, s, display, 0};
        xs_input min = {member_read, NULL, &m};
        fn(ctx, name, raw, &min);
        if (budget->over || x.failed || xs_scan_failed(s))
            break;
    }
out:
    if (x.a)
        archive_read_free(x.a);
    free(x.prefix);
    free(x.buf);
    budget->level--;
}
