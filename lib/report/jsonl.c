/* JSON lines, ECS 9.4: one record per line, told apart by exsweep.record (and event.kind):
 *
 *   sweep     the sweep itself: version, roots and labels, options, times, status, stats,
 *             warning counts (event.kind event)
 *   server    one per root: the server's own state, build and per-family verdicts
 *             (event.kind state; service.version the build, vulnerability.id the open CVEs)
 *   finding   one per kept finding (event.kind alert)
 *   count     exact counts per rule, family, client, host (event.kind metric)
 *   coverage  per log family (event.kind metric)
 *   warning   each kept warning example (event.kind pipeline_error)
 *
 * ECS fields carry what ECS has a field for; the rest lies under exsweep.*, and together they
 * hold every field of the finding model, so exs_results_read_jsonl rebuilds the results
 * (lib/results/read.c reads exactly what this file writes).
 */
#include <arpa/inet.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/grow.h"
#include "core/limits.h"
#include "core/timeparse.h"
#include "report/render.h"
#include "report/report_int.h"

/* ---------------------------------------------------------------- a small JSON emitter */

#define JW_DEPTH 16

/* A string that is not valid UTF-8: JSON carries it with U+FFFD, and exsweep.raw carries its
 * bytes (base64), so that a saved sweep reads back byte for byte. A record notes as many as it
 * has (a finding can have over a hundred strings, a sweep record one per root): none is left
 * out, and no room for one fails the report with EXS_ENOMEM. */
typedef struct jw_rawv {
    char path[160];
    unsigned n; /* its index in the innermost array, 0 outside arrays */
    const char *v;
    size_t len;
} jw_rawv;

typedef struct jw {
    FILE *f;
    int depth;
    bool first[JW_DEPTH];
    const char *keys[JW_DEPTH]; /* the key each open level was opened under */
    bool array[JW_DEPTH];
    unsigned items[JW_DEPTH];   /* elements written so far in an array level */
    jw_rawv *raw;               /* owned; freed by jw_end */
    size_t nraw, capraw;
    bool oom;                   /* a raw entry could not be kept: the report fails */
} jw;

static void jw_sep(jw *w)
{
    if (!w->first[w->depth])
        fputc(',', w->f);
    w->first[w->depth] = false;
}

static void jw_key(jw *w, const char *k)
{
    jw_sep(w);
    if (k)
        fprintf(w->f, "\"%s\":", k); /* keys are the writer's own names */
}

static void jw_open(jw *w, const char *k, char c)
{
    if (!k && w->array[w->depth])
        w->items[w->depth]++;
    jw_key(w, k);
    fputc(c, w->f);
    if (w->depth + 1 < JW_DEPTH)
        w->depth++;
    w->first[w->depth] = true;
    w->keys[w->depth] = k;
    w->array[w->depth] = c == '[';
    w->items[w->depth] = 0;
}

/* Notes value under key k at the current level when it is not valid UTF-8. */
static void jw_note_raw(jw *w, const char *k, const char *v, size_t n)
{
    if (xs_utf8_valid(v, n))
        return;
    if (!xs_grow((void **)&w->raw, &w->capraw, w->nraw + 1, sizeof *w->raw)) {
        w->oom = true;
        return;
    }
    jw_rawv *x = &w->raw[w->nraw++];
    size_t o = 0;
    x->path[0] = 0;
    for (int d = 1; d <= w->depth; d++)
        if (w->keys[d])
            xs_appendf(x->path, sizeof x->path, &o, "%s%s", o ? "." : "", w->keys[d]);
    if (k)
        xs_appendf(x->path, sizeof x->path, &o, "%s%s", o ? "." : "", k);
    x->n = 0;
    for (int d = w->depth; d >= 1; d--)
        if (w->array[d]) {
            x->n = w->items[d] ? w->items[d] - 1 : 0;
            break;
        }
    x->v = v;
    x->len = n;
}

static void jw_close(jw *w, char c)
{
    fputc(c, w->f);
    if (w->depth > 0)
        w->depth--;
}

static void jw_strn(jw *w, const char *k, const char *v, size_t n)
{
    if (!k && w->array[w->depth])
        w->items[w->depth]++;
    jw_key(w, k);
    fputc('"', w->f);
    xs_esc_json(w->f, v, n);
    fputc('"', w->f);
    jw_note_raw(w, k, v, n);
}

static void jw_str(jw *w, const char *k, const char *v)
{
    if (v)
        jw_strn(w, k, v, strlen(v));
}

/* exsweep.raw: the exact bytes of the strings above that were not valid UTF-8. Written last
 * in the exsweep object. */
static void jw_raw_flush(jw *w)
{
    if (!w->nraw)
        return;
    size_t nraw = w->nraw;
    w->nraw = 0; /* the entries below are valid UTF-8 */
    jw_open(w, "raw", '[');
    for (size_t i = 0; i < nraw; i++) {
        const jw_rawv *x = &w->raw[i];
        jw_open(w, NULL, '{');
        jw_str(w, "field", x->path);
        jw_key(w, "n");
        fprintf(w->f, "%u", x->n);
        jw_key(w, "b64");
        fputc('"', w->f);
        unsigned char enc[4 * 48 + 4];
        for (size_t at = 0; at < x->len; at += 144) { /* 144 bytes: 192 base64 characters */
            size_t k = x->len - at < 144 ? x->len - at : 144;
            int m = EVP_EncodeBlock(enc, (const unsigned char *)x->v + at, (int)k);
            fwrite(enc, 1, (size_t)(m > 0 ? m : 0), w->f);
        }
        fputc('"', w->f);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static void jw_i64(jw *w, const char *k, int64_t v)
{
    jw_key(w, k);
    fprintf(w->f, "%" PRId64, v);
}

static void jw_u64(jw *w, const char *k, uint64_t v)
{
    jw_key(w, k);
    fprintf(w->f, "%" PRIu64, v);
}

static void jw_bool(jw *w, const char *k, bool v)
{
    jw_key(w, k);
    fputs(v ? "true" : "false", w->f);
}

/* A time as an ECS date; none (the key left out) when it has no date: never "-". */
static void jw_time(jw *w, const char *k, int64_t ms)
{
    if (!xs_time_formattable(ms))
        return;
    char t[32];
    xs_time_format(ms, t);
    jw_str(w, k, t);
}

/* A comma-separated list as an array of strings. */
static void jw_list(jw *w, const char *k, const char *csv)
{
    jw_open(w, k, '[');
    for (const char *p = csv; p && *p;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        if (n)
            jw_strn(w, NULL, p, n);
        p = c ? c + 1 : p + n;
    }
    jw_close(w, ']');
}

static void jw_begin(jw *w, FILE *f, const exs_results *r)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->first[0] = true;
    fputc('{', f);
    w->depth = 0;
    (void)r;
}

/* Ends the record and frees its notes: EXS_ENOMEM when a raw entry could not be kept (the
 * record would not read back as it is), else EXS_OK. */
static exs_rc jw_end(jw *w)
{
    fputs("}\n", w->f);
    free(w->raw);
    w->raw = NULL;
    w->nraw = w->capraw = 0;
    return w->oom ? EXS_ENOMEM : EXS_OK;
}

/* ---------------------------------------------------------------- common parts */

/* @timestamp is required and a date: a record without a time of its own (a finding whose time
 * is unknown, the metrics) takes the sweep's start, and one of a sweep without a start the
 * epoch. */
static void ecs_head(jw *w, int64_t ts, const exs_results *r)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    jw_time(w, "@timestamp", xs_time_formattable(ts)            ? ts
                             : xs_time_formattable(sw->start_ms) ? sw->start_ms
                                                                  : 0);
    jw_open(w, "ecs", '{');
    jw_str(w, "version", XS_ECS_VERSION);
    jw_close(w, '}');
}

static void observer(jw *w, const exs_results *r)
{
    jw_open(w, "observer", '{');
    jw_str(w, "vendor", "exsweep");
    jw_str(w, "product", "exsweep");
    jw_str(w, "type", "scanner");
    jw_str(w, "version", exs_results_sweep(r)->version);
    jw_close(w, '}');
}

static void event_meta(jw *w, const char *kind, const char *dataset)
{
    jw_str(w, "kind", kind);
    jw_str(w, "module", "exsweep");
    jw_str(w, "dataset", dataset);
}

static bool is_ip(const char *s)
{
    unsigned char buf[16];
    return s && (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1);
}

/* "DOMAIN\user" and "user@domain" split for user.name/user.domain. */
static void user_fields(jw *w, const char *key, const char *u)
{
    if (!u || !*u)
        return;
    const char *bs = strchr(u, '\\'), *at = strrchr(u, '@');
    jw_open(w, key, '{');
    if (bs && bs[1]) {
        jw_str(w, "name", bs + 1);
        jw_strn(w, "domain", u, (size_t)(bs - u));
    } else if (at && at != u && at[1]) {
        jw_strn(w, "name", u, (size_t)(at - u));
        jw_str(w, "domain", at + 1);
    } else {
        jw_str(w, "name", u);
    }
    jw_close(w, '}');
}

/* ---------------------------------------------------------------- sweep */

static const char *const verdict_keys[] = {"", "probe", "attempt", "suspicious", "exploitation"};

/* ---------------------------------------------------------------- the servers' state */

static void server_families(jw *w, const exs_server *sv)
{
    jw_open(w, "families", '[');
    for (int i = 0; i < EXS_FAMILIES; i++) {
        const exs_family_state *fs = &sv->families[i];
        jw_open(w, NULL, '{');
        jw_str(w, "family", fs->family);
        jw_str(w, "state", exs_exposure_name(fs->state));
        jw_str(w, "cves", fs->cves);
        jw_str(w, "open_cves", fs->open_cves);
        jw_str(w, "reason", fs->reason);
        jw_str(w, "sources", fs->sources);
        jw_str(w, "fixed_by", fs->fixed_by);
        jw_time(w, "fixed", fs->fixed_ms);
        jw_time(w, "exploited", fs->exploited_ms);
        jw_i64(w, "exposed_ms", fs->exposed_ms);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static void server_lists(jw *w, const exs_server *sv)
{
    jw_open(w, "sources", '[');
    for (size_t i = 0; i < sv->nsources; i++) {
        const exs_build_source *b = &sv->sources[i];
        jw_open(w, NULL, '{');
        jw_str(w, "source", b->source);
        jw_str(w, "build", b->build);
        jw_str(w, "file", b->file);
        jw_u64(w, "line", b->line);
        jw_u64(w, "files", b->files);
        jw_time(w, "first", b->first_ms);
        jw_time(w, "last", b->last_ms);
        jw_str(w, "detail", b->detail);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_open(w, "periods", '[');
    for (size_t i = 0; i < sv->nperiods; i++) {
        jw_open(w, NULL, '{');
        jw_str(w, "build", sv->periods[i].build);
        jw_time(w, "from", sv->periods[i].from_ms);
        jw_time(w, "to", sv->periods[i].to_ms);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_open(w, "notes", '[');
    for (size_t i = 0; i < sv->nnotes; i++) {
        const exs_state_note *n = &sv->notes[i];
        jw_open(w, NULL, '{');
        jw_str(w, "kind", n->kind);
        jw_str(w, "family", n->family);
        jw_str(w, "what", n->what);
        jw_str(w, "build", n->build);
        jw_str(w, "file", n->file);
        jw_u64(w, "line", n->line);
        jw_time(w, "time", n->time_ms);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

/* One state record per server: what ECS has fields for (service.*, vulnerability.id), the
 * rest under exsweep.server. */
static exs_rc jsonl_servers(FILE *f, const exs_results *r)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    size_t n;
    const exs_server *sv = exs_results_servers(r, &n);
    for (size_t i = 0; i < n; i++) {
        jw w;
        jw_begin(&w, f, r);
        ecs_head(&w, sw->start_ms, r);
        jw_str(&w, "message", "exsweep server state");
        jw_open(&w, "event", '{');
        event_meta(&w, "state", "exsweep.server");
        jw_close(&w, '}');
        observer(&w, r);
        jw_open(&w, "service", '{');
        jw_str(&w, "name", "Microsoft Exchange Server");
        jw_str(&w, "type", "exchange");
        if (*sv[i].build)
            jw_str(&w, "version", sv[i].build);
        jw_close(&w, '}');
        /* vulnerability.id is one value in ECS: the first CVE still open; all of them are
         * in exsweep.server.open_cves */
        const char *first = NULL;
        for (int k = 0; k < EXS_FAMILIES && !first; k++)
            if (*sv[i].families[k].open_cves)
                first = sv[i].families[k].open_cves;
        if (first) {
            jw_open(&w, "vulnerability", '{');
            const char *c = strchr(first, ',');
            jw_strn(&w, "id", first, c ? (size_t)(c - first) : strlen(first));
            jw_str(&w, "enumeration", "CVE");
            jw_close(&w, '}');
        }
        jw_open(&w, "exsweep", '{');
        jw_str(&w, "record", "server");
        jw_u64(&w, "root", sv[i].root);
        if (sv[i].root < sw->nroots)
            jw_str(&w, "label", sw->roots[sv[i].root].label);
        jw_open(&w, "server", '{');
        jw_str(&w, "build", sv[i].build);
        jw_str(&w, "product", sv[i].product);
        jw_str(&w, "cu", sv[i].cu);
        jw_str(&w, "update", sv[i].update);
        jw_str(&w, "build_source", sv[i].build_source);
        jw_str(&w, "why_unknown", sv[i].why_unknown);
        char open[512] = "";
        for (int k = 0; k < EXS_FAMILIES; k++)
            if (*sv[i].families[k].open_cves) {
                size_t l = strlen(open);
                snprintf(open + l, sizeof open - l, "%s%s", l ? "," : "",
                         sv[i].families[k].open_cves);
            }
        jw_list(&w, "open_cves", open);
        server_families(&w, &sv[i]);
        server_lists(&w, &sv[i]);
        jw_close(&w, '}');
        jw_raw_flush(&w);
        jw_close(&w, '}');
        if (jw_end(&w) != EXS_OK)
            return EXS_ENOMEM;
    }
    return EXS_OK;
}

static exs_rc jsonl_begin(FILE *f, const exs_results *r, const exs_report_opts *o)
{
    (void)o;
    const exs_sweep_info *sw = exs_results_sweep(r);
    const exs_sweep_stats *st = exs_results_stats(r);
    jw w;
    jw_begin(&w, f, r);
    ecs_head(&w, sw->start_ms, r);
    jw_str(&w, "message", "exsweep sweep");
    jw_open(&w, "event", '{');
    event_meta(&w, "event", "exsweep.sweep");
    jw_open(&w, "category", '[');
    jw_str(&w, NULL, "process");
    jw_close(&w, ']');
    jw_open(&w, "type", '[');
    jw_str(&w, NULL, "info");
    jw_close(&w, ']');
    jw_str(&w, "action", "sweep");
    jw_time(&w, "start", sw->start_ms);
    jw_time(&w, "end", sw->end_ms);
    if (sw->start_ms != EXS_TIME_NONE && sw->end_ms != EXS_TIME_NONE &&
        sw->end_ms >= sw->start_ms && sw->end_ms - sw->start_ms < INT64_MAX / 1000000)
        jw_i64(&w, "duration", (sw->end_ms - sw->start_ms) * 1000000);
    jw_str(&w, "outcome", sw->status == EXS_OK ? "success" : "failure");
    jw_close(&w, '}');
    observer(&w, r);
    jw_open(&w, "exsweep", '{');
    jw_str(&w, "record", "sweep");
    jw_str(&w, "version", sw->version);
    jw_open(&w, "roots", '[');
    for (size_t i = 0; i < sw->nroots; i++) {
        jw_open(&w, NULL, '{');
        jw_str(&w, "path", sw->roots[i].path);
        jw_str(&w, "label", sw->roots[i].label);
        jw_close(&w, '}');
    }
    jw_close(&w, ']');
    jw_open(&w, "options", '[');
    for (size_t i = 0; i < sw->noptions; i++)
        jw_str(&w, NULL, sw->options[i]);
    jw_close(&w, ']');
    jw_i64(&w, "status", (int64_t)sw->status);
    jw_str(&w, "error", sw->error);
    jw_u64(&w, "unread", sw->unread);
    jw_bool(&w, "incomplete", exs_results_incomplete(r));
    exs_verdict v = exs_results_verdict(r);
    jw_str(&w, "verdict", v ? exs_verdict_name(v) : "none");
    jw_open(&w, "stats", '{');
    jw_u64(&w, "files_seen", st->files_seen);
    jw_u64(&w, "files_read", st->files_read);
    jw_u64(&w, "files_ignored", st->files_ignored);
    jw_u64(&w, "bytes_read", st->bytes_read);
    jw_u64(&w, "archives", st->archives);
    jw_u64(&w, "candidates", st->candidates);
    jw_u64(&w, "findings", st->findings);
    jw_u64(&w, "findings_dropped", st->findings_dropped);
    jw_open(&w, "verdicts", '{');
    for (int k = EXS_VERDICT_PROBE; k <= EXS_VERDICT__MAX; k++)
        jw_u64(&w, verdict_keys[k], st->verdicts[k]);
    jw_close(&w, '}');
    jw_u64(&w, "files_hashed", st->files_hashed);
    jw_u64(&w, "files_large", st->files_large);
    jw_u64(&w, "files_skipped_ext", st->files_skipped_ext);
    jw_u64(&w, "logs_parsed_only", st->logs_parsed_only);
    jw_u64(&w, "rule_scans", st->rule_scans);
    jw_u64(&w, "rule_gated", st->rule_gated);
    jw_u64(&w, "counts_dropped", st->counts_dropped);
    jw_u64(&w, "own_findings", st->own_findings);
    jw_u64(&w, "own_addresses", st->own_addresses);
    jw_u64(&w, "jobs", st->jobs);
    /* every bit of the value (17 significant digits read back to the same double): the text
     * summary rounds it for people, from the sweep and from its saved lines alike */
    jw_key(&w, "seconds");
    fprintf(f, "%.17g", isfinite(st->seconds) && st->seconds >= 0 ? st->seconds : 0.0);
    jw_close(&w, '}');
    size_t n;
    const char *const *inst = exs_results_install_roots(r, &n);
    jw_open(&w, "install_roots", '[');
    for (size_t i = 0; i < n; i++)
        jw_str(&w, NULL, inst[i]);
    jw_close(&w, ']');
    const char *const *srv = exs_results_server_addresses(r, &n);
    jw_open(&w, "server_addresses", '[');
    for (size_t i = 0; i < n; i++)
        jw_str(&w, NULL, srv[i]);
    jw_close(&w, ']');
    const exs_warning_count *wc = exs_results_warning_counts(r, &n);
    jw_open(&w, "warnings", '[');
    for (size_t i = 0; i < n; i++) {
        jw_open(&w, NULL, '{');
        jw_str(&w, "kind", wc[i].kind);
        jw_u64(&w, "count", wc[i].count);
        jw_close(&w, '}');
    }
    jw_close(&w, ']');
    jw_raw_flush(&w);
    jw_close(&w, '}');
    exs_rc rc = jw_end(&w);
    return rc != EXS_OK ? rc : jsonl_servers(f, r);
}

/* ---------------------------------------------------------------- findings */

static void techniques(jw *w, const char *list)
{
    if (!list || !*list)
        return;
    char ids[8][16], subs[8][16];
    size_t ni = 0, ns = 0;
    for (const char *p = list; *p && ni < 8;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        if (n && n < 16) {
            char t[16];
            memcpy(t, p, n);
            t[n] = 0;
            const char *dot = strchr(t, '.');
            size_t pn = dot ? (size_t)(dot - t) : n;
            bool have = false;
            for (size_t i = 0; i < ni; i++)
                have |= strncmp(ids[i], t, pn) == 0 && ids[i][pn] == 0;
            if (!have) {
                memcpy(ids[ni], t, pn);
                ids[ni++][pn] = 0;
            }
            if (dot && ns < 8)
                memcpy(subs[ns++], t, n + 1);
        }
        p = c ? c + 1 : p + n;
    }
    jw_open(w, "threat", '{');
    jw_str(w, "framework", "MITRE ATT&CK");
    jw_open(w, "technique", '{');
    jw_open(w, "id", '[');
    for (size_t i = 0; i < ni; i++)
        jw_str(w, NULL, ids[i]);
    jw_close(w, ']');
    jw_open(w, "name", '[');
    for (size_t i = 0; i < ni; i++)
        jw_str(w, NULL, exs_technique_name(ids[i]) ? exs_technique_name(ids[i]) : ids[i]);
    jw_close(w, ']');
    if (ns) {
        jw_open(w, "subtechnique", '{');
        jw_open(w, "id", '[');
        for (size_t i = 0; i < ns; i++)
            jw_str(w, NULL, subs[i]);
        jw_close(w, ']');
        jw_open(w, "name", '[');
        for (size_t i = 0; i < ns; i++) {
            const char *nm = exs_technique_name(subs[i]);
            const char *colon = nm ? strstr(nm, ": ") : NULL;
            jw_str(w, NULL, colon ? colon + 2 : nm ? nm : subs[i]);
        }
        jw_close(w, ']');
        jw_close(w, '}');
    }
    jw_close(w, '}');
    jw_close(w, '}');
}

/* related.*: each value once. */
typedef struct uniq {
    const char *v[8];
    size_t n;
} uniq;

static void uniq_add(uniq *u, const char *s)
{
    if (!s || !*s || u->n == 8)
        return;
    for (size_t i = 0; i < u->n; i++)
        if (strcmp(u->v[i], s) == 0)
            return;
    u->v[u->n++] = s;
}

static void uniq_write(jw *w, const char *k, const uniq *u)
{
    if (!u->n)
        return;
    jw_open(w, k, '[');
    for (size_t i = 0; i < u->n; i++)
        jw_str(w, NULL, u->v[i]);
    jw_close(w, ']');
}

/* The name part of a user as user_fields writes it, for related.user. */
static const char *user_name_of(const char *u, char *buf, size_t cap)
{
    if (!u || !*u)
        return NULL;
    const char *bs = strchr(u, '\\'), *at = strrchr(u, '@');
    if (bs && bs[1])
        return bs + 1;
    if (at && at != u && at[1]) {
        snprintf(buf, cap, "%.*s", (int)(at - u), u);
        return buf;
    }
    return u;
}

static exs_rc jsonl_finding(FILE *f, const exs_results *r, const exs_finding *x)
{
    const exs_http_facts *h = x->http;
    const exs_process_facts *p = x->process;
    const exs_event_facts *e = x->event;
    const exs_cmdlet_facts *cm = x->cmdlet;
    const exs_file_facts *fl = x->file;
    const exs_sweep_info *sw = exs_results_sweep(r);
    char buf[4096];
    jw w;
    jw_begin(&w, f, r);
    ecs_head(&w, x->time_ms, r);
    xs_render_words(x, buf, sizeof buf);
    jw_str(&w, "message", buf);

    jw_open(&w, "event", '{');
    char dataset[96];
    snprintf(dataset, sizeof dataset, "exsweep.%s", *x->origin.kind ? x->origin.kind : "scan");
    event_meta(&w, "alert", dataset);
    jw_str(&w, "id", x->id);
    jw_open(&w, "category", '[');
    jw_str(&w, NULL, "intrusion_detection");
    if (h)
        jw_str(&w, NULL, "web");
    if (p)
        jw_str(&w, NULL, "process");
    if (fl)
        jw_str(&w, NULL, "file");
    jw_close(&w, ']');
    jw_open(&w, "type", '[');
    jw_str(&w, NULL, "info");
    jw_close(&w, ']');
    jw_i64(&w, "severity", (int64_t)x->severity);
    jw_str(&w, "reason", x->reason);
    jw_time(&w, "created", sw->start_ms);
    if (e && e->id) {
        char code[16];
        snprintf(code, sizeof code, "%u", (unsigned)e->id);
        jw_str(&w, "code", code);
    }
    if (e)
        jw_str(&w, "provider", e->provider);
    jw_close(&w, '}');

    jw_open(&w, "rule", '{');
    jw_str(&w, "id", x->rule->id);
    jw_str(&w, "name", x->rule->name);
    jw_str(&w, "category", x->rule->family);
    jw_str(&w, "description", x->rule->description);
    jw_str(&w, "ruleset", exs_rule_ruleset(x->rule));
    jw_close(&w, '}');
    if (x->rule->cves && *x->rule->cves) {
        /* ECS holds one id: the first CVE (all of them: exsweep.rule.cves) */
        const char *comma = strchr(x->rule->cves, ',');
        jw_open(&w, "vulnerability", '{');
        jw_strn(&w, "id", x->rule->cves,
                comma ? (size_t)(comma - x->rule->cves) : strlen(x->rule->cves));
        jw_close(&w, '}');
    }
    techniques(&w, x->rule->techniques);
    observer(&w, r);

    char where[XS_MAX_WHERE];
    xs_render_where(r, x, false, where, sizeof where);
    jw_open(&w, "log", '{');
    jw_open(&w, "file", '{');
    jw_str(&w, "path", where);
    jw_close(&w, '}');
    jw_close(&w, '}');

    uniq ips = {{0}, 0}, hosts = {{0}, 0}, users = {{0}, 0}, hashes = {{0}, 0};
    char ub[3][256];
    const char *actor = h && h->user ? h->user : cm && cm->user ? cm->user : p ? p->user : NULL;
    if (h) {
        if (h->client || h->client_port) {
            jw_open(&w, "source", '{');
            jw_str(&w, "address", h->client);
            if (is_ip(h->client)) {
                jw_str(&w, "ip", h->client);
                uniq_add(&ips, h->client);
            }
            if (h->client_port)
                jw_i64(&w, "port", h->client_port);
            jw_close(&w, '}');
        }
        if (h->user_agent) {
            jw_open(&w, "user_agent", '{');
            jw_str(&w, "original", h->user_agent);
            jw_close(&w, '}');
        }
        if (h->method || h->status) {
            jw_open(&w, "http", '{');
            if (h->method) {
                jw_open(&w, "request", '{');
                jw_str(&w, "method", h->method);
                jw_close(&w, '}');
            }
            if (h->status) {
                jw_open(&w, "response", '{');
                jw_i64(&w, "status_code", h->status);
                jw_close(&w, '}');
            }
            jw_close(&w, '}');
        }
        if (h->path || h->query || h->host) {
            jw_open(&w, "url", '{');
            jw_str(&w, "path", h->path);
            jw_str(&w, "query", h->query);
            jw_str(&w, "domain", h->host);
            jw_close(&w, '}');
            uniq_add(&hosts, h->host);
        }
    }
    const char *dip = exs_finding_fact(x, "destination_ip"),
               *dport = exs_finding_fact(x, "destination_port");
    if (dip || dport) {
        jw_open(&w, "destination", '{');
        if (is_ip(dip)) {
            jw_str(&w, "ip", dip);
            uniq_add(&ips, dip);
        }
        jw_str(&w, "address", dip);
        if (dport)
            jw_key(&w, "port"), fprintf(f, "%ld", strtol(dport, NULL, 10));
        jw_close(&w, '}');
    }
    user_fields(&w, "user", actor);
    uniq_add(&users, user_name_of(actor, ub[0], sizeof ub[0]));
    if (e && e->computer) {
        jw_open(&w, "host", '{');
        jw_str(&w, "name", e->computer);
        jw_close(&w, '}');
        uniq_add(&hosts, e->computer);
    }
    if (p) {
        jw_open(&w, "process", '{');
        jw_str(&w, "executable", p->executable);
        if (p->executable)
            jw_str(&w, "name", xs_render_base(p->executable));
        jw_str(&w, "command_line", p->command_line);
        if (p->pid >= 0)
            jw_i64(&w, "pid", p->pid);
        if (p->parent_executable || p->parent_pid >= 0) {
            jw_open(&w, "parent", '{');
            jw_str(&w, "executable", p->parent_executable);
            if (p->parent_executable)
                jw_str(&w, "name", xs_render_base(p->parent_executable));
            if (p->parent_pid >= 0)
                jw_i64(&w, "pid", p->parent_pid);
            jw_close(&w, '}');
        }
        if (p->user) { /* ECS's process.user has no domain: the name alone */
            char ub2[256];
            jw_open(&w, "user", '{');
            jw_str(&w, "name", user_name_of(p->user, ub2, sizeof ub2));
            jw_close(&w, '}');
        }
        jw_close(&w, '}');
        uniq_add(&users, user_name_of(p->user, ub[1], sizeof ub[1]));
    }
    if (cm)
        uniq_add(&users, user_name_of(cm->user, ub[2], sizeof ub[2]));
    if (fl && (fl->path || fl->size >= 0 || fl->sha256 || fl->sha1 || fl->md5 ||
               fl->mtime_ms != EXS_TIME_NONE || fl->attributes || fl->inode)) {
        jw_open(&w, "file", '{');
        if (fl->path) {
            jw_str(&w, "path", fl->path);
            const char *b = xs_render_base(fl->path);
            jw_str(&w, "name", b);
            const char *dot = strrchr(b, '.');
            if (dot && dot[1] && dot != b)
                jw_str(&w, "extension", dot + 1);
        }
        if (fl->size >= 0)
            jw_i64(&w, "size", fl->size);
        if (fl->sha256 || fl->sha1 || fl->md5) {
            jw_open(&w, "hash", '{');
            jw_str(&w, "sha256", fl->sha256);
            jw_str(&w, "sha1", fl->sha1);
            jw_str(&w, "md5", fl->md5);
            jw_close(&w, '}');
            uniq_add(&hashes, fl->sha256);
            uniq_add(&hashes, fl->sha1);
            uniq_add(&hashes, fl->md5);
        }
        jw_time(&w, "mtime", fl->mtime_ms);
        jw_time(&w, "accessed", fl->atime_ms);
        jw_time(&w, "ctime", fl->ctime_ms);
        if (fl->attributes)
            jw_list(&w, "attributes", fl->attributes);
        if (fl->inode) { /* ECS keywords */
            char num[24];
            snprintf(num, sizeof num, "%llu", (unsigned long long)fl->device);
            jw_str(&w, "device", num);
            snprintf(num, sizeof num, "%llu", (unsigned long long)fl->inode);
            jw_str(&w, "inode", num);
        }
        jw_close(&w, '}');
    }
    if (ips.n || hosts.n || users.n || hashes.n) {
        jw_open(&w, "related", '{');
        uniq_write(&w, "ip", &ips);
        uniq_write(&w, "hosts", &hosts);
        uniq_write(&w, "user", &users);
        uniq_write(&w, "hash", &hashes);
        jw_close(&w, '}');
    }

    /* exsweep.*: the model's fields ECS has no place for */
    jw_open(&w, "exsweep", '{');
    jw_str(&w, "record", "finding");
    jw_str(&w, "verdict", exs_verdict_name(x->verdict));
    jw_str(&w, "severity", exs_severity_name(x->severity));
    if (!xs_time_formattable(x->time_ms))
        jw_bool(&w, "time_unknown", true);
    jw_open(&w, "rule", '{');
    jw_str(&w, "cves", x->rule->cves);
    jw_str(&w, "techniques", x->rule->techniques ? x->rule->techniques : "");
    jw_bool(&w, "backdoor", x->rule->backdoor);
    jw_close(&w, '}');
    jw_open(&w, "origin", '{');
    jw_u64(&w, "root", x->origin.root);
    if (x->origin.root < sw->nroots)
        jw_str(&w, "label", sw->roots[x->origin.root].label);
    jw_str(&w, "path", x->origin.path);
    if (x->origin.nmembers) {
        jw_open(&w, "members", '[');
        for (size_t i = 0; i < x->origin.nmembers; i++)
            jw_str(&w, NULL, x->origin.members[i]);
        jw_close(&w, ']');
    }
    jw_str(&w, "kind", x->origin.kind);
    if (x->origin.line)
        jw_u64(&w, "line", x->origin.line);
    if (x->origin.record)
        jw_u64(&w, "record", x->origin.record);
    if (x->origin.offset >= 0) /* ECS 9.4 has no log.offset */
        jw_i64(&w, "offset", x->origin.offset);
    jw_close(&w, '}');
    if (h) {
        jw_open(&w, "http", '{');
        jw_str(&w, "user", h->user);
        jw_bool(&w, "backend", h->backend);
        jw_close(&w, '}');
    }
    if (p && (p->user || p->target_executable)) {
        jw_open(&w, "process", '{');
        jw_str(&w, "user", p->user);
        jw_str(&w, "target", p->target_executable);
        jw_close(&w, '}');
    }
    if (e) {
        jw_open(&w, "event", '{');
        jw_str(&w, "channel", e->channel);
        if (e->recovered)
            jw_bool(&w, "recovered", true);
        jw_close(&w, '}');
    }
    if (cm) {
        jw_open(&w, "cmdlet", '{');
        jw_str(&w, "name", cm->name);
        jw_str(&w, "parameters", cm->parameters);
        jw_str(&w, "user", cm->user);
        jw_str(&w, "client", cm->client);
        if (cm->failed)
            jw_bool(&w, "failed", true);
        jw_close(&w, '}');
    }
    if (fl && (fl->url || fl->site)) {
        jw_open(&w, "file", '{');
        jw_str(&w, "url", fl->url);
        jw_str(&w, "site", fl->site);
        jw_close(&w, '}');
    }
    if (x->nfacts) {
        jw_open(&w, "facts", '{');
        for (size_t i = 0; i < x->nfacts; i++)
            jw_str(&w, x->facts[i].key, x->facts[i].value);
        jw_close(&w, '}');
    }
    jw_str(&w, "target", x->target);
    if (x->nrelated) {
        jw_open(&w, "related", '[');
        for (size_t i = 0; i < x->nrelated; i++)
            jw_str(&w, NULL, x->related[i]);
        jw_close(&w, ']');
    }
    jw_str(&w, "evidence", x->evidence);
    jw_raw_flush(&w);
    jw_close(&w, '}');
    return jw_end(&w);
}

/* ---------------------------------------------------------------- the rest */

static const char *const count_kinds[EXS_COUNT__N] = {"rule", "family", "client", "host"};

static void metric_head(jw *w, FILE *f, const exs_results *r, const char *dataset,
                        const char *record)
{
    jw_begin(w, f, r);
    ecs_head(w, exs_results_sweep(r)->start_ms, r);
    jw_open(w, "event", '{');
    event_meta(w, "metric", dataset);
    jw_close(w, '}');
    jw_open(w, "exsweep", '{');
    jw_str(w, "record", record);
}

static exs_rc jsonl_end(FILE *f, const exs_results *r, const exs_report_opts *o)
{
    (void)o;
    jw w;
    for (int k = 0; k < EXS_COUNT__N; k++) {
        size_t n;
        const exs_count *c = exs_results_counts(r, (exs_count_kind)k, &n);
        for (size_t i = 0; i < n; i++) {
            metric_head(&w, f, r, "exsweep.count", "count");
            jw_open(&w, "count", '{');
            jw_str(&w, "kind", count_kinds[k]);
            jw_str(&w, "key", c[i].key);
            jw_u64(&w, "n", c[i].n);
            jw_open(&w, "verdicts", '{');
            for (int v = EXS_VERDICT_PROBE; v <= EXS_VERDICT__MAX; v++)
                jw_u64(&w, verdict_keys[v], c[i].by_verdict[v]);
            jw_close(&w, '}');
            jw_time(&w, "first", c[i].first_ms);
            jw_time(&w, "last", c[i].last_ms);
            jw_close(&w, '}');
            jw_raw_flush(&w);
            jw_close(&w, '}');
            if (jw_end(&w) != EXS_OK)
                return EXS_ENOMEM;
        }
    }
    size_t n;
    const exs_coverage *cv = exs_results_coverage(r, &n);
    for (size_t i = 0; i < n; i++) {
        metric_head(&w, f, r, "exsweep.coverage", "coverage");
        jw_open(&w, "coverage", '{');
        jw_str(&w, "family", cv[i].family);
        jw_u64(&w, "files_read", cv[i].files_read);
        jw_u64(&w, "files_skipped", cv[i].files_skipped);
        jw_u64(&w, "bytes", cv[i].bytes);
        jw_u64(&w, "lines", cv[i].lines);
        jw_u64(&w, "rows_bad", cv[i].rows_bad);
        jw_time(&w, "first", cv[i].first_ms);
        jw_time(&w, "last", cv[i].last_ms);
        jw_close(&w, '}');
        jw_raw_flush(&w);
        jw_close(&w, '}');
        if (jw_end(&w) != EXS_OK)
            return EXS_ENOMEM;
    }
    const exs_warning *wv = exs_results_warnings(r, &n);
    for (size_t i = 0; i < n; i++) {
        jw_begin(&w, f, r);
        ecs_head(&w, exs_results_sweep(r)->start_ms, r);
        jw_str(&w, "message", wv[i].message);
        jw_open(&w, "event", '{');
        event_meta(&w, "pipeline_error", "exsweep.warning");
        jw_close(&w, '}');
        jw_open(&w, "exsweep", '{');
        jw_str(&w, "record", "warning");
        jw_open(&w, "warning", '{');
        jw_str(&w, "kind", wv[i].kind);
        jw_str(&w, "file", wv[i].file);
        if (wv[i].line)
            jw_u64(&w, "line", wv[i].line);
        jw_str(&w, "message", wv[i].message);
        jw_close(&w, '}');
        jw_raw_flush(&w);
        jw_close(&w, '}');
        if (jw_end(&w) != EXS_OK)
            return EXS_ENOMEM;
    }
    return EXS_OK;
}

const xs_writer xs_writer_jsonl = {"jsonl", jsonl_begin, jsonl_finding, jsonl_end};
