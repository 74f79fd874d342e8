/* ProxyShell, ProxyNotShell and OWASSRF in IIS and Rps_Http; cmdlets in Rps_Cmdlet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "memscan.h"
#include "parsers/csv.h"

#define IIS_PLACE "c/inetpub/logs/logfiles/w3svc1/u_ex210810.log"
#define IIS_HDR                                                                                    \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "         \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
#define RPS_PLACE "c/program files/microsoft/exchange server/v15/logging/cmdletinfra/powershell-proxy/http/rps_http_2021081010-1.log"
#define CMD_PLACE "c/program files/microsoft/exchange server/v15/logging/cmdletinfra/powershell-proxy/cmdlet/rps_cmdlet_2021081010-1.log"

static void test_proxyshell_iis(void **st)
{
    (void)st;
    const char *log = IIS_HDR
        /* 2: success to /mapi/nspi (IIS splits at the first '?': the query starts with '@') */
        "2021-08-10 10:00:00 10.0.0.5 POST /autodiscover/autodiscover.json @evil.test/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.test 443 - 198.51.100.7 python-requests/2.26.0 - 200 0 0 15\r\n"
        /* 3: attempt, 401 */
        "2021-08-10 10:00:01 10.0.0.5 POST /autodiscover/autodiscover.json @evil.test/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.test 443 - 198.51.100.7 python-requests/2.26.0 - 401 0 0 15\r\n"
        /* 4: success to /powershell with X-Rps-CAT, anonymous */
        "2021-08-10 10:00:02 10.0.0.5 POST /autodiscover/autodiscover.json a=x@evil.test/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dz&Email=autodiscover/autodiscover.json%3F@evil.test 443 - 198.51.100.7 python-requests/2.26.0 - 200 0 0 15\r\n"
        /* 5: ProxyNotShell: authenticated, /powershell first, 200 */
        "2022-09-29 10:00:00 10.0.0.5 GET /autodiscover/autodiscover.json @evil.test/PowerShell/?&Email=autodiscover/autodiscover.json%3F@evil.test 443 CONTOSO\\victim 198.51.100.8 Mozilla/5.0 - 200 0 0 15\r\n"
        /* 6: ProxyNotShell PoC shape */
        "2022-11-17 10:00:00 10.0.0.5 POST /autodiscover/autodiscover.json x=a 443 CONTOSO\\victim 198.51.100.9 python-requests/2.28.1 - 200 0 0 15\r\n"
        /* 7: OWASSRF */
        "2022-12-10 10:00:00 10.0.0.5 POST /owa/mastermailbox%40outlook.com/powershell - 443 CONTOSO\\victim 198.51.100.10 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/105.0.5195.54+Safari/537.36 - 200 0 0 15\r\n"
        /* 8-10: benign autodiscover.json and WinRM */
        "2022-12-10 10:00:01 10.0.0.5 GET /autodiscover/autodiscover.json Email=u%40contoso.test&Protocol=EWS&RedirectCount=1 443 - 10.2.0.8 Microsoft+Office/16.0 - 200 0 0 4\r\n"
        "2022-12-10 10:00:02 10.0.0.5 GET /autodiscover/autodiscover.json/v1.0/u@contoso.test Protocol=AutodiscoverV1&RedirectCount=1 443 - 10.2.0.8 Microsoft+Office/16.0 - 200 0 0 4\r\n"
        "2022-12-10 10:00:03 10.0.0.5 POST /owa/u%40contoso.test/powershell - 443 CONTOSO\\admin 10.2.0.9 Microsoft+WinRM+Client - 200 0 0 4\r\n";
    exs_scan *s = t_scan_mem(IIS_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PS-SSRF exploitation 198.51.100.7 2\n"
                                      "EXS-PS-ATTEMPT attempt 198.51.100.7 3\n"
                                      "EXS-PS-SSRF exploitation 198.51.100.7 4\n"
                                      "EXS-PNS-SSRF exploitation 198.51.100.8 5\n"
                                      "EXS-PNS-POC exploitation 198.51.100.9 6\n"
                                      "EXS-OWASSRF-IIS exploitation 198.51.100.10 7");
    exs_scan_destroy(s);
}

static void test_proxyshell_backend_user(void **st)
{
    (void)st;
    /* the back end sees ProxyShell as the impersonated admin: the forged X-Rps-CAT token, not
     * the user column, tells it from ProxyNotShell */
    const char *log = IIS_HDR
        "2021-08-10 10:00:03 10.0.0.5 POST /powershell ?X-Rps-CAT=VgEAVAdXaW5kb3dz&Email=autodiscover/autodiscover.json%3F@evil.test 444 CONTOSO\\administrator 10.0.0.5 python-requests/2.26.0 - 200 0 0 15\r\n";
    exs_scan *s = t_scan_mem("c/inetpub/logs/logfiles/w3svc2/u_ex210810.log", log, -1);
    assert_string_equal(t_summary(s), "EXS-PS-SSRF exploitation 10.0.0.5 2");
    exs_scan_destroy(s);
}

static void test_owassrf_backend(void **st)
{
    (void)st;
    const char *log = IIS_HDR
        "2022-12-10 10:00:00 10.0.0.5 POST /powershell - 444 CONTOSO\\victim 10.0.0.5 python-requests/2.28.1 - 200 0 0 2\r\n"
        "2022-12-10 10:00:01 10.0.0.5 POST /powershell - 444 CONTOSO\\HealthMailbox 10.0.0.5 Exchange+BackEnd+Probes - 200 0 0 2\r\n"
        "2022-12-10 10:00:02 10.0.0.5 POST /powershell - 443 CONTOSO\\admin 10.0.0.7 python-requests/2.28.1 - 200 0 0 2\r\n";
    exs_scan *s = t_scan_mem("c/inetpub/logs/logfiles/w3svc2/u_ex221210.log", log, -1);
    assert_string_equal(t_summary(s), "EXS-OWASSRF-IIS suspicious 10.0.0.5 2");
    exs_scan_destroy(s);
}

static void test_rps_http(void **st)
{
    (void)st;
    const char *log =
        "#Software: Microsoft Exchange Server\r\n#Log-type: Rps Http Logs\r\n"
        "#Fields: DateTime,StartTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,UrlHost,UrlStem,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,ManagedOrganization,ClientIpAddress,ServerHostName,FrontEndServer,HttpStatus,SubStatus,ErrorCode,Action,CommandId,CommandName,SessionId,ShellId,FailFast,ContributeToFailFast,RequestBytes,ClientInfo,CPU,Memory,ActivityContextLifeTime,TotalTime,UrlQuery,GenericLatency,GenericInfo,GenericErrors\r\n"
        /* 4: ProxyShell */
        "2021-08-10T10:00:05.000Z,,r1,15,1,1713,1,,exch01.contoso.test,/Powershell,Kerberos,true,CONTOSO\\administrator,,,198.51.100.7,EXCH01,EXCH01,200,0,,Receive,,,,,,,,Python PSRP Client,,,,,?X-Rps-CAT=VgEAVAdXaW5kb3dz&Email=autodiscover/autodiscover.json%3F@evil.test,,S:ServiceCommonMetadata.HttpMethod=POST,\r\n"
        /* 5: OWASSRF-like: no known client */
        "2022-12-10T10:00:05.000Z,,r2,15,1,2507,6,,exch01.contoso.test,/Powershell,Kerberos,true,CONTOSO\\victim,,,10.0.0.5,EXCH01,EXCH01,200,0,,Receive,,,,,,,,,,,,,,,OnEndRequest.End.ContentType=application/soap+xml charset UTF-8;S:ServiceCommonMetadata.HttpMethod=POST;,\r\n"
        /* 6: ProxyNotShell: the Email parameter, no token, a person's credentials */
        "2022-09-29T10:00:05.000Z,,r5,15,1,2507,6,,exch01.contoso.test,/powershell,Kerberos,true,CONTOSO\\victim,,,10.0.0.5,EXCH01,EXCH01,200,0,,Receive,,,,,,,,,,,,,?serializationLevel=Full;clientApplication=ManagementShell&Email=autodiscover/autodiscover.json%3F@evil.test,,S:ServiceCommonMetadata.HttpMethod=POST;,\r\n"
        /* 7-8: benign admin and probe */
        "2022-12-10T10:00:06.000Z,,r3,15,1,2507,6,,exch01.contoso.test,/powershell,Kerberos,true,CONTOSO\\admin,,,10.0.0.7,EXCH01,EXCH01,200,0,,Receive,,,,,,,,Microsoft WinRM Client,,,,,,,S:ServiceCommonMetadata.HttpMethod=POST;,\r\n"
        "2022-12-10T10:00:07.000Z,,r4,15,1,2507,6,,exch01.contoso.test,/powershell,Kerberos,true,CONTOSO\\HealthMailbox,,,10.0.0.5,EXCH01,EXCH01,200,0,,Receive,,,,,,,,Exchange BackEnd Probes,,,,,,,S:ServiceCommonMetadata.HttpMethod=POST;,\r\n";
    exs_scan *s = t_scan_mem(RPS_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PS-RPS exploitation 198.51.100.7 4\n"
                                      "EXS-PNS-SSRF exploitation 10.0.0.5 6\n"
                                      "EXS-OWASSRF-RPS suspicious 10.0.0.5 5");
    assert_string_equal(t_rvs(s, 1), "EXS-PNS-SSRF exploitation critical");
    assert_string_equal(t_find(s, NULL, 0)->http->user_agent, "Python PSRP Client");
    assert_string_equal(t_find(s, NULL, 0)->http->user, "CONTOSO\\administrator");
    /* counted per client at emit time, sorted by address */
    size_t nc;
    const exs_count *cl = exs_results_counts(exs_scan_results(s), EXS_COUNT_CLIENT, &nc);
    assert_int_equal(nc, 2);
    assert_string_equal(cl[0].key, "10.0.0.5");
    assert_string_equal(cl[1].key, "198.51.100.7");
    assert_int_equal(cl[1].by_verdict[EXS_VERDICT_EXPLOITATION], 1);
    exs_scan_destroy(s);
}

static void test_cmdlets(void **st)
{
    (void)st;
    const char *log =
        "#Software: Microsoft Exchange Server\r\n#Log-type: Rps Cmdlet Logs\r\n"
        "#Fields: DateTime,StartTime,RequestId,ClientRequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ServerHostName,ProcessId,ProcessName,ThreadId,CultureInfo,Organization,AuthenticatedUser,ExecutingUserSid,EffectiveOrganization,UserServicePlan,IsAdmin,ClientApplication,Cmdlet,Parameters,ExecutionResult\r\n"
        "2021-08-10T10:01:00.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\administrator,S-1-5-21-1,,,True,,New-ManagementRoleAssignment,\"-Role \"\"Mailbox Import Export\"\" -User \"\"administrator\"\"\",Success\r\n"
        "2021-08-10T10:01:05.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\administrator,S-1-5-21-1,,,True,,New-MailboxExportRequest,\"-Mailbox \"\"administrator@contoso.test\"\" -FilePath \"\"\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\s.aspx\"\"\",Success\r\n"
        "2021-08-10T10:01:30.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\administrator,S-1-5-21-1,,,True,,Remove-MailboxExportRequest,\"-Identity \"\"x\"\" -Confirm \"\"False\"\"\",Success\r\n"
        "2021-08-11T09:00:00.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\admin,S-1-5-21-2,,,True,,New-MailboxExportRequest,\"-Mailbox \"\"bob\"\" -FilePath \"\"\\\\fs01\\pst\\bob.pst\"\"\",Success\r\n"
        "2021-08-11T09:00:01.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\admin,S-1-5-21-2,,,True,,Get-Mailbox,\"-ResultSize \"\"1\"\"\",Success\r\n"
        "2021-08-11T09:00:02.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\admin,S-1-5-21-2,,,True,,New-ExchangeCertificate,\"-GenerateRequest -BinaryEncoded -RequestFile \"\"\\\\localhost\\C$\\inetpub\\wwwroot\\aspnet_client\\c.aspx\"\"\",Success\r\n"
        "2021-08-11T09:00:03.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\admin,S-1-5-21-2,,,True,,Install-TransportAgent,\"-Name \"\"Evil\"\" -AssemblyPath \"\"c:\\x.dll\"\"\",Error\r\n"
        /* an earlier ".aspx" that does not end a name must not hide the one that does */
        "2021-08-11T09:00:04.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\admin,S-1-5-21-2,,,True,,New-MailboxExportRequest,\"-Name \"\"old.aspx-copy\"\" -FilePath \"\"\\\\fs02\\web\\y.aspx\"\"\",Success\r\n";
    exs_scan *s = t_scan_mem(CMD_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-CMD-ROLEASSIGN suspicious - 4\n"
                                      "EXS-CMD-MBXEXPORT exploitation - 5\n"
                                      "EXS-CMD-MBXEXPORT-RM suspicious - 6\n"
                                      "EXS-CMD-MBXEXPORT suspicious - 7\n"
                                      "EXS-CMD-CERTREQ exploitation - 9\n"
                                      "EXS-CMD-TRANSPORTAGENT suspicious - 10\n"
                                      "EXS-CMD-MBXEXPORT exploitation - 11");
    assert_string_equal(t_find(s, "EXS-CMD-MBXEXPORT", 0)->cmdlet->user, "CONTOSO\\administrator");
    assert_string_equal(t_find(s, "EXS-CMD-MBXEXPORT", 0)->cmdlet->name, "New-MailboxExportRequest");
    assert_non_null(strstr(t_find(s, "EXS-CMD-MBXEXPORT", 0)->cmdlet->parameters, "s.aspx"));
    assert_true(t_find(s, "EXS-CMD-TRANSPORTAGENT", 0)->cmdlet->failed);
    assert_false(t_find(s, "EXS-CMD-MBXEXPORT", 0)->cmdlet->failed);
    exs_scan_destroy(s);
}

static void test_proxyshell_mailbox_in_query(void **st)
{
    (void)st;
    /* Metasploit's module puts the mailbox in a= and the Email in a cookie IIS does not log;
     * the public PoCs put it after '@' */
    const char *log = IIS_HDR
        /* 2: the LegacyDN step, served */
        "2021-08-10 10:00:00 10.0.0.5 POST /autodiscover/autodiscover.json a=x@evil.test/autodiscover/autodiscover.xml 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 15\r\n"
        /* 3: the SID leak, served */
        "2021-08-10 10:00:01 10.0.0.5 POST /autodiscover/autodiscover.json a=x@evil.test/mapi/emsmdb/ 443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 15\r\n"
        /* 4: the PoCs' SID leak, the Email parameter in the query */
        "2021-08-10 10:00:02 10.0.0.5 POST /autodiscover/autodiscover.json @evil.test/mapi/emsmdb?&Email=autodiscover/autodiscover.json%3F@evil.test 443 - 198.51.100.7 python-requests/2.26.0 - 200 0 0 15\r\n"
        /* 5: the address book through a=, refused */
        "2021-08-10 10:00:03 10.0.0.5 POST /autodiscover/autodiscover.json a=x@evil.test/mapi/nspi/ 443 - 198.51.100.7 Mozilla/5.0 - 401 0 0 15\r\n"
        /* 6: the LegacyDN step refused */
        "2021-08-10 10:00:04 10.0.0.5 POST /autodiscover/autodiscover.json a=x%40evil.test%2Fautodiscover%2Fautodiscover.xml 443 - 198.51.100.7 Mozilla/5.0 - 404 0 0 15\r\n"
        /* 7-9 benign: Outlook's MAPI, OWA on a shared mailbox, Autodiscover v2 */
        "2021-08-10 10:00:05 10.0.0.5 POST /mapi/emsmdb/ mailboxId=0b0b@contoso.test&smtpAddress=u@contoso.test 443 CONTOSO\\u 10.2.0.8 Microsoft+Office/16.0 - 200 0 0 4\r\n"
        "2021-08-10 10:00:06 10.0.0.5 GET /owa/shared@contoso.test/ - 443 CONTOSO\\u 10.2.0.8 Mozilla/5.0 - 200 0 0 4\r\n"
        "2021-08-10 10:00:07 10.0.0.5 GET /autodiscover/autodiscover.json/v1.0/u@contoso.test Protocol=AutodiscoverV1&RedirectCount=1 443 - 10.2.0.8 Microsoft+Office/16.0 - 200 0 0 4\r\n";
    exs_scan *s = t_scan_mem(IIS_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PS-AUTOD attempt 198.51.100.7 2\n"
                                      "EXS-PS-SSRF exploitation 198.51.100.7 3\n"
                                      "EXS-PS-SSRF exploitation 198.51.100.7 4\n"
                                      "EXS-PS-ATTEMPT attempt 198.51.100.7 5\n"
                                      "EXS-PS-ATTEMPT attempt 198.51.100.7 6");
    assert_string_equal(t_rvs(s, 0), "EXS-PS-AUTOD attempt high");
    assert_string_equal(t_rvs(s, 1), "EXS-PS-SSRF exploitation critical");
    assert_string_equal(t_rvs(s, 3), "EXS-PS-ATTEMPT attempt medium");
    assert_string_equal(exs_finding_fact(t_find(s, NULL, 0), "ssrf_path"),
                        "/autodiscover/autodiscover.xml");
    assert_string_equal(exs_finding_fact(t_find(s, NULL, 1), "ssrf_path"), "/mapi/emsmdb/");
    assert_string_equal(exs_finding_fact(t_find(s, NULL, 2), "ssrf_path"), "/mapi/emsmdb");
    assert_string_equal(t_find(s, NULL, 1)->reason,
                        "Autodiscover path confusion served by back-end MAPI (the SID leak or "
                        "the address book)");
    exs_scan_destroy(s);
}

static void test_proxyshell_scanners(void **st)
{
    (void)st;
    const char *log = IIS_HDR
        /* 2: nuclei's check on a patched server */
        "2021-08-20 10:00:00 10.0.0.5 GET /autodiscover/autodiscover.json @test.com/owa/?&Email=autodiscover/autodiscover.json%3F@test.com 443 - 198.51.100.20 Mozilla/5.0 - 400 0 0 15\r\n"
        /* 3: the same check served (the hole is there) */
        "2021-08-20 10:00:01 10.0.0.5 GET /autodiscover/autodiscover.json @test.com/owa/?&Email=autodiscover/autodiscover.json%3F@test.com 443 - 198.51.100.20 Mozilla/5.0 - 302 0 0 15\r\n"
        /* 4: a scanner's agent, refused */
        "2021-08-20 10:00:02 10.0.0.5 GET /autodiscover/autodiscover.json @evil.test/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.test 443 - 198.51.100.21 Nuclei+-+Open-source+project+(github.com/projectdiscovery/nuclei) - 401 0 0 15\r\n"
        /* 5: the scanner's MAPI check that a back end served: no longer a probe */
        "2021-08-20 10:00:03 10.0.0.5 GET /autodiscover/autodiscover.json @test.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@test.com 443 - 198.51.100.20 Mozilla/5.0 - 200 0 0 15\r\n"
        /* 6: the public exploit's @foo.com, refused: an attempt, not a scanner */
        "2021-08-20 10:00:04 10.0.0.5 POST /autodiscover/autodiscover.json @foo.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@foo.com 443 - 198.51.100.22 python-requests/2.26.0 - 401 0 0 15\r\n";
    exs_scan *s = t_scan_mem(IIS_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PS-PROBE probe 198.51.100.20 2\n"
                                      "EXS-PS-PROBE probe 198.51.100.20 3\n"
                                      "EXS-PS-PROBE probe 198.51.100.21 4\n"
                                      "EXS-PS-SSRF exploitation 198.51.100.20 5\n"
                                      "EXS-PS-ATTEMPT attempt 198.51.100.22 6");
    assert_string_equal(t_rvs(s, 0), "EXS-PS-PROBE probe low");
    assert_string_equal(t_rvs(s, 1), "EXS-PS-PROBE probe medium");
    assert_string_equal(t_rvs(s, 2), "EXS-PS-PROBE probe low");
    exs_scan_destroy(s);
}

static void test_proxynotshell_apart(void **st)
{
    (void)st;
    const char *log = IIS_HDR
        /* 2: GTSC's ProxyNotShell request, with a person's credentials */
        "2022-09-29 10:00:00 10.0.0.5 GET /autodiscover/autodiscover.json @evil.test/owa/&Email=autodiscover/autodiscover.json%3f@evil.test&Protocol=XYZ&FooProtocol=Powershell 443 CONTOSO\\victim 198.51.100.8 Mozilla/5.0 - 200 0 0 15\r\n"
        /* 3: the same without credentials: ProxyShell's anonymous SSRF */
        "2022-09-29 10:00:01 10.0.0.5 GET /autodiscover/autodiscover.json @evil.test/powershell/?&Email=autodiscover/autodiscover.json%3f@evil.test 443 - 198.51.100.8 Mozilla/5.0 - 200 0 0 15\r\n"
        /* 4: ProxyNotShell refused */
        "2022-09-29 10:00:02 10.0.0.5 GET /autodiscover/autodiscover.json @evil.test/PowerShell/?&Email=autodiscover/autodiscover.json%3f@evil.test 443 CONTOSO\\victim 198.51.100.8 Mozilla/5.0 - 401 0 0 15\r\n";
    exs_scan *s = t_scan_mem(IIS_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PNS-SSRF exploitation 198.51.100.8 2\n"
                                      "EXS-PS-SSRF exploitation 198.51.100.8 3\n"
                                      "EXS-PNS-SSRF attempt 198.51.100.8 4");
    assert_string_equal(t_rvs(s, 0), "EXS-PNS-SSRF exploitation critical");
    assert_string_equal(t_rvs(s, 2), "EXS-PNS-SSRF attempt medium");
    exs_scan_destroy(s);
    /* the back end logs the front end's computer account for ProxyShell's forwarded rows:
     * that is not a person's credential */
    log = IIS_HDR
        "2022-09-29 10:00:03 10.0.0.5 GET /autodiscover/autodiscover.json @evil.test/powershell/?&Email=autodiscover/autodiscover.json%3f@evil.test 444 CONTOSO\\EXCH01$ 10.0.0.5 Mozilla/5.0 - 200 0 0 15\r\n"
        "2022-09-29 10:00:04 10.0.0.5 GET /autodiscover/autodiscover.json @evil.test/powershell/?&Email=autodiscover/autodiscover.json%3f@evil.test 444 NT+AUTHORITY\\SYSTEM 10.0.0.5 Mozilla/5.0 - 200 0 0 15\r\n";
    s = t_scan_mem("c/inetpub/logs/logfiles/w3svc2/u_ex220929.log", log, -1);
    assert_string_equal(t_summary(s), "EXS-PS-SSRF exploitation 10.0.0.5 2\n"
                                      "EXS-PS-SSRF exploitation 10.0.0.5 3");
    exs_scan_destroy(s);
}

/* An HttpProxy row: the 74 columns with the given values at their places. */
static void hp_add(char *out, size_t cap, const char *stem, const char *query, const char *status,
                   const char *target)
{
    const char *v[74] = {0};
    v[0] = "2021-08-10T10:00:00.000Z";
    v[7] = "Autodiscover";
    v[9] = stem;
    v[12] = "false";
    v[17] = "198.51.100.7";
    v[19] = status;
    v[22] = "POST";
    v[24] = target;
    v[65] = query;
    size_t o = strlen(out);
    for (int i = 0; i < 74 && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? "," : "", v[i] ? v[i] : "");
    if (o < cap)
        snprintf(out + o, cap - o, "\r\n");
}

static void test_proxyshell_httpproxy_backend(void **st)
{
    (void)st;
    static char file[16384];
    snprintf(file, sizeof file, "#Software: Microsoft Exchange Server\r\n#Log-type: HttpProxy Logs\r\n#Fields: %s\r\n",
             xs_csv_fields_httpproxy);
    /* 4: no status logged, a back end named: served */
    hp_add(file, sizeof file, "/autodiscover/autodiscover.json", "?a=x@evil.test/mapi/emsmdb/", "",
           "EXCH02.contoso.test");
    /* 5: refused by the front end, no back end */
    hp_add(file, sizeof file, "/autodiscover/autodiscover.json", "?a=x@evil.test/mapi/emsmdb/", "401", "");
    exs_scan *s = t_scan_mem("c/program files/microsoft/exchange server/v15/logging/httpproxy/autodiscover/httpproxy_2021081010-1.log",
                             file, -1);
    assert_string_equal(t_summary(s), "EXS-PS-SSRF exploitation 198.51.100.7 4\n"
                                      "EXS-PS-ATTEMPT attempt 198.51.100.7 5");
    assert_string_equal(exs_finding_fact(t_find(s, NULL, 0), "backend_server"), "EXCH02.contoso.test");
    exs_scan_destroy(s);
}

static void test_mailbox_export_actor(void **st)
{
    (void)st;
    /* the same export to a share: by an administrator from the management shell, then by the
     * computer account and SYSTEM, which no person logs on as */
    const char *log =
        "#Software: Microsoft Exchange Server\r\n#Log-type: Rps Cmdlet Logs\r\n"
        "#Fields: DateTime,StartTime,RequestId,ClientRequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ServerHostName,ProcessId,ProcessName,ThreadId,CultureInfo,Organization,AuthenticatedUser,ExecutingUserSid,EffectiveOrganization,UserServicePlan,IsAdmin,ClientApplication,Cmdlet,Parameters,ExecutionResult\r\n"
        "2021-08-11T09:00:00.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\admin,S-1-5-21-2,,,True,,New-MailboxExportRequest,\"-Mailbox \"\"bob\"\" -FilePath \"\"\\\\fs01\\pst\\bob.pst\"\"\",Success\r\n"
        "2021-08-11T09:00:01.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\EXCH01$,S-1-5-21-9,,,True,,New-MailboxExportRequest,\"-Mailbox \"\"bob\"\" -FilePath \"\"\\\\fs01\\pst\\bob.pst\"\"\",Success\r\n"
        "2021-08-11T09:00:02.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,NT AUTHORITY\\SYSTEM,S-1-5-18,,,True,,New-MailboxExportRequest,\"-Mailbox \"\"bob\"\" -FilePath \"\"\\\\fs01\\pst\\bob.pst\"\"\",Error\r\n"
        /* the role the export needs, granted by SYSTEM */
        "2021-08-11T09:00:02.500Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,NT AUTHORITY\\SYSTEM,S-1-5-18,,,True,,New-ManagementRoleAssignment,\"-Role \"\"Mailbox Import Export\"\" -User \"\"administrator\"\"\",Success\r\n"
        /* no finding, whoever ran it */
        "2021-08-11T09:00:03.000Z,,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,,CONTOSO\\EXCH01$,S-1-5-21-9,,,True,,Get-Mailbox,\"-Identity \"\"bob\"\"\",Success\r\n";
    exs_scan *s = t_scan_mem(CMD_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-CMD-MBXEXPORT suspicious - 4\n"
                                      "EXS-CMD-MBXEXPORT exploitation - 5\n"
                                      "EXS-CMD-MBXEXPORT attempt - 6\n"
                                      "EXS-CMD-ROLEASSIGN exploitation - 7");
    assert_string_equal(t_rvs(s, 0), "EXS-CMD-MBXEXPORT suspicious low");
    assert_string_equal(t_rvs(s, 1), "EXS-CMD-MBXEXPORT exploitation high");
    assert_string_equal(t_rvs(s, 2), "EXS-CMD-MBXEXPORT attempt high");
    assert_string_equal(t_find(s, NULL, 1)->reason, "mailbox exported to a share by the computer account");
    assert_string_equal(t_rvs(s, 3), "EXS-CMD-ROLEASSIGN exploitation high");
    exs_scan_destroy(s);
}

static void test_proxyshell_email_cookie(void **st)
{
    (void)st;
    /* a server that logs cs(Cookie): the Email cookie of Metasploit's module names the
     * confusion even where the query holds no mailbox */
    const char *log =
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
        "cs(User-Agent) cs(Cookie) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
        /* 2: the cookie alone, the target after the query mark, served */
        "2021-08-10 10:00:00 10.0.0.5 POST /autodiscover/autodiscover.json /mapi/emsmdb/ 443 - 198.51.100.7 Mozilla/5.0 Email=Autodiscover/autodiscover.json%3Fa%3Dx@evil.test - 200 0 0 15\r\n"
        /* 3: a= and the cookie, refused */
        "2021-08-10 10:00:01 10.0.0.5 POST /autodiscover/autodiscover.json a=x@evil.test/mapi/emsmdb/ 443 - 198.51.100.7 Mozilla/5.0 Email=Autodiscover/autodiscover.json?a=x@evil.test - 401 0 0 15\r\n"
        /* 4-5 benign: the same query without the cookie, Outlook's own cookies */
        "2021-08-10 10:00:02 10.0.0.5 POST /autodiscover/autodiscover.json /mapi/emsmdb/ 443 - 198.51.100.7 Mozilla/5.0 - - 404 0 0 15\r\n"
        "2021-08-10 10:00:03 10.0.0.5 GET /autodiscover/autodiscover.json Email=u%40contoso.test&Protocol=EWS 443 - 10.2.0.8 Microsoft+Office/16.0 X-BackEndCookie=S-1-5-21-1=u0 - 200 0 0 4\r\n";
    exs_scan *s = t_scan_mem(IIS_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-PS-SSRF exploitation 198.51.100.7 2\n"
                                      "EXS-PS-ATTEMPT attempt 198.51.100.7 3");
    assert_string_equal(t_rvs(s, 0), "EXS-PS-SSRF exploitation critical");
    assert_string_equal(exs_finding_fact(t_find(s, NULL, 0), "ssrf_path"), "/mapi/emsmdb/");
    exs_scan_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proxyshell_iis),
        cmocka_unit_test(test_proxyshell_backend_user),
        cmocka_unit_test(test_owassrf_backend),
        cmocka_unit_test(test_rps_http),
        cmocka_unit_test(test_cmdlets),
        cmocka_unit_test(test_proxyshell_mailbox_in_query),
        cmocka_unit_test(test_proxyshell_scanners),
        cmocka_unit_test(test_proxynotshell_apart),
        cmocka_unit_test(test_proxyshell_httpproxy_backend),
        cmocka_unit_test(test_mailbox_export_actor),
        cmocka_unit_test(test_proxyshell_email_cookie),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
