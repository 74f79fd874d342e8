/* The correlation pass (lib/detectors/links.c) on hostile sizes: a web shell whose URL is as
 * long as the sweep keeps, written by a Sysmon 11 event and requested from clients whose
 * addresses are prefixes of one another. The detail is cut at its buffer, never past it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtxwriter.h"
#include "memscan.h"

#define S(x) {EXS_EVTXW_STRING, (x), 0, NULL, 0}

static void test_long_url_and_prefix_ips(void **st)
{
    (void)st;
    /* nine folders of 199 letters: a URL of about 1900 bytes, beyond the detail buffer */
    char dirs[2000] = "", wdirs[2000] = "";
    for (int i = 0; i < 9; i++) {
        char d[200];
        memset(d, 'a' + i, 199);
        d[199] = 0;
        strcat(dirs, d);
        strcat(dirs, "/");
        strcat(wdirs, d);
        strcat(wdirs, "\\");
    }
    char target[4096];
    snprintf(target, sizeof target,
             "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\"
             "%sohyeah.aspx",
             wdirs);
    exs_evtxw_field write_ev[] = {{"Image", S("System")}, {"TargetFilename", S(target)}};
    exs_evtxw *w = exs_evtxw_create();
    assert_non_null(w);
    exs_evtxw_event e = {"Microsoft-Windows-Sysmon", "Microsoft-Windows-Sysmon/Operational",
                         "EXCH01", 11, 0, 0, 4, 0, 0, 1615686013000LL, write_ev, 2, NULL, NULL, 0};
    assert_int_equal(exs_evtxw_add(w, &e), 0);
    uint8_t *log;
    size_t n;
    assert_int_equal(exs_evtxw_finish(w, &log, &n), 0);
    exs_evtxw_destroy(w);

    char page[256];
    snprintf(page, sizeof page,
             "<%%@ Page Language=\"Jscript\"%%><%%%s(Request.Item[\"k\"],\"un%s\");%%>", "eval",
             "safe");
    char place[4096];
    snprintf(place, sizeof place,
             "c/program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/"
             "%sohyeah.aspx",
             dirs);
    static char iis[16384];
    size_t o = (size_t)snprintf(
        iis, sizeof iis,
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
        "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n");
    const char *ips[] = {"203.0.113.12", "203.0.113.1", "203.0.113.12", "203.0.113.1"};
    for (int i = 0; i < 4; i++)
        o += (size_t)snprintf(iis + o, sizeof iis - o,
                              "2021-03-14 01:41:%02d 10.0.0.5 POST /owa/auth/%sohyeah.aspx - 443 - "
                              "%s Mozilla/5.0 - 200 0 0 9\r\n",
                              10 + i, dirs, ips[i]);
    const char *places[] = {place,
                            "c/windows/system32/winevt/logs/microsoft-windows-sysmon%4operational.evtx",
                            "c/inetpub/logs/logfiles/w3svc1/u_ex210314.log", NULL};
    const char *texts[] = {page, (const char *)log, iis, NULL};
    long lens[] = {-1, (long)n, -1};
    exs_scan *s = t_scan_many_n(places, texts, lens);
    assert_int_equal(t_count(s, "EXS-LINK-SHELL"), 1);
    const exs_finding *f = t_find(s, "EXS-LINK-SHELL", 0);
    assert_int_equal(f->time_ms, 1615686013000LL);
    /* the URL fills the detail; what follows is cut, not written past the buffer */
    assert_true(strlen(f->detail) < 1600);
    assert_int_equal(strncmp(f->detail, "/owa/auth/aaaa", 14), 0);
    exs_scan_destroy(s);

    /* the same requests against a short URL: both addresses listed once each, in order */
    o = (size_t)snprintf(
        iis, sizeof iis,
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
        "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n");
    for (int i = 0; i < 4; i++)
        o += (size_t)snprintf(iis + o, sizeof iis - o,
                              "2021-03-14 01:41:%02d 10.0.0.5 POST /owa/auth/ohyeah.aspx - 443 - "
                              "%s Mozilla/5.0 - 200 0 0 9\r\n",
                              10 + i, ips[i]);
    exs_evtxw_field short_ev[] = {
        {"Image", S("System")},
        {"TargetFilename", S("C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\"
                             "HttpProxy\\owa\\auth\\ohyeah.aspx")}};
    w = exs_evtxw_create();
    assert_non_null(w);
    e.data = short_ev;
    assert_int_equal(exs_evtxw_add(w, &e), 0);
    free(log);
    assert_int_equal(exs_evtxw_finish(w, &log, &n), 0);
    exs_evtxw_destroy(w);
    places[0] = "c/program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/"
                "ohyeah.aspx";
    lens[1] = (long)n;
    texts[1] = (const char *)log;
    s = t_scan_many_n(places, texts, lens);
    assert_int_equal(t_count(s, "EXS-LINK-SHELL"), 1);
    f = t_find(s, "EXS-LINK-SHELL", 0);
    assert_non_null(strstr(f->detail, "4 requests (4 answered)"));
    assert_non_null(strstr(f->detail, " from 203.0.113.12, 203.0.113.1"));
    assert_null(strstr(f->detail, "203.0.113.1, 203.0.113.1"));
    exs_scan_destroy(s);
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_url_and_prefix_ips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
