/* The summary's "What they left" section and first sign of compromise (lib/report/left.c),
 * on a swept tree: a web shell in aspnet_client and the request that used it; a shell written,
 * used and gone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "exsweep/exsweep.h"
#include "fixfiles.h"
#include "fixlogs.h"

#define IIS_HDR_FULL "#Software: Microsoft Internet Information Services 10.0\r\n" FIX_IIS_HDR

/* The text summary of t_dir, after writing the shell fixture shell_fix (or nothing: NULL)
 * and, when iis, an IIS log that uses it (or a benign one). */
static char *sweep_text(const char *shell_fix, bool iis)
{
    if (shell_fix) {
        t_fix *f = t_fix_make(shell_fix);
        assert_non_null(f);
        assert_int_equal(t_fix_write_at(t_dir, "C/inetpub/wwwroot/aspnet_client/x.aspx", f->data,
                                        f->len, 1614729600LL /* 2021-03-03 00:00 */),
                         0);
        t_fix_free(f);
    }
    const char *log = shell_fix ? IIS_HDR_FULL FIX_IIS_SHELL_ROW("203.0.113.5")
                                : IIS_HDR_FULL "2021-03-03 11:00:00 10.0.0.5 GET /owa/ - 443 - "
                                               "10.0.0.9 M - 200 0 0 1\r\n";
    if (iis)
        assert_int_equal(t_fix_write(t_dir, FIX_IIS_LOG, log, strlen(log)), 0);
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, NULL), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, t_dir), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    exs_report_opts ro = EXS_REPORT_OPTS_INIT;
    assert_int_equal(exs_report_write(exs_scan_results(s), m, &ro), EXS_OK);
    fclose(m);
    exs_scan_destroy(s);
    return buf;
}

/* The lines of the section, from its heading to the blank line after it ("" when absent). */
static char *section(const char *text, const char *heading)
{
    const char *a = strstr(text, heading);
    if (!a)
        return strdup("");
    const char *e = strstr(a, "\n\n");
    return strndup(a, e ? (size_t)(e - a) + 1 : strlen(a));
}

static void test_shell_left(void **st)
{
    (void)st;
    char *text = sweep_text("ws-eval", true);
    char *left = section(text, "What they left");
    /* the exact entry: what it is, its rules, hash, time and use */
    t_fix *f = t_fix_make("ws-eval");
    char sha[65];
    assert_true(xs_sha256_hex(f->data, f->len, sha));
    t_fix_free(f);
    char want[2048];
    snprintf(want, sizeof want,
             "What they left: 1 file (1 backdoor, 0 other artefacts)\n"
             "  exploitation C/inetpub/wwwroot/aspnet_client/x.aspx\n"
             "               Server-side script evaluates request data\n"
             "               rules    EXS-FILE-WS-NONDEFAULT, EXS-Y-WS-EVAL, EXS-FILE-WS-CODE\n"
             "               sha256   %s\n"
             "               written  2021-03-03 00:00 (the file's modification time)\n"
             "               used     1 request, 1 answered with success, 2021-03-03T11:00:00.000Z\n"
             "               clients  203.0.113.5=1\n",
             sha);
    assert_string_equal(left, want);
    assert_non_null(strstr(text, "  first sign of compromise: 2021-03-03 00:00:00 UTC, "));
    free(left);
    free(text);
}

static void test_benign_nothing_left(void **st)
{
    (void)st;
    char *text = sweep_text(NULL, true);
    assert_null(strstr(text, "What they left"));
    assert_null(strstr(text, "first sign of compromise"));
    free(text);
}

/* A shell written (Sysmon 11), used, then gone from its folder: listed by the path of its
 * creation, as removed, with its use. */
static void test_removed_shell_left(void **st)
{
    (void)st;
    static const xs_evtxw_field write_ev[] = {
        {"Image", {XS_EVTXW_STRING, "c:\\windows\\system32\\inetsrv\\w3wp.exe", 0, NULL, 0}},
        {"TargetFilename",
         {XS_EVTXW_STRING,
          "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\"
          "gone.aspx",
          0, NULL, 0}}};
    xs_evtxw *w = xs_evtxw_create();
    assert_non_null(w);
    xs_evtxw_event e = fix_sysmon_event(11, 1615686013000LL /* 2021-03-14 01:40:13 */, write_ev, 2);
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    size_t n;
    uint8_t *log = xs_evtxw_take(w, &n);
    assert_non_null(log);
    assert_int_equal(t_fix_write(t_dir,
                                 "C/Windows/System32/winevt/Logs/"
                                 "Microsoft-Windows-Sysmon%4Operational.evtx",
                                 log, n),
                     0);
    free(log);
    t_fix *f = t_fix_make("benign-logon"); /* the folder is there, the shell is not */
    assert_non_null(f);
    assert_int_equal(t_fix_write(t_dir,
                                 "C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/"
                                 "owa/auth/logon.aspx",
                                 f->data, f->len),
                     0);
    t_fix_free(f);
    const char *iis = IIS_HDR_FULL "2021-03-14 01:41:13 10.0.0.5 POST /owa/auth/gone.aspx - 443 - "
                                   "203.0.113.7 M - 200 0 0 9\r\n";
    assert_int_equal(t_fix_write(t_dir, "C/inetpub/logs/LogFiles/W3SVC1/u_ex210314.log", iis,
                                 strlen(iis)),
                     0);
    char *text = sweep_text(NULL, false);
    char *left = section(text, "What they left");
    assert_string_equal(
        left, "What they left: 1 file (1 backdoor, 0 other artefacts)\n"
              "  exploitation C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\"
              "HttpProxy\\owa\\auth\\gone.aspx\n"
              "               Web shell used, then removed\n"
              "               rules    EXS-FILE-WS-REMOVED\n"
              "               written  2021-03-14T01:40:13.000Z by "
              "c:\\windows\\system32\\inetsrv\\w3wp.exe\n"
              "               used     1 request, 1 answered with success, 2021-03-14T01:41:13.000Z\n"
              "               clients  203.0.113.7=1\n");
    free(left);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shell_left, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_benign_nothing_left, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_removed_shell_left, t_dir_setup, t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
