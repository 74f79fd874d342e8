/* Report writers: attacker strings escaped in every format; JSON lines, CSV and the summary. */
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

#define IIS_PLACE "c/inetpub/logs/logfiles/w3svc1/u_ex210303.log"
#define HDR                                                                                        \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "         \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"

static exs_scan *hostile(void)
{
    /* terminal escape in the user agent, a formula in the query, quotes and a backslash */
    return t_scan_mem(IIS_PLACE,
                      HDR "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx =cmd%20/c%20\"calc\"\\x "
                          "443 - 192.0.2.9 \x1b]0;pwned\x07\x1b[2J+\xe2\x80\xae - 200 0 0 1\r\n",
                      -1);
}

static char *render(const exs_scan *s, exs_format f, int color)
{
    char *buf = NULL;
    size_t n;
    FILE *m = open_memstream(&buf, &n);
    exs_report_opts o = {f, color, 0, 1};
    assert_int_equal(exs_report_write(s, m, &o), EXS_OK);
    fclose(m);
    return buf;
}

static void test_jsonl(void **st)
{
    (void)st;
    exs_scan *s = hostile();
    assert_int_equal(t_count(s, NULL), 2);
    char *j = render(s, EXS_FORMAT_JSONL, 0);
    size_t lines = 0;
    for (char *p = j; *p; p++) {
        assert_true((unsigned char)*p >= 0x20 || *p == '\n');
        lines += *p == '\n';
    }
    assert_int_equal(lines, 2);
    assert_true(j[0] == '{');
    assert_non_null(strstr(j, "\"@timestamp\":\"2021-03-03T11:00:00.000Z\""));
    assert_non_null(strstr(j, "\"source\":{\"address\":\"192.0.2.9\",\"ip\":\"192.0.2.9\"}"));
    assert_non_null(strstr(j, "\"user_agent\":{\"original\":\"\\u001b]0;pwned\\u0007\\u001b[2J \\u202e\"}"));
    assert_non_null(strstr(j, "\"url\":{\"path\":\"/aspnet_client/x.aspx\",\"query\":\"=cmd%20/c%20\\\"calc\\\"\\\\x\"}"));
    assert_non_null(strstr(j, "\"http\":{\"request\":{\"method\":\"GET\"},\"response\":{\"status_code\":200}}"));
    assert_non_null(strstr(j, "\"rule\":{\"id\":\"EXS-WS-CMD\""));
    assert_non_null(strstr(j, "\"file\":{\"path\":\"" IIS_PLACE "\"}"));
    assert_non_null(strstr(j, "\"exsweep\":{\"verdict\":\"exploitation\",\"severity\":\"critical\",\"line\":2"));
    free(j);
    exs_scan_destroy(s);
}

static void test_csv(void **st)
{
    (void)st;
    exs_scan *s = hostile();
    char *c = render(s, EXS_FORMAT_CSV, 0);
    assert_true(strncmp(c, "time,verdict,severity,rule_id,", 30) == 0);
    assert_non_null(strstr(c, "\"'=cmd%20/c%20\"\"calc\"\"\\x\"")); /* formula neutralised */
    assert_null(strchr(c, '\x1b'));
    size_t lines = 0;
    for (char *p = c; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 3);
    free(c);
    exs_scan_destroy(s);
}

static void test_text(void **st)
{
    (void)st;
    exs_scan *s = hostile();
    char *t = render(s, EXS_FORMAT_TEXT, 0);
    assert_null(strchr(t, '\x1b')); /* no colour requested, no escape from the evidence */
    assert_non_null(strstr(t, "VERDICT: COMPROMISED"));
    assert_non_null(strstr(t, "192.0.2.9"));
    assert_non_null(strstr(t, "Log coverage"));
    assert_non_null(strstr(t, "IIS/W3SVC1"));
    assert_non_null(strstr(t, "no HttpProxy logs read"));
    free(t);
    t = render(s, EXS_FORMAT_TEXT, 1);
    assert_non_null(strstr(t, "\x1b[1;31mVERDICT"));
    assert_null(strstr(t, "\x1b]0;")); /* the attacker's own sequence stays escaped */
    free(t);
    exs_scan_destroy(s);
}

static void test_clean(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem(IIS_PLACE, HDR "2021-03-03 11:00:00 10.0.0.5 GET /owa/ - 443 - 10.0.0.9 x - 302 0 0 1\r\n", -1);
    char *t = render(s, EXS_FORMAT_TEXT, 0);
    assert_non_null(strstr(t, "VERDICT: NO FINDINGS"));
    free(t);
    char *j = render(s, EXS_FORMAT_JSONL, 0);
    assert_string_equal(j, "");
    free(j);
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
    exs_scan_destroy(s);
}

/* Past --max-findings the first findings are kept; the verdict still counts every finding. */
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
              "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami 443 - 192.0.2.9 x - 200 0 0 1\r\n",
          f);
    fclose(f);
    exs_scan_opts o = {1, 0};
    o.max_findings = 1;
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, dir), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    assert_string_equal(t_summary(s), "EXS-WS-ACCESS probe 192.0.2.1 2");
    const exs_sweep_stats *stats = exs_scan_get_stats(s);
    assert_int_equal(stats->findings, 3);
    assert_int_equal(stats->findings_dropped, 2);
    assert_int_equal(stats->verdicts[EXS_VERDICT_PROBE], 1);
    assert_int_equal(stats->verdicts[EXS_VERDICT_EXPLOITATION], 2);
    char *t = render(s, EXS_FORMAT_TEXT, 0);
    assert_non_null(strstr(t, "VERDICT: COMPROMISED"));
    assert_non_null(strstr(t, "(3 findings in all; 2 beyond the cap are counted, not listed)"));
    free(t);
    exs_scan_destroy(s);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_coverage_family_escaped),
        cmocka_unit_test(test_verdict_past_the_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
