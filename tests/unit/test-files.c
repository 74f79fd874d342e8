/* The file side end to end, through the public API, on evidence trees assembled in a temporary
 * folder from fixtures: exact findings on shells and artefacts, none on their benign twins,
 * shells tied to their requests, removed shells, IOC lists, the size and type policy, hidden
 * attributes, and the one-read design (the tee). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "core/digest.h"
#include "core/limits.h"
#include "exsweep/exsweep.h"
#include "fixfiles.h"
#include "memscan.h"
#include "report/render.h"
#include "scan/files.h"
#include "scan/scan_int.h"

#define EX "C/Program Files/Microsoft/Exchange Server/V15/"
#define OWA EX "FrontEnd/HttpProxy/owa/auth/"

static char *const root = t_dir; /* made and removed around each test */

static void put_fix(const char *rel, const char *fix)
{
    t_fix *f = t_fix_make(fix);
    assert_non_null(f);
    assert_int_equal(t_fix_write(root, rel, f->data, f->len), 0);
    t_fix_free(f);
}

static void put_text(const char *rel, const char *text)
{
    assert_int_equal(t_fix_write(root, rel, text, strlen(text)), 0);
}

static exs_scan *run(const exs_scan_opts *o, const char *ioc, const char *rules)
{
    exs_scan *s;
    exs_scan_opts d = {1, 0, 0, NULL, 0};
    assert_int_equal(exs_scan_create(&s, o ? o : &d), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, root), EXS_OK);
    if (ioc)
        assert_int_equal(exs_scan_add_iocs(s, ioc), EXS_OK);
    if (rules)
        assert_int_equal(exs_scan_add_rules(s, rules), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    return s;
}

static void expect(const exs_scan *s, const char *want)
{
    char *got = t_listing(s);
    if (strcmp(got, want) != 0)
        fail_msg("findings differ.\n--- got:\n%s--- want:\n%s", got, want);
    free(got);
}

static const exs_finding *find(const exs_scan *s, const char *rule, const char *file_suffix)
{
    const exs_finding *f = t_find_file(s, rule, file_suffix);
    if (!f)
        fail_msg("no %s on %s", rule, file_suffix);
    return f;
}

#define IIS_HEAD                                                                                   \
    "#Software: Microsoft Internet Information Services 10.0\n"                                    \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "          \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n"

static void shell_tree(void)
{
    put_fix(OWA "logon.aspx", "benign-logon");
    put_fix(OWA "RedirSuiteServerProxy.aspx", "ws-eval");
    put_fix(OWA "15.1.2176/scripts/premium/fexppw.js", "benign-js-eval");
    put_fix(EX "FrontEnd/HttpProxy/ecp/auth/TimeoutLogout.aspx", "benign-logon");
    put_text(EX "FrontEnd/HttpProxy/OAB/global.asax", "<%@ Application Inherits=\"x\" %>\n");
    put_fix(EX "FrontEnd/HttpProxy/OAB/oab.txt", "benign-oab-config");
    put_fix("C/inetpub/wwwroot/web.config", "benign-webconfig");
    put_fix("C/inetpub/wwwroot/aspnet_client/system_web/abcdefgh.aspx", "ws-upload");
    put_text("C/inetpub/wwwroot/aspnet_client/readme.htm", "<html>aspnet client</html>\n");
    put_fix("C/Windows/System32/inetsrv/config/applicationHost.config", "benign-apphost");
    put_fix("C/Scripts/export.ps1", "benign-ps1");
    put_fix("C/Program Files/app/package.json", "benign-json");
    put_fix("C/Program Files/app/tool.exe", "benign-exe");
    put_fix("C/Program Files/app/setup.cab", "benign-cab");
    put_text("C/inetpub/logs/LogFiles/W3SVC1/u_ex210305.log",
             IIS_HEAD "2021-03-05 03:06:27 10.0.0.5 GET /owa/auth/RedirSuiteServerProxy.aspx - 443 "
                      "- 203.0.113.9 Mozilla/5.0 - 200 0 0 133\n"
                      "2021-03-05 03:07:27 10.0.0.5 POST /owa/auth/RedirSuiteServerProxy.aspx - "
                      "443 - 203.0.113.9 Mozilla/5.0 - 200 0 0 133\n"
                      "2021-03-05 04:00:00 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 192.0.2.44 "
                      "Mozilla/5.0 - 200 0 0 10\n"
                      "2021-03-06 03:07:27 10.0.0.5 POST /aspnet_client/system_web/abcdefgh.aspx - "
                      "443 - 198.51.100.7 Mozilla/5.0 - 200 0 0 133\n"
                      "2021-03-06 03:08:27 10.0.0.5 POST /aspnet_client/gone.aspx - 443 - "
                      "198.51.100.7 Mozilla/5.0 - 200 0 0 133\n"
                      "2021-03-06 03:09:27 10.0.0.5 GET /owa/auth/probe.aspx - 443 - 192.0.2.5 "
                      "Mozilla/5.0 - 302 0 0 1\n");
}

static void test_shells_and_twins(void **st)
{
    (void)st;
    shell_tree();
    exs_scan *s = run(NULL, NULL, NULL);
    expect(s, "EXS-FILE-WS-CODE|exploitation|RedirSuiteServerProxy.aspx\n"
              "EXS-FILE-WS-CODE|exploitation|abcdefgh.aspx\n"
              "EXS-FILE-WS-NONDEFAULT|exploitation|RedirSuiteServerProxy.aspx\n"
              "EXS-FILE-WS-NONDEFAULT|suspicious|abcdefgh.aspx\n"
              "EXS-FILE-WS-REMOVED|exploitation|u_ex210305.log\n"
              "EXS-WS-ACCESS|exploitation|u_ex210305.log\n"
              "EXS-WS-ACCESS|exploitation|u_ex210305.log\n"
              "EXS-WS-ACCESS|exploitation|u_ex210305.log\n"
              "EXS-WS-ACCESS|exploitation|u_ex210305.log\n"
              "EXS-WS-ACCESS|probe|u_ex210305.log\n"
              "EXS-Y-WS-EVAL|exploitation|RedirSuiteServerProxy.aspx\n");
    const exs_finding *f = find(s, "EXS-Y-WS-EVAL", "RedirSuiteServerProxy.aspx");
    assert_non_null(f->file);
    assert_string_equal(f->file->path, OWA "RedirSuiteServerProxy.aspx");
    assert_string_equal(f->file->url, "/owa/auth/redirsuiteserverproxy.aspx");
    assert_null(f->http); /* the subject is the file; its requests are facts and relations */
    assert_string_equal(exs_finding_fact(f, "requests_clients"), "203.0.113.9=2");
    assert_string_equal(exs_finding_fact(f, "requests"), "2");
    assert_string_equal(exs_finding_fact(f, "requests_answered"), "2");
    assert_string_equal(exs_finding_fact(f, "requests_first"), "2021-03-05T03:06:27.000Z");
    assert_string_equal(exs_finding_fact(f, "requests_last"), "2021-03-05T03:07:27.000Z");
    assert_string_equal(exs_finding_fact(f, "requests_methods"), "GET=1,POST=1");
    assert_string_equal(exs_finding_fact(f, "requests_statuses"), "200=2");
    assert_non_null(f->file->sha256);
    assert_int_equal(strlen(f->file->sha256), 64);
    assert_true(f->file->size > 0);
    assert_string_equal(f->origin.kind, "file");
    assert_string_equal(f->origin.path, OWA "RedirSuiteServerProxy.aspx");
    assert_int_equal(f->origin.line, 0);
    /* related: the two request findings on its URL (lines 3 and 4 of the log) */
    assert_int_equal(f->nrelated, 2);
    for (size_t k = 0; k < f->nrelated; k++) {
        const exs_finding *q = exs_results_find(exs_scan_results(s), f->related[k]);
        assert_non_null(q);
        assert_string_equal(q->rule->id, "EXS-WS-ACCESS");
        assert_string_equal(q->http->path, "/owa/auth/RedirSuiteServerProxy.aspx");
        assert_true(q->origin.line == 3 || q->origin.line == 4);
    }
    assert_string_not_equal(f->related[0], f->related[1]);
    f = find(s, "EXS-FILE-WS-NONDEFAULT", "RedirSuiteServerProxy.aspx");
    assert_string_equal(exs_finding_fact(f, "lookalike_of"), "redirsuiteserviceproxy.aspx");
    assert_string_equal(f->file->url, "/owa/auth/redirsuiteserverproxy.aspx");
    f = find(s, "EXS-FILE-WS-NONDEFAULT", "abcdefgh.aspx");
    assert_string_equal(f->file->url, "/aspnet_client/system_web/abcdefgh.aspx");
    assert_string_equal(exs_finding_fact(f, "requests"), "1");
    assert_string_equal(exs_finding_fact(f, "requests_answered"), "1");
    assert_string_equal(exs_finding_fact(f, "requests_clients"), "198.51.100.7=1");
    assert_int_equal(f->nrelated, 1);
    assert_int_equal(exs_results_find(exs_scan_results(s), f->related[0])->origin.line, 6);
    f = find(s, "EXS-FILE-WS-REMOVED", "u_ex210305.log");
    assert_string_equal(f->file->url, "/aspnet_client/gone.aspx");
    assert_string_equal(f->http->path, "/aspnet_client/gone.aspx");
    assert_string_equal(f->http->client, "198.51.100.7");
    assert_string_equal(f->http->method, "POST");
    assert_int_equal(f->http->status, 200);
    assert_non_null(strstr(exs_finding_fact(f, "web_folder"), "inetpub\\wwwroot"));
    assert_string_equal(exs_finding_fact(f, "requests"), "1");
    assert_string_equal(exs_finding_fact(f, "requests_answered"), "1");
    assert_int_equal(f->origin.line, 7);
    assert_string_equal(f->origin.path, "C/inetpub/logs/LogFiles/W3SVC1/u_ex210305.log");
    assert_int_equal(f->nrelated, 1); /* the request finding on line 7 */
    const exs_finding *q = exs_results_find(exs_scan_results(s), f->related[0]);
    assert_non_null(q);
    assert_string_equal(q->rule->id, "EXS-WS-ACCESS");
    assert_int_equal(q->origin.line, 7);
    exs_scan_destroy(s);
}

/* Without the web folder in the image, a missing script proves nothing. */
static void test_removed_needs_folder(void **st)
{
    (void)st;
    put_text("C/inetpub/logs/LogFiles/W3SVC1/u_ex210305.log",
             IIS_HEAD "2021-03-06 03:08:27 10.0.0.5 POST /aspnet_client/gone.aspx - 443 - "
                      "198.51.100.7 Mozilla/5.0 - 200 0 0 133\n");
    exs_scan *s = run(NULL, NULL, NULL);
    expect(s, "EXS-WS-ACCESS|exploitation|u_ex210305.log\n");
    exs_scan_destroy(s);
}

static void put_bin(const char *rel, const char *head, size_t hn, const char *rest)
{
    size_t n = hn + strlen(rest);
    char *b = malloc(n);
    memcpy(b, head, hn);
    memcpy(b + hn, rest, strlen(rest));
    assert_int_equal(t_fix_write(root, rel, b, n), 0);
    free(b);
}

static void test_artefacts(void **st)
{
    (void)st;
    const char *page = "\x10\x02\x03 x <%@ Page Language=\"JScript\" %> response";
    put_bin(OWA "570221043.aspx", "!BDN\x01\x02\x03\x04", 8, page);
    put_bin("C/inetpub/wwwroot/aspnet_client/der.aspx", "\x30\x82\x04\x10\x01\x02", 6, page);
    put_bin(OWA "Current/themes/junk.aspx", "\x01\x02\x03\x04", 4, page);
    size_t n;
    unsigned char *d = t_fix_minidump("C:\\Windows\\System32\\lsass.exe", 668, &n);
    assert_int_equal(t_fix_write(root, "C/Windows/Temp/76nivOxA.dmp", d, n), 0);
    free(d);
    d = t_fix_minidump("C:\\Windows\\System32\\notepad.exe", 4868, &n);
    assert_int_equal(t_fix_write(root, "C/Windows/Temp/debug.dmp", d, n), 0);
    assert_int_equal(t_fix_write(root, "C/Users/u/AppData/Local/CrashDumps/app.dmp", d, n), 0);
    assert_int_equal(t_fix_write(root, "C/Windows/Temp/lsass.dmp", d, n), 0); /* name lies */
    free(d);
    put_text("C/Windows/Temp/lsass.dmp.zip", "PK\x05\x06"
                                             "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    put_text("C/ProgramData/data.zip", "PK\x05\x06"
                                       "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    put_text("C/Users/Public/decrypt_file.TxT", "your files are locked\n");
    for (int i = 0; i < 3; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "D/share/doc%d.docx.CRYPT", i);
        put_bin(rel,
                "DEAR"
                "CRY!",
                8, "\x01\x02encrypted");
    }
    put_fix("D/share/readme.txt", "rw-dearcry-note");
    put_text("C/Windows/debug/msert.log",
             "Microsoft Safety Scanner v1.333, (build 1.333.519.0)\r\nStarted On Sat Mar 13 "
             "18:24:42 2021\r\n"
             "Quick Scan Results:\r\nThreat Detected: Backdoor:ASP/Chopper.F!dha, not removed.\r\n"
             "    file://C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\x.aspx\r\n");
    put_text("C/EOMTSummary.txt", "Microsoft Safety Scanner is complete: no known threats.\r\n");
    put_fix("C/Windows/System32/inetsrv/config/applicationHost.config", "rogue-apphost");
    put_fix("C/ProgramData/COM1/x.aspx", "ws-eval");
    put_text("C/Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET "
             "Files/owa/1a/2b/ohyeah.aspx.f5dba9b9.compiled",
             "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<preserve resultType=\"3\" "
             "virtualPath=\"/owa/auth/ohyeah.aspx\" "
             "assembly=\"App_Web_ohyeah.aspx.f5dba9b9\" />\n");
    put_text("C/Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET "
             "Files/owa/1a/2b/logon.aspx.cdcab7d2.compiled",
             "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<preserve resultType=\"3\" "
             "virtualPath=\"/owa/auth/logon.aspx\" />\n");
    exs_scan *s = run(NULL, NULL, NULL);
    expect(s, "EXS-FILE-DEARCRY-ENCRYPTED|exploitation|doc0.docx.CRYPT\n"
              "EXS-FILE-EOMT|suspicious|EOMTSummary.txt\n"
              "EXS-FILE-IIS-VDIR|exploitation|applicationHost.config\n"
              "EXS-FILE-LSASS-DUMP|exploitation|76nivOxA.dmp\n"
              "EXS-FILE-LSASS-DUMP|suspicious|lsass.dmp.zip\n"
              "EXS-FILE-MINIDUMP|suspicious|debug.dmp\n"
              "EXS-FILE-MINIDUMP|suspicious|lsass.dmp\n"
              "EXS-FILE-MSERT|exploitation|msert.log\n"
              "EXS-FILE-PATH-IOC|exploitation|x.aspx\n"
              "EXS-FILE-RANSOM-NOTE|exploitation|decrypt_file.TxT\n"
              "EXS-FILE-STAGING-ARCHIVE|suspicious|data.zip\n"
              "EXS-FILE-WS-CODE|exploitation|x.aspx\n"
              "EXS-FILE-WS-COMPILED|exploitation|ohyeah.aspx.f5dba9b9.compiled\n"
              "EXS-FILE-WS-DER|exploitation|der.aspx\n"
              "EXS-FILE-WS-JUNK|exploitation|junk.aspx\n"
              "EXS-FILE-WS-NONDEFAULT|exploitation|570221043.aspx\n"
              "EXS-FILE-WS-NONDEFAULT|suspicious|der.aspx\n"
              "EXS-FILE-WS-NONDEFAULT|suspicious|junk.aspx\n"
              "EXS-FILE-WS-PST|exploitation|570221043.aspx\n"
              "EXS-Y-RW-DEARCRY-NOTE|exploitation|readme.txt\n"
              "EXS-Y-WS-EVAL|exploitation|x.aspx\n");
    const exs_finding *f = find(s, "EXS-FILE-LSASS-DUMP", "76nivOxA.dmp");
    assert_string_equal(f->reason, "a minidump of lsass.exe");
    assert_string_equal(xs_render_base(exs_finding_fact(f, "dump_process")), "lsass.exe");
    assert_string_equal(exs_finding_fact(f, "dump_pid"), "668");
    assert_string_equal(exs_finding_fact(f, "dump_full_memory"), "yes");
    assert_string_equal(exs_finding_fact(f, "dump_taken"), "2021-03-08T07:00:00.000Z");
    assert_int_equal(f->time_ms, 1615186800000LL);
    f = find(s, "EXS-FILE-MINIDUMP", "debug.dmp");
    assert_string_equal(exs_finding_fact(f, "dump_pid"), "4868");
    f = find(s, "EXS-Y-WS-EVAL", "x.aspx");
    assert_string_equal(f->file->url, "/assets/x.aspx"); /* served through the rogue vdir */
    f = find(s, "EXS-FILE-DEARCRY-ENCRYPTED", "doc0.docx.CRYPT");
    assert_string_equal(f->reason, "files start with the DEARCRY! marker");
    assert_string_equal(exs_finding_fact(f, "files"), "3");
    assert_string_equal(exs_finding_fact(f, "files_examples"),
                        "D/share/doc0.docx.CRYPT,D/share/doc1.docx.CRYPT,D/share/doc2.docx.CRYPT");
    f = find(s, "EXS-FILE-STAGING-ARCHIVE", "data.zip");
    assert_int_equal(f->severity, EXS_SEV_HIGH);
    assert_non_null(exs_finding_fact(f, "reported_because"));
    f = find(s, "EXS-FILE-MSERT", "msert.log");
    assert_string_equal(exs_finding_fact(f, "threat_name"), "Backdoor:ASP/Chopper.F!dha");
    assert_string_equal(exs_finding_fact(f, "threat_action"), "not removed");
    assert_string_equal(exs_finding_fact(f, "threat_path"),
                        "C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\x.aspx");
    exs_scan_destroy(s);
}

/* A msert.log listing one threat many times, interleaved with another (MSERT writes no path
 * when the file is gone): one finding per detection, every id its own, the same on every run. */
static char *msert_ids(exs_scan *s, size_t *n)
{
    size_t nf;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &nf);
    char *ids = calloc(nf + 1, EXS_ID_LEN);
    assert_non_null(ids);
    *n = 0;
    for (size_t i = 0; i < nf; i++)
        if (strcmp(f[i].rule->id, "EXS-FILE-MSERT") == 0) {
            for (size_t k = 0; k < *n; k++)
                if (strcmp(ids + k * EXS_ID_LEN, f[i].id) == 0)
                    fail_msg("two MSERT findings share the id %s", f[i].id);
            memcpy(ids + (*n)++ * EXS_ID_LEN, f[i].id, EXS_ID_LEN);
        }
    qsort(ids, *n, EXS_ID_LEN, (int (*)(const void *, const void *))strcmp);
    return ids;
}

static void test_msert_repeated(void **st)
{
    (void)st;
    char log[4096];
    size_t o = 0;
    o += (size_t)snprintf(log + o, sizeof log - o,
                          "Microsoft Safety Scanner v1.333, (build 1.333.519.0)\r\n"
                          "Started On Sat Mar 13 18:24:42 2021\r\nQuick Scan Results:\r\n");
    for (int i = 0; i < 12; i++)
        o += (size_t)snprintf(log + o, sizeof log - o,
                              "Threat Detected: Backdoor:ASP/Chopper.F!dha, not removed.\r\n"
                              "Threat Detected: Trojan:Win32/Wacatac.B!ml, not removed.\r\n");
    o += (size_t)snprintf(log + o, sizeof log - o, "Results Summary:\r\n");
    put_text("C/Windows/debug/msert.log", log);
    exs_scan *s = run(NULL, NULL, NULL);
    size_t n, n2;
    char *ids = msert_ids(s, &n);
    assert_int_equal(n, 24);
    assert_int_equal(t_count(s, NULL), 24);
    /* each at its own line of the log: 4, 5, ... 27 */
    size_t nf;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &nf);
    uint64_t lines = 0;
    for (size_t i = 0; i < nf; i++) {
        assert_true(f[i].origin.line >= 4 && f[i].origin.line <= 27);
        lines |= 1ull << f[i].origin.line;
        assert_string_equal(exs_finding_fact(&f[i], "threat_name"),
                            f[i].verdict == EXS_VERDICT_EXPLOITATION ? "Backdoor:ASP/Chopper.F!dha"
                                                                     : "Trojan:Win32/Wacatac.B!ml");
    }
    assert_int_equal(lines, ((1ull << 28) - 1) & ~15ull);
    exs_scan_destroy(s);
    s = run(NULL, NULL, NULL);
    char *ids2 = msert_ids(s, &n2);
    assert_int_equal(n2, n);
    assert_memory_equal(ids, ids2, n * EXS_ID_LEN);
    free(ids);
    free(ids2);
    exs_scan_destroy(s);
}

/* Archives in ProgramData alone are no evidence (security products keep such archives). */
static void test_staging_alone(void **st)
{
    (void)st;
    put_text("C/ProgramData/McAfee/Agent/logs.zip", "PK\x05\x06"
                                                    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    exs_scan *s = run(NULL, NULL, NULL);
    expect(s, "");
    exs_scan_destroy(s);
}

static void test_iocs(void **st)
{
    (void)st;
    shell_tree();
    put_text("C/Temp/tool.bin", "a tool the responders know by its hash\n");
    char hex[65], list[512], path[300];
    const char *t = "a tool the responders know by its hash\n";
    assert_true(xs_sha256_hex(t, strlen(t), hex));
    snprintf(list, sizeof list,
             "# case 42\n%s;tool from case 42\n203.0.113.9;exploitation source\n"
             "C:\\Program Files\\Microsoft\\Exchange "
             "Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\logon.aspx\n",
             hex);
    snprintf(path, sizeof path, "%s.ioc", root);
    FILE *fp = fopen(path, "w");
    fputs(list, fp);
    fclose(fp);
    exs_scan *s = run(NULL, path, NULL);
    const exs_finding *f = find(s, "EXS-FILE-HASH-IOC", "tool.bin");
    assert_string_equal(exs_finding_fact(f, "ioc_note"), "tool from case 42");
    assert_string_equal(exs_finding_fact(f, "ioc_list"), path);
    assert_string_equal(exs_finding_fact(f, "ioc_line"), "2");
    assert_string_equal(f->file->sha256, hex);
    f = find(s, "EXS-IOC-NET", "u_ex210305.log");
    assert_string_equal(f->http->client, "203.0.113.9");
    assert_string_equal(f->target, "203.0.113.9");
    assert_string_equal(exs_finding_fact(f, "ioc_note"), "exploitation source");
    assert_string_equal(exs_finding_fact(f, "ioc_line"), "3");
    assert_string_equal(exs_finding_fact(f, "findings_rules"), "EXS-WS-ACCESS");
    assert_string_equal(exs_finding_fact(f, "findings_rules_count"), "1");
    assert_string_equal(exs_finding_fact(f, "findings"), "2");
    assert_int_equal(f->verdict, EXS_VERDICT_EXPLOITATION);
    /* related: the two request findings of that client */
    assert_int_equal(f->nrelated, 2);
    for (size_t k = 0; k < f->nrelated; k++) {
        const exs_finding *q = exs_results_find(exs_scan_results(s), f->related[k]);
        assert_non_null(q);
        assert_string_equal(q->rule->id, "EXS-WS-ACCESS");
        assert_string_equal(q->http->client, "203.0.113.9");
    }
    /* the logon.aspx path names a default file: no path finding on the real page */
    size_t n;
    const exs_finding *all = exs_results_findings(exs_scan_results(s), &n);
    for (size_t i = 0; i < n; i++)
        assert_false(strcmp(all[i].rule->id, "EXS-FILE-PATH-IOC") == 0);
    assert_int_equal(t_count(s, "EXS-IOC-NET"), 1);
    exs_scan_destroy(s);
    unlink(path);
}

/* More listed addresses seen than XS_MAX_IOC_NET: the heaviest are reported (the one seen
 * in an exploitation first), the rest counted in a warning. */
static void test_iocs_cap(void **st)
{
    (void)st;
    enum { N = XS_MAX_IOC_NET + 44 };
    char *log = malloc(N * 160 + 512), *list = malloc(N * 32);
    assert_true(log && list);
    size_t o = (size_t)sprintf(log, "%s", IIS_HEAD), lo = 0;
    for (int i = 0; i < N; i++) {
        /* a script probe from each; the last one a shell's use */
        o += (size_t)sprintf(log + o,
                             "2021-03-05 03:%02d:%02d 10.0.0.5 GET /aspnet_client/%s - 443 - "
                             "198.18.%d.%d Mozilla/5.0 - %s 0 0 1\n",
                             i / 60 % 60, i % 60, i == N - 1 ? "system_web/s.aspx" : "p.aspx",
                             i / 200, i % 200 + 1, i == N - 1 ? "200" : "404");
        lo += (size_t)sprintf(list + lo, "198.18.%d.%d\n", i / 200, i % 200 + 1);
    }
    put_text("C/inetpub/logs/LogFiles/W3SVC1/u_ex210305.log", log);
    put_fix("C/inetpub/wwwroot/aspnet_client/system_web/s.aspx", "ws-eval");
    char path[300];
    snprintf(path, sizeof path, "%s.ioc", root);
    FILE *fp = fopen(path, "w");
    fputs(list, fp);
    fclose(fp);
    exs_scan *s = run(NULL, path, NULL);
    assert_int_equal(t_count(s, "EXS-IOC-NET"), XS_MAX_IOC_NET);
    const exs_finding *f = t_find(s, "EXS-IOC-NET", 0);
    bool heavy = false;
    for (size_t k = 0; (f = t_find(s, "EXS-IOC-NET", k)) != NULL; k++)
        heavy |= strcmp(f->http->client, "198.18.1.100") == 0 &&
                 f->verdict == EXS_VERDICT_EXPLOITATION;
    assert_true(heavy);
    size_t nw;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &nw);
    bool said = false;
    for (size_t i = 0; i < nw; i++)
        said |= strstr(w[i].message, "44 more addresses and hosts of the IOC lists") != NULL;
    assert_true(said);
    exs_scan_destroy(s);
    unlink(path);
    free(log);
    free(list);
}

static void test_policy(void **st)
{
    (void)st;
    put_fix(OWA "shell.aspx", "ws-eval");
    put_fix("C/Temp/big.bin", "ws-eval");
    exs_scan_opts o = {1, 0, 16, NULL, 0};
    exs_scan *s = run(&o, NULL, NULL);
    /* over the size limit: name and location checks only */
    expect(s, "EXS-FILE-WS-NONDEFAULT|exploitation|shell.aspx\n");
    assert_int_equal(exs_results_stats(exs_scan_results(s))->files_large, 2);
    assert_int_equal(exs_results_stats(exs_scan_results(s))->files_hashed, 0);
    exs_scan_destroy(s);
    exs_scan_opts o2 = {1, 0, 0, ".ASPX, .bin, aspx", 0}; /* named twice, counted once */
    s = run(&o2, NULL, NULL);
    expect(s, "EXS-FILE-WS-NONDEFAULT|exploitation|shell.aspx\n");
    assert_int_equal(exs_results_stats(exs_scan_results(s))->files_skipped_ext, 2);
    exs_scan_destroy(s);
    exs_scan_opts o3 = {1, 0, 0, NULL, 1};
    s = run(&o3, NULL, NULL);
    expect(s, "");
    exs_scan_destroy(s);
    s = run(NULL, NULL, NULL);
    expect(s, "EXS-FILE-WS-CODE|exploitation|shell.aspx\n"
              "EXS-FILE-WS-NONDEFAULT|exploitation|shell.aspx\n"
              "EXS-Y-WS-EVAL|exploitation|big.bin\n"
              "EXS-Y-WS-EVAL|exploitation|shell.aspx\n");
    assert_int_equal(exs_results_stats(exs_scan_results(s))->files_hashed, 2);
    exs_scan_destroy(s);
}

static void test_user_rules(void **st)
{
    (void)st;
    put_fix(OWA "shell.aspx", "ws-eval");
    put_text("C/Temp/note.txt", "nothing here\n");
    char path[300];
    snprintf(path, sizeof path, "%s.yar", root);
    FILE *fp = fopen(path, "w");
    fputs("rule user_named_aspx { meta: description = \"aspx in owa\" score = 60 condition: "
          "extension == \".aspx\" and filepath contains \"\\\\owa\\\\auth\\\\\" }\n"
          "rule user_text { strings: $a = \"nothing here\" condition: $a }\n",
          fp);
    fclose(fp);
    exs_scan *s = run(NULL, NULL, path);
    expect(s, "EXS-FILE-WS-CODE|exploitation|shell.aspx\n"
              "EXS-FILE-WS-NONDEFAULT|exploitation|shell.aspx\n"
              "EXS-Y-WS-EVAL|exploitation|shell.aspx\n"
              "user_named_aspx|suspicious|shell.aspx\n"
              "user_text|suspicious|note.txt\n");
    const exs_finding *f = find(s, "user_named_aspx", "shell.aspx");
    assert_string_equal(f->rule->family, "YARA");
    assert_int_equal(f->severity, EXS_SEV_MEDIUM);
    exs_scan_destroy(s);
    /* a broken rule stops the run with file and line */
    fp = fopen(path, "w");
    fputs("rule ok { condition: true }\nrule broken { condition: $x }\n", fp);
    fclose(fp);
    exs_scan *b;
    assert_int_equal(exs_scan_create(&b, NULL), EXS_OK);
    assert_int_equal(exs_scan_add_root(b, root), EXS_OK);
    assert_int_equal(exs_scan_add_rules(b, path), EXS_OK);
    assert_int_equal(exs_scan_run(b), EXS_ERULE);
    char want[320];
    snprintf(want, sizeof want, "%s:2: ", path);
    assert_non_null(strstr(exs_scan_error(b), want));
    exs_scan_destroy(b);
    unlink(path);
}

/* Event exports with --check-logs: JSON lines read as a log, not as a page; an export that is
 * not JSON lines (an object over several lines) is content like any file's, although the JSON
 * lines reader parses it too. Without --check-logs both are left to that reader. */
#define SHELL_JSON "<%@ Page Language=\\\"Jscript\\\"%><%eval(Request.Item[\\\"p\\\"],\\\"unsafe\\\");%>"
static void test_check_logs_exports(void **st)
{
    (void)st;
    put_text("C/Exports/lines.json", "{\"EventID\": 4104, \"ScriptBlockText\": \"" SHELL_JSON "\"}\n");
    put_text("C/Exports/object.json", "{\"EventID\": 4104,\n \"ScriptBlockText\": \"" SHELL_JSON "\"}\n");
    exs_scan_opts o = {1, 0, 0, NULL, 0};
    o.check_logs = 1;
    exs_scan *s = run(&o, NULL, NULL);
    expect(s, "EXS-Y-WS-EVAL|exploitation|object.json\n");
    assert_int_equal(exs_results_stats(exs_scan_results(s))->files_hashed, 2);
    exs_scan_destroy(s);
    s = run(NULL, NULL, NULL);
    expect(s, "");
    assert_int_equal(exs_results_stats(exs_scan_results(s))->logs_parsed_only, 2);
    assert_int_equal(exs_results_stats(exs_scan_results(s))->files_hashed, 0);
    exs_scan_destroy(s);
}
#undef SHELL_JSON

static void test_hidden_attribute(void **st)
{
    (void)st;
    put_fix(OWA "logon.aspx", "benign-logon");
    put_text(OWA "errorFE.aspx", "<%@ Page Language=\"C#\" %>error\n");
    char p[512];
    snprintf(p, sizeof p, "%s/%serrorFE.aspx", root, OWA);
    if (setxattr(p, "user.DOSATTRIB", "0x22", 4, 0) != 0) {
        print_message("user xattrs not supported in %s: hidden-attribute test skipped\n", root);
        skip();
    }
    exs_scan *s = run(NULL, NULL, NULL);
    expect(s, "EXS-FILE-WS-HIDDEN|suspicious|errorFE.aspx\n");
    const exs_finding *f = find(s, "EXS-FILE-WS-HIDDEN", "errorFE.aspx");
    assert_string_equal(f->reason, "a hidden or system script in a web folder");
    assert_string_equal(f->file->attributes, "hidden");
    assert_null(exs_finding_fact(f, "attributes"));
    exs_scan_destroy(s);
}

/* One read per file: a reader consuming the tee, then the end of the file checks, read every
 * byte of the raw stream exactly once, and the file was hashed and checked. */
typedef struct counted {
    const unsigned char *p;
    size_t n, off;
    size_t bytes, calls;
} counted;

static long c_read(void *ctx, void *buf, size_t n)
{
    counted *c = ctx;
    c->calls++;
    size_t k = c->n - c->off < n ? c->n - c->off : n;
    memcpy(buf, c->p + c->off, k);
    c->off += k;
    c->bytes += k;
    return (long)k;
}

static void test_one_read(void **st)
{
    (void)st;
    t_fix *f = t_fix_make("ws-eval");
    size_t n = 300000;
    unsigned char *big = malloc(n);
    memset(big, '#', n);
    memcpy(big + 200000, f->data, f->len); /* a shell inside a large log-like file */
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, NULL), EXS_OK);
    assert_int_equal(xs_scan_prepare(s), EXS_OK);
    xs_fworker *w;
    assert_int_equal(xs_fworker_create(&w, s), EXS_OK);
    for (int reader = 0; reader < 2; reader++) {
        counted c = {big, n, 0, 0, 0};
        xs_input raw = {c_read, NULL, &c};
        unsigned char head[1000];
        long have = raw.read(raw.ctx, head, sizeof head);
        xs_class cls = {0};
        xs_fmeta meta = {-1, -1, INT64_MIN};
        xs_where where = {0};
        const xs_input *in =
            xs_file_begin(w, 0, "c/windows/temp/x.aspx", "/c/windows/temp/x.aspx", &where, &cls,
                           &meta, head, (size_t)have, &raw);
        if (reader) { /* a reader (the log pipeline) consumes part of the stream through the tee */
            unsigned char buf[4096];
            for (int i = 0; i < 20; i++)
                assert_true(in->read(in->ctx, buf, sizeof buf) > 0);
        }
        xs_file_end(w, 0);
        assert_int_equal(c.bytes, n);
        exs_sweep_stats stx = {0};
        xs_fworker_stats(w, &stx);
        assert_int_equal(stx.files_hashed, 1);
        assert_int_equal(stx.rule_scans, 1);
    }
    xs_fworker_destroy(w);
    xs_scan_finish(s);
    assert_int_equal(t_count(s, "EXS-Y-WS-EVAL"), 2);
    exs_scan_destroy(s);
    free(big);
    t_fix_free(f);
}

/* A co-hosted application under wwwroot, written the way applications are, beside a full
 * Exchange tree. */
static void cohosted_tree(void)
{
    static const char *const exchange_pages[] = {"logon.aspx", "logoff.aspx", "errorFE.aspx",
                                                 "expiredpassword.aspx", "frowny.aspx",
                                                 "OutlookCN.aspx", "RedirSuiteServiceProxy.aspx",
                                                 "signout.aspx"};
    char rel[512];
    for (size_t i = 0; i < sizeof exchange_pages / sizeof exchange_pages[0]; i++) {
        snprintf(rel, sizeof rel, OWA "%s", exchange_pages[i]);
        put_fix(rel, "benign-logon");
    }
    put_fix(OWA "15.1.2176/scripts/premium/fexppw.js", "benign-js-eval");
    put_fix(EX "FrontEnd/HttpProxy/ecp/auth/TimeoutLogout.aspx", "benign-logon");
    put_text(EX "FrontEnd/HttpProxy/OAB/global.asax", "<%@ Application Inherits=\"x\" %>\n");
    put_text(EX "FrontEnd/HttpProxy/owa/global.asax", "<%@ Application Inherits=\"x\" %>\n");
    put_fix("C/inetpub/wwwroot/web.config", "benign-webconfig");
    put_text("C/inetpub/wwwroot/aspnet_client/system_web/4_0_30319/WebUIValidation.js",
             "function ValidatorOnLoad() { }\n");
#define SHOP "C/inetpub/wwwroot/shop/"
    put_fix(SHOP "web.config", "benign-webconfig");
    put_text(SHOP "bin/Shop.dll", "MZ\x90\x00 not a page");
    put_text(SHOP "Default.aspx",
             "<%@ Page Title=\"Home\" Language=\"C#\" MasterPageFile=\"~/Site.master\" "
             "AutoEventWireup=\"true\" CodeBehind=\"Default.aspx.cs\" Inherits=\"Shop._Default\" %>\n"
             "<asp:Content ContentPlaceHolderID=\"Main\" runat=\"server\">\n<asp:Repeater "
             "ID=\"products\" runat=\"server\"><ItemTemplate><a href='Product.aspx?id=<%# "
             "Eval(\"Id\") %>'><%#: Item.Name %></a> <%# Eval(\"Price\", \"{0:c}\") %>"
             "</ItemTemplate></asp:Repeater>\n</asp:Content>\n");
    put_text(SHOP "Site.master",
             "<%@ Master Language=\"C#\" AutoEventWireup=\"true\" CodeBehind=\"Site.master.cs\" "
             "Inherits=\"Shop.SiteMaster\" %>\n<!DOCTYPE html><html><head runat=\"server\"><title>"
             "<%: Page.Title %></title><script src=\"Scripts/jquery.js\"></script></head><body>"
             "<form runat=\"server\"><asp:TextBox ID=\"q\" runat=\"server\" /><asp:Button "
             "ID=\"go\" runat=\"server\" Text=\"Search\" PostBackUrl=\"~/Search.aspx\" />"
             "<asp:ContentPlaceHolder ID=\"Main\" runat=\"server\" /></form></body></html>\n");
    put_text(SHOP "login.aspx",
             "<%@ Page Language=\"C#\" %>\n<script runat=\"server\">\nprotected void Login(object "
             "s, EventArgs e) {\n  if (System.Web.Security.Membership.ValidateUser(user.Text, "
             "pass.Text)) System.Web.Security.FormsAuthentication.RedirectFromLoginPage(user.Text, "
             "false);\n  else msg.Text = \"Wrong name or password\";\n}\n</script>\n<form "
             "runat=\"server\"><asp:TextBox ID=\"user\" runat=\"server\" /><asp:TextBox ID=\"pass\" "
             "TextMode=\"Password\" runat=\"server\" /><asp:Button ID=\"b\" runat=\"server\" "
             "OnClick=\"Login\" /><asp:Label ID=\"msg\" runat=\"server\" /></form>\n");
    put_text(SHOP "Search.aspx",
             "<%@ Page Language=\"C#\" %>\n<script runat=\"server\">\nvoid Page_Load(object s, "
             "EventArgs e) {\n  string term = Request.QueryString[\"q\"] ?? \"\";\n  using (var conn = "
             "new System.Data.SqlClient.SqlConnection(System.Configuration.ConfigurationManager."
             "ConnectionStrings[\"shop\"].ConnectionString)) {\n    var cmd = new "
             "System.Data.SqlClient.SqlCommand(\"SELECT Id, Name FROM Products WHERE Name LIKE "
             "@t\", conn);\n    cmd.Parameters.AddWithValue(\"@t\", \"%\" + term + \"%\");\n    "
             "conn.Open();\n    results.DataSource = cmd.ExecuteReader();\n    results.DataBind();\n"
             "  }\n}\n</script>\n<asp:GridView ID=\"results\" runat=\"server\" />\n");
    put_text(SHOP "admin/Upload.aspx",
             "<%@ Page Language=\"C#\" %>\n<script runat=\"server\">\nprotected void Save(object s, "
             "EventArgs e) {\n  if (!photo.HasFile) return;\n  string ext = "
             "System.IO.Path.GetExtension(photo.FileName).ToLowerInvariant();\n  if (ext != \".jpg\" "
             "&& ext != \".png\") { msg.Text = \"Images only\"; return; }\n  string name = "
             "Guid.NewGuid().ToString(\"N\") + ext;\n  photo.SaveAs(System.IO.Path.Combine("
             "Server.MapPath(\"~/images/products\"), name));\n}\n</script>\n<form runat=\"server\">"
             "<asp:FileUpload ID=\"photo\" runat=\"server\" /><asp:Button ID=\"b\" runat=\"server\" "
             "OnClick=\"Save\" /><asp:Label ID=\"msg\" runat=\"server\" /></form>\n");
    put_text(SHOP "admin/Logs.aspx",
             "<%@ Page Language=\"VB\" %>\n<script runat=\"server\">\nSub Page_Load(s As Object, e "
             "As EventArgs)\n  Dim root As String = Server.MapPath(\"~/App_Data/logs\")\n  For Each "
             "f As String In System.IO.Directory.GetFiles(root, \"*.log\")\n    "
             "files.Items.Add(System.IO.Path.GetFileName(f))\n  Next\n  Dim want As String = "
             "Request.QueryString(\"f\")\n  If Not String.IsNullOrEmpty(want) Then\n    "
             "Response.ContentType = \"text/plain\"\n    "
             "Response.TransmitFile(System.IO.Path.Combine(root, System.IO.Path.GetFileName(want)))\n"
             "  End If\nEnd Sub\n</script>\n<asp:ListBox ID=\"files\" runat=\"server\" />\n");
    put_text(SHOP "api/Rates.ashx",
             "<%@ WebHandler Language=\"C#\" Class=\"Rates\" %>\nusing System.Net;\nusing "
             "System.Web;\npublic class Rates : IHttpHandler {\n  public void "
             "ProcessRequest(HttpContext context) {\n    string cur = "
             "HttpUtility.UrlEncode(context.Request[\"cur\"]);\n    using (var wc = new WebClient()) "
             "{\n      context.Response.ContentType = \"application/json\";\n      "
             "context.Response.Write(wc.DownloadString(\"https://rates.example.com/v1/\" + cur));\n"
             "    }\n  }\n  public bool IsReusable { get { return true; } }\n}\n");
    put_text(SHOP "api/Stock.asmx",
             "<%@ WebService Language=\"C#\" Class=\"Stock\" %>\nusing System.Web.Services;\npublic "
             "class Stock : WebService {\n  [WebMethod]\n  public int Count(int productId) {\n    var "
             "cmd = new System.Data.SqlClient.SqlCommand(\"SELECT Qty FROM Stock WHERE Id=@id\", "
             "Db.Open());\n    cmd.Parameters.AddWithValue(\"@id\", productId);\n    return "
             "(int)cmd.ExecuteScalar();\n  }\n}\n");
    put_text(SHOP "Global.asax",
             "<%@ Application Language=\"C#\" %>\n<script runat=\"server\">\nvoid "
             "Application_Error(object s, EventArgs e) {\n  var ex = Server.GetLastError();\n  "
             "System.IO.File.AppendAllText(Server.MapPath(\"~/App_Data/logs/errors.log\"), "
             "ex.ToString() + Request.RawUrl);\n}\n</script>\n");
    put_text(SHOP "Product.cshtml",
             "@{ var id = Request.QueryString[\"id\"].AsInt(); var p = db.QuerySingle(\"SELECT * "
             "FROM Products WHERE Id = @0\", id); }\n<h1>@p.Name</h1>\n<p>@Html.Raw(p.Html)</p>\n");
    put_text(SHOP "legacy/contact.asp",
             "<%@ Language=VBScript %>\n<%\nname = Server.HTMLEncode(Request.Form(\"name\"))\n"
             "If Len(name) > 0 Then\n  Set cn = Server.CreateObject(\"ADODB.Connection\")\n  cn.Open "
             "Application(\"dsn\")\n  cn.Execute \"INSERT INTO msgs (n) VALUES ('\" & "
             "Replace(name, \"'\", \"''\") & \"')\"\n  Response.Write \"Thanks, \" & name\nEnd If\n%>\n");
    put_text(SHOP "Scripts/jquery.js", "(function(){ var e = eval; })();\n");
    put_text("C/inetpub/logs/LogFiles/W3SVC1/u_ex210305.log",
             IIS_HEAD "2021-03-05 03:06:27 10.0.0.5 GET /shop/Default.aspx - 443 - 198.51.100.20 "
                      "Mozilla/5.0 - 200 0 0 13\n"
                      "2021-03-05 03:06:28 10.0.0.5 GET /shop/Search.aspx q=shoes 443 - "
                      "198.51.100.20 Mozilla/5.0 - 200 0 0 40\n"
                      "2021-03-05 03:06:29 10.0.0.5 POST /shop/login.aspx - 443 - 198.51.100.20 "
                      "Mozilla/5.0 - 302 0 0 12\n"
                      "2021-03-05 04:00:00 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 192.0.2.44 "
                      "Mozilla/5.0 - 200 0 0 10\n");
#undef SHOP
}

static void test_cohosted_application(void **st)
{
    (void)st;
    cohosted_tree();
    exs_scan *s = run(NULL, NULL, NULL);
    expect(s, "");
    exs_scan_destroy(s);
    /* the same tree with one shell inside the application: that shell and nothing else */
    put_fix("C/inetpub/wwwroot/shop/images/products/thumb.aspx", "ws-eval");
    s = run(NULL, NULL, NULL);
    expect(s, "EXS-FILE-WS-CODE|exploitation|thumb.aspx\n"
              "EXS-Y-WS-EVAL|exploitation|thumb.aspx\n");
    const exs_finding *f = find(s, "EXS-FILE-WS-CODE", "thumb.aspx");
    assert_string_equal(f->file->url, "/shop/images/products/thumb.aspx");
    assert_string_equal(exs_finding_fact(f, "ws_behaviour"), "script evaluation");
    assert_non_null(exs_finding_fact(f, "ws_source"));
    exs_scan_destroy(s);
}

/* A script in aspnet_client is a backdoor by its name only where the site serves Exchange. */
static void test_aspnet_client_without_exchange(void **st)
{
    (void)st;
    put_fix("C/inetpub/wwwroot/aspnet_client/shell.aspx", "benign-logon");
    exs_scan *s = run(NULL, NULL, NULL);
    expect(s, "EXS-FILE-WS-NONDEFAULT|suspicious|shell.aspx\n");
    const exs_finding *f = find(s, "EXS-FILE-WS-NONDEFAULT", "shell.aspx");
    assert_int_equal(f->severity, EXS_SEV_MEDIUM);
    assert_non_null(exs_finding_fact(f, "exchange_folders"));
    exs_scan_destroy(s);
    /* with Exchange beside it, the published name makes it a backdoor */
    put_fix(OWA "logon.aspx", "benign-logon");
    s = run(NULL, NULL, NULL);
    expect(s, "EXS-FILE-WS-NONDEFAULT|exploitation|shell.aspx\n");
    assert_null(exs_finding_fact(find(s, "EXS-FILE-WS-NONDEFAULT", "shell.aspx"),
                                 "exchange_folders"));
    exs_scan_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shells_and_twins, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_removed_needs_folder, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_artefacts, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_staging_alone, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_msert_repeated, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_iocs, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_iocs_cap, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_policy, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_user_rules, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_check_logs_exports, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_hidden_attribute, t_dir_setup, t_dir_teardown),
        cmocka_unit_test(test_one_read),
        cmocka_unit_test_setup_teardown(test_cohosted_application, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_aspnet_client_without_exchange, t_dir_setup,
                                        t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
