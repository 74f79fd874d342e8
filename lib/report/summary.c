/* The terminal summary: what a responder reads in a minute.
 *
 *   the sweep: roots, files, time
 *   verdict for the server (INCOMPLETE when part of the evidence could not be read)
 *   the first sign of compromise
 *   the fleet: one row per server, attackers and files seen on several (fleet.c)
 *   the server's own state: build, builds over time, per family vulnerable/patched/...
 *   how it happened: the chain of each server, from the first finding of each step (story.c)
 *   what they left: each file with a finding, backdoors first (left.c)
 *   the accounts and mailboxes touched (story.c)
 *   per attack family and CVE: first/last seen, count, verdicts     (exact counts)
 *   client addresses with counts (exact), each with its story: steps, logs, user agents,
 *   accounts (story.c, kept findings)
 *   the heaviest findings, with where they lie                       (kept findings)
 *   log coverage per family (a clean result over a week of logs is not a clean server)
 *   warnings
 *
 * Everything comes from the results object, so a saved sweep (exsweep report) prints the same.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/limits.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "report/fleet.h"
#include "report/left.h"
#include "report/render.h"
#include "report/story.h"
#include "report/report_int.h"

#define RED "\033[1;31m"
#define YEL "\033[1;33m"
#define CYA "\033[36m"
#define GRN "\033[1;32m"
#define BLD "\033[1m"
#define DIM "\033[2m"
#define RST "\033[0m"

typedef struct out {
    FILE *f;
    int color;
} out;

static const char *col(const out *o, const char *c)
{
    return o->color ? c : "";
}

static const char *verdict_color(exs_verdict v)
{
    switch (v) {
    case EXS_VERDICT_EXPLOITATION: return RED;
    case EXS_VERDICT_SUSPICIOUS: return YEL;
    case EXS_VERDICT_ATTEMPT: return YEL;
    case EXS_VERDICT_PROBE: return CYA;
    }
    return "";
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void short_time(int64_t ms, char out_[32])
{
    if (!xs_time_formattable(ms)) {
        snprintf(out_, 32, "%-19s", "-");
        return;
    }
    char t[32];
    xs_time_format(ms, t);
    t[10] = ' ';
    t[19] = 0; /* "2021-03-03 06:49:42" */
    snprintf(out_, 32, "%s", t);
}

static void term(const out *o, const char *s, size_t max)
{
    if (s)
        xs_esc_term(o->f, s, strlen(s), max);
    else
        fputc('-', o->f);
}

/* Escaped and left-aligned in width columns (escapes count as their printed length). */
static void term_pad(const out *o, const char *s, size_t width)
{
    size_t n = 1;
    if (s)
        n = xs_esc_term(o->f, s, strlen(s), width);
    else
        fputc('-', o->f);
    for (size_t i = n; i < width; i++)
        fputc(' ', o->f);
}

/* Wrapped at the summary's width onto lines that start at indent (render.h): nothing cut. */
static void wr(const out *o, const char *s, size_t indent, size_t *c)
{
    xs_render_wrap(o->f, s ? s : "-", indent, c);
}

/* "2021-03-05 11:20" */
static void minute_str(int64_t ms, char t[32])
{
    short_time(ms, t);
    t[16] = 0;
}

static void print_header(const out *o, const exs_results *r)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    const exs_sweep_stats *st = exs_results_stats(r);
    fprintf(o->f, "%sexsweep ", col(o, BLD));
    term(o, sw->version, 40); /* a saved sweep's: from a file */
    fprintf(o->f, "%s: ", col(o, RST));
    for (size_t i = 0; i < sw->nroots; i++) {
        if (i)
            fputs(", ", o->f);
        term(o, sw->roots[i].path, 80);
        if (sw->nroots > 1) {
            fputs(" (", o->f);
            term(o, sw->roots[i].label, 40);
            fputc(')', o->f);
        }
    }
    fprintf(o->f, "\n  %" PRIu64 " %s seen, %" PRIu64 " read as evidence, %.1f MiB, %.2f s, %u %s\n",
            st->files_seen, plural(st->files_seen, "file", "files"), st->files_read,
            (double)st->bytes_read / (1024.0 * 1024.0), st->seconds, st->jobs,
            plural(st->jobs, "job", "jobs"));
}

/* Whether the sweep read any request log (HttpProxy or IIS): the logs that show exploitation. */
static bool web_logs_read(const exs_results *r)
{
    size_t n;
    const exs_coverage *cv = exs_results_coverage(r, &n);
    for (size_t i = 0; i < n; i++)
        if (cv[i].files_read &&
            (strncmp(cv[i].family, "IIS", 3) == 0 || strncmp(cv[i].family, "HttpProxy", 9) == 0))
            return true;
    return false;
}

/* From the counts of every finding, kept or past the cap. */
static void print_verdict(const out *o, const exs_results *r)
{
    const exs_sweep_stats *st = exs_results_stats(r);
    const exs_sweep_info *sw = exs_results_sweep(r);
    exs_verdict worst = exs_results_verdict(r);
    const char *c = worst ? verdict_color(worst) : GRN, *text = xs_render_verdict_text(worst);
    if (!worst && !web_logs_read(r)) {
        /* a clean sweep of no request log says nothing of the exploitation */
        c = YEL;
        text = "UNDETERMINED - no finding, but no HttpProxy or IIS log was read: exploitation "
               "cannot be ruled out";
    }
    bool inc = exs_results_incomplete(r);
    fprintf(o->f, "\n%sVERDICT: %s%s%s\n", col(o, c), inc ? "INCOMPLETE, " : "", text,
            col(o, RST));
    if (sw->status != EXS_OK) {
        fputs("  the sweep failed: ", o->f);
        term(o, *sw->error ? sw->error : "an error stopped it", 200);
        fputs(" (the findings below are not the whole answer)\n", o->f);
    } else if (sw->unread) {
        fprintf(o->f, "  %" PRIu64 " %s of evidence could not be read (see the warnings)\n",
                sw->unread, plural(sw->unread, "part", "parts"));
    }
    if (st->findings_dropped)
        fprintf(o->f, "  (%" PRIu64 " %s in all; %" PRIu64 " past the cap %s counted, not listed)\n",
                st->findings, plural(st->findings, "finding", "findings"), st->findings_dropped,
                plural(st->findings_dropped, "is", "are"));
}

static const char *exposure_color(exs_exposure e)
{
    switch (e) {
    case EXS_EXPOSURE_VULNERABLE: return RED;
    case EXS_EXPOSURE_MITIGATED: return YEL;
    case EXS_EXPOSURE_PATCHED: return GRN;
    case EXS_EXPOSURE_UNKNOWN: return YEL;
    }
    return "";
}

static void span_days(char *d, size_t cap, int64_t ms)
{
    if (ms < 3600000)
        snprintf(d, cap, "%" PRId64 " min", ms / 60000);
    else if (ms < 2 * 86400000LL)
        snprintf(d, cap, "%.1f h", (double)ms / 3600000.0);
    else
        snprintf(d, cap, "%.1f days", (double)ms / 86400000.0);
}

static void wr_minute(const out *o, int64_t ms, size_t indent, size_t *c)
{
    char t[32];
    minute_str(ms, t);
    wr(o, t, indent, c);
}

static void print_family(const out *o, const exs_family_state *fs)
{
    fputs("  ", o->f);
    term_pad(o, fs->family, 14);
    fprintf(o->f, " %s%-10s%s ", col(o, exposure_color(fs->state)),
            exs_exposure_name(fs->state), col(o, RST));
    size_t c = 28;
    wr(o, fs->reason, 28, &c);
    char t[32], w[64];
    if (xs_time_formattable(fs->exploited_ms)) {
        minute_str(fs->exploited_ms, t);
        snprintf(w, sizeof w, "; first exploited %s", t);
        wr(o, w, 28, &c);
    }
    if (xs_time_formattable(fs->fixed_ms)) {
        minute_str(fs->fixed_ms, t);
        snprintf(w, sizeof w, "; fixed %s", t);
        wr(o, w, 28, &c);
    }
    if (fs->exposed_ms >= 0) {
        char d[64];
        span_days(d, sizeof d, fs->exposed_ms);
        xs_render_wrapv(o->f, 28, &c, ": exploited ", d, " before the fix", (const char *)NULL);
    }
    fputc('\n', o->f);
}

static void print_server(const out *o, const exs_results *r, const exs_server *sv)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    fprintf(o->f, "\n%sServer%s", col(o, BLD), col(o, RST));
    if (sw->nroots > 1 && sv->root < sw->nroots) {
        fputc(' ', o->f);
        term(o, sw->roots[sv->root].label, 60);
    }
    fputc('\n', o->f);
    fputs("  build          ", o->f);
    size_t c = 17;
    if (*sv->build) {
        wr(o, sv->build, 17, &c);
        if (*sv->product) {
            wr(o, "  ", 17, &c);
            wr(o, sv->product, 17, &c);
            wr(o, " ", 17, &c);
            wr(o, sv->cu, 17, &c);
            if (*sv->update) {
                wr(o, ", ", 17, &c);
                wr(o, sv->update, 17, &c);
            }
        } else {
            wr(o, "  (not a build the table knows)", 17, &c);
        }
        wr(o, "  from ", 17, &c);
        wr(o, sv->build_source, 17, &c);
    } else {
        fprintf(o->f, "%sunknown%s: ", col(o, YEL), col(o, RST));
        c += 9;
        wr(o, sv->why_unknown, 17, &c);
    }
    fputc('\n', o->f);
    if (sv->nperiods > 1) {
        fputs("  over time      ", o->f);
        c = 17;
        for (size_t i = 0; i < sv->nperiods; i++) {
            const exs_build_period *p = &sv->periods[i];
            if (i)
                wr(o, ", then ", 17, &c);
            wr(o, p->build, 17, &c);
            wr(o, i + 1 < sv->nperiods ? " until " : " from ", 17, &c);
            wr_minute(o, i + 1 < sv->nperiods ? p->to_ms : p->from_ms, 17, &c);
        }
        fputc('\n', o->f);
    }
    for (int f = 0; f < EXS_FAMILIES; f++)
        print_family(o, &sv->families[f]);
    for (size_t i = 0; i < sv->nnotes; i++) {
        const exs_state_note *n = &sv->notes[i];
        fputs("  ", o->f);
        term_pad(o, n->kind, 14);
        fputc(' ', o->f);
        c = 17;
        char at[40] = "";
        if (xs_time_formattable(n->time_ms)) {
            char t[32];
            minute_str(n->time_ms, t);
            snprintf(at, sizeof at, " at %s", t);
        }
        xs_render_wrapv(o->f, 17, &c, n->family, *n->family ? ": " : "", n->what,
                        *n->build ? " (" : "", n->build, *n->build ? ")" : "", at, " in ", n->file,
                        (const char *)NULL);
        fputc('\n', o->f);
    }
    for (size_t i = 0; i < sv->nsources; i++) {
        const exs_build_source *b = &sv->sources[i];
        fputs("  source         ", o->f);
        term_pad(o, b->source, 11);
        fputc(' ', o->f);
        term_pad(o, b->build, 16);
        c = 45;
        char num[48];
        if (xs_time_formattable(b->first_ms)) {
            char t1[32], t2[32] = "";
            minute_str(b->first_ms, t1);
            if (xs_time_formattable(b->last_ms) && b->last_ms != b->first_ms)
                minute_str(b->last_ms, t2);
            xs_render_wrapv(o->f, 17, &c, t1, *t2 ? " to " : "", t2, ", ", (const char *)NULL);
        }
        snprintf(num, sizeof num, "%" PRIu64 " %s", b->files ? b->files : 1,
                 plural(b->files ? b->files : 1, "file", "files"));
        wr(o, num, 17, &c);
        fputs("\n                 ", o->f);
        c = 17;
        wr(o, b->file, 17, &c);
        if (b->line) {
            snprintf(num, sizeof num, ":%" PRIu64, b->line);
            wr(o, num, 17, &c);
        }
        if (b->files > 1)
            wr(o, " (the first)", 17, &c);
        fputc('\n', o->f);
    }
}

static void print_servers(const out *o, const exs_results *r)
{
    size_t n;
    const exs_server *sv = exs_results_servers(r, &n);
    for (size_t i = 0; i < n; i++)
        print_server(o, r, &sv[i]);
}

static void print_groups(const out *o, const exs_results *r)
{
    size_t n;
    const exs_count *g = exs_results_counts(r, EXS_COUNT_FAMILY, &n);
    fprintf(o->f, "\n%sBy attack family%s\n", col(o, BLD), col(o, RST));
    fprintf(o->f, "  %-16s %-30s %5s  %-16s    %s\n", "family", "CVE", "count",
            "first seen (UTC)", "last seen");
    for (size_t k = 0; k < n; k++) {
        char a[32], b[32];
        minute_str(g[k].first_ms, a);
        minute_str(g[k].last_ms, b);
        const char *bar = strchr(g[k].key, '|');
        size_t fl = bar ? (size_t)(bar - g[k].key) : strlen(g[k].key);
        const char *cves = bar && bar[1] ? bar + 1 : "-";
        /* family names and CVEs come from rule tables, and from a saved sweep: escaped */
        fputs("  ", o->f);
        char fam[128];
        snprintf(fam, sizeof fam, "%.*s", (int)(fl < 127 ? fl : 127), g[k].key);
        term_pad(o, fam, 16);
        fputc(' ', o->f);
        term_pad(o, cves, 30);
        fprintf(o->f, " %5" PRIu64 "  %s .. %s\n%19s", g[k].n, a, b, "");
        const char *sep = "";
        for (int vv = EXS_VERDICT_EXPLOITATION; vv >= EXS_VERDICT_PROBE; vv--)
            if (g[k].by_verdict[vv]) {
                fprintf(o->f, "%s%s%" PRIu64 " %s%s", sep, col(o, verdict_color((exs_verdict)vv)),
                        g[k].by_verdict[vv], exs_verdict_name((exs_verdict)vv), col(o, RST));
                sep = ", ";
            }
        fputc('\n', o->f);
    }
}

static bool print_clients(const out *o, const exs_results *r, const xs_story *story)
{
    size_t nall, n = 0;
    uint64_t own_findings = exs_results_stats(r)->own_findings,
             nown = exs_results_stats(r)->own_addresses;
    const exs_count *c = exs_results_counts(r, EXS_COUNT_CLIENT, &nall);
    const exs_count **v = malloc((nall ? nall : 1) * sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < nall; i++) {
        if (xs_render_loopback(c[i].key)) {
            nown++;
            own_findings += c[i].n;
        } else {
            v[n++] = &c[i];
        }
    }
    if (n > 1)
        qsort(v, n, sizeof *v, xs_count_cmp_client);
    fprintf(o->f, "\n%sClient addresses%s (%zu)\n", col(o, BLD), col(o, RST), n);
    size_t shown = n < 15 ? n : 15;
    for (size_t k = 0; k < shown; k++) {
        char a[32], b[32];
        minute_str(v[k]->first_ms, a);
        minute_str(v[k]->last_ms, b);
        exs_verdict w = xs_count_worst(v[k]);
        fputs("  ", o->f);
        size_t at = 2;
        wr(o, v[k]->key, 4, &at); /* an address, or a host name as logged: whole */
        if (at > 24)
            fprintf(o->f, "\n%24s", "");
        else
            fprintf(o->f, "%*s", (int)(24 - at), "");
        fprintf(o->f, " %5" PRIu64 " %-8s  %s .. %s  %s%s%s\n", v[k]->n,
                plural(v[k]->n, "finding", "findings"), a, b, col(o, verdict_color(w)),
                exs_verdict_name(w), col(o, RST));
        const xs_story_actor *act = xs_story_actor_of(story, v[k]->key);
        if (act)
            xs_report_actor(o->f, r, act);
    }
    if (n > shown)
        fprintf(o->f, "  ... and %zu more (--format jsonl lists every finding)\n", n - shown);
    if (nown)
        fprintf(o->f, "  (%" PRIu64 " %s from the %s own %s, on rows %s forwarded, not listed)\n",
                own_findings, plural(own_findings, "finding", "findings"),
                exs_results_sweep(r)->nroots > 1 ? "servers'" : "server's",
                plural(nown, "address", "addresses"),
                exs_results_sweep(r)->nroots > 1 ? "they" : "it");
    if (exs_results_stats(r)->counts_dropped)
        fprintf(o->f,
                "  (%" PRIu64 " %s of client addresses and host names past the %d counted "
                "(the smallest kept) are in the totals only)\n",
                exs_results_stats(r)->counts_dropped,
                plural(exs_results_stats(r)->counts_dropped, "finding", "findings"),
                EXS_MAX_COUNT_KEYS);
    free(v);
    return true;
}

static int cmp_weight(const void *pa, const void *pb)
{
    const exs_finding *a = *(const exs_finding *const *)pa, *b = *(const exs_finding *const *)pb;
    if (a->verdict != b->verdict)
        return a->verdict > b->verdict ? -1 : 1;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if (a->time_ms != b->time_ms) {
        if (a->time_ms == EXS_TIME_NONE)
            return 1;
        if (b->time_ms == EXS_TIME_NONE)
            return -1;
        return a->time_ms < b->time_ms ? -1 : 1;
    }
    return a < b ? -1 : (a > b);
}

static void print_one(const out *o, const exs_results *r, const exs_finding *x)
{
    char t[32], buf[2048];
    short_time(x->time_ms, t);
    fprintf(o->f, "  %s  %s%-12s%s ", t, col(o, verdict_color(x->verdict)),
            exs_verdict_name(x->verdict), col(o, RST));
    term_pad(o, x->rule->id, 20);
    fputc(' ', o->f);
    const exs_http_facts *h = x->http;
    size_t c = 57;
    bool req = h && (h->method || h->path);
    if (h && h->client && strlen(h->client) > 15)
        wr(o, h->client, 6, &c); /* an IPv6 address or a host name: whole */
    else if (req)
        term_pad(o, h ? h->client : NULL, 15);
    else
        term(o, h ? h->client : NULL, 15);
    c = c > 57 ? c : 72;
    if (req) {
        /* one piece, so that a wrap never leaves a space at a line's end */
        char rq[XS_MAX_URL + 64];
        const char *m = h->method ? h->method : "-", *pa = h->path ? h->path : "-";
        if (strlen(m) + strlen(pa) < XS_MAX_URL) {
            snprintf(rq, sizeof rq, " %s %s", m, pa);
        } else { /* longer than a request the detectors keep (a saved sweep's): in pieces */
            wr(o, " ", 6, &c);
            wr(o, m, 6, &c);
            wr(o, " ", 6, &c);
            wr(o, pa, 6, &c);
            rq[0] = 0;
        }
        if (h->status)
            snprintf(rq + strlen(rq), sizeof rq - strlen(rq), " %d", h->status);
        wr(o, rq, 6, &c);
    }
    xs_render_words(x, buf, sizeof buf);
    fputs("\n      ", o->f);
    c = 6;
    wr(o, buf, 6, &c);
    xs_render_where(r, x, true, buf, sizeof buf);
    fputs("\n      ", o->f);
    fputs(col(o, DIM), o->f);
    c = 6;
    wr(o, buf, 6, &c);
    fputs(col(o, RST), o->f);
    if (x->nrelated)
        fprintf(o->f, "\n      ties %zu other %s together (--format jsonl: exsweep.related)",
                x->nrelated, plural(x->nrelated, "finding", "findings"));
    fputc('\n', o->f);
}

static bool print_top(const out *o, const exs_results *r, size_t top)
{
    size_t n;
    const exs_finding *v = exs_results_findings(r, &n);
    const exs_finding **p = malloc((n ? n : 1) * sizeof *p);
    const exs_finding **sel = malloc((n ? n : 1) * sizeof *sel);
    bool *picked = calloc(n ? n : 1, sizeof *picked);
    xs_strmap *rules = xs_strmap_create();
    bool ok = p && sel && picked && rules;
    size_t ns = 0;
    if (ok) {
        for (size_t i = 0; i < n; i++)
            p[i] = &v[i];
        if (n > 1)
            qsort(p, n, sizeof *p, cmp_weight);
        /* One of each rule first (the heaviest of each), then the rest by weight: a minute
         * of reading should show every kind of evidence, not twelve rows of one chain. */
        for (size_t i = 0; ok && i < n && ns < top; i++)
            if (!xs_strmap_get(rules, p[i]->rule->id)) {
                ok = xs_strmap_put(rules, p[i]->rule->id, (void *)p[i], NULL);
                sel[ns++] = p[i];
                picked[i] = true;
            }
        for (size_t i = 0; ok && i < n && ns < top; i++)
            if (!picked[i])
                sel[ns++] = p[i];
    }
    if (ok) {
        if (ns > 1)
            qsort(sel, ns, sizeof *sel, cmp_weight);
        fprintf(o->f, "\n%sTop findings%s (%zu of %zu kept)\n", col(o, BLD), col(o, RST), ns, n);
        for (size_t i = 0; i < ns; i++)
            print_one(o, r, sel[i]);
    }
    xs_strmap_destroy(rules);
    free(picked);
    free(sel);
    free(p);
    return ok;
}

static void print_coverage(const out *o, const exs_results *r)
{
    size_t n;
    const exs_coverage *cv = exs_results_coverage(r, &n);
    fprintf(o->f, "\n%sLog coverage%s (a clean result only speaks for these windows)\n",
            col(o, BLD), col(o, RST));
    fprintf(o->f, "  %-28s %6s %7s %10s  %-16s  %-16s %6s\n", "family", "files", "skipped",
            "lines", "from (UTC)", "to (UTC)", "days");
    bool iis = false, hp = false;
    for (size_t i = 0; i < n; i++) {
        char a[32], b[32], d[16] = "-";
        minute_str(cv[i].first_ms, a);
        minute_str(cv[i].last_ms, b);
        if (xs_time_formattable(cv[i].first_ms) && xs_time_formattable(cv[i].last_ms))
            snprintf(d, sizeof d, "%.1f", (double)(cv[i].last_ms - cv[i].first_ms) / 86400000.0);
        fputs("  ", o->f);
        size_t c = 2; /* the family is from the evidence (#Log-type, EVTX channel): whole */
        wr(o, cv[i].family, 4, &c);
        if (c > 30)
            fprintf(o->f, "\n%30s", "");
        else
            fprintf(o->f, "%*s", (int)(30 - c), "");
        fprintf(o->f, " %6" PRIu64 " %7" PRIu64 " %10" PRIu64 "  %s  %s %6s\n", cv[i].files_read,
                cv[i].files_skipped, cv[i].lines, a, b, d);
        iis |= strncmp(cv[i].family, "IIS", 3) == 0 && cv[i].files_read;
        hp |= strncmp(cv[i].family, "HttpProxy", 9) == 0 && cv[i].files_read;
    }
    if (n == 0)
        fprintf(o->f, "  %sno log files recognised%s\n", col(o, YEL), col(o, RST));
    if (!hp)
        fprintf(o->f, "  %snote: no HttpProxy logs read: CVE-2021-26855 cannot be ruled out%s\n",
                col(o, YEL), col(o, RST));
    if (!iis)
        fprintf(o->f, "  %snote: no IIS logs read: web-shell use cannot be ruled out%s\n",
                col(o, YEL), col(o, RST));
    size_t nr;
    const char *const *roots = exs_results_install_roots(r, &nr);
    for (size_t i = 0; i < nr; i++) {
        fputs("  Exchange install root: ", o->f);
        size_t c = 25;
        wr(o, roots[i], 4, &c);
        fputc('\n', o->f);
    }
}

static void print_warnings(const out *o, const exs_results *r, int verbose)
{
    size_t nk, nw;
    const exs_warning_count *wc = exs_results_warning_counts(r, &nk);
    const exs_warning *w = exs_results_warnings(r, &nw);
    uint64_t total = 0;
    for (size_t i = 0; i < nk; i++)
        total += wc[i].count;
    if (!total)
        return;
    fprintf(o->f, "\n%sWarnings%s: %" PRIu64 " (", col(o, BLD), col(o, RST), total);
    const char *sep = "";
    for (size_t i = 0; i < nk; i++)
        if (wc[i].count) {
            fputs(sep, o->f);
            term(o, wc[i].kind, 40);
            fprintf(o->f, " %" PRIu64, wc[i].count);
            sep = ", ";
        }
    fputs(")\n", o->f);
    size_t show = verbose ? nw : (nw < 5 ? nw : 5);
    for (size_t i = 0; i < show; i++) {
        fputs("  [", o->f);
        size_t c = 3 + xs_esc_term(o->f, w[i].kind, strlen(w[i].kind), 40);
        fputs("] ", o->f);
        c += 2;
        wr(o, w[i].file, 6, &c);
        if (w[i].line) {
            char ln[32];
            snprintf(ln, sizeof ln, ":%" PRIu64, w[i].line);
            wr(o, ln, 6, &c);
        }
        wr(o, ": ", 6, &c);
        wr(o, w[i].message, 6, &c);
        fputc('\n', o->f);
    }
    if (show < nw)
        fprintf(o->f, "  ... -v lists all %zu kept examples\n", nw);
}

exs_rc xs_report_text(const exs_results *r, FILE *f, const exs_report_opts *opts)
{
    out o = {f, opts->color};
    print_header(&o, r);
    print_verdict(&o, r);
    xs_report_first_sign(f, r);
    if (!xs_report_fleet(f, r, opts->color))
        return EXS_ENOMEM;
    print_servers(&o, r);
    xs_story story;
    if (!xs_story_build(r, &story))
        return EXS_ENOMEM;
    xs_report_chain(f, r, &story, opts->color);
    if (!xs_report_left(f, r, opts->color)) {
        xs_story_free(&story);
        return EXS_ENOMEM;
    }
    xs_report_touched(f, r, &story, opts->color);
    size_t n;
    exs_results_findings(r, &n);
    if (exs_results_stats(r)->findings) {
        print_groups(&o, r);
        if (!print_clients(&o, r, &story) || (opts->top && n && !print_top(&o, r, opts->top))) {
            xs_story_free(&story);
            return EXS_ENOMEM;
        }
    }
    xs_story_free(&story);
    print_coverage(&o, r);
    print_warnings(&o, r, opts->verbose);
    return EXS_OK;
}

static exs_rc text_end(FILE *f, const exs_results *r, const exs_report_opts *o)
{
    return xs_report_text(r, f, o);
}

const xs_writer xs_writer_text = {"text", NULL, NULL, text_end};
