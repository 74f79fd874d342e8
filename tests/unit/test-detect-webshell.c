/* Web shells in request logs: non-default scripts, commands, tunnels, hunting bursts, exports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "memscan.h"

#define IIS_PLACE "c/inetpub/logs/logfiles/w3svc1/u_ex210305.log"
#define IIS_HDR                                                                                    \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "         \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
#define L(t, m, stem, q, ip, st)                                                                   \
    "2021-03-05 " t " 10.0.0.5 " m " " stem " " q " 443 - " ip " Mozilla/5.0+(Windows+NT+10.0) - " st " 0 0 33\r\n"

static void test_access_verdicts(void **st)
{
    (void)st;
    const char *log = IIS_HDR
        L("03:06:27", "GET", "/owa/auth/RedirSuiteServerProxy.aspx", "&CorrelationID=<empty>;", "192.0.2.1", "200")
        L("03:06:28", "GET", "/owa/auth/logon.aspx", "url=https%3a%2f%2fmail%2fowa", "10.1.1.1", "200")
        L("03:06:29", "GET", "/owa/auth/RedirSuiteServiceProxy.aspx", "-", "10.1.1.1", "200")
        L("03:06:30", "GET", "/ecp/auth/TimeoutLogout.aspx", "-", "10.1.1.1", "200")
        L("03:06:31", "GET", "/owa/auth/15.1.2106/themes/resources/logon.css", "-", "10.1.1.1", "200")
        L("03:06:32", "POST", "/aspnet_client/system_web/x7f3a9.aspx", "-", "192.0.2.2", "200")
        L("03:06:33", "GET", "/OAB/log.aspx", "-", "192.0.2.3", "302")
        L("03:06:34", "GET", "/owa/auth/Current/one1.aspx", "-", "192.0.2.4", "500")
        L("03:06:35", "GET", "/ecp/auth/w.aspx", "-", "192.0.2.5", "404")
        L("03:06:36", "GET", "/owa/auth//..%2fauth/errorFE.aspx", "-", "10.1.1.1", "200")
        L("03:06:37", "GET", "/owa/auth/logon.aspx.bak", "-", "10.1.1.1", "200");
    exs_scan *s = t_scan_mem(IIS_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-WS-ACCESS exploitation 192.0.2.1 2\n"
                                      "EXS-WS-ACCESS exploitation 192.0.2.2 7\n"
                                      "EXS-WS-ACCESS probe 192.0.2.3 8\n"
                                      "EXS-WS-ACCESS suspicious 192.0.2.4 9\n"
                                      "EXS-WS-ACCESS probe 192.0.2.5 10\n"
                                      "EXS-WS-ACCESS exploitation 10.1.1.1 11");
    const exs_finding *f = t_find(s, NULL, 0);
    assert_string_equal(exs_finding_fact(f, "lookalike_of"), "redirsuiteserviceproxy.aspx");
    assert_string_equal(exs_finding_fact(f, "published_name"), "yes");
    assert_string_equal(f->reason, "answered: a script is there");
    assert_string_equal(f->http->path, "/owa/auth/RedirSuiteServerProxy.aspx");
    assert_null(f->target);
    assert_string_equal(t_find(s, NULL, 2)->reason, "not served: someone looked for it");
    exs_scan_destroy(s);
}

static void test_commands_and_tunnels(void **st)
{
    (void)st;
    const char *log = IIS_HDR
        L("04:00:00", "GET", "/owa/auth/aKdMadOeT.aspx", "cmd=whoami", "192.0.2.10", "200")
        L("04:00:01", "GET", "/aspnet_client/s.aspx", "c=cmd+/c+ipconfig", "192.0.2.10", "404")
        L("04:00:02", "POST", "/search.aspx", "q=whoami", "10.1.1.2", "200")
        L("04:00:03", "GET", "/erp/conn.aspx", "proxy&port=3389&ip=127.0.0.1", "192.0.2.11", "200")
        L("04:00:04", "POST", "/erp/conn.aspx", "proxy", "192.0.2.11", "200")
        L("04:00:05", "GET", "/help.htm", "cmd=read", "10.1.1.3", "200");
    exs_scan *s = t_scan_mem(IIS_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-WS-ACCESS exploitation 192.0.2.10 2\n"
                                      "EXS-WS-CMD exploitation 192.0.2.10 2\n"
                                      "EXS-WS-ACCESS probe 192.0.2.10 3\n"
                                      "EXS-WS-CMD attempt 192.0.2.10 3\n"
                                      "EXS-WS-TUNNEL suspicious 192.0.2.11 5");
    exs_scan_destroy(s);
}

static void test_hunting_burst(void **st)
{
    (void)st;
    /* one client, 6 known shell names in 20 s, once per host; another client below the bar */
    const char *log = IIS_HDR
        L("17:27:44", "GET", "/owa/auth/Current/themes/errorFS.aspx", "-", "198.51.100.77", "302")
        L("17:27:46", "GET", "/owa/auth/ErrorAA.aspx", "-", "198.51.100.77", "302")
        L("17:27:49", "GET", "/owa/auth/OutlookEN.aspx", "-", "198.51.100.77", "302")
        L("17:27:50", "GET", "/owa/auth/zntwv.aspx", "-", "198.51.100.77", "302")
        L("17:27:55", "GET", "/owa/auth/errorFS.aspx", "-", "198.51.100.77", "302")
        L("17:28:01", "GET", "/owa/auth/RedirSuiteServerProxy.aspx", "-", "198.51.100.77", "200")
        L("17:28:04", "GET", "/owa/auth/getpp.aspx", "-", "198.51.100.77", "302")
        L("18:00:00", "GET", "/owa/auth/a.aspx", "-", "198.51.100.78", "302")
        L("18:00:01", "GET", "/owa/auth/b.aspx", "-", "198.51.100.78", "302")
        L("18:00:02", "GET", "/owa/auth/c.aspx", "-", "198.51.100.78", "302")
        L("18:00:03", "GET", "/owa/auth/d.aspx", "-", "198.51.100.78", "302")
        L("18:01:30", "GET", "/owa/auth/e.aspx", "-", "198.51.100.78", "302");
    exs_scan *s = t_scan_mem(IIS_PLACE, log, -1);
    /* each unknown script in a login folder is an access of its own; the burst is one HUNT */
    assert_string_equal(t_summary(s), "EXS-WS-ACCESS probe 198.51.100.77 2\n"
                                      "EXS-WS-HUNT probe 198.51.100.77 2\n"
                                      "EXS-WS-ACCESS probe 198.51.100.77 3\n"
                                      "EXS-WS-ACCESS probe 198.51.100.77 4\n"
                                      "EXS-WS-ACCESS probe 198.51.100.77 5\n"
                                      "EXS-WS-ACCESS probe 198.51.100.77 6\n"
                                      "EXS-WS-ACCESS exploitation 198.51.100.77 7\n"
                                      "EXS-WS-ACCESS probe 198.51.100.77 8\n"
                                      "EXS-WS-ACCESS probe 198.51.100.78 9\n"
                                      "EXS-WS-ACCESS probe 198.51.100.78 10\n"
                                      "EXS-WS-ACCESS probe 198.51.100.78 11\n"
                                      "EXS-WS-ACCESS probe 198.51.100.78 12\n"
                                      "EXS-WS-ACCESS probe 198.51.100.78 13");
    const exs_finding *f = t_find(s, "EXS-WS-HUNT", 0);
    assert_string_equal(f->http->client, "198.51.100.77");
    assert_int_equal(f->origin.line, 2);
    assert_int_equal(f->verdict, EXS_VERDICT_PROBE);
    assert_int_equal(f->severity, EXS_SEV_HIGH); /* one name answered 200 */
    assert_non_null(strstr(exs_finding_fact(f, "hunt_scripts"), "RedirSuiteServerProxy.aspx=200"));
    assert_string_equal(exs_finding_fact(f, "hunt_names"), "6");
    exs_scan_destroy(s);
}

static void test_burst_across_files(void **st)
{
    (void)st;
    const char *places[] = {IIS_PLACE, "c/inetpub/logs/logfiles/w3svc1/u_ex210306.log", NULL};
    const char *texts[] = {IIS_HDR L("23:59:40", "GET", "/aspnet_client/a.aspx", "-", "192.0.2.50", "404")
                               L("23:59:50", "GET", "/aspnet_client/b.aspx", "-", "192.0.2.50", "404")
                               L("23:59:55", "GET", "/aspnet_client/c.aspx", "-", "192.0.2.50", "404"),
                           IIS_HDR "2021-03-06 00:00:05 10.0.0.5 GET /aspnet_client/d.aspx - 443 - 192.0.2.50 x - 404 0 0 1\r\n"
                                   "2021-03-06 00:00:15 10.0.0.5 GET /aspnet_client/e.aspx - 443 - 192.0.2.50 x - 404 0 0 1\r\n",
                           NULL};
    exs_scan *s = t_scan_many(places, texts);
    /* lines 2-4 of the first file, 2-3 of the second; the burst spans both */
    assert_string_equal(t_summary(s), "EXS-WS-ACCESS probe 192.0.2.50 2\n"
                                      "EXS-WS-HUNT probe 192.0.2.50 2\n"
                                      "EXS-WS-ACCESS probe 192.0.2.50 3\n"
                                      "EXS-WS-ACCESS probe 192.0.2.50 4\n"
                                      "EXS-WS-ACCESS probe 192.0.2.50 2\n"
                                      "EXS-WS-ACCESS probe 192.0.2.50 3");
    assert_string_equal(t_find(s, "EXS-WS-HUNT", 0)->origin.path, IIS_PLACE);
    exs_scan_destroy(s);
}

static void test_export_with_shifted_columns(void **st)
{
    (void)st;
    /* a hand-made SIEM export: the header has 6 names, the rows 7 values */
    const char *csv =
        "timestamp,hostname,urlpath,useragent,httpstatuskode,http-metode\r\n"
        "2021-03-05T03:06:27.696Z,serverip,/owa/auth/RedirSuiteServerProxy.aspx,Mozilla/5.0 (Windows NT 10.0),139.0.2.236,200,GET\r\n"
        "2021-03-09T02:55:13.675Z,serverip,/owa/auth/OutlookEN.aspx,Mozilla/5.0,139.0.2.236,302,GET\r\n"
        "2021-03-09T02:56:00.000Z,serverip,/owa/auth/logon.aspx,Mozilla/5.0,302,GET\r\n";
    exs_scan *s = t_scan_mem("d/case/owa_export.csv", csv, -1);
    assert_string_equal(t_summary(s), "EXS-WS-ACCESS exploitation 139.0.2.236 2\n"
                                      "EXS-WS-ACCESS probe 139.0.2.236 3");
    assert_int_equal(t_find(s, NULL, 0)->http->status, 200);
    assert_string_equal(t_find(s, NULL, 0)->http->method, "GET");
    exs_scan_destroy(s);
}

static void test_benign_traffic(void **st)
{
    (void)st;
    const char *log = IIS_HDR
        "2021-06-11 13:58:41 10.0.0.5 POST /Microsoft-Server-ActiveSync/default.eas User=sean&DeviceId=N27&DeviceType=iPad&Cmd=Sync 443 CONTOSO\\sean 10.2.0.8 Apple-iPad7C2/1805.212 - 200 0 0 63\r\n"
        "2021-06-11 13:58:42 10.0.0.5 POST /EWS/Exchange.asmx - 443 CONTOSO\\sean 10.2.0.9 AppleExchangeWebServices/818.0.1 - 401 1 2148074254 5\r\n"
        "2021-06-11 13:58:43 10.0.0.5 GET /autodiscover/autodiscover.json Email=sean%40contoso.test&Protocol=ActiveSync&RedirectCount=1 443 - 10.2.0.8 Outlook-iOS/2.0 - 200 0 0 4\r\n"
        "2021-06-11 13:58:44 10.0.0.5 GET /autodiscover/autodiscover.json/v1.0/sean@contoso.test Protocol=EWS&RedirectCount=1 443 - 10.2.0.8 Microsoft+Office/16.0 - 200 0 0 4\r\n"
        "2021-06-11 13:58:45 10.0.0.5 POST /powershell clientApplication=ActiveMonitor;PSVersion=5.1 443 CONTOSO\\HealthMailbox1 10.0.0.5 Microsoft+WinRM+Client - 200 0 0 9\r\n"
        "2021-06-11 13:58:46 10.0.0.5 GET /owa/auth/logon.aspx url=https%3a%2f%2fmail.contoso.test%2fowa%2f&reason=0 443 - 10.2.0.10 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) - 200 0 0 15\r\n"
        "2021-06-11 13:58:47 10.0.0.5 GET /ecp/15.1.2106.2/scripts/common.js - 443 CONTOSO\\admin 10.2.0.11 Mozilla/5.0 - 200 0 0 2\r\n"
        "2021-06-11 13:58:48 10.0.0.5 GET /ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application - 443 - 203.0.113.99 Mozilla/5.0+zgrab/0.x - 200 0 0 2\r\n"
        "2021-06-11 13:58:49 10.0.0.5 POST /mapi/emsmdb/ MailboxId=x@contoso.test 443 CONTOSO\\sean 10.2.0.12 Microsoft+Office/16.0 - 200 0 0 2\r\n";
    exs_scan *s = t_scan_mem(IIS_PLACE, log, -1);
    assert_int_equal(t_count(s, NULL), 0);
    assert_int_equal(t_warns(s, "bad-row"), 0);
    exs_scan_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_access_verdicts),  cmocka_unit_test(test_commands_and_tunnels),
        cmocka_unit_test(test_hunting_burst),    cmocka_unit_test(test_burst_across_files),
        cmocka_unit_test(test_export_with_shifted_columns), cmocka_unit_test(test_benign_traffic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
