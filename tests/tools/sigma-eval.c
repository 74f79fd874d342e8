/* sigma-eval SIGMAHQ [--report FILE] [--min PERCENT] [--others] [--evtx DIR] [--iis DIR]: loads SigmaHQ's rule folders (rules*
 * under SIGMAHQ) through lib/sigma and prints "sigma: N rules loaded, M skipped", the skip
 * reasons tallied (by kind, then the most common ones in full), and the share loaded. Exits 1
 * when less than PERCENT (95) of the rules loaded. make eval runs it over
 * $(EVALDATA)/sigmahq.
 *
 * Then the regression samples (SIGMAHQ/regression_data/.../info.yml, each naming its rule and
 * an EVTX file beside it): each EVTX read by lib/parsers/evtx, every record given to its rule
 * through the Windows log-source mapping (lib/sigma/winlog.h); printed: how many samples fire
 * their own rule, and each that does not, with why (not loaded, log source not mapped or not
 * covering the records, the detection not matching), and how often other rules fire on the
 * samples (each, with --others), and how many of the samples' JSON renderings (one event
 * each, flattened by lib/parsers/json.h) fire their rule. Not gated yet. With --evtx DIR, every rule over every EVTX
 * record under DIR: the matches by rule, per file, and the records per second; with --iis DIR,
 * the webserver rules over every IIS W3C line under DIR (lib/sigma/weblog.h). */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "parsers/json.h"
#include "sigma/sigma.h"
#include "sigma/weblog.h"
#include "sigma/winlog.h"

static xs_sigma_set *g_set;
static xs_sigma_scratch *g_sc;
static bool g_list_others;
static size_t g_json_samples, g_json_fired;
static size_t g_samples, g_fired, g_noload, g_unmapped, g_others, g_records;

typedef struct sample {
    const xs_sigma_rule *rule;
    size_t records, covered, matched, detected;
} sample;

/* The other rules that fire on a record: a matcher that matched too much would fire many. */
static size_t others(const xs_sigma_rule *own, const xs_sigma_event *ev)
{
    size_t n = 0;
    xs_sigma_winsrc src;
    xs_sigma_win_source(ev, &src);
    for (size_t i = 0; i < xs_sigma_count(g_set); i++) {
        const xs_sigma_rule *r = xs_sigma_rule_at(g_set, i);
        if (r == own || !xs_sigma_win_match_src(r, &src, ev, g_sc))
            continue;
        n++;
        if (g_list_others)
            printf("  also fired: %s, on the sample of %s\n", xs_sigma_rule_meta(r)->title,
                   xs_sigma_rule_meta(own)->title);
    }
    return n;
}

static exs_rc on_record(void *ctx, const xs_evtx_record *rec)
{
    sample *s = ctx;
    xs_sigma_evtx x;
    xs_sigma_event ev = xs_sigma_evtx_event(&x, rec);
    xs_sigma_winsrc src;
    xs_sigma_win_source(&ev, &src);
    s->records++;
    s->covered += xs_sigma_win_covers(s->rule, &src) == XS_SWIN_COVERS;
    s->matched += xs_sigma_win_match(s->rule, &ev, g_sc);
    s->detected += xs_sigma_match(s->rule, &ev, g_sc);
    g_others += others(s->rule, &ev);
    g_records++;
    return EXS_OK;
}

static long read_fd(void *ctx, void *buf, size_t n)
{
    return (long)read(*(int *)ctx, buf, n);
}

/* The id under rule_metadata: in an info.yml. */
static bool rule_id(const char *path, char *id, size_t cap)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    bool in = false, got = false;
    while (f && !got && fgets(line, sizeof line, f)) {
        if (strncmp(line, "rule_metadata:", 14) == 0)
            in = true;
        char *p = strstr(line, "id:");
        if (in && p) {
            p += 3;
            p += strspn(p, " \t'\"");
            size_t n = strcspn(p, " \t'\"\r\n");
            snprintf(id, cap, "%.*s", (int)n, p);
            got = true;
        }
    }
    if (f)
        fclose(f);
    return got;
}

/* Whether rule fires on the JSON object p[0..n), flattened by lib/parsers/json.h to leaf names
 * (-1: not an object json.h reads). */
static int json_object_fires(const char *p, size_t n, char *scratch, const xs_sigma_rule *rule)
{
    static xs_json_pair pairs[1024];
    static xs_sigma_kv kv[1024];
    size_t np = 0;
    if (xs_json_flat(p, n, pairs, 1024, &np, scratch) != 0)
        return -1;
    for (size_t i = 0; i < np; i++)
        kv[i] = (xs_sigma_kv){pairs[i].key, pairs[i].value};
    xs_sigma_kvs kvs = {kv, np};
    xs_sigma_event ev = xs_sigma_kv_event(&kvs);
    return xs_sigma_win_match(rule, &ev, g_sc);
}

/* The sample's JSON rendering: one event object, several, or an array of them. Whether the rule fires
 * on one; -1: no JSON, or not read. */
static int json_fires(const char *path, const xs_sigma_rule *rule)
{
    int fd = open(path, O_RDONLY);
    char *buf = NULL, *scratch = NULL;
    int rc = -1;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size > (16 << 20))
        goto out;
    size_t n = (size_t)st.st_size;
    buf = malloc(n);
    scratch = malloc(n);
    if (!buf || !scratch || read(fd, buf, n) != (ssize_t)n)
        goto out;
    /* each top-level object (one, several one after the other, or an array's), found by its
     * braces outside strings */
    int depth = 0;
    bool str = false;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = buf[i];
        if (str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                str = false;
        } else if (ch == '"')
            str = true;
        else if (ch == '{' && depth++ == 0)
            start = i;
        else if (ch == '}' && --depth == 0) {
            int one = json_object_fires(buf + start, i + 1 - start, scratch, rule);
            rc = one > rc ? one : rc;
        }
    }
out:
    free(buf);
    free(scratch);
    if (fd >= 0)
        close(fd);
    return rc;
}

static const xs_sigma_rule *by_id(const char *id)
{
    for (size_t i = 0; i < xs_sigma_count(g_set); i++) {
        const xs_sigma_meta *m = xs_sigma_rule_meta(xs_sigma_rule_at(g_set, i));
        if (m->id && strcmp(m->id, id) == 0)
            return xs_sigma_rule_at(g_set, i);
    }
    return NULL;
}

static void one_sample(const char *info)
{
    char id[128], dir[4096];
    snprintf(dir, sizeof dir, "%s", info);
    *strrchr(dir, '/') = '\0';
    if (!rule_id(info, id, sizeof id))
        return;
    g_samples++;
    sample s = {by_id(id), 0, 0, 0, 0};
    if (!s.rule) {
        g_noload++;
        printf("  not fired: %s: rule %s not loaded\n", dir, id);
        return;
    }
    xs_evtx_reader *r;
    if (xs_evtx_reader_create(&r, XS_EVTX_NO_TEXT) != EXS_OK)
        return;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 5, ".evtx") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char json[8192];
        snprintf(json, sizeof json, "%.*s.json", (int)(strlen(path) - 5), path);
        int j = json_fires(json, s.rule);
        if (j >= 0) {
            g_json_samples++;
            g_json_fired += (size_t)j;
            if (!j)
                printf("  not fired by its JSON rendering: %s\n", json);
        }
        int fd = open(path, O_RDONLY);
        if (fd >= 0) {
            xs_evtx_reader_run(r, read_fd, &fd, on_record, &s, NULL);
            close(fd);
        }
    }
    if (d)
        closedir(d);
    xs_evtx_reader_destroy(r);
    const xs_sigma_meta *m = xs_sigma_rule_meta(s.rule);
    if (s.matched) {
        g_fired++;
        return;
    }
    const char *why = s.records == 0   ? "no record read"
                      : s.covered == 0 ? "log source does not cover the records"
                      : s.detected     ? "detection matches only without the field mapping"
                                       : "detection does not match";
    g_unmapped += s.covered == 0;
    printf("  not fired: %s (%s/%s/%s): %s (%zu records, %zu covered, %zu matched without the "
           "log source)\n",
           m->title, m->product ? m->product : "-", m->category ? m->category : "-",
           m->service ? m->service : "-", why, s.records, s.covered, s.detected);
}

/* --evtx DIR: every loaded rule over every record of every EVTX file under DIR. */
typedef struct sweep {
    size_t records, hits;
    size_t *per_rule;
} sweep;
static sweep g_sweep;

static exs_rc sweep_record(void *ctx, const xs_evtx_record *rec)
{
    sweep *w = ctx;
    xs_sigma_evtx x;
    xs_sigma_event ev = xs_sigma_evtx_event(&x, rec);
    xs_sigma_winsrc src;
    xs_sigma_win_source(&ev, &src);
    w->records++;
    for (size_t i = 0; i < xs_sigma_count(g_set); i++)
        if (xs_sigma_win_match_src(xs_sigma_rule_at(g_set, i), &src, &ev, g_sc)) {
            w->hits++;
            w->per_rule[i]++;
        }
    return EXS_OK;
}

static int sweep_visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || n < 5 || strcmp(path + n - 5, ".evtx") != 0)
        return 0;
    xs_evtx_reader *r;
    int fd = open(path, O_RDONLY);
    if (fd < 0 || xs_evtx_reader_create(&r, XS_EVTX_NO_TEXT) != EXS_OK) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    size_t count = xs_sigma_count(g_set);
    memset(g_sweep.per_rule, 0, count * sizeof *g_sweep.per_rule);
    size_t before = g_sweep.records, hits = g_sweep.hits;
    xs_evtx_reader_run(r, read_fd, &fd, sweep_record, &g_sweep, NULL);
    xs_evtx_reader_destroy(r);
    close(fd);
    printf("  %s: %zu records, %zu matches\n", path, g_sweep.records - before,
           g_sweep.hits - hits);
    for (size_t i = 0; i < count; i++)
        if (g_sweep.per_rule[i])
            printf("      %5zu  %s (%s)\n", g_sweep.per_rule[i],
                   xs_sigma_rule_meta(xs_sigma_rule_at(g_set, i))->title,
                   xs_sigma_rule_meta(xs_sigma_rule_at(g_set, i))->level
                       ? xs_sigma_rule_meta(xs_sigma_rule_at(g_set, i))->level
                       : "-");
    return 0;
}

/* --iis DIR: the webserver rules over every IIS W3C line of the files under DIR (a file whose
 * lines are not W3C rows gives none). */
static size_t g_iis_lines, g_iis_hits;

static int iis_visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    FILE *f = type == FTW_F ? fopen(path, "r") : NULL;
    if (!f)
        return 0;
    size_t count = xs_sigma_count(g_set), lines = 0, hits = 0;
    memset(g_sweep.per_rule, 0, count * sizeof *g_sweep.per_rule);
    static xs_w3c_schema schema;
    static xs_w3c_row row;
    static xs_sigma_w3c w;
    xs_w3c_schema_default(&schema);
    char *line = NULL;
    size_t cap = 0;
    for (ssize_t n; (n = getline(&line, &cap, f)) > 0;) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n && line[0] == '#') {
            xs_w3c_directive(&schema, line, (size_t)n);
            continue;
        }
        if (!xs_w3c_looks_like_row(line, (size_t)n))
            continue; /* an Exchange CSV log's row (ISO time with a T) among them */
        xs_w3c_split(&schema, line, (size_t)n, &row);
        xs_sigma_event ev = xs_sigma_w3c_event(&w, &schema, &row);
        lines++;
        for (size_t i = 0; i < count; i++) {
            const xs_sigma_rule *r = xs_sigma_rule_at(g_set, i);
            if (xs_sigma_web_covers(r) && xs_sigma_match(r, &ev, g_sc)) {
                hits++;
                g_sweep.per_rule[i]++;
            }
        }
    }
    free(line);
    fclose(f);
    if (!lines)
        return 0;
    g_iis_lines += lines;
    g_iis_hits += hits;
    printf("  %s: %zu W3C lines, %zu matches\n", path, lines, hits);
    for (size_t i = 0; i < count; i++)
        if (g_sweep.per_rule[i])
            printf("      %5zu  %s\n", g_sweep.per_rule[i],
                   xs_sigma_rule_meta(xs_sigma_rule_at(g_set, i))->title);
    return 0;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    const char *base = strrchr(path, '/');
    if (type == FTW_F && base && strcmp(base + 1, "info.yml") == 0)
        one_sample(path);
    return 0;
}

typedef struct tally {
    char key[200];
    size_t n;
} tally;

static void count(tally *t, size_t *nt, size_t cap, const char *key, size_t len)
{
    if (len >= sizeof t->key)
        len = sizeof t->key - 1;
    for (size_t i = 0; i < *nt; i++)
        if (strlen(t[i].key) == len && memcmp(t[i].key, key, len) == 0) {
            t[i].n++;
            return;
        }
    if (*nt == cap)
        return;
    memcpy(t[*nt].key, key, len);
    t[*nt].key[len] = '\0';
    t[(*nt)++].n = 1;
}

static int by_count(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->key, y->key);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *root = NULL, *report = NULL, *evtx = NULL, *iis = NULL;
    double min = 95.0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--report") == 0 && i + 1 < argc)
            report = argv[++i];
        else if (strcmp(argv[i], "--iis") == 0 && i + 1 < argc)
            iis = argv[++i];
        else if (strcmp(argv[i], "--evtx") == 0 && i + 1 < argc)
            evtx = argv[++i];
        else if (strcmp(argv[i], "--others") == 0)
            g_list_others = true;
        else if (strcmp(argv[i], "--min") == 0 && i + 1 < argc)
            min = strtod(argv[++i], NULL);
        else
            root = argv[i];
    }
    if (!root) {
        fprintf(stderr, "usage: sigma-eval SIGMAHQ [--report FILE] [--min PERCENT] [--others] "
                        "[--evtx DIR] [--iis DIR]\n");
        return 2;
    }
    xs_sigma_set *s = xs_sigma_set_create();
    DIR *d = opendir(root);
    if (!s || !d) {
        fprintf(stderr, "sigma-eval: cannot read %s\n", root);
        return 2;
    }
    char *names[64];
    size_t nn = 0;
    for (struct dirent *e; (e = readdir(d)) && nn < 64;)
        if (strncmp(e->d_name, "rules", 5) == 0)
            names[nn++] = strdup(e->d_name);
    closedir(d);
    qsort(names, nn, sizeof *names, by_name);
    for (size_t i = 0; i < nn; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", root, names[i]);
        printf("loading %s\n", path);
        if (xs_sigma_load_path(s, path) != 0)
            fprintf(stderr, "sigma-eval: %s: not loaded\n", path);
        free(names[i]);
    }
    char line[256];
    xs_sigma_summary(s, line, sizeof line);
    printf("%s\n", line);

    size_t nskip, nk = 0, nf = 0;
    const xs_sigma_skip *k = xs_sigma_skips(s, &nskip);
    static tally kinds[256], full[4096];
    for (size_t i = 0; i < nskip; i++) {
        const char *r = k[i].reason;
        const char *colon = strchr(r, ':');
        count(kinds, &nk, 256, r, colon ? (size_t)(colon - r) : strlen(r));
        count(full, &nf, 4096, r, strlen(r));
    }
    qsort(kinds, nk, sizeof *kinds, by_count);
    qsort(full, nf, sizeof *full, by_count);
    printf("skip reasons by kind:\n");
    for (size_t i = 0; i < nk; i++)
        printf("  %5zu  %s\n", kinds[i].n, kinds[i].key);
    printf("most common skip reasons:\n");
    for (size_t i = 0; i < nf && i < 25; i++)
        printf("  %5zu  %s\n", full[i].n, full[i].key);
    if (report) {
        FILE *f = fopen(report, "w");
        if (!f || xs_sigma_skip_report(s, f) != 0 || fclose(f) != 0)
            fprintf(stderr, "sigma-eval: cannot write %s\n", report);
    }
    size_t loaded = xs_sigma_count(s), total = loaded + nskip;
    double pct = total ? 100.0 * (double)loaded / (double)total : 0;
    printf("loaded %.2f%% of %zu (the gate: %.1f%%)\n", pct, total, min);

    char reg[4096];
    snprintf(reg, sizeof reg, "%s/regression_data", root);
    g_set = s;
    g_sc = xs_sigma_scratch_create();
    printf("regression samples (%s):\n", reg);
    if (g_sc && nftw(reg, visit, 32, FTW_PHYS) == 0)
        printf("sigma regression: %zu of %zu samples fire their own rule (%zu rules not loaded, "
               "%zu whose log source covers none of the sample's records)\n",
               g_fired, g_samples, g_noload, g_unmapped);
    printf("sigma regression: %zu records read; other rules fired %zu times on them in all\n",
           g_records, g_others);
    printf("sigma regression, the JSON renderings (lib/parsers/json.h, leaf names): %zu of %zu "
           "fire their own rule\n", g_json_fired, g_json_samples);
    g_sweep.per_rule = calloc(xs_sigma_count(s) + 1, sizeof *g_sweep.per_rule);
    if (evtx && g_sweep.per_rule) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        printf("every rule over the EVTX files under %s:\n", evtx);
        nftw(evtx, sweep_visit, 32, FTW_PHYS);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("sigma evtx: %zu records, %zu matches, %.2f s (%.0f records/s against %zu rules, "
               "reading included)\n",
               g_sweep.records, g_sweep.hits, secs, secs > 0 ? (double)g_sweep.records / secs : 0,
               xs_sigma_count(s));
    }
    if (iis && g_sweep.per_rule) {
        size_t web = 0;
        for (size_t i = 0; i < xs_sigma_count(s); i++)
            web += xs_sigma_web_covers(xs_sigma_rule_at(s, i));
        printf("the %zu webserver rules over the IIS W3C lines under %s:\n", web, iis);
        nftw(iis, iis_visit, 32, FTW_PHYS);
        printf("sigma iis: %zu lines, %zu matches\n", g_iis_lines, g_iis_hits);
    }
    free(g_sweep.per_rule);
    xs_sigma_scratch_destroy(g_sc);
    xs_sigma_set_destroy(s);
    return pct >= min ? 0 : 1;
}
