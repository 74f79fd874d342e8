/* The terminal summary: what a responder reads in a minute.
 *
 *   verdict for the server
 *   per attack family and CVE: first/last seen, count, verdicts
 *   attacker addresses with counts
 *   the heaviest findings, with file:line
 *   log coverage per family (a clean result over a week of logs is not a clean server)
 *   warnings
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/strmap.h"
#include "core/timeparse.h"
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

static void short_time(int64_t ms, char out_[32])
{
    if (ms == EXS_TIME_NONE) {
        snprintf(out_, 32, "%-19s", "-");
        return;
    }
    char t[32];
    exs_time_format(ms, t);
    t[10] = ' ';
    t[19] = 0; /* "2021-03-03 06:49:42" */
    snprintf(out_, 32, "%s", t);
}

static void term(const out *o, const char *s, size_t max)
{
    if (s)
        exs_esc_term(o->f, s, strlen(s), max);
    else
        fputc('-', o->f);
}

/* Escaped and left-aligned in width columns (escapes count as their printed length). */
static void term_pad(const out *o, const char *s, size_t width)
{
    size_t n = 1;
    if (s)
        n = exs_esc_term(o->f, s, strlen(s), width);
    else
        fputc('-', o->f);
    for (size_t i = n; i < width; i++)
        fputc(' ', o->f);
}

typedef struct group {
    const char *family;
    const char *cves;
    int64_t first, last;
    size_t n, by_verdict[5];
} group;

typedef struct ipstat {
    const char *ip;
    int64_t first, last;
    size_t n;
    exs_verdict worst;
} ipstat;

static int cmp_ip(const void *pa, const void *pb)
{
    const ipstat *a = pa, *b = pb;
    if (a->worst != b->worst)
        return a->worst > b->worst ? -1 : 1;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->ip, b->ip);
}

static int cmp_weight(const void *pa, const void *pb)
{
    const exs_finding *a = *(const exs_finding *const *)pa, *b = *(const exs_finding *const *)pb;
    if (a->verdict != b->verdict)
        return a->verdict > b->verdict ? -1 : 1;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if (a->time_ms != b->time_ms)
        return a->time_ms < b->time_ms ? -1 : 1;
    return a < b ? -1 : (a > b);
}

static void minmax(int64_t *first, int64_t *last, int64_t t)
{
    if (t == EXS_TIME_NONE)
        return;
    if (*first == EXS_TIME_NONE || t < *first)
        *first = t;
    if (*last == EXS_TIME_NONE || t > *last)
        *last = t;
}

/* From the counts of every finding, kept or past the cap: the cap keeps the first findings in
 * arrival order, which need not hold the worst. */
static void print_verdict(const out *o, const exs_scan_stats *st)
{
    exs_verdict worst = 0;
    for (int k = EXS_VERDICT_PROBE; k <= EXS_VERDICT_EXPLOITATION; k++)
        if (st->verdicts[k])
            worst = (exs_verdict)k;
    const char *c = worst ? verdict_color(worst) : GRN, *text;
    switch (worst) {
    case EXS_VERDICT_EXPLOITATION: text = "COMPROMISED - evidence of exploitation or a backdoor"; break;
    case EXS_VERDICT_SUSPICIOUS: text = "SUSPICIOUS - activity that needs a closer look"; break;
    case EXS_VERDICT_ATTEMPT: text = "ATTACKED - exploitation attempts, none seen to succeed"; break;
    case EXS_VERDICT_PROBE: text = "PROBED - vulnerability scans only"; break;
    default: text = "NO FINDINGS - in the evidence read (check the coverage below)"; break;
    }
    fprintf(o->f, "\n%sVERDICT: %s%s\n", col(o, c), text, col(o, RST));
    if (st->findings_dropped)
        fprintf(o->f, "  (%llu findings in all; %llu beyond the cap are counted, not listed)\n",
                (unsigned long long)st->findings, (unsigned long long)st->findings_dropped);
}

static void print_groups(const out *o, const exs_finding *v, size_t n)
{
    group g[64];
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k;
        for (k = 0; k < ng; k++)
            if (strcmp(g[k].family, v[i].rule->family) == 0 && strcmp(g[k].cves, v[i].rule->cves) == 0)
                break;
        if (k == ng) {
            if (ng == 64)
                continue;
            memset(&g[ng], 0, sizeof g[ng]);
            g[ng].family = v[i].rule->family;
            g[ng].cves = v[i].rule->cves;
            g[ng].first = g[ng].last = EXS_TIME_NONE;
            ng++;
        }
        g[k].n++;
        g[k].by_verdict[v[i].verdict]++;
        minmax(&g[k].first, &g[k].last, v[i].time_ms);
    }
    fprintf(o->f, "\n%sBy attack family%s\n", col(o, BLD), col(o, RST));
    fprintf(o->f, "  %-16s %-30s %-19s  %-19s  %6s  %s\n", "family", "CVE", "first seen (UTC)",
            "last seen (UTC)", "count", "verdicts");
    for (size_t k = 0; k < ng; k++) {
        char a[32], b[32];
        short_time(g[k].first, a);
        short_time(g[k].last, b);
        fprintf(o->f, "  %-16s %-30s %s  %s  %6zu  ", g[k].family, g[k].cves[0] ? g[k].cves : "-",
                a, b, g[k].n);
        const char *sep = "";
        for (int vv = EXS_VERDICT_EXPLOITATION; vv >= EXS_VERDICT_PROBE; vv--)
            if (g[k].by_verdict[vv]) {
                fprintf(o->f, "%s%s%zu %s%s", sep, col(o, verdict_color((exs_verdict)vv)),
                        g[k].by_verdict[vv], exs_verdict_name((exs_verdict)vv), col(o, RST));
                sep = ", ";
            }
        fputc('\n', o->f);
    }
}

static void print_ips(const out *o, const exs_finding *v, size_t n)
{
    ipstat *ips = calloc(n ? n : 1, sizeof *ips);
    exs_strmap *index = exs_strmap_create(); /* address -> its ipstat */
    size_t ni = 0;
    if (!ips || !index) {
        free(ips);
        exs_strmap_destroy(index);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (!v[i].client_ip)
            continue;
        ipstat *x = exs_strmap_get(index, v[i].client_ip);
        if (!x) {
            x = &ips[ni++];
            x->ip = v[i].client_ip;
            x->first = x->last = EXS_TIME_NONE;
            if (!exs_strmap_put(index, x->ip, x, NULL))
                break;
        }
        x->n++;
        if (v[i].verdict > x->worst)
            x->worst = v[i].verdict;
        minmax(&x->first, &x->last, v[i].time_ms);
    }
    exs_strmap_destroy(index); /* before the sort moves what it points to */
    qsort(ips, ni, sizeof *ips, cmp_ip);
    fprintf(o->f, "\n%sClient addresses%s (%zu)\n", col(o, BLD), col(o, RST), ni);
    size_t shown = ni < 15 ? ni : 15;
    for (size_t k = 0; k < shown; k++) {
        char a[32], b[32];
        short_time(ips[k].first, a);
        short_time(ips[k].last, b);
        fputs("  ", o->f);
        term_pad(o, ips[k].ip, 24);
        fprintf(o->f, " %5zu findings  %s .. %s  worst: %s%s%s\n", ips[k].n, a, b,
                col(o, verdict_color(ips[k].worst)), exs_verdict_name(ips[k].worst), col(o, RST));
    }
    if (ni > shown)
        fprintf(o->f, "  ... and %zu more (--format jsonl lists every finding)\n", ni - shown);
    free(ips);
}

static void print_top(const out *o, const exs_finding *v, size_t n, size_t top)
{
    const exs_finding **p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        return;
    for (size_t i = 0; i < n; i++)
        p[i] = &v[i];
    qsort(p, n, sizeof *p, cmp_weight);
    /* One of each rule first (the heaviest of each), then the rest by weight: a minute of
     * reading should show every kind of evidence, not twelve rows of the same chain. */
    const exs_finding **sel = malloc((n ? n : 1) * sizeof *sel);
    if (!sel) {
        free(p);
        return;
    }
    bool *picked = calloc(n ? n : 1, sizeof *picked);
    exs_strmap *rules = exs_strmap_create();
    size_t ns = 0;
    for (size_t i = 0; picked && rules && i < n; i++)
        if (!exs_strmap_get(rules, p[i]->rule->id) &&
            exs_strmap_put(rules, p[i]->rule->id, (void *)p[i], NULL)) {
            sel[ns++] = p[i];
            picked[i] = true;
        }
    for (size_t i = 0; picked && i < n && ns < top; i++)
        if (!picked[i])
            sel[ns++] = p[i];
    exs_strmap_destroy(rules);
    free(picked);
    size_t shown = n < top ? n : top;
    qsort(sel, shown, sizeof *sel, cmp_weight);
    fprintf(o->f, "\n%sTop findings%s (%zu of %zu)\n", col(o, BLD), col(o, RST), shown, n);
    for (size_t i = 0; i < shown; i++) {
        const exs_finding *x = sel[i];
        char t[32];
        short_time(x->time_ms, t);
        fprintf(o->f, "  %s  %s%-12s%s %-20s ", t, col(o, verdict_color(x->verdict)),
                exs_verdict_name(x->verdict), col(o, RST), x->rule->id);
        term_pad(o, x->client_ip, 15);
        if (x->method || x->url_path) {
            fputc(' ', o->f);
            term(o, x->method, 8);
            fputc(' ', o->f);
            term(o, x->url_path, 60);
        }
        if (x->http_status)
            fprintf(o->f, " %d", x->http_status);
        fputs("\n      ", o->f);
        term(o, x->detail, 110);
        fputs("\n      ", o->f);
        fputs(col(o, DIM), o->f);
        term(o, x->file, 100);
        if (x->line)
            fprintf(o->f, ":%llu", (unsigned long long)x->line);
        fputs(col(o, RST), o->f);
        if (x->target) {
            fputs("\n      target: ", o->f);
            term(o, x->target, 100);
        }
        fputc('\n', o->f);
    }
    free(sel);
    free(p);
}

static void print_coverage(const out *o, const exs_scan *s)
{
    size_t n;
    const exs_coverage *cv = exs_scan_coverage(s, &n);
    fprintf(o->f, "\n%sLog coverage%s (a clean result only speaks for these windows)\n",
            col(o, BLD), col(o, RST));
    fprintf(o->f, "  %-32s %6s %7s %10s  %-19s  %-19s  %6s\n", "family", "files", "skipped",
            "lines", "from (UTC)", "to (UTC)", "days");
    bool iis = false, hp = false;
    for (size_t i = 0; i < n; i++) {
        char a[32], b[32], d[16] = "-";
        short_time(cv[i].first_ms, a);
        short_time(cv[i].last_ms, b);
        if (cv[i].first_ms != EXS_TIME_NONE && cv[i].last_ms != EXS_TIME_NONE)
            snprintf(d, sizeof d, "%.1f", (double)(cv[i].last_ms - cv[i].first_ms) / 86400000.0);
        fputs("  ", o->f);
        term_pad(o, cv[i].family, 32); /* from the evidence: #Log-type, EVTX channel, folders */
        fprintf(o->f, " %6llu %7llu %10llu  %s  %s  %6s\n", (unsigned long long)cv[i].files_read, (unsigned long long)cv[i].files_skipped,
                (unsigned long long)cv[i].lines, a, b, d);
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
    const char *const *roots = exs_scan_install_roots(s, &nr);
    for (size_t i = 0; i < nr; i++) {
        fputs("  Exchange install root: ", o->f);
        term(o, roots[i], 120);
        fputc('\n', o->f);
    }
}

static void print_warnings(const out *o, const exs_scan *s, int verbose)
{
    size_t nk, nw;
    const exs_warning_count *wc = exs_scan_warning_counts(s, &nk);
    const exs_warning *w = exs_scan_warnings(s, &nw);
    uint64_t total = 0;
    for (size_t i = 0; i < nk; i++)
        total += wc[i].count;
    if (!total)
        return;
    fprintf(o->f, "\n%sWarnings%s: %llu (", col(o, BLD), col(o, RST), (unsigned long long)total);
    const char *sep = "";
    for (size_t i = 0; i < nk; i++)
        if (wc[i].count) {
            fprintf(o->f, "%s%s %llu", sep, wc[i].kind, (unsigned long long)wc[i].count);
            sep = ", ";
        }
    fputs(")\n", o->f);
    size_t show = verbose ? nw : (nw < 5 ? nw : 5);
    for (size_t i = 0; i < show; i++) {
        fprintf(o->f, "  [%s] ", w[i].kind);
        term(o, w[i].file, 90);
        if (w[i].line)
            fprintf(o->f, ":%llu", (unsigned long long)w[i].line);
        fputs(": ", o->f);
        term(o, w[i].message, 120);
        fputc('\n', o->f);
    }
    if (show < nw)
        fprintf(o->f, "  ... -v lists all %zu kept examples\n", nw);
}

void exs_report_text(const exs_scan *s, FILE *f, const exs_report_opts *opts)
{
    out o = {f, opts->color};
    size_t n, nroots;
    const exs_finding *v = exs_scan_findings(s, &n);
    const exs_scan_stats *st = exs_scan_get_stats(s);
    const char *const *roots = exs_scan_roots(s, &nroots);
    fprintf(f, "%sexsweep %s%s: ", col(&o, BLD), EXSWEEP_VERSION, col(&o, RST));
    for (size_t i = 0; i < nroots; i++) {
        if (i)
            fputs(", ", f);
        term(&o, roots[i], 80);
    }
    fprintf(f, "\n  %llu files seen, %llu read as evidence, %.1f MiB, %.2f s, %u jobs\n",
            (unsigned long long)st->files_seen, (unsigned long long)st->files_read,
            (double)st->bytes_read / (1024.0 * 1024.0), st->seconds, st->jobs);
    print_verdict(&o, st);
    if (n) {
        print_groups(&o, v, n);
        print_ips(&o, v, n);
        print_top(&o, v, n, opts->top ? opts->top : 12);
    }
    print_coverage(&o, s);
    print_warnings(&o, s, opts->verbose);
}
