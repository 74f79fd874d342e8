/* Test support: sweep evidence held in memory. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memscan.h"
#include "report/render.h"
#include "scan/scan_int.h"
#include "scan/worker.h"


static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every finding as one line of its facts, sorted; malloc'd. Compared between the sweeps with
 * and without the prefilter, so it holds what a finding says, not only its rule. */
static char *facts(const exs_scan *s)
{
    size_t n, total = 1;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &n);
    char **lines = calloc(n + 1, sizeof *lines);
    if (!lines)
        abort();
#define OR_DASH(x) ((x) ? (x) : "-")
    for (size_t i = 0; i < n; i++) {
        /* the id says where and which rule; the words say the rest of what it found */
        char words[4096], where[8192];
        xs_render_words(&f[i], words, sizeof words);
        t_where(&f[i], where, sizeof where);
        if (asprintf(&lines[i], "%s|%s|%s|%s|%lld|%s:%llu#%llu|%s|%s|%s", f[i].id, f[i].rule->id,
                     exs_verdict_name(f[i].verdict),
                     OR_DASH(f[i].http ? f[i].http->client : NULL), (long long)f[i].time_ms,
                     where, (unsigned long long)f[i].origin.line,
                     (unsigned long long)f[i].origin.record, OR_DASH(f[i].target), words,
                     OR_DASH(f[i].evidence)) < 0)
            abort();
        total += strlen(lines[i]) + 1;
    }
#undef OR_DASH
    qsort(lines, n, sizeof *lines, cmp_lines);
    char *out = calloc(1, total);
    if (!out)
        abort();
    for (size_t i = 0, o = 0; i < n; i++) {
        o += (size_t)snprintf(out + o, total - o, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
    return out;
}

/* The lines of one sorted listing missing from the other, marked '<' (only in a) and '>'. */
static void print_difference(const char *a, const char *b)
{
    while (*a || *b) {
        size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
        int c = !*a ? 1 : !*b ? -1 : strncmp(a, b, la < lb ? la : lb);
        if (c == 0 && la != lb)
            c = la < lb ? -1 : 1;
        if (c == 0) {
            a += la + (a[la] != 0);
            b += lb + (b[lb] != 0);
        } else if (c < 0) {
            fprintf(stderr, "< %.*s\n", (int)la, a);
            a += la + (a[la] != 0);
        } else {
            fprintf(stderr, "> %.*s\n", (int)lb, b);
            b += lb + (b[lb] != 0);
        }
    }
}

static exs_scan *prepared(bool no_prefilter)
{
    exs_scan *s = NULL;
    exs_scan_opts o = {1, 0};
    if (exs_scan_create(&s, &o) != EXS_OK)
        return NULL;
    s->no_prefilter = no_prefilter;
    if (xs_scan_prepare(s) != EXS_OK) {
        exs_scan_destroy(s);
        return NULL;
    }
    return s;
}

exs_scan *t_scan_prepared(void)
{
    exs_scan *s = prepared(false);
    if (!s) {
        fprintf(stderr, "t_scan_prepared: the scan could not be created\n");
        abort();
    }
    return s;
}

static exs_scan *sweep(const char *const *places, const char *const *texts, const long *lens,
                       bool no_prefilter)
{
    exs_scan *s = prepared(no_prefilter);
    if (!s)
        return NULL;
    xs_worker w;
    if (xs_worker_init(&w, s) == EXS_OK)
        for (size_t i = 0; places[i]; i++)
            xs_worker_process_memory(&w, places[i], places[i], texts[i],
                                      lens && lens[i] >= 0 ? (size_t)lens[i] : strlen(texts[i]));
    xs_worker_fini(&w);
    xs_scan_finish(s);
    return s;
}

/* Every fixture is swept twice: as the scanner does, and with every line a candidate. The
 * prefilter promises that every line a detector could report passes it, so the findings must
 * be the same; when they are not, the test stops here and names the difference. */
exs_scan *t_scan_many_n(const char *const *places, const char *const *texts, const long *lens)
{
    exs_scan *s = sweep(places, texts, lens, false);
    exs_scan *all = sweep(places, texts, lens, true);
    if (!s || !all) {
        exs_scan_destroy(all);
        return s;
    }
    char *a = facts(s), *b = facts(all);
    if (strcmp(a, b) != 0) {
        fprintf(stderr, "prefilter promise broken: the fixture at %s%s gives other findings "
                        "when every line is a candidate (< with the prefilter only, > only "
                        "with every line a candidate):\n",
                places[0], places[1] ? " (and the files after it)" : "");
        print_difference(a, b);
        abort();
    }
    free(a);
    free(b);
    exs_scan_destroy(all);
    return s;
}

exs_scan *t_scan_many(const char *const *places, const char *const *texts)
{
    return t_scan_many_n(places, texts, NULL);
}

exs_scan *t_scan_mem(const char *place, const char *text, long len)
{
    const char *places[] = {place, NULL}, *texts[] = {text, NULL};
    return t_scan_many_n(places, texts, &len);
}

size_t t_where(const exs_finding *f, char *buf, size_t cap)
{
    size_t o = (size_t)snprintf(buf, cap, "%s", f->origin.path);
    for (size_t i = 0; i < f->origin.nmembers && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "!/%s", f->origin.members[i]);
    return o < cap ? o : cap - 1;
}

size_t t_count(const exs_scan *s, const char *rule)
{
    size_t n, c = 0;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &n);
    for (size_t i = 0; i < n; i++)
        c += !rule || strcmp(f[i].rule->id, rule) == 0;
    return c;
}

const exs_finding *t_find(const exs_scan *s, const char *rule, size_t nth)
{
    size_t n;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &n);
    for (size_t i = 0; i < n; i++)
        if (!rule || strcmp(f[i].rule->id, rule) == 0) {
            if (nth == 0)
                return &f[i];
            nth--;
        }
    return NULL;
}

uint64_t t_warns(const exs_scan *s, const char *kind)
{
    size_t n;
    const exs_warning_count *w = exs_results_warning_counts(exs_scan_results(s), &n);
    for (size_t i = 0; i < n; i++)
        if (w[i].kind && strcmp(w[i].kind, kind) == 0)
            return w[i].count;
    return 0;
}

const char *t_summary(const exs_scan *s)
{
    static char buf[16384];
    size_t n, o = 0;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &n);
    buf[0] = 0;
    for (size_t i = 0; i < n && o + 200 < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s %s %s %llu", i ? "\n" : "",
                              f[i].rule->id, exs_verdict_name(f[i].verdict),
                              f[i].http && f[i].http->client ? f[i].http->client : "-",
                              (unsigned long long)(f[i].origin.line ? f[i].origin.line
                                                                    : f[i].origin.record));
    return buf;
}

const char *t_rvs(const exs_scan *s, size_t nth)
{
    static char out[128];
    const exs_finding *f = t_find(s, NULL, nth);
    if (!f)
        return "none";
    snprintf(out, sizeof out, "%s %s %s", f->rule->id, exs_verdict_name(f->verdict),
             exs_severity_name(f->severity));
    return out;
}

char *t_listing(const exs_scan *s)
{
    size_t n;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &n);
    char **lines = calloc(n + 1, sizeof *lines);
    if (!lines)
        abort();
    size_t total = 1;
    for (size_t i = 0; i < n; i++) {
        char file[8192];
        t_where(&f[i], file, sizeof file);
        const char *slash = strrchr(file, '/');
        if (asprintf(&lines[i], "%s|%s|%s", f[i].rule->id, exs_verdict_name(f[i].verdict),
                     slash ? slash + 1 : file) < 0)
            abort();
        total += strlen(lines[i]) + 1;
    }
    qsort(lines, n, sizeof *lines, cmp_lines);
    char *out = calloc(1, total);
    if (!out)
        abort();
    for (size_t i = 0, o = 0; i < n; i++) {
        o += (size_t)snprintf(out + o, total - o, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
    return out;
}

const exs_finding *t_find_file(const exs_scan *s, const char *rule, const char *file_suffix)
{
    size_t n, sl = strlen(file_suffix);
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &n);
    for (size_t i = 0; i < n; i++) {
        char file[8192];
        size_t fl = t_where(&f[i], file, sizeof file);
        if (strcmp(f[i].rule->id, rule) == 0 && fl >= sl &&
            strcmp(file + fl - sl, file_suffix) == 0)
            return &f[i];
    }
    return NULL;
}
