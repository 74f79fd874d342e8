/* The sink of a sweep: findings, warnings, coverage, script requests, install roots, stats.
 * All writers are thread-safe (one mutex; findings are rare next to lines read). Findings
 * go to the store (lib/results/store.c); the rest straight into the results object. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/grow.h"
#include "core/limits.h"
#include "detectors/sigma.h"
#include "scan/dups.h"
#include "scan/files.h"
#include "scan/pass.h"
#include "scan/scan_int.h"
#include "state/assess.h"
#include "state/observe.h"

const char *xs_warn_kind_name(xs_warn_kind k)
{
    static const char *const names[XS_W__COUNT] = {
        [XS_W_UNREADABLE] = "unreadable",   [XS_W_NOT_REGULAR] = "not-regular",
        [XS_W_SYMLINK] = "symlink",         [XS_W_PATH] = "path-too-long",
        [XS_W_DEPTH] = "too-deep",          [XS_W_LINE_TOO_LONG] = "line-too-long",
        [XS_W_BAD_ROW] = "bad-row",         [XS_W_BINARY] = "binary",
        [XS_W_ARCHIVE] = "archive",         [XS_W_LIMIT] = "limit",
        [XS_W_UTF8] = "invalid-utf8",       [XS_W_SCHEMA] = "schema",
        [XS_W_EVTX] = "evtx",               [XS_W_ATIME] = "atime",
    };
    return (k >= 0 && k < XS_W__COUNT && names[k]) ? names[k] : "other";
}

bool xs_warn_kind_unread(xs_warn_kind k)
{
    /* files or parts of files that were not read: a clean verdict does not speak for them
     * (symlinks and devices are never read by design, cut lines and bad rows are read) */
    return k == XS_W_UNREADABLE || k == XS_W_PATH || k == XS_W_DEPTH || k == XS_W_ARCHIVE ||
           k == XS_W_LIMIT;
}

void xs_scan_fail(exs_scan *s, exs_rc rc, const char *fmt, ...)
{
    pthread_mutex_lock(&s->mu);
    if (s->failed == EXS_OK) {
        s->failed = rc == EXS_OK ? EXS_EIO : rc;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->err, sizeof s->err, fmt, ap);
        va_end(ap);
    }
    pthread_mutex_unlock(&s->mu);
}

bool xs_scan_failed(exs_scan *s)
{
    pthread_mutex_lock(&s->mu);
    bool f = s->failed != EXS_OK;
    pthread_mutex_unlock(&s->mu);
    return f;
}

const char *xs_scan_label(const exs_scan *s, uint32_t i)
{
    return i < s->nroots ? s->labels[i] : "";
}

void xs_warn(exs_scan *s, xs_warn_kind k, const char *file, uint64_t line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&s->mu);
    s->wcounts[k].count++;
    if (xs_warn_kind_unread(k))
        s->unread++;
    /* the examples: the smallest by file, line, kind and message, whatever the order */
    bool lost = s->warnkeep && !xs_warnkeep_add(s->warnkeep, xs_str_cstr(xs_warn_kind_name(k)),
                                                 xs_str_cstr(file ? file : ""), line,
                                                 xs_str_cstr(msg));
    pthread_mutex_unlock(&s->mu);
    if (lost) /* the count is kept; the example is what a reader acts on */
        xs_scan_fail(s, EXS_ENOMEM, "out of memory keeping a warning about %s",
                      file ? file : "the sweep");
}

/* ---------------------------------------------------------------- findings */

static void origin_of(const xs_ctx *c, xs_hit_origin *o)
{
    memset(o, 0, sizeof *o);
    o->offset = -1;
    const xs_where *w = &c->where;
    const char *d = c->file ? c->file : "";
    size_t n = strlen(d), pre = w->prefix <= n ? w->prefix : n;
    o->root = w->root;
    o->label = xs_scan_label(c->scan, w->root);
    o->kind = c->source ? c->source : "";
    size_t nm = w->nmembers <= XS_MAX_ARCHIVE_DEPTH + 1 ? w->nmembers : 0;
    size_t end = nm && w->member_at[0] >= pre + 2 && w->member_at[0] <= n ? w->member_at[0] - 2 : n;
    o->path = xs_str_make(d + pre, end > pre ? end - pre : 0);
    for (size_t i = 0; i < nm; i++) {
        size_t a = w->member_at[i] <= n ? w->member_at[i] : n;
        size_t b = i + 1 < nm && w->member_at[i + 1] >= a + 2 ? w->member_at[i + 1] - 2 : n;
        o->members[o->nmembers++] = xs_str_make(d + a, b > a ? b - a : 0);
    }
}

int64_t xs_ctx_offset(const xs_ctx *c, uint64_t line, int64_t offset)
{
    if (offset >= 0)
        return offset;
    return line && line == c->line_no ? c->line_off : -1;
}

void xs_emit_hold(xs_ctx *c, uint64_t line, uint64_t record, int64_t offset)
{
    if (!xs_dups_hold(&c->dups, line, record, offset))
        xs_scan_fail(c->scan, EXS_ENOMEM, "out of memory telling apart the findings of %s",
                      c->file ? c->file : "");
}

void xs_emit_id(xs_ctx *c, const xs_hit *h, char id_out[EXS_ID_LEN])
{
    exs_scan *s = c->scan;
    if (id_out)
        id_out[0] = 0;
    xs_hit_origin o;
    origin_of(c, &o);
    /* the byte offset of the line being read, when the hit is about it */
    if (h->offset < 0)
        o.offset = xs_ctx_offset(c, h->line, -1);
    /* the same identity twice in one file (the same rule on the same line for the same key):
     * the second is told apart by a count, the same on every run (lib/scan/dups.h) */
    char id[EXS_ID_LEN];
    unsigned dup = 0;
    if (!xs_finding_id(h, &o, 0, id)) {
        xs_scan_fail(s, EXS_ENOMEM, "the digest for a finding id failed (OpenSSL: out of memory)");
        return;
    }
    if (!xs_dups_take(&c->dups, id, h->line, h->record, h->offset >= 0 ? h->offset : o.offset,
                       &dup)) {
        xs_scan_fail(s, EXS_ENOMEM, "out of memory telling apart the findings of %s",
                      c->file ? c->file : "");
        return;
    }
    if (dup && !xs_finding_id(h, &o, dup, id)) {
        xs_scan_fail(s, EXS_ENOMEM, "the digest for a finding id failed (OpenSSL: out of memory)");
        return;
    }
    atomic_fetch_add_explicit(&s->p_findings, 1, memory_order_relaxed); /* progress */
    exs_finding f;
    void *block = NULL;
    xs_build_notes notes;
    exs_rc rc = xs_finding_build(h, &o, id, 0, &f, &block, &notes);
    if (rc != EXS_OK) {
        xs_scan_fail(s, rc, "out of memory keeping a finding of %s", c->file ? c->file : "");
        return;
    }
    if (notes.bad_utf8)
        xs_warn(s, XS_W_UTF8, c->file, h->line, "invalid UTF-8 in the evidence (escaped in output)");
    /* tallies over every finding, before the store keeps it or not */
    if (!xs_files_note_finding(s->files, &f)) {
        free(block);
        xs_scan_fail(s, EXS_ENOMEM, "out of memory matching a finding of %s with the IOC lists",
                      c->file ? c->file : "");
        return;
    }
    if (!xs_store_add(s->store, &f, block)) {
        xs_scan_fail(s, EXS_ENOMEM, "out of memory counting a finding of %s",
                      c->file ? c->file : "");
        return;
    }
    if (id_out)
        memcpy(id_out, id, EXS_ID_LEN);
}

void xs_ctx_pass(xs_ctx *c, exs_scan *s, const char *file, const xs_where *where,
                  const char *source)
{
    memset(c, 0, sizeof *c);
    c->scan = s;
    c->file = file ? file : "";
    if (where)
        c->where = *where;
    c->source = source;
    c->first_ms = c->last_ms = EXS_TIME_NONE;
}

void xs_ctx_release(xs_ctx *c)
{
    xs_dups_free(c->dups);
    c->dups = NULL;
}

void xs_ctx_at_finding(xs_ctx *c, const xs_pass_view *v, const exs_finding *f,
                        char buf[XS_MAX_WHERE])
{
    const size_t cap = XS_MAX_WHERE;
    exs_scan *s = v->scan;
    xs_where w = {.root = f->origin.root};
    size_t o = 0;
    buf[0] = 0;
    if (s->nroots > 1) {
        xs_appendf(buf, cap, &o, "%s/", xs_scan_label(s, f->origin.root));
        w.prefix = o;
    }
    xs_appendf(buf, cap, &o, "%s", f->origin.path);
    for (size_t i = 0; i < f->origin.nmembers && i < XS_MAX_ARCHIVE_DEPTH + 1; i++) {
        xs_appendf(buf, cap, &o, "!/");
        w.member_at[w.nmembers++] = o;
        xs_appendf(buf, cap, &o, "%s", f->origin.members[i]);
    }
    xs_ctx_pass(c, s, buf, &w, f->origin.kind);
}

void xs_ctx_at_access(xs_ctx *c, const xs_pass_view *v, const xs_access *a)
{
    xs_ctx_pass(c, v->scan, a->file, &a->where, a->source);
}

/* ---------------------------------------------------------------- requests, pool */

const char *xs_scan_intern(exs_scan *s, const char *str)
{
    pthread_mutex_lock(&s->mu);
    const char *r = xs_arena_strdup(&s->pool, str);
    pthread_mutex_unlock(&s->mu);
    return r;
}

static char *dup_span(xs_str v, size_t cap)
{
    size_t n = v.p ? (v.n < cap ? v.n : cap) : 0;
    char *p = malloc(n + 1);
    if (p) {
        if (n)
            memcpy(p, v.p, n);
        p[n] = 0;
    }
    return p;
}

void xs_access_add(xs_ctx *c, int64_t time_ms, xs_str ip, xs_str path, const char *norm,
                    xs_str method, int status, uint64_t line, bool nondefault, bool backend)
{
    exs_scan *s = c->scan;
    if (!c->file_interned)
        c->file_interned = xs_scan_intern(s, c->file);
    xs_access a = {time_ms,
                    status,
                    line,
                    c->file_interned,
                    c->where,
                    c->source,
                    dup_span(xs_str_blank(ip) ? XS_STR_NULL : ip, 64),
                    dup_span(path, XS_MAX_URL),
                    dup_span(xs_str_cstr(norm), XS_MAX_URL),
                    dup_span(method, 16),
                    nondefault,
                    backend};
    bool lost = !(a.file && a.ip && a.path && a.norm && a.method);
    if (!lost) {
        pthread_mutex_lock(&s->mu);
        if (s->naccess_kind[nondefault] >= s->max_access) {
            s->access_dropped++;
        } else if (xs_grow((void **)&s->access, &s->capaccess, s->naccess + 1,
                            sizeof *s->access)) {
            s->access[s->naccess++] = a;
            s->naccess_kind[nondefault]++;
            a.ip = a.path = a.norm = a.method = NULL;
        } else {
            lost = true;
        }
        pthread_mutex_unlock(&s->mu);
    }
    free(a.ip);
    free(a.path);
    free(a.norm);
    free(a.method);
    if (lost)
        xs_scan_fail(s, EXS_ENOMEM, "out of memory keeping a request of %s", c->file);
}

/* Remembers "root|addr" as past root's cap (at most max_server_over of them): every one put
 * here is left out for good, since a root's kept addresses only get smaller. Returns false
 * when out of memory. */
static bool server_over(exs_scan *s, uint32_t root, const char *addr)
{
    if (!s->server_over && !(s->server_over = xs_strmap_create()))
        return false;
    if (xs_strmap_count(s->server_over) >= s->max_server_over)
        return true;
    size_t n = strlen(addr) + 16;
    char *key = malloc(n);
    if (!key)
        return false;
    snprintf(key, n, "%u|%s", (unsigned)root, addr);
    bool ok = xs_strmap_put(s->server_over, key, (void *)1, NULL);
    free(key);
    return ok;
}

/* Each root keeps its XS_MAX_SERVER_ADDRS smallest addresses (strcmp): past the cap a smaller
 * one takes the place of the root's largest, so the set kept at the end depends on the
 * addresses alone, not on the order the workers meet them. */
void xs_note_server_address(xs_ctx *c, xs_str ip)
{
    exs_scan *s = c->scan;
    uint32_t root = c->where.root;
    char *d = strndup(ip.p, ip.n);
    if (!d) {
        xs_scan_fail(s, EXS_ENOMEM, "out of memory keeping the server's address");
        return;
    }
    pthread_mutex_lock(&s->mu);
    bool seen = false;
    size_t mine = 0, top = SIZE_MAX;
    for (size_t i = 0; i < s->nserver && !seen; i++)
        if (s->server_addrs[i].root == root) {
            mine++;
            seen = strcmp(d, s->server_addrs[i].addr) == 0;
            if (top == SIZE_MAX || strcmp(s->server_addrs[i].addr, s->server_addrs[top].addr) > 0)
                top = i;
        }
    bool ok = true;
    if (seen) {
        /* known */
    } else if (mine >= XS_MAX_SERVER_ADDRS && strcmp(d, s->server_addrs[top].addr) > 0) {
        ok = server_over(s, root, d);
    } else if (mine >= XS_MAX_SERVER_ADDRS) {
        char *old = s->server_addrs[top].addr;
        if ((ok = server_over(s, root, old))) {
            s->server_addrs[top].addr = d;
            d = old;
        }
    } else if ((ok = xs_grow((void **)&s->server_addrs, &s->capserver, s->nserver + 1,
                             sizeof *s->server_addrs))) {
        s->server_addrs[s->nserver++] = (xs_server_addr){root, d};
        d = NULL;
    }
    pthread_mutex_unlock(&s->mu);
    free(d);
    if (!ok)
        xs_scan_fail(s, EXS_ENOMEM, "out of memory keeping the server's address");
}

/* ---------------------------------------------------------------- the server's own state */

static xs_state *state_of(exs_scan *s)
{
    pthread_mutex_lock(&s->mu);
    if (!s->state)
        s->state = xs_state_new();
    xs_state *st = s->state;
    pthread_mutex_unlock(&s->mu);
    return st;
}

static void state_added(exs_scan *s, const char *file, bool ok, bool dropped)
{
    if (!ok)
        xs_scan_fail(s, EXS_ENOMEM, "out of memory keeping the server's state");
    else if (dropped)
        xs_warn(s, XS_W_LIMIT, file, 0,
                 "the server's state: more than %u distinct observations of one root; the "
                 "smallest are kept", (unsigned)XS_MAX_STATE_OBS);
}

void xs_scan_note_build(exs_scan *s, uint32_t root, const char *file, const xs_obs_build *o)
{
    xs_state *st = state_of(s);
    bool dropped = false;
    bool ok = st && xs_state_add_build(st, root, file, o, &dropped);
    state_added(s, file, ok, dropped);
}

void xs_scan_note_state(exs_scan *s, uint32_t root, const char *file, const xs_obs_note *o)
{
    xs_state *st = state_of(s);
    bool dropped = false;
    bool ok = st && xs_state_add_note(st, root, file, o, &dropped);
    state_added(s, file, ok, dropped);
}

void xs_note_build(xs_ctx *c, const xs_obs_build *o)
{
    xs_scan_note_build(c->scan, c->where.root, c->file, o);
}

void xs_note_state(xs_ctx *c, const xs_obs_note *o)
{
    xs_scan_note_state(c->scan, c->where.root, c->file, o);
}

/* ---------------------------------------------------------------- coverage, roots, stats */

static exs_coverage *cov_get(exs_scan *s, const char *family)
{
    exs_results *r = s->res;
    for (size_t i = 0; i < r->ncov; i++)
        if (strcmp(r->cov[i].family, family) == 0)
            return &r->cov[i];
    const char *name = xs_arena_strdup(&r->arena, family);
    if (!name || !xs_grow((void **)&r->cov, &s->capcov, r->ncov + 1, sizeof *r->cov))
        return NULL;
    exs_coverage *c = &r->cov[r->ncov++];
    memset(c, 0, sizeof *c);
    c->family = name;
    c->first_ms = EXS_TIME_NONE;
    c->last_ms = EXS_TIME_NONE;
    return c;
}

void xs_scan_cover(exs_scan *s, const xs_ctx *c, bool skipped)
{
    pthread_mutex_lock(&s->mu);
    exs_coverage *cv = cov_get(s, c->family);
    if (cv) {
        if (skipped) {
            cv->files_skipped++;
        } else {
            cv->files_read++;
            cv->bytes += c->bytes;
            cv->lines += c->lines;
            cv->rows_bad += c->rows_bad;
            /* a row time no date can write is no time, as for findings */
            xs_time_span_add(&cv->first_ms, &cv->last_ms, xs_time_or_none(c->first_ms));
            xs_time_span_add(&cv->first_ms, &cv->last_ms, xs_time_or_none(c->last_ms));
        }
    }
    pthread_mutex_unlock(&s->mu);
    if (!cv)
        xs_scan_fail(s, EXS_ENOMEM, "out of memory counting the coverage of %s", c->family);
}

void xs_scan_cover_skip(exs_scan *s, const char *family)
{
    pthread_mutex_lock(&s->mu);
    exs_coverage *cv = cov_get(s, family);
    if (cv)
        cv->files_skipped++;
    pthread_mutex_unlock(&s->mu);
    if (!cv)
        xs_scan_fail(s, EXS_ENOMEM, "out of memory counting the coverage of %s", family);
}

void xs_scan_add_install_root(exs_scan *s, const char *root, size_t n)
{
    char buf[XS_MAX_PATH + 1];
    snprintf(buf, sizeof buf, "%.*s", (int)(n < XS_MAX_PATH ? n : XS_MAX_PATH), root);
    pthread_mutex_lock(&s->mu);
    bool ok = s->res->ninstall >= 64 || xs_results_add_install(s->res, buf);
    pthread_mutex_unlock(&s->mu);
    if (!ok)
        xs_scan_fail(s, EXS_ENOMEM, "out of memory keeping an install root");
}

void xs_scan_add_stats(exs_scan *s, const exs_sweep_stats *w)
{
    pthread_mutex_lock(&s->mu);
    s->stats.files_seen += w->files_seen;
    s->stats.files_read += w->files_read;
    s->stats.files_ignored += w->files_ignored;
    s->stats.bytes_read += w->bytes_read;
    s->stats.archives += w->archives;
    s->stats.candidates += w->candidates;
    s->stats.files_hashed += w->files_hashed;
    s->stats.files_large += w->files_large;
    s->stats.files_skipped_ext += w->files_skipped_ext;
    s->stats.rule_scans += w->rule_scans;
    s->stats.rule_gated += w->rule_gated;
    s->stats.logs_parsed_only += w->logs_parsed_only;
    pthread_mutex_unlock(&s->mu);
}

/* ---------------------------------------------------------------- the end */

/* Each root's state record, from what the sweep observed and the findings it kept. */
static void states(exs_scan *s, exs_results *r)
{
    int64_t (*exploited)[EXS_FAMILIES] = calloc(s->nroots ? s->nroots : 1, sizeof *exploited);
    if (!exploited) {
        xs_scan_fail(s, EXS_ENOMEM, "out of memory assessing the server's state");
        return;
    }
    xs_state_exploited(r->findings, r->nfindings, (uint32_t)s->nroots, exploited);
    for (uint32_t i = 0; i < s->nroots; i++) {
        xs_arena a = {0};
        exs_server srv;
        bool ok = xs_state_assess(s->state, i, exploited[i], &a, &srv) &&
                  xs_results_add_server(r, &srv);
        xs_arena_free(&a);
        if (!ok) {
            xs_scan_fail(s, EXS_ENOMEM, "out of memory assessing the server's state");
            break;
        }
    }
    free(exploited);
}

void xs_scan_results_finish(exs_scan *s)
{
    exs_results *r = s->res;
    /* each root's own addresses: its rows from them leave its client counts */
    for (size_t i = 0; i < s->nserver; i++)
        if (!xs_store_own_address(s->store, s->server_addrs[i].root, s->server_addrs[i].addr)) {
            xs_scan_fail(s, EXS_ENOMEM, "out of memory keeping the server's addresses");
            return;
        }
    size_t over = s->server_over ? xs_strmap_count(s->server_over) : 0;
    if (over)
        xs_warn(s, XS_W_LIMIT, "", 0,
                 "%s%zu server addresses (IIS s-ip) past the %u smallest per root: not told "
                 "apart from clients",
                 over >= s->max_server_over ? "at least " : "", over,
                 (unsigned)XS_MAX_SERVER_ADDRS);
    if (!xs_store_finish(s->store, r)) {
        xs_scan_fail(s, EXS_ENOMEM, "out of memory gathering the findings");
        return;
    }
    uint64_t lost = xs_store_always_dropped(s->store);
    if (lost)
        xs_warn(s, XS_W_LIMIT, "", 0,
                 "%llu exploitation and backdoor findings past %llu counted, not kept",
                 (unsigned long long)lost, (unsigned long long)XS_MAX_KEPT_ALWAYS);
    /* user rules live in the scan's rule sets: the results get copies (the built-in table
     * and the shipped rules live as long as the process) */
    xs_strmap *own = xs_strmap_create();
    for (size_t i = 0; own && i < r->nfindings; i++) {
        const exs_rule *rule = r->findings[i].rule;
        if (!xs_files_user_rule(s->files, rule) && !xs_sigrules_holds(s->sigma, rule))
            continue;
        const exs_rule *x = xs_strmap_get(own, rule->id);
        if (!x && (!(x = xs_results_own_rule(r, rule)) ||
                   !xs_strmap_put(own, rule->id, (void *)x, NULL))) {
            xs_strmap_destroy(own);
            own = NULL;
            break;
        }
        r->findings[i].rule = x;
    }
    if (!own) {
        xs_scan_fail(s, EXS_ENOMEM, "out of memory copying the rules of the findings");
        return;
    }
    xs_strmap_destroy(own);
    uint64_t seen_findings = r->stats.findings, dropped = r->stats.findings_dropped,
             keys = r->stats.counts_dropped, own_n = r->stats.own_findings,
             own_addrs = r->stats.own_addresses, verdicts[EXS_VERDICT__MAX + 1];
    memcpy(verdicts, r->stats.verdicts, sizeof verdicts);
    r->stats = s->stats;
    r->stats.findings = seen_findings;
    r->stats.findings_dropped = dropped;
    r->stats.counts_dropped = keys;
    r->stats.own_findings = own_n;
    r->stats.own_addresses = own_addrs;
    memcpy(r->stats.verdicts, verdicts, sizeof verdicts);
    if (s->state && xs_state_dropped(s->state)) /* before the warning counts are taken */
        xs_warn(s, XS_W_LIMIT, "", 0,
                 "%llu observations of the servers' state past %u distinct per root: the "
                 "smallest are kept", (unsigned long long)xs_state_dropped(s->state),
                 (unsigned)XS_MAX_STATE_OBS);
    size_t nk = 0;
    for (int k = 0; k < XS_W__COUNT; k++)
        nk += s->wcounts[k].count != 0;
    free(r->wcounts);
    r->wcounts = calloc(nk ? nk : 1, sizeof *r->wcounts);
    r->nwcounts = 0;
    for (int k = 0; r->wcounts && k < XS_W__COUNT; k++)
        if (s->wcounts[k].count)
            r->wcounts[r->nwcounts++] =
                (exs_warning_count){xs_warn_kind_name((xs_warn_kind)k), s->wcounts[k].count};
    r->sweep.unread = s->unread;
    for (size_t i = 0; i < s->nserver; i++)
        if (!xs_results_add_server_address(r, s->server_addrs[i].addr)) {
            xs_scan_fail(s, EXS_ENOMEM, "out of memory keeping the server's addresses");
            return;
        }
    bool moved = xs_warnkeep_move(s->warnkeep, r, &s->capwarnings);
    xs_warnkeep_destroy(s->warnkeep); /* the results hold the examples from now on */
    s->warnkeep = NULL;
    if (!moved)
        xs_scan_fail(s, EXS_ENOMEM, "out of memory keeping the warnings");
    else if (!r->wcounts || !xs_results_sort(r))
        xs_scan_fail(s, EXS_ENOMEM, "out of memory sorting the results");
    else
        states(s, r);
}

void xs_scan_results_free(exs_scan *s)
{
    for (size_t i = 0; i < s->naccess; i++) {
        free(s->access[i].ip);
        free(s->access[i].path);
        free(s->access[i].norm);
        free(s->access[i].method);
    }
    free(s->access);
    s->access = NULL;
    for (size_t i = 0; i < s->nserver; i++)
        free(s->server_addrs[i].addr);
    free(s->server_addrs);
    s->server_addrs = NULL;
    xs_strmap_destroy(s->server_over);
    s->server_over = NULL;
    xs_state_free(s->state);
    s->state = NULL;
    s->nserver = s->capserver = 0;
    s->naccess = 0;
    xs_arena_free(&s->pool);
    xs_store_destroy(s->store);
    s->store = NULL;
    xs_warnkeep_destroy(s->warnkeep);
    s->warnkeep = NULL;
    exs_results_destroy(s->res);
    s->res = NULL;
}
