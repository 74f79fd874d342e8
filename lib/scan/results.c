/* The result stores of a scan: findings, warnings, coverage, access events. All writers are
 * thread-safe (one mutex; findings are rare, so contention is too). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/grow.h"
#include "core/limits.h"
#include "scan/scan_int.h"

const char *exs_warn_kind_name(exs_warn_kind k)
{
    static const char *const names[EXS_W__COUNT] = {
        [EXS_W_UNREADABLE] = "unreadable",   [EXS_W_NOT_REGULAR] = "not-regular",
        [EXS_W_SYMLINK] = "symlink",         [EXS_W_PATH] = "path-too-long",
        [EXS_W_DEPTH] = "too-deep",          [EXS_W_LINE_TOO_LONG] = "line-too-long",
        [EXS_W_BAD_ROW] = "bad-row",         [EXS_W_BINARY] = "binary",
        [EXS_W_ARCHIVE] = "archive",         [EXS_W_LIMIT] = "limit",
        [EXS_W_UTF8] = "invalid-utf8",       [EXS_W_SCHEMA] = "schema",
        [EXS_W_EVTX] = "evtx",
    };
    return (k >= 0 && k < EXS_W__COUNT && names[k]) ? names[k] : "other";
}

void exs_warn(exs_scan *s, exs_warn_kind k, const char *file, uint64_t line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&s->mu);
    s->wcounts[k].count++;
    if (s->nwarnings < EXS_MAX_WARNING_EXAMPLES &&
        exs_grow((void **)&s->warnings, &s->capwarnings, s->nwarnings + 1, sizeof *s->warnings)) {
        size_t fl = file ? strlen(file) : 0, ml = strlen(msg);
        char *blk = malloc(fl + ml + 2);
        if (blk) {
            memcpy(blk, file ? file : "", fl);
            blk[fl] = 0;
            memcpy(blk + fl + 1, msg, ml + 1);
            exs_warning *w = &s->warnings[s->nwarnings++];
            w->kind = exs_warn_kind_name(k);
            w->file = blk;
            w->line = line;
            w->message = blk + fl + 1;
        }
    }
    pthread_mutex_unlock(&s->mu);
}

void exs_scan_fail(exs_scan *s, exs_rc rc, const char *fmt, ...)
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

bool exs_scan_failed(exs_scan *s)
{
    pthread_mutex_lock(&s->mu);
    bool f = s->failed != EXS_OK;
    pthread_mutex_unlock(&s->mu);
    return f;
}

/* Copies the spans of a hit into one allocation, each capped and NUL-terminated. The file
 * name is always present and comes first: f->file is the block to free. */
enum { F_FILE, F_IP, F_UA, F_METHOD, F_PATH, F_QUERY, F_USER, F_HOST, F_TARGET, F_DETAIL,
       F_EVIDENCE, F_SHA256, F__N };

void exs_emit(exs_ctx *c, const exs_hit *h)
{
    exs_scan *s = c->scan;
    exs_str src[F__N] = {exs_str_cstr(c->file), h->ip, h->ua, h->method, h->path, h->query,
                         h->user, h->host, h->target, h->detail, h->evidence, h->sha256};
    size_t caps[F__N];
    size_t total = 0;
    bool bad_utf8 = false;
    for (int i = 0; i < F__N; i++) {
        size_t cap = i == F_EVIDENCE ? EXS_MAX_EVIDENCE : EXS_MAX_FINDING_FIELD;
        if (i == F_FILE)
            cap = EXS_MAX_PATH;
        if (src[i].n && src[i].p && (i == F_IP || i == F_UA || i == F_USER || i == F_HOST) &&
            src[i].n == 1 && src[i].p[0] == '-')
            src[i].n = 0; /* the IIS empty placeholder */
        caps[i] = src[i].p ? (src[i].n < cap ? src[i].n : cap) : 0;
        if (caps[i] && !exs_utf8_valid(src[i].p, caps[i]))
            bad_utf8 = true;
        total += caps[i] + 1;
    }
    char *blk = malloc(total);
    if (!blk) {
        exs_scan_fail(s, EXS_ENOMEM, "out of memory keeping a finding of %s", c->file);
        return;
    }
    const char *out[F__N];
    char *p = blk;
    for (int i = 0; i < F__N; i++) {
        if (!src[i].p || (caps[i] == 0 && i != F_FILE)) {
            out[i] = NULL;
            continue;
        }
        memcpy(p, src[i].p, caps[i]);
        p[caps[i]] = 0;
        out[i] = p;
        p += caps[i] + 1;
    }
    exs_finding f = {
        .rule = h->rule, .verdict = h->verdict, .severity = h->severity, .time_ms = h->time_ms,
        .source = c->source, .file = out[F_FILE], .line = h->line, .http_status = h->status,
        .client_ip = out[F_IP], .user_agent = out[F_UA], .method = out[F_METHOD],
        .url_path = out[F_PATH], .url_query = out[F_QUERY], .user = out[F_USER],
        .host = out[F_HOST], .target = out[F_TARGET], .detail = out[F_DETAIL],
        .evidence = out[F_EVIDENCE], .sha256 = out[F_SHA256],
        .file_size = h->has_size ? h->file_size : -1,
    };
    if (bad_utf8)
        exs_warn(s, EXS_W_UTF8, c->file, h->line, "invalid UTF-8 in the evidence (escaped in output)");
    size_t max = s->opts.max_findings ? s->opts.max_findings : EXS_MAX_FINDINGS;
    pthread_mutex_lock(&s->mu);
    s->stats.findings++;
    if (f.verdict >= EXS_VERDICT_PROBE && f.verdict <= EXS_VERDICT_EXPLOITATION)
        s->stats.verdicts[f.verdict]++;
    bool lost = false;
    if (s->nfindings >= max) {
        s->stats.findings_dropped++;
    } else if (exs_grow((void **)&s->findings, &s->capfindings, s->nfindings + 1,
                        sizeof *s->findings)) {
        s->findings[s->nfindings++] = f;
        blk = NULL;
    } else {
        lost = true;
    }
    pthread_mutex_unlock(&s->mu);
    free(blk);
    if (lost)
        exs_scan_fail(s, EXS_ENOMEM, "out of memory keeping a finding of %s", c->file);
}

const char *exs_scan_intern(exs_scan *s, const char *str)
{
    size_t n = strlen(str) + 1;
    const char *r = NULL;
    pthread_mutex_lock(&s->mu);
    exs_pool_block *b = s->pool;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        exs_pool_block *nb = malloc(sizeof *nb + cap);
        if (nb) {
            nb->next = s->pool;
            nb->used = 0;
            nb->cap = cap;
            s->pool = b = nb;
        } else {
            b = NULL;
        }
    }
    if (b) {
        memcpy(b->data + b->used, str, n);
        r = b->data + b->used;
        b->used += n;
    }
    pthread_mutex_unlock(&s->mu);
    return r;
}

static char *dup_span(exs_str v, size_t cap)
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

void exs_access_add(exs_ctx *c, int64_t time_ms, exs_str ip, exs_str path, const char *norm,
                    exs_str method, int status, uint64_t line, bool nondefault)
{
    exs_scan *s = c->scan;
    if (!c->file_interned)
        c->file_interned = exs_scan_intern(s, c->file);
    exs_access a = {time_ms,
                    status,
                    line,
                    c->file_interned,
                    c->source,
                    dup_span(exs_str_blank(ip) ? EXS_STR_NULL : ip, 64),
                    dup_span(path, 512),
                    dup_span(exs_str_cstr(norm), 512),
                    dup_span(method, 16),
                    nondefault};
    if (a.file && a.ip && a.path && a.norm && a.method) {
        pthread_mutex_lock(&s->mu);
        if (s->naccess_kind[nondefault] >= s->max_access) {
            s->access_dropped++;
        } else if (exs_grow((void **)&s->access, &s->capaccess, s->naccess + 1,
                            sizeof *s->access)) {
            s->access[s->naccess++] = a;
            s->naccess_kind[nondefault]++;
            a.ip = a.path = a.norm = a.method = NULL;
        }
        pthread_mutex_unlock(&s->mu);
    }
    free(a.ip);
    free(a.path);
    free(a.norm);
    free(a.method);
}

static exs_coverage *cov_get(exs_scan *s, const char *family)
{
    for (size_t i = 0; i < s->ncov; i++)
        if (strcmp(s->cov[i].family, family) == 0)
            return &s->cov[i];
    if (!exs_grow((void **)&s->cov, &s->capcov, s->ncov + 1, sizeof *s->cov))
        return NULL;
    char *name = strdup(family);
    if (!name)
        return NULL;
    exs_coverage *c = &s->cov[s->ncov++];
    memset(c, 0, sizeof *c);
    c->family = name;
    c->first_ms = EXS_TIME_NONE;
    c->last_ms = EXS_TIME_NONE;
    return c;
}

void exs_scan_cover(exs_scan *s, const exs_ctx *c, bool skipped)
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
            if (c->first_ms != EXS_TIME_NONE &&
                (cv->first_ms == EXS_TIME_NONE || c->first_ms < cv->first_ms))
                cv->first_ms = c->first_ms;
            if (c->last_ms != EXS_TIME_NONE &&
                (cv->last_ms == EXS_TIME_NONE || c->last_ms > cv->last_ms))
                cv->last_ms = c->last_ms;
        }
    }
    pthread_mutex_unlock(&s->mu);
}

void exs_scan_cover_skip(exs_scan *s, const char *family)
{
    pthread_mutex_lock(&s->mu);
    exs_coverage *cv = cov_get(s, family);
    if (cv)
        cv->files_skipped++;
    pthread_mutex_unlock(&s->mu);
}

void exs_scan_add_install_root(exs_scan *s, const char *root, size_t n)
{
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->ninstall; i++)
        if (strlen(s->install_roots[i]) == n && memcmp(s->install_roots[i], root, n) == 0)
            goto out;
    if (s->ninstall < 64 &&
        exs_grow((void **)&s->install_roots, &s->capinstall, s->ninstall + 1, sizeof(char *))) {
        char *p = strndup(root, n);
        if (p)
            s->install_roots[s->ninstall++] = p;
    }
out:
    pthread_mutex_unlock(&s->mu);
}

void exs_scan_add_stats(exs_scan *s, const exs_scan_stats *w)
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

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
    const exs_finding *a = pa, *b = pb;
    if (a->time_ms != b->time_ms) {
        /* unknown times last */
        if (a->time_ms == EXS_TIME_NONE)
            return 1;
        if (b->time_ms == EXS_TIME_NONE)
            return -1;
        return a->time_ms < b->time_ms ? -1 : 1;
    }
    int r = cmp_str(a->file, b->file);
    if (r)
        return r;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return strcmp(a->rule->id, b->rule->id);
}

static int cmp_cov(const void *pa, const void *pb)
{
    return strcmp(((const exs_coverage *)pa)->family, ((const exs_coverage *)pb)->family);
}

static int cmp_warning(const void *pa, const void *pb)
{
    const exs_warning *a = pa, *b = pb;
    int r = strcmp(a->file, b->file);
    if (r)
        return r;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return strcmp(a->message, b->message);
}

void exs_scan_results_finish(exs_scan *s)
{
    /* qsort's base must not be NULL even for zero elements (UBSan): empty stores are. */
    if (s->nfindings)
        qsort(s->findings, s->nfindings, sizeof *s->findings, cmp_finding);
    if (s->ncov)
        qsort(s->cov, s->ncov, sizeof *s->cov, cmp_cov);
    if (s->nwarnings)
        qsort(s->warnings, s->nwarnings, sizeof *s->warnings, cmp_warning);
    for (int k = 0; k < EXS_W__COUNT; k++)
        s->wcounts[k].kind = exs_warn_kind_name((exs_warn_kind)k);
}

void exs_scan_results_free(exs_scan *s)
{
    for (size_t i = 0; i < s->nfindings; i++)
        free((void *)s->findings[i].file);
    free(s->findings);
    for (size_t i = 0; i < s->nwarnings; i++)
        free((void *)s->warnings[i].file);
    free(s->warnings);
    for (size_t i = 0; i < s->ncov; i++)
        free((void *)s->cov[i].family);
    free(s->cov);
    for (size_t i = 0; i < s->ninstall; i++)
        free(s->install_roots[i]);
    free(s->install_roots);
    for (size_t i = 0; i < s->naccess; i++) {
        free(s->access[i].ip);
        free(s->access[i].path);
        free(s->access[i].norm);
        free(s->access[i].method);
    }
    free(s->access);
    while (s->pool) {
        exs_pool_block *n = s->pool->next;
        free(s->pool);
        s->pool = n;
    }
}
