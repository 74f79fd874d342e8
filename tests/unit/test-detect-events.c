/* Event detectors on reader-independent events: process trees, LSASS dumps (and the notepad
 * MiniDump that is not one), Sysmon 3/8/10/11, UM, cmdlets, Defender, PowerShell, Security. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "detectors/detect.h"
#include "memscan.h"
#include "report/render.h"
#include "scan/scan_int.h"

#define MAXF 16

typedef struct ev {
    xs_event e;
    xs_event_field f[MAXF];
} ev;

/* ev_make(&x, provider, id, level, record, "Name=value", ..., NULL); unnamed values: "=value" */
static void ev_make(ev *x, const char *provider, uint32_t id, uint8_t level, uint64_t record, ...)
{
    memset(x, 0, sizeof *x);
    x->e.provider = xs_str_cstr(provider);
    x->e.channel = xs_str_cstr(strncmp(provider, "Microsoft-Windows-Security", 26) == 0 ? "Security" : "");
    x->e.event_id = id;
    x->e.level = level;
    x->e.record = record;
    x->e.time_ms = 1614754182000LL + (int64_t)record * 1000;
    x->e.computer = XS_LIT("EXCH01");
    va_list ap;
    va_start(ap, record);
    const char *kv;
    size_t n = 0;
    while ((kv = va_arg(ap, const char *)) && n < MAXF) {
        const char *eq = strchr(kv, '=');
        x->f[n].name = xs_str_make(kv, (size_t)(eq - kv));
        x->f[n].value = xs_str_cstr(eq + 1);
        n++;
    }
    va_end(ap);
    x->e.fields = x->f;
    x->e.nfields = n;
    x->e.text = n ? x->f[0].value : XS_LIT("");
}

static exs_scan *run(ev *const *evs, size_t n)
{
    exs_scan *s = t_scan_prepared();
    xs_ctx c;
    memset(&c, 0, sizeof c);
    c.scan = s;
    c.file = "C/Windows/System32/winevt/Logs/test.evtx";
    c.source = "evtx";
    xs_event_state st;
    memset(&st, 0, sizeof st);
    for (size_t i = 0; i < n; i++)
        xs_detect_event(&c, &st, &evs[i]->e);
    xs_detect_events_end(&c, &st);
    xs_ctx_release(&c);
    xs_scan_finish(s);
    return s;
}

static void test_webshell_children(void **st)
{
    (void)st;
    ev a, b, d, f;
    ev_make(&a, "Microsoft-Windows-Sysmon", 1, 4, 1, "Image=C:\\Windows\\System32\\cmd.exe",
            "CommandLine=\"c:\\windows\\system32\\cmd.exe\" /c net user",
            "ParentImage=C:\\Windows\\System32\\inetsrv\\w3wp.exe", "User=IIS APPPOOL\\DefaultAppPool", NULL);
    ev_make(&b, "Microsoft-Windows-Sysmon", 1, 4, 2, "Image=C:\\Windows\\System32\\notepad.exe",
            "CommandLine=notepad.exe", "ParentImage=c:\\windows\\system32\\inetsrv\\W3WP.EXE", NULL);
    /* the benign compile step, and an unrelated parent */
    ev_make(&d, "Microsoft-Windows-Sysmon", 1, 4, 3,
            "Image=C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe",
            "CommandLine=csc.exe /noconfig", "ParentImage=C:\\Windows\\System32\\inetsrv\\w3wp.exe", NULL);
    ev_make(&f, "Microsoft-Windows-Security-Auditing", 4688, 0, 4,
            "NewProcessName=C:\\Windows\\System32\\cmd.exe",
            "CommandLine=cmd /c cd /d \"C:\\inetpub\\wwwroot\\aspnet_client\"&whoami&echo [S]&cd&echo [E]",
            "ParentProcessName=C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMWorkerProcess.exe",
            "SubjectUserName=EXCH01$", NULL);
    ev *evs[] = {&a, &b, &d, &f};
    exs_scan *s = run(evs, 4);
    assert_string_equal(t_summary(s), "EXS-EV-W3WP-CHILD exploitation - 1\n"
                                      "EXS-EV-W3WP-CHILD exploitation - 2\n"
                                      "EXS-EV-CHOPPER exploitation - 4\n"
                                      "EXS-EV-W3WP-CHILD exploitation - 4");
    const exs_finding *w = t_find(s, NULL, 1);
    assert_string_equal(w->reason, "the IIS worker started a process");
    assert_string_equal(xs_render_base(w->process->parent_executable), "W3WP.EXE");
    assert_string_equal(xs_render_base(w->process->executable), "notepad.exe");
    assert_string_equal(t_find(s, NULL, 0)->process->user, "IIS APPPOOL\\DefaultAppPool");
    /* the event group: provider, id; the origin: the record */
    assert_int_equal(w->event->id, 1);
    assert_int_equal(w->origin.record, 2);
    assert_string_equal(t_find(s, "EXS-EV-W3WP-CHILD", 2)->reason, "the UM worker started a process");
    exs_scan_destroy(s);
}

static void test_lsass_dumps(void **st)
{
    (void)st;
    ev a, b, c1, d, e1, g, h;
    /* comsvcs MiniDump of a process that is notepad: not an LSASS dump */
    ev_make(&a, "Microsoft-Windows-Sysmon", 1, 4, 1, "Image=C:\\Windows\\System32\\rundll32.exe",
            "CommandLine=rundll32 C:\\windows\\system32\\comsvcs.dll, MiniDump 4868 C:\\Windows\\System32\\notepad.bin full",
            "ParentImage=C:\\Windows\\System32\\cmd.exe", NULL);
    /* comsvcs MiniDump of PID 512, which a later Sysmon 10 shows to be lsass */
    ev_make(&b, "Microsoft-Windows-Sysmon", 1, 4, 2, "Image=C:\\Windows\\System32\\rundll32.exe",
            "CommandLine=rundll32 C:\\Windows\\System32\\comsvcs.dll MiniDump 512 \\Windows\\Temp\\76nivOxA.dmp full",
            "ParentImage=C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", NULL);
    ev_make(&c1, "Microsoft-Windows-Sysmon", 10, 4, 3, "SourceImage=C:\\Windows\\System32\\rundll32.exe",
            "TargetImage=C:\\Windows\\system32\\lsass.exe", "TargetProcessId=512", "GrantedAccess=0x1fffff", NULL);
    /* benign lsass readers */
    ev_make(&d, "Microsoft-Windows-Sysmon", 10, 4, 4,
            "SourceImage=C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\MsMpEng.exe",
            "TargetImage=C:\\Windows\\system32\\lsass.exe", "TargetProcessId=512", "GrantedAccess=0x1fffff", NULL);
    ev_make(&e1, "Microsoft-Windows-Sysmon", 10, 4, 5, "SourceImage=C:\\Windows\\system32\\svchost.exe",
            "TargetImage=C:\\Windows\\system32\\lsass.exe", "TargetProcessId=512", "GrantedAccess=0x1000", NULL);
    /* Task Manager writes lsass (4).DMP; procdump names lsass */
    ev_make(&g, "Microsoft-Windows-Sysmon", 11, 4, 6, "Image=C:\\Windows\\system32\\taskmgr.exe",
            "TargetFilename=C:\\Users\\admmig\\AppData\\Local\\Temp\\lsass (4).DMP", NULL);
    ev_make(&h, "Microsoft-Windows-Security-Auditing", 4688, 0, 7, "NewProcessName=C:\\t\\procdump64.exe",
            "CommandLine=procdump64.exe -accepteula -ma lsass.exe C:\\windows\\temp\\lsass.dmp", NULL);
    ev *evs[] = {&a, &b, &c1, &d, &e1, &g, &h};
    exs_scan *s = run(evs, 7);
    assert_string_equal(t_summary(s), "EXS-EV-PROC-DUMP suspicious - 1\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 2\n"
                                      "EXS-EV-LSASS-ACCESS exploitation - 3\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 6\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 7");
    const exs_finding *pd = t_find(s, "EXS-EV-PROC-DUMP", 0);
    assert_string_equal(exs_finding_fact(pd, "dump_pid"), "4868");
    assert_string_equal(pd->reason, "a memory dump; its target is not identified as lsass");
    const exs_finding *ld = t_find(s, "EXS-EV-LSASS-DUMP", 0);
    assert_string_equal(exs_finding_fact(ld, "dump_pid"), "512");
    assert_string_equal(ld->reason, "a dump of a process this log shows to be lsass.exe");
    exs_scan_destroy(s);
}

/* A dump held until the end of the log (its target not known yet) keeps what a finding keeps
 * (XS_MAX_FINDING_FIELD of the command line, XS_MAX_FINDING_NAME of the computer and user),
 * as a dump reported at once does: nothing cut at the holding buffers. */
static void test_held_dump_fields(void **st)
{
    (void)st;
    enum { CMD = XS_MAX_FINDING_FIELD + 100, HOST = XS_MAX_FINDING_NAME + 50 };
    static char cmd[CMD + 32], host[HOST + 1], user[HOST + 16], exact[1200];
    snprintf(cmd, sizeof cmd, "CommandLine=rundll32 comsvcs.dll MiniDump 4868 ");
    size_t o = strlen(cmd);
    for (size_t i = 0; o < CMD + 12; i++)
        cmd[o++] = (char)('a' + i % 26);
    memset(host, 'H', HOST);
    snprintf(user, sizeof user, "User=");
    memset(user + 5, 'u', HOST);
    /* one long (cut at the finding's caps), one of 1,000 bytes (kept whole: the holding buffer
     * was 480 bytes, the computer's 96) */
    snprintf(exact, sizeof exact, "CommandLine=rundll32 comsvcs.dll MiniDump 4869 ");
    for (o = strlen(exact); o < 12 + 1000; o++)
        exact[o] = 'x';
    exact[o] = 0;
    ev a, b, c1;
    ev_make(&a, "Microsoft-Windows-Sysmon", 1, 4, 1, "Image=C:\\Windows\\System32\\rundll32.exe",
            cmd, user, NULL);
    a.e.computer = xs_str_make(host, HOST);
    ev_make(&b, "Microsoft-Windows-Sysmon", 1, 4, 2, "Image=C:\\Windows\\System32\\rundll32.exe",
            exact, NULL);
    b.e.computer = xs_str_make(host, 200);
    /* benign: a short one is as it was */
    ev_make(&c1, "Microsoft-Windows-Sysmon", 1, 4, 3, "Image=C:\\Windows\\System32\\rundll32.exe",
            "CommandLine=rundll32 comsvcs.dll MiniDump 4870 x.dmp full", NULL);
    ev *evs[] = {&a, &b, &c1};
    exs_scan *s = run(evs, 3);
    assert_string_equal(t_summary(s), "EXS-EV-PROC-DUMP suspicious - 1\n"
                                      "EXS-EV-PROC-DUMP suspicious - 2\n"
                                      "EXS-EV-PROC-DUMP suspicious - 3");
    const exs_finding *f = t_find(s, "EXS-EV-PROC-DUMP", 0);
    assert_int_equal(strlen(f->process->command_line), XS_MAX_FINDING_FIELD);
    assert_memory_equal(f->process->command_line, cmd + 12, XS_MAX_FINDING_FIELD);
    assert_int_equal(strlen(f->event->computer), XS_MAX_FINDING_NAME);
    assert_int_equal(strlen(f->process->user), XS_MAX_FINDING_NAME);
    assert_int_equal(strlen(f->evidence), XS_MAX_EVIDENCE);
    f = t_find(s, "EXS-EV-PROC-DUMP", 1);
    assert_int_equal(strlen(exact + 12), 1000);
    assert_string_equal(f->process->command_line, exact + 12);
    assert_int_equal(strlen(f->event->computer), 200);
    assert_memory_equal(f->event->computer, host, 200);
    f = t_find(s, "EXS-EV-PROC-DUMP", 2);
    assert_string_equal(f->process->command_line, "rundll32 comsvcs.dll MiniDump 4870 x.dmp full");
    assert_string_equal(f->event->computer, "EXCH01");
    assert_string_equal(f->event->provider, "Microsoft-Windows-Sysmon");
    assert_string_equal(exs_finding_fact(f, "dump_tool"), "comsvcs MiniDump");
    assert_string_equal(exs_finding_fact(f, "dump_pid"), "4870");
    assert_null(f->process->user);
    exs_scan_destroy(s);
}

static void test_sysmon_files_and_network(void **st)
{
    (void)st;
    ev a, b, c1, d, e1;
    ev_make(&a, "Microsoft-Windows-Sysmon", 11, 4, 1, "Image=System",
            "TargetFilename=C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\ohyeah.aspx", NULL);
    ev_make(&b, "Microsoft-Windows-Sysmon", 11, 4, 2, "Image=C:\\Windows\\System32\\msiexec.exe",
            "TargetFilename=C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\logon.aspx", NULL);
    ev_make(&c1, "Microsoft-Windows-Sysmon", 11, 4, 3, "Image=C:\\Program Files\\Notepad++\\notepad++.exe",
            "TargetFilename=E:\\Exchange2016\\TransportRoles\\Shared\\agents.config", NULL);
    ev_make(&d, "Microsoft-Windows-Sysmon", 3, 4, 4, "Image=c:\\windows\\system32\\inetsrv\\w3wp.exe",
            "DestinationIp=127.0.0.1", "DestinationPort=3389", NULL);
    ev_make(&e1, "Microsoft-Windows-Sysmon", 3, 4, 5, "Image=c:\\windows\\system32\\inetsrv\\w3wp.exe",
            "DestinationIp=10.0.0.10", "DestinationPort=389", NULL);
    ev *evs[] = {&a, &b, &c1, &d, &e1};
    exs_scan *s = run(evs, 5);
    assert_string_equal(t_summary(s), "EXS-EV-ASPX-WRITE exploitation - 1\n"
                                      "EXS-EV-AGENTS-CONFIG suspicious - 3\n"
                                      "EXS-EV-W3WP-TUNNEL suspicious - 4");
    exs_scan_destroy(s);
}

/* Absent fields read as "": a Sysmon 8 from w3wp.exe without TargetImage still reports. */
static void test_absent_fields(void **st)
{
    (void)st;
    ev a, b;
    ev_make(&a, "Microsoft-Windows-Sysmon", 8, 4, 1,
            "SourceImage=c:\\windows\\system32\\inetsrv\\w3wp.exe", NULL);
    ev_make(&b, "Microsoft-Windows-Eventlog", 104, 4, 2, "SubjectUserName=admin", "Channel=System",
            NULL);
    ev *evs[] = {&a, &b};
    exs_scan *s = run(evs, 2);
    assert_string_equal(t_summary(s), "EXS-EV-W3WP-THREAD suspicious - 1\n"
                                      "EXS-EV-LOG-CLEARED suspicious - 2");
    const exs_finding *f = t_find(s, "EXS-EV-W3WP-THREAD", 0);
    assert_string_equal(f->process->executable, "c:\\windows\\system32\\inetsrv\\w3wp.exe");
    assert_null(f->process->target_executable);
    assert_null(f->target);
    f = t_find(s, "EXS-EV-LOG-CLEARED", 0);
    assert_string_equal(f->process->user, "admin");
    assert_string_equal(f->target, "System");
    exs_scan_destroy(s);
}

static void test_exchange_events(void **st)
{
    (void)st;
    ev a, b, c1, d;
    ev_make(&a, "MSExchange Unified Messaging", 1234, 2, 1,
            "=An unknown error occurred: System.InvalidCastException: Unable to cast object", NULL);
    ev_make(&b, "MSExchange Unified Messaging", 1234, 4, 2, "=System.InvalidCastException (informational)", NULL);
    ev_make(&c1, "MSExchange CmdletLogs", 6, 2, 3, "=Install-TransportAgent",
            "=-Name \"Evil\" -AssemblyPath \".\\NetshHelperBeacon.dll\" -TransportAgentFactory \"hack\"",
            "=offsec.lan/Administrators/admmig", NULL);
    ev_make(&d, "MSExchange CmdletLogs", 1, 4, 4, "=Set-OabVirtualDirectory",
            "=-ExternalUrl \"http://ffff/#<script language=\"JScript\" runat=\"server\"> function Page_Load(){eval(Request[\"code\"],\"unsafe\");}</script>\" -Identity \"OAB (Default Web Site)\"",
            NULL);
    ev *evs[] = {&a, &b, &c1, &d};
    exs_scan *s = run(evs, 4);
    assert_string_equal(t_summary(s), "EXS-EV-26857-UM exploitation - 1\n"
                                      "EXS-CMD-TRANSPORTAGENT suspicious - 3\n"
                                      "EXS-CMD-SETVDIR exploitation - 4");
    const exs_finding *ta = t_find(s, "EXS-CMD-TRANSPORTAGENT", 0);
    assert_true(ta->cmdlet->failed);
    assert_string_equal(ta->cmdlet->name, "Install-TransportAgent");
    assert_string_equal(ta->cmdlet->user, "offsec.lan/Administrators/admmig");
    assert_string_equal(ta->event->provider, "MSExchange CmdletLogs");
    assert_false(t_find(s, "EXS-CMD-SETVDIR", 0)->cmdlet->failed);
    exs_scan_destroy(s);
}

static void test_defender_ps_security(void **st)
{
    (void)st;
    ev a, b, c1, d, e1, f, g, h;
    ev_make(&a, "Microsoft-Windows-Windows Defender", 1116, 3, 1, "Threat Name=Backdoor:ASP/SecChecker.A",
            "Path=file:_C:\\inetpub\\wwwroot\\aspnet_client\\s.aspx", NULL);
    ev_make(&b, "Microsoft-Windows-Windows Defender", 1116, 3, 2, "Threat Name=PUA:Win32/Presenoker", NULL);
    ev_make(&c1, "Microsoft-Windows-PowerShell", 4104, 5, 3,
            "ScriptBlockText=$p = Get-Process lsass; [WER]::MiniDumpWriteDump($p.Handle)", NULL);
    ev_make(&d, "Microsoft-Windows-Eventlog", 1102, 4, 4, "SubjectUserName=admin", NULL);
    ev_make(&e1, "Microsoft-Windows-Security-Auditing", 4648, 0, 5,
            "ProcessName=C:\\Windows\\System32\\inetsrv\\w3wp.exe", "TargetUserName=administrator", NULL);
    ev_make(&f, "Microsoft-Windows-Security-Auditing", 4756, 0, 6,
            "TargetUserName=Exchange Trusted Subsystem", "MemberName=CN=attacker", NULL);
    ev_make(&g, "Microsoft-Windows-Security-Auditing", 4756, 0, 7, "TargetUserName=Marketing", NULL);
    ev_make(&h, "Microsoft-Windows-Security-Auditing", 4662, 0, 8,
            "Properties=%%7688 {1131f6aa-9c07-11d1-f79f-00c04fc2dcd2}", "SubjectUserName=relayed", NULL);
    ev *evs[] = {&a, &b, &c1, &d, &e1, &f, &g, &h};
    exs_scan *s = run(evs, 8);
    assert_string_equal(t_summary(s), "EXS-EV-DEFENDER exploitation - 1\n"
                                      "EXS-EV-DEFENDER suspicious - 2\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 3\n"
                                      "EXS-EV-LOG-CLEARED suspicious - 4\n"
                                      "EXS-EV-W3WP-LOGON suspicious - 5\n"
                                      "EXS-EV-GROUP-ADD suspicious - 6\n"
                                      "EXS-EV-DS-CHANGE suspicious - 8");
    exs_scan_destroy(s);
}

static void test_json_export(void **st)
{
    (void)st;
    /* an export as Security-Datasets writes it: flat objects, rendered message */
    const char *jsonl =
        "{\"SourceName\":\"MSExchange CmdletLogs\",\"EventID\":1,\"Level\":\"4\",\"Channel\":\"MSExchange Management\","
        "\"Hostname\":\"MXS01\",\"@timestamp\":\"2021-03-14T01:40:12.000Z\",\"Message\":\"Cmdlet suceeded. Cmdlet "
        "Set-OabVirtualDirectory, parameters -ExternalUrl \\\"http://ffff/#<script language=\\\"JScript\\\" "
        "runat=\\\"server\\\"> function Page_Load(){eval(Request[\\\"code\\\"],\\\"unsafe\\\");}</script>\\\" "
        "-Identity \\\"OAB (Default Web Site)\\\".\"}\n"
        "{\"SourceName\":\"Microsoft-Windows-Sysmon\",\"EventID\":1,\"Image\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\","
        "\"ParentImage\":\"c:\\\\windows\\\\system32\\\\inetsrv\\\\w3wp.exe\",\"CommandLine\":\"cmd /c whoami\","
        "\"@timestamp\":\"2021-03-14T01:40:15.000Z\"}\n"
        "{\"SourceName\":\"MSExchange Front End HTTP Proxy\",\"EventID\":1001,\"Message\":\"started\"}\n"
        "{\"broken\": \n";
    exs_scan *s = t_scan_mem("d/export/events.json", jsonl, -1);
    assert_string_equal(t_summary(s), "EXS-CMD-SETVDIR exploitation - 1\n"
                                      "EXS-EV-W3WP-CHILD exploitation - 2");
    assert_int_equal(t_warns(s, "bad-row"), 1);
    assert_int_equal(t_find(s, NULL, 1)->time_ms, 1615686015000LL);
    exs_scan_destroy(s);
}

/* The id of the dump held to the end of an EVTX log (its target not known yet) is the one it
 * has alone in the log, whatever finding comes before or after it (records at their offsets):
 * an unrelated finding makes it no "late" finding. The same dump twice (one record read twice)
 * still gets two ids. */
static void test_held_dump_id(void **st)
{
    (void)st;
    ev clr1, dump, clr2;
    ev_make(&clr1, "Microsoft-Windows-Eventlog", 1102, 4, 3, NULL);
    ev_make(&dump, "Microsoft-Windows-Sysmon", 1, 4, 5, "Image=C:\\Windows\\System32\\rundll32.exe",
            "CommandLine=rundll32 C:\\windows\\system32\\comsvcs.dll, MiniDump 4868 C:\\x.bin full",
            NULL);
    ev_make(&clr2, "Microsoft-Windows-Eventlog", 1102, 4, 7, NULL);
    clr1.e.offset = 0x1200;
    dump.e.offset = 0x1400;
    clr2.e.offset = 0x1600;
    ev *logs[4][3] = {{&dump}, {&clr1, &dump}, {&dump, &clr2}, {&clr1, &dump, &clr2}};
    size_t n[4] = {1, 2, 2, 3};
    char alone[EXS_ID_LEN] = "";
    for (int i = 0; i < 4; i++) {
        exs_scan *s = run(logs[i], n[i]);
        assert_int_equal(t_count(s, "EXS-EV-LOG-CLEARED"), n[i] - 1);
        const exs_finding *f = t_find(s, "EXS-EV-PROC-DUMP", 0);
        assert_int_equal(f->origin.record, 5);
        assert_int_equal(f->origin.offset, 0x1400);
        if (!i)
            memcpy(alone, f->id, EXS_ID_LEN);
        assert_string_equal(f->id, alone);
        exs_scan_destroy(s);
    }
    ev *twice[] = {&clr1, &dump, &dump, &clr2};
    exs_scan *s = run(twice, 4);
    assert_int_equal(t_count(s, "EXS-EV-PROC-DUMP"), 2);
    /* one has the id of the dump alone (the first of its identity), the other its own */
    const char *i0 = t_find(s, "EXS-EV-PROC-DUMP", 0)->id, *i1 = t_find(s, "EXS-EV-PROC-DUMP", 1)->id;
    assert_string_not_equal(i0, i1);
    assert_true(strcmp(i0, alone) == 0 || strcmp(i1, alone) == 0);
    exs_scan_destroy(s);
}

/* The same in an event export (JSON lines): the held dump keeps its line and the line's offset,
 * the id it has alone in the export. */
static void test_held_dump_id_json(void **st)
{
    (void)st;
    static const char dump[] =
        "{\"SourceName\":\"Microsoft-Windows-Sysmon\",\"EventID\":1,\"Image\":\"C:\\\\Windows\\\\System32\\\\rundll32.exe\","
        "\"CommandLine\":\"rundll32 C:\\\\windows\\\\system32\\\\comsvcs.dll, MiniDump 4868 C:\\\\x.bin full\"}\n";
    static const char clr[] =
        "{\"SourceName\":\"Microsoft-Windows-Eventlog\",\"EventID\":1102,\"Message\":\"The audit log was cleared.\"}\n";
    char both[1024];
    snprintf(both, sizeof both, "%s%s", dump, clr);
    exs_scan *a = t_scan_mem("d/export/events.json", dump, -1);
    exs_scan *b = t_scan_mem("d/export/events.json", both, -1);
    assert_string_equal(t_summary(a), "EXS-EV-PROC-DUMP suspicious - 1");
    assert_string_equal(t_summary(b), "EXS-EV-PROC-DUMP suspicious - 1\n"
                                      "EXS-EV-LOG-CLEARED suspicious - 2");
    const exs_finding *fa = t_find(a, "EXS-EV-PROC-DUMP", 0), *fb = t_find(b, "EXS-EV-PROC-DUMP", 0);
    assert_int_equal(fa->origin.line, 1);
    assert_int_equal(fa->origin.offset, 0);
    assert_int_equal(fb->origin.offset, 0);
    assert_string_equal(fa->id, fb->id);
    exs_scan_destroy(a);
    exs_scan_destroy(b);
}

#define SYSMON "Microsoft-Windows-Sysmon"
#define LSASS_SEEN(x, rec)                                                                          \
    ev_make(x, SYSMON, 10, 4, rec, "SourceImage=C:\\Windows\\system32\\svchost.exe",               \
            "TargetImage=C:\\Windows\\system32\\lsass.exe", "TargetProcessId=680", "GrantedAccess=0x1000", NULL)

/* One process creation per command line, records first, first + 1, ...: Sysmon 1 or 4688
 * (CommandLine is the second field either way), into x[] and the pointers evs[]. */
static void cmd_events(ev *x, ev **evs, const char *const *cmds, size_t n, uint64_t first,
                       bool sysmon)
{
    for (size_t i = 0; i < n; i++) {
        if (sysmon)
            ev_make(&x[i], SYSMON, 1, 4, first + i, "Image=C:\\t\\tool.exe", "CommandLine=", NULL);
        else
            ev_make(&x[i], "Microsoft-Windows-Security-Auditing", 4688, 0, first + i,
                    "NewProcessName=C:\\Windows\\System32\\wevtutil.exe", "CommandLine=",
                    "SubjectUserName=admin", NULL);
        x[i].f[1].value = xs_str_cstr(cmds[i]);
        evs[i] = &x[i];
    }
}

static void test_lsass_dump_methods(void **st)
{
    (void)st;
    static const char *const cmds[] = {
        /* 2 */ "WerFaultSecure.exe /h /pid 680 /tid 684 /file 1234 /encfile 5678 /cancel 90 /type 268310",
        /* 3 */ "C:\\Windows\\System32\\WerFault.exe -u -p 680 -ip 0 -s 1024",
        /* 4 */ "C:\\Windows\\System32\\WerFault.exe -pss -s 584 -p 680 -ip 5280",
        /* 5 */ "pd64.exe -accepteula -ma 680 C:\\Windows\\Temp\\x.dmp",
        /* 6 */ "PPLdump.exe -v 680 C:\\Windows\\Temp\\out.dmp",
        /* 7 */ "sqldumper.exe 680 0 0x01100:40",
        /* 8 */ "createdump.exe -f C:\\Windows\\Temp\\c.dmp 680",
        /* 9 */ "tttracer.exe -dumpFull -attach 680",
        /* 10 */ "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, #24 680 C:\\Windows\\Temp\\x.bin full",
        /* 11 */ "nanodump.exe --pid 680 -w C:\\Windows\\Temp\\n.dmp",
        /* the benign twins: Windows's report of a crash of another process, its hang report */
        /* 12 */ "C:\\Windows\\System32\\WerFault.exe -u -p 4412 -s 1084",
        /* 13 */ "C:\\Windows\\System32\\WerFault.exe /h /shared Global\\{0b0b} /t 4416 /p 4412 /ph 4410",
        /* 14 */ "procmon64.exe /AcceptEula /Quiet /Minimized /BackingFile C:\\t\\log.pml",
    };
    enum { N = sizeof cmds / sizeof cmds[0] };
    ev x[N + 1];
    ev *evs[N + 1];
    LSASS_SEEN(&x[0], 1);
    evs[0] = &x[0];
    cmd_events(x + 1, evs + 1, cmds, N, 2, true);
    exs_scan *s = run(evs, N + 1);
    assert_string_equal(t_summary(s), "EXS-EV-LSASS-DUMP exploitation - 2\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 3\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 4\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 5\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 6\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 7\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 8\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 9\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 10\n"
                                      "EXS-EV-LSASS-DUMP exploitation - 11");
    static const char *const tools[] = {"WerFaultSecure", "WerFault", "WerFault", "procdump", "PPLdump",
                                        "SQLDumper", "createdump", "tttracer", "comsvcs MiniDump",
                                        "nanodump"};
    for (size_t i = 0; i < 10; i++) {
        assert_string_equal(t_rvs(s, i), "EXS-EV-LSASS-DUMP exploitation critical");
        assert_string_equal(exs_finding_fact(t_find(s, NULL, i), "dump_tool"), tools[i]);
        assert_string_equal(exs_finding_fact(t_find(s, NULL, i), "dump_pid"), "680");
    }
    exs_scan_destroy(s);
}

static void test_lsass_openers(void **st)
{
    (void)st;
    ev a, b, c1, d, e1, f;
    /* benign: Process Monitor, a backup agent and an EDR service with full rights */
    ev_make(&a, SYSMON, 10, 4, 1, "SourceImage=C:\\Tools\\Procmon64.exe", "TargetImage=C:\\Windows\\system32\\lsass.exe",
            "TargetProcessId=680", "GrantedAccess=0x1fffff", "CallTrace=C:\\Windows\\SYSTEM32\\ntdll.dll+9d204|C:\\Tools\\Procmon64.exe+1a2b", NULL);
    ev_make(&b, SYSMON, 10, 4, 2, "SourceImage=C:\\Program Files\\Veeam\\VeeamAgent.exe",
            "TargetImage=C:\\Windows\\system32\\lsass.exe", "TargetProcessId=680", "GrantedAccess=0x1410", NULL);
    ev_make(&c1, SYSMON, 10, 4, 3, "SourceImage=C:\\Program Files\\CrowdStrike\\CSFalconService.exe",
            "TargetImage=C:\\Windows\\system32\\lsass.exe", "TargetProcessId=680", "GrantedAccess=0x1fffff", NULL);
    /* Task Manager's process list */
    ev_make(&d, SYSMON, 10, 4, 4, "SourceImage=C:\\Windows\\system32\\Taskmgr.exe",
            "TargetImage=C:\\Windows\\system32\\lsass.exe", "TargetProcessId=680", "GrantedAccess=0x1000", NULL);
    /* a "procmon.exe" that calls MiniDumpWriteDump: the call trace tells */
    ev_make(&e1, SYSMON, 10, 4, 5, "SourceImage=C:\\Users\\Public\\procmon.exe", "TargetImage=C:\\Windows\\system32\\lsass.exe",
            "TargetProcessId=680", "GrantedAccess=0x1fffff",
            "CallTrace=C:\\Windows\\SYSTEM32\\ntdll.dll+9d204|C:\\Windows\\System32\\dbgcore.DLL+6f1f|C:\\Users\\Public\\procmon.exe+1a2b", NULL);
    /* Task Manager's "Create dump file" */
    ev_make(&f, SYSMON, 10, 4, 6, "SourceImage=C:\\Windows\\system32\\Taskmgr.exe",
            "TargetImage=C:\\Windows\\system32\\lsass.exe", "TargetProcessId=680", "GrantedAccess=0x1fffff", NULL);
    /* the PPL dumper's WerFaultSecure */
    ev g;
    ev_make(&g, SYSMON, 10, 4, 7, "SourceImage=C:\\Windows\\system32\\WerFaultSecure.exe",
            "TargetImage=C:\\Windows\\system32\\lsass.exe", "TargetProcessId=680", "GrantedAccess=0x1fffff", NULL);
    ev *evs[] = {&a, &b, &c1, &d, &e1, &f, &g};
    exs_scan *s = run(evs, 7);
    assert_string_equal(t_summary(s), "EXS-EV-LSASS-ACCESS exploitation - 5\n"
                                      "EXS-EV-LSASS-ACCESS exploitation - 6\n"
                                      "EXS-EV-LSASS-ACCESS exploitation - 7");
    assert_string_equal(t_rvs(s, 0), "EXS-EV-LSASS-ACCESS exploitation critical");
    assert_string_equal(t_find(s, NULL, 0)->reason,
                        "lsass.exe opened by a minidump writer (dbghelp, dbgcore or comsvcs in the call trace)");
    exs_scan_destroy(s);
}

#define DEFENDER "Microsoft-Windows-Windows Defender"

static void test_defender_events(void **st)
{
    (void)st;
    static const uint32_t ids[] = {1006, 1007, 1008, 1009, 1015, 1116, 1117, 1118, 1119, 1160};
    enum { N = sizeof ids / sizeof ids[0] };
    ev x[N + 8];
    ev *evs[N + 8];
    for (size_t i = 0; i < N; i++) {
        ev_make(&x[i], DEFENDER, ids[i], 3, i + 1, "Threat Name=Trojan:Win32/Wacatac.B!ml",
                "Path=file:_C:\\Users\\Public\\a.exe", "Action Name=Quarantine", NULL);
        evs[i] = &x[i];
    }
    size_t n = N;
    ev_make(&x[n], DEFENDER, 1118, 3, n + 1, "Threat Name=Backdoor:ASP/Chopper.F!dha", NULL);
    evs[n] = &x[n];
    n++;
    ev_make(&x[n], DEFENDER, 5001, 3, n + 1, NULL);
    evs[n] = &x[n];
    n++;
    ev_make(&x[n], DEFENDER, 5007, 3, n + 1, "Old Value=",
            "New Value=HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Exclusions\\Paths\\C:\\inetpub\\wwwroot\\aspnet_client = 0x0", NULL);
    evs[n] = &x[n];
    n++;
    ev_make(&x[n], DEFENDER, 5007, 3, n + 1, "Old Value=",
            "New Value=HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Real-Time Protection\\DisableRealtimeMonitoring = 0x1", NULL);
    evs[n] = &x[n];
    n++;
    ev_make(&x[n], DEFENDER, 5010, 3, n + 1, NULL);
    evs[n] = &x[n];
    n++;
    ev_make(&x[n], DEFENDER, 5012, 3, n + 1, NULL);
    evs[n] = &x[n];
    n++;
    /* benign: a routine setting (signature updates), real-time protection turned back on */
    ev_make(&x[n], DEFENDER, 5007, 4, n + 1, "Old Value=",
            "New Value=HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\SignatureUpdateInterval = 0x8", NULL);
    evs[n] = &x[n];
    n++;
    ev_make(&x[n], DEFENDER, 5000, 4, n + 1, NULL);
    evs[n] = &x[n];
    n++;
    exs_scan *s = run(evs, n);
    static const char *const want[] = {
        "EXS-EV-DEFENDER suspicious medium", "EXS-EV-DEFENDER suspicious medium",
        "EXS-EV-DEFENDER suspicious high",   "EXS-EV-DEFENDER suspicious high",
        "EXS-EV-DEFENDER suspicious medium", "EXS-EV-DEFENDER suspicious medium",
        "EXS-EV-DEFENDER suspicious medium", "EXS-EV-DEFENDER suspicious high",
        "EXS-EV-DEFENDER suspicious high",   "EXS-EV-DEFENDER suspicious low",
        "EXS-EV-DEFENDER exploitation critical",
        "EXS-EV-DEFENDER-TAMPER suspicious high", "EXS-EV-DEFENDER-TAMPER suspicious high",
        "EXS-EV-DEFENDER-TAMPER suspicious high", "EXS-EV-DEFENDER-TAMPER suspicious high",
        "EXS-EV-DEFENDER-TAMPER suspicious high",
    };
    assert_int_equal(t_count(s, NULL), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(t_rvs(s, i), want[i]);
    assert_string_equal(t_find(s, NULL, 3)->reason, "a file was restored from Defender's quarantine");
    assert_string_equal(t_find(s, "EXS-EV-DEFENDER-TAMPER", 1)->reason, "a Defender exclusion added");
    assert_string_equal(t_find(s, "EXS-EV-DEFENDER-TAMPER", 2)->reason, "a Defender protection turned off");
    exs_scan_destroy(s);
}

static void test_log_clearing_commands(void **st)
{
    (void)st;
    static const char *const cmds[] = {
        /* 1 */ "wevtutil cl Security",
        /* 2 */ "\"C:\\Windows\\System32\\wevtutil.exe\" clear-log \"Windows PowerShell\"",
        /* 3 */ "cmd /c for /F \"tokens=*\" %1 in ('wevtutil.exe el') DO wevtutil.exe cl \"%1\"",
        /* 4 */ "powershell -c Clear-EventLog -LogName Application,System",
        /* 5 */ "powershell Remove-EventLog -LogName MSExchange",
        /* 6 */ "powershell [System.Diagnostics.Eventing.Reader.EventLogSession]::GlobalSession.ClearLog(\"Microsoft-Windows-Sysmon/Operational\")",
        /* 7 */ "wmic nteventlog where filename='security' call cleareventlog",
        /* benign twins: queries, an export for backup, a size change */
        /* 8 */ "wevtutil qe Security /c:10 /f:text",
        /* 9 */ "wevtutil.exe epl Security C:\\backup\\sec.evtx",
        /* 10 */ "wevtutil sl Security /ms:1073741824",
        /* 11 */ "powershell Get-EventLog -LogName Security -Newest 5",
    };
    enum { N = sizeof cmds / sizeof cmds[0] };
    ev x[N + 2];
    ev *evs[N + 2];
    cmd_events(x, evs, cmds, N, 1, false);
    /* a module manifest's list of the cmdlets it exports is no command (record 13) */
    ev_make(&x[N + 1], "Microsoft-Windows-PowerShell", 4104, 5, N + 2,
            "ScriptBlockText=@{ CmdletsToExport=@(\"Get-EventLog\",\n    \"Clear-EventLog\",\n    'Remove-EventLog', \"Limit-EventLog\") }", NULL);
    evs[N + 1] = &x[N + 1];
    /* a script block */
    ev_make(&x[N], "Microsoft-Windows-PowerShell", 4104, 5, N + 1,
            "ScriptBlockText=Get-WinEvent -ListLog * | ForEach-Object { [System.Diagnostics.Eventing.Reader.EventLogSession]::GlobalSession.ClearLog($_.LogName) }", NULL);
    evs[N] = &x[N];
    exs_scan *s = run(evs, N + 2);
    assert_string_equal(t_summary(s), "EXS-EV-LOG-CLEARED suspicious - 1\n"
                                      "EXS-EV-LOG-CLEARED suspicious - 2\n"
                                      "EXS-EV-LOG-CLEARED suspicious - 3\n"
                                      "EXS-EV-LOG-CLEARED suspicious - 4\n"
                                      "EXS-EV-LOG-CLEARED suspicious - 5\n"
                                      "EXS-EV-LOG-CLEARED suspicious - 6\n"
                                      "EXS-EV-LOG-CLEARED suspicious - 7\n"
                                      "EXS-EV-LOG-CLEARED suspicious - 12");
    assert_string_equal(t_rvs(s, 0), "EXS-EV-LOG-CLEARED suspicious high");
    assert_string_equal(t_find(s, NULL, 0)->target, "Security");
    assert_string_equal(t_find(s, NULL, 1)->target, "Windows PowerShell");
    assert_string_equal(t_find(s, NULL, 3)->target, "Application,System");
    assert_string_equal(t_find(s, NULL, 5)->target, "Microsoft-Windows-Sysmon/Operational");
    assert_string_equal(t_find(s, NULL, 0)->reason, "an event log cleared with wevtutil");
    assert_string_equal(t_find(s, NULL, 0)->process->user, "admin");
    exs_scan_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_webshell_children),
        cmocka_unit_test(test_lsass_dumps),
        cmocka_unit_test(test_held_dump_fields),
        cmocka_unit_test(test_sysmon_files_and_network),
        cmocka_unit_test(test_absent_fields),
        cmocka_unit_test(test_exchange_events),
        cmocka_unit_test(test_defender_ps_security),
        cmocka_unit_test(test_json_export),
        cmocka_unit_test(test_held_dump_id),
        cmocka_unit_test(test_held_dump_id_json),
        cmocka_unit_test(test_lsass_dump_methods),
        cmocka_unit_test(test_lsass_openers),
        cmocka_unit_test(test_defender_events),
        cmocka_unit_test(test_log_clearing_commands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
