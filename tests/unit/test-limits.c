/* The caps of lib/core/limits.h, each met on purpose: what is kept, what is counted, which
 * warning says so, and that the sweep goes on past it. */
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/parallel.h"
#include "exsweep/exsweep.h"
#include "fixfiles.h"
#include "fixlogs.h"
#include "jsonltext.h"
#include "memscan.h"
#include "mkarchive.h"
#include "scan/files_int.h"
#include "scan/pass.h"
#include "scan/scan_int.h"


static char *const dir = t_dir; /* made and removed around each test */

static void put(const char *rel, const char *text)
{
    assert_int_equal(t_fix_write(dir, rel, text, strlen(text)), 0);
}

static exs_scan *run_jobs(const char *root, unsigned jobs, size_t max_findings)
{
    exs_scan *s;
    exs_scan_opts o = {jobs, max_findings};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, root), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    return s;
}

static exs_scan *run_root(const char *root, size_t max_findings)
{
    return run_jobs(root, 1, max_findings);
}

/* A scan of root whose correlation caps are lowered (0: the built-in value). */
static exs_scan *run_caps(const char *root, uint64_t access, uint64_t records, uint64_t scripts)
{
    exs_scan *s;
    exs_scan_opts o = {1, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    if (access)
        s->max_access = access;
    if (records)
        s->files->max_records = records;
    if (scripts)
        s->files->max_scripts = scripts;
    assert_int_equal(exs_scan_add_root(s, root), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    return s;
}

/* The message of the only kept warning of a kind. */
static const char *warning_text(const exs_scan *s, const char *kind)
{
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n);
    const char *found = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i].kind, kind) == 0) {
            assert_null(found);
            found = w[i].message;
        }
    assert_non_null(found);
    return found;
}

/* The sweep's only warning, of LIMIT, about file, says message. */
static void only_limit(const exs_scan *s, const char *file, const char *message)
{
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n);
    assert_int_equal(t_warns(s, "limit"), 1);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].kind, "limit");
    assert_string_equal(w[0].file, file);
    assert_string_equal(w[0].message, message);
}

/* The IIS log with one shell request (two findings) from each of n addresses. */
static void put_shell_log(int n)
{
    char log[4096] = FIX_IIS_HDR;
    for (int i = 1; i <= n; i++) {
        char row[256];
        snprintf(row, sizeof row, FIX_IIS_SHELL_ROW("192.0.2.%d"), i);
        strcat(log, row);
    }
    put(FIX_IIS_LOG, log);
}

static size_t nfindings(const exs_scan *s)
{
    size_t n;
    exs_results_findings(exs_scan_results(s), &n);
    return n;
}

static const exs_sweep_stats *stats(const exs_scan *s)
{
    return exs_results_stats(exs_scan_results(s));
}

/* The exact count of one key (a rule id, a client), which must be there. */
static const exs_count *count_of(const exs_scan *s, exs_count_kind k, const char *key)
{
    size_t n;
    const exs_count *c = exs_results_counts(exs_scan_results(s), k, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].key, key) == 0)
            return &c[i];
    fail_msg("no count for %s", key);
    return NULL;
}

/* The ids of the findings of a rule with a verdict, sorted (malloc'd, *n of them). */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char **ids_of(const exs_scan *s, const char *rule, exs_verdict v, size_t *n)
{
    size_t nf;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &nf);
    const char **ids = calloc(nf + 1, sizeof *ids);
    assert_non_null(ids);
    *n = 0;
    for (size_t i = 0; i < nf; i++)
        if (strcmp(f[i].rule->id, rule) == 0 && f[i].verdict == v)
            ids[(*n)++] = f[i].id;
    qsort(ids, *n, sizeof *ids, cmp_str);
    return ids;
}

/* A log with 10 shell requests (20 exploitation findings: always kept), then 10 rows that are
 * not exploitation, of three rules: 6 probes for scripts that are not there (EXS-WS-ACCESS,
 * probe), 3 crawler user agents on a POST (EXS-PL-IIS-CRAWLERUA, suspicious), one ProxyLogon
 * carrier POST that was refused (EXS-PL-IIS-CARRIER, attempt). One client per row: no burst. */
static void put_mixed_log(void)
{
    char log[8192] = FIX_IIS_HDR;
    char row[320];
    for (int i = 1; i <= 10; i++) {
        snprintf(row, sizeof row, FIX_IIS_SHELL_ROW("192.0.2.%d"), i);
        strcat(log, row);
    }
    for (int i = 1; i <= 6; i++) {
        snprintf(row, sizeof row,
                 "2021-03-03 12:00:0%d 10.0.0.5 GET /owa/auth/p%d.aspx - 443 - 198.51.100.%d "
                 "Mozilla/5.0 - 404 0 0 1\r\n",
                 i, i, i);
        strcat(log, row);
    }
    for (int i = 1; i <= 3; i++) {
        snprintf(row, sizeof row,
                 "2021-03-03 13:00:0%d 10.0.0.5 POST /owa/auth/logon.aspx - 443 - 203.0.113.%d "
                 "Mozilla/5.0+(compatible;+YandexBot/3.0;++http://yandex.com/bots) - 302 0 0 3\r\n",
                 i, i);
        strcat(log, row);
    }
    strcat(log, "2021-03-03 14:00:00 10.0.0.5 POST /ecp/default.flt - 443 - 203.0.113.99 "
                "Mozilla/5.0 - 404 0 0 3\r\n");
    put(FIX_IIS_LOG, log);
}

/* The counts of the mixed log, exact whatever was kept. */
static void mixed_counts(const exs_scan *s)
{
    assert_int_equal(stats(s)->findings, 30);
    assert_int_equal(stats(s)->verdicts[EXS_VERDICT_EXPLOITATION], 20);
    assert_int_equal(stats(s)->verdicts[EXS_VERDICT_PROBE], 6);
    assert_int_equal(stats(s)->verdicts[EXS_VERDICT_SUSPICIOUS], 3);
    assert_int_equal(stats(s)->verdicts[EXS_VERDICT_ATTEMPT], 1);
    size_t nr;
    exs_results_counts(exs_scan_results(s), EXS_COUNT_RULE, &nr);
    assert_int_equal(nr, 4);
    const exs_count *c = count_of(s, EXS_COUNT_RULE, "EXS-WS-ACCESS");
    assert_int_equal(c->n, 16);
    assert_int_equal(c->by_verdict[EXS_VERDICT_EXPLOITATION], 10);
    assert_int_equal(c->by_verdict[EXS_VERDICT_PROBE], 6);
    assert_int_equal(c->first_ms, 1614769200000LL); /* 2021-03-03 11:00:00 */
    assert_int_equal(c->last_ms, 1614772806000LL);  /* 2021-03-03 12:00:06 */
    assert_int_equal(count_of(s, EXS_COUNT_RULE, "EXS-WS-CMD")->n, 10);
    c = count_of(s, EXS_COUNT_RULE, "EXS-PL-IIS-CRAWLERUA");
    assert_int_equal(c->n, 3);
    assert_int_equal(c->by_verdict[EXS_VERDICT_SUSPICIOUS], 3);
    c = count_of(s, EXS_COUNT_RULE, "EXS-PL-IIS-CARRIER");
    assert_int_equal(c->n, 1);
    assert_int_equal(c->by_verdict[EXS_VERDICT_ATTEMPT], 1);
    /* one client per row: 20 clients, a shell client with its two findings */
    size_t ncl;
    exs_results_counts(exs_scan_results(s), EXS_COUNT_CLIENT, &ncl);
    assert_int_equal(ncl, 20);
    assert_int_equal(count_of(s, EXS_COUNT_CLIENT, "192.0.2.7")->n, 2);
    assert_int_equal(count_of(s, EXS_COUNT_CLIENT, "198.51.100.6")->by_verdict[EXS_VERDICT_PROBE], 1);
    assert_int_equal(count_of(s, EXS_COUNT_CLIENT, "203.0.113.99")->n, 1);
}

/* max_findings (EXS_MAX_FINDINGS by default) is a per-rule fair sample of the findings that are
 * not always kept (lib/results/store.c): exploitation and backdoor findings are always kept;
 * the rest share max_findings, each rule keeping its smallest ids, a rule with fewer findings
 * than its share leaving the rest to the others. The counts stay exact. */
static void test_max_findings(void **st)
{
    (void)st;
    /* only exploitation findings: all kept, whatever the cap */
    put_shell_log(10);
    exs_scan *s = run_root(dir, 3);
    assert_int_equal(nfindings(s), 20);
    assert_int_equal(stats(s)->findings, 20);
    assert_int_equal(stats(s)->findings_dropped, 0);
    exs_scan_destroy(s);

    put_mixed_log();
    s = run_root(dir, 0);
    assert_int_equal(nfindings(s), 30);
    assert_int_equal(stats(s)->findings_dropped, 0);
    mixed_counts(s);
    size_t nprobe, ncrawl, ncarrier;
    const char **probe = ids_of(s, "EXS-WS-ACCESS", EXS_VERDICT_PROBE, &nprobe);
    const char **crawl = ids_of(s, "EXS-PL-IIS-CRAWLERUA", EXS_VERDICT_SUSPICIOUS, &ncrawl);
    const char **carrier = ids_of(s, "EXS-PL-IIS-CARRIER", EXS_VERDICT_ATTEMPT, &ncarrier);
    assert_int_equal(nprobe, 6);
    assert_int_equal(ncrawl, 3);
    assert_int_equal(ncarrier, 1);

    /* a budget of 5 over 6 + 3 + 1: the level is 2 (1 + 2 + 2 = 5), so the carrier keeps its
     * one, the crawler and the probe rules their two smallest ids */
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        exs_scan *c;
        exs_scan_opts o = {jobs, 5};
        assert_int_equal(exs_scan_create(&c, &o), EXS_OK);
        assert_int_equal(exs_scan_add_root(c, dir), EXS_OK);
        assert_int_equal(exs_scan_run(c), EXS_OK);
        assert_int_equal(nfindings(c), 25);
        assert_int_equal(stats(c)->findings_dropped, 5);
        mixed_counts(c);
        assert_int_equal(t_count(c, "EXS-WS-CMD"), 10);
        size_t k;
        const char **kept = ids_of(c, "EXS-WS-ACCESS", EXS_VERDICT_EXPLOITATION, &k);
        assert_int_equal(k, 10); /* exploitation: all of them */
        free(kept);
        kept = ids_of(c, "EXS-WS-ACCESS", EXS_VERDICT_PROBE, &k);
        assert_int_equal(k, 2);
        assert_string_equal(kept[0], probe[0]);
        assert_string_equal(kept[1], probe[1]);
        free(kept);
        kept = ids_of(c, "EXS-PL-IIS-CRAWLERUA", EXS_VERDICT_SUSPICIOUS, &k);
        assert_int_equal(k, 2);
        assert_string_equal(kept[0], crawl[0]);
        assert_string_equal(kept[1], crawl[1]);
        free(kept);
        kept = ids_of(c, "EXS-PL-IIS-CARRIER", EXS_VERDICT_ATTEMPT, &k);
        assert_int_equal(k, 1);
        assert_string_equal(kept[0], carrier[0]);
        free(kept);
        exs_scan_destroy(c);
    }

    /* a budget of 6: level 2 leaves one over, given to the first rule over the level in rule
     * id order (EXS-PL-IIS-CRAWLERUA before EXS-WS-ACCESS) */
    exs_scan *c = run_root(dir, 6);
    assert_int_equal(nfindings(c), 26);
    assert_int_equal(stats(c)->findings_dropped, 4);
    mixed_counts(c);
    size_t k;
    const char **kept = ids_of(c, "EXS-PL-IIS-CRAWLERUA", EXS_VERDICT_SUSPICIOUS, &k);
    assert_int_equal(k, 3);
    free(kept);
    kept = ids_of(c, "EXS-WS-ACCESS", EXS_VERDICT_PROBE, &k);
    assert_int_equal(k, 2);
    assert_string_equal(kept[0], probe[0]);
    assert_string_equal(kept[1], probe[1]);
    free(kept);
    exs_scan_destroy(c);

    /* a budget of 1: one finding for the first rule in id order, none for the others */
    c = run_root(dir, 1);
    assert_int_equal(nfindings(c), 21);
    assert_int_equal(stats(c)->findings_dropped, 9);
    mixed_counts(c);
    kept = ids_of(c, "EXS-PL-IIS-CARRIER", EXS_VERDICT_ATTEMPT, &k);
    assert_int_equal(k, 1);
    free(kept);
    assert_int_equal(t_count(c, "EXS-PL-IIS-CRAWLERUA"), 0);
    free(ids_of(c, "EXS-WS-ACCESS", EXS_VERDICT_PROBE, &k));
    assert_int_equal(k, 0);
    exs_scan_destroy(c);

    free(probe);
    free(crawl);
    free(carrier);
    exs_scan_destroy(s);
}

/* XS_MAX_DEPTH: a folder deeper than that is skipped with one "too-deep" warning; the log
 * right at the limit is read, and so is the rest of the tree. */
static void test_folder_depth(void **st)
{
    (void)st;
    char rel[1024] = "", file[1200];
    /* the log sits in folder level XS_MAX_DEPTH; its sibling folder is one level deeper */
    for (int i = 0; i < XS_MAX_DEPTH - 5; i++)
        strcat(rel, "d/");
    snprintf(file, sizeof file, "%s%s", rel, FIX_IIS_LOG);
    put(file, FIX_IIS_HDR FIX_IIS_SHELL_ROW("192.0.2.1"));
    snprintf(file, sizeof file, "%sC/inetpub/logs/LogFiles/W3SVC1/deeper/u_ex210304.log", rel);
    put(file, FIX_IIS_HDR FIX_IIS_SHELL_ROW("192.0.2.2"));
    put("z/" FIX_IIS_LOG, FIX_IIS_HDR FIX_IIS_SHELL_ROW("192.0.2.3"));
    exs_scan *s = run_root(dir, 0);
    assert_int_equal(t_warns(s, "too-deep"), 1);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 2);
    assert_string_equal(t_find(s, "EXS-WS-CMD", 0)->http->client, "192.0.2.1");
    assert_string_equal(t_find(s, "EXS-WS-CMD", 1)->http->client, "192.0.2.3");
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].kind, "too-deep");
    assert_non_null(strstr(w[0].file, "W3SVC1/deeper"));
    exs_scan_destroy(s);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* Writes dir/name: the log wrapped in `levels` zips, one inside the other. */
static void nested_zip(const char *name, int levels, const char *log)
{
    char path[512], inner[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    const char *names[] = {FIX_IIS_LOG, NULL}, *datas[] = {log, NULL};
    size_t lens[] = {strlen(log)};
    assert_int_equal(t_write_archive(path, "zip", names, datas, lens), 0);
    for (int i = 1; i < levels; i++) {
        size_t n;
        char *bytes = slurp(path, &n);
        snprintf(inner, sizeof inner, "level%d.zip", i);
        const char *zn[] = {inner, NULL}, *zd[] = {bytes, NULL};
        assert_int_equal(t_write_archive(path, "zip", zn, zd, &n), 0);
        free(bytes);
    }
}

/* XS_MAX_ARCHIVE_DEPTH: archives inside archives are read that many levels deep; one more
 * level is a "too-deep" warning, and the next root file is still read. */
static void test_archive_depth(void **st)
{
    (void)st;
    nested_zip("a.zip", XS_MAX_ARCHIVE_DEPTH, FIX_IIS_HDR FIX_IIS_SHELL_ROW("192.0.2.1"));
    nested_zip("b.zip", XS_MAX_ARCHIVE_DEPTH + 1, FIX_IIS_HDR FIX_IIS_SHELL_ROW("192.0.2.2"));
    put("c/" FIX_IIS_LOG, FIX_IIS_HDR FIX_IIS_SHELL_ROW("192.0.2.3"));
    exs_scan *s = run_root(dir, 0);
    assert_int_equal(t_warns(s, "too-deep"), 1);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 2);
    const exs_finding *f = t_find(s, "EXS-WS-CMD", 0);
    assert_string_equal(f->http->client, "192.0.2.1");
    char where[1024];
    t_where(f, where, sizeof where);
    assert_string_equal(where, "a.zip!/level2.zip!/level1.zip!/" FIX_IIS_LOG);
    assert_string_equal(f->origin.path, "a.zip");
    assert_int_equal(f->origin.nmembers, 3);
    assert_string_equal(f->origin.members[0], "level2.zip");
    assert_string_equal(f->origin.members[1], "level1.zip");
    assert_string_equal(f->origin.members[2], FIX_IIS_LOG);
    assert_int_equal(f->origin.line, 2);
    assert_string_equal(t_find(s, "EXS-WS-CMD", 1)->http->client, "192.0.2.3");
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].file, "b.zip!/level3.zip!/level2.zip!/level1.zip");
    assert_int_equal(stats(s)->archives, 2 * XS_MAX_ARCHIVE_DEPTH);
    exs_scan_destroy(s);
}

/* XS_MAX_FINDING_FIELD and XS_MAX_EVIDENCE: a 10 KB user agent is kept cut to the field
 * cap, the raw row to the evidence cap; the finding itself stays. Names and short fields have
 * caps of their own. */
static void test_field_caps(void **st)
{
    (void)st;
    enum { UA = 10 << 10 };
    char *ua = malloc(UA + 1);
    assert_non_null(ua);
    memset(ua, 'A', UA);
    memcpy(ua, "Mozilla/5.0_", 12);
    ua[UA] = 0;
    char *log = malloc(UA + 1024);
    assert_non_null(log);
    snprintf(log, UA + 1024,
             FIX_IIS_HDR "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami 443 - "
                 "192.0.2.1 %s - 200 0 0 1\r\n",
             ua);
    exs_scan *s = t_scan_mem(FIX_IIS_PLACE, log, -1);
    assert_int_equal(t_count(s, NULL), 2);
    for (size_t i = 0; i < 2; i++) {
        const exs_finding *f = t_find(s, NULL, i);
        assert_int_equal(strlen(f->http->user_agent), XS_MAX_FINDING_FIELD);
        assert_memory_equal(f->http->user_agent, ua, XS_MAX_FINDING_FIELD);
        assert_int_equal(strlen(f->evidence), XS_MAX_EVIDENCE);
        assert_memory_equal(f->evidence, "2021-03-03 11:00:00 10.0.0.5 GET", 32);
    }
    assert_int_equal(t_warns(s, "line-too-long"), 0);
    exs_scan_destroy(s);
    /* XS_MAX_FINDING_NAME and XS_MAX_FINDING_SHORT: a user name and a client address longer
     * than them are kept cut there */
    char user[XS_MAX_FINDING_NAME + 41], client[XS_MAX_FINDING_SHORT + 41];
    memset(user, 'u', sizeof user - 1);
    user[sizeof user - 1] = 0;
    memset(client, 'c', sizeof client - 1);
    client[sizeof client - 1] = 0;
    snprintf(log, UA + 1024,
             FIX_IIS_HDR "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami 443 %s "
                 "%s M - 200 0 0 1\r\n",
             user, client);
    s = t_scan_mem(FIX_IIS_PLACE, log, -1);
    assert_int_equal(t_count(s, NULL), 2);
    for (size_t i = 0; i < 2; i++) {
        const exs_finding *f = t_find(s, NULL, i);
        assert_int_equal(strlen(f->http->user), XS_MAX_FINDING_NAME);
        assert_memory_equal(f->http->user, user, XS_MAX_FINDING_NAME);
        assert_int_equal(strlen(f->http->client), XS_MAX_FINDING_SHORT);
        assert_memory_equal(f->http->client, client, XS_MAX_FINDING_SHORT);
    }
    exs_scan_destroy(s);
    free(log);
    free(ua);
}

/* XS_MAX_WARNING_EXAMPLES: every warning is counted, the smallest (here the first rows of the
 * file) are kept as examples. */
static void test_warning_examples(void **st)
{
    (void)st;
    enum { BAD = XS_MAX_WARNING_EXAMPLES + 100 };
    static const char bad[] = "\x01\x02 cmd=whoami /aspnet_client/z.aspx\r\n";
    size_t cap = sizeof FIX_IIS_HDR + BAD * sizeof bad + 256, o = 0;
    char *log = malloc(cap);
    assert_non_null(log);
    o += (size_t)snprintf(log, cap, "%s", FIX_IIS_HDR);
    for (int i = 0; i < BAD; i++)
        o += (size_t)snprintf(log + o, cap - o, "%s", bad);
    snprintf(log + o, cap - o, "%s", FIX_IIS_SHELL_ROW("192.0.2.1"));
    exs_scan *s = t_scan_mem(FIX_IIS_PLACE, log, -1);
    assert_int_equal(t_warns(s, "bad-row"), BAD);
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n);
    assert_int_equal(n, XS_MAX_WARNING_EXAMPLES);
    assert_string_equal(w[0].kind, "bad-row");
    assert_int_equal(w[0].line, 2);
    assert_int_equal(w[n - 1].line, XS_MAX_WARNING_EXAMPLES + 1);
    /* the row after all of them is still read */
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 1);
    assert_int_equal(t_find(s, "EXS-WS-CMD", 0)->origin.line, BAD + 2);
    exs_scan_destroy(s);
    free(log);
}

/* The examples as "file:line kind message" lines, in the results' order (malloc'd). */
static char *examples(const exs_scan *s)
{
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s:%llu %s %s\n", w[i].file, (unsigned long long)w[i].line, w[i].kind,
                w[i].message);
    fclose(f);
    return out;
}

/* Checks that s kept XS_MAX_WARNING_EXAMPLES examples, the same as the first scan checked
 * (*first: NULL before it; the caller frees it at the end), and destroys s. */
static void same_examples(exs_scan *s, char **first)
{
    size_t n;
    exs_results_warnings(exs_scan_results(s), &n);
    assert_int_equal(n, XS_MAX_WARNING_EXAMPLES);
    char *e = examples(s);
    if (*first) {
        assert_string_equal(e, *first);
        free(e);
    } else {
        *first = e;
    }
    exs_scan_destroy(s);
}

/* XS_MAX_WARNING_EXAMPLES is met whatever the order the warnings come in: the examples kept
 * are the smallest by file, line, kind and message, so the order of arrival (of the workers,
 * of the files) does not choose them; every warning is counted. */
static void test_warning_examples_order(void **st)
{
    (void)st;
    enum { N = XS_MAX_WARNING_EXAMPLES + 137 };
    char *first = NULL;
    for (int order = 0; order < 3; order++) {
        exs_scan *s = t_scan_prepared();
        for (unsigned j = 0; j < N; j++) {
            unsigned i = order == 0 ? j : order == 1 ? N - 1 - j : (j * 211) % N;
            char file[32];
            snprintf(file, sizeof file, "f%02u.log", i % 7);
            xs_warn(s, i % 3 ? XS_W_BAD_ROW : XS_W_BINARY, file, 1 + i / 7, "row %u", i);
        }
        xs_scan_finish(s);
        assert_int_equal(t_warns(s, "bad-row") + t_warns(s, "binary"), N);
        size_t n;
        const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n);
        assert_int_equal(n, XS_MAX_WARNING_EXAMPLES);
        /* files f00 .. f06 with (N + 6) / 7 lines at most each: f00 .. f04 whole, then the first
         * lines of f05 */
        assert_string_equal(w[0].file, "f00.log");
        assert_int_equal(w[0].line, 1);
        assert_string_equal(w[0].message, "row 0");
        size_t per = (N + 6) / 7, last_line = XS_MAX_WARNING_EXAMPLES - 5 * per;
        assert_string_equal(w[n - 1].file, "f05.log");
        assert_int_equal(w[n - 1].line, last_line);
        same_examples(s, &first);
    }
    free(first);
}

/* The same with worker threads: bad rows in 24 logs, more than the examples kept, give the
 * same examples at -j1 and at -j4, run after run. */
static void test_warning_examples_jobs(void **st)
{
    (void)st;
    for (int i = 0; i < 24; i++) {
        char rel[128], log[64 * 48 + sizeof FIX_IIS_HDR];
        snprintf(rel, sizeof rel, "C/inetpub/logs/LogFiles/W3SVC1/u_ex2103%02d.log", i + 1);
        size_t o = (size_t)snprintf(log, sizeof log, "%s", FIX_IIS_HDR);
        for (int k = 0; k < 30; k++)
            o += (size_t)snprintf(log + o, sizeof log - o, "\x01\x02 cmd=whoami /aspnet_client/z.aspx\r\n");
        put(rel, log);
    }
    char *first = NULL;
    for (int run = 0; run < 6; run++) {
        exs_scan *s = run_jobs(dir, run % 2 ? 4 : 1, 0);
        assert_int_equal(t_warns(s, "bad-row"), 24 * 30);
        same_examples(s, &first);
    }
    free(first);
}

/* XS_MAX_ACCESS_EVENTS (lowered to 2): script requests past it are left out of the
 * correlation and counted in one warning; every row is still judged on its own. */
static void test_access_events(void **st)
{
    (void)st;
    put_shell_log(5);
    exs_scan *s = run_caps(dir, 2, 0, 0);
    assert_int_equal(t_warns(s, "limit"), 1);
    assert_string_equal(warning_text(s, "limit"), "3 script requests past 2 not kept for correlation (bursts, shells)");
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 5);
    exs_scan_destroy(s);
    s = run_caps(dir, 0, 0, 0);
    assert_int_equal(t_warns(s, "limit"), 0);
    exs_scan_destroy(s);
}

/* The order the file side samples records by when they are past the cap (lib/scan/files.c,
 * store_record): FNV-1a over the display path, the largest go. */
static uint64_t rec_order(const char *display)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = display; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

/* XS_MAX_FILE_RECORDS (lowered to 1): files whose findings are all of the kind that is not
 * always kept share the cap, the ones past it are counted, not reported (the one kept is the
 * one of the smallest order, whatever the order the files come in); files with an exploitation
 * or backdoor hit are always kept. XS_MAX_WEB_SCRIPTS (lowered to 1): script files past it are
 * not remembered for the removed-shell check, counted. */
static void test_file_caps(void **st)
{
    (void)st;
    static const char shell[] = "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"p\"],\"unsafe\");%>";
    static const char page[] = "<html>a page of someone's</html>\n";
    put("C/inetpub/wwwroot/aspnet_client/s1.aspx", shell);
    put("C/inetpub/wwwroot/aspnet_client/s2.aspx", shell);
    put("C/inetpub/wwwroot/aspnet_client/s3.aspx", shell);
    const char *pages[] = {"C/inetpub/wwwroot/aspnet_client/n1.aspx",
                           "C/inetpub/wwwroot/aspnet_client/n2.aspx",
                           "C/inetpub/wwwroot/aspnet_client/n3.aspx"};
    for (size_t i = 0; i < 3; i++)
        put(pages[i], page);
    exs_scan *s = run_caps(dir, 0, 0, 0);
    assert_int_equal(t_warns(s, "limit"), 0);
    for (size_t i = 0; i < 3; i++) {
        const exs_finding *f = t_find_file(s, "EXS-FILE-WS-NONDEFAULT", pages[i] + 32);
        assert_non_null(f);
        assert_int_equal(f->verdict, EXS_VERDICT_SUSPICIOUS);
    }
    char *all = t_listing(s);
    size_t nall = nfindings(s);
    uint64_t total = stats(s)->findings;
    exs_scan_destroy(s);
    /* the pages' findings: one NONDEFAULT each, suspicious, so sampled */
    size_t keep = 0;
    for (size_t i = 1; i < 3; i++)
        if (rec_order(pages[i]) < rec_order(pages[keep]))
            keep = i;
    s = run_caps(dir, 0, 1, 1);
    assert_int_equal(t_warns(s, "limit"), 2);
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n);
    assert_int_equal(n, 2);
    assert_string_equal(w[0].message,
                        "2 files with findings that are not always kept past 1 not reported "
                        "(their findings are counted)");
    assert_string_equal(w[1].message,
                        "5 script files past 1 not remembered for the removed-shell check");
    /* the shells are all kept; of the pages, the one of the smallest order */
    for (size_t i = 0; i < 3; i++) {
        const exs_finding *f = t_find_file(s, "EXS-FILE-WS-NONDEFAULT", pages[i] + 32);
        if (i == keep)
            assert_non_null(f);
        else
            assert_null(f);
    }
    char *capped = t_listing(s);
    size_t lines_all = 0, lines_capped = 0;
    for (const char *p = all; *p; p++)
        lines_all += *p == '\n';
    for (const char *p = capped; *p; p++)
        lines_capped += *p == '\n';
    assert_int_equal(lines_all, nall);
    assert_int_equal(lines_capped, nall - 2); /* two pages' single findings gone */
    assert_int_equal(t_count(s, "EXS-Y-WS-EVAL"), 3);
    /* the findings of the files let go are counted all the same, as not kept */
    assert_int_equal(stats(s)->findings, total);
    assert_int_equal(stats(s)->findings_dropped, 2);
    size_t nr;
    const exs_count *rc = exs_results_counts(exs_scan_results(s), EXS_COUNT_RULE, &nr);
    uint64_t nondefault = 0;
    for (size_t i = 0; i < nr; i++)
        if (strcmp(rc[i].key, "EXS-FILE-WS-NONDEFAULT") == 0)
            nondefault = rc[i].n;
    assert_int_equal(nondefault, (uint64_t)t_count(s, "EXS-FILE-WS-NONDEFAULT") + 2);
    free(all);
    free(capped);
    exs_scan_destroy(s);
}

/* The count of one key, 0 when there is none. */
static uint64_t count_n(const exs_scan *s, exs_count_kind k, const char *key)
{
    size_t n;
    const exs_count *c = exs_results_counts(exs_scan_results(s), k, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].key, key) == 0)
            return c[i].n;
    return 0;
}

/* XS_MAX_FILE_RECORDS and deferred hits: an archive staged in ProgramData is a finding only
 * when the sweep finds evidence of compromise. The staged archives of the records let go past
 * the cap are counted then, as those of the records kept are reported: the counts are those of
 * the sweep without the cap. Without evidence of compromise none of them is a finding, kept or
 * not. */
static void test_file_caps_deferred(void **st)
{
    (void)st;
    static const char shell[] = "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"p\"],\"unsafe\");%>";
    put("C/ProgramData/s1.pst", "staged mail\n");
    put("C/ProgramData/s2.pst", "staged mail\n");
    put("C/ProgramData/s3.pst", "staged mail\n");
    for (int with_shell = 0; with_shell <= 1; with_shell++) {
        if (with_shell)
            put("C/inetpub/wwwroot/aspnet_client/s.aspx", shell);
        exs_scan *all = run_caps(dir, 0, 0, 0), *capped = run_caps(dir, 0, 1, 0);
        uint64_t want = with_shell ? 3 : 0;
        assert_int_equal(t_count(all, "EXS-FILE-STAGING-ARCHIVE"), want);
        assert_int_equal(count_n(all, EXS_COUNT_RULE, "EXS-FILE-STAGING-ARCHIVE"), want);
        assert_int_equal(t_count(capped, "EXS-FILE-STAGING-ARCHIVE"), with_shell ? 1 : 0);
        assert_int_equal(count_n(capped, EXS_COUNT_RULE, "EXS-FILE-STAGING-ARCHIVE"), want);
        assert_int_equal(stats(capped)->findings, stats(all)->findings);
        assert_int_equal(stats(capped)->verdicts[EXS_VERDICT_SUSPICIOUS],
                         stats(all)->verdicts[EXS_VERDICT_SUSPICIOUS]);
        assert_int_equal(stats(capped)->findings_dropped, with_shell ? 2 : 0);
        assert_int_equal(stats(all)->findings_dropped, 0);
        assert_int_equal(stats(all)->findings, with_shell ? nfindings(all) : 0);
        size_t na, nc;
        const exs_count *ca = exs_results_counts(exs_scan_results(all), EXS_COUNT_FAMILY, &na);
        const exs_count *cc = exs_results_counts(exs_scan_results(capped), EXS_COUNT_FAMILY, &nc);
        assert_int_equal(na, nc);
        for (size_t i = 0; i < na; i++) {
            assert_string_equal(ca[i].key, cc[i].key);
            assert_int_equal(ca[i].n, cc[i].n);
            assert_int_equal(ca[i].first_ms, cc[i].first_ms);
            assert_int_equal(ca[i].last_ms, cc[i].last_ms);
        }
        /* the records let go are said, with shell or without */
        assert_int_equal(t_warns(capped, "limit"), 1);
        exs_scan_destroy(all);
        exs_scan_destroy(capped);
    }
}

/* A msert.log of a run with n "Threat Detected: a" lines (lines 4 .. n + 3), then one
 * Exchange-era detection (line n + 4). */
static void put_msert(int n)
{
    size_t cap = 256 + (size_t)n * 40, o = 0;
    char *x = malloc(cap);
    assert_non_null(x);
    o += (size_t)snprintf(x + o, cap - o,
                          "Microsoft Safety Scanner v1.333, (build 1.333.519.0)\r\n"
                          "Started On Sat Mar 13 18:24:42 2021\r\nQuick Scan Results:\r\n");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(x + o, cap - o, "Threat Detected: a\r\n");
    o += (size_t)snprintf(x + o, cap - o,
                          "Threat Detected: Backdoor:ASP/Chopper.F!dha, not removed.\r\n"
                          "Results Summary:\r\n");
    put("C/Windows/debug/msert.log", x);
    free(x);
}

/* XS_MAX_FILE_HITS (lowered to 5): a msert.log of 7 + 1 detections keeps the first 5 of them
 * (lines 4 .. 8); the 3 others are counted as findings not kept, in the counts and totals, and
 * said in one warning naming the file. */
static void test_file_hits(void **st)
{
    (void)st;
    put_msert(7);
    exs_scan *s;
    exs_scan_opts o = {1, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    s->files->max_file_hits = 5;
    assert_int_equal(exs_scan_add_root(s, dir), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    size_t n;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &n);
    assert_int_equal(n, 5);
    uint64_t lines = 0;
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(f[i].rule->id, "EXS-FILE-MSERT");
        assert_string_equal(exs_finding_fact(&f[i], "threat_name"), "a");
        lines |= 1ull << f[i].origin.line;
    }
    assert_int_equal(lines, 0x1f0); /* lines 4 .. 8 */
    assert_int_equal(count_n(s, EXS_COUNT_RULE, "EXS-FILE-MSERT"), 8);
    assert_int_equal(stats(s)->findings, 8);
    assert_int_equal(stats(s)->findings_dropped, 3);
    assert_int_equal(stats(s)->verdicts[EXS_VERDICT_SUSPICIOUS], 7);
    assert_int_equal(stats(s)->verdicts[EXS_VERDICT_EXPLOITATION], 1);
    only_limit(s, "C/Windows/debug/msert.log",
               "3 findings of this file past 5 not reported (they are counted)");
    exs_scan_destroy(s);
    /* the cap itself: XS_MAX_FILE_HITS detections kept, the one past them counted */
    put_msert(XS_MAX_FILE_HITS);
    s = run_root(dir, 0);
    assert_int_equal(nfindings(s), XS_MAX_FILE_HITS);
    assert_int_equal(stats(s)->findings, XS_MAX_FILE_HITS + 1);
    assert_int_equal(stats(s)->findings_dropped, 1);
    assert_int_equal(stats(s)->verdicts[EXS_VERDICT_EXPLOITATION], 1);
    assert_string_equal(warning_text(s, "limit"),
                        "1 findings of this file past 4096 not reported (they are counted)");
    exs_scan_destroy(s);
}

/* An applicationHost.config at rel with n virtual directories served from C:\sites\<folder>\v<i>. */
static void put_vdirs(const char *rel, const char *folder, size_t n)
{
    size_t cap = 128 + n * 96, o = 0;
    char *x = malloc(cap);
    assert_non_null(x);
    o += (size_t)snprintf(x + o, cap - o, "<configuration><site name=\"s\"><application path=\"/\">\n");
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(x + o, cap - o,
                              "<virtualDirectory path=\"/v%zu\" physicalPath=\"C:\\sites\\%s\\v%04zu\"/>\n",
                              i, folder, i);
    o += (size_t)snprintf(x + o, cap - o, "</application></site></configuration>\n");
    assert_int_equal(t_fix_write(dir, rel, x, o), 0);
    free(x);
}

/* XS_MAX_VDIRS: one configuration is read up to it (the rest counted in a warning naming the
 * file); over the scan the smallest by physical path are kept, whatever the order the
 * configurations come in (the first walked holds the largest paths) and at any -j, and the
 * others are counted in one warning. */
static void test_vdirs(void **st)
{
    (void)st;
    enum { PER = 1500, OVER = 3 * PER - XS_MAX_VDIRS };
    put_vdirs("three/A/inetsrv/config/applicationHost.config", "c", PER);
    put_vdirs("three/B/inetsrv/config/applicationHost.config", "b", PER);
    put_vdirs("three/C/inetsrv/config/applicationHost.config", "a", PER);
    put_vdirs("one/C/inetsrv/config/applicationHost.config", "a", XS_MAX_VDIRS + 3);
    char root[512];
    snprintf(root, sizeof root, "%s/three", dir);
    char want[160], last[64];
    snprintf(want, sizeof want,
             "%d IIS virtual directories past %d not used to map files to their URLs (the "
             "smallest by physical path kept)",
             (int)OVER, (int)XS_MAX_VDIRS);
    snprintf(last, sizeof last, "C:\\sites\\c\\v%04d", (int)(XS_MAX_VDIRS - 2 * PER - 1));
    for (int run = 0; run < 4; run++) {
        exs_scan *s = run_jobs(root, run % 2 ? 4 : 1, 0);
        assert_int_equal(t_warns(s, "limit"), 1);
        assert_string_equal(warning_text(s, "limit"), want);
        const xs_files *f = s->files;
        assert_int_equal(f->nvdirs, XS_MAX_VDIRS);
        assert_int_equal(f->vdirs_dropped, OVER);
        assert_string_equal(f->vdirs[0]->physical, "C:\\sites\\a\\v0000");
        assert_string_equal(f->vdirs[PER]->physical, "C:\\sites\\b\\v0000");
        assert_string_equal(f->vdirs[XS_MAX_VDIRS - 1]->physical, last);
        exs_scan_destroy(s);
    }
    /* one configuration past the cap: its first XS_MAX_VDIRS, the rest said */
    snprintf(root, sizeof root, "%s/one", dir);
    exs_scan *s = run_root(root, 0);
    only_limit(s, "C/inetsrv/config/applicationHost.config",
               "3 virtual directories past 4096 not read (not checked, not used to map files)");
    assert_int_equal(s->files->nvdirs, XS_MAX_VDIRS);
    assert_int_equal(s->files->vdirs_dropped, 0);
    snprintf(last, sizeof last, "C:\\sites\\a\\v%04d", (int)XS_MAX_VDIRS - 1);
    assert_string_equal(s->files->vdirs[XS_MAX_VDIRS - 1]->physical, last);
    exs_scan_destroy(s);
}

/* XS_YARA_TIMEOUT_S (lowered to 1 s): a rule that outruns it on one file gives a counted
 * warning naming the file; the other files are still scanned by every rule. */
static void test_yara_timeout(void **st)
{
    (void)st;
    static const char rules[] =
        "rule slow_pairs { condition: for any i in (0..filesize - 1) : "
        "(for any j in (0..filesize - 1) : (uint8(i) == uint8(j) + 200)) }\n"
        "rule needle { strings: $a = \"needle\" condition: $a }\n";
    char *zeros = calloc(1, 200000);
    assert_non_null(zeros);
    assert_int_equal(t_fix_write(dir, "ev/D/data/big.bin", zeros, 200000), 0);
    free(zeros);
    put("ev/D/data/small.txt", "a needle here\n");
    put("slow.yar", rules);
    char root[512], rpath[512];
    snprintf(root, sizeof root, "%s/ev", dir);
    snprintf(rpath, sizeof rpath, "%s/slow.yar", dir);
    exs_scan *s;
    exs_scan_opts o = {1, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    s->files->yara_timeout_s = 1;
    assert_int_equal(exs_scan_add_rules(s, rpath), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, root), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    assert_int_equal(t_warns(s, "limit"), 1);
    assert_string_equal(warning_text(s, "limit"),
                        "user rules: scan timed out or too many matches; results may be partial");
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i].kind, "limit") == 0)
            assert_string_equal(w[i].file, "D/data/big.bin");
    assert_int_equal(t_count(s, NULL), 1);
    assert_string_equal(t_find(s, "needle", 0)->origin.path, "D/data/small.txt");
    exs_scan_destroy(s);
}

/* XS_MAX_LABEL: a label of that many bytes is taken, one byte more is refused with a message;
 * a saved sweep with a longer label than a sweep writes is refused when read. */
static void test_label_length(void **st)
{
    (void)st;
    char label[XS_MAX_LABEL + 2];
    memset(label, 'L', sizeof label - 1);
    label[sizeof label - 1] = 0;
    exs_scan *s;
    exs_scan_opts o = {1, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root_label(s, dir, label), EXS_EINVAL);
    assert_non_null(strstr(exs_scan_error(s), "a label longer than 256 bytes"));
    label[XS_MAX_LABEL] = 0;
    assert_int_equal(exs_scan_add_root_label(s, dir, label), EXS_OK);
    assert_int_equal(exs_scan_add_root_label(s, dir, label), EXS_OK); /* made unique: "-2" */
    assert_int_equal(exs_scan_run(s), EXS_OK);
    const exs_sweep_info *sw = exs_results_sweep(exs_scan_results(s));
    assert_int_equal(sw->nroots, 2);
    assert_int_equal(strlen(sw->roots[1].label), XS_MAX_LABEL + 2);
    exs_scan_destroy(s);
    char text[1024];
    snprintf(text, sizeof text,
             "{\"exsweep\":{\"record\":\"sweep\",\"roots\":[{\"path\":\"/r\",\"label\":\"%0*d\"}]}}\n",
             XS_MAX_LABEL + 12, 0);
    exs_results *r = NULL;
    char err[256];
    assert_int_equal(t_read_jsonl(text, strlen(text), &r, err, sizeof err), EXS_EFORMAT);
    assert_non_null(strstr(err, ":1: a root label longer than a sweep writes"));
    snprintf(text, sizeof text,
             "{\"exsweep\":{\"record\":\"sweep\",\"roots\":[{\"path\":\"/r\",\"label\":\"%0*d\"}]}}\n",
             XS_MAX_LABEL + 11, 0);
    assert_int_equal(t_read_jsonl(text, strlen(text), &r, err, sizeof err), EXS_OK);
    assert_int_equal(strlen(exs_results_sweep(r)->roots[0].label), XS_MAX_LABEL + 11);
    exs_results_destroy(r);
}

/* XS_MAX_WHERE: a finding an after-sweep pass makes at the place of another (links, IOC
 * addresses) keeps that place whole when it is the largest a finding has (a label of
 * XS_MAX_LABEL and "-2", a path of XS_MAX_PATH, four members of XS_MAX_PATH); the passes'
 * buffer was 8 KiB. */
static void test_where_room(void **st)
{
    (void)st;
    char label[XS_MAX_LABEL + 1];
    memset(label, 'L', XS_MAX_LABEL);
    label[XS_MAX_LABEL] = 0;
    exs_scan *s;
    exs_scan_opts o = {1, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root_label(s, dir, label), EXS_OK);
    assert_int_equal(exs_scan_add_root_label(s, dir, label), EXS_OK);
    assert_int_equal(xs_scan_prepare(s), EXS_OK);
    static char path[XS_MAX_PATH + 1], mem[4][XS_MAX_PATH + 1], buf[XS_MAX_WHERE];
    memset(path, 'p', XS_MAX_PATH);
    for (int i = 0; i < 4; i++)
        memset(mem[i], 'a' + i, XS_MAX_PATH);
    const char *members[4] = {mem[0], mem[1], mem[2], mem[3]};
    static const exs_rule rule = {"T-W", "w", "", "Test", "", "", false};
    exs_finding f;
    memset(&f, 0, sizeof f);
    f.rule = &rule;
    f.origin = (exs_origin){1, path, members, 4, "iis", 3, 0, -1};
    xs_pass_view v = {s, s->files, NULL, 0, NULL, 0};
    xs_ctx c;
    xs_ctx_at_finding(&c, &v, &f, buf);
    assert_int_equal(strlen(c.file), XS_MAX_LABEL + 3 + 5 * XS_MAX_PATH + 8);
    xs_hit h;
    xs_hit_init(&h, &rule, EXS_VERDICT_SUSPICIOUS, EXS_SEV_LOW, 1000);
    h.line = 3;
    xs_emit(&c, &h);
    xs_ctx_release(&c);
    xs_scan_finish(s);
    assert_int_equal(t_count(s, "T-W"), 1);
    const exs_finding *g = t_find(s, "T-W", 0);
    assert_int_equal(g->origin.root, 1);
    assert_string_equal(g->origin.path, path);
    assert_int_equal(g->origin.nmembers, 4);
    for (int i = 0; i < 4; i++)
        assert_string_equal(g->origin.members[i], mem[i]);
    exs_scan_destroy(s);
}

/* XS_MAX_PATH: an entry whose path under the root is longer is skipped with one
 * "path-too-long" warning (made with *at calls: the absolute path is past PATH_MAX). */
static void test_path_length(void **st)
{
    (void)st;
    enum { LEVELS = XS_MAX_PATH / 201 };
    char name[201];
    memset(name, 'p', 200);
    name[200] = 0;
    /* LEVELS folders of 200-byte names: a folder path of LEVELS * 201 - 1 bytes, just under
     * the cap; a 200-byte file name in the last one takes it past */
    int fds[LEVELS + 1];
    fds[0] = open(dir, O_DIRECTORY | O_RDONLY);
    assert_true(fds[0] >= 0);
    for (int i = 0; i < LEVELS; i++) {
        assert_int_equal(mkdirat(fds[i], name, 0755), 0);
        fds[i + 1] = openat(fds[i], name, O_DIRECTORY | O_RDONLY);
        assert_true(fds[i + 1] >= 0);
    }
    assert_true(LEVELS * 201 - 1 <= XS_MAX_PATH && LEVELS * 201 + 200 > XS_MAX_PATH);
    int f = openat(fds[LEVELS], name, O_CREAT | O_WRONLY, 0644);
    assert_true(f >= 0);
    const char *text = FIX_IIS_HDR FIX_IIS_SHELL_ROW("192.0.2.9");
    assert_int_equal(write(f, text, strlen(text)), (ssize_t)strlen(text));
    close(f);
    put(FIX_IIS_LOG, FIX_IIS_HDR FIX_IIS_SHELL_ROW("192.0.2.1"));
    exs_scan *s = run_root(dir, 0);
    assert_int_equal(t_warns(s, "path-too-long"), 1);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 1);
    assert_string_equal(t_find(s, "EXS-WS-CMD", 0)->http->client, "192.0.2.1");
    exs_scan_destroy(s);
    /* removed here, with *at calls: the teardown's path walk would be past PATH_MAX */
    assert_int_equal(unlinkat(fds[LEVELS], name, 0), 0);
    for (int i = LEVELS; i > 0; i--) {
        close(fds[i]);
        assert_int_equal(unlinkat(fds[i - 1], name, AT_REMOVEDIR), 0);
    }
    close(fds[0]);
}

/* XS_MAX_SERVER_ADDRS per root: the server addresses (IIS s-ip) past it (the largest, strcmp)
 * are warned and stay clients; the ones within it leave the client counts. Each row a probe
 * from the row's own s-ip. */
static void test_server_addresses(void **st)
{
    (void)st;
    enum { N = XS_MAX_SERVER_ADDRS + 3 };
    char *log = malloc(N * 200 + 512);
    assert_non_null(log);
    size_t o = (size_t)sprintf(log, "%s", FIX_IIS_HDR);
    for (int i = 0; i < N; i++)
        o += (size_t)sprintf(log + o,
                             "2021-03-03 10:%02d:00 10.1.0.%d GET /aspnet_client/x.aspx - 443 - "
                             "10.1.0.%d x - 404 0 0 1\r\n",
                             i % 60, i + 1, i + 1);
    put(FIX_IIS_LOG, log);
    free(log);
    exs_scan *s = run_root(dir, 0);
    const exs_results *r = exs_scan_results(s);
    assert_int_equal(exs_results_stats(r)->own_findings, XS_MAX_SERVER_ADDRS);
    assert_int_equal(exs_results_stats(r)->own_addresses, XS_MAX_SERVER_ADDRS);
    size_t n;
    const exs_count *c = exs_results_counts(r, EXS_COUNT_CLIENT, &n);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(c[i].n, 1);
    assert_string_equal(warning_text(s, "limit"),
                        "3 server addresses (IIS s-ip) past the 64 smallest per root: not told "
                        "apart from clients");
    exs_scan_destroy(s);
    /* XS_MAX_SERVER_OVER (lowered to 2): the ones left out past it are not remembered, said */
    exs_scan_opts opts = {1, 0};
    assert_int_equal(exs_scan_create(&s, &opts), EXS_OK);
    s->max_server_over = 2;
    assert_int_equal(exs_scan_add_root(s, dir), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    assert_int_equal(exs_results_stats(exs_scan_results(s))->own_addresses, XS_MAX_SERVER_ADDRS);
    assert_string_equal(warning_text(s, "limit"),
                        "at least 2 server addresses (IIS s-ip) past the 64 smallest per root: "
                        "not told apart from clients");
    exs_scan_destroy(s);
}

/* The JSON lines of r, *len bytes (malloc'd). */
static char *jsonl_of(const exs_results *r, size_t *len)
{
    char *out = NULL;
    FILE *f = open_memstream(&out, len);
    assert_non_null(f);
    exs_report_opts o = EXS_REPORT_OPTS_INIT;
    o.format = EXS_FORMAT_JSONL;
    assert_int_equal(exs_report_write(r, f, &o), EXS_OK);
    fclose(f);
    return out;
}

/* The JSON lines of s but the first, the sweep's (its jobs and times), the sweep's clock
 * blanked: each finding's "created", the time of the records that have no time of the logs
 * (malloc'd). */
static char *jsonl_past_sweep(exs_scan *s)
{
    size_t len;
    char *out = jsonl_of(exs_scan_results(s), &len);
    size_t at = strcspn(out, "\n");
    assert_true(at < len);
    memmove(out, out + at + 1, len - at);
    for (char *p = out; (p = strstr(p, "\"created\":\"")) != NULL;)
        for (p += 11; *p && *p != '"'; p++)
            *p = 'x';
    for (char *p = out; (p = strstr(p, "{\"@timestamp\":\"")) != NULL;)
        for (p += 15; strncmp(p, "2021-", 5) && *p && *p != '"'; p++)
            *p = 'x';
    return out;
}

/* An IIS log of n rows (n <= 64), row i from s-ip and c-ip "10.<a>.<b>.<i>" (its own
 * address). */
static void put_own_rows(const char *rel, int a, int b, int n)
{
    char log[64 * 160 + sizeof FIX_IIS_HDR];
    size_t o = (size_t)snprintf(log, sizeof log, "%s", FIX_IIS_HDR);
    for (int i = 1; i <= n; i++)
        o += (size_t)snprintf(log + o, sizeof log - o,
                              "2021-03-03 10:%02d:00 10.%d.%d.%d GET /aspnet_client/x.aspx - 443 - "
                              "10.%d.%d.%d x - 404 0 0 1\r\n",
                              i % 60, a, b, i, a, b, i);
    put(rel, log);
}

/* XS_MAX_SERVER_ADDRS is met whatever the order: one root with two logs of 40 server
 * addresses each (10.0.0.1-40 and 10.0.1.1-40, the larger ones in the log walked first or
 * last) keeps its 64 smallest (strcmp), at -j1 and at -j4; the rows from them leave the
 * client counts, the 16 others stay clients, and the 16 left out are counted once each. The
 * JSON lines are the same bytes at -j1 and -j4 but for the sweep's jobs and times. */
static void test_server_addresses_order(void **st)
{
    (void)st;
    char *all[80], buf[80][32];
    for (int i = 0; i < 80; i++) {
        snprintf(buf[i], sizeof buf[i], "10.0.%d.%d", i / 40, i % 40 + 1);
        all[i] = buf[i];
    }
    qsort(all, 80, sizeof *all, cmp_str);
    char *first = NULL; /* the -j1 lines of the same logs */
    for (int run = 0; run < 4; run++) {
        int larger_first = run / 2;
        put_own_rows("C/inetpub/logs/LogFiles/W3SVC1/u_ex1.log", 0, larger_first ? 1 : 0, 40);
        put_own_rows("C/inetpub/logs/LogFiles/W3SVC1/u_ex2.log", 0, larger_first ? 0 : 1, 40);
        exs_scan *s = run_jobs(dir, run % 2 ? 4 : 1, 0);
        const exs_results *r = exs_scan_results(s);
        size_t n;
        const char *const *srv = exs_results_server_addresses(r, &n);
        assert_int_equal(n, XS_MAX_SERVER_ADDRS);
        for (size_t i = 0; i < n; i++)
            assert_string_equal(srv[i], all[i]);
        assert_int_equal(exs_results_stats(r)->own_findings, 64);
        assert_int_equal(exs_results_stats(r)->own_addresses, 64);
        const exs_count *c = exs_results_counts(r, EXS_COUNT_CLIENT, &n);
        assert_int_equal(n, 16);
        char *clients[16];
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(c[i].n, 1);
            clients[i] = (char *)c[i].key;
        }
        qsort(clients, 16, sizeof *clients, cmp_str);
        for (size_t i = 0; i < 16; i++)
            assert_string_equal(clients[i], all[64 + i]);
        assert_int_equal(t_warns(s, "limit"), 1);
        assert_string_equal(warning_text(s, "limit"),
                            "16 server addresses (IIS s-ip) past the 64 smallest per root: not "
                            "told apart from clients");
        char *text = jsonl_past_sweep(s);
        if (run % 2 == 0) {
            free(first);
            first = text;
        } else {
            assert_string_equal(text, first);
            free(text);
        }
        exs_scan_destroy(s);
    }
    free(first);
}

/* The server addresses of r as one line each (malloc'd). */
static char *servers_text(const exs_results *r)
{
    size_t n;
    const char *const *v = exs_results_server_addresses(r, &n);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", v[i]);
    fclose(f);
    return out;
}

/* The results' server addresses are every root's (XS_MAX_SERVER_ADDRS each): five roots of 64
 * keep 320, and so do their JSON lines read back (both stopped at 256, silently). Saved input
 * past what a sweep writes (64 per root read) keeps the smallest, whatever their order, and
 * says how many went. */
static void test_server_addresses_roots(void **st)
{
    (void)st;
    enum { ROOTS = 5 };
    char want[ROOTS * XS_MAX_SERVER_ADDRS * 32 + 1], *w = want;
    char *all[ROOTS * XS_MAX_SERVER_ADDRS], buf[ROOTS * XS_MAX_SERVER_ADDRS][32];
    for (int k = 0; k < ROOTS; k++) {
        char rel[64];
        snprintf(rel, sizeof rel, "r%d/%s", k, FIX_IIS_LOG);
        put_own_rows(rel, k, 0, XS_MAX_SERVER_ADDRS);
        for (int i = 0; i < XS_MAX_SERVER_ADDRS; i++) {
            char *b = buf[k * XS_MAX_SERVER_ADDRS + i];
            snprintf(b, 32, "10.%d.0.%d", k, i + 1);
            all[k * XS_MAX_SERVER_ADDRS + i] = b;
        }
    }
    qsort(all, ROOTS * XS_MAX_SERVER_ADDRS, sizeof *all, cmp_str);
    for (int i = 0; i < ROOTS * XS_MAX_SERVER_ADDRS; i++)
        w += sprintf(w, "%s\n", all[i]);
    for (int jobs = 1; jobs <= 4; jobs += 3) {
        exs_scan *s;
        exs_scan_opts o = {(unsigned)jobs, 0};
        assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
        for (int k = 0; k < ROOTS; k++) {
            char root[4096];
            snprintf(root, sizeof root, "%s/r%d", dir, k);
            assert_int_equal(exs_scan_add_root(s, root), EXS_OK);
        }
        assert_int_equal(exs_scan_run(s), EXS_OK);
        const exs_results *r = exs_scan_results(s);
        assert_int_equal(t_warns(s, "limit"), 0);
        assert_int_equal(exs_results_stats(r)->own_addresses, ROOTS * XS_MAX_SERVER_ADDRS);
        char *got = servers_text(r);
        assert_string_equal(got, want);
        free(got);
        /* read back */
        size_t len;
        char *text = jsonl_of(r, &len);
        exs_results *back = NULL;
        char err[256];
        assert_int_equal(t_read_jsonl(text, len, &back, err, sizeof err), EXS_OK);
        free(text);
        got = servers_text(back);
        assert_string_equal(got, want);
        free(got);
        size_t nw;
        exs_results_warnings(back, &nw);
        assert_int_equal(nw, 0);
        exs_results_destroy(back);
        exs_scan_destroy(s);
    }
    /* one root, 64 addresses and 6 more that sort after them, first or last */
    for (int order = 0; order < 2; order++) {
        char text[8192], list[4096];
        size_t o = 0;
        for (int i = 0; i < XS_MAX_SERVER_ADDRS + 6; i++) {
            int j = order ? i : (i + 6) % (XS_MAX_SERVER_ADDRS + 6);
            if (j < XS_MAX_SERVER_ADDRS)
                o += (size_t)sprintf(list + o, "%s\"10.0.0.%d\"", i ? "," : "", j + 1);
            else
                o += (size_t)sprintf(list + o, "%s\"9.9.9.%d\"", i ? "," : "", j);
        }
        snprintf(text, sizeof text,
                 "{\"exsweep\":{\"record\":\"sweep\",\"roots\":[{\"path\":\"/r\",\"label\":\"r\"}],"
                 "\"server_addresses\":[%s]}}\n",
                 list);
        exs_results *r = NULL;
        char err[256];
        assert_int_equal(t_read_jsonl(text, strlen(text), &r, err, sizeof err), EXS_OK);
        size_t n;
        const char *const *v = exs_results_server_addresses(r, &n);
        assert_int_equal(n, XS_MAX_SERVER_ADDRS);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(strncmp(v[i], "10.0.0.", 7), 0);
        assert_string_equal(v[n - 1], "10.0.0.9");
        const exs_warning *wv = exs_results_warnings(r, &n);
        assert_int_equal(n, 1);
        assert_string_equal(wv[0].message, "6 server addresses past 64 per root read (1 roots) "
                                           "left out: the smallest kept");
        exs_results_destroy(r);
    }
}

/* XS_MAX_PARALLEL: a parallel for asked for more threads runs on at most that many (the
 * caller's among them), and every i is done exactly once whatever the count asked. */
enum { PF_N = 20000 };
static atomic_int pf_done[PF_N];
static pthread_t pf_tid[PF_N];
static void pf_fn(void *ctx, size_t i)
{
    (void)ctx;
    atomic_fetch_add(&pf_done[i], 1);
    pf_tid[i] = pthread_self();
}

static void test_parallel_cap(void **st)
{
    (void)st;
    static const unsigned asks[] = {0, 1, 2, XS_MAX_PARALLEL, XS_MAX_PARALLEL * 4};
    for (size_t a = 0; a < sizeof asks / sizeof *asks; a++) {
        for (size_t i = 0; i < PF_N; i++)
            atomic_store(&pf_done[i], 0);
        xs_parallel_for(PF_N, asks[a], pf_fn, NULL);
        size_t distinct = 0;
        static pthread_t seen[XS_MAX_PARALLEL + 1];
        for (size_t i = 0; i < PF_N; i++) {
            assert_int_equal(atomic_load(&pf_done[i]), 1);
            size_t k = 0;
            while (k < distinct && !pthread_equal(seen[k], pf_tid[i]))
                k++;
            if (k == distinct) {
                assert_true(distinct <= XS_MAX_PARALLEL);
                seen[distinct++] = pf_tid[i];
            }
        }
        assert_true(distinct >= 1 && distinct <= XS_MAX_PARALLEL);
        if (asks[a] <= 1) /* the caller alone */
            assert_int_equal(distinct, 1);
    }
    xs_parallel_for(0, 8, pf_fn, NULL); /* nothing to do: no call */
    assert_true(xs_cpus() >= 1 && xs_cpus() <= XS_MAX_PARALLEL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_cap),
        cmocka_unit_test_setup_teardown(test_access_events, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_file_caps, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_file_caps_deferred, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_vdirs, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_yara_timeout, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_max_findings, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_server_addresses, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_server_addresses_order, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_server_addresses_roots, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_folder_depth, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_archive_depth, t_dir_setup, t_dir_teardown),
        cmocka_unit_test(test_field_caps),
        cmocka_unit_test(test_warning_examples),
        cmocka_unit_test(test_warning_examples_order),
        cmocka_unit_test_setup_teardown(test_warning_examples_jobs, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_file_hits, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_path_length, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_label_length, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_where_room, t_dir_setup, t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
