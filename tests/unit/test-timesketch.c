/* --format timesketch (lib/report/timesketch.c): every record a flat JSON object with the
 * four fields Timesketch requires (tests/support/ecs.h's checker, and the project's own JSON
 * parser); the exact records of one web-shell request; hostile strings stay inside their
 * strings; no finding, no finding record; the server's state as events, and a finding without
 * a time at the sweep's start, from a saved sweep read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "jsonltext.h"
#include "core/timeparse.h"
#include "ecs.h"
#include "fixlogs.h"
#include "jsonltext.h"
#include "memscan.h"
#include "parsers/json.h"

static char *render(const exs_results *r, exs_format f)
{
    char *buf = NULL;
    size_t n;
    FILE *m = open_memstream(&buf, &n);
    assert_non_null(m);
    exs_report_opts o = EXS_REPORT_OPTS_INIT;
    o.format = f;
    assert_int_equal(exs_report_write(r, m, &o), EXS_OK);
    fclose(m);
    return buf;
}

static void print_problem(void *ctx, const char *field, const char *why)
{
    fprintf(stderr, "line %zu: %s: %s\n", *(size_t *)ctx, field, why);
}

/* Every line passes the checker, is valid UTF-8, and parses with lib/parsers/json.h into
 * pairs none of which lies under another (flat). Returns the number of lines. */
static size_t assert_flat(const char *t)
{
    size_t lines = 0;
    assert_true(xs_utf8_valid(t, strlen(t)));
    for (const char *p = t; *p;) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl); /* every record ends its line */
        size_t n = (size_t)(nl - p);
        lines++;
        assert_int_equal(t_ts_check_record(p, n, print_problem, &lines), 0);
        xs_json_pair pairs[256];
        size_t np;
        char *scratch = malloc(n + 1), paths[8192];
        assert_non_null(scratch);
        assert_int_equal(xs_json_paths(p, n, pairs, 256, &np, scratch, paths, sizeof paths), 0);
        assert_true(np >= 4);
        for (size_t i = 0; i < np; i++)
            assert_null(memchr(pairs[i].key.p, '.', pairs[i].key.n)); /* nothing nested */
        free(scratch);
        p = nl + 1;
    }
    return lines;
}

static size_t count(const char *t, const char *needle)
{
    size_t n = 0;
    for (const char *p = t; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The line of t holding needle, as a new string (without its line break). */
static char *line_with(const char *t, const char *needle)
{
    const char *at = strstr(t, needle);
    assert_non_null(at);
    while (at > t && at[-1] != '\n')
        at--;
    const char *nl = strchr(at, '\n');
    assert_non_null(nl);
    return strndup(at, (size_t)(nl - at));
}

/* ---------------------------------------------------------------- one request to a shell */

#define SHELL_LOG FIX_IIS_HDR FIX_IIS_SHELL_ROW("198.51.100.7")

static void test_shell_row(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem(FIX_IIS_PLACE, SHELL_LOG, -1);
    assert_int_equal(t_count(s, NULL), 2);
    char *t = render(exs_scan_results(s), EXS_FORMAT_TIMESKETCH);
    assert_int_equal(assert_flat(t), 2); /* no server state: an IIS log tells no build */
    static const char want[] =
        "{\"message\":\"[exploitation] EXS-WS-ACCESS: answered: a script is there: in "
        "aspnet_client\",\"datetime\":\"2021-03-03T11:00:00.000+00:00\",\"timestamp\":"
        "1614769200000000,\"timestamp_desc\":\"Log row time\",\"data_type\":\"exsweep:finding\","
        "\"record\":\"finding\",\"root_index\":0,\"finding_id\":\"c918d1a1c05e5c6934b19d5b470aab5d\","
        "\"rule_id\":\"EXS-WS-ACCESS\",\"rule_name\":\"Request to a non-default script in an "
        "Exchange web folder\",\"family\":\"WebShell\",\"techniques\":\"T1505.003\",\"backdoor\":"
        "false,\"verdict\":\"exploitation\",\"severity\":\"high\",\"reason\":\"answered: a script "
        "is there\",\"location\":\"c/inetpub/logs/logfiles/w3svc1/u_ex210303.log:2\","
        "\"origin_path\":\"c/inetpub/logs/logfiles/w3svc1/u_ex210303.log\",\"origin_kind\":\"iis\","
        "\"origin_line\":2,\"origin_offset\":161,\"http_method\":\"GET\",\"http_path\":"
        "\"/aspnet_client/x.aspx\",\"http_query\":\"cmd=whoami\",\"http_status\":200,"
        "\"http_client\":\"198.51.100.7\",\"http_user_agent\":\"M\",\"http_backend\":false,"
        "\"fact_web_folder\":\"aspnet_client\",\"evidence\":\"2021-03-03 11:00:00 10.0.0.5 GET "
        "/aspnet_client/x.aspx cmd=whoami 443 - 198.51.100.7 M - 200 0 0 1\"}\n"
        "{\"message\":\"[exploitation] EXS-WS-CMD: shell command in the query, answered: keyword "
        "whoami\",\"datetime\":\"2021-03-03T11:00:00.000+00:00\",\"timestamp\":1614769200000000,"
        "\"timestamp_desc\":\"Log row time\",\"data_type\":\"exsweep:finding\",\"record\":"
        "\"finding\",\"root_index\":0,\"finding_id\":\"769796dbb10c4c0842c5a9af4503e5c1\","
        "\"rule_id\":\"EXS-WS-CMD\",\"rule_name\":\"Command passed to a web shell in the URL\","
        "\"family\":\"WebShell\",\"techniques\":\"T1505.003,T1059.003\",\"backdoor\":false,"
        "\"verdict\":\"exploitation\",\"severity\":\"critical\",\"reason\":\"shell command in the "
        "query, answered\",\"location\":\"c/inetpub/logs/logfiles/w3svc1/u_ex210303.log:2\","
        "\"origin_path\":\"c/inetpub/logs/logfiles/w3svc1/u_ex210303.log\",\"origin_kind\":\"iis\","
        "\"origin_line\":2,\"origin_offset\":161,\"http_method\":\"GET\",\"http_path\":"
        "\"/aspnet_client/x.aspx\",\"http_query\":\"cmd=whoami\",\"http_status\":200,"
        "\"http_client\":\"198.51.100.7\",\"http_user_agent\":\"M\",\"http_backend\":false,"
        "\"fact_keyword\":\"whoami\",\"evidence\":\"2021-03-03 11:00:00 10.0.0.5 GET "
        "/aspnet_client/x.aspx cmd=whoami 443 - 198.51.100.7 M - 200 0 0 1\"}\n";
    assert_string_equal(t, want);
    free(t);
    exs_scan_destroy(s);
}

/* ---------------------------------------------------------------- hostile strings */

/* A user agent carrying a quote, the text \u0000 (which must not become a NUL), </script>, a
 * control byte and the bytes 0xff 0xfe (invalid UTF-8): the record stays one valid JSON
 * object, the value reads back as the bytes were, the invalid ones as U+FFFD (\ufffd, as
 * the ECS lines write them). */
#define HOSTILE_UA "\"\\u0000</script>\x01\xff\xfe"

static void test_hostile(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem(FIX_IIS_PLACE,
                             FIX_IIS_HDR "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx "
                                         "cmd=whoami 443 - 198.51.100.7 " HOSTILE_UA
                                         " - 200 0 0 1\r\n",
                             -1);
    assert_int_equal(t_count(s, NULL), 2);
    char *t = render(exs_scan_results(s), EXS_FORMAT_TIMESKETCH);
    assert_int_equal(assert_flat(t), 2);
    assert_int_equal(count(t, "\"http_user_agent\":\"\\\"\\\\u0000</script>\\u0001"
                              "\\ufffd\\ufffd\""),
                     2);
    char *line = line_with(t, "EXS-WS-CMD");
    xs_json_pair pairs[128];
    size_t np;
    char scratch[4096];
    assert_true(strlen(line) < sizeof scratch);
    assert_int_equal(xs_json_flat(line, strlen(line), pairs, 128, &np, scratch), 0);
    bool seen = false;
    for (size_t i = 0; i < np; i++)
        if (xs_str_eq(pairs[i].key, "http_user_agent")) {
            static const char back[] = "\"\\u0000</script>\x01\xef\xbf\xbd\xef\xbf\xbd";
            assert_int_equal(pairs[i].value.n, sizeof back - 1);
            assert_memory_equal(pairs[i].value.p, back, sizeof back - 1);
            seen = true;
        }
    assert_true(seen);
    free(line);
    free(t);
    exs_scan_destroy(s);
}

/* ---------------------------------------------------------------- nothing found */

static void test_no_finding(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem(FIX_IIS_PLACE,
                             FIX_IIS_HDR "2021-03-03 11:00:00 10.0.0.5 GET /owa/ - 443 - "
                                         "198.51.100.7 Mozilla/5.0 - 200 0 0 1\r\n",
                             -1);
    assert_int_equal(t_count(s, NULL), 0);
    char *t = render(exs_scan_results(s), EXS_FORMAT_TIMESKETCH);
    assert_string_equal(t, "");
    free(t);
    exs_scan_destroy(s);
}

/* ---------------------------------------------------------------- a saved sweep */

/* A server record as a sweep writes it: two build periods (the second one row long), the
 * ProxyLogon fix at the first row under the fixed build, a mitigation note with a time and a
 * quote and a control byte in its words, an update note without one. */
#define SERVER_LINE                                                                                \
    "{\"@timestamp\":\"2021-03-09T10:00:00.000Z\",\"ecs\":{\"version\":\"9.4.0\"},"                \
    "\"message\":\"exsweep server state\",\"event\":{\"kind\":\"state\",\"module\":\"exsweep\","     \
    "\"dataset\":\"exsweep.server\"},\"exsweep\":{\"record\":\"server\",\"root\":0,\"server\":{"     \
    "\"build\":\"15.1.2176.9\",\"product\":\"Exchange Server 2016\",\"cu\":\"CU19\",\"update\":"    \
    "\"Mar21SU\",\"build_source\":\"log header\",\"why_unknown\":\"\",\"families\":[{\"family\":"   \
    "\"ProxyLogon\",\"state\":\"patched\",\"cves\":\"CVE-2021-26855\",\"open_cves\":\"\","         \
    "\"reason\":\"at the fix\",\"sources\":\"log header\",\"fixed_by\":\"15.1.2176.9\",\"fixed\":"   \
    "\"2021-03-06T08:02:50.261Z\",\"exploited\":\"2021-03-03T11:00:00.000Z\",\"exposed_ms\":"      \
    "249170261}],\"periods\":[{\"build\":\"15.1.2176.2\",\"from\":\"2021-03-02T02:03:25.521Z\","   \
    "\"to\":\"2021-03-05T17:59:19.721Z\"},{\"build\":\"15.1.2176.9\",\"from\":"                   \
    "\"2021-03-06T08:02:50.261Z\",\"to\":\"2021-03-06T08:02:50.261Z\"}],\"notes\":[{\"kind\":"     \
    "\"mitigation\",\"family\":\"ProxyLogon\",\"what\":\"rule \\\"EOMT\\\"\\u0001 on\",\"build\":"    \
    "\"\",\"file\":\"C/web.config\",\"line\":3,\"time\":\"2021-03-05T10:00:00.000Z\"},{\"kind\":"  \
    "\"update\",\"family\":\"\",\"what\":\"no time\",\"build\":\"\",\"file\":\"f\",\"line\":0}]}}}\n"

/* exsweep report -f timesketch: the server's state from a saved sweep as events marked
 * record "state" (each build period's first and last row, one record when they are the same
 * row; the fix; the note with a time, not the one without), and a finding saved without a
 * time at the sweep's start, marked. */
static void test_saved_sweep(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem(FIX_IIS_PLACE, SHELL_LOG, -1);
    char *j = render(exs_scan_results(s), EXS_FORMAT_JSONL);
    exs_scan_destroy(s);
    t_replace(&j, "\"roots\":[]", "\"roots\":[{\"path\":\"/ev\",\"label\":\"exch01\"}]");
    t_replace(&j, "\n", "\n" SERVER_LINE); /* after the sweep record */
    t_replace(&j, "\"exsweep\":{\"record\":\"finding\",\"verdict\":\"exploitation\",\"severity\":\"critical\"",
            "\"exsweep\":{\"record\":\"finding\",\"verdict\":\"exploitation\",\"severity\":\"critical\","
            "\"time_unknown\":true");
    exs_results *r = NULL;
    char err[256];
    assert_int_equal(t_read_jsonl(j, strlen(j), &r, err, sizeof err), EXS_OK);
    char *t = render(r, EXS_FORMAT_TIMESKETCH);
    assert_int_equal(assert_flat(t), 5 + 2);
    assert_int_equal(count(t, "\"record\":\"state\""), 5);
    assert_int_equal(count(t, "\"record\":\"finding\""), 2);
    static const char *const want[] = {
        "{\"message\":\"Build 15.1.2176.2 in force: the first log row under it\",\"datetime\":"
        "\"2021-03-02T02:03:25.521+00:00\",\"timestamp\":1614650605521000,\"timestamp_desc\":"
        "\"Build first seen\",\"data_type\":\"exsweep:server:state\",\"record\":\"state\","
        "\"root_index\":0,\"root\":\"exch01\",\"state_kind\":\"build_period_start\",\"build\":"
        "\"15.1.2176.2\",\"period_from\":\"2021-03-02T02:03:25.521+00:00\",\"period_to\":"
        "\"2021-03-05T17:59:19.721+00:00\",\"server_build\":\"15.1.2176.9\",\"server_product\":"
        "\"Exchange Server 2016\",\"server_cu\":\"CU19\",\"server_update\":\"Mar21SU\"}",
        "{\"message\":\"Build 15.1.2176.2 in force: the last log row under it\",\"datetime\":"
        "\"2021-03-05T17:59:19.721+00:00\",\"timestamp\":1614967159721000,\"timestamp_desc\":"
        "\"Build last seen\",\"data_type\":\"exsweep:server:state\",\"record\":\"state\","
        "\"root_index\":0,\"root\":\"exch01\",\"state_kind\":\"build_period_end\",\"build\":"
        "\"15.1.2176.2\",\"period_from\":\"2021-03-02T02:03:25.521+00:00\",\"period_to\":"
        "\"2021-03-05T17:59:19.721+00:00\",\"server_build\":\"15.1.2176.9\",\"server_product\":"
        "\"Exchange Server 2016\",\"server_cu\":\"CU19\",\"server_update\":\"Mar21SU\"}",
        "{\"message\":\"Build 15.1.2176.9 in force: the only log row under it\",\"datetime\":"
        "\"2021-03-06T08:02:50.261+00:00\",\"timestamp\":1615017770261000,\"timestamp_desc\":"
        "\"Build first and last seen\",\"data_type\":\"exsweep:server:state\",\"record\":"
        "\"state\",\"root_index\":0,\"root\":\"exch01\",\"state_kind\":\"build_period_start\","
        "\"build\":\"15.1.2176.9\",\"period_from\":\"2021-03-06T08:02:50.261+00:00\","
        "\"period_to\":\"2021-03-06T08:02:50.261+00:00\",\"server_build\":\"15.1.2176.9\","
        "\"server_product\":\"Exchange Server 2016\",\"server_cu\":\"CU19\",\"server_update\":"
        "\"Mar21SU\"}",
        "{\"message\":\"ProxyLogon fix in place: 15.1.2176.9\",\"datetime\":"
        "\"2021-03-06T08:02:50.261+00:00\",\"timestamp\":1615017770261000,\"timestamp_desc\":"
        "\"Fix went on\",\"data_type\":\"exsweep:server:state\",\"record\":\"state\","
        "\"root_index\":0,\"root\":\"exch01\",\"state_kind\":\"fix\",\"family\":\"ProxyLogon\","
        "\"exposure\":\"patched\",\"cves\":\"CVE-2021-26855\",\"fixed_by\":\"15.1.2176.9\","
        "\"reason\":\"at the fix\",\"sources\":\"log header\",\"exploited\":"
        "\"2021-03-03T11:00:00.000+00:00\",\"exposed_ms\":249170261,\"server_build\":"
        "\"15.1.2176.9\",\"server_product\":\"Exchange Server 2016\",\"server_cu\":\"CU19\","
        "\"server_update\":\"Mar21SU\"}",
        "{\"message\":\"Mitigation in place: rule \\\"EOMT\\\"\\u0001 on\",\"datetime\":"
        "\"2021-03-05T10:00:00.000+00:00\",\"timestamp\":1614938400000000,\"timestamp_desc\":"
        "\"Mitigation seen in place\",\"data_type\":\"exsweep:server:state\",\"record\":\"state\","
        "\"root_index\":0,\"root\":\"exch01\",\"state_kind\":\"note\",\"note_kind\":"
        "\"mitigation\",\"family\":\"ProxyLogon\",\"note\":\"rule \\\"EOMT\\\"\\u0001 on\","
        "\"note_file\":\"C/web.config\",\"note_line\":3,\"server_build\":\"15.1.2176.9\","
        "\"server_product\":\"Exchange Server 2016\",\"server_cu\":\"CU19\",\"server_update\":"
        "\"Mar21SU\"}",
    };
    const char *p = t;
    for (size_t i = 0; i < 5; i++) {
        const char *nl = strchr(p, '\n');
        char *line = strndup(p, (size_t)(nl - p));
        assert_string_equal(line, want[i]);
        free(line);
        p = nl + 1;
    }
    assert_null(strstr(t, "no time")); /* a note without a time is not on the timeline */
    /* the finding saved without a time: at the sweep's start, marked */
    char start[32], head[128];
    xs_time_format(exs_results_sweep(r)->start_ms, start);
    start[strlen(start) - 1] = 0; /* the Z */
    snprintf(head, sizeof head, "\"datetime\":\"%s+00:00\",\"timestamp\":%lld000,", start,
             (long long)exs_results_sweep(r)->start_ms);
    char *cmd = line_with(t, "\"rule_id\":\"EXS-WS-CMD\"");
    assert_non_null(strstr(cmd, head));
    assert_non_null(strstr(cmd, "\"timestamp_desc\":\"Time unknown (sweep start)\""));
    assert_non_null(strstr(cmd, "\"time_unknown\":true"));
    char *acc = line_with(t, "\"rule_id\":\"EXS-WS-ACCESS\"");
    assert_non_null(strstr(acc, "\"timestamp_desc\":\"Log row time\""));
    assert_null(strstr(acc, "time_unknown"));
    free(acc);
    free(cmd);
    exs_results_destroy(r);
    free(t);
    free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shell_row),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_no_finding),
        cmocka_unit_test(test_saved_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
