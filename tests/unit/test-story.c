/* The intrusion story (lib/report/story.c) and the stage of each rule (lib/detectors/stages.c):
 * exact steps, actors, accounts and mailboxes over a ProxyShell intrusion, nothing over benign
 * traffic, and the caps. */
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
#include "report/story.h"

#define IIS_PLACE "c/inetpub/logs/logfiles/w3svc1/u_ex210810.log"
#define IIS_HDR                                                                                    \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "         \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
#define RPS_PLACE                                                                                  \
    "c/program files/microsoft/exchange server/v15/logging/cmdletinfra/powershell-proxy/http/"    \
    "rps_http_2021081010-1.log"
#define CMD_PLACE                                                                                  \
    "c/program files/microsoft/exchange server/v15/logging/cmdletinfra/powershell-proxy/cmdlet/"  \
    "rps_cmdlet_2021081010-1.log"
#define CMD_HDR                                                                                    \
    "#Software: Microsoft Exchange Server\r\n#Log-type: Rps Cmdlet Logs\r\n"                      \
    "#Fields: DateTime,StartTime,RequestId,ClientRequestId,MajorVersion,MinorVersion,"            \
    "BuildVersion,RevisionVersion,ServerHostName,ProcessId,ProcessName,ThreadId,CultureInfo,"     \
    "Organization,AuthenticatedUser,ExecutingUserSid,EffectiveOrganization,UserServicePlan,"      \
    "IsAdmin,ClientApplication,Cmdlet,Parameters,ExecutionResult\r\n"
#define CMD_ROW(t, user, cmdlet, params)                                                           \
    t ",,r,,15,1,1713,1,EXCH01,1,w3wp#MSExchangePowerShellAppPool,1,,," user                      \
      ",S-1-5-21-1,,,True,," cmdlet ",\"" params "\",Success\r\n"
#define RPS_HDR                                                                                    \
    "#Software: Microsoft Exchange Server\r\n#Log-type: Rps Http Logs\r\n"                        \
    "#Fields: DateTime,StartTime,RequestId,MajorVersion,MinorVersion,BuildVersion,"               \
    "RevisionVersion,ClientRequestId,UrlHost,UrlStem,AuthenticationType,IsAuthenticated,"         \
    "AuthenticatedUser,Organization,ManagedOrganization,ClientIpAddress,ServerHostName,"          \
    "FrontEndServer,HttpStatus,SubStatus,ErrorCode,Action,CommandId,CommandName,SessionId,"       \
    "ShellId,FailFast,ContributeToFailFast,RequestBytes,ClientInfo,CPU,Memory,"                   \
    "ActivityContextLifeTime,TotalTime,UrlQuery,GenericLatency,GenericInfo,GenericErrors\r\n"

static const char *IIS_LOG =
    IIS_HDR
    /* a scanner first: a probe, not an actor's step past recon */
    "2021-08-10 09:00:00 10.0.0.5 GET /autodiscover/autodiscover.json "
    "@evil.test/owa/?&Email=autodiscover/autodiscover.json%3F@evil.test 443 - 192.0.2.50 "
    "Mozilla/5.0+zgrab/0.x - 302 0 0 15\r\n"
    /* ProxyShell from 198.51.100.7 */
    "2021-08-10 10:00:00 10.0.0.5 POST /autodiscover/autodiscover.json "
    "@evil.test/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.test 443 - "
    "198.51.100.7 python-requests/2.26.0 - 200 0 0 15\r\n"
    "2021-08-10 10:00:02 10.0.0.5 POST /autodiscover/autodiscover.json "
    "a=x@evil.test/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dz&Email=autodiscover/"
    "autodiscover.json%3F@evil.test 443 - 198.51.100.7 python-requests/2.26.0 - 200 0 0 15\r\n"
    /* benign traffic: nobody's story */
    "2021-08-10 10:05:00 10.0.0.5 GET /owa/ - 443 CONTOSO\\alice 10.2.0.8 Mozilla/5.0 - 200 0 0 4\r\n";

static const char *RPS_LOG =
    RPS_HDR "2021-08-10T10:00:05.000Z,,r1,15,1,1713,1,,exch01.contoso.test,/Powershell,Kerberos,"
            "true,CONTOSO\\administrator,,,198.51.100.7,EXCH01,EXCH01,200,0,,Receive,,,,,,,,"
            "Python PSRP Client,,,,,?X-Rps-CAT=VgEAVAdXaW5kb3dz&Email=autodiscover/"
            "autodiscover.json%3F@evil.test,,S:ServiceCommonMetadata.HttpMethod=POST,\r\n";

static const char *CMD_LOG =
    CMD_HDR
    CMD_ROW("2021-08-10T10:01:00.000Z", "CONTOSO\\administrator", "New-ManagementRoleAssignment",
            "-Role \"\"Mailbox Import Export\"\" -User \"\"administrator\"\"")
    CMD_ROW("2021-08-10T10:01:05.000Z", "CONTOSO\\administrator", "New-MailboxExportRequest",
            "-Mailbox \"\"Bob@Contoso.test\"\" -FilePath "
            "\"\"\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\s.aspx\"\"")
    CMD_ROW("2021-08-10T10:01:30.000Z", "CONTOSO\\administrator", "Remove-MailboxExportRequest",
            "-Identity \"\"x\"\" -Confirm \"\"False\"\"");

static exs_scan *sweep(void)
{
    const char *places[] = {IIS_PLACE, RPS_PLACE, CMD_PLACE, NULL};
    const char *texts[] = {IIS_LOG, RPS_LOG, CMD_LOG, NULL};
    return t_scan_many(places, texts);
}

/* The text summary of a sweep (malloc'd). */
static char *summary(const exs_scan *s)
{
    char *t = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&t, &len);
    assert_non_null(m);
    exs_report_opts o = EXS_REPORT_OPTS_INIT;
    assert_int_equal(exs_report_write(exs_scan_results(s), m, &o), EXS_OK);
    fclose(m);
    return t;
}

/* Every line of t within 100 columns (code points). */
static void assert_fits(const char *t)
{
    for (const char *l = t; l && *l;) {
        const char *e = strchr(l, '\n');
        size_t cols = 0;
        for (const char *q = l; q < (e ? e : l + strlen(l)); q++)
            cols += ((unsigned char)*q & 0xC0) != 0x80;
        if (cols > 100)
            fail_msg("a line of %zu columns: %.*s", cols, (int)(e ? e - l : 100), l);
        l = e ? e + 1 : NULL;
    }
}

static void test_stages(void **st)
{
    (void)st;
    size_t n;
    const exs_rule *r = exs_rules(&n);
    assert_true(n > 90);
    /* every shipped rule has its place, by hand: only the indicator list's stays apart */
    for (size_t i = 0; i < n; i++) {
        exs_stage s = exs_rule_stage(&r[i]);
        if (strcmp(r[i].id, "EXS-IOC-NET") == 0)
            assert_int_equal(s, EXS_STAGE_OTHER);
        else if (s == EXS_STAGE_OTHER)
            fail_msg("%s has no stage", r[i].id);
    }
    assert_int_equal(exs_rule_stage(exs_rule_find("EXS-PS-RPS")), EXS_STAGE_EXPLOIT);
    assert_int_equal(exs_rule_stage(exs_rule_find("EXS-CMD-MBXEXPORT")), EXS_STAGE_WRITE);
    assert_int_equal(exs_rule_stage(exs_rule_find("EXS-WS-CMD")), EXS_STAGE_USE);
    assert_int_equal(exs_rule_stage(exs_rule_find("EXS-EV-LSASS-DUMP")), EXS_STAGE_POST);
    assert_int_equal(exs_rule_stage(exs_rule_find("EXS-EV-LOG-CLEARED")), EXS_STAGE_CLEANUP);
    assert_int_equal(exs_rule_stage(exs_rule_find("EXS-FILE-MSERT")), EXS_STAGE_RESPONSE);
    /* a rule this version does not know: its techniques, in order, else none */
    exs_rule u = {"USER-1", "x", "", "User", "", "T1070.001,T1190", false};
    assert_int_equal(exs_rule_stage(&u), EXS_STAGE_CLEANUP);
    u.techniques = "T10700,T1505.003";
    assert_int_equal(exs_rule_stage(&u), EXS_STAGE_WRITE);
    u.techniques = "T9999";
    assert_int_equal(exs_rule_stage(&u), EXS_STAGE_OTHER);
    u.techniques = "";
    assert_int_equal(exs_rule_stage(&u), EXS_STAGE_OTHER);
    assert_int_equal(exs_rule_stage(NULL), EXS_STAGE_OTHER);
    /* a probe is reconnaissance whatever its rule */
    exs_finding f = {.rule = exs_rule_find("EXS-PS-SSRF"), .verdict = EXS_VERDICT_PROBE};
    assert_int_equal(exs_finding_stage(&f), EXS_STAGE_RECON);
    f.verdict = EXS_VERDICT_ATTEMPT;
    assert_int_equal(exs_finding_stage(&f), EXS_STAGE_EXPLOIT);
    assert_string_equal(exs_stage_name(EXS_STAGE_POST), "post");
    assert_string_equal(exs_stage_title(EXS_STAGE_WRITE), "backdoor written");
    assert_string_equal(exs_stage_name((exs_stage)99), "other");
}

static void test_story(void **st)
{
    (void)st;
    exs_scan *s = sweep();
    assert_string_equal(t_summary(s), "EXS-PS-PROBE probe 192.0.2.50 2\n"
                                      "EXS-PS-SSRF exploitation 198.51.100.7 3\n"
                                      "EXS-PS-SSRF exploitation 198.51.100.7 4\n"
                                      "EXS-PS-RPS exploitation 198.51.100.7 4\n"
                                      "EXS-CMD-ROLEASSIGN suspicious - 4\n"
                                      "EXS-CMD-MBXEXPORT exploitation - 5\n"
                                      "EXS-CMD-MBXEXPORT-RM suspicious - 6");
    xs_story y;
    assert_true(xs_story_build(exs_scan_results(s), &y));
    assert_int_equal(y.nroots, 1);
    const xs_story_step *c = y.steps[0];
    assert_int_equal(c[EXS_STAGE_RECON].n, 1);
    assert_int_equal(c[EXS_STAGE_EXPLOIT].n, 3);
    assert_string_equal(c[EXS_STAGE_EXPLOIT].first->rule->id, "EXS-PS-SSRF");
    assert_int_equal(c[EXS_STAGE_EXPLOIT].worst, EXS_VERDICT_EXPLOITATION);
    assert_int_equal(c[EXS_STAGE_WRITE].n, 1);
    assert_string_equal(c[EXS_STAGE_WRITE].first->rule->id, "EXS-CMD-MBXEXPORT");
    assert_int_equal(c[EXS_STAGE_POST].n, 1);
    assert_int_equal(c[EXS_STAGE_CLEANUP].n, 1);
    assert_int_equal(c[EXS_STAGE_USE].n, 0);
    assert_int_equal(c[EXS_STAGE_RESPONSE].n, 0);
    /* actors: the scanner and the intruder, not the benign client */
    assert_int_equal(y.nactors, 2);
    assert_null(xs_story_actor_of(&y, "10.2.0.8"));
    const xs_story_actor *a = xs_story_actor_of(&y, "198.51.100.7");
    assert_non_null(a);
    assert_int_equal(a->n, 3);
    assert_int_equal(a->nkinds, 2);
    assert_string_equal(a->kinds[0].key, "iis");
    assert_int_equal(a->kinds[0].n, 2);
    assert_string_equal(a->kinds[1].key, "rps_http");
    assert_int_equal(a->nagents, 2);
    assert_string_equal(a->agents[0].key, "python-requests/2.26.0");
    assert_string_equal(a->agents[1].key, "Python PSRP Client");
    assert_int_equal(a->naccounts, 1);
    assert_string_equal(a->accounts[0], "CONTOSO\\administrator");
    /* the cmdlets run as its account are its own: every step past the exploit */
    assert_int_equal(a->cmdlets, 3);
    assert_int_equal(a->steps, (1u << EXS_STAGE_EXPLOIT) | (1u << EXS_STAGE_WRITE) |
                                   (1u << EXS_STAGE_POST) | (1u << EXS_STAGE_CLEANUP));
    const xs_story_actor *p = xs_story_actor_of(&y, "192.0.2.50");
    assert_non_null(p);
    assert_int_equal(p->steps, 1u << EXS_STAGE_RECON);
    assert_int_equal(p->cmdlets, 0);
    /* one account (three spellings), given a role; one mailbox, exported */
    assert_int_equal(y.naccounts, 1);
    assert_string_equal(y.accounts[0].name, "CONTOSO\\administrator");
    assert_int_equal(y.accounts[0].how, XS_TOUCH_HTTP | XS_TOUCH_CMDLET | XS_TOUCH_ROLE);
    assert_int_equal(y.accounts[0].n, 5);
    assert_int_equal(y.nmailboxes, 1);
    assert_string_equal(y.mailboxes[0].name, "Bob@Contoso.test");
    assert_int_equal(y.mailboxes[0].how, XS_TOUCH_EXPORT);
    /* the summary prints them, every line within 100 columns */
    char *t = summary(s);
    assert_non_null(strstr(t, "\nHow it happened (UTC; the steps of an intrusion, each from its "
                              "first finding)\n"
                              "  probed             2021-08-10 09:00:00"));
    assert_non_null(strstr(t, "  backdoor written   2021-08-10 10:01:05                        "
                              "    1 finding, worst exploitation\n"
                              "      first  EXS-CMD-MBXEXPORT Mailbox exported to a web path or "
                              "share\n"
                              "             New-MailboxExportRequest -Mailbox \"Bob@Contoso.test\" "
                              "-FilePath\n"
                              "             \"\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\"
                              "s.aspx\"\n"));
    assert_non_null(strstr(t, "  not seen           backdoor used, response (in the evidence "
                              "read)\n"));
    assert_non_null(strstr(t, "\n  accounts   CONTOSO\\administrator  5 findings, first "
                              "2021-08-10 10:00:05\n"
                              "               web requests ran as it, cmdlets ran as it, given a "
                              "role or permission\n"
                              "  mailboxes  Bob@Contoso.test  1 finding, first 2021-08-10 10:01:05\n"
                              "               exported\n"));
    assert_non_null(strstr(t, "      steps    exploited, backdoor written, post-exploitation, "
                              "clean-up\n"
                              "      logs     iis 2, rps_http 1; 3 cmdlets as "
                              "CONTOSO\\administrator\n"
                              "      agents   python-requests/2.26.0 (2); Python PSRP Client (1)\n"
                              "      as       CONTOSO\\administrator\n"));
    assert_fits(t);
    free(t);
    xs_story_free(&y);
    exs_scan_destroy(s);
}

/* An account two actors used ties its cmdlets to neither. */
static void test_shared_account(void **st)
{
    (void)st;
    char *iis = malloc(8192);
    assert_non_null(iis);
    snprintf(iis, 8192, "%s%s", IIS_HDR,
             "2021-08-10 10:00:02 10.0.0.5 POST /autodiscover/autodiscover.json "
             "a=x@evil.test/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dz&Email=autodiscover/"
             "autodiscover.json%3F@evil.test 443 CONTOSO\\administrator 198.51.100.7 a - 200 0 0 15\r\n"
             "2021-08-10 10:00:03 10.0.0.5 POST /autodiscover/autodiscover.json "
             "a=x@evil.test/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dz&Email=autodiscover/"
             "autodiscover.json%3F@evil.test 443 administrator@contoso.test 198.51.100.8 b - 200 0 "
             "0 15\r\n");
    const char *places[] = {IIS_PLACE, CMD_PLACE, NULL};
    const char *texts[] = {iis, CMD_LOG, NULL};
    exs_scan *s = t_scan_many(places, texts);
    xs_story y;
    assert_true(xs_story_build(exs_scan_results(s), &y));
    assert_int_equal(y.nactors, 2);
    assert_int_equal(xs_story_actor_of(&y, "198.51.100.7")->cmdlets, 0);
    assert_int_equal(xs_story_actor_of(&y, "198.51.100.8")->cmdlets, 0);
    xs_story_free(&y);
    exs_scan_destroy(s);
    free(iis);
}

static void test_benign(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem(IIS_PLACE,
                             IIS_HDR "2021-08-10 10:05:00 10.0.0.5 GET /owa/ - 443 CONTOSO\\alice "
                                     "10.2.0.8 Mozilla/5.0 - 200 0 0 4\r\n",
                             -1);
    assert_string_equal(t_summary(s), "");
    xs_story y;
    assert_true(xs_story_build(exs_scan_results(s), &y));
    assert_int_equal(y.nactors, 0);
    assert_int_equal(y.naccounts, 0);
    assert_int_equal(y.nmailboxes, 0);
    for (int k = 0; k < EXS_STAGE__N; k++)
        assert_int_equal(y.steps[0][k].n, 0);
    char *t = summary(s);
    assert_null(strstr(t, "How it happened"));
    assert_null(strstr(t, "Accounts and mailboxes"));
    free(t);
    xs_story_free(&y);
    exs_scan_destroy(s);
}

/* Past XS_STORY_MAX_ACTORS addresses, the details go to the ones the reports list first (worst
 * verdict, most findings): thousands of scanners first in time do not take the intruder's. */
static void test_actor_cap(void **st)
{
    (void)st;
    size_t n = XS_STORY_MAX_ACTORS + 4, cap = n * 200 + 4096;
    char *log = malloc(cap);
    assert_non_null(log);
    size_t at = (size_t)snprintf(log, cap, "%s", IIS_HDR);
    for (size_t i = 0; i < n; i++) /* a scanner each: a request to a shell name, not found */
        at += (size_t)snprintf(log + at, cap - at,
                               "2021-03-03 10:00:00 10.0.0.5 GET /aspnet_client/x.aspx - 443 - "
                               "10.%zu.%zu.%zu x - 404 0 0 1\r\n",
                               1 + ((i >> 16) & 127), (i >> 8) & 255, i & 255);
    at += (size_t)snprintf(log + at, cap - at,
                           "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami 443 "
                           "- 198.51.100.7 x - 200 0 0 1\r\n");
    exs_scan *s = t_scan_mem("c/inetpub/logs/logfiles/w3svc1/u_ex210303.log", log, -1);
    xs_story y;
    assert_true(xs_story_build(exs_scan_results(s), &y));
    assert_int_equal(y.nactors, XS_STORY_MAX_ACTORS);
    assert_int_equal(y.actors_more, 5); /* n + 1 addresses, the cap detailed */
    const xs_story_actor *a = xs_story_actor_of(&y, "198.51.100.7");
    assert_non_null(a);
    assert_int_equal(a->worst, EXS_VERDICT_EXPLOITATION);
    assert_int_equal(a->steps, 1u << EXS_STAGE_USE);
    xs_story_free(&y);
    exs_scan_destroy(s);
    free(log);
}

/* A cmdlet's parameters are read as tokens: a "-User" inside a quoted value is text; an
 * unterminated quote or a variable names nobody. */
static void test_params(void **st)
{
    (void)st;
    const char *log =
        CMD_HDR
        CMD_ROW("2021-08-10T10:01:00.000Z", "CONTOSO\\admin", "New-ManagementRoleAssignment",
                "-Role \"\"Mailbox Import Export\"\" -Name '-User evil' -User carol")
        CMD_ROW("2021-08-10T10:01:01.000Z", "CONTOSO\\admin", "New-MailboxExportRequest",
                "-Mailbox $mbx -FilePath \"\"\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\s.aspx\"\"")
        CMD_ROW("2021-08-10T10:01:02.000Z", "CONTOSO\\admin", "New-MailboxExportRequest",
                "-Mailbox 'ceo -Mailbox evil' -FilePath \"\"\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\t.aspx\"\"")
        CMD_ROW("2021-08-10T10:01:03.000Z", "CONTOSO\\admin", "New-ManagementRoleAssignment",
                "-Role \"\"Mailbox Import Export\"\" -User \"\"unterminated");
    exs_scan *s = t_scan_mem(CMD_PLACE, log, -1);
    assert_string_equal(t_summary(s), "EXS-CMD-ROLEASSIGN suspicious - 4\n"
                                      "EXS-CMD-MBXEXPORT exploitation - 5\n"
                                      "EXS-CMD-MBXEXPORT exploitation - 6\n"
                                      "EXS-CMD-ROLEASSIGN suspicious - 7");
    xs_story y;
    assert_true(xs_story_build(exs_scan_results(s), &y));
    assert_int_equal(y.nmailboxes, 1);
    assert_string_equal(y.mailboxes[0].name, "ceo -Mailbox evil");
    assert_int_equal(y.mailboxes[0].how, XS_TOUCH_EXPORT);
    assert_int_equal(y.naccounts, 2);
    for (size_t i = 0; i < y.naccounts; i++) {
        if (strcmp(y.accounts[i].name, "carol") == 0)
            assert_int_equal(y.accounts[i].how, XS_TOUCH_ROLE);
        else
            assert_string_equal(y.accounts[i].name, "CONTOSO\\admin");
    }
    xs_story_free(&y);
    exs_scan_destroy(s);
}

/* The caps of the lists: past XS_STORY_MAX_NAMES accounts the findings naming others are
 * counted; an actor keeps XS_STORY_ACCOUNTS accounts and XS_STORY_AGENTS agents and counts
 * the findings of the others. Every line of the summary still fits 100 columns with long
 * names and agents. */
static void test_list_caps(void **st)
{
    (void)st;
    size_t n = XS_STORY_MAX_NAMES + 2, cap = n * 400 + 8192;
    char *log = malloc(cap);
    assert_non_null(log);
    size_t at = (size_t)snprintf(log, cap, "%s", IIS_HDR);
    for (size_t i = 0; i < n; i++) /* one shell command each: WS-ACCESS and WS-CMD */
        at += (size_t)snprintf(log + at, cap - at,
                               "2021-03-03 11:00:%02zu 10.0.0.5 GET /aspnet_client/x.aspx "
                               "cmd=whoami 443 CONTOSO\\user%zu 198.51.100.7 agent-%zu%s - 200 0 0 "
                               "1\r\n",
                               i % 60, i, i % 6,
                               i == 0 ? "-with-a-very-long-name-that-goes-on-and-on-past-the-"
                                        "width-of-the-summary-and-further-still-than-any-real-"
                                        "client-would-write"
                                      : "");
    exs_scan *s = t_scan_mem("c/inetpub/logs/logfiles/w3svc1/u_ex210303.log", log, -1);
    xs_story y;
    assert_true(xs_story_build(exs_scan_results(s), &y));
    assert_int_equal(y.naccounts, XS_STORY_MAX_NAMES);
    assert_int_equal(y.accounts_more, 4); /* two accounts past the cap, two findings each */
    const xs_story_actor *a = xs_story_actor_of(&y, "198.51.100.7");
    assert_non_null(a);
    assert_int_equal(a->naccounts, XS_STORY_ACCOUNTS);
    assert_int_equal(a->accounts_more, 2 * (n - XS_STORY_ACCOUNTS));
    assert_int_equal(a->nagents, XS_STORY_AGENTS);
    size_t kept = 0;
    for (size_t i = 0; i < a->nagents; i++)
        kept += a->agents[i].n;
    assert_int_equal(kept + a->agents_more, 2 * n);
    char *t = summary(s);
    assert_non_null(strstr(t, " ... and 988 more accounts (-f jsonl: user.name, exsweep.cmdlet.*)\n"));
    assert_non_null(strstr(t, " (4 findings name accounts past the 1000 kept: in the totals only)\n"));
    assert_fits(t);
    free(t);
    xs_story_free(&y);
    exs_scan_destroy(s);
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stages),         cmocka_unit_test(test_story),
        cmocka_unit_test(test_shared_account), cmocka_unit_test(test_benign),
        cmocka_unit_test(test_actor_cap),      cmocka_unit_test(test_params),
        cmocka_unit_test(test_list_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
