/* Test support: sweep evidence held in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memscan.h"
#include "scan/scan_int.h"
#include "scan/worker.h"

exs_scan *t_scan_many(const char *const *places, const char *const *texts)
{
    return t_scan_many_n(places, texts, NULL);
}

exs_scan *t_scan_many_n(const char *const *places, const char *const *texts, const long *lens)
{
    exs_scan *s = NULL;
    exs_scan_opts o = {1, 0};
    if (exs_scan_create(&s, &o) != EXS_OK)
        return NULL;
    if (exs_scan_prepare(s) != EXS_OK) {
        exs_scan_destroy(s);
        return NULL;
    }
    exs_worker w;
    if (exs_worker_init(&w, s) == EXS_OK)
        for (size_t i = 0; places[i]; i++)
            exs_worker_process_memory(&w, places[i], places[i], texts[i],
                                      lens && lens[i] >= 0 ? (size_t)lens[i] : strlen(texts[i]));
    exs_worker_fini(&w);
    exs_scan_finish(s);
    return s;
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

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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
