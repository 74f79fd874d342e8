/* The results object: the keep policy (fair per-rule sample, always-kept findings, exact
 * counts, any arrival order), stable ids, the JSON-lines round trip (text, CSV and JSON lines
 * of a saved sweep are those of the sweep), and a shell behind 100,000 decoys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jsonltext.h"
#include "memscan.h"
#include "mkarchive.h"
#include "results/hit.h"
#include "results/results_int.h"
#include "results/store.h"
#include "scan/scan_int.h"
#include "scan/worker.h"

static const exs_rule rule_a = {"T-A", "a", "", "Test", "", "", false};
static const exs_rule rule_b = {"T-B", "b", "CVE-1", "Test", "", "", false};
static const exs_rule rule_c = {"T-C", "c", "", "Test", "", "", true}; /* a backdoor rule */

/* A finding of rule at line of file path, verdict v, from client ip (may be NULL), related
 * to the ids in rel (NULL-ended, may be NULL); its id is written to id (may be NULL). */
static void add_hit(xs_store *st, const exs_rule *rule, exs_verdict v, const char *path,
                    unsigned line, const char *ip, const char *const *rel, char *id)
{
    xs_hit h;
    xs_hit_init(&h, rule, v, EXS_SEV_MEDIUM, 1000 + line);
    h.line = line;
    h.http.client = xs_str_cstr(ip);
    for (size_t i = 0; rel && rel[i]; i++)
        assert_true(xs_hit_relate(&h, rel[i]));
    xs_hit_origin o = {0};
    o.label = "r";
    o.path = xs_str_cstr(path);
    o.kind = "test";
    exs_finding f;
    void *block;
    assert_int_equal(xs_finding_build(&h, &o, NULL, 0, &f, &block, NULL), EXS_OK);
    if (id)
        memcpy(id, f.id, EXS_ID_LEN);
    assert_true(xs_store_add(st, &f, block));
}

/* A finding of rule at line of file path, verdict v, from one of seven clients. */
static void add(xs_store *st, const exs_rule *rule, exs_verdict v, const char *path, unsigned line)
{
    char ip[32];
    snprintf(ip, sizeof ip, "192.0.2.%u", line % 7);
    add_hit(st, rule, v, path, line, ip, NULL, NULL);
}

/* The kept findings as "rule:line" lines, sorted. */
static char *kept(exs_results *r)
{
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    char *out = calloc(n * 24 + 1, 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(out + o, "%s:%llu\n", f[i].rule->id,
                             (unsigned long long)f[i].origin.line);
    return out;
}

/* 600 of rule A, 30 of rule B, 40 exploitation of A, 5 of backdoor rule C, budget 100,
 * delivered in order k (0: forward, 1: backward, 2: interleaved). */
static exs_results *sample(int k)
{
    xs_store *st = xs_store_create(100, 1000);
    assert_non_null(st);
    for (unsigned j = 0; j < 675; j++) {
        unsigned i = k == 0 ? j : k == 1 ? 674 - j : (j * 7) % 675;
        if (i < 600)
            add(st, &rule_a, EXS_VERDICT_SUSPICIOUS, "x.log", i + 1);
        else if (i < 630)
            add(st, &rule_b, EXS_VERDICT_PROBE, "y.log", i + 1);
        else if (i < 670)
            add(st, &rule_a, EXS_VERDICT_EXPLOITATION, "z.log", i + 1);
        else
            add(st, &rule_c, EXS_VERDICT_SUSPICIOUS, "w.aspx", i + 1);
    }
    exs_results *r = xs_results_new();
    assert_non_null(r);
    assert_true(xs_store_finish(st, r));
    assert_true(xs_results_sort(r));
    xs_store_destroy(st);
    return r;
}

static void test_store_fair_and_order_free(void **s_)
{
    (void)s_;
    exs_results *a = sample(0), *b = sample(1), *c = sample(2);
    char *ka = kept(a), *kb = kept(b), *kc = kept(c);
    assert_string_equal(ka, kb);
    assert_string_equal(ka, kc);
    size_t n;
    const exs_finding *f = exs_results_findings(a, &n);
    /* 40 exploitation + 5 backdoor always; the budget of 100 shared: B has 30 (all kept),
     * A gets the other 70 */
    assert_int_equal(n, 45 + 100);
    size_t na = 0, nb = 0, nexp = 0, nc = 0;
    for (size_t i = 0; i < n; i++) {
        if (f[i].verdict == EXS_VERDICT_EXPLOITATION)
            nexp++;
        else if (f[i].rule == &rule_c)
            nc++;
        else if (f[i].rule == &rule_a)
            na++;
        else
            nb++;
    }
    assert_int_equal(nexp, 40);
    assert_int_equal(nc, 5);
    assert_int_equal(nb, 30);
    assert_int_equal(na, 70);
    /* counts are over everything */
    const exs_sweep_stats *st = exs_results_stats(a);
    assert_int_equal(st->findings, 675);
    assert_int_equal(st->findings_dropped, 675 - 145);
    assert_int_equal(st->verdicts[EXS_VERDICT_EXPLOITATION], 40);
    size_t nr;
    const exs_count *rc = exs_results_counts(a, EXS_COUNT_RULE, &nr);
    assert_int_equal(nr, 3);
    assert_string_equal(rc[0].key, "T-A");
    assert_int_equal(rc[0].n, 640);
    assert_int_equal(rc[0].by_verdict[EXS_VERDICT_EXPLOITATION], 40);
    assert_int_equal(rc[1].n, 30);
    assert_int_equal(rc[2].n, 5);
    const exs_count *fc = exs_results_counts(a, EXS_COUNT_FAMILY, &nr);
    assert_int_equal(nr, 2);
    assert_string_equal(fc[0].key, "Test|");
    assert_int_equal(fc[0].n, 645);
    assert_string_equal(fc[1].key, "Test|CVE-1");
    const exs_count *cl = exs_results_counts(a, EXS_COUNT_CLIENT, &nr);
    assert_int_equal(nr, 7);
    uint64_t sum = 0;
    for (size_t i = 0; i < nr; i++)
        sum += cl[i].n;
    assert_int_equal(sum, 675);
    free(ka);
    free(kb);
    free(kc);
    exs_results_destroy(a);
    exs_results_destroy(b);
    exs_results_destroy(c);
}

/* A finding of rule at line of file path, verdict v, no client, related to rel; its id to id. */
static void add_rel(xs_store *st, const exs_rule *rule, exs_verdict v, const char *path,
                    unsigned line, const char *const *rel, char id[EXS_ID_LEN])
{
    add_hit(st, rule, v, path, line, NULL, rel, id);
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The ids of a snapshot, sorted, one a line. */
static char *snapshot_ids(xs_store *st)
{
    size_t n;
    const exs_finding **v = xs_store_snapshot(st, &n);
    assert_non_null(v);
    char *ids = calloc(n + 1, EXS_ID_LEN);
    for (size_t i = 0; i < n; i++)
        memcpy(ids + i * EXS_ID_LEN, v[i]->id, EXS_ID_LEN);
    qsort(ids, n, EXS_ID_LEN, cmp_id);
    for (size_t i = 0; i < n; i++)
        ids[i * EXS_ID_LEN + EXS_ID_LEN - 1] = '\n';
    free(v);
    return ids;
}

/* 3000 of rule A (enough for the store to trim on the way), 50 of rule B, 30 of backdoor rule
 * C; budget 10, always-kept cap 10; in order k. Settled, what the passes would read is the
 * same set for every order: A and B five each, their smallest ids, and C's ten smallest. */
static void test_store_settled_order_free(void **s_)
{
    (void)s_;
    enum { NA = 3000, NB = 50, NC = 30, N = NA + NB + NC };
    static char ids[N][EXS_ID_LEN];
    char *first = NULL, *want = NULL;
    for (int k = 0; k < 3; k++) {
        xs_store *st = xs_store_create(10, 10);
        assert_non_null(st);
        for (unsigned j = 0; j < N; j++) {
            unsigned i = k == 0 ? j : k == 1 ? N - 1 - j : (j * 3) % N;
            const exs_rule *r = i < NA ? &rule_a : i < NA + NB ? &rule_b : &rule_c;
            add_rel(st, r, r == &rule_b ? EXS_VERDICT_PROBE : EXS_VERDICT_SUSPICIOUS,
                    r == &rule_c ? "w.aspx" : "x.log", i + 1, NULL, ids[i]);
        }
        assert_true(xs_store_settle(st));
        assert_int_equal(xs_store_always_dropped(st), NC - 10);
        char *got = snapshot_ids(st);
        if (!first) {
            first = got;
            /* the expected set, from the ids themselves */
            char (*a)[EXS_ID_LEN] = calloc(N, EXS_ID_LEN);
            memcpy(a, ids, sizeof ids);
            qsort(a, NA, EXS_ID_LEN, cmp_id);
            qsort(a + NA, NB, EXS_ID_LEN, cmp_id);
            qsort(a + NA + NB, NC, EXS_ID_LEN, cmp_id);
            char (*w)[EXS_ID_LEN] = calloc(20, EXS_ID_LEN);
            memcpy(w, a, 5 * EXS_ID_LEN);
            memcpy(w + 5, a + NA, 5 * EXS_ID_LEN);
            memcpy(w + 10, a + NA + NB, 10 * EXS_ID_LEN);
            qsort(w, 20, EXS_ID_LEN, cmp_id);
            want = calloc(21, EXS_ID_LEN);
            for (size_t i = 0; i < 20; i++) {
                memcpy(want + i * EXS_ID_LEN, w[i], EXS_ID_LEN);
                want[i * EXS_ID_LEN + EXS_ID_LEN - 1] = '\n';
            }
            free(a);
            free(w);
            assert_string_equal(first, want);
        } else {
            assert_string_equal(got, first);
            free(got);
        }
        /* and the final results are the settled set */
        exs_results *r = xs_results_new();
        assert_non_null(r);
        assert_true(xs_store_finish(st, r));
        size_t n;
        exs_results_findings(r, &n);
        assert_int_equal(n, 20);
        assert_int_equal(exs_results_stats(r)->findings, N);
        assert_int_equal(exs_results_stats(r)->findings_dropped, N - 20);
        exs_results_destroy(r);
        xs_store_destroy(st);
    }
    free(first);
    free(want);
}

/* A kept finding's related findings are kept past the budget, and what they relate to; with
 * no relation nothing more is kept. */
static void test_store_pins_related(void **s_)
{
    (void)s_;
    char a[100][EXS_ID_LEN], b[3][EXS_ID_LEN], x[EXS_ID_LEN];
    xs_store *st = xs_store_create(2, 100);
    assert_non_null(st);
    for (unsigned i = 0; i < 100; i++)
        add_rel(st, &rule_a, EXS_VERDICT_SUSPICIOUS, "a.log", i + 1, NULL, a[i]);
    /* A's two smallest ids: its share while the passes run (two), then one at the end */
    size_t amin = 0, asec = 1;
    if (strcmp(a[asec], a[amin]) < 0)
        amin = 1, asec = 0;
    for (size_t i = 2; i < 100; i++) {
        if (strcmp(a[i], a[amin]) < 0) {
            asec = amin;
            amin = i;
        } else if (strcmp(a[i], a[asec]) < 0) {
            asec = i;
        }
    }
    assert_true(xs_store_settle(st));
    xs_store_hold(st, true); /* the passes */
    /* B: three (their ids wanted below) */
    for (unsigned i = 0; i < 3; i++) {
        const char *rel[] = {NULL, NULL};
        add_rel(st, &rule_b, EXS_VERDICT_PROBE, "b.log", i + 1, rel, b[i]);
    }
    xs_store_destroy(st);

    /* again, now that the ids of B are known: the passes see A's two smallest; B's largest
     * relates to the second, and an exploitation finding relates to B's largest */
    size_t bmax = 0, bmin = 0;
    for (size_t i = 1; i < 3; i++) {
        if (strcmp(b[i], b[bmax]) > 0)
            bmax = i;
        if (strcmp(b[i], b[bmin]) < 0)
            bmin = i;
    }
    st = xs_store_create(2, 100);
    for (unsigned i = 0; i < 100; i++)
        add_rel(st, &rule_a, EXS_VERDICT_SUSPICIOUS, "a.log", i + 1, NULL, a[i]);
    assert_true(xs_store_settle(st));
    xs_store_hold(st, true);
    for (unsigned i = 0; i < 3; i++) {
        const char *rel[] = {i == bmax ? a[asec] : NULL, NULL};
        char id[EXS_ID_LEN];
        add_rel(st, &rule_b, EXS_VERDICT_PROBE, "b.log", i + 1, rel, id);
        assert_string_equal(id, b[i]);
    }
    const char *relx[] = {b[bmax], NULL};
    add_rel(st, &rule_a, EXS_VERDICT_EXPLOITATION, "z.log", 1, relx, x);
    xs_store_hold(st, false);
    exs_results *r = xs_results_new();
    assert_true(xs_store_finish(st, r));
    xs_store_destroy(st);
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    /* the exploitation one, A's and B's share (one each: their smallest ids), B's largest
     * (pinned by it) and A's second (pinned by B's largest) */
    assert_int_equal(n, 5);
    const char *want[] = {x, a[amin], b[bmin], b[bmax], a[asec]};
    for (size_t i = 0; i < 5; i++)
        assert_non_null(exs_results_find(r, want[i]));
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < f[i].nrelated; k++)
            assert_non_null(exs_results_find(r, f[i].related[k]));
    assert_int_equal(exs_results_stats(r)->findings_dropped, 104 - 5);
    exs_results_destroy(r);
}

/* A sweep with no findings: the store settles and finishes to none (settle sorted a NULL
 * array of no samples, which UBSan refuses). */
static void test_store_empty(void **s_)
{
    (void)s_;
    xs_store *st = xs_store_create(2, 100);
    assert_non_null(st);
    assert_true(xs_store_settle(st));
    exs_results *r = xs_results_new();
    assert_non_null(r);
    assert_true(xs_store_finish(st, r));
    xs_store_destroy(st);
    size_t n = 1;
    exs_results_findings(r, &n);
    assert_int_equal(n, 0);
    assert_int_equal(exs_results_stats(r)->findings, 0);
    assert_int_equal(exs_results_stats(r)->findings_dropped, 0);
    exs_results_destroy(r);
}

static void test_ids(void **s_)
{
    (void)s_;
    xs_hit h;
    xs_hit_init(&h, &rule_a, EXS_VERDICT_PROBE, EXS_SEV_LOW, 5);
    h.line = 3;
    xs_hit_origin o = {0};
    o.label = "srv";
    o.path = XS_LIT("a/b.log");
    o.kind = "iis";
    char a[EXS_ID_LEN], b[EXS_ID_LEN], c[EXS_ID_LEN], d[EXS_ID_LEN], e[EXS_ID_LEN];
    assert_true(xs_finding_id(&h, &o, 0, a));
    assert_true(xs_finding_id(&h, &o, 0, b));
    assert_string_equal(a, b); /* the same evidence, the same id */
    assert_int_equal(strlen(a), 32);
    assert_true(xs_finding_id(&h, &o, 1, c)); /* a second finding of the same identity */
    o.label = "srv-2";
    assert_true(xs_finding_id(&h, &o, 0, d)); /* another root */
    o.label = "srv";
    h.line = 4;
    assert_true(xs_finding_id(&h, &o, 0, e));
    assert_string_not_equal(a, c);
    assert_string_not_equal(a, d);
    assert_string_not_equal(a, e);
    /* what the id does not hold: the time, the verdict, the facts */
    h.line = 3;
    h.time_ms = 99;
    h.verdict = EXS_VERDICT_EXPLOITATION;
    xs_hit_fact_cstr(&h, "keyword", "x");
    assert_true(xs_finding_id(&h, &o, 0, b));
    assert_string_equal(a, b);
}

/* ---------------------------------------------------------------- round trip */

static char *render(const exs_results *r, exs_format fmt, size_t top)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    exs_report_opts o = EXS_REPORT_OPTS_INIT;
    o.format = fmt;
    o.top = top;
    o.verbose = 1;
    assert_int_equal(exs_report_write(r, f, &o), EXS_OK);
    fclose(f);
    return buf;
}

#define IIS_PLACE "c/inetpub/logs/logfiles/w3svc1/u_ex210305.log"
#define IIS_HDR                                                                                    \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "         \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
#define L(t, m, stem, q, ip, st)                                                                   \
    "2021-03-05 " t " 10.0.0.5 " m " " stem " " q " 443 - " ip " Mozilla/5.0+(Windows+NT+10.0) - " st " 0 0 33\r\n"

static void test_round_trip(void **s_)
{
    (void)s_;
    const char *places[] = {
        IIS_PLACE,
        "c/program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/errorEE.aspx",
        "c/program files/microsoft/exchange server/v15/logging/cmdletinfra/powershell-proxy/cmdlet/rps_cmdlet_2021030414-1.log",
        NULL};
    const char *texts[] = {
        IIS_HDR L("03:06:27", "GET", "/owa/auth/errorEE.aspx", "cmd=whoami", "192.0.2.1", "200")
            L("03:06:28", "POST", "/owa/auth/errorEE.aspx", "-", "192.0.2.1", "200")
                L("03:06:30", "GET", "/owa/auth/x\x1b[31m.aspx", "-", "198.51.100.9", "404")
                    L("03:06:31", "GET", "/owa/auth/bad\xc3\x28\xff.aspx", "q=\xfe", "198.51.100.9", "404"),
        "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"p\"],\"unsafe\");%>",
        "#Software: Microsoft Exchange Server\r\n#Log-type: Rps Cmdlet Logs\r\n"
        "#Fields: DateTime,StartTime,RequestId,ClientRequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ServerHostName,ProcessId,ProcessName,ThreadId,CultureInfo,Organization,AuthenticatedUser,ExecutingUserSid,EffectiveOrganization,UserServicePlan,IsAdmin,ClientApplication,Cmdlet,Parameters,ExecutionResult\r\n"
        "2021-03-05T10:01:05.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\administrator,S-1-5-21-1,,,True,,New-MailboxExportRequest,\"-Mailbox \"\"a\"\" -FilePath \"\"\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\s.aspx\"\"\",Success\r\n",
        NULL};
    exs_scan *s = t_scan_many(places, texts);
    const exs_results *r = exs_scan_results(s);
    size_t n;
    exs_results_findings(r, &n);
    assert_true(n >= 6);
    char *text = render(r, EXS_FORMAT_TEXT, 50), *csv = render(r, EXS_FORMAT_CSV, 0),
         *jsonl = render(r, EXS_FORMAT_JSONL, 0);
    char path[] = "/tmp/exsweep-rt-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, jsonl, strlen(jsonl)), (ssize_t)strlen(jsonl));
    close(fd);
    exs_results *back = NULL;
    char err[256];
    const char *paths[] = {path};
    assert_int_equal(exs_results_read_jsonl(&back, paths, 1, err, sizeof err), EXS_OK);
    char *text2 = render(back, EXS_FORMAT_TEXT, 50), *csv2 = render(back, EXS_FORMAT_CSV, 0),
         *jsonl2 = render(back, EXS_FORMAT_JSONL, 0);
    assert_non_null(strstr(jsonl, "\"raw\":[{\"field\":")); /* the invalid UTF-8, exactly */
    assert_string_equal(text, text2);
    assert_string_equal(csv, csv2);
    assert_string_equal(jsonl, jsonl2);
    /* the ids and relations survive */
    size_t n2;
    const exs_finding *f = exs_results_findings(r, &n), *g = exs_results_findings(back, &n2);
    assert_int_equal(n, n2);
    bool related = false;
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(f[i].id, g[i].id);
        assert_int_equal(f[i].nrelated, g[i].nrelated);
        related |= g[i].nrelated > 0;
        for (size_t k = 0; k < g[i].nrelated; k++)
            assert_non_null(exs_results_find(back, g[i].related[k]));
    }
    assert_true(related);
    /* two saved sweeps read together: every root, every finding */
    exs_results *two = NULL;
    const char *paths2[] = {path, path};
    assert_int_equal(exs_results_read_jsonl(&two, paths2, 2, err, sizeof err), EXS_OK);
    exs_results_findings(two, &n2);
    assert_int_equal(n2, 2 * n);
    assert_int_equal(exs_results_sweep(two)->nroots, 2 * exs_results_sweep(r)->nroots);
    assert_int_equal(exs_results_stats(two)->findings, 2 * exs_results_stats(r)->findings);
    exs_results_destroy(two);
    /* not a sweep's lines: a clear error */
    FILE *bad = fopen(path, "w");
    fputs("{\"a\":1}\nnot json\n", bad);
    fclose(bad);
    exs_results *none = NULL;
    assert_int_equal(exs_results_read_jsonl(&none, paths, 1, err, sizeof err), EXS_EFORMAT);
    assert_non_null(strstr(err, "no exsweep sweep record"));
    assert_null(none);
    unlink(path);
    free(text);
    free(csv);
    free(jsonl);
    free(text2);
    free(csv2);
    free(jsonl2);
    exs_results_destroy(back);
    exs_scan_destroy(s);
}

/* ---------------------------------------------------------------- reading many records */

/* A saved file in memory (*text, *len once read) that starts with a sweep of one root "r". */
static FILE *saved_start(char **text, size_t *len)
{
    FILE *f = open_memstream(text, len);
    assert_non_null(f);
    fputs("{\"exsweep\":{\"record\":\"sweep\",\"version\":\"t\",\"roots\":[{\"path\":\"/r\",\"label\":\"r\"}]}}\n", f);
    return f;
}

/* Ends the file saved_start began and reads it (EXS_OK). */
static exs_results *saved_read(FILE *f, char **text, size_t *len)
{
    fclose(f);
    exs_results *r = NULL;
    char err[256];
    assert_int_equal(t_read_jsonl(*text, *len, &r, err, sizeof err), EXS_OK);
    return r;
}

/* A saved sweep of 100,000 client counts and 20,000 coverage families, each written twice (two
 * sweeps in one file: the records merge by key), reads in linear time: each record finds its
 * key in a map, not by a search over the ones read before (that took a minute). The merged
 * values are exact. */
static void test_read_many_records(void **st)
{
    (void)st;
    enum { KEYS = 100000, FAMS = 20000 };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    for (int sweep = 0; sweep < 2; sweep++) {
        fprintf(f, "{\"exsweep\":{\"record\":\"sweep\",\"version\":\"t\",\"roots\":[{\"path\":"
                   "\"/r\",\"label\":\"r\"}],\"stats\":{\"findings\":%d}}}\n",
                KEYS);
        for (unsigned i = 0; i < KEYS; i++)
            fprintf(f, "{\"exsweep\":{\"record\":\"count\",\"count\":{\"kind\":\"client\",\"key\":"
                       "\"10.%u.%u.%u\",\"n\":1,\"verdicts\":{\"probe\":1},\"first\":"
                       "\"2021-03-0%dT11:00:00.000Z\"}}}\n",
                    i >> 16, (i >> 8) & 255, i & 255, sweep + 3);
        for (unsigned i = 0; i < FAMS; i++)
            fprintf(f, "{\"exsweep\":{\"record\":\"coverage\",\"coverage\":{\"family\":\"F%u\","
                       "\"files_read\":%u,\"lines\":1}}}\n",
                    i, sweep + 1);
    }
    fclose(f);
    exs_results *r = NULL;
    char err[256];
    clock_t t0 = clock();
    assert_int_equal(t_read_jsonl(text, len, &r, err, sizeof err), EXS_OK);
    double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* linear: well under a second (a few under the sanitizers); the search took over 30 */
    assert_true(cpu < 10.0);
    size_t n;
    const exs_count *c = exs_results_counts(r, EXS_COUNT_CLIENT, &n);
    assert_int_equal(n, KEYS);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(c[i].n, 2);
        assert_int_equal(c[i].by_verdict[EXS_VERDICT_PROBE], 2);
        assert_int_equal(c[i].first_ms, 1614769200000LL); /* 2021-03-03T11:00 and -04 */
        assert_int_equal(c[i].last_ms, 1614769200000LL + 86400000LL);
    }
    assert_string_equal(c[0].key, "10.0.0.0");
    assert_string_equal(c[n - 1].key, "10.1.99.99"); /* in strcmp order */
    exs_results_counts(r, EXS_COUNT_RULE, &n);
    assert_int_equal(n, 0);
    const exs_coverage *cv = exs_results_coverage(r, &n);
    assert_int_equal(n, FAMS);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(cv[i].files_read, 3);
        assert_int_equal(cv[i].lines, 2);
    }
    assert_int_equal(exs_results_stats(r)->findings, 2 * KEYS);
    assert_int_equal(exs_results_sweep(r)->nroots, 2);
    exs_results_destroy(r);
    free(text);
}

/* Root labels made unique over the sweeps read: XS_MAX_REPORT_ROOTS roots in 17 sweep
 * records (241 roots each, as many as a line's 512 pairs hold), all "a" but a root labelled
 * "a-3" first and one "a-2" last. Each rename looked through every label read so far for
 * every suffix it tried (about 2e10 strcmp); now the names are the same, in linear time. */
static void test_read_many_root_labels(void **st)
{
    (void)st;
    enum { PER = 241 };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    for (int n = 0; n < XS_MAX_REPORT_ROOTS; n++) {
        bool open = n % PER == 0, close = n % PER == PER - 1 || n == XS_MAX_REPORT_ROOTS - 1;
        const char *lab = n == 0 ? "a-3" : n == XS_MAX_REPORT_ROOTS - 1 ? "a-2" : "a";
        fprintf(f, "%s{\"path\":\"/r%d\",\"label\":\"%s\"}%s",
                open ? "{\"exsweep\":{\"record\":\"sweep\",\"version\":\"t\",\"roots\":[" : ",", n,
                lab, close ? "]}}\n" : "");
    }
    clock_t t0 = clock();
    exs_results *r = saved_read(f, &text, &len);
    double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(cpu < 5.0); /* milliseconds */
    const exs_sweep_info *sw = exs_results_sweep(r);
    assert_int_equal(sw->nroots, XS_MAX_REPORT_ROOTS);
    static const char *first[] = {"a-3", "a", "a-2", "a-4", "a-5"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(sw->roots[i].label, first[i]);
    assert_string_equal(sw->roots[4094].path, "/r4094");
    assert_string_equal(sw->roots[4094].label, "a-4095");
    assert_string_equal(sw->roots[4095].label, "a-2-2");
    exs_results_destroy(r);
    free(text);
}

/* ---------------------------------------------------------------- oversize fields read */

/* A finding record of rule id (user rule "id"), event.id made of digit d, with extra JSON
 * fields (",..." or "") inside the exsweep object and in the top level. */
static void finding_line(FILE *f, const char *rule, char d, const char *exsweep_extra,
                         const char *top_extra)
{
    char id[33];
    memset(id, d, 32);
    id[32] = 0;
    fprintf(f,
            "{\"event\":{\"id\":\"%s\"},\"rule\":{\"id\":\"%s\",\"name\":\"n\"}%s,"
            "\"exsweep\":{\"record\":\"finding\",\"verdict\":\"suspicious\",\"severity\":\"medium\","
            "\"origin\":{\"root\":0,\"path\":\"a.log\",\"kind\":\"iis\",\"line\":1}%s}}\n",
            id, rule, top_extra, exsweep_extra);
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = 0;
    return s;
}

/* The read's own warning count: "report", of how many skipped records; returns the warnings. */
static const exs_warning *report_skips(const exs_results *r, uint64_t skipped, size_t *n)
{
    const exs_warning_count *wc = exs_results_warning_counts(r, n);
    assert_int_equal(*n, 1);
    assert_string_equal(wc[0].kind, "report");
    assert_int_equal(wc[0].count, skipped);
    return exs_results_warnings(r, n);
}

/* A field longer than a sweep writes (a rule.id, a URL past XS_MAX_FINDING_FIELD, more facts or
 * related ids than a finding has, a count key, a warning) makes its record bad input: skipped,
 * counted ("report" warnings) and named by an example; never EXS_ENOMEM (a long rule.id was),
 * never cut silently (a long URL was). Fields at their caps read whole. */
static void test_read_oversize_fields(void **st)
{
    (void)st;
    char *longid = repeat('R', 300), *url = repeat('u', XS_MAX_FINDING_FIELD + 1),
         *url_ok = repeat('v', XS_MAX_FINDING_FIELD), *key = repeat('k', XS_MAX_FINDING_FIELD + 1),
         *msg = repeat('m', 2000);
    char facts[2048] = ",\"facts\":{", related[4096] = ",\"related\":[";
    for (int i = 0; i <= XS_MAX_FACTS; i++)
        snprintf(facts + strlen(facts), sizeof facts - strlen(facts), "%s\"f%d\":\"v\"", i ? "," : "", i);
    strcat(facts, "}");
    for (int i = 0; i <= XS_MAX_RELATED; i++)
        snprintf(related + strlen(related), sizeof related - strlen(related), "%s\"%032d\"", i ? "," : "", i);
    strcat(related, "]");
    char *text = NULL, *top = NULL;
    size_t len = 0;
    FILE *f = saved_start(&text, &len);
    finding_line(f, "T-OK", '1', "", "");                                  /* 2: read */
    finding_line(f, longid, '2', "", "");                                  /* 3: skipped */
    assert_true(asprintf(&top, ",\"url\":{\"path\":\"%s\"}", url) > 0);
    finding_line(f, "T-OK", '3', "", top);                                 /* 4: skipped */
    free(top);
    assert_true(asprintf(&top, ",\"url\":{\"path\":\"%s\"}", url_ok) > 0);
    finding_line(f, "T-OK", '4', "", top);                                 /* 5: read whole */
    free(top);
    finding_line(f, "T-OK", '5', facts, "");                               /* 6: skipped */
    finding_line(f, "T-OK", '6', related, "");                             /* 7: skipped */
    fprintf(f, "{\"exsweep\":{\"record\":\"count\",\"count\":{\"kind\":\"host\",\"key\":\"%s\",\"n\":1}}}\n", key); /* 8 */
    fputs("{\"exsweep\":{\"record\":\"count\",\"count\":{\"kind\":\"host\",\"key\":\"EXCH01\",\"n\":3}}}\n", f);  /* 9 */
    fprintf(f, "{\"exsweep\":{\"record\":\"warning\",\"warning\":{\"kind\":\"bad-row\",\"file\":\"x\",\"message\":\"%s\"}}}\n", msg); /* 10 */
    fputs("{\"exsweep\":{\"record\":\"warning\",\"warning\":{\"kind\":\"bad-row\",\"file\":\"x\",\"line\":4,\"message\":\"short\"}}}\n", f); /* 11 */
    exs_results *r = saved_read(f, &text, &len);
    size_t n;
    const exs_finding *fd = exs_results_findings(r, &n);
    assert_int_equal(n, 2);
    assert_int_equal(fd[0].id[0], '1');
    assert_null(fd[0].http);
    assert_int_equal(fd[1].id[0], '4');
    assert_int_equal(strlen(fd[1].http->path), XS_MAX_FINDING_FIELD);
    const exs_count *c = exs_results_counts(r, EXS_COUNT_HOST, &n);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].key, "EXCH01");
    assert_int_equal(c[0].n, 3);
    const exs_warning *w = report_skips(r, 6, &n);
    assert_int_equal(n, 7);
    static const struct {
        uint64_t line;
        const char *message;
    } want[] = {
        {3, "record skipped: a rule.id longer than a sweep writes"},
        {4, "record skipped: a finding field longer than a sweep writes"},
        {6, "record skipped: more exsweep.facts than a finding has"},
        {7, "record skipped: more exsweep.related than a finding has"},
        {8, "record skipped: a count key longer than a sweep writes"},
        {10, "record skipped: a warning longer than a sweep writes"},
    };
    /* sorted by file: "x" (the warning kept) after the saved file's own path */
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(w[i].kind, "report");
        assert_int_equal(w[i].line, want[i].line);
        assert_string_equal(w[i].message, want[i].message);
    }
    assert_string_equal(w[6].file, "x");
    assert_int_equal(w[6].line, 4);
    assert_string_equal(w[6].message, "short");
    exs_results_destroy(r);
    /* the same lines but the bad ones: no warning at all */
    free(text);
    f = saved_start(&text, &len);
    finding_line(f, "T-OK", '1', "", "");
    exs_results *clean = saved_read(f, &text, &len);
    exs_results_warnings(clean, &n);
    assert_int_equal(n, 0);
    exs_results_warning_counts(clean, &n);
    assert_int_equal(n, 0);
    exs_results_destroy(clean);
    free(text);
    free(longid);
    free(url);
    free(url_ok);
    free(key);
    free(msg);
}

/* file.attributes are joined by ',' as a sweep keeps them, at most XS_MAX_FINDING_SHORT bytes:
 * names that join to exactly that many are read whole (they were cut to 255 bytes), one byte
 * more makes the record bad input, skipped and counted. */
static void test_read_attributes_cap(void **st)
{
    (void)st;
    char *a127 = repeat('a', 127), *b128 = repeat('b', 128), *c256 = repeat('c', 256),
         *c257 = repeat('c', 257), *top = NULL, *text = NULL;
    size_t len = 0;
    FILE *f = saved_start(&text, &len);
    assert_true(asprintf(&top, ",\"file\":{\"path\":\"x\",\"attributes\":[\"%s\",\"%s\"]}", a127, b128) > 0);
    finding_line(f, "T-OK", '1', "", top); /* 2: 256 bytes joined, read */
    free(top);
    assert_true(asprintf(&top, ",\"file\":{\"path\":\"x\",\"attributes\":[\"%s\",\"%s\"]}", b128, b128) > 0);
    finding_line(f, "T-OK", '2', "", top); /* 3: 257, skipped */
    free(top);
    assert_true(asprintf(&top, ",\"file\":{\"path\":\"x\",\"attributes\":[\"%s\"]}", c256) > 0);
    finding_line(f, "T-OK", '3', "", top); /* 4: one name of 256, read */
    free(top);
    assert_true(asprintf(&top, ",\"file\":{\"path\":\"x\",\"attributes\":[\"%s\"]}", c257) > 0);
    finding_line(f, "T-OK", '4', "", top); /* 5: 257, skipped */
    free(top);
    exs_results *r = saved_read(f, &text, &len);
    size_t n;
    const exs_finding *fd = exs_results_findings(r, &n);
    assert_int_equal(n, 2);
    char want[257];
    snprintf(want, sizeof want, "%s,%s", a127, b128);
    assert_int_equal(fd[0].id[0], '1');
    assert_int_equal(strlen(fd[0].file->attributes), 256);
    assert_string_equal(fd[0].file->attributes, want);
    assert_int_equal(fd[1].id[0], '3');
    assert_string_equal(fd[1].file->attributes, c256);
    const exs_warning *w = report_skips(r, 2, &n);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(w[i].line, 3 + 2 * i);
        assert_string_equal(w[i].message, "record skipped: file.attributes longer than a sweep writes");
    }
    exs_results_destroy(r);
    free(text);
    free(a127);
    free(b128);
    free(c256);
    free(c257);
}

/* ---------------------------------------------------------------- passes past the cap */

enum { SAMPLE_FILES = 4, SAMPLE_ROWS = 420 };
#define SAMPLE_IOC "203.0.113.9"

/* Four IIS logs of 420 script probes each (a finding each), one in four from an address of
 * the IOC list, swept with --max-findings 5 in the file order given: enough findings for the
 * store to trim while the sweep runs. Returns the scan. */
static exs_scan *sample_sweep(char *const *texts, const int *order, const char *ioc)
{
    exs_scan *s;
    exs_scan_opts o = {1, 0};
    o.max_findings = 5;
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_iocs(s, ioc), EXS_OK);
    assert_int_equal(xs_scan_prepare(s), EXS_OK);
    xs_worker w;
    assert_int_equal(xs_worker_init(&w, s), EXS_OK);
    for (int i = 0; i < SAMPLE_FILES; i++) {
        char place[128];
        snprintf(place, sizeof place, "c/inetpub/logs/logfiles/w3svc1/u_ex21030%d.log",
                 order[i] + 1);
        xs_worker_process_memory(&w, place, place, texts[order[i]], strlen(texts[order[i]]));
    }
    xs_worker_fini(&w);
    xs_scan_finish(s);
    assert_false(xs_scan_failed(s));
    return s;
}

/* Cuts each "key":"value" that starts with cut (up to its closing quote and one comma),
 * from the lines holding only (NULL: all). */
static void cut_field(char *j, const char *cut, const char *only)
{
    for (char *p = strstr(j, cut); p; p = strstr(p, cut)) {
        char *bol = p, *eol = strchr(p, '\n');
        while (bol > j && bol[-1] != '\n')
            bol--;
        char save = eol ? *eol : 0;
        if (eol)
            *eol = 0;
        bool here = !only || strstr(bol, only);
        if (eol)
            *eol = save;
        if (!here) {
            p++;
            continue;
        }
        char *e = strchr(p + strlen(cut), '"');
        assert_non_null(e);
        e += e[1] == ',';
        memmove(p, e + 1, strlen(e + 1) + 1);
    }
}

/* The JSON lines of a sweep but for the times of the run (its own record, the times the
 * findings and counts were written). */
static char *sample_jsonl(const exs_scan *s)
{
    char *j = render(exs_scan_results(s), EXS_FORMAT_JSONL, 0);
    char *nl = strchr(j, '\n');
    assert_non_null(nl);
    memmove(j, nl + 1, strlen(nl + 1) + 1);
    cut_field(j, ",\"created\":\"", NULL);
    cut_field(j, "\"@timestamp\":\"", "\"kind\":\"metric\"");
    return j;
}

static void test_passes_past_the_cap_order_free(void **s_)
{
    (void)s_;
    char *texts[SAMPLE_FILES];
    for (int f = 0; f < SAMPLE_FILES; f++) {
        size_t cap = SAMPLE_ROWS * 200 + 512, o = 0;
        texts[f] = malloc(cap);
        assert_non_null(texts[f]);
        o += (size_t)snprintf(texts[f] + o, cap - o, "%s", IIS_HDR);
        for (int i = 0; i < SAMPLE_ROWS; i++) {
            char ip[32];
            if (i % 4 == 0)
                snprintf(ip, sizeof ip, "%s", SAMPLE_IOC);
            else
                snprintf(ip, sizeof ip, "198.51.100.%d", (i * 7 + f) % 200 + 1);
            o += (size_t)snprintf(texts[f] + o, cap - o,
                                  "2021-03-0%d %02d:%02d:%02d 10.0.0.5 GET /aspnet_client/p%d.aspx "
                                  "- 443 - %s Mozilla/5.0 - 404 0 0 1\r\n",
                                  f + 1, 1 + i / 3600, i / 60 % 60, i % 60, i % 37, ip);
        }
    }
    char ioc[] = "/tmp/exs-sample-XXXXXX";
    int fd = mkstemp(ioc);
    assert_true(fd >= 0);
    const char *list = SAMPLE_IOC ";a scanner of the case\n";
    assert_int_equal(write(fd, list, strlen(list)), (ssize_t)strlen(list));
    close(fd);

    static const int orders[][SAMPLE_FILES] = {{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}};
    char *first = NULL;
    for (size_t k = 0; k < sizeof orders / sizeof orders[0]; k++) {
        exs_scan *s = sample_sweep(texts, orders[k], ioc);
        const exs_results *r = exs_scan_results(s);
        const exs_sweep_stats *st = exs_results_stats(r);
        assert_int_equal(st->findings_dropped > 1000, 1);
        /* every related id resolves among the kept findings */
        size_t n;
        const exs_finding *f = exs_results_findings(r, &n);
        size_t nrel = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < f[i].nrelated; j++, nrel++)
                if (!exs_results_find(r, f[i].related[j]))
                    fail_msg("%s relates to %s, which is not kept", f[i].rule->id,
                             f[i].related[j]);
        assert_true(nrel > 0);
        /* the listed address: one finding, its count over every finding, kept or not */
        assert_int_equal(t_count(s, "EXS-IOC-NET"), 1);
        const exs_finding *x = t_find(s, "EXS-IOC-NET", 0);
        size_t nc;
        const exs_count *cl = exs_results_counts(r, EXS_COUNT_CLIENT, &nc);
        uint64_t exact = 0;
        for (size_t i = 0; i < nc; i++)
            if (strcmp(cl[i].key, SAMPLE_IOC) == 0)
                exact = cl[i].n;
        /* (the client count holds the EXS-IOC-NET finding itself) */
        assert_true(exact - 1 >= SAMPLE_FILES * SAMPLE_ROWS / 4);
        char want[32];
        snprintf(want, sizeof want, "%llu", (unsigned long long)(exact - 1));
        assert_string_equal(exs_finding_fact(x, "findings"), want);
        assert_string_equal(x->http->client, SAMPLE_IOC);
        assert_true(x->nrelated > 0);
        /* the same bytes whatever order the files came in */
        char *j = sample_jsonl(s);
        if (!first)
            first = j;
        else {
            assert_string_equal(j, first);
            free(j);
        }
        exs_scan_destroy(s);
    }
    free(first);
    /* none without the address in the list */
    FILE *fp = fopen(ioc, "w");
    assert_non_null(fp);
    fputs("192.0.2.200;not seen\n", fp);
    fclose(fp);
    exs_scan *s = sample_sweep(texts, orders[0], ioc);
    assert_int_equal(t_count(s, "EXS-IOC-NET"), 0);
    exs_scan_destroy(s);
    unlink(ioc);
    for (int f = 0; f < SAMPLE_FILES; f++)
        free(texts[f]);
}

/* ---------------------------------------------------------------- a shell behind decoys */

static void test_shell_behind_decoys(void **s_)
{
    (void)s_;
    enum { DECOYS = 100000 };
    const char **names = calloc(DECOYS + 2, sizeof *names), **datas = calloc(DECOYS + 2, sizeof *datas);
    char *pool = malloc((size_t)DECOYS * 64);
    assert_true(names && datas && pool);
    for (int i = 0; i < DECOYS; i++) {
        char *n = pool + (size_t)i * 64;
        snprintf(n, 64, "inetpub/wwwroot/aspnet_client/d%06d.aspx", i);
        names[i] = n;
        datas[i] = "";
    }
    names[DECOYS] = "inetpub/wwwroot/aspnet_client/system_web/s.aspx";
    datas[DECOYS] = "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"z\"],\"unsafe\");%>";
    char path[] = "/tmp/exsweep-decoy-XXXXXX.zip";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(t_write_archive(path, "zip", names, datas, NULL), 0);
    exs_scan *s;
    exs_scan_opts o = {2, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, path), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    const exs_results *r = exs_scan_results(s);
    assert_int_equal(exs_results_verdict(r), EXS_VERDICT_EXPLOITATION);
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    bool shell = false;
    for (size_t i = 0; i < n; i++)
        shell |= strcmp(f[i].rule->id, "EXS-Y-WS-EVAL") == 0 &&
                 strcmp(f[i].origin.path, "inetpub/wwwroot/aspnet_client/system_web/s.aspx") == 0;
    assert_true(shell);
    /* the decoys are counted, every one */
    size_t nr;
    const exs_count *rc = exs_results_counts(r, EXS_COUNT_RULE, &nr);
    uint64_t nondefault = 0;
    for (size_t i = 0; i < nr; i++)
        if (strcmp(rc[i].key, "EXS-FILE-WS-NONDEFAULT") == 0)
            nondefault = rc[i].n;
    assert_int_equal(nondefault, DECOYS + 1);
    exs_scan_destroy(s);
    unlink(path);
    free(names);
    free(datas);
    free(pool);
}

/* EXS_MAX_COUNT_KEYS (lowered to 3): the client keys counted are the three smallest
 * ("root|address", strcmp) whatever the order the findings come in, their counts exact; the
 * findings of the others are counts_dropped, exactly. Client 192.0.2.<i> has i + 1 findings. */
static void test_count_keys_order_free(void **s_)
{
    (void)s_;
    enum { CLIENTS = 10, N = CLIENTS * (CLIENTS + 1) / 2 };
    unsigned who[N], at = 0;
    for (unsigned i = 0; i < CLIENTS; i++)
        for (unsigned k = 0; k <= i; k++)
            who[at++] = i;
    for (int order = 0; order < 3; order++) {
        xs_store *st = xs_store_create(100, 1000);
        assert_non_null(st);
        xs_store_cap_keys(st, 3);
        for (unsigned j = 0; j < N; j++) {
            unsigned i = order == 0 ? j : order == 1 ? N - 1 - j : (j * 7) % N;
            char ip[32];
            snprintf(ip, sizeof ip, "192.0.2.%u", who[i]);
            add_hit(st, &rule_a, EXS_VERDICT_PROBE, "x.log", i + 1, ip, NULL, NULL);
        }
        exs_results *r = xs_results_new();
        assert_non_null(r);
        assert_true(xs_store_finish(st, r));
        assert_true(xs_results_sort(r));
        size_t n;
        const exs_count *c = exs_results_counts(r, EXS_COUNT_CLIENT, &n);
        assert_int_equal(n, 3);
        for (unsigned i = 0; i < 3; i++) {
            char ip[32];
            snprintf(ip, sizeof ip, "192.0.2.%u", i);
            assert_string_equal(c[i].key, ip);
            assert_int_equal(c[i].n, i + 1);
            assert_int_equal(c[i].by_verdict[EXS_VERDICT_PROBE], i + 1);
        }
        assert_int_equal(exs_results_stats(r)->findings, N);
        assert_int_equal(exs_results_stats(r)->counts_dropped, N - (1 + 2 + 3));
        if (order == 0) { /* the text summary says so, with the built-in cap's number */
            char *text = render(r, EXS_FORMAT_TEXT, 0);
            assert_non_null(strstr(text, "  (49 findings of client addresses and host names past "
                                         "the 1000000 counted (the smallest kept) are in the "
                                         "totals only)\n"));
            free(text);
        }
        exs_results_destroy(r);
        xs_store_destroy(st);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_fair_and_order_free),
        cmocka_unit_test(test_store_settled_order_free),
        cmocka_unit_test(test_count_keys_order_free),
        cmocka_unit_test(test_store_pins_related),
        cmocka_unit_test(test_store_empty),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_passes_past_the_cap_order_free),
        cmocka_unit_test(test_shell_behind_decoys),
        cmocka_unit_test(test_read_many_records),
        cmocka_unit_test(test_read_many_root_labels),
        cmocka_unit_test(test_read_oversize_fields),
        cmocka_unit_test(test_read_attributes_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
