/* The server's own state: the observation store (lib/state/observe.c), the assessment
 * (lib/state/assess.c) and the sources the sweep reads it from (log #Version headers and
 * version columns, URL Rewrite mitigations, owa\auth build folders, Health Checker's export
 * of ExSetup.exe), through the public results (exs_results_servers) and back from JSON lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/timeparse.h"
#include "fixfiles.h"
#include "memscan.h"
#include "parsers/csv.h"
#include "scan/scan_int.h"
#include "state/assess.h"
#include "state/buildtab.h"
#include "state/observe.h"

#define HP_DIR "C/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/"

/* Writes places[i] (paths under a fresh folder) with texts[i], sweeps the folder with the
 * public API. */
static exs_scan *sweep_tree(const char *const *places, const char *const *texts)
{
    for (size_t i = 0; places[i]; i++)
        assert_int_equal(t_fix_write_at(t_dir, places[i], texts[i], strlen(texts[i]),
                                        1615000000LL + (long long)i),
                         0);
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, NULL), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, t_dir), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    return s;
}

static int64_t T(const char *iso)
{
    return xs_time_parse_iso(xs_str_cstr(iso));
}

static xs_build B(const char *s)
{
    xs_build b;
    assert_true(xs_build_parse(s, strlen(s), true, &b));
    return b;
}

/* ---------------------------------------------------------------- the store */

static void add_builds(xs_state *s, const int *order, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char t[32];
        snprintf(t, sizeof t, "15.1.%d.2", 1000 + order[i]);
        xs_obs_build o = {B(t), XS_BSRC_LOGHEADER, EXS_TIME_NONE, EXS_TIME_NONE, 0, NULL};
        bool dropped;
        assert_true(xs_state_add_build(s, 0, "f.log", &o, &dropped));
    }
}

/* Past XS_MAX_STATE_OBS distinct observations the smallest are kept, whatever the order, and
 * the others are counted. */
static void test_store_cap(void **st)
{
    (void)st;
    enum { N = XS_MAX_STATE_OBS + 10 };
    int up[N], down[N];
    for (int i = 0; i < N; i++) {
        up[i] = i;
        down[i] = N - 1 - i;
    }
    xs_state *a = xs_state_new(), *b = xs_state_new();
    add_builds(a, up, N);
    add_builds(b, down, N);
    assert_int_equal(xs_state_dropped(a), 10);
    assert_int_equal(xs_state_dropped(b), 10);
    size_t na, nb;
    const xs_sbuild *ba = xs_state_builds(a, &na), *bb = xs_state_builds(b, &nb);
    assert_int_equal(na, XS_MAX_STATE_OBS);
    assert_int_equal(nb, XS_MAX_STATE_OBS);
    uint32_t max_a = 0, max_b = 0;
    for (size_t i = 0; i < na; i++) {
        max_a = ba[i].o.build.part[2] > max_a ? ba[i].o.build.part[2] : max_a;
        max_b = bb[i].o.build.part[2] > max_b ? bb[i].o.build.part[2] : max_b;
    }
    assert_int_equal(max_a, 1000 + XS_MAX_STATE_OBS - 1);
    assert_int_equal(max_b, 1000 + XS_MAX_STATE_OBS - 1);
    xs_state_free(a);
    xs_state_free(b);
}

/* One build said by many files is one observation: the widest window, the smallest file. */
static void test_store_merge(void **st)
{
    (void)st;
    xs_state *s = xs_state_new();
    bool d;
    xs_obs_build o = {B("15.1.2176.2"), XS_BSRC_LOGHEADER, T("2021-03-02T00:00:00Z"),
                      T("2021-03-02T10:00:00Z"), 2, "#Version: 15.1.2176.2"};
    assert_true(xs_state_add_build(s, 0, "b.log", &o, &d));
    o.first_ms = T("2021-03-01T00:00:00Z");
    o.last_ms = T("2021-03-01T05:00:00Z");
    assert_true(xs_state_add_build(s, 0, "a.log", &o, &d));
    o.last_ms = T("2021-03-04T05:00:00Z");
    assert_true(xs_state_add_build(s, 1, "c.log", &o, &d)); /* another root */
    size_t n;
    const xs_sbuild *b = xs_state_builds(s, &n);
    assert_int_equal(n, 2);
    assert_string_equal(b[0].file, "a.log");
    assert_int_equal(b[0].files, 2);
    assert_true(b[0].o.first_ms == T("2021-03-01T00:00:00Z"));
    assert_true(b[0].o.last_ms == T("2021-03-02T10:00:00Z"));
    assert_int_equal(b[1].root, 1);
    xs_state_free(s);
}

/* ---------------------------------------------------------------- the assessment */

static exs_rule rule_pl = {"EXS-T-PL", "t", "CVE-2021-26855", "ProxyLogon", "", "", false};

static exs_finding pl_finding(uint32_t root, const char *iso)
{
    exs_finding f;
    memset(&f, 0, sizeof f);
    f.rule = &rule_pl;
    f.verdict = EXS_VERDICT_EXPLOITATION;
    f.time_ms = T(iso);
    f.origin.root = root;
    return f;
}

static void note_build(xs_state *s, const char *b, xs_bsrc src, const char *from, const char *to,
                       const char *file)
{
    bool d;
    xs_obs_build o = {B(b), src, from ? T(from) : EXS_TIME_NONE, to ? T(to) : EXS_TIME_NONE, 0,
                      NULL};
    assert_true(xs_state_add_build(s, 0, file, &o, &d));
}

/* Exploited on CU19 before its update; the update went on mid-week: the logs show both builds,
 * the fix's moment is the first row under the fixed one. */
static void test_assess_updated_midweek(void **st)
{
    (void)st;
    xs_state *s = xs_state_new();
    note_build(s, "15.1.2176.2", XS_BSRC_LOGHEADER, "2021-03-01T00:00:00Z", "2021-03-05T11:20:00Z",
               "HttpProxy_2021030100-1.LOG");
    note_build(s, "15.1.2176.9", XS_BSRC_LOGHEADER, "2021-03-05T11:40:00Z", "2021-03-07T23:00:00Z",
               "HttpProxy_2021030511-1.LOG");
    note_build(s, "15.1.2176.9", XS_BSRC_EXSETUP, "2021-03-05T11:30:00Z", NULL, "Bin/ExSetup.exe");
    exs_finding f[2] = {pl_finding(0, "2021-03-03T06:49:00Z"), pl_finding(1, "2021-01-01T00:00:00Z")};
    xs_arena a = {0};
    exs_server sv;
    int64_t ex[2][EXS_FAMILIES];
    xs_state_exploited(f, 2, 2, ex);
    assert_true(ex[1][0] == T("2021-01-01T00:00:00Z"));
    assert_true(xs_state_assess(s, 0, ex[0], &a, &sv));
    assert_string_equal(sv.build, "15.1.2176.9");
    assert_string_equal(sv.build_source, "ExSetup.exe");
    assert_string_equal(sv.product, "Exchange Server 2016");
    assert_string_equal(sv.cu, "CU19");
    assert_string_equal(sv.update, "Mar21SU");
    assert_int_equal(sv.nsources, 3);
    assert_int_equal(sv.nperiods, 2);
    assert_string_equal(sv.periods[0].build, "15.1.2176.2");
    assert_true(sv.periods[0].to_ms == T("2021-03-05T11:20:00Z"));
    assert_string_equal(sv.periods[1].build, "15.1.2176.9");
    const exs_family_state *pl = &sv.families[0];
    assert_string_equal(pl->family, "ProxyLogon");
    assert_int_equal(pl->state, EXS_EXPOSURE_PATCHED);
    assert_string_equal(pl->open_cves, "");
    assert_string_equal(pl->fixed_by, "15.1.2176.9");
    assert_true(pl->fixed_ms == T("2021-03-05T11:40:00Z"));
    assert_true(pl->exploited_ms == T("2021-03-03T06:49:00Z")); /* root 1's is not ours */
    assert_true(pl->exposed_ms == T("2021-03-05T11:40:00Z") - T("2021-03-03T06:49:00Z"));
    /* CU19's March update fixes ProxyLogon only */
    assert_int_equal(sv.families[1].state, EXS_EXPOSURE_VULNERABLE);
    assert_string_equal(sv.families[1].open_cves, xs_family_cves(XS_FAM_PROXYSHELL));
    assert_int_equal(sv.families[2].state, EXS_EXPOSURE_VULNERABLE);
    assert_true(sv.families[1].exploited_ms == EXS_TIME_NONE);
    xs_arena_free(&a);
    xs_state_free(s);
}

/* Nothing names the build: every family unknown, and why. */
static void test_assess_no_source(void **st)
{
    (void)st;
    xs_arena a = {0};
    exs_server sv;
    assert_true(xs_state_assess(NULL, 0, NULL, &a, &sv));
    assert_string_equal(sv.build, "");
    assert_non_null(strstr(sv.why_unknown, "no ExSetup.exe"));
    for (int f = 0; f < EXS_FAMILIES; f++) {
        assert_int_equal(sv.families[f].state, EXS_EXPOSURE_UNKNOWN);
        assert_string_equal(sv.families[f].reason, "no source in the evidence tells the build");
        assert_string_equal(sv.families[f].open_cves, "");
    }
    xs_arena_free(&a);
}

/* A vulnerable build behind EOMT's rewrite rule is mitigated for ProxyLogon, not for the rest;
 * an update's install date (registry) is the fix's moment when no log shows the change. */
static void test_assess_mitigated_and_update(void **st)
{
    (void)st;
    xs_state *s = xs_state_new();
    note_build(s, "15.1.2176.2", XS_BSRC_REGISTRY, "2021-03-04T00:00:00Z", NULL, "SOFTWARE");
    bool d;
    xs_obs_note m = {XS_NOTE_MITIGATION, XS_FAM_PROXYLOGON,
                     "URL Rewrite rule \"X-BEResource Abort - inbound\"", T("2021-03-06T09:00:00Z"),
                     0, {{0}, 0}};
    assert_true(xs_state_add_note(s, 0, "inetpub/wwwroot/web.config", &m, &d));
    xs_arena a = {0};
    exs_server sv;
    assert_true(xs_state_assess(s, 0, NULL, &a, &sv));
    assert_int_equal(sv.families[0].state, EXS_EXPOSURE_MITIGATED);
    assert_non_null(strstr(sv.families[0].reason, "mitigated by URL Rewrite rule"));
    assert_string_equal(sv.families[0].open_cves, xs_family_cves(XS_FAM_PROXYLOGON));
    assert_int_equal(sv.families[1].state, EXS_EXPOSURE_VULNERABLE);
    assert_int_equal(sv.nnotes, 1);
    assert_string_equal(sv.notes[0].kind, "mitigation");
    assert_string_equal(sv.notes[0].family, "ProxyLogon");
    xs_arena_free(&a);

    /* the SU installed (Uninstall key, KB5000871) and the build now the fixed one */
    note_build(s, "15.1.2176.9", XS_BSRC_EXSETUP, NULL, NULL, "Bin/ExSetup.exe");
    xs_obs_note u = {XS_NOTE_UPDATE, -1, "KB5000871 Security Update For Exchange Server 2016 CU19",
                     T("2021-03-08T00:00:00Z"), 0, {{0}, 0}};
    assert_true(xs_state_add_note(s, 0, "SOFTWARE", &u, &d));
    assert_true(xs_state_assess(s, 0, NULL, &a, &sv));
    assert_string_equal(sv.build, "15.1.2176.9");
    assert_int_equal(sv.families[0].state, EXS_EXPOSURE_PATCHED);
    assert_true(sv.families[0].fixed_ms == T("2021-03-08T00:00:00Z"));
    size_t k = 0;
    while (k < sv.nnotes && strcmp(sv.notes[k].kind, "update") != 0)
        k++;
    assert_true(k < sv.nnotes);
    assert_string_equal(sv.notes[k].build, "15.1.2176.9");
    xs_arena_free(&a);
    xs_state_free(s);
}

/* ---------------------------------------------------------------- through a sweep */

/* An HttpProxy file written by build b ("15.01.2176.002"), its rows at the given times. */
static char *hp_file(const char *b, const char *const *times, size_t n, const char *extra)
{
    size_t cap = 65536, o = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    o += (size_t)snprintf(s + o, cap - o,
                          "#Software: Microsoft Exchange Server\r\n#Version: %s\r\n"
                          "#Log-type: HttpProxy Logs\r\n#Fields: %s\r\n",
                          b, xs_csv_fields_httpproxy);
    xs_build v = B(b);
    for (size_t i = 0; i < n; i++) {
        o += (size_t)snprintf(s + o, cap - o, "%s,0b0b0b0b-1111-2222-3333-444444444444,%u,%u,%u,%u",
                              times[i], v.part[0], v.part[1], v.part[2], v.part[3]);
        for (int k = 6; k < 74; k++)
            s[o++] = ',';
        o += (size_t)snprintf(s + o, cap - o, "\r\n");
    }
    if (extra)
        o += (size_t)snprintf(s + o, cap - o, "%s", extra);
    return s;
}

static const exs_server *server0(const exs_scan *s)
{
    size_t n;
    const exs_server *sv = exs_results_servers(exs_scan_results(s), &n);
    assert_int_equal(n, 1);
    assert_int_equal(sv[0].root, 0);
    return sv;
}

#define EOMT_RULES                                                                                  \
    "<configuration><system.webServer><rewrite><rules>"                                              \
    "<rule name=\"X-AnonResource-Backend Abort - inbound\" stopProcessing=\"true\"><match url=\".*\" />" \
    "<conditions><add input=\"{HTTP_COOKIE}\" pattern=\"(.*)X-AnonResource-Backend(.*)\" /></conditions>" \
    "<action type=\"AbortRequest\" /></rule>"                                                        \
    "<rule name=\"off\" enabled=\"false\"><match url=\".*\" /><conditions>"                           \
    "<add input=\"{HTTP_COOKIE}\" pattern=\"X-BEResource\" /></conditions><action type=\"AbortRequest\" /></rule>" \
    "<rule name=\"redirect\"><match url=\"(.*)\" /><action type=\"Redirect\" url=\"https://{HTTP_HOST}/owa\" /></rule>" \
    "</rules></rewrite></system.webServer></configuration>\r\n"

static void test_sweep_logs_rewrite_owa(void **st)
{
    (void)st;
    const char *t1[] = {"2021-03-01T00:10:00.000Z", "2021-03-05T11:20:00.000Z"};
    const char *t2[] = {"2021-03-05T11:40:00.000Z", "2021-03-07T23:00:00.000Z"};
    char *f1 = hp_file("15.01.2176.002", t1, 2, NULL), *f2 = hp_file("15.01.2176.009", t2, 2, NULL);
    const char *places[] = {HP_DIR "HttpProxy_2021030100-1.LOG", HP_DIR "HttpProxy_2021030511-1.LOG",
                            "C/inetpub/wwwroot/web.config",
                            "C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/15.1.2176/themes/logon.css",
                            NULL};
    const char *texts[] = {f1, f2, EOMT_RULES, "body{}\r\n", NULL};
    exs_scan *s = sweep_tree(places, texts);
    const exs_server *sv = server0(s);
    assert_string_equal(sv->build, "15.1.2176.9");
    assert_string_equal(sv->build_source, "log header");
    assert_int_equal(sv->nperiods, 2);
    assert_string_equal(sv->periods[0].build, "15.1.2176.2");
    assert_true(sv->periods[0].from_ms == T("2021-03-01T00:10:00Z"));
    assert_true(sv->periods[0].to_ms == T("2021-03-05T11:20:00Z"));
    assert_true(sv->periods[1].from_ms == T("2021-03-05T11:40:00Z"));
    assert_int_equal(sv->families[0].state, EXS_EXPOSURE_PATCHED);
    assert_true(sv->families[0].fixed_ms == T("2021-03-05T11:40:00Z"));
    /* sources: two log headers, two log-row observations, the owa folder */
    size_t hdr = 0, rows = 0, owa = 0;
    for (size_t i = 0; i < sv->nsources; i++) {
        hdr += strcmp(sv->sources[i].source, "log header") == 0;
        rows += strcmp(sv->sources[i].source, "log rows") == 0;
        if (strcmp(sv->sources[i].source, "owa folder") == 0) {
            owa++;
            assert_string_equal(sv->sources[i].build, "15.1.2176");
        }
    }
    assert_int_equal(hdr, 2);
    assert_int_equal(rows, 2);
    assert_int_equal(owa, 1);
    /* one mitigation: the enabled EOMT rule; the disabled one and the redirect are not */
    assert_int_equal(sv->nnotes, 1);
    assert_string_equal(sv->notes[0].kind, "mitigation");
    assert_string_equal(sv->notes[0].family, "ProxyLogon");
    assert_non_null(strstr(sv->notes[0].what, "X-AnonResource-Backend Abort - inbound"));
    assert_int_equal(t_count(s, NULL), 0); /* state is not a finding */

    /* the same state from the JSON lines */
    char path[] = "/tmp/exs-state-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    exs_report_opts ro = {0};
    ro.format = EXS_FORMAT_JSONL;
    assert_int_equal(exs_report_write(exs_scan_results(s), out, &ro), EXS_OK);
    fclose(out);
    exs_results *r;
    char err[256];
    const char *paths[] = {path};
    assert_int_equal(exs_results_read_jsonl(&r, paths, 1, err, sizeof err), EXS_OK);
    unlink(path);
    size_t n;
    const exs_server *back = exs_results_servers(r, &n);
    assert_int_equal(n, 1);
    assert_string_equal(back->build, sv->build);
    assert_int_equal(back->nsources, sv->nsources);
    assert_int_equal(back->nperiods, 2);
    assert_int_equal(back->nnotes, 1);
    assert_string_equal(back->notes[0].what, sv->notes[0].what);
    for (int f = 0; f < EXS_FAMILIES; f++) {
        assert_int_equal(back->families[f].state, sv->families[f].state);
        assert_string_equal(back->families[f].reason, sv->families[f].reason);
        assert_true(back->families[f].fixed_ms == sv->families[f].fixed_ms);
        assert_true(back->families[f].exposed_ms == sv->families[f].exposed_ms);
    }
    exs_results_destroy(r);
    exs_scan_destroy(s);
    free(f1);
    free(f2);
}

/* Placeholders ("#Version: 15.0.0.0") and an IIS log name no build. */
static void test_sweep_no_version(void **st)
{
    (void)st;
    const char *places[] = {"C/Program Files/Microsoft/Exchange Server/V15/Logging/ECP/Activity/ECPActivity_1.LOG",
                            "C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", NULL};
    const char *texts[] = {"#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n"
                           "#Log-type: ECP Activity Context Log\r\n#Fields: TimeStamp,ServerName\r\n"
                           "2021-03-03T00:00:00.000Z,EXCH01\r\n",
                           "#Software: Microsoft Internet Information Services 10.0\r\n"
                           "#Fields: date time s-ip cs-method cs-uri-stem\r\n"
                           "2021-03-03 00:00:00 10.0.0.5 GET /owa/\r\n",
                           NULL};
    exs_scan *s = sweep_tree(places, texts);
    const exs_server *sv = server0(s);
    assert_string_equal(sv->build, "");
    assert_int_equal(sv->nsources, 0);
    assert_non_null(strstr(sv->why_unknown, "names the build"));
    for (int f = 0; f < EXS_FAMILIES; f++)
        assert_int_equal(sv->families[f].state, EXS_EXPOSURE_UNKNOWN);
    exs_scan_destroy(s);
}

/* The registry's Setup key names the CU only: its installed updates (Uninstall keys) raise the
 * build, as EOMT reads them. */
static void test_assess_registry_updates(void **st)
{
    (void)st;
    xs_state *s = xs_state_new();
    note_build(s, "15.1.2176.2", XS_BSRC_REGISTRY, "2020-12-20T00:00:00Z", NULL, "SOFTWARE");
    bool d;
    xs_obs_note u1 = {XS_NOTE_UPDATE, -1, "KB5000871 Security Update for Exchange Server 2016 CU19",
                      T("2021-03-05T00:00:00Z"), 0, {{0}, 0}};
    xs_obs_note u2 = {XS_NOTE_UPDATE, -1, "KB5001779 Security Update for Exchange Server 2016 CU19",
                      T("2021-04-20T00:00:00Z"), 0, {{0}, 0}};
    xs_obs_note other = {XS_NOTE_UPDATE, -1, "KB5000871 for another CU is not this one",
                         T("2021-03-01T00:00:00Z"), 0, {{15, 2, 792, 10}, 4}};
    assert_true(xs_state_add_note(s, 0, "SOFTWARE", &u1, &d));
    assert_true(xs_state_add_note(s, 0, "SOFTWARE", &u2, &d));
    assert_true(xs_state_add_note(s, 0, "SOFTWARE", &other, &d));
    xs_arena a = {0};
    exs_server sv;
    assert_true(xs_state_assess(s, 0, NULL, &a, &sv));
    assert_string_equal(sv.build, "15.1.2176.12");
    assert_string_equal(sv.update, "Apr21SU");
    assert_string_equal(sv.build_source, "registry (Setup key and installed updates)");
    assert_int_equal(sv.families[0].state, EXS_EXPOSURE_PATCHED);
    assert_true(sv.families[0].fixed_ms == T("2021-03-05T00:00:00Z")); /* the March update */
    assert_int_equal(sv.families[1].state, EXS_EXPOSURE_VULNERABLE);
    assert_string_equal(sv.families[1].open_cves, "CVE-2021-31207");
    xs_arena_free(&a);
    xs_state_free(s);
    /* a CU that shipped with the fix (2019 CU9 has ProxyLogon's): a later update is not the
     * fix's moment */
    s = xs_state_new();
    note_build(s, "15.2.858.5", XS_BSRC_REGISTRY, "2021-03-20T00:00:00Z", NULL, "SOFTWARE");
    xs_obs_note may = {XS_NOTE_UPDATE, -1, "Security Update for Exchange Server 2019 CU9",
                       T("2021-05-20T00:00:00Z"), 0, {{15, 2, 858, 12}, 4}};
    assert_true(xs_state_add_note(s, 0, "SOFTWARE", &may, &d));
    assert_true(xs_state_assess(s, 0, NULL, &a, &sv));
    assert_string_equal(sv.build, "15.2.858.12");
    assert_int_equal(sv.families[0].state, EXS_EXPOSURE_PATCHED);
    assert_true(sv.families[0].fixed_ms == EXS_TIME_NONE);
    assert_int_equal(sv.families[1].state, EXS_EXPOSURE_PATCHED);
    assert_true(sv.families[1].fixed_ms == T("2021-05-20T00:00:00Z")); /* ProxyShell's was it */
    xs_arena_free(&a);
    xs_state_free(s);
}

/* The Autodiscover rule of EOMTv2 does not make ProxyNotShell "mitigated": OWASSRF goes around
 * it. Builds of two products as trusted as each other leave every family unknown. Sources are
 * listed in a fixed order, whatever order they were observed in. */
static void test_assess_pns_rule_mixed_order(void **st)
{
    (void)st;
    xs_state *s = xs_state_new();
    note_build(s, "15.1.2375.7", XS_BSRC_LOGHEADER, "2022-10-01T00:00:00Z", "2022-10-02T00:00:00Z",
               "b.LOG");
    bool d;
    xs_obs_note m = {XS_NOTE_MITIGATION, XS_FAM_PROXYNOTSHELL, "URL Rewrite rule \"PowerShell - inbound\"",
                     EXS_TIME_NONE, 0, {{0}, 0}};
    assert_true(xs_state_add_note(s, 0, "web.config", &m, &d));
    note_build(s, "15.1.2375.7", XS_BSRC_OWAFOLDER, NULL, NULL, "owa/auth/15.1.2375/x.css");
    note_build(s, "15.1.2375.7", XS_BSRC_LOGHEADER, "2022-09-01T00:00:00Z", "2022-09-02T00:00:00Z",
               "a.LOG");
    xs_arena a = {0};
    exs_server sv;
    assert_true(xs_state_assess(s, 0, NULL, &a, &sv));
    assert_int_equal(sv.families[2].state, EXS_EXPOSURE_VULNERABLE);
    assert_non_null(strstr(sv.families[2].reason, "not OWASSRF's"));
    assert_int_equal(sv.families[0].state, EXS_EXPOSURE_PATCHED);
    /* log header first (trust), then the owa folder */
    assert_int_equal(sv.nsources, 2);
    assert_string_equal(sv.sources[0].source, "log header");
    assert_string_equal(sv.sources[0].file, "a.LOG");
    assert_string_equal(sv.sources[1].source, "owa folder");
    xs_arena_free(&a);
    /* April 2021's update on CU19: ProxyShell open through CVE-2021-31207 alone */
    xs_state *apr = xs_state_new();
    note_build(apr, "15.1.2176.12", XS_BSRC_EXSETUP, NULL, NULL, "Bin/ExSetup.exe");
    assert_true(xs_state_assess(apr, 0, NULL, &a, &sv));
    assert_int_equal(sv.families[1].state, EXS_EXPOSURE_VULNERABLE);
    assert_string_equal(sv.families[1].open_cves, "CVE-2021-31207");
    xs_arena_free(&a);
    xs_state_free(apr);
    note_build(s, "15.2.986.5", XS_BSRC_LOGHEADER, "2022-09-01T00:00:00Z", "2022-09-03T00:00:00Z",
               "c.LOG");
    assert_true(xs_state_assess(s, 0, NULL, &a, &sv));
    for (int f = 0; f < EXS_FAMILIES; f++) {
        assert_int_equal(sv.families[f].state, EXS_EXPOSURE_UNKNOWN);
        assert_non_null(strstr(sv.families[f].reason, "different products"));
    }
    xs_arena_free(&a);
    xs_state_free(s);
}

/* ExchangeSetup.log: the build Setup installed (from the run's time) and the one it found; the
 * run is the fix's moment when no log shows the change. */
static void test_sweep_setup_log(void **st)
{
    (void)st;
    const char *places[] = {"C/ExchangeSetupLogs/ExchangeSetup.log", NULL};
    const char *texts[] = {"[03/06/2021 00:05:10.0001] [0] Starting Microsoft Exchange Server 2016 Setup\r\n"
                           "[03/06/2021 00:05:12.0345] [0] Setup version: 15.1.2176.9.\r\n"
                           "[03/06/2021 00:05:13.0101] [0] The locally installed version is 15.1.2176.2.\r\n"
                           "[03/06/2021 00:05:14.0101] [0] Setup version: 15.0.0.0.\r\n",
                           NULL};
    exs_scan *s = sweep_tree(places, texts);
    const exs_server *sv = server0(s);
    assert_string_equal(sv->build, "15.1.2176.9");
    assert_string_equal(sv->build_source, "setup log");
    assert_int_equal(sv->nsources, 2);
    assert_string_equal(sv->sources[0].build, "15.1.2176.2");
    assert_int_equal(sv->sources[0].line, 3);
    assert_true(sv->sources[0].last_ms == T("2021-03-06T00:05:13Z"));
    assert_string_equal(sv->sources[1].build, "15.1.2176.9");
    assert_true(sv->sources[1].first_ms == T("2021-03-06T00:05:12Z"));
    assert_int_equal(sv->families[0].state, EXS_EXPOSURE_PATCHED);
    assert_true(sv->families[0].fixed_ms == T("2021-03-06T00:05:12Z"));
    exs_scan_destroy(s);
}

/* ExchangeMitigations.ps1's stopped application pools are service notes; a pool that starts is
 * not, nor another pool that does not. */
static void test_sweep_app_pools(void **st)
{
    (void)st;
    const char *places[] = {"C/Windows/System32/inetsrv/config/applicationHost.config", NULL};
    const char *texts[] = {"<configuration><system.applicationHost><applicationPools>"
                           "<add name=\"MSExchangeECPAppPool\" autoStart=\"false\" />"
                           "<add name=\"MSExchangeOABAppPool\" autoStart=\"true\" />"
                           "<add name=\"DefaultAppPool\" autoStart=\"false\" />"
                           "</applicationPools></system.applicationHost></configuration>\r\n",
                           NULL};
    exs_scan *s = sweep_tree(places, texts);
    const exs_server *sv = server0(s);
    assert_int_equal(sv->nnotes, 1);
    assert_string_equal(sv->notes[0].kind, "service");
    assert_non_null(strstr(sv->notes[0].what, "MSExchangeECPAppPool does not start"));
    assert_int_equal(sv->families[0].state, EXS_EXPOSURE_UNKNOWN); /* no build: still unknown */
    exs_scan_destroy(s);
}

/* ECP's S:BLD on the first and last rows: one observation per build, with the rows' times. */
static void test_sweep_ecp_bld(void **st)
{
    (void)st;
    const char *places[] = {"C/Program Files/Microsoft/Exchange Server/V15/Logging/ECP/Server/ECPServer20210305-1.LOG",
                            NULL};
    const char *texts[] = {"#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n"
                           "#Log-type: ECP Server Log\r\n#Fields: TimeStamp,ServerName,EventId,EventData\r\n"
                           "2021-03-05T10:00:00.000Z,EXCH01,ECP.Request,\"S:TIME=1;S:RS=0;S:BLD=15.1.2176.2;S:TNAME=x\"\r\n"
                           "2021-03-05T12:00:00.000Z,EXCH01,ECP.Request,\"S:TIME=1;S:RS=0;S:BLD=15.1.2176.9;S:TNAME=x\"\r\n",
                           NULL};
    exs_scan *s = sweep_tree(places, texts);
    const exs_server *sv = server0(s);
    assert_int_equal(sv->nsources, 2);
    assert_string_equal(sv->sources[0].source, "ECP S:BLD");
    assert_string_equal(sv->sources[0].build, "15.1.2176.2");
    assert_true(sv->sources[0].first_ms == T("2021-03-05T10:00:00Z"));
    assert_string_equal(sv->sources[1].build, "15.1.2176.9");
    assert_true(sv->sources[1].first_ms == T("2021-03-05T12:00:00Z"));
    assert_string_equal(sv->build, "15.1.2176.9");
    assert_int_equal(sv->families[0].state, EXS_EXPOSURE_PATCHED);
    assert_true(sv->families[0].fixed_ms == T("2021-03-05T12:00:00Z"));
    exs_scan_destroy(s);
}

/* Health Checker's export of ExSetup.exe's version: source "export"; an XML file without the
 * type name first is not read as one. */
static void test_sweep_export(void **st)
{
    (void)st;
    const char *places[] = {"HC/Exchange/ExSetup.xml", "HC/other.xml", NULL};
    const char *texts[] = {"<Objs Version=\"1.1.0.1\"><Obj RefId=\"0\"><TN RefId=\"0\">"
                           "<T>System.Diagnostics.FileVersionInfo</T></TN><Props>"
                           "<S N=\"FileName\">C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\ExSetup.exe</S>"
                           "<S N=\"FileVersion\">15.02.0986.005</S></Props></Obj></Objs>\r\n",
                           "<doc><S N=\"FileVersion\">15.02.1118.025</S> ExSetup.exe</doc>\r\n", NULL};
    exs_scan *s = sweep_tree(places, texts);
    const exs_server *sv = server0(s);
    assert_int_equal(sv->nsources, 1);
    assert_string_equal(sv->sources[0].source, "export");
    assert_string_equal(sv->build, "15.2.986.5");
    assert_string_equal(sv->cu, "CU11");
    assert_int_equal(sv->families[2].state, EXS_EXPOSURE_VULNERABLE);
    exs_scan_destroy(s);
}

/* Past XS_MAX_STATE_OBS distinct notes of one root a sweep says so: a LIMIT warning. */
static void test_sweep_state_cap_warns(void **st)
{
    (void)st;
    size_t cap = (XS_MAX_STATE_OBS + 8) * 300 + 256, o = 0;
    char *cfg = malloc(cap);
    assert_non_null(cfg);
    o += (size_t)snprintf(cfg + o, cap - o, "<configuration><rewrite><rules>");
    for (int i = 0; i < XS_MAX_STATE_OBS + 5; i++)
        o += (size_t)snprintf(cfg + o, cap - o,
                              "<rule name=\"r%03d\"><match url=\".*\"/><conditions><add "
                              "input=\"{HTTP_COOKIE}\" pattern=\"X-BEResource\"/></conditions>"
                              "<action type=\"AbortRequest\"/></rule>",
                              i);
    o += (size_t)snprintf(cfg + o, cap - o, "</rules></rewrite></configuration>\r\n");
    const char *places[] = {"C/inetpub/wwwroot/web.config", NULL};
    const char *texts[] = {cfg, NULL};
    exs_scan *s = sweep_tree(places, texts);
    const exs_server *sv = server0(s);
    assert_int_equal(sv->nnotes, XS_MAX_STATE_OBS);
    assert_non_null(strstr(sv->notes[0].what, "\"r000\"")); /* the smallest kept */
    assert_true(t_warns(s, "limit") >= 1);
    exs_scan_destroy(s);
    free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_cap),
        cmocka_unit_test(test_store_merge),
        cmocka_unit_test(test_assess_updated_midweek),
        cmocka_unit_test(test_assess_no_source),
        cmocka_unit_test(test_assess_mitigated_and_update),
        cmocka_unit_test(test_assess_pns_rule_mixed_order),
        cmocka_unit_test(test_assess_registry_updates),
        cmocka_unit_test_setup_teardown(test_sweep_state_cap_warns, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_sweep_setup_log, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_sweep_app_pools, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_sweep_ecp_bld, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_sweep_export, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_sweep_logs_rewrite_owa, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_sweep_no_version, t_dir_setup, t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
