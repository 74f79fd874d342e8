/* The line pipeline: chunk boundaries, line numbers, the line cap, coverage windows, and
 * bad input that must be counted while the sweep goes on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "memscan.h"
#include "scan/scan_int.h"
#include "scan/worker.h"

#define IIS_PLACE "c/inetpub/logs/logfiles/w3svc1/u_ex210303.log"
#define HDR                                                                                        \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "         \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
#define BENIGN "2021-03-03 10:00:00 10.0.0.5 GET /owa/ - 443 - 10.2.0.1 Mozilla/5.0 - 302 0 0 1\r\n"
#define SHELL(ip) "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami 443 - " ip " Mozilla/5.0 - 200 0 0 1\r\n"

typedef struct text {
    char *p;
    size_t n, cap;
} text;

static void add(text *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        t->cap = (t->n + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = 0;
}

#define ADD(t, s) add(t, s, strlen(s))

static void test_lines_across_chunks(void **st)
{
    (void)st;
    /* enough benign lines to cross several read chunks, with attacks in between */
    text t = {0};
    ADD(&t, HDR);
    size_t line = 1, want[3], k = 0;
    for (int i = 0; i < 40000; i++) {
        ADD(&t, BENIGN);
        line++;
        if (i == 5 || i == 17000 || i == 39999) {
            ADD(&t, SHELL("192.0.2.7"));
            want[k++] = ++line;
        }
    }
    assert_true(t.n > 2 * XS_READ_CHUNK);
    exs_scan *s = t_scan_mem(IIS_PLACE, t.p, (long)t.n);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 3);
    for (size_t i = 0; i < 3; i++) {
        const exs_finding *f = t_find(s, "EXS-WS-CMD", i);
        assert_int_equal(f->origin.line, want[i]);
        assert_int_equal(f->origin.record, 0);
        assert_string_equal(f->origin.kind, "iis");
    }
    size_t nc;
    const exs_coverage *cv = exs_results_coverage(exs_scan_results(s), &nc);
    assert_int_equal(nc, 1);
    assert_string_equal(cv[0].family, "IIS/W3SVC1");
    assert_int_equal(cv[0].lines, line);
    assert_int_equal(cv[0].files_read, 1);
    assert_int_equal(cv[0].first_ms, 1614765600000LL); /* 10:00:00 */
    assert_int_equal(cv[0].last_ms, 1614769200000LL);  /* 11:00:00, the last line */
    exs_scan_destroy(s);
    free(t.p);
}

static void test_long_line_is_cut_and_sweep_goes_on(void **st)
{
    (void)st;
    text t = {0};
    ADD(&t, HDR);
    ADD(&t, SHELL("192.0.2.1"));                         /* line 2 */
    char *big = malloc(3 * XS_MAX_LINE);
    memset(big, 'A', 3 * XS_MAX_LINE);
    static const char head[] = "2021-03-03 10:30:00 10.0.0.5 GET /aspnet_client/y.aspx cmd=whoami";
    memcpy(big, head, sizeof head - 1);
    add(&t, big, 3 * XS_MAX_LINE);                      /* line 3: 3 MiB */
    ADD(&t, "\r\n");
    ADD(&t, SHELL("192.0.2.2"));                         /* line 4 */
    exs_scan *s = t_scan_mem(IIS_PLACE, t.p, (long)t.n);
    assert_int_equal(t_warns(s, "line-too-long"), 1);
    /* findings are ordered by time: the long line (10:30) first; its head is still read */
    assert_int_equal(t_find(s, "EXS-WS-CMD", 0)->origin.line, 3);
    assert_int_equal(t_find(s, "EXS-WS-CMD", 1)->origin.line, 2);
    assert_int_equal(t_find(s, "EXS-WS-CMD", 2)->origin.line, 4);
    assert_string_equal(t_find(s, "EXS-WS-CMD", 2)->http->client, "192.0.2.2");
    exs_scan_destroy(s);
    free(big);
    free(t.p);
}

static void test_junk_and_truncation(void **st)
{
    (void)st;
    text t = {0};
    ADD(&t, HDR);
    ADD(&t, "-----\r\n");
    static const char nul_line[] = "\0\0\0\0garbage\xff\xfe\x00 cmd=whoami /aspnet_client/z.aspx\r\n";
    add(&t, nul_line, sizeof nul_line - 1);
    ADD(&t, "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami 443 - 192.0.2.9 Mozilla/5.0+\xff\xfe - 200 0 0 1\r\n");
    /* a last line cut off mid-way, no line break */
    ADD(&t, "2021-03-03 11:00:01 10.0.0.5 GET /aspnet_client/q.aspx cmd=whoami 443 - 192.0.2.10 Moz");
    exs_scan *s = t_scan_mem(IIS_PLACE, t.p, (long)t.n);
    assert_int_equal(t_warns(s, "binary"), 1);      /* NUL bytes in the head: read anyway */
    assert_int_equal(t_warns(s, "bad-row"), 1);     /* the NUL line, a candidate that fails */
    assert_int_equal(t_warns(s, "invalid-utf8"), 2); /* the UA, in both findings of line 4 */
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 2);
    assert_int_equal(t_find(s, "EXS-WS-CMD", 1)->origin.line, 5);
    exs_scan_destroy(s);
    free(t.p);
}

static void test_fields_change_mid_file(void **st)
{
    (void)st;
    text t = {0};
    ADD(&t, HDR);
    ADD(&t, BENIGN);
    ADD(&t, "#Software: Microsoft Internet Information Services 10.0\r\n");
    ADD(&t, "#Fields: time c-ip cs-method cs-uri-stem cs-uri-query sc-status date\r\n");
    ADD(&t, "11:00:00 192.0.2.44 GET /aspnet_client/x.aspx cmd=whoami 200 2021-03-03\r\n");
    exs_scan *s = t_scan_mem(IIS_PLACE, t.p, (long)t.n);
    assert_string_equal(t_summary(s), "EXS-WS-ACCESS exploitation 192.0.2.44 5\nEXS-WS-CMD exploitation 192.0.2.44 5");
    assert_int_equal(t_find(s, NULL, 0)->time_ms, 1614769200000LL);
    exs_scan_destroy(s);
    free(t.p);
}

static void test_httpproxy_600_columns(void **st)
{
    (void)st;
    text t = {0};
    ADD(&t, "#Fields: DateTime");
    for (int i = 0; i < 600; i++)
        ADD(&t, ",Col");
    ADD(&t, ",AnchorMailbox\r\n");
    ADD(&t, "2021-03-03T06:00:00.000Z");
    for (int i = 0; i < 600; i++)
        ADD(&t, ",x");
    ADD(&t, ",ServerInfo~a]@e:444/ecp/x\r\n");
    exs_scan *s = t_scan_mem("c/exchange server/v15/logging/httpproxy/ecp/httpproxy_1.log", t.p, (long)t.n);
    /* more columns than XS_MAX_FIELDS: the tail folds into the last field; the anchor column
     * is past the cap and not resolvable, which is counted, not fatal */
    assert_int_equal(t_count(s, NULL), 0);
    exs_scan_destroy(s);
    free(t.p);
}

/* Candidate lines of one IIS file swept with or without the prefilter. */
static uint64_t candidates(const char *log, bool no_prefilter, size_t *findings)
{
    exs_scan *s = NULL;
    exs_scan_opts o = {1, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    s->no_prefilter = no_prefilter;
    assert_int_equal(xs_scan_prepare(s), EXS_OK);
    xs_worker w;
    assert_int_equal(xs_worker_init(&w, s), EXS_OK);
    xs_worker_process_memory(&w, IIS_PLACE, IIS_PLACE, log, strlen(log));
    uint64_t k = w.stats.candidates;
    xs_worker_fini(&w);
    xs_scan_finish(s);
    exs_results_findings(exs_scan_results(s), findings);
    exs_scan_destroy(s);
    return k;
}

/* The tests' switch (exsfind --no-prefilter) really hands every data line to the reader: the
 * prefilter-off sweeps that check the prefilter's promise compare against this. */
static void test_no_prefilter_every_line_a_candidate(void **st)
{
    (void)st;
    const char *log = HDR BENIGN BENIGN "\r\n" BENIGN SHELL("192.0.2.7") BENIGN;
    size_t with, without;
    assert_int_equal(candidates(log, false, &with), 1);
    assert_int_equal(candidates(log, true, &without), 6); /* the empty line too */
    assert_true(with > 0);
    assert_int_equal(without, with);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_across_chunks),
        cmocka_unit_test(test_long_line_is_cut_and_sweep_goes_on),
        cmocka_unit_test(test_junk_and_truncation),
        cmocka_unit_test(test_fields_change_mid_file),
        cmocka_unit_test(test_httpproxy_600_columns),
        cmocka_unit_test(test_no_prefilter_every_line_a_candidate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
