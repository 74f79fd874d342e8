/* Per-file dispatch: sniff, classify, then the right reader; archives recurse into members. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/failnote.h"
#include "core/limits.h"
#include "engines/prefilter.h"
#include "exsweep/finding.h"
#include "detectors/sigma.h"
#include "scan/files.h"
#include "scan/scan_int.h"
#include "scan/worker.h"
#include "sources/archive.h"
#include "sources/classify.h"

/* scratch_kinds (worker.h) holds a bit per kind. */
_Static_assert(XS_KIND__COUNT <= 32, "xs_worker.scratch_kinds has a bit per kind: 32 at most");

exs_rc xs_worker_init(xs_worker *w, exs_scan *s)
{
    memset(w, 0, sizeof *w);
    w->scan = s;
    w->st = xs_logstate_create();
    w->mem.buf = malloc(XS_READ_CHUNK + 1);
    w->mem.nl = malloc(XS_NLMAP_WORDS(XS_READ_CHUNK) * sizeof *w->mem.nl);
    if (!w->st || !w->mem.buf || !w->mem.nl)
        return EXS_ENOMEM;
    if (s->sigma && !(w->sigma = xs_sigrun_create(s->sigma)))
        return EXS_ENOMEM;
    return xs_fworker_create(&w->fw, s);
}

void xs_worker_fini(xs_worker *w)
{
    xs_evtx_reader_destroy(w->evtx);
    xs_logstate_destroy(w->st);
    free(w->mem.buf);
    free(w->mem.nl);
    free(w->mem.starts);
    free(w->mem.gated);
    free(w->mem.merged);
    xs_pf_scratch_free(w->mem.scratch);
    xs_fworker_destroy(w->fw);
    xs_sigrun_destroy(w->sigma);
    memset(w, 0, sizeof *w);
}

static void process_input(xs_worker *w, const char *display, const char *norm,
                          const xs_where *where, const xs_input *in, int depth,
                          int members_bare, const xs_fmeta *meta, xs_fdstream *fds);

static void process_kind(xs_worker *w, const xs_class *cls, const char *display,
                         const char *norm, const xs_where *where, const xs_input *in,
                         int depth, int members_bare, size_t have);

typedef struct member_ctx {
    xs_worker *w;
    const char *display;
    const char *norm;
    const xs_where *where;
    int depth;
    int bare;
} member_ctx;

static void strip_compression_ext(char *name)
{
    static const char *const exts[] = {".gz", ".bz2", ".xz", ".zst", ".z", ".lz4", ".tgz"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && strcasecmp(name + n - e, exts[i]) == 0) {
            name[n - e] = 0;
            return;
        }
    }
}

static void on_member(void *ctx, const char *name, int raw, const xs_input *in)
{
    member_ctx *mc = ctx;
    /* on the stack (about 20 KiB a level, three levels at most): nothing here can fail */
    char display[XS_MAX_PATH * 2 + 4], norm[XS_MAX_PATH * 2 + 4], mnorm[XS_MAX_PATH + 1];
    char inner[XS_MAX_PATH + 1];
    if (raw) {
        /* A single compressed file: name it after the container, minus its suffix. */
        const char *base = strrchr(mc->display, '/');
        base = base ? base + 1 : mc->display;
        snprintf(inner, sizeof inner, "%s", base);
        strip_compression_ext(inner);
        name = inner;
        snprintf(display, sizeof display, "%s%s%s", mc->bare ? "" : mc->display,
                 mc->bare ? "" : "!/", name);
    } else {
        while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
            name += name[0] == '/' ? 1 : 2;
        snprintf(display, sizeof display, "%s%s%.*s", mc->bare ? "" : mc->display,
                 mc->bare ? "" : "!/", XS_MAX_PATH, name);
    }
    xs_path_norm(name, mnorm, sizeof mnorm);
    snprintf(norm, sizeof norm, "%s/%s", mc->norm, mnorm);
    xs_fmeta meta = {-1, -1, EXS_TIME_NONE, 0, 0};
    /* A member of an archive that is itself a root is shown as if the archive were a folder:
     * its path under the root, no member chain. */
    xs_where where = *mc->where;
    if (!mc->bare && where.nmembers < XS_MAX_ARCHIVE_DEPTH + 1) {
        size_t at = strlen(mc->display) + 2;
        where.member_at[where.nmembers++] = at < strlen(display) ? at : strlen(display);
    }
    process_input(mc->w, display, norm, &where, in, mc->depth, 0, &meta, NULL);
}

/* The context of one evidence file read by this worker. */
static void ctx_init(xs_ctx *c, xs_worker *w, const char *display, const char *norm,
                     const xs_where *where, const char *source, const char *family)
{
    memset(c, 0, sizeof *c);
    c->scan = w->scan;
    c->file = display;
    c->where = *where;
    c->normpath = norm;
    c->source = source;
    snprintf(c->family, sizeof c->family, "%s", family);
    c->first_ms = EXS_TIME_NONE;
    c->last_ms = EXS_TIME_NONE;
    c->sigma = w->sigma;
}

/* The Sigma rules' line gate of a kind (xs_linegate). */
typedef struct sgate {
    xs_sigrun *run;
    xs_kind kind;
} sgate;

static long sigma_lines(void *ctx, const char *buf, size_t len, const xs_nlmap *nl,
                        uint32_t **starts, size_t *cap)
{
    const sgate *g = ctx;
    return xs_sigrun_lines(g->run, g->kind, buf, len, nl, starts, cap);
}

static void read_log(xs_worker *w, const xs_class *cls, const char *display, const char *norm,
                     const xs_where *where, const xs_input *in, size_t have)
{
    exs_scan *s = w->scan;
    const xs_logkind *lk = xs_logkind_get(cls->kind);
    xs_ctx c;
    ctx_init(&c, w, display, norm, where, xs_kind_name(cls->kind), cls->family);
    exs_rc src = xs_logstate_reset(w->st, lk);
    if (src != EXS_OK) {
        xs_scan_fail(s, src, "no room for the %s reader (%s)", xs_kind_name(cls->kind),
                      exs_strerror(src));
        xs_scan_cover(s, &c, true);
        return;
    }
    uint64_t cand0 = w->mem.candidates;
    /* Every log kind has a prefilter: NULL means it could not be loaded (the sweep failed).
     * With the scan's no_prefilter switch (tests), pf stays NULL: every line is a candidate;
     * so it does for a kind some Sigma rule applies to (its rows are all evaluated), unless
     * the rules have a line gate: then the lines of the prefilter and of the gate are. */
    const xs_prefilter *pf = NULL;
    sgate sg = {w->sigma, cls->kind};
    xs_linegate gate = {sigma_lines, &sg}, *gp = NULL;
    bool gated = w->sigma && xs_sigrules_gated(s->sigma, cls->kind);
    if (gated)
        gp = &gate;
    if (!s->no_prefilter && (!xs_sigrules_kind(s->sigma, cls->kind) || gated)) {
        pf = xs_scan_prefilter(s, cls->kind);
        if (pf && !(w->scratch_kinds & (1u << cls->kind))) {
            exs_rc rc = xs_pf_scratch_grow(&w->mem.scratch, pf);
            if (rc == EXS_OK) {
                w->scratch_kinds |= 1u << cls->kind;
            } else {
                xs_scan_fail(s, rc, "no scratch space for the %s matcher (%s)",
                              xs_kind_name(cls->kind), exs_strerror(rc));
                pf = NULL;
            }
        }
        if (!pf) {
            xs_scan_cover(s, &c, true);
            return;
        }
    }
    exs_rc rc = xs_log_pipeline(&c, w->st, lk, pf, gp, &w->mem, in, have);
    if (rc != EXS_OK)
        xs_scan_fail(s, rc, "matching engine failed on %s (%s)", display, exs_strerror(rc));
    if (lk->end)
        lk->end(w->st, &c);
    xs_ctx_release(&c);
    w->stats.files_read++;
    w->stats.bytes_read += c.bytes;
    w->stats.candidates += w->mem.candidates - cand0;
    xs_scan_cover(s, &c, false);
}

/* ---------------------------------------------------------------- event logs */

typedef struct evtx_feed {
    const xs_input *in;
    const char *pre; /* bytes already read for classification */
    size_t pre_n, off;
} evtx_feed;

static long evtx_read(void *ctx, void *buf, size_t n)
{
    evtx_feed *f = ctx;
    if (f->off < f->pre_n) {
        size_t k = f->pre_n - f->off < n ? f->pre_n - f->off : n;
        memcpy(buf, f->pre + f->off, k);
        f->off += k;
        return (long)k;
    }
    return f->in->read(f->in->ctx, buf, n);
}

typedef struct evtx_run {
    xs_worker *w;
    xs_ctx *c;
    bool named;
} evtx_run;

/* The reader's fields are read as the detectors' (the build has -fno-strict-aliasing). */
_Static_assert(sizeof(xs_evtx_field) == sizeof(xs_event_field) &&
                   offsetof(xs_evtx_field, name) == offsetof(xs_event_field, name.p) &&
                   offsetof(xs_evtx_field, name_len) == offsetof(xs_event_field, name.n) &&
                   offsetof(xs_evtx_field, value) == offsetof(xs_event_field, value.p) &&
                   offsetof(xs_evtx_field, value_len) == offsetof(xs_event_field, value.n),
               "xs_evtx_field and xs_event_field must share their layout");

static exs_rc on_record(void *ctx, const xs_evtx_record *rec)
{
    evtx_run *r = ctx;
    xs_ctx *c = r->c;
    xs_event e;
    memset(&e, 0, sizeof e);
    e.time_ms = rec->time_ms; /* EXS_TIME_NONE when the record has no time at all */
    e.record = rec->event_record_id ? rec->event_record_id : rec->record_id;
    e.event_id = rec->event_id;
    e.level = rec->level;
    e.provider = xs_str_make(rec->provider, rec->provider_len);
    e.channel = xs_str_make(rec->channel, rec->channel_len);
    e.computer = xs_str_make(rec->computer, rec->computer_len);
    e.fields = (const xs_event_field *)rec->fields; /* same layout, see above */
    e.nfields = rec->nfields;
    e.text = xs_str_make(rec->text, rec->text_len);
    e.recovered = (rec->flags & XS_EVTX_REC_RECOVERED) != 0;
    /* the file header, then 64 KiB chunks */
    e.offset = 4096 + (int64_t)rec->chunk_index * XS_EVTX_CHUNK_SIZE + rec->chunk_offset;
    if (!r->named && rec->channel && rec->channel[0]) {
        snprintf(c->family, sizeof c->family, "EVTX/%.80s", rec->channel);
        r->named = true;
    }
    c->lines++;
    xs_ctx_note_time(c, e.time_ms);
    xs_detect_event(c, &r->w->evstate, &e);
    xs_sigrun_evtx(c, rec, e.offset);
    return EXS_OK;
}

static void read_evtx(xs_worker *w, const char *display, const char *norm,
                      const xs_where *where, const xs_input *in, size_t have)
{
    exs_scan *s = w->scan;
    exs_rc rc = w->evtx ? EXS_OK : xs_evtx_reader_create(&w->evtx, 0);
    if (rc != EXS_OK) {
        xs_scan_fail(s, rc, "out of memory for the event log reader (%s)", display);
        return;
    }
    xs_ctx c;
    ctx_init(&c, w, display, norm, where, "evtx", "EVTX");
    memset(&w->evstate, 0, sizeof w->evstate);
    evtx_feed feed = {in, w->mem.buf, have, 0};
    evtx_run run = {w, &c, false};
    xs_evtx_stats st;
    rc = xs_evtx_reader_run(w->evtx, evtx_read, &feed, on_record, &run, &st);
    xs_detect_events_end(&c, &w->evstate);
    xs_ctx_release(&c);
    c.bytes = st.bytes;
    if (rc == EXS_EFORMAT) {
        xs_warn(s, XS_W_EVTX, display, 0, "not a readable event log");
        xs_scan_cover(s, &c, true);
        return;
    }
    /* EXS_EIO: the stream failed and said so (xs_input) */
    if (st.checksum_errors)
        xs_warn(s, XS_W_EVTX, display, 0, "%llu checksum mismatches (the data was used)",
                 (unsigned long long)st.checksum_errors);
    if (st.recovered)
        xs_warn(s, XS_W_EVTX, display, 0, "%llu records recovered from slack or damaged chunks",
                 (unsigned long long)st.recovered);
    if (st.bad_records + st.missing_templates + st.limit_hits)
        xs_warn(s, XS_W_EVTX, display, 0,
                 "%llu records skipped (damaged: %llu, missing template: %llu, over a cap: %llu)",
                 (unsigned long long)(st.bad_records + st.missing_templates + st.limit_hits),
                 (unsigned long long)st.bad_records, (unsigned long long)st.missing_templates,
                 (unsigned long long)st.limit_hits);
    if (st.truncated)
        xs_warn(s, XS_W_EVTX, display, 0, "the log ends inside a chunk (cut copy)");
    if (st.truncated_records)
        xs_warn(s, XS_W_LIMIT, display, 0,
                 "%llu records cut at a size cap (a value over %u KiB, text over %u KiB, "
                 "over %u fields or over %u KiB of values); the detectors saw them cut",
                 (unsigned long long)st.truncated_records, XS_EVTX_MAX_VALUE >> 10,
                 XS_EVTX_MAX_TEXT >> 10, XS_EVTX_MAX_FIELDS, XS_EVTX_MAX_RECORD_MEM >> 10);
    if (st.chunk_cap_hit) /* no partial-coverage notion in exs_coverage: the warning says it */
        xs_warn(s, XS_W_LIMIT, display, 0,
                 "read stopped after %llu chunks (XS_EVTX_MAX_CHUNKS); the rest of the log "
                 "was not read",
                 (unsigned long long)(st.chunks + st.chunks_empty + st.chunks_bad));
    w->stats.files_read++;
    w->stats.bytes_read += st.bytes;
    xs_scan_cover(s, &c, false);
}

/* Log kinds whose readers take lines (archives and event logs are read by offset). */
static bool line_kind(xs_kind k)
{
    return xs_logkind_get(k) != NULL;
}

static void process_input(xs_worker *w, const char *display, const char *norm,
                          const xs_where *where, const xs_input *raw, int depth,
                          int members_bare, const xs_fmeta *meta, xs_fdstream *fds)
{
    exs_scan *s = w->scan;
    w->stats.files_seen++;
    long have = xs_input_read_full(raw, w->mem.buf, XS_SNIFF_READ);
    if (have < 0) {
        /* the stream said why (xs_input); where the file lies says which log it was */
        xs_class loc;
        xs_classify(norm, display, NULL, 0, &loc);
        if (loc.kind != XS_KIND_NONE && loc.kind != XS_KIND_TEXT)
            xs_scan_cover_skip(s, loc.family);
        return;
    }
    xs_class cls;
    xs_classify(norm, display, (const unsigned char *)w->mem.buf, (size_t)have, &cls);
    if (cls.install_root_len)
        xs_scan_add_install_root(s, display, cls.install_root_len);
    /* One read per file: every reader below reads through the file checks' tee, and
     * xs_file_end reads what they leave. */
    const xs_input *in = xs_file_begin(w->fw, depth, display, norm, where, &cls, meta,
                                         (const unsigned char *)w->mem.buf, (size_t)have, raw);
    /* Holes of a sparse log are no lines: skipped, unless the file checks copy the file (up to
     * the size limit), whose digest must be that of every byte, zeros included. */
    if (fds && line_kind(cls.kind) && !xs_file_copies(w->fw, depth))
        have = (long)xs_fdstream_skip_holes(fds, (size_t)have);
    process_kind(w, &cls, display, norm, where, in, depth, members_bare, (size_t)have);
    xs_file_end(w->fw, depth);
    const char *what;
    exs_rc rc = xs_failnote_take(&what);
    if (rc != EXS_OK)
        xs_scan_fail(s, rc, "%s (%s)", what, display);
}

static void process_kind(xs_worker *w, const xs_class *clsp, const char *display,
                         const char *norm, const xs_where *where, const xs_input *in,
                         int depth, int members_bare, size_t have)
{
    exs_scan *s = w->scan;
    xs_class cls = *clsp;

    switch (cls.kind) {
    case XS_KIND_ARCHIVE: {
        if (depth >= XS_MAX_ARCHIVE_DEPTH) {
            xs_warn(s, XS_W_DEPTH, display, 0, "archive nested more than %d deep; not read",
                     XS_MAX_ARCHIVE_DEPTH);
            return;
        }
        w->stats.archives++;
        member_ctx mc = {w, display, norm, where, depth + 1, members_bare};
        if (depth == 0)
            w->abudget = (xs_archive_budget){.ratio = s->archive_ratio,
                                              .floor = s->archive_floor,
                                              .members = s->archive_members};
        /* A small archive is read whole once (its raw bytes get the file checks); members
         * then come from memory. */
        const xs_input *ain = xs_file_slurp(w->fw, depth, in);
        xs_archive_walk(s, display, ain, w->mem.buf, have, &w->abudget, on_member, &mc);
        return;
    }
    case XS_KIND_EVTX:
        read_evtx(w, display, norm, where, in, (size_t)have);
        return;
    case XS_KIND_NONE:
        w->stats.files_ignored++;
        return;
    default:
        /* NUL bytes (cls.binary_log) are counted once by the pipeline, wherever they are */
        read_log(w, &cls, display, norm, where, in, have);
        return;
    }
}

void xs_worker_process(xs_worker *w, xs_item *it)
{
    if (xs_scan_failed(w->scan)) { /* the results are incomplete already: stop reading */
        xs_item_free(it);
        return;
    }
    /* The file is read up to the size it had when the walker opened it: a live log growing
     * meanwhile ends there, and the file side takes the same size as its end. */
    xs_fdstream fds;
    xs_fdstream_init(&fds, it->fd, &it->st, w->scan, it->display);
    xs_input in = {xs_fdstream_read, xs_fdstream_seek, &fds};
    xs_fmeta meta = {it->fd, (int64_t)fds.size,
                      (int64_t)it->st.st_mtim.tv_sec * 1000 + it->st.st_mtim.tv_nsec / 1000000,
                      (uint64_t)it->st.st_dev, (uint64_t)it->st.st_ino};
    xs_where where = {.root = it->root, .prefix = it->prefix};
    process_input(w, it->display, it->norm, &where, &in, 0, it->root_file, &meta, &fds);
    if (fds.shrunk)
        xs_warn(w->scan, XS_W_UNREADABLE, it->display, 0,
                 "the file shrank while it was read: it ended after %llu of the %llu bytes it had "
                 "when opened",
                 (unsigned long long)fds.size, (unsigned long long)it->st.st_size);
    if (fds.holes)
        xs_warn(w->scan, XS_W_BINARY, it->display, 0,
                 "sparse file: %llu bytes of holes (never written, all zeros) skipped",
                 (unsigned long long)fds.holes);
    xs_fworker_stats(w->fw, &w->stats);
    xs_item_free(it);
}

typedef struct mem_stream {
    const unsigned char *p;
    size_t n, off;
} mem_stream;

static long mem_read(void *ctx, void *buf, size_t n)
{
    mem_stream *m = ctx;
    size_t left = m->n - m->off;
    if (n > left)
        n = left;
    memcpy(buf, m->p + m->off, n);
    m->off += n;
    return (long)n;
}

static long long mem_seek(void *ctx, long long off, int whence)
{
    mem_stream *m = ctx;
    long long base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (long long)m->off : (long long)m->n;
    long long t = base + off;
    if (t < 0 || t > (long long)m->n)
        return -1;
    m->off = (size_t)t;
    return t;
}

void xs_worker_process_memory(xs_worker *w, const char *display, const char *norm,
                               const void *data, size_t len)
{
    mem_stream m = {data, len, 0};
    xs_input in = {mem_read, mem_seek, &m};
    xs_fmeta meta = {-1, (int64_t)len, EXS_TIME_NONE, 0, 0};
    xs_where where = {0};
    process_input(w, display, norm, &where, &in, 0, 1, &meta, NULL);
    xs_fworker_stats(w->fw, &w->stats);
}
