/* The line pipeline: one bounded buffer per worker, refilled from the stream; the complete
 * lines in it go through the kind's prefilter, and only candidate lines are parsed.
 *
 *   buf: [ complete lines ... \n | partial line ]  -> region = up to the last '\n'
 *   the partial line moves to the front and the buffer is refilled behind it, one read of
 *   XS_READ_STEP at a time (a line that has not ended yet is read on, up to the buffer).
 *   a buffer with no '\n' at all holds a line longer than XS_MAX_LINE: its first
 *   XS_MAX_LINE bytes are processed, the rest is skipped up to the next '\n'.
 */
#include <string.h>

#include "core/grow.h"
#include "core/limits.h"
#include "exsweep/finding.h"
#include "logs/pipeline.h"
#include "parsers/csv.h"
#include "scan/ctx.h"

typedef struct pstate {
    xs_ctx *c;
    xs_logstate *st;
    const xs_logkind *lk;
    const xs_prefilter *pf;
    const xs_linegate *gate;
    xs_pipeline_mem *m;
    uint64_t base; /* lines before the current region */
    bool started;  /* the first data line was seen */
    bool at_file_start;
    unsigned first_tries;
    exs_rc engine_failed; /* the prefilter's failure, EXS_OK */
    bool warned_nul; /* NUL bytes were reported for this file */
    uint64_t buf_off; /* file offset of the buffer's first byte */
} pstate;

/* The line starting at off, without its break; nl maps p[0..n). */
static xs_str line_of(const char *p, const xs_nlmap *nl, size_t off)
{
    size_t e = xs_nlmap_next(nl, off);
    size_t len = e - off;
    if (len && p[off + len - 1] == '\r')
        len--;
    return xs_str_make(p + off, len);
}

static xs_str line_at(const char *p, size_t off, size_t n)
{
    const char *e = memchr(p + off, '\n', n - off);
    size_t len = e ? (size_t)(e - (p + off)) : n - off;
    if (len && p[off + len - 1] == '\r')
        len--;
    return xs_str_make(p + off, len);
}

static size_t next_line(const char *p, size_t off, size_t n)
{
    const char *e = memchr(p + off, '\n', n - off);
    return e ? (size_t)(e - p) + 1 : n;
}

/* Directive lines and the first data line, at the start of a file. Returns the offset where
 * prefiltering starts; lines before it were counted into *lines. */
static size_t handle_start(pstate *ps, const char *p, size_t n, uint64_t *lines)
{
    size_t off = 0;
    while (off < n) {
        xs_str line = line_at(p, off, n);
        if (ps->at_file_start) {
            line = xs_strip_bom(line);
            ps->at_file_start = false;
        }
        size_t nx = next_line(p, off, n);
        if (line.n && line.p[0] == '#') {
            if (ps->lk->directive)
                ps->lk->directive(ps->st, ps->c, line, ps->base + *lines + 1);
        } else if (xs_str_trim(line).n > 0) {
            ps->started = true;
            if (ps->lk->first_line && ps->lk->first_line(ps->st, ps->c, line)) {
                *lines += nx > off && p[nx - 1] == '\n';
                return nx;
            }
            return off;
        }
        *lines += nx > off && p[nx - 1] == '\n';
        off = nx;
    }
    return off;
}

static void first_times(pstate *ps, const char *p, size_t off, size_t n)
{
    while (off < n && ps->first_tries < 8 && ps->c->first_ms == EXS_TIME_NONE) {
        xs_str line = line_at(p, off, n);
        if (line.n && line.p[0] != '#') {
            ps->first_tries++;
            xs_ctx_note_time(ps->c, ps->lk->row_time(ps->st, line));
        }
        off = next_line(p, off, n);
    }
}

static void last_time(pstate *ps, const char *p, size_t n)
{
    /* Walk back over at most four lines for one whose time parses. */
    size_t end = n;
    for (int tries = 0; tries < 4 && end > 0; tries++) {
        size_t e = end;
        if (e && p[e - 1] == '\n')
            e--;
        const char *nl = e ? memrchr(p, '\n', e) : NULL;
        size_t start = nl ? (size_t)(nl - p) + 1 : 0;
        xs_str line = line_at(p, start, n);
        if (line.n && line.p[0] != '#') {
            int64_t t = ps->lk->row_time(ps->st, line);
            if (t != EXS_TIME_NONE) {
                xs_ctx_note_time(ps->c, t);
                return;
            }
        }
        end = start;
    }
}

/* Without a prefilter: the start offset of every line of view, as xs_prefilter_lines gives
 * those of its candidates. Returns the count, or -1 when memory ran out. */
static long all_lines(const xs_nlmap *view, uint32_t **starts, size_t *cap)
{
    size_t k = 0;
    for (size_t s = 0; s < view->n; s = xs_nlmap_next(view, s) + 1) {
        if (!xs_grow((void **)starts, cap, k + 1, sizeof **starts))
            return -1;
        (*starts)[k++] = (uint32_t)s;
    }
    return (long)k;
}

/* The candidates of the prefilter and of the gate, merged (ascending, unique) into
 * m->merged; k1 of m->starts, k2 of m->gated. Returns the count, or -1 when memory ran out. */
static long merge_lines(xs_pipeline_mem *m, long k1, long k2)
{
    if (!xs_grow((void **)&m->merged, &m->merged_cap, (size_t)(k1 + k2) + 1, sizeof *m->merged))
        return -1;
    long i = 0, j = 0, k = 0;
    while (i < k1 || j < k2) {
        uint32_t a = i < k1 ? m->starts[i] : UINT32_MAX, b = j < k2 ? m->gated[j] : UINT32_MAX;
        uint32_t v = a < b ? a : b;
        i += a == v;
        j += b == v;
        m->merged[k++] = v;
    }
    return k;
}

/* Processes p[0..n): complete lines (the last one may lack its '\n' at the end of the file). */
static void region(pstate *ps, const char *p, size_t n)
{
    uint64_t lines = 0;
    size_t off = 0;
    const xs_nlmap map = {ps->m->nl, 0, n};
    size_t z = xs_nlmap_build(ps->m->nl, p, n);
    if (z < n && !ps->warned_nul) {
        /* NUL bytes inside a text log: a zero-filled cluster after a crash, carving debris or
         * tampering. The lines around them are still read; the hole is counted once per file. */
        ps->warned_nul = true;
        xs_warn(ps->c->scan, XS_W_BINARY, ps->c->file,
                 ps->base + xs_nlmap_count(&map, 0, z) + 1,
                 "NUL bytes inside the log (damaged or wiped region)");
    }
    if (!ps->started)
        off = handle_start(ps, p, n, &lines);
    if (!ps->started)
        goto count;
    first_times(ps, p, off, n);

    const xs_nlmap view = {ps->m->nl, off, n - off};
    long k = ps->pf ? xs_prefilter_lines(ps->pf, ps->m->scratch, p + off, n - off, &view,
                                          &ps->m->starts, &ps->m->starts_cap)
                    : all_lines(&view, &ps->m->starts, &ps->m->starts_cap);
    const uint32_t *starts = ps->m->starts;
    if (k >= 0 && ps->pf && ps->gate) {
        long g = ps->gate->fn(ps->gate->ctx, p + off, n - off, &view, &ps->m->gated,
                              &ps->m->gated_cap);
        k = g < 0 ? g : merge_lines(ps->m, k, g);
        if (k == -1)
            k = -(long)EXS_ENOMEM;
        starts = ps->m->merged;
    }
    if (k < 0) {
        ps->engine_failed = (exs_rc)-k;
        goto count;
    }
    ps->m->candidates += (uint64_t)k;
    size_t pos = off;
    for (long i = 0; i < k; i++) {
        size_t s = off + starts[i];
        lines += xs_nlmap_count(&map, pos, s);
        pos = s;
        xs_str line = line_of(p, &map, s);
        /* zeros before a line are what a crash or a hole left of the one before it (the
         * warning above counts them): the line is what follows */
        while (line.n && line.p[0] == 0) {
            line.p++;
            line.n--;
        }
        uint64_t lineno = ps->base + lines + 1;
        ps->c->line_no = lineno; /* a finding of this line gets its byte offset */
        ps->c->line_off = (int64_t)(ps->buf_off + s);
        if (line.n && line.p[0] == '#') {
            if (ps->lk->directive)
                ps->lk->directive(ps->st, ps->c, line, lineno);
        } else {
            ps->lk->row(ps->st, ps->c, line, lineno);
        }
    }
    lines += xs_nlmap_count(&map, pos, n);
    last_time(ps, p, n);
count:
    if (n && p[n - 1] != '\n')
        lines++; /* final line without a break */
    ps->base += lines;
    ps->c->lines += lines;
}

exs_rc xs_log_pipeline(xs_ctx *c, xs_logstate *st, const xs_logkind *lk,
                        const xs_prefilter *pf, const xs_linegate *gate, xs_pipeline_mem *m,
                        const xs_input *in, size_t have)
{
    pstate ps = {c, st, lk, pf, gate, m, 0, false, true, 0, EXS_OK, false};
    char *buf = m->buf;
    const size_t cap = XS_READ_CHUNK;
    size_t len = have;
    bool eof = false, skipping = false;
    c->bytes += have;

    for (;;) {
        /* one step past what is held (the tail of a line), within the buffer */
        const size_t want = len + XS_READ_STEP < cap ? len + XS_READ_STEP : cap;
        while (!eof && len < want) {
            long r = in->read(in->ctx, buf + len, want - len);
            if (r <= 0) { /* the end, or a failure the stream reported */
                eof = true;
                break;
            }
            len += (size_t)r;
            c->bytes += (uint64_t)r;
        }
        if (len == 0)
            break;
        if (!skipping && buf[0] == 0) {
            /* A line that starts with zeros: what a crash or a hole read as zeros left before
             * it. They go, however many (a zero-filled gigabyte is no line to cut, and holds no
             * line break: line numbers stay those of the file); counted once per file. */
            size_t z = 0;
            while (z < len && buf[z] == 0)
                z++;
            if (!ps.warned_nul) {
                ps.warned_nul = true;
                xs_warn(c->scan, XS_W_BINARY, c->file, ps.base + 1,
                         "NUL bytes inside the log (damaged or wiped region)");
            }
            memmove(buf, buf + z, len - z);
            len -= z;
            if (len == 0 && eof)
                break;
            continue;
        }
        if (skipping) {
            char *nl = memchr(buf, '\n', len);
            if (!nl) {
                len = 0;
                if (eof)
                    break;
                continue;
            }
            size_t drop = (size_t)(nl - buf) + 1;
            memmove(buf, buf + drop, len - drop);
            len -= drop;
            skipping = false;
            continue;
        }
        char *last = memrchr(buf, '\n', len);
        size_t end;
        if (last) {
            end = (size_t)(last - buf) + 1;
        } else if (eof) {
            end = len;
        } else if (len < cap) {
            continue; /* no line ends in what was read yet: read on */
        } else {
            /* A line longer than the buffer: keep its head, skip its tail. */
            xs_warn(c->scan, XS_W_LINE_TOO_LONG, c->file, ps.base + 1,
                     "line longer than %u bytes; cut", XS_MAX_LINE);
            ps.buf_off = c->bytes - len;
            region(&ps, buf, len < XS_MAX_LINE ? len : XS_MAX_LINE);
            len = 0;
            skipping = true;
            continue;
        }
        ps.buf_off = c->bytes - len;
        region(&ps, buf, end);
        if (ps.engine_failed)
            return ps.engine_failed;
        memmove(buf, buf + end, len - end);
        len -= end;
        if (eof && len == 0)
            break;
    }
    return ps.engine_failed;
}
