/* Report writers: attacker strings escaped in every format; the JSON lines record kinds
 * (sweep, finding, count, coverage, warning), CSV and the summary, all from a results object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memscan.h"
#include "core/escape.h"
#include "fixfiles.h"
#include "jsonltext.h"
#include "parsers/json.h"
#include "report/render.h"
#include "core/timeparse.h"
#include "results/hit.h"
#include "results/results_int.h"
#include "results/store.h"

#define IIS_PLACE "c/inetpub/logs/logfiles/w3svc1/u_ex210303.log"
#define HDR                                                                                        \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "         \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
/* terminal escape in the user agent, a formula in the query, quotes and a backslash */
#define HOSTILE_ROW                                                                                \
    "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx =cmd%20/c%20\"calc\"\\x "              \
    "443 - 192.0.2.9 \x1b]0;pwned\x07\x1b[2J+\xe2\x80\xae - 200 0 0 1\r\n"
#define HOSTILE_UA "\x1b]0;pwned\x07\x1b[2J \xe2\x80\xae" /* IIS writes spaces as + */
#define HOSTILE_QUERY "=cmd%20/c%20\"calc\"\\x"

static exs_scan *hostile(void)
{
    return t_scan_mem(IIS_PLACE, HDR HOSTILE_ROW, -1);
}

/* The same row in a log whose own name is hostile (control bytes, a quote, a backslash, a
 * comma and '='), an invalid UTF-8 byte at the end of the user agent, and a row that does
 * not parse: every string of the report that came from the evidence is in it, and so are
 * warnings. */
#define NASTY_PLACE "c/inetpub/logs/logfiles/w3svc1/u_ex\x1b]0;t\x07\"\\,=x.log"

static exs_scan *nasty(void)
{
    return t_scan_mem(NASTY_PLACE,
                      HDR "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx "
                          "=cmd%20/c%20\"calc\"\\x 443 - 192.0.2.9 "
                          "\x1b]0;pwned\x07\x1b[2J+\xe2\x80\xae\xff - 200 0 0 1\r\n"
                          "\x01\x02 cmd=whoami /aspnet_client/z.aspx\r\n",
                      -1);
}

static char *render_r(const exs_results *r, exs_format f, int color, size_t top)
{
    char *buf = NULL;
    size_t n;
    FILE *m = open_memstream(&buf, &n);
    exs_report_opts o = {f, color, top, 1};
    assert_int_equal(exs_report_write(r, m, &o), EXS_OK);
    fclose(m);
    return buf;
}

static char *render(const exs_scan *s, exs_format f, int color)
{
    return render_r(exs_scan_results(s), f, color, 0);
}

static size_t count_lines(const char *t)
{
    size_t n = 0;
    for (const char *p = t; *p; p++)
        n += *p == '\n';
    return n;
}

/* ---------------------------------------------------------------- reading JSON lines back */

/* One JSON line flattened to its dotted paths (lib/parsers/json.h); strings unescaped. */
typedef struct jrec {
    xs_json_pair pairs[1024];
    size_t n;
    char *scratch, *paths;
    char val[XS_MAX_WHERE];
} jrec;

/* Parses line i of the JSON lines j (the line must be a well-formed object). */
static void jrec_parse(jrec *r, const char *j, size_t i)
{
    const char *p = j;
    for (size_t k = 0; k < i; k++) {
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    const char *e = strchr(p, '\n');
    assert_non_null(e);
    size_t n = (size_t)(e - p);
    free(r->scratch);
    free(r->paths);
    r->scratch = malloc(n + 1);
    r->paths = malloc(1 << 16);
    assert_non_null(r->scratch);
    assert_non_null(r->paths);
    if (xs_json_paths(p, n, r->pairs, 1024, &r->n, r->scratch, r->paths, 1 << 16) != 0)
        fail_msg("line %zu is not a JSON object: %.*s", i, (int)n, p);
}

static void jrec_free(jrec *r)
{
    free(r->scratch);
    free(r->paths);
    r->scratch = r->paths = NULL;
}

/* The nth value at path, NUL-terminated (in r->val), or NULL when absent. */
static const char *jget_nth(jrec *r, const char *path, size_t nth)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->pairs[i].key.n == strlen(path) &&
            memcmp(r->pairs[i].key.p, path, r->pairs[i].key.n) == 0 && nth-- == 0) {
            size_t n = r->pairs[i].value.n < sizeof r->val - 1 ? r->pairs[i].value.n
                                                               : sizeof r->val - 1;
            memcpy(r->val, r->pairs[i].value.p, n);
            r->val[n] = 0;
            return r->val;
        }
    return NULL;
}

static const char *jget(jrec *r, const char *path)
{
    return jget_nth(r, path, 0);
}

/* No control byte but the line breaks, no invalid UTF-8: what a JSON consumer or a
 * terminal showing it can take. */
static void assert_clean_json(const char *j)
{
    for (const char *p = j; *p; p++)
        assert_true((unsigned char)*p >= 0x20 || *p == '\n');
    assert_true(xs_utf8_valid(j, strlen(j)));
}

/* ---------------------------------------------------------------- JSON lines */

static void test_jsonl(void **st)
{
    (void)st;
    exs_scan *s = hostile();
    assert_int_equal(t_count(s, NULL), 2);
    char *j = render(s, EXS_FORMAT_JSONL, 0);
    assert_clean_json(j);
    /* the sweep, two findings, four counts (two rules, one family, one client), one
     * coverage family */
    assert_int_equal(count_lines(j), 8);
    assert_true(j[0] == '{');
    assert_non_null(strstr(j, "\"@timestamp\":\"2021-03-03T11:00:00.000Z\""));
    assert_non_null(strstr(j, "\"source\":{\"address\":\"192.0.2.9\",\"ip\":\"192.0.2.9\"}"));
    assert_non_null(strstr(j, "\"user_agent\":{\"original\":\"\\u001b]0;pwned\\u0007\\u001b[2J \\u202e\"}"));
    assert_non_null(strstr(j, "\"url\":{\"path\":\"/aspnet_client/x.aspx\",\"query\":\"=cmd%20/c%20\\\"calc\\\"\\\\x\"}"));
    assert_non_null(strstr(j, "\"http\":{\"request\":{\"method\":\"GET\"},\"response\":{\"status_code\":200}}"));
    assert_non_null(strstr(j, "\"rule\":{\"id\":\"EXS-WS-CMD\""));
    /* the log a finding came from is log.file.path; file.* is only for a file it is about */
    assert_non_null(strstr(j, "\"log\":{\"file\":{\"path\":\"" IIS_PLACE "\"}}"));
    assert_null(strstr(j, ",\"file\":{"));
    assert_non_null(strstr(j, "\"exsweep\":{\"record\":\"finding\",\"verdict\":\"exploitation\","
                              "\"severity\":\"critical\""));
    /* the line and its byte offset: the header line before it */
    char want[512];
    snprintf(want, sizeof want,
             "\"origin\":{\"root\":0,\"path\":\"%s\",\"kind\":\"iis\",\"line\":2,\"offset\":%zu}",
             IIS_PLACE, strlen(HDR));
    assert_non_null(strstr(j, want));
    assert_non_null(strstr(j, "\"evidence\":\"2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx "
                              "=cmd%20/c%20\\\"calc\\\"\\\\x 443 - 192.0.2.9 "
                              "\\u001b]0;pwned\\u0007\\u001b[2J+\\u202e - 200 0 0 1\""));
    /* each finding's id, in the results' order */
    size_t nf;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &nf);
    jrec r = {0};
    for (size_t i = 0; i < nf; i++) {
        jrec_parse(&r, j, 1 + i);
        assert_string_equal(jget(&r, "event.id"), f[i].id);
        assert_string_equal(jget(&r, "rule.id"), f[i].rule->id);
        /* the escapes decode to the evidence bytes, exactly */
        assert_string_equal(jget(&r, "user_agent.original"), HOSTILE_UA);
        assert_string_equal(jget(&r, "url.query"), HOSTILE_QUERY);
        assert_string_equal(jget(&r, "exsweep.evidence"), f[i].evidence);
    }
    jrec_free(&r);
    free(j);
    exs_scan_destroy(s);
}

/* Every record kind, in order: one sweep record, the findings, the counts, the coverage, the
 * warnings; each marked by exsweep.record and by an ECS event.kind, with @timestamp and
 * ecs.version; every string from the evidence escaped and decoding to its bytes. */
static void test_jsonl_records(void **st)
{
    (void)st;
    exs_scan *s = nasty();
    const exs_results *res = exs_scan_results(s);
    char *j = render(s, EXS_FORMAT_JSONL, 0);
    assert_clean_json(j);
    size_t nf, nc[EXS_COUNT__N], ncov, nw, nwc;
    const exs_finding *f = exs_results_findings(res, &nf);
    size_t ncounts = 0;
    for (int k = 0; k < EXS_COUNT__N; k++) {
        exs_results_counts(res, (exs_count_kind)k, &nc[k]);
        ncounts += nc[k];
    }
    const exs_coverage *cov = exs_results_coverage(res, &ncov);
    const exs_warning *w = exs_results_warnings(res, &nw);
    const exs_warning_count *wc = exs_results_warning_counts(res, &nwc);
    assert_int_equal(nf, 2);
    assert_int_equal(ncounts, 4);
    assert_int_equal(ncov, 1);
    assert_int_equal(nw, 3); /* two invalid-utf8 (one per finding), one bad-row */
    size_t lines = count_lines(j);
    assert_int_equal(lines, 1 + nf + ncounts + ncov + nw);

    jrec r = {0};
    size_t at = 0;
    /* the sweep */
    jrec_parse(&r, j, at++);
    assert_string_equal(jget(&r, "exsweep.record"), "sweep");
    assert_string_equal(jget(&r, "event.kind"), "event");
    assert_string_equal(jget(&r, "event.dataset"), "exsweep.sweep");
    assert_string_equal(jget(&r, "event.outcome"), "success");
    assert_string_equal(jget(&r, "ecs.version"), "9.4.0");
    assert_non_null(jget(&r, "@timestamp"));
    assert_non_null(jget(&r, "event.start"));
    assert_non_null(jget(&r, "event.end"));
    assert_string_equal(jget(&r, "observer.product"), "exsweep");
    assert_string_equal(jget(&r, "observer.version"), EXSWEEP_VERSION);
    assert_string_equal(jget(&r, "exsweep.version"), EXSWEEP_VERSION);
    assert_string_equal(jget(&r, "exsweep.verdict"), "exploitation");
    assert_string_equal(jget(&r, "exsweep.incomplete"), "false");
    assert_string_equal(jget(&r, "exsweep.status"), "0");
    assert_string_equal(jget(&r, "exsweep.options"), "jobs=1");
    assert_string_equal(jget(&r, "exsweep.server_addresses"), "10.0.0.5");
    assert_string_equal(jget(&r, "exsweep.stats.findings"), "2");
    assert_string_equal(jget(&r, "exsweep.stats.findings_dropped"), "0");
    assert_string_equal(jget(&r, "exsweep.stats.verdicts.exploitation"), "2");
    assert_string_equal(jget(&r, "exsweep.stats.verdicts.probe"), "0");
    for (size_t i = 0; i < nwc; i++) {
        assert_string_equal(jget_nth(&r, "exsweep.warnings.kind", i), wc[i].kind);
        char n[32];
        snprintf(n, sizeof n, "%llu", (unsigned long long)wc[i].count);
        assert_string_equal(jget_nth(&r, "exsweep.warnings.count", i), n);
    }
    assert_null(jget_nth(&r, "exsweep.warnings.kind", nwc));
    /* the findings, each an alert */
    for (size_t i = 0; i < nf; i++) {
        jrec_parse(&r, j, at++);
        assert_string_equal(jget(&r, "exsweep.record"), "finding");
        assert_string_equal(jget(&r, "event.kind"), "alert");
        assert_string_equal(jget(&r, "event.dataset"), "exsweep.iis");
        assert_string_equal(jget(&r, "event.id"), f[i].id);
        assert_string_equal(jget(&r, "@timestamp"), "2021-03-03T11:00:00.000Z");
        assert_string_equal(jget(&r, "ecs.version"), "9.4.0");
        assert_string_equal(jget(&r, "event.category"), "intrusion_detection");
        assert_string_equal(jget_nth(&r, "event.category", 1), "web");
        assert_string_equal(jget(&r, "event.reason"), f[i].reason);
        assert_string_equal(jget(&r, "exsweep.verdict"), exs_verdict_name(f[i].verdict));
        assert_string_equal(jget(&r, "exsweep.severity"), exs_severity_name(f[i].severity));
        /* the file name, the user agent, the query and the evidence decode to their bytes
         * (the invalid byte as U+FFFD) */
        assert_string_equal(jget(&r, "log.file.path"), NASTY_PLACE);
        assert_string_equal(jget(&r, "exsweep.origin.path"), NASTY_PLACE);
        assert_string_equal(jget(&r, "exsweep.origin.kind"), "iis");
        assert_string_equal(jget(&r, "exsweep.origin.line"), "2");
        assert_string_equal(jget(&r, "user_agent.original"), HOSTILE_UA "\xef\xbf\xbd");
        assert_string_equal(jget(&r, "url.query"), HOSTILE_QUERY);
        assert_string_equal(jget(&r, "source.ip"), "192.0.2.9");
        assert_string_equal(jget(&r, "related.ip"), "192.0.2.9");
        assert_string_equal(jget(&r, "http.response.status_code"), "200");
        assert_non_null(strstr(jget(&r, "exsweep.evidence"), HOSTILE_QUERY " 443 - 192.0.2.9 "
                                                             "\x1b]0;pwned\x07\x1b[2J+\xe2\x80\xae"
                                                             "\xef\xbf\xbd - 200"));
        for (size_t k = 0; k < f[i].nfacts; k++) {
            char path[128];
            snprintf(path, sizeof path, "exsweep.facts.%s", f[i].facts[k].key);
            assert_string_equal(jget(&r, path), f[i].facts[k].value);
        }
    }
    /* the counts: every kind, every key, exact */
    static const char *const kinds[] = {"rule", "family", "client", "host"};
    for (int k = 0; k < EXS_COUNT__N; k++) {
        const exs_count *c = exs_results_counts(res, (exs_count_kind)k, &nc[k]);
        for (size_t i = 0; i < nc[k]; i++) {
            jrec_parse(&r, j, at++);
            assert_string_equal(jget(&r, "exsweep.record"), "count");
            assert_string_equal(jget(&r, "event.kind"), "metric");
            assert_string_equal(jget(&r, "event.dataset"), "exsweep.count");
            assert_non_null(jget(&r, "@timestamp"));
            assert_string_equal(jget(&r, "exsweep.count.kind"), kinds[k]);
            assert_string_equal(jget(&r, "exsweep.count.key"), c[i].key);
            char n[32];
            snprintf(n, sizeof n, "%llu", (unsigned long long)c[i].n);
            assert_string_equal(jget(&r, "exsweep.count.n"), n);
            snprintf(n, sizeof n, "%llu",
                     (unsigned long long)c[i].by_verdict[EXS_VERDICT_EXPLOITATION]);
            assert_string_equal(jget(&r, "exsweep.count.verdicts.exploitation"), n);
            assert_string_equal(jget(&r, "exsweep.count.first"), "2021-03-03T11:00:00.000Z");
        }
    }
    assert_string_equal(exs_results_counts(res, EXS_COUNT_RULE, &nc[0])[0].key, "EXS-WS-ACCESS");
    assert_string_equal(exs_results_counts(res, EXS_COUNT_FAMILY, &nc[1])[0].key, "WebShell|");
    assert_string_equal(exs_results_counts(res, EXS_COUNT_CLIENT, &nc[2])[0].key, "192.0.2.9");
    assert_int_equal(nc[EXS_COUNT_HOST], 0);
    /* the coverage */
    jrec_parse(&r, j, at++);
    assert_string_equal(jget(&r, "exsweep.record"), "coverage");
    assert_string_equal(jget(&r, "event.kind"), "metric");
    assert_string_equal(jget(&r, "event.dataset"), "exsweep.coverage");
    assert_string_equal(jget(&r, "exsweep.coverage.family"), cov[0].family);
    assert_string_equal(jget(&r, "exsweep.coverage.family"), "IIS/W3SVC1");
    assert_string_equal(jget(&r, "exsweep.coverage.files_read"), "1");
    assert_string_equal(jget(&r, "exsweep.coverage.lines"), "3");
    assert_string_equal(jget(&r, "exsweep.coverage.rows_bad"), "1");
    assert_string_equal(jget(&r, "exsweep.coverage.first"), "2021-03-03T11:00:00.000Z");
    /* the warnings, each a pipeline_error naming the (hostile) file */
    for (size_t i = 0; i < nw; i++) {
        jrec_parse(&r, j, at++);
        assert_string_equal(jget(&r, "exsweep.record"), "warning");
        assert_string_equal(jget(&r, "event.kind"), "pipeline_error");
        assert_string_equal(jget(&r, "event.dataset"), "exsweep.warning");
        assert_non_null(jget(&r, "@timestamp"));
        assert_string_equal(jget(&r, "exsweep.warning.kind"), w[i].kind);
        assert_string_equal(jget(&r, "exsweep.warning.file"), NASTY_PLACE);
        assert_string_equal(jget(&r, "exsweep.warning.message"), w[i].message);
        assert_string_equal(jget(&r, "message"), w[i].message);
        char n[32];
        snprintf(n, sizeof n, "%llu", (unsigned long long)w[i].line);
        assert_string_equal(jget(&r, "exsweep.warning.line"), n);
    }
    assert_string_equal(w[nw - 1].kind, "bad-row");
    assert_int_equal(w[nw - 1].line, 3);
    assert_int_equal(at, lines);
    jrec_free(&r);
    free(j);
    exs_scan_destroy(s);
}

/* The JSON lines read back (exs_results_read_jsonl) give the same report: the same text, the
 * same CSV, the same JSON lines. A sweep of two folders (one a hostile log name, under a
 * hostile label), so that the sweep record names the roots the findings lie in. */
#define NASTY_REL "C/inetpub/logs/LogFiles/W3SVC1/u_ex\x1b]0;t\x07\"\\,=x.log"

/* Sweeps the roots under t_dir, writes the JSON lines to t_dir/name and reads them back. */
static exs_scan *sweep_and_read(const char *const *roots, const char *const *labels,
                                const char *name, exs_results **back)
{
    exs_scan *s;
    exs_scan_opts o = {1, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    for (size_t i = 0; roots[i]; i++) {
        char r[300];
        snprintf(r, sizeof r, "%s/%s", t_dir, roots[i]);
        assert_int_equal(exs_scan_add_root_label(s, r, labels[i]), EXS_OK);
    }
    assert_int_equal(exs_scan_run(s), EXS_OK);
    char *j = render(s, EXS_FORMAT_JSONL, 0);
    assert_clean_json(j);
    char path[300];
    snprintf(path, sizeof path, "%s/%s", t_dir, name);
    assert_int_equal(t_fix_write(t_dir, name, j, strlen(j)), 0);
    free(j);
    char err[256] = "";
    const char *paths[] = {path};
    if (exs_results_read_jsonl(back, paths, 1, err, sizeof err) != EXS_OK)
        fail_msg("read back: %s", err);
    return s;
}

static void test_jsonl_round_trip(void **st)
{
    (void)st;
    static const char log[] =
        HDR "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx =cmd%20/c%20\"calc\"\\x 443 - "
            "192.0.2.9 \x1b]0;pwned\x07\x1b[2J+\xe2\x80\xae - 200 0 0 1\r\n"
            "\x01\x02 cmd=whoami /aspnet_client/z.aspx\r\n";
    assert_int_equal(t_fix_write(t_dir, "a/" NASTY_REL, log, sizeof log - 1), 0);
    assert_int_equal(t_fix_write(t_dir, "b/" IIS_PLACE, HDR HOSTILE_ROW, strlen(HDR HOSTILE_ROW)),
                     0);
    const char *roots[] = {"a", "b", NULL}, *labels[] = {"\x1b]0;label\x07\"", NULL};
    exs_results *back = NULL;
    exs_scan *s = sweep_and_read(roots, labels, "sweep.jsonl", &back);
    const exs_results *res = exs_scan_results(s);
    assert_int_equal(t_count(s, NULL), 4);
    size_t n, nb;
    const exs_finding *f = exs_results_findings(res, &n);
    const exs_finding *b = exs_results_findings(back, &nb);
    assert_int_equal(nb, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(b[i].id, f[i].id);
        assert_string_equal(b[i].rule->id, f[i].rule->id);
        assert_string_equal(b[i].rule->family, f[i].rule->family);
        assert_int_equal(b[i].verdict, f[i].verdict);
        assert_int_equal(b[i].severity, f[i].severity);
        assert_int_equal(b[i].time_ms, f[i].time_ms);
        assert_int_equal(b[i].origin.root, f[i].origin.root);
        assert_string_equal(b[i].origin.path, f[i].origin.path);
        assert_int_equal(b[i].origin.line, f[i].origin.line);
        assert_string_equal(b[i].http->query, HOSTILE_QUERY);
        assert_string_equal(b[i].http->user_agent, HOSTILE_UA);
        assert_string_equal(b[i].evidence, f[i].evidence);
        assert_int_equal(b[i].nfacts, f[i].nfacts);
        for (size_t k = 0; k < f[i].nfacts; k++) {
            assert_string_equal(b[i].facts[k].key, f[i].facts[k].key);
            assert_string_equal(b[i].facts[k].value, f[i].facts[k].value);
        }
    }
    const exs_sweep_info *sa = exs_results_sweep(res), *sb = exs_results_sweep(back);
    assert_int_equal(sb->nroots, 2);
    assert_string_equal(sb->roots[0].label, "\x1b]0;label\x07\"");
    assert_string_equal(sb->roots[0].path, sa->roots[0].path);
    assert_string_equal(sb->roots[1].label, "b");
    assert_int_equal(exs_results_stats(back)->findings, 4);
    size_t nw;
    exs_results_warnings(back, &nw);
    assert_int_equal(nw, 1);
    assert_string_equal(exs_results_warnings(back, &nw)[0].file,
                        "\x1b]0;label\x07\"/" NASTY_REL); /* label/path: several roots */
    for (int fmt = 0; fmt < 3; fmt++) {
        char *a = render_r(res, (exs_format)fmt, 0, 12);
        char *c = render_r(back, (exs_format)fmt, 0, 12);
        if (strcmp(a, c) != 0)
            fail_msg("format %d differs after the round trip.\n--- sweep:\n%s--- read back:\n%s",
                     fmt, a, c);
        free(a);
        free(c);
    }
    exs_results_destroy(back);
    exs_scan_destroy(s);

    /* invalid UTF-8: the JSON text carries U+FFFD in its place (valid JSON for every
     * consumer), exsweep.raw its exact bytes, and those are what is read back */
    static const char bad[] =
        HDR "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami 443 - 192.0.2.9 "
            "Mozilla\xff - 200 0 0 1\r\n";
    assert_int_equal(t_fix_write(t_dir, "c/" IIS_PLACE, bad, sizeof bad - 1), 0);
    const char *rc[] = {"c", NULL}, *lc[] = {NULL};
    s = sweep_and_read(rc, lc, "bad.jsonl", &back);
    f = exs_results_findings(exs_scan_results(s), &n);
    b = exs_results_findings(back, &nb);
    assert_int_equal(nb, n);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(f[i].http->user_agent, "Mozilla\xff");
        assert_string_equal(b[i].http->user_agent, "Mozilla\xff");
        assert_string_equal(b[i].id, f[i].id);
    }
    exs_results_destroy(back);
    exs_scan_destroy(s);
}

/* ---------------------------------------------------------------- the words */

/* The words every writer shows (lib/report/render.c), from the typed fields: the case of the
 * rule, then the facts; and where a finding lies, label first when there are several roots. */
static void test_render(void **st)
{
    (void)st;
    exs_results *r = xs_results_new();
    assert_non_null(r);
    assert_true(xs_results_add_root(r, "/mnt/a", "a"));
    assert_true(xs_results_add_root(r, "/mnt/b", "b"));
    /* a file on disk, served, with its requests */
    const char *members[] = {"inner.zip", "C/owa/auth/s.aspx"};
    exs_file_facts file = {"t.zip!/inner.zip!/C/owa/auth/s.aspx", 10, NULL, NULL, NULL,
                           EXS_TIME_NONE, EXS_TIME_NONE, EXS_TIME_NONE, NULL,
                           "/owa/auth/s.aspx", "Default Web Site"};
    exs_fact facts[] = {{"lookalike_of", "logon.aspx"},
                        {"requests", "2"},
                        {"requests_answered", "1"},
                        {"requests_first", "2021-03-03T11:00:00.000Z"},
                        {"requests_last", "2021-03-03T11:05:00.000Z"},
                        {"requests_clients", "203.0.113.9=2"},
                        {"web_folder", "owa/auth"}};
    exs_finding f;
    memset(&f, 0, sizeof f);
    f.rule = exs_rule_find("EXS-FILE-WS-NONDEFAULT");
    assert_non_null(f.rule);
    f.verdict = EXS_VERDICT_SUSPICIOUS;
    f.severity = EXS_SEV_HIGH;
    f.time_ms = EXS_TIME_NONE;
    f.reason = "a script a default install does not have in this folder";
    f.origin = (exs_origin){1, "t.zip", members, 2, "file", 0, 0, -1};
    f.file = &file;
    f.facts = facts;
    f.nfacts = sizeof facts / sizeof facts[0];
    char buf[2048];
    xs_render_words(&f, buf, sizeof buf);
    assert_string_equal(buf, "a script a default install does not have in this folder: served as "
                             "/owa/auth/s.aspx (Default Web Site); look-alike of logon.aspx; in "
                             "owa/auth; used: 2 requests (1 answered with success), first "
                             "2021-03-03T11:00:00.000Z, last 2021-03-03T11:05:00.000Z, clients "
                             "203.0.113.9=2");
    xs_render_where(r, &f, true, buf, sizeof buf);
    assert_string_equal(buf, "b/t.zip!/inner.zip!/C/owa/auth/s.aspx");
    /* no request: said so; one request: singular */
    facts[1].value = "0";
    xs_render_words(&f, buf, sizeof buf);
    assert_non_null(strstr(buf, "; no request to it in the logs read"));
    facts[1].value = "1";
    xs_render_words(&f, buf, sizeof buf);
    assert_non_null(strstr(buf, "; used: 1 request (1 answered with success), first"));

    /* a process an event shows; a recovered record; the rule's name when there is no reason */
    exs_process_facts proc = {"C:\\Windows\\System32\\cmd.exe", "cmd /c whoami", 42,
                              "c:\\windows\\system32\\inetsrv\\w3wp.exe", 7, "IIS APPPOOL\\X", NULL};
    exs_event_facts ev = {"Microsoft-Windows-Sysmon/Operational", "Microsoft-Windows-Sysmon", 1,
                          "EXCH01", true};
    exs_finding g;
    memset(&g, 0, sizeof g);
    g.rule = exs_rule_find("EXS-EV-W3WP-CHILD");
    g.verdict = EXS_VERDICT_EXPLOITATION;
    g.severity = EXS_SEV_CRITICAL;
    g.time_ms = EXS_TIME_NONE;
    g.origin = (exs_origin){0, "winevt/Logs/Sysmon.evtx", NULL, 0, "evtx", 0, 2001, -1};
    g.process = &proc;
    g.event = &ev;
    xs_render_words(&g, buf, sizeof buf);
    char want[1024];
    snprintf(want, sizeof want,
             "%s: cmd /c whoami (parent w3wp.exe); user IIS APPPOOL\\X; pid 42; event 1 of "
             "Microsoft-Windows-Sysmon; a record recovered from free space or a damaged chunk "
             "(outside the live records)",
             g.rule->name);
    assert_string_equal(buf, want);
    xs_render_where(r, &g, true, buf, sizeof buf);
    assert_string_equal(buf, "a/winevt/Logs/Sysmon.evtx#2001");
    xs_render_where(r, &g, false, buf, sizeof buf);
    assert_string_equal(buf, "a/winevt/Logs/Sysmon.evtx");
    /* cut at the buffer, never past it */
    char small[16];
    memset(small, 'X', sizeof small);
    size_t n = xs_render_words(&g, small, 10);
    assert_true(n < 10);
    assert_int_equal(small[n], 0);
    assert_int_equal(small[10], 'X');
    exs_results_destroy(r);
}

/* ---------------------------------------------------------------- CSV */

static void test_csv(void **st)
{
    (void)st;
    exs_scan *s = hostile();
    char *c = render(s, EXS_FORMAT_CSV, 0);
    assert_true(strncmp(c, "time,verdict,severity,rule_id,", 30) == 0);
    assert_non_null(strstr(c, ",\"'=cmd%20/c%20\"\"calc\"\"\\x\",")); /* formula neutralised */
    assert_non_null(strstr(c, ",\"\\x1b]0;pwned\\x07\\x1b[2J \\u{202e}\",")); /* the user agent */
    assert_null(strchr(c, '\x1b'));
    assert_null(strchr(c, '\x07'));
    assert_int_equal(count_lines(c), 3);
    free(c);
    exs_scan_destroy(s);

    /* the hostile file name: escaped, quoted, a comma inside the quotes; invalid UTF-8 as
     * U+FFFD; every row has the header's column count */
    s = nasty();
    c = render(s, EXS_FORMAT_CSV, 0);
    assert_null(strchr(c, '\x1b'));
    assert_null(strchr(c, '\x07'));
    assert_true(xs_utf8_valid(c, strlen(c)));
    assert_non_null(strstr(c, ",\"c/inetpub/logs/logfiles/w3svc1/u_ex\\x1b]0;t\\x07\"\"\\,=x.log\","));
    assert_non_null(strstr(c, ",\"\\x1b]0;pwned\\x07\\x1b[2J \\u{202e}\xef\xbf\xbd\","));
    assert_int_equal(count_lines(c), 3);
    for (const char *line = c; *line;) {
        size_t commas = 0;
        bool quoted = false;
        const char *p = line;
        for (; *p && (*p != '\n' || quoted); p++) {
            if (*p == '"')
                quoted = !quoted;
            else if (*p == ',' && !quoted)
                commas++;
        }
        assert_int_equal(commas, 33); /* 34 columns */
        line = *p ? p + 1 : p;
    }
    free(c);
    exs_scan_destroy(s);
}

/* ---------------------------------------------------------------- text */

static void test_text(void **st)
{
    (void)st;
    exs_scan *s = hostile();
    char *t = render_r(exs_scan_results(s), EXS_FORMAT_TEXT, 0, 12);
    assert_null(strchr(t, '\x1b')); /* no colour requested, no escape from the evidence */
    assert_non_null(strstr(t, "VERDICT: COMPROMISED"));
    assert_non_null(strstr(t, "192.0.2.9"));
    assert_non_null(strstr(t, "Top findings (2 of 2 kept)"));
    assert_non_null(strstr(t, "Log coverage"));
    assert_non_null(strstr(t, "IIS/W3SVC1"));
    assert_non_null(strstr(t, "no HttpProxy logs read"));
    free(t);
    t = render_r(exs_scan_results(s), EXS_FORMAT_TEXT, 1, 12);
    assert_non_null(strstr(t, "\x1b[1;31mVERDICT"));
    assert_null(strstr(t, "\x1b]0;")); /* the attacker's own sequence stays escaped */
    free(t);
    exs_scan_destroy(s);

    /* the hostile file name in the "where" lines and the warnings: escaped */
    s = nasty();
    t = render_r(exs_scan_results(s), EXS_FORMAT_TEXT, 0, 12);
    assert_null(strchr(t, '\x1b'));
    assert_null(strchr(t, '\x07'));
    assert_true(xs_utf8_valid(t, strlen(t)));
    assert_non_null(strstr(t, "      c/inetpub/logs/logfiles/w3svc1/u_ex\\x1b]0;t\\x07\"\\,=x.log:2\n"));
    assert_non_null(strstr(t, "] c/inetpub/logs/logfiles/w3svc1/u_ex\\x1b]0;t\\x07\"\\,=x.log:3: "
                              "IIS row without a URL\n"));
    free(t);
    exs_scan_destroy(s);
}

/* --top N: the summary lists N findings in full; 0 lists none (the tables stay). */
static void test_top(void **st)
{
    (void)st;
    exs_scan *s = hostile();
    char *t = render_r(exs_scan_results(s), EXS_FORMAT_TEXT, 0, 0);
    assert_null(strstr(t, "Top findings"));
    /* rule ids appear only in the top findings, the verdict's first sign of compromise and
     * the first finding of each step of the chain */
    const char *first = strstr(t, "  first sign of compromise: ");
    assert_non_null(first);
    assert_ptr_equal(strstr(t, "EXS-WS-"), strstr(first, "EXS-WS-"));
    for (const char *p = strstr(strchr(first, '\n'), "EXS-WS-"); p; p = strstr(p + 1, "EXS-WS-")) {
        const char *bol = p;
        while (bol > t && bol[-1] != '\n')
            bol--;
        assert_int_equal(strncmp(bol, "      first  EXS-", 17), 0);
    }
    assert_non_null(strstr(t, "VERDICT: COMPROMISED"));
    assert_non_null(strstr(t, "By attack family"));
    assert_non_null(strstr(t, "Client addresses (1)"));
    assert_non_null(strstr(t, "Log coverage"));
    free(t);
    t = render_r(exs_scan_results(s), EXS_FORMAT_TEXT, 0, 1);
    assert_non_null(strstr(t, "Top findings (1 of 2 kept)\n"));
    /* the heaviest: the critical one (the other is only the first sign of compromise) */
    const char *top = strstr(t, "Top findings");
    assert_non_null(strstr(top, "EXS-WS-CMD"));
    assert_null(strstr(top, "EXS-WS-ACCESS"));
    free(t);
    /* the default of the public options: 12 */
    exs_report_opts def = EXS_REPORT_OPTS_INIT;
    assert_int_equal(def.top, 12);
    exs_scan_destroy(s);
}

static void test_clean(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem(IIS_PLACE, HDR "2021-03-03 11:00:00 10.0.0.5 GET /owa/ - 443 - 10.0.0.9 x - 302 0 0 1\r\n", -1);
    char *t = render_r(exs_scan_results(s), EXS_FORMAT_TEXT, 0, 12);
    assert_non_null(strstr(t, "VERDICT: NO FINDINGS"));
    assert_null(strstr(t, "Top findings"));
    free(t);
    /* no request log read at all: no finding is no answer */
    exs_scan *u = t_scan_mem("d/notes/readme.txt", "nothing here\n", -1);
    t = render_r(exs_scan_results(u), EXS_FORMAT_TEXT, 0, 12);
    assert_non_null(strstr(t, "VERDICT: UNDETERMINED - no finding, but no HttpProxy or IIS log "
                              "was read"));
    free(t);
    exs_scan_destroy(u);
    /* no finding: the sweep and the coverage only, no alert, no count */
    char *j = render(s, EXS_FORMAT_JSONL, 0);
    assert_int_equal(count_lines(j), 2);
    jrec r = {0};
    jrec_parse(&r, j, 0);
    assert_string_equal(jget(&r, "exsweep.record"), "sweep");
    assert_string_equal(jget(&r, "exsweep.verdict"), "none");
    assert_string_equal(jget(&r, "exsweep.stats.findings"), "0");
    jrec_parse(&r, j, 1);
    assert_string_equal(jget(&r, "exsweep.record"), "coverage");
    jrec_free(&r);
    assert_null(strstr(j, "\"alert\""));
    free(j);
    /* CSV: the header alone */
    char *c = render(s, EXS_FORMAT_CSV, 0);
    assert_int_equal(count_lines(c), 1);
    free(c);
    exs_scan_destroy(s);
}

/* The log family comes from the evidence (#Log-type): escaped in the coverage table too. */
static void test_coverage_family_escaped(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem("d/collected/x.log",
                             "#Software: Microsoft Exchange Server\r\n"
                             "#Log-type: \x1b]0;pwned\x07\x1b[2J\r\n"
                             "#Fields: date-time,client-ip\r\n"
                             "2021-03-03T11:00:00.000Z,10.0.0.1\r\n",
                             -1);
    char *t = render(s, EXS_FORMAT_TEXT, 0);
    assert_null(strchr(t, '\x1b'));
    assert_null(strchr(t, '\x07'));
    assert_non_null(strstr(t, "Exchange/\\x1b]0;pwned\\x07\\x1b[2J"));
    free(t);
    char *j = render(s, EXS_FORMAT_JSONL, 0);
    assert_clean_json(j);
    jrec r = {0};
    jrec_parse(&r, j, 1);
    assert_string_equal(jget(&r, "exsweep.record"), "coverage");
    assert_string_equal(jget(&r, "exsweep.coverage.family"), "Exchange/\x1b]0;pwned\x07\x1b[2J");
    jrec_free(&r);
    free(j);
    exs_scan_destroy(s);
}

/* The sweep's seconds are written whole in the JSON lines (17 significant digits) and rounded
 * only by the text summary: a saved sweep's summary says what the sweep's said. 0.0049996 s
 * prints "0.00 s"; written as 0.005 and read back it printed "0.01 s". */
static void test_seconds_round_trip(void **st)
{
    (void)st;
    static const double secs[] = {0.0049996, 1.0 / 3.0, 12345.678901234567, 0.0};
    for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++) {
        exs_scan *s = hostile();
        exs_results *r = exs_scan_take_results(s);
        exs_scan_destroy(s);
        r->stats.seconds = secs[i];
        char *t = render_r(r, EXS_FORMAT_TEXT, 0, 10), *j = render_r(r, EXS_FORMAT_JSONL, 0, 0);
        char want[64];
        snprintf(want, sizeof want, ", %.2f s, ", secs[i]);
        assert_non_null(strstr(t, want));
        jrec jr = {0};
        jrec_parse(&jr, j, 0);
        assert_true(strtod(jget(&jr, "exsweep.stats.seconds"), NULL) == secs[i]);
        jrec_free(&jr);
        exs_results *back = NULL;
        char err[256];
        assert_int_equal(t_read_jsonl(j, strlen(j), &back, err, sizeof err), EXS_OK);
        assert_true(exs_results_stats(back)->seconds == secs[i]);
        char *t2 = render_r(back, EXS_FORMAT_TEXT, 0, 10), *j2 = render_r(back, EXS_FORMAT_JSONL, 0, 0);
        assert_string_equal(t, t2);
        assert_string_equal(j, j2);
        free(t);
        free(j);
        free(t2);
        free(j2);
        exs_results_destroy(back);
        exs_results_destroy(r);
    }
}

/* ---------------------------------------------------------------- times without a date */

#define T_START 1614769200000LL  /* 2021-03-03T11:00:00.000Z, the sweep's start */
#define T_LAST 253402300799999LL /* 9999-12-31T23:59:59.999Z: the last time with a date */
#define T_PAST 253402300800000LL /* 10000-01-01: no date ECS or ISO 8601 (4 digits) can write */

static const exs_rule time_rule = {"T-TIME", "a time test", "", "Test", "", "", false};

/* A finding of time_rule at line of t.log, time t, the file's modification time mt, and a fact
 * with time ft, into the store. */
static void add_timed(xs_store *st, unsigned line, int64_t t, int64_t mt, int64_t ft)
{
    xs_hit h;
    xs_hit_init(&h, &time_rule, EXS_VERDICT_SUSPICIOUS, EXS_SEV_MEDIUM, t);
    h.line = line;
    h.file.path = XS_LIT("x.aspx");
    h.file.mtime_ms = mt;
    xs_hit_fact_time(&h, "seen_last", ft);
    xs_hit_origin o = {0};
    o.label = "r";
    o.path = XS_LIT("t.log");
    o.kind = "test";
    exs_finding f;
    void *block;
    assert_int_equal(xs_finding_build(&h, &o, NULL, 0, &f, &block, NULL), EXS_OK);
    assert_true(xs_store_add(st, &f, block));
}

/* A time past year 9999 (an EVTX FILETIME can say 60056) has no date: the finding keeps no
 * time (EXS_TIME_NONE), its file no modification time, the fact is not added, the counts and
 * the coverage have no window from it; so no writer prints "-" for a date: the JSON lines take
 * the sweep's start for @timestamp and say exsweep.time_unknown, as for any unknown time. The
 * last time with a date is kept as it is. */
static void test_times_without_a_date(void **st)
{
    (void)st;
    char t[32];
    xs_time_format(T_LAST, t);
    assert_string_equal(t, "9999-12-31T23:59:59.999Z");
    assert_true(xs_time_formattable(T_LAST));
    assert_false(xs_time_formattable(T_PAST));
    assert_false(xs_time_formattable(INT64_MAX));
    assert_false(xs_time_formattable(-62167219200001LL)); /* the last millisecond of year -1 */
    assert_true(xs_time_formattable(-62167219200000LL));  /* 0000-01-01 */
    assert_false(xs_time_formattable(EXS_TIME_NONE));
    exs_results *r = xs_results_new();
    assert_non_null(r);
    r->sweep.version = "test";
    r->sweep.start_ms = T_START;
    r->sweep.end_ms = T_START + 1000;
    assert_true(xs_results_add_root(r, "/ev", "r"));
    xs_store *sto = xs_store_create(100, 100);
    assert_non_null(sto);
    add_timed(sto, 1, T_PAST, T_PAST, T_PAST);
    add_timed(sto, 2, INT64_MAX, INT64_MIN + 1, T_PAST);
    add_timed(sto, 3, T_LAST, T_LAST, T_LAST);
    assert_true(xs_store_count_only(sto, &time_rule, EXS_VERDICT_SUSPICIOUS, 1, T_PAST, T_PAST));
    assert_true(xs_store_finish(sto, r));
    xs_store_destroy(sto);
    r->cov = calloc(1, sizeof *r->cov);
    assert_non_null(r->cov);
    r->ncov = 1;
    r->cov[0] = (exs_coverage){"Test", 1, 0, 10, 1, 0, T_PAST, T_PAST};
    assert_true(xs_results_sort(r));
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    assert_int_equal(n, 3);
    assert_int_equal(f[0].origin.line, 3); /* the dated one first, the unknown last */
    assert_int_equal(f[0].time_ms, T_LAST);
    assert_int_equal(f[0].file->mtime_ms, T_LAST);
    assert_string_equal(exs_finding_fact(&f[0], "seen_last"), "9999-12-31T23:59:59.999Z");
    for (size_t i = 1; i < 3; i++) {
        assert_int_equal(f[i].origin.line, i);
        assert_int_equal(f[i].time_ms, EXS_TIME_NONE);
        assert_int_equal(f[i].file->mtime_ms, EXS_TIME_NONE);
        assert_null(exs_finding_fact(&f[i], "seen_last"));
    }
    size_t nc;
    const exs_count *c = exs_results_counts(r, EXS_COUNT_RULE, &nc);
    assert_int_equal(nc, 1);
    assert_int_equal(c[0].n, 4);
    assert_int_equal(c[0].first_ms, T_LAST);
    assert_int_equal(c[0].last_ms, T_LAST);

    char *j = render_r(r, EXS_FORMAT_JSONL, 0, 0);
    assert_clean_json(j);
    assert_null(strstr(j, ":\"-\""));
    assert_int_equal(count_lines(j), 1 + 3 + 2 + 1); /* sweep, findings, rule and family, coverage */
    jrec jr = {0};
    jrec_parse(&jr, j, 1);
    assert_string_equal(jget(&jr, "@timestamp"), "9999-12-31T23:59:59.999Z");
    assert_string_equal(jget(&jr, "file.mtime"), "9999-12-31T23:59:59.999Z");
    assert_null(jget(&jr, "exsweep.time_unknown"));
    for (size_t i = 2; i <= 3; i++) {
        jrec_parse(&jr, j, i);
        assert_string_equal(jget(&jr, "@timestamp"), "2021-03-03T11:00:00.000Z");
        assert_string_equal(jget(&jr, "exsweep.time_unknown"), "true");
        assert_null(jget(&jr, "file.mtime"));
        assert_null(jget(&jr, "exsweep.facts.seen_last"));
    }
    jrec_parse(&jr, j, 6);
    assert_string_equal(jget(&jr, "exsweep.record"), "coverage");
    assert_string_equal(jget(&jr, "@timestamp"), "2021-03-03T11:00:00.000Z");
    assert_null(jget(&jr, "exsweep.coverage.first"));
    assert_null(jget(&jr, "exsweep.coverage.last"));
    jrec_free(&jr);
    /* the CSV: an empty time, the text: "-" */
    char *csv = render_r(r, EXS_FORMAT_CSV, 0, 0);
    assert_non_null(strstr(csv, "\n\"9999-12-31T23:59:59.999Z\",\"suspicious\""));
    assert_int_equal(count_lines(strstr(csv, "\n\"\",\"suspicious\"") + 1), 2);
    char *txt = render_r(r, EXS_FORMAT_TEXT, 0, 10);
    assert_true(xs_utf8_valid(txt, strlen(txt)));
    assert_non_null(strstr(txt, "  9999-12-31 23:59:59  suspicious"));
    assert_non_null(strstr(txt, "  -                    suspicious"));
    assert_non_null(strstr(txt, "\n  Test                              1       0          1  "
                                "-                 -                     -\n"));
    /* and a saved sweep reads back to the same lines */
    exs_results *back = NULL;
    char err[256];
    assert_int_equal(t_read_jsonl(j, strlen(j), &back, err, sizeof err), EXS_OK);
    char *j2 = render_r(back, EXS_FORMAT_JSONL, 0, 0);
    assert_string_equal(j, j2);
    free(j2);
    exs_results_destroy(back);
    free(txt);
    free(csv);
    free(j);
    free(r->cov);
    r->cov = NULL;
    exs_results_destroy(r);
}

/* ---------------------------------------------------------------- the room a place takes */

/* A root label of XS_MAX_LABEL bytes, a path of XS_MAX_PATH and four archive members of
 * XS_MAX_PATH each: the largest place a finding has. The CSV's path column and log.file.path of
 * the JSON lines hold it whole (they were cut at 2,047 and 4,095 bytes). Words too long for the
 * message end in "…"; words that fit do not. */
static void test_where_whole(void **st)
{
    (void)st;
    static char label[XS_MAX_LABEL + 1], path[XS_MAX_PATH + 1], mem[4][XS_MAX_PATH + 1],
        cmd[XS_MAX_FINDING_FIELD + 1], want[XS_MAX_WHERE];
    memset(label, 'L', XS_MAX_LABEL);
    memset(path, 'p', XS_MAX_PATH);
    for (int i = 0; i < 4; i++)
        memset(mem[i], 'a' + i, XS_MAX_PATH);
    memset(cmd, 'c', XS_MAX_FINDING_FIELD);
    exs_results *r = xs_results_new();
    assert_non_null(r);
    r->sweep.version = "test";
    r->sweep.start_ms = T_START;
    assert_true(xs_results_add_root(r, "/a", "a"));
    assert_true(xs_results_add_root(r, "/b", label));
    xs_store *sto = xs_store_create(10, 10);
    assert_non_null(sto);
    for (int k = 0; k < 2; k++) {
        xs_hit h;
        xs_hit_init(&h, &time_rule, EXS_VERDICT_SUSPICIOUS, EXS_SEV_MEDIUM, T_START + k);
        h.proc.cmd = k ? xs_str_cstr(cmd) : XS_LIT("cmd /c whoami");
        xs_hit_origin o = {0};
        o.root = 1;
        o.label = label;
        o.path = xs_str_cstr(path);
        for (int i = 0; i < 4; i++)
            o.members[i] = xs_str_cstr(mem[i]);
        o.nmembers = 4;
        o.kind = "iis";
        exs_finding f;
        void *block;
        xs_build_notes notes;
        assert_int_equal(xs_finding_build(&h, &o, NULL, 0, &f, &block, &notes), EXS_OK);
        assert_false(notes.cut);
        assert_true(xs_store_add(sto, &f, block));
    }
    assert_true(xs_store_finish(sto, r));
    xs_store_destroy(sto);
    assert_true(xs_results_sort(r));
    size_t o = 0;
    xs_appendf(want, sizeof want, &o, "%s/%s", label, path);
    for (int i = 0; i < 4; i++)
        xs_appendf(want, sizeof want, &o, "!/%s", mem[i]);
    assert_int_equal(o, XS_MAX_LABEL + 1 + 5 * XS_MAX_PATH + 8);
    char *j = render_r(r, EXS_FORMAT_JSONL, 0, 0);
    jrec jr = {0};
    jrec_parse(&jr, j, 1);
    assert_string_equal(jget(&jr, "log.file.path"), want);
    assert_string_equal(jget(&jr, "message"), "a time test: cmd /c whoami");
    jrec_parse(&jr, j, 2);
    assert_string_equal(jget(&jr, "log.file.path"), want);
    const char *m = jget(&jr, "message");
    assert_int_equal(strlen(m), 4095);
    assert_memory_equal(m, "a time test: ccc", 16);
    assert_string_equal(m + 4092, "\xe2\x80\xa6");
    jrec_free(&jr);
    char *csv = render_r(r, EXS_FORMAT_CSV, 0, 0);
    char *quoted = malloc(strlen(want) + 8);
    assert_non_null(quoted);
    sprintf(quoted, ",\"%s\",", want);
    assert_non_null(strstr(csv, quoted));
    free(quoted);
    free(csv);
    free(j);
    exs_results_destroy(r);
}

/* ---------------------------------------------------------------- many strings not UTF-8 */

/* A finding whose every evidence string is not valid UTF-8 (an \xff in each: the http,
 * process, event, cmdlet and file groups, 16 facts, 4 archive members, the target and the
 * evidence, over fifty strings, some written twice as ECS derives names from them; and 64
 * related ids, the most a finding has): the JSON
 * lines carry the bytes of every one under exsweep.raw (32 were kept, the rest read back as
 * U+FFFD), and the saved lines read back to the same finding and the same lines. */
static void test_raw_many(void **st)
{
    (void)st;
    static const exs_rule rule = {"T-RAW", "raw", "CVE-2021-26855", "Test", "d", "T1505.003", true};
    char v[64][16];
    for (int i = 0; i < 64; i++)
        snprintf(v[i], sizeof v[i], "v%02d\xff\xfe", i);
#define V(i) xs_str_cstr(v[i])
    xs_hit h;
    xs_hit_init(&h, &rule, EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL, T_START);
    h.line = 7;
    h.http = (xs_hit_http){V(0), V(1), V(2), V(3), V(4), V(5), V(6), 200, 443, false};
    h.proc = (xs_hit_proc){V(7), V(8), V(9), V(10), V(11), 1, 2};
    h.event = (xs_hit_event){V(12), V(13), V(14), 4688, false};
    h.cmdlet = (xs_hit_cmdlet){V(15), V(16), V(17), V(18), true};
    h.file.path = V(19);
    h.file.url = V(20);
    h.file.site = V(21);
    h.file.attributes = XS_LIT("hidden\xff,system\xfe");
    h.file.sha256 = XS_LIT("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    static const char *const keys[XS_MAX_FACTS] = {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
                                                    "a8", "a9", "b0", "b1", "b2", "b3", "b4", "b5"};
    for (int i = 0; i < XS_MAX_FACTS; i++)
        xs_hit_fact(&h, keys[i], V(22 + i));
    h.target = V(40);
    h.evidence = V(41);
    static char ids[XS_MAX_RELATED][EXS_ID_LEN]; /* the spans must outlive the build */
    for (int i = 0; i < XS_MAX_RELATED; i++) {
        snprintf(ids[i], sizeof ids[i], "%032x", i);
        assert_true(xs_hit_relate(&h, ids[i]));
    }
    xs_hit_origin o = {0};
    o.label = "r";
    o.path = V(42);
    o.members[0] = V(43);
    o.members[1] = V(44);
    o.members[2] = V(45);
    o.members[3] = V(46);
    o.nmembers = 4;
    o.kind = "iis";
    exs_results *r = xs_results_new();
    assert_non_null(r);
    r->sweep.version = "test";
    r->sweep.start_ms = T_START;
    assert_true(xs_results_add_root(r, "/ev", "r"));
    xs_store *sto = xs_store_create(10, 10);
    assert_non_null(sto);
    exs_finding f;
    void *block;
    xs_build_notes notes;
    assert_int_equal(xs_finding_build(&h, &o, NULL, 0, &f, &block, &notes), EXS_OK);
    assert_true(notes.bad_utf8);
    assert_false(notes.cut);
    assert_true(xs_store_add(sto, &f, block));
    assert_true(xs_store_finish(sto, r));
    xs_store_destroy(sto);
    assert_true(xs_results_sort(r));
    char *j = render_r(r, EXS_FORMAT_JSONL, 0, 0);
    assert_clean_json(j);
    jrec jr = {0};
    jrec_parse(&jr, j, 1);
    assert_string_equal(jget(&jr, "exsweep.record"), "finding");
    size_t nraw = 0;
    while (jget_nth(&jr, "exsweep.raw.b64", nraw))
        nraw++;
    assert_true(nraw > 50);
    jrec_free(&jr);
    exs_results *back = NULL;
    char err[256];
    assert_int_equal(t_read_jsonl(j, strlen(j), &back, err, sizeof err), EXS_OK);
    size_t n;
    const exs_finding *g = exs_results_findings(back, &n);
    assert_int_equal(n, 1);
    assert_string_equal(g->http->user_agent, v[4]);
    assert_string_equal(g->process->target_executable, v[11]);
    assert_string_equal(g->event->computer, v[14]);
    assert_string_equal(g->cmdlet->client, v[18]);
    assert_string_equal(g->file->site, v[21]);
    assert_string_equal(g->file->attributes, "hidden\xff,system\xfe");
    assert_int_equal(g->nfacts, XS_MAX_FACTS);
    for (int i = 0; i < XS_MAX_FACTS; i++)
        assert_string_equal(exs_finding_fact(g, keys[i]), v[22 + i]);
    assert_string_equal(g->target, v[40]);
    assert_string_equal(g->evidence, v[41]);
    assert_string_equal(g->origin.path, v[42]);
    assert_string_equal(g->origin.members[3], v[46]);
    char *j2 = render_r(back, EXS_FORMAT_JSONL, 0, 0);
    assert_string_equal(j, j2);
    free(j2);
    free(j);
    exs_results_destroy(back);
    exs_results_destroy(r);
#undef V
}

/* Past --max-findings the verdict, the family table and the client table still count every
 * finding, the dropped ones too (exact counts at emit time). Exploitation findings are always
 * kept, so the cap is met here with a probe (EXS-WS-ACCESS) and a tunnel (EXS-WS-TUNNEL,
 * suspicious): a budget of one goes to the first rule by id, and the heavier finding is the
 * one counted, not listed. */
static void test_verdict_past_the_cap(void **st)
{
    (void)st;
    char dir[] = "/tmp/exs-report-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/u_ex210303.log", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(HDR "2021-03-03 10:00:00 10.0.0.5 GET /aspnet_client/x.aspx - 443 - 192.0.2.1 x - 404 0 0 1\r\n"
              "2021-03-03 11:00:00 10.0.0.5 GET /erp/conn.aspx proxy&port=3389&ip=127.0.0.1 443 - "
              "192.0.2.9 x - 200 0 0 1\r\n",
          f);
    fclose(f);
    exs_scan_opts o = {1, 0};
    o.max_findings = 1;
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, dir), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    assert_string_equal(t_summary(s), "EXS-WS-ACCESS probe 192.0.2.1 2");
    const exs_results *res = exs_scan_results(s);
    const exs_sweep_stats *stats = exs_results_stats(res);
    assert_int_equal(stats->findings, 2);
    assert_int_equal(stats->findings_dropped, 1);
    assert_int_equal(stats->verdicts[EXS_VERDICT_PROBE], 1);
    assert_int_equal(stats->verdicts[EXS_VERDICT_SUSPICIOUS], 1);
    assert_int_equal(exs_results_verdict(res), EXS_VERDICT_SUSPICIOUS);
    char *t = render(s, EXS_FORMAT_TEXT, 0);
    assert_non_null(strstr(t, "VERDICT: SUSPICIOUS"));
    assert_non_null(strstr(t, "(2 findings in all; 1 past the cap is counted, not listed)"));
    /* the family row and the client of the dropped finding */
    assert_non_null(strstr(t, "     2  2021-03-03 10:00 .. 2021-03-03 11:00\n"
                              "                   1 suspicious, 1 probe\n"));
    assert_non_null(strstr(t, "Client addresses (2)\n  192.0.2.9  "));
    free(t);
    /* the JSON lines say the same: the sweep record and the counts */
    char *j = render(s, EXS_FORMAT_JSONL, 0);
    jrec r = {0};
    jrec_parse(&r, j, 0);
    assert_string_equal(jget(&r, "exsweep.verdict"), "suspicious");
    assert_string_equal(jget(&r, "exsweep.stats.findings"), "2");
    assert_string_equal(jget(&r, "exsweep.stats.findings_dropped"), "1");
    assert_string_equal(jget(&r, "exsweep.stats.verdicts.suspicious"), "1");
    jrec_free(&r);
    assert_non_null(strstr(j, "\"count\":{\"kind\":\"rule\",\"key\":\"EXS-WS-TUNNEL\",\"n\":1,"));
    free(j);
    exs_scan_destroy(s);
    unlink(path);
    rmdir(dir);
}

/* Two servers swept together: each one's own address (IIS s-ip) leaves its own client
 * counts, not the other's. 10.0.0.5 is the first server's address and a client of the
 * second: it is listed with the second's findings only. */
static void write_log(const char *dir, const char *rows)
{
    char path[256];
    snprintf(path, sizeof path, "%s/u_ex210303.log", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(HDR, f);
    fputs(rows, f);
    fclose(f);
}

#define PROBE(sip, ip, t) "2021-03-03 " t " " sip " GET /aspnet_client/x.aspx - 443 - " ip " x - 404 0 0 1\r\n"

static void test_own_addresses_per_root(void **st)
{
    (void)st;
    char a[] = "/tmp/exs-own-a-XXXXXX", b[] = "/tmp/exs-own-b-XXXXXX";
    assert_non_null(mkdtemp(a));
    assert_non_null(mkdtemp(b));
    write_log(a, PROBE("10.0.0.5", "10.0.0.5", "10:00:00") PROBE("10.0.0.5", "192.0.2.1", "10:01:00"));
    write_log(b, PROBE("10.0.0.6", "10.0.0.5", "11:00:00") PROBE("10.0.0.6", "10.0.0.5", "11:01:00")
                     PROBE("10.0.0.6", "10.0.0.6", "11:02:00"));
    exs_scan_opts o = {1, 0};
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, a), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, b), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    const exs_results *res = exs_scan_results(s);
    assert_int_equal(exs_results_stats(res)->findings, 5);
    size_t n;
    const exs_count *c = exs_results_counts(res, EXS_COUNT_CLIENT, &n);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].key, "10.0.0.5"); /* the second server's client */
    assert_int_equal(c[0].n, 2);
    assert_int_equal(c[0].first_ms, 1614769200000LL);
    assert_string_equal(c[1].key, "192.0.2.1");
    assert_int_equal(c[1].n, 1);
    assert_int_equal(exs_results_stats(res)->own_findings, 2);
    assert_int_equal(exs_results_stats(res)->own_addresses, 2);
    const char *const *srv = exs_results_server_addresses(res, &n);
    assert_int_equal(n, 2);
    assert_string_equal(srv[0], "10.0.0.5");
    assert_string_equal(srv[1], "10.0.0.6");
    char *t = render(s, EXS_FORMAT_TEXT, 0);
    assert_non_null(strstr(t, "Client addresses (2)\n  10.0.0.5  "));
    assert_non_null(strstr(t, "  (2 findings from the servers' own addresses, on rows they "
                              "forwarded, not listed)\n"));
    assert_null(strstr(t, "10.0.0.6 "));
    /* read back, the same */
    char path[64];
    snprintf(path, sizeof path, "%s/sweep.jsonl", a);
    char *j = render(s, EXS_FORMAT_JSONL, 0);
    FILE *f = fopen(path, "w");
    fputs(j, f);
    fclose(f);
    exs_results *back = NULL;
    const char *paths[] = {path};
    assert_int_equal(exs_results_read_jsonl(&back, paths, 1, NULL, 0), EXS_OK);
    char *t2 = render_r(back, EXS_FORMAT_TEXT, 0, 0);
    char *t1 = render_r(res, EXS_FORMAT_TEXT, 0, 0);
    assert_string_equal(t2, t1);
    free(t1);
    free(t2);
    free(j);
    free(t);
    exs_results_destroy(back);
    exs_scan_destroy(s);
    /* one server: its own address is not a client, the rest are */
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, b), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    c = exs_results_counts(exs_scan_results(s), EXS_COUNT_CLIENT, &n);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].key, "10.0.0.5");
    t = render(s, EXS_FORMAT_TEXT, 0);
    assert_non_null(strstr(t, "  (1 finding from the server's own address, on rows it forwarded, "
                              "not listed)\n"));
    free(t);
    exs_scan_destroy(s);
    unlink(path);
    snprintf(path, sizeof path, "%s/u_ex210303.log", a);
    unlink(path);
    snprintf(path, sizeof path, "%s/u_ex210303.log", b);
    unlink(path);
    rmdir(a);
    rmdir(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_jsonl_records),
        cmocka_unit_test_setup_teardown(test_jsonl_round_trip, t_dir_setup, t_dir_teardown),
        cmocka_unit_test(test_own_addresses_per_root),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_top),
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_coverage_family_escaped),
        cmocka_unit_test(test_verdict_past_the_cap),
        cmocka_unit_test(test_times_without_a_date),
        cmocka_unit_test(test_seconds_round_trip),
        cmocka_unit_test(test_raw_many),
        cmocka_unit_test(test_where_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
