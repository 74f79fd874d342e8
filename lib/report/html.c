/* The HTML report: one self-contained file to hand to anyone (docs/html.md).
 *
 *   the sweep, the verdict and the first sign of compromise
 *   the server's own state: build, builds over time, per family vulnerable/patched/...
 *   a timeline chart (inline SVG, drawn here): kept findings per hour or day, by verdict
 *   by attack family; the attackers (client addresses); what they left (left.h's entries)
 *   the findings: a table that sorts, filters and pages, each row opening onto its evidence,
 *   drawn by the inline script from the findings embedded as JSON
 *   log coverage, warnings
 *
 * Nothing is fetched: CSS, script and chart are inline, and the Content-Security-Policy meta
 * forbids every connection. Every string from the evidence is escaped for its context: HTML
 * text and attribute values with xs_esc_html, the embedded JSON with xs_esc_json_html (no
 * "</script>" or "<!--" can end its block); the script puts strings on the page as text
 * (textContent), never as markup. At most XS_HTML_MAX_FINDINGS findings are embedded.
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
#include "report/html.h"
#include "report/left.h"
#include "report/render.h"
#include "report/report_int.h"
#include "report/story.h"
#include "report/fleet.h"

#define CSP                                                                                        \
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; " \
    "base-uri 'none'; form-action 'none'"

/* ---------------------------------------------------------------- escaping helpers */

static void h(FILE *f, const char *s)
{
    if (s)
        xs_esc_html(f, s, strlen(s));
}

/* Text, or "-" when there is none. */
static void hd(FILE *f, const char *s)
{
    if (s && *s)
        h(f, s);
    else
        fputc('-', f);
}

/* "2021-03-03 06:49:42", or "-". */
static void htime(FILE *f, int64_t ms)
{
    if (!xs_time_formattable(ms)) {
        fputc('-', f);
        return;
    }
    char t[32];
    xs_time_format(ms, t);
    t[10] = ' ';
    t[19] = 0;
    fputs(t, f);
}

static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    if (s)
        xs_esc_json_html(f, s, strlen(s));
    fputc('"', f);
}

static const char *vname(exs_verdict v)
{
    return v >= EXS_VERDICT_PROBE && v <= EXS_VERDICT__MAX ? exs_verdict_name(v) : "none";
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ---------------------------------------------------------------- head, sweep, verdict */

static void head(FILE *f, const exs_results *r)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"" CSP "\">\n"
          "<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>exsweep report: ",
          f);
    for (size_t i = 0; i < sw->nroots && i < 4; i++) {
        if (i)
            fputs(", ", f);
        h(f, sw->roots[i].label);
    }
    if (sw->nroots > 4)
        fprintf(f, " and %zu more", sw->nroots - 4);
    fprintf(f, " - %s</title>\n<style>\n%s</style>\n</head>\n<body>\n", vname(exs_results_verdict(r)),
            xs_html_css);
}

static void header(FILE *f, const exs_results *r)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    const exs_sweep_stats *st = exs_results_stats(r);
    fputs("<header>\n<h1>exsweep report</h1>\n<p class=\"meta\">exsweep ", f);
    h(f, sw->version);
    fputs(", swept ", f);
    htime(f, sw->start_ms);
    fputs(" UTC: ", f);
    for (size_t i = 0; i < sw->nroots; i++) {
        fputs(i ? ", <span class=\"root\">" : "<span class=\"root\">", f);
        h(f, sw->roots[i].path);
        if (sw->nroots > 1) {
            fputs(" (", f);
            h(f, sw->roots[i].label);
            fputc(')', f);
        }
        fputs("</span>", f);
    }
    fprintf(f,
            "<br>%" PRIu64 " %s seen, %" PRIu64 " read as evidence, %.1f MiB, %.2f s; %" PRIu64
            " %s</p>\n</header>\n",
            st->files_seen, plural(st->files_seen, "file", "files"), st->files_read,
            (double)st->bytes_read / (1024.0 * 1024.0), st->seconds, st->findings,
            plural(st->findings, "finding", "findings"));
}

static void verdict(FILE *f, const exs_results *r)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    const exs_sweep_stats *st = exs_results_stats(r);
    exs_verdict worst = exs_results_verdict(r);
    fprintf(f, "<section id=\"verdict\" class=\"card v-%s\">\n<h2>Verdict</h2>\n<p class=\"verdict\">%s%s</p>\n",
            vname(worst), exs_results_incomplete(r) ? "INCOMPLETE, " : "",
            xs_render_verdict_text(worst));
    if (sw->status != EXS_OK) {
        fputs("<p class=\"warn\">The sweep failed: ", f);
        h(f, *sw->error ? sw->error : "an error stopped it");
        fputs(" (the findings below are not the whole answer)</p>\n", f);
    } else if (sw->unread) {
        fprintf(f, "<p class=\"warn\">%" PRIu64 " %s of evidence could not be read (see the warnings)</p>\n",
                sw->unread, plural(sw->unread, "part", "parts"));
    }
    if (st->findings_dropped)
        fprintf(f, "<p class=\"note\">%" PRIu64 " findings in all; %" PRIu64 " past the cap %s counted, not listed.</p>\n",
                st->findings, st->findings_dropped, plural(st->findings_dropped, "is", "are"));
    const exs_finding *x = xs_left_first_sign(r);
    if (x) {
        char where[XS_MAX_WHERE];
        xs_render_where(r, x, true, where, sizeof where);
        fputs("<p class=\"first-sign\"><b>First sign of compromise:</b> ", f);
        htime(f, x->time_ms);
        fputs(" UTC, <code>", f);
        h(f, x->rule->id);
        fputs("</code>: ", f);
        h(f, x->rule->name);
        if (x->http && x->http->client) {
            fputs(", from <code>", f);
            h(f, x->http->client);
            fputs("</code>", f);
        }
        fputs("<br><span class=\"where\">in ", f);
        h(f, where);
        fputs("</span></p>\n", f);
    }
    fputs("</section>\n", f);
}

/* ---------------------------------------------------------------- the server's state */

static void span(FILE *f, int64_t ms)
{
    if (ms < 3600000)
        fprintf(f, "%" PRId64 " min", ms / 60000);
    else if (ms < 2 * 86400000LL)
        fprintf(f, "%.1f h", (double)ms / 3600000.0);
    else
        fprintf(f, "%.1f days", (double)ms / 86400000.0);
}

static void server(FILE *f, const exs_results *r, const exs_server *sv)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    fputs("<section class=\"card server\">\n<h2>Server", f);
    if (sw->nroots > 1 && sv->root < sw->nroots) {
        fputc(' ', f);
        h(f, sw->roots[sv->root].label);
    }
    fputs("</h2>\n<table class=\"kv\">\n<tr><th>build</th><td>", f);
    if (*sv->build) {
        fputs("<b>", f);
        h(f, sv->build);
        fputs("</b> ", f);
        if (*sv->product) {
            h(f, sv->product);
            fputc(' ', f);
            h(f, sv->cu);
            if (*sv->update) {
                fputs(", ", f);
                h(f, sv->update);
            }
        } else {
            fputs("(not a build the table knows)", f);
        }
        fputs(" <span class=\"dim\">from ", f);
        h(f, sv->build_source);
        fputs("</span>", f);
    } else {
        fputs("<span class=\"s-unknown\">unknown</span>: ", f);
        h(f, sv->why_unknown);
    }
    fputs("</td></tr>\n", f);
    if (sv->nperiods > 1) {
        fputs("<tr><th>over time</th><td>", f);
        for (size_t i = 0; i < sv->nperiods; i++) {
            const exs_build_period *p = &sv->periods[i];
            fputs(i ? "<br>then " : "", f);
            h(f, p->build);
            fputs(" from ", f);
            htime(f, p->from_ms);
            fputs(" to ", f);
            htime(f, p->to_ms);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<table class=\"families\">\n<thead><tr><th>family</th><th>state</th>"
          "<th>why</th><th>first exploited</th><th>fixed</th><th>exposed</th></tr></thead>\n<tbody>\n",
          f);
    for (int i = 0; i < EXS_FAMILIES; i++) {
        const exs_family_state *fs = &sv->families[i];
        const char *st = exs_exposure_name(fs->state);
        fputs("<tr><td>", f);
        h(f, fs->family);
        fprintf(f, "</td><td class=\"s-%s\">%s</td><td>", st ? st : "unknown", st ? st : "unknown");
        h(f, fs->reason);
        fputs("</td><td>", f);
        htime(f, fs->exploited_ms);
        fputs("</td><td>", f);
        htime(f, fs->fixed_ms);
        fputs("</td><td>", f);
        if (fs->exposed_ms >= 0) {
            span(f, fs->exposed_ms);
            fputs(" before the fix", f);
        } else {
            fputc('-', f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    if (sv->nnotes) {
        fputs("<table class=\"notes\">\n<thead><tr><th>note</th><th>what</th><th>when</th>"
              "<th>in</th></tr></thead>\n<tbody>\n",
              f);
        for (size_t i = 0; i < sv->nnotes; i++) {
            const exs_state_note *n = &sv->notes[i];
            fputs("<tr><td>", f);
            h(f, n->kind);
            fputs("</td><td>", f);
            if (*n->family) {
                h(f, n->family);
                fputs(": ", f);
            }
            h(f, n->what);
            if (*n->build) {
                fputs(" (", f);
                h(f, n->build);
                fputc(')', f);
            }
            fputs("</td><td>", f);
            htime(f, n->time_ms);
            fputs("</td><td class=\"where\">", f);
            h(f, n->file);
            if (n->line)
                fprintf(f, ":%" PRIu64, n->line);
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
    if (sv->nsources) {
        fputs("<details><summary>Sources of the build (", f);
        fprintf(f, "%zu)</summary>\n<table class=\"sources\">\n<thead><tr><th>source</th>"
                   "<th>build</th><th>from</th><th>to</th><th>file</th></tr></thead>\n<tbody>\n",
                sv->nsources);
        for (size_t i = 0; i < sv->nsources; i++) {
            const exs_build_source *b = &sv->sources[i];
            fputs("<tr><td>", f);
            h(f, b->source);
            fputs("</td><td>", f);
            h(f, b->build);
            fputs("</td><td>", f);
            htime(f, b->first_ms);
            fputs("</td><td>", f);
            htime(f, b->last_ms);
            fputs("</td><td class=\"where\">", f);
            h(f, b->file);
            if (b->line)
                fprintf(f, ":%" PRIu64, b->line);
            if (b->files > 1)
                fprintf(f, " and %" PRIu64 " more", b->files - 1);
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody></table>\n</details>\n", f);
    }
    fputs("</section>\n", f);
}

/* ---------------------------------------------------------------- the timeline */

static const char *const vcolor[] = {"#888", "#4a8fd4", "#d9a520", "#e8772e", "#c62828"};

#define TL_BINS 240 /* bars at most: the bin grows (hour, 6 h, day, week, ...) until they fit */
#define TL_W 1000
#define TL_R 40 /* right margin: the last date */
#define TL_H 260
#define TL_L 48 /* left margin: the counts */
#define TL_B 36 /* bottom margin: the dates */
#define TL_T 12

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : (a > b);
}

/* The window the chart draws: the findings with a time split where XS_HTML_TIMELINE_GAP
 * passes without one, and the group with the most of them kept (the earliest on a tie), so
 * that one file time years away from the logs does not flatten the chart into one bar. */
static bool window(const exs_finding *x, size_t n, int64_t *lo, int64_t *hi, uint64_t *timed)
{
    int64_t *t = malloc((n ? n : 1) * sizeof *t);
    if (!t)
        return false;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (xs_time_formattable(x[i].time_ms))
            t[m++] = x[i].time_ms;
    *timed = m;
    *lo = INT64_MAX;
    *hi = INT64_MIN;
    if (m > 1)
        qsort(t, m, sizeof *t, cmp_i64);
    size_t best = 0, bn = 0;
    for (size_t a = 0, b; a < m; a = b) {
        for (b = a + 1; b < m && t[b] - t[b - 1] <= XS_HTML_TIMELINE_GAP; b++)
            ;
        if (b - a > bn) {
            best = a;
            bn = b - a;
        }
    }
    if (bn) {
        *lo = t[best];
        *hi = t[best + bn - 1];
    }
    free(t);
    return true;
}

static bool timeline(FILE *f, const exs_results *r)
{
    size_t n;
    const exs_finding *x = exs_results_findings(r, &n);
    int64_t lo, hi;
    uint64_t timed, untimed, outside = 0;
    if (!window(x, n, &lo, &hi, &timed))
        return false;
    untimed = n - timed;
    for (size_t i = 0; i < n; i++)
        outside += xs_time_formattable(x[i].time_ms) && (x[i].time_ms < lo || x[i].time_ms > hi);
    fputs("<section id=\"timeline\" class=\"card\">\n<h2>Timeline</h2>\n", f);
    if (lo > hi) {
        fputs("<p class=\"note\">No finding with a time.</p>\n</section>\n", f);
        return true;
    }
    static const int64_t steps[] = {3600000LL, 6 * 3600000LL, 86400000LL, 7 * 86400000LL};
    int64_t bin = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && !bin; i++)
        if ((hi / steps[i] - lo / steps[i]) < TL_BINS)
            bin = steps[i];
    if (!bin) /* past 4 years: whole days, as many as it takes */
        bin = ((hi - lo) / (TL_BINS - 1) / 86400000LL + 1) * 86400000LL;
    int64_t start = (lo / bin) * bin;
    size_t nb = (size_t)((hi - start) / bin) + 1;
    uint64_t(*c)[EXS_VERDICT__MAX + 1] = calloc(nb, sizeof *c);
    if (!c)
        return false;
    for (size_t i = 0; i < n; i++)
        if (xs_time_formattable(x[i].time_ms) && x[i].time_ms >= lo && x[i].time_ms <= hi &&
            x[i].verdict >= 1 && x[i].verdict <= EXS_VERDICT__MAX)
            c[(x[i].time_ms - start) / bin][x[i].verdict]++;
    uint64_t top = 1;
    for (size_t b = 0; b < nb; b++) {
        uint64_t t = 0;
        for (int v = 1; v <= EXS_VERDICT__MAX; v++)
            t += c[b][v];
        top = t > top ? t : top;
    }
    const char *unit = bin == 3600000LL ? "hour" : bin == 6 * 3600000LL ? "6 hours"
                       : bin == 86400000LL ? "day" : bin == 7 * 86400000LL ? "week" : NULL;
    fputs("<p class=\"dim\">Kept findings per ", f);
    if (unit)
        fputs(unit, f);
    else
        fprintf(f, "%" PRId64 " days", (int64_t)(bin / 86400000LL));
    fputs(" (UTC), by verdict", f);
    if (untimed)
        fprintf(f, "; %" PRIu64 " without a time %s not drawn", untimed, plural(untimed, "is", "are"));
    if (outside) {
        fprintf(f, "; the %" PRIu64 " from ", timed - outside);
        htime(f, lo);
        fputs(" to ", f);
        htime(f, hi);
        fprintf(f, " are drawn, %" PRIu64 " further off (%d days or more from the rest) %s not: "
                   "sort the table by time for them",
                outside, (int)(XS_HTML_TIMELINE_GAP / 86400000LL), plural(outside, "is", "are"));
    }
    fputs(".</p>\n", f);
    const double pw = TL_W - TL_L - TL_R, ph = TL_H - TL_B - TL_T, bw = pw / (double)nb;
    fprintf(f, "<svg id=\"exs-timeline\" viewBox=\"0 0 %d %d\" role=\"img\" "
               "aria-label=\"findings over time\">\n",
            TL_W, TL_H);
    fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"axis\"/>\n", TL_L,
            TL_T + ph, TL_W - TL_R, TL_T + ph);
    fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"ylab\">%" PRIu64 "</text>\n", TL_L - 6, TL_T + 8, top);
    fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"ylab\">0</text>\n", TL_L - 6, TL_T + ph);
    for (size_t b = 0; b < nb; b++) {
        uint64_t t = 0;
        for (int v = 1; v <= EXS_VERDICT__MAX; v++)
            t += c[b][v];
        if (!t)
            continue;
        fputs("<g><title>", f);
        htime(f, start + (int64_t)b * bin);
        fputs(" UTC:", f);
        const char *sep = " ";
        for (int v = EXS_VERDICT__MAX; v >= 1; v--)
            if (c[b][v]) {
                fprintf(f, "%s%" PRIu64 " %s", sep, c[b][v], vname((exs_verdict)v));
                sep = ", ";
            }
        fputs("</title>", f);
        double y = TL_T + ph;
        for (int v = 1; v <= EXS_VERDICT__MAX; v++) {
            if (!c[b][v])
                continue;
            double hh = ph * (double)c[b][v] / (double)top;
            if (hh < 1.5)
                hh = 1.5;
            y -= hh;
            fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>",
                    TL_L + bw * (double)b + (bw > 3 ? 0.5 : 0), y, bw > 3 ? bw - 1 : bw, hh, vcolor[v]);
        }
        fputs("</g>\n", f);
    }
    size_t ticks = nb < 8 ? nb : 8;
    for (size_t k = 0; k < ticks; k++) {
        size_t b = ticks > 1 ? k * (nb - 1) / (ticks - 1) : 0;
        char t[32];
        xs_time_format(start + (int64_t)b * bin, t);
        t[bin < 86400000LL ? 16 : 10] = 0;
        t[10] = bin < 86400000LL ? ' ' : 0;
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"xlab\">%s</text>\n",
                TL_L + bw * ((double)b + 0.5), TL_T + ph + 16, t + 5);
    }
    fputs("</svg>\n<p class=\"legend\">", f);
    for (int v = EXS_VERDICT__MAX; v >= 1; v--)
        fprintf(f, "<span><i style=\"background:%s\"></i>%s</span> ", vcolor[v], vname((exs_verdict)v));
    fputs("</p>\n</section>\n", f);
    free(c);
    return true;
}

/* ---------------------------------------------------------------- families, attackers */

static void verdict_list(FILE *f, const exs_count *c)
{
    const char *sep = "";
    for (int v = EXS_VERDICT__MAX; v >= EXS_VERDICT_PROBE; v--)
        if (c->by_verdict[v]) {
            fprintf(f, "%s<span class=\"v-%s\">%" PRIu64 " %s</span>", sep, vname((exs_verdict)v),
                    c->by_verdict[v], vname((exs_verdict)v));
            sep = ", ";
        }
}

static void families(FILE *f, const exs_results *r)
{
    size_t n;
    const exs_count *g = exs_results_counts(r, EXS_COUNT_FAMILY, &n);
    if (!n)
        return;
    fputs("<section id=\"families\" class=\"card\">\n<h2>By attack family</h2>\n"
          "<table class=\"sortable\">\n<thead><tr><th>family</th><th>CVE</th><th>first seen (UTC)</th>"
          "<th>last seen (UTC)</th><th class=\"num\">count</th><th>verdicts</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t k = 0; k < n; k++) {
        const char *bar = strchr(g[k].key, '|');
        size_t fl = bar ? (size_t)(bar - g[k].key) : strlen(g[k].key);
        fputs("<tr><td>", f);
        xs_esc_html(f, g[k].key, fl);
        fputs("</td><td>", f);
        hd(f, bar ? bar + 1 : NULL);
        fputs("</td><td>", f);
        htime(f, g[k].first_ms);
        fputs("</td><td>", f);
        htime(f, g[k].last_ms);
        fprintf(f, "</td><td class=\"num\">%" PRIu64 "</td><td>", g[k].n);
        verdict_list(f, &g[k]);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n</section>\n", f);
}

/* ---------------------------------------------------------------- the story */

#define chain_order xs_story_chain

static void chain(FILE *f, const exs_results *r, const xs_story *s)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    size_t shown = 0, more = 0;
    for (size_t root = 0; root < s->nroots; root++) {
        const xs_story_step *st = s->steps[root];
        size_t any = 0;
        for (size_t k = 0; k < XS_STORY_STEPS; k++)
            any += st[chain_order[k]].n;
        if (!any || any == st[EXS_STAGE_RECON].n)
            continue;
        if (shown++ >= XS_HTML_MAX_ROWS) {
            more++;
            continue;
        }
        fputs("<section class=\"card chain\">\n<h2>How it happened", f);
        if (sw->nroots > 1 && root < sw->nroots) {
            fputs(" on ", f);
            h(f, sw->roots[root].label);
        }
        fputs("</h2>\n<p class=\"dim\">The steps of an intrusion, each from its first finding "
              "(UTC).</p>\n<table>\n<thead><tr><th>step</th><th>first</th><th>last</th>"
              "<th class=\"num\">findings</th><th>worst</th><th>first finding</th></tr></thead>\n"
              "<tbody>\n",
              f);
        for (size_t k = 0; k < XS_STORY_STEPS; k++) {
            const xs_story_step *x = &st[chain_order[k]];
            fprintf(f, "<tr%s><td>%s</td><td>", x->n ? "" : " class=\"dim\"",
                    exs_stage_title(chain_order[k]));
            if (!x->n) {
                fputs("not seen</td><td></td><td class=\"num\">0</td><td></td><td></td></tr>\n", f);
                continue;
            }
            htime(f, x->first_ms);
            fputs("</td><td>", f);
            htime(f, x->last_ms);
            fprintf(f, "</td><td class=\"num\">%zu</td><td class=\"v-%s\">%s</td><td><code>", x->n,
                    vname(x->worst), vname(x->worst));
            h(f, x->first->rule->id);
            fputs("</code> ", f);
            h(f, x->first->rule->name);
            const char *part[2];
            size_t np = xs_story_subject(x->first, part);
            if (np) {
                fputs("<br><code>", f);
                for (size_t i = 0; i < np; i++) {
                    if (i)
                        fputc(' ', f);
                    h(f, part[i]);
                }
                fputs("</code>", f);
            }
            if (x->first->http && x->first->http->client && !x->first->http->backend) {
                fputs(" from <code>", f);
                h(f, x->first->http->client);
                fputs("</code>", f);
            }
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody></table>\n</section>\n", f);
    }
    if (more)
        fprintf(f, "<p class=\"note\">... and %zu more servers with a story (past %d): the "
                   "report of each saved sweep tells it.</p>\n",
                more, XS_HTML_MAX_ROWS);
}

static void touched_rows(FILE *f, const exs_results *r, const char *what, const xs_story_name *v,
                         size_t n)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    for (size_t i = 0; i < n && i < XS_HTML_MAX_ROWS; i++) {
        fprintf(f, "<tr><td>%s</td><td><code>", what);
        h(f, v[i].name);
        fprintf(f, "</code></td><td class=\"num\">%zu</td><td>", v[i].n);
        htime(f, v[i].first_ms);
        fputs("</td><td>", f);
        const char *sep = "";
        for (unsigned bit = 1; bit <= XS_TOUCH_SEARCH; bit <<= 1)
            if (v[i].how & bit) {
                fprintf(f, "%s%s", sep, xs_story_touch_words(bit));
                sep = ", ";
            }
        if (strcmp(what, "account") == 0 && xs_story_system_account(v[i].name))
            fputs("; a system account, no person's", f);
        if (sw->nroots > 1) {
            fputs("; on ", f);
            sep = "";
            for (size_t k = 0; k < sw->nroots && k < 64; k++)
                if (v[i].roots & ((uint64_t)1 << k)) {
                    fputs(sep, f);
                    h(f, sw->roots[k].label);
                    sep = ", ";
                }
        }
        fputs("</td></tr>\n", f);
    }
}

static void touched(FILE *f, const exs_results *r, const xs_story *s)
{
    if (!s->naccounts && !s->nmailboxes)
        return;
    fputs("<section id=\"touched\" class=\"card\">\n<h2>Accounts and mailboxes touched</h2>\n"
          "<p class=\"dim\">By the findings above probes: change these passwords, check these "
          "mailboxes.</p>\n<table class=\"sortable\">\n<thead><tr><th>kind</th><th>name</th>"
          "<th class=\"num\">findings</th><th>first (UTC)</th><th>how</th></tr></thead>\n<tbody>\n",
          f);
    touched_rows(f, r, "account", s->accounts, s->naccounts);
    touched_rows(f, r, "mailbox", s->mailboxes, s->nmailboxes);
    fputs("</tbody></table>\n", f);
    size_t more = s->accounts_more + s->mailboxes_more +
                  (s->naccounts > XS_HTML_MAX_ROWS ? s->naccounts - XS_HTML_MAX_ROWS : 0) +
                  (s->nmailboxes > XS_HTML_MAX_ROWS ? s->nmailboxes - XS_HTML_MAX_ROWS : 0);
    if (more)
        fprintf(f, "<p class=\"note\">... and %zu more (-f jsonl: user.name, exsweep.cmdlet.*).</p>\n",
                more);
    fputs("</section>\n", f);
}

/* ---------------------------------------------------------------- the fleet */

static bool fleet(FILE *f, const exs_results *r)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    if (sw->nroots < 2)
        return true;
    xs_fleet fl;
    if (!xs_fleet_collect(r, &fl))
        return false;
    fprintf(f, "<section id=\"fleet\" class=\"card\">\n<h2>Fleet: %zu servers</h2>\n"
               "<table class=\"sortable\">\n<thead><tr><th>server</th><th>verdict</th><th>build</th>"
               "<th>first compromise (UTC)</th><th class=\"num\">findings</th></tr></thead>\n<tbody>\n",
            sw->nroots);
    for (size_t i = 0; i < sw->nroots && i < XS_HTML_MAX_ROWS; i++) {
        const xs_fleet_row *w = &fl.rows[i];
        fputs("<tr><td>", f);
        h(f, sw->roots[i].label);
        fprintf(f, "</td><td class=\"v-%s\" data-v=\"%d\">%s</td><td>", vname(w->worst),
                (int)w->worst, xs_fleet_verdict_word(w->worst));
        hd(f, w->build);
        fputs("</td><td>", f);
        htime(f, w->first_ms);
        fprintf(f, "</td><td class=\"num\">%" PRIu64 "</td></tr>\n", w->findings);
    }
    fputs("</tbody></table>\n", f);
    if (sw->nroots > XS_HTML_MAX_ROWS)
        fprintf(f, "<p class=\"note\">... and %zu more servers.</p>\n", sw->nroots - XS_HTML_MAX_ROWS);
    for (int k = 0; k < 2; k++) {
        const xs_fleet_shared *v = k ? fl.files : fl.addrs;
        size_t n = k ? fl.nfiles : fl.naddrs;
        fprintf(f, "<h3>%s seen on several servers (%zu)</h3>\n", k ? "Files (SHA-256)" : "Attacker addresses", n);
        if (!n) {
            fputs("<p class=\"note\">None.</p>\n", f);
            continue;
        }
        fprintf(f, "<table class=\"sortable\">\n<thead><tr><th>%s</th><th class=\"num\">servers</th>"
                   "<th>on</th></tr></thead>\n<tbody>\n", k ? "file" : "address");
        for (size_t i = 0; i < n && i < XS_HTML_MAX_ROWS; i++) {
            fputs("<tr><td><code>", f);
            h(f, v[i].value);
            fputs("</code>", f);
            if (v[i].path) {
                fputs("<br><code>", f);
                h(f, v[i].path);
                fputs("</code>", f);
            }
            fprintf(f, "</td><td class=\"num\">%zu</td><td>", v[i].nroots);
            for (size_t j = 0; j < v[i].named; j++) {
                if (j)
                    fputs(", ", f);
                h(f, v[i].roots[j] < sw->nroots ? sw->roots[v[i].roots[j]].label : "?");
            }
            if (v[i].nroots > v[i].named)
                fprintf(f, " +%zu", v[i].nroots - v[i].named);
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
        if (n > XS_HTML_MAX_ROWS)
            fprintf(f, "<p class=\"note\">... and %zu more.</p>\n", n - XS_HTML_MAX_ROWS);
    }
    fputs("</section>\n", f);
    xs_fleet_free(&fl);
    return true;
}

/* ---------------------------------------------------------------- attackers */

/* The story's cells of an actor: steps, logs, user agents, accounts (each cell closed but the
 * last). */
static void actor_cells(FILE *f, const xs_story_actor *a)
{
    const char *sep = "";
    for (size_t k = 0; k < XS_STORY_STEPS; k++)
        if (a->steps & (1u << chain_order[k])) {
            fprintf(f, "%s%s", sep, exs_stage_title(chain_order[k]));
            sep = ", ";
        }
    fputs("</td><td>", f);
    for (size_t i = 0; i < a->nkinds; i++) {
        fputs(i ? ", " : "", f);
        h(f, a->kinds[i].key);
        fprintf(f, " %zu", a->kinds[i].n);
    }
    if (a->kinds_more)
        fprintf(f, ", %zu of other kinds", a->kinds_more);
    if (a->cmdlets) {
        fprintf(f, "; %zu %s as <code>", a->cmdlets, a->cmdlets == 1 ? "cmdlet" : "cmdlets");
        h(f, a->cmdlet_account);
        fputs("</code>", f);
    }
    fputs("</td><td>", f);
    for (size_t i = 0; i < a->nagents; i++) {
        fputs(i ? "<br>" : "", f);
        fputs("<code>", f);
        h(f, a->agents[i].key);
        fprintf(f, "</code> (%zu)", a->agents[i].n);
    }
    if (a->agents_more)
        fprintf(f, "<br>%zu with others", a->agents_more);
    fputs("</td><td>", f);
    for (size_t i = 0; i < a->naccounts; i++) {
        fputs(i ? ", " : "", f);
        fputs("<code>", f);
        h(f, a->accounts[i]);
        fputs("</code>", f);
    }
    if (a->accounts_more)
        fprintf(f, ", +%zu", a->accounts_more);
}

static bool attackers(FILE *f, const exs_results *r, const xs_story *s)
{
    size_t nall, n = 0;
    const exs_count *c = exs_results_counts(r, EXS_COUNT_CLIENT, &nall);
    const exs_count **v = malloc((nall ? nall : 1) * sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < nall; i++)
        if (!xs_render_loopback(c[i].key))
            v[n++] = &c[i];
    if (n > 1)
        qsort(v, n, sizeof *v, xs_count_cmp_client);
    fprintf(f, "<section id=\"attackers\" class=\"card\">\n<h2>Attackers: client addresses (%zu)</h2>\n", n);
    if (!n) {
        fputs("<p class=\"note\">No client address in the findings.</p>\n</section>\n", f);
        free(v);
        return true;
    }
    fputs("<table class=\"sortable\">\n<thead><tr><th>address</th><th class=\"num\">findings</th>"
          "<th>first (UTC)</th><th>last (UTC)</th><th>worst</th><th>verdicts</th><th>steps</th>"
          "<th>logs</th><th>user agents</th><th>accounts</th></tr></thead>\n<tbody>\n",
          f);
    size_t shown = n < XS_HTML_MAX_ROWS ? n : XS_HTML_MAX_ROWS;
    for (size_t k = 0; k < shown; k++) {
        exs_verdict w = xs_count_worst(v[k]);
        fputs("<tr><td><code>", f);
        h(f, v[k]->key);
        fprintf(f, "</code></td><td class=\"num\">%" PRIu64 "</td><td>", v[k]->n);
        htime(f, v[k]->first_ms);
        fputs("</td><td>", f);
        htime(f, v[k]->last_ms);
        fprintf(f, "</td><td class=\"v-%s\" data-v=\"%d\">%s</td><td>", vname(w), (int)w, vname(w));
        verdict_list(f, v[k]);
        fputs("</td><td>", f);
        const xs_story_actor *a = xs_story_actor_of(s, v[k]->key);
        if (a)
            actor_cells(f, a);
        else
            fputs("</td><td></td><td></td><td>", f);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    if (n > shown)
        fprintf(f, "<p class=\"note\">... and %zu more addresses (-f jsonl lists every finding).</p>\n",
                n - shown);
    if (exs_results_stats(r)->counts_dropped)
        fprintf(f, "<p class=\"note\">%" PRIu64 " findings of addresses past the %d counted are in the totals only.</p>\n",
                exs_results_stats(r)->counts_dropped, EXS_MAX_COUNT_KEYS);
    fputs("</section>\n", f);
    free(v);
    return true;
}

/* ---------------------------------------------------------------- what they left */

static void left_used(FILE *f, const xs_left_entry *e, const xs_left_facts *k)
{
    if (!k->requests) {
        if (e->first->file && e->first->file->url) {
            fputs("served as <code>", f);
            h(f, e->first->file->url);
            fputs("</code>, no request to it in the logs read", f);
        } else {
            fputc('-', f);
        }
        return;
    }
    h(f, k->requests);
    fputs(strcmp(k->requests, "1") == 0 ? " request" : " requests", f);
    if (k->answered) {
        fputs(", ", f);
        h(f, k->answered);
        fputs(" answered with success", f);
    }
    if (k->first) {
        fputs(", ", f);
        h(f, k->first);
        if (k->last) {
            fputs(" to ", f);
            h(f, k->last);
        }
    }
    if (k->clients) {
        fputs("<br>clients <code>", f);
        h(f, k->clients);
        fputs("</code>", f);
    }
}

static bool left(FILE *f, const exs_results *r)
{
    xs_left_entry *e;
    size_t ne;
    if (!xs_left_collect(r, &e, &ne))
        return false;
    size_t back = 0;
    for (size_t i = 0; i < ne; i++)
        back += e[i].backdoor;
    fprintf(f, "<section id=\"backdoors\" class=\"card\">\n<h2>What they left: %zu %s "
               "(%zu %s, %zu other %s)</h2>\n",
            ne, plural(ne, "file", "files"), back, plural(back, "backdoor", "backdoors"), ne - back,
            plural(ne - back, "artefact", "artefacts"));
    if (!ne) {
        fputs("<p class=\"note\">No file on disk with a finding of verdict suspicious or worse.</p>\n</section>\n", f);
        return true;
    }
    const exs_sweep_info *sw = exs_results_sweep(r);
    fputs("<table>\n<thead><tr><th>verdict</th><th>file</th><th>what</th><th>SHA-256</th>"
          "<th>written</th><th>used</th></tr></thead>\n<tbody>\n",
          f);
    size_t shown = ne < XS_HTML_MAX_ROWS ? ne : XS_HTML_MAX_ROWS;
    for (size_t i = 0; i < shown; i++) {
        const xs_left_entry *x = &e[i];
        fprintf(f, "<tr%s><td class=\"v-%s\">%s%s</td><td class=\"where\">",
                x->backdoor ? " class=\"backdoor\"" : "", vname(x->worst), vname(x->worst),
                x->backdoor ? "<br><b>backdoor</b>" : "");
        if (sw->nroots > 1 && x->root < sw->nroots) {
            h(f, sw->roots[x->root].label);
            fputc('/', f);
        }
        h(f, x->path);
        fputs("</td><td>", f);
        h(f, x->first->rule->name);
        fputs("<br><span class=\"dim\">", f);
        for (size_t k = 0; k < x->nrules && k < XS_LEFT_RULES; k++) {
            fputs(k ? ", " : "", f);
            h(f, x->rules[k]);
        }
        if (x->nrules > XS_LEFT_RULES)
            fprintf(f, ", +%zu", x->nrules - XS_LEFT_RULES);
        fputs("</span></td><td class=\"hash\">", f);
        hd(f, x->sha256);
        fputs("</td><td>", f);
        xs_left_facts k;
        xs_left_facts_of(x, &k);
        if (k.created) {
            h(f, k.created);
            if (k.created_by) {
                fputs(" by ", f);
                h(f, k.created_by);
            }
        } else if (xs_time_formattable(x->mtime_ms)) {
            htime(f, x->mtime_ms);
            fputs(" <span class=\"dim\">(modification time)</span>", f);
        } else {
            fputc('-', f);
        }
        fputs("</td><td>", f);
        left_used(f, x, &k);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    if (ne > shown)
        fprintf(f, "<p class=\"note\">... and %zu more files (every one is in the findings below, and in -f jsonl).</p>\n",
                ne - shown);
    fputs("</section>\n", f);
    free(e);
    return true;
}

/* ---------------------------------------------------------------- coverage, warnings */

static void coverage(FILE *f, const exs_results *r)
{
    size_t n;
    const exs_coverage *cv = exs_results_coverage(r, &n);
    fputs("<section id=\"coverage\" class=\"card\">\n<h2>Log coverage</h2>\n<p class=\"dim\">A clean "
          "result only speaks for these windows.</p>\n",
          f);
    if (!n) {
        fputs("<p class=\"warn\">No log files recognised.</p>\n</section>\n", f);
        return;
    }
    fputs("<table class=\"sortable\">\n<thead><tr><th>family</th><th class=\"num\">files</th>"
          "<th class=\"num\">skipped</th><th class=\"num\">lines</th><th>from (UTC)</th>"
          "<th>to (UTC)</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr><td>", f);
        h(f, cv[i].family);
        fprintf(f, "</td><td class=\"num\">%" PRIu64 "</td><td class=\"num\">%" PRIu64
                   "</td><td class=\"num\">%" PRIu64 "</td><td>",
                cv[i].files_read, cv[i].files_skipped, cv[i].lines);
        htime(f, cv[i].first_ms);
        fputs("</td><td>", f);
        htime(f, cv[i].last_ms);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n</section>\n", f);
}

static void warnings(FILE *f, const exs_results *r)
{
    size_t nk, nw;
    const exs_warning_count *wc = exs_results_warning_counts(r, &nk);
    const exs_warning *w = exs_results_warnings(r, &nw);
    uint64_t total = 0;
    for (size_t i = 0; i < nk; i++)
        total += wc[i].count;
    if (!total)
        return;
    fprintf(f, "<section id=\"warnings\" class=\"card\">\n<h2>Warnings: %" PRIu64 "</h2>\n<p>", total);
    const char *sep = "";
    for (size_t i = 0; i < nk; i++)
        if (wc[i].count) {
            fputs(sep, f);
            h(f, wc[i].kind);
            fprintf(f, " %" PRIu64, wc[i].count);
            sep = ", ";
        }
    fputs("</p>\n<details><summary>Examples</summary>\n<ul class=\"where\">\n", f);
    for (size_t i = 0; i < nw && i < XS_HTML_MAX_ROWS; i++) {
        fputs("<li>[", f);
        h(f, w[i].kind);
        fputs("] ", f);
        h(f, w[i].file);
        if (w[i].line)
            fprintf(f, ":%" PRIu64, w[i].line);
        fputs(": ", f);
        h(f, w[i].message);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n</details>\n</section>\n", f);
}

/* ---------------------------------------------------------------- the findings, as JSON */

/* One detail of a finding's evidence: ["label","value"], the label the writer's own. */
static void jd(FILE *f, bool *first, const char *label, const char *v)
{
    if (!v || !*v)
        return;
    fputs(*first ? "[" : ",[", f);
    *first = false;
    jstr(f, label);
    fputc(',', f);
    jstr(f, v);
    fputc(']', f);
}

static void jd_num(FILE *f, bool *first, const char *label, int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%" PRId64, v);
    jd(f, first, label, b);
}

static void jd_time(FILE *f, bool *first, const char *label, int64_t ms)
{
    if (!xs_time_formattable(ms))
        return;
    char t[32];
    xs_time_format(ms, t);
    jd(f, first, label, t);
}

static void details(FILE *f, const exs_finding *x)
{
    bool first = true;
    fputs(",\"d\":[", f);
    jd(f, &first, "reason", x->reason);
    jd(f, &first, "target", x->target);
    const exs_http_facts *hp = x->http;
    if (hp) {
        jd(f, &first, "query", hp->query);
        jd(f, &first, "user agent", hp->user_agent);
        jd(f, &first, "user", hp->user);
        jd(f, &first, "host", hp->host);
        if (hp->client_port)
            jd_num(f, &first, "client port", hp->client_port);
        if (hp->backend)
            jd(f, &first, "logged by", "a back end (the client is an Exchange server)");
    }
    const exs_file_facts *fl = x->file;
    if (fl) {
        jd(f, &first, "file", fl->path);
        if (fl->size >= 0)
            jd_num(f, &first, "size", fl->size);
        jd(f, &first, "SHA-256", fl->sha256);
        jd(f, &first, "SHA-1", fl->sha1);
        jd(f, &first, "MD5", fl->md5);
        jd_time(f, &first, "modified", fl->mtime_ms);
        jd_time(f, &first, "accessed", fl->atime_ms);
        jd_time(f, &first, "changed", fl->ctime_ms);
        jd(f, &first, "attributes", fl->attributes);
        jd(f, &first, "served as", fl->url);
        jd(f, &first, "site", fl->site);
    }
    const exs_process_facts *p = x->process;
    if (p) {
        jd(f, &first, "executable", p->executable);
        jd(f, &first, "command line", p->command_line);
        if (p->pid >= 0)
            jd_num(f, &first, "pid", p->pid);
        jd(f, &first, "parent", p->parent_executable);
        if (p->parent_pid >= 0)
            jd_num(f, &first, "parent pid", p->parent_pid);
        jd(f, &first, "process user", p->user);
        jd(f, &first, "acted on", p->target_executable);
    }
    const exs_event_facts *ev = x->event;
    if (ev) {
        jd(f, &first, "channel", ev->channel);
        jd(f, &first, "provider", ev->provider);
        jd_num(f, &first, "event id", ev->id);
        jd(f, &first, "computer", ev->computer);
        if (ev->recovered)
            jd(f, &first, "recovered", "from free space or a damaged chunk");
    }
    const exs_cmdlet_facts *cm = x->cmdlet;
    if (cm) {
        jd(f, &first, "cmdlet", cm->name);
        jd(f, &first, "parameters", cm->parameters);
        jd(f, &first, "run by", cm->user);
        jd(f, &first, "run from", cm->client);
        if (cm->failed)
            jd(f, &first, "outcome", "failed");
    }
    for (size_t i = 0; i < x->nfacts; i++)
        jd(f, &first, x->facts[i].key, x->facts[i].value);
    jd(f, &first, "kind", x->origin.kind);
    if (x->origin.record)
        jd_num(f, &first, "record", (int64_t)x->origin.record);
    if (x->origin.offset >= 0)
        jd_num(f, &first, "offset", x->origin.offset);
    jd(f, &first, "id", x->id);
    if (x->nrelated) { /* the ids are the library's own hex: one value, comma-separated */
        fputs(first ? "[\"tied to\",\"" : ",[\"tied to\",\"", f);
        first = false;
        for (size_t i = 0; i < x->nrelated; i++) {
            fputs(i ? ", " : "", f);
            xs_esc_json_html(f, x->related[i], strlen(x->related[i]));
        }
        fputs("\"]", f);
    }
    fputc(']', f);
}

static void finding_json(FILE *f, const exs_results *r, const exs_finding *x, size_t rule)
{
    char buf[2048];
    fprintf(f, "{\"v\":%d,\"s\":%d,\"r\":%zu,\"t\":", (int)x->verdict, (int)x->severity, rule);
    if (xs_time_formattable(x->time_ms)) {
        char t[32];
        xs_time_format(x->time_ms, t);
        t[10] = ' ';
        t[19] = 0;
        jstr(f, t);
    } else {
        fputs("\"\"", f);
    }
    const exs_http_facts *hp = x->http;
    if (hp) {
        fputs(",\"c\":", f);
        jstr(f, hp->client);
        fputs(",\"m\":", f);
        jstr(f, hp->method);
        fputs(",\"p\":", f);
        jstr(f, hp->path);
        if (hp->status)
            fprintf(f, ",\"st\":%d", hp->status);
    }
    xs_render_words(x, buf, sizeof buf);
    fputs(",\"w\":", f);
    jstr(f, buf);
    xs_render_where(r, x, true, buf, sizeof buf);
    fputs(",\"at\":", f);
    jstr(f, buf);
    details(f, x);
    if (x->evidence) {
        fputs(",\"e\":", f);
        jstr(f, x->evidence);
    }
    fputc('}', f);
}

/* Kept findings past the cap: the heaviest are embedded, and shown in time order. */
static _Thread_local const exs_finding *const *cmp_base; /* qsort's comparator, per thread */
static int cmp_heavy(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    const exs_finding *x = &(*cmp_base)[a], *y = &(*cmp_base)[b];
    if (x->verdict != y->verdict)
        return x->verdict > y->verdict ? -1 : 1;
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    return a < b ? -1 : (a > b);
}

static int cmp_index(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : (a > b);
}

static bool findings(FILE *f, const exs_results *r, size_t cap)
{
    size_t n;
    const exs_finding *x = exs_results_findings(r, &n);
    const exs_sweep_stats *st = exs_results_stats(r);
    size_t ne = n < cap ? n : cap;
    size_t *pick = NULL;
    if (n > cap) {
        pick = malloc(n * sizeof *pick);
        if (!pick)
            return false;
        for (size_t i = 0; i < n; i++)
            pick[i] = i;
        cmp_base = &x;
        qsort(pick, n, sizeof *pick, cmp_heavy);
        qsort(pick, ne, sizeof *pick, cmp_index);
    }
    xs_strmap *rules = xs_strmap_create();
    const exs_rule **rl = malloc((ne ? ne : 1) * sizeof *rl);
    if (!rules || !rl) {
        xs_strmap_destroy(rules);
        free(rl);
        free(pick);
        return false;
    }
    size_t nr = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < ne; i++) {
        const exs_rule *ru = x[pick ? pick[i] : i].rule;
        if (!xs_strmap_get(rules, ru->id)) {
            rl[nr] = ru;
            ok = xs_strmap_put(rules, ru->id, (void *)(uintptr_t)(nr + 1), NULL);
            nr++;
        }
    }
    if (ok) {
        fputs("<section id=\"findings\" class=\"card\">\n<h2>Findings</h2>\n", f);
        fprintf(f, "<p class=\"dim\">%" PRIu64 " in all, %zu kept, %zu in this file.", st->findings, n, ne);
        if (n > ne)
            fprintf(f, " <span class=\"warn\">This file embeds at most %d findings: the %zu heaviest "
                       "are here, %zu more are counted only (-f jsonl lists every kept finding).</span>",
                    (int)cap, ne, n - ne);
        if (st->findings_dropped)
            fprintf(f, " %" PRIu64 " past the sweep's cap are counted, not kept.", st->findings_dropped);
        fputs(" Click a row for its evidence.</p>\n<div class=\"controls\">"
              "<input id=\"exs-q\" type=\"search\" placeholder=\"filter: any text (address, path, rule, evidence)\">"
              "<select id=\"exs-v\"><option value=\"0\">every verdict</option>"
              "<option value=\"4\">exploitation</option><option value=\"3\">suspicious or worse</option>"
              "<option value=\"2\">attempt or worse</option><option value=\"1\">probe only</option></select>"
              "<select id=\"exs-r\"><option value=\"\">every rule</option></select>"
              "<span class=\"pager\"><button id=\"exs-prev\" type=\"button\">&lsaquo; previous</button>"
              "<span id=\"exs-page\"></span><button id=\"exs-next\" type=\"button\">next &rsaquo;</button></span>"
              "</div>\n<table id=\"exs-findings\">\n<thead><tr><th data-k=\"t\">time (UTC)</th>"
              "<th data-k=\"v\">verdict</th><th data-k=\"r\">rule</th><th data-k=\"c\">client</th>"
              "<th data-k=\"p\">request</th><th data-k=\"w\">what</th><th data-k=\"at\">where</th></tr></thead>\n"
              "<tbody></tbody>\n</table>\n<noscript><p class=\"warn\">The findings table needs "
              "JavaScript; -f csv or -f jsonl have them all.</p></noscript>\n</section>\n",
              f);
        fprintf(f, "<script type=\"application/json\" id=\"exs-data\">{\"format\":\"exsweep-html-1\","
                   "\"total\":%" PRIu64 ",\"kept\":%zu,\"embedded\":%zu,\"rules\":[",
                st->findings, n, ne);
        for (size_t i = 0; i < nr; i++) {
            fputs(i ? ",{\"id\":" : "{\"id\":", f);
            jstr(f, rl[i]->id);
            fputs(",\"name\":", f);
            jstr(f, rl[i]->name);
            fputs(",\"family\":", f);
            jstr(f, rl[i]->family);
            fputs(",\"cves\":", f);
            jstr(f, rl[i]->cves);
            fputs(",\"techniques\":", f);
            jstr(f, rl[i]->techniques);
            fputs(",\"description\":", f);
            jstr(f, rl[i]->description);
            fprintf(f, ",\"backdoor\":%s}", rl[i]->backdoor ? "true" : "false");
        }
        fputs("],\"findings\":[\n", f);
        for (size_t i = 0; i < ne && !ferror(f); i++) {
            const exs_finding *y = &x[pick ? pick[i] : i];
            if (i)
                fputs(",\n", f);
            finding_json(f, r, y, (size_t)(uintptr_t)xs_strmap_get(rules, y->rule->id) - 1);
        }
        fputs("\n]}</script>\n", f);
    }
    xs_strmap_destroy(rules);
    free(rl);
    free(pick);
    return ok;
}

/* ---------------------------------------------------------------- the document */

exs_rc xs_report_html(const exs_results *r, FILE *f, size_t max_findings)
{
    head(f, r);
    header(f, r);
    fputs("<main>\n", f);
    verdict(f, r);
    if (!fleet(f, r))
        return EXS_ENOMEM;
    size_t ns;
    const exs_server *sv = exs_results_servers(r, &ns);
    for (size_t i = 0; i < ns; i++)
        server(f, r, &sv[i]);
    xs_story story;
    if (!xs_story_build(r, &story))
        return EXS_ENOMEM;
    chain(f, r, &story);
    bool ok = timeline(f, r) && left(f, r);
    if (ok)
        touched(f, r, &story);
    ok = ok && attackers(f, r, &story);
    xs_story_free(&story);
    if (!ok)
        return EXS_ENOMEM;
    families(f, r);
    if (!findings(f, r, max_findings))
        return EXS_ENOMEM;
    coverage(f, r);
    warnings(f, r);
    fprintf(f, "</main>\n<footer>Written by exsweep. Self-contained: nothing is fetched "
               "(Content-Security-Policy: %s).</footer>\n<script>\n%s</script>\n</body>\n</html>\n",
            CSP, xs_html_js);
    return EXS_OK;
}

static exs_rc html_end(FILE *f, const exs_results *r, const exs_report_opts *o)
{
    (void)o;
    return xs_report_html(r, f, XS_HTML_MAX_FINDINGS);
}

const xs_writer xs_writer_html = {"html", NULL, NULL, html_end};
