/* The correlation pass (lib/detectors/links.c) on hostile sizes: a web shell whose URL is as
 * long as the sweep keeps, written by a Sysmon 11 event and requested from clients whose
 * addresses are prefixes of one another. The URL is kept whole, each address is listed once,
 * and the finding is tied to the findings of each side by their ids. And a removed shell: the
 * tie names it by the path of its creation. */
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

#define S(x) {XS_EVTXW_STRING, (x), 0, NULL, 0}

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
    xs_evtxw_field write_ev[] = {{"Image", S("System")}, {"TargetFilename", S(target)}};
    xs_evtxw *w = xs_evtxw_create();
    assert_non_null(w);
    xs_evtxw_event e = {"Microsoft-Windows-Sysmon", "Microsoft-Windows-Sysmon/Operational",
                         "EXCH01", 11, 0, 0, 4, 0, 0, 1615686013000LL, write_ev, 2, NULL, NULL, 0};
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    uint8_t *log;
    size_t n;
    assert_int_equal(xs_evtxw_finish(w, &log, &n), 0);
    xs_evtxw_destroy(w);

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
    /* the whole URL, in its own field; the facts after it are all there */
    char url[2100];
    snprintf(url, sizeof url, "/owa/auth/%sohyeah.aspx", dirs);
    assert_string_equal(f->file->url, url);
    assert_string_equal(f->file->path, place);
    assert_string_equal(f->origin.path, place);
    assert_string_equal(f->origin.kind, "correlation");
    assert_string_equal(f->reason, "a web shell seen from several sides");
    assert_string_equal(exs_finding_fact(f, "created"), "2021-03-14T01:40:13.000Z");
    assert_string_equal(exs_finding_fact(f, "created_by"), "System");
    assert_string_equal(exs_finding_fact(f, "commands"), "0");
    /* the kept requests hold URLs up to XS_MAX_URL: all four match the 1.8 KB URL, and the
     * file on disk is not taken for a removed one */
    assert_string_equal(exs_finding_fact(f, "requests"), "4");
    assert_string_equal(exs_finding_fact(f, "requests_clients"), "203.0.113.1=2,203.0.113.12=2");
    assert_int_equal(t_count(s, "EXS-FILE-WS-REMOVED"), 0);
    /* related: the file on disk, its creation, then the four requests */
    const exs_finding *disk = t_find(s, "EXS-FILE-WS-NONDEFAULT", 0);
    const exs_finding *made = t_find(s, "EXS-EV-ASPX-WRITE", 0);
    assert_non_null(disk);
    assert_non_null(made);
    assert_string_equal(disk->file->url, url);
    assert_int_equal(f->nrelated, 6);
    assert_string_equal(f->related[0], disk->id);
    assert_string_equal(f->related[1], made->id);
    for (size_t i = 2; i < 6; i++) {
        const exs_finding *q = exs_results_find(exs_scan_results(s), f->related[i]);
        assert_non_null(q);
        assert_string_equal(q->rule->id, "EXS-WS-ACCESS");
        assert_int_equal(q->origin.line, i); /* lines 2 to 5, in the results' order */
    }
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
    xs_evtxw_field short_ev[] = {
        {"Image", S("System")},
        {"TargetFilename", S("C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\"
                             "HttpProxy\\owa\\auth\\ohyeah.aspx")}};
    w = xs_evtxw_create();
    assert_non_null(w);
    e.data = short_ev;
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    free(log);
    assert_int_equal(xs_evtxw_finish(w, &log, &n), 0);
    xs_evtxw_destroy(w);
    places[0] = "c/program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/"
                "ohyeah.aspx";
    lens[1] = (long)n;
    texts[1] = (const char *)log;
    s = t_scan_many_n(places, texts, lens);
    assert_int_equal(t_count(s, "EXS-LINK-SHELL"), 1);
    f = t_find(s, "EXS-LINK-SHELL", 0);
    assert_string_equal(f->file->url, "/owa/auth/ohyeah.aspx");
    assert_string_equal(exs_finding_fact(f, "requests"), "4");
    assert_string_equal(exs_finding_fact(f, "requests_answered"), "4");
    /* both addresses counted apart (203.0.113.1 is not taken for a repeat of 203.0.113.12),
     * as the file side writes them: address=count, by count then address */
    assert_string_equal(exs_finding_fact(f, "requests_clients"), "203.0.113.1=2,203.0.113.12=2");
    assert_string_equal(exs_finding_fact(f, "requests_first"), "2021-03-14T01:41:10.000Z");
    assert_string_equal(exs_finding_fact(f, "requests_last"), "2021-03-14T01:41:13.000Z");
    assert_int_equal(t_count(s, "EXS-FILE-WS-REMOVED"), 0); /* the file is on disk */
    assert_int_equal(f->nrelated, 6); /* the file, its creation, the four requests */
    assert_string_equal(f->related[0], t_find(s, "EXS-FILE-WS-NONDEFAULT", 0)->id);
    assert_string_equal(f->related[1], t_find(s, "EXS-EV-ASPX-WRITE", 0)->id);
    for (size_t i = 2; i < 6; i++)
        assert_string_equal(exs_results_find(exs_scan_results(s), f->related[i])->rule->id,
                            "EXS-WS-ACCESS");
    exs_scan_destroy(s);
    free(log);
}

#define SHELL_WIN                                                                                  \
    "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\gone.aspx"
#define AUTH_PLACE "c/program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/"
#define IIS_FIELDS                                                                                 \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "          \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"

/* A Sysmon log: the shell's creation at 01:40:13 by w3wp. */
static uint8_t *sysmon_log(size_t *n)
{
    xs_evtxw_field write_ev[] = {{"Image", S("c:\\windows\\system32\\inetsrv\\w3wp.exe")},
                                 {"TargetFilename", S(SHELL_WIN)}};
    xs_evtxw *w = xs_evtxw_create();
    assert_non_null(w);
    xs_evtxw_event e = {.provider = "Microsoft-Windows-Sysmon",
                        .channel = "Microsoft-Windows-Sysmon/Operational",
                        .computer = "EXCH01",
                        .event_id = 11,
                        .level = 4,
                        .time_ms = 1615686013000LL,
                        .data = write_ev,
                        .ndata = 2};
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    uint8_t *log = xs_evtxw_take(w, n);
    assert_non_null(log);
    return log;
}

/* A shell written (Sysmon 11) and used (IIS), then gone from the image (its folder is there):
 * the tie names the file by the path its creation gave, so that the summary can list it. */
static void test_removed_shell_named_by_its_creation(void **st)
{
    (void)st;
    size_t n;
    uint8_t *log = sysmon_log(&n);
    const char *iis =
        IIS_FIELDS
        "2021-03-14 01:41:13 10.0.0.5 POST /owa/auth/gone.aspx - 443 - 203.0.113.7 M - 200 0 0 9\r\n"
        "2021-03-14 01:42:13 10.0.0.5 POST /owa/auth/gone.aspx - 443 - 203.0.113.7 M - 200 0 0 9\r\n";
    const char *places[] = {AUTH_PLACE "logon.aspx",
                            "c/windows/system32/winevt/logs/microsoft-windows-sysmon%4operational.evtx",
                            "c/inetpub/logs/logfiles/w3svc1/u_ex210314.log", NULL};
    const char *texts[] = {"<html><body>Outlook</body></html>\n", (const char *)log, iis, NULL};
    long lens[] = {-1, (long)n, -1};
    exs_scan *s = t_scan_many_n(places, texts, lens);
    assert_int_equal(t_count(s, "EXS-FILE-WS-REMOVED"), 1);
    assert_int_equal(t_count(s, "EXS-LINK-SHELL"), 1);
    const exs_finding *f = t_find(s, "EXS-LINK-SHELL", 0);
    assert_string_equal(f->reason, "a removed web shell seen from several sides");
    assert_string_equal(f->file->url, "/owa/auth/gone.aspx");
    assert_non_null(f->file->path);
    assert_string_equal(f->file->path, SHELL_WIN);
    assert_string_equal(exs_finding_fact(f, "created"), "2021-03-14T01:40:13.000Z");
    assert_string_equal(exs_finding_fact(f, "requests"), "2");
    assert_int_equal(f->nrelated, 4); /* the removal, the creation, the two requests */
    assert_string_equal(f->related[0], t_find(s, "EXS-FILE-WS-REMOVED", 0)->id);
    assert_string_equal(f->related[1], t_find(s, "EXS-EV-ASPX-WRITE", 0)->id);
    exs_scan_destroy(s);
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_url_and_prefix_ips),
        cmocka_unit_test(test_removed_shell_named_by_its_creation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
