/* Event logs through the whole sweep: files written by the test EVTX writer, found by magic
 * wherever they lie, read by the EVTX reader, checked by the event detectors; damage counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evtxwriter.h"
#include "memscan.h"

#define S(x) {EXS_EVTXW_STRING, (x), 0, NULL, 0}

static const exs_evtxw_field child[] = {
    {"Image", S("C:\\Windows\\System32\\cmd.exe")},
    {"CommandLine", S("cmd.exe /c whoami")},
    {"ParentImage", S("c:\\windows\\system32\\inetsrv\\w3wp.exe")},
    {"ProcessId", S("4242")},
    {"User", S("IIS APPPOOL\\MSExchangeOWAAppPool")},
};
static const exs_evtxw_field benign[] = {
    {"Image", S("C:\\Windows\\System32\\svchost.exe")},
    {"CommandLine", S("svchost.exe -k netsvcs")},
    {"ParentImage", S("C:\\Windows\\System32\\services.exe")},
};
static const exs_evtxw_field shell[] = {
    {"Image", S("System")},
    {"TargetFilename",
     S("C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\ohyeah.aspx")},
};

static uint8_t *make_log(size_t *len, int with_attack)
{
    exs_evtxw *w = exs_evtxw_create();
    assert_non_null(w);
    exs_evtxw_event e = {"Microsoft-Windows-Sysmon", "Microsoft-Windows-Sysmon/Operational", "EXCH01",
                         1, 0, 0, 4, 0, 0, 1614755000000LL, benign, 3, NULL, NULL, 0};
    for (int i = 0; i < 2000; i++) { /* several chunks of benign events */
        e.time_ms = 1614755000000LL + i * 1000;
        assert_int_equal(exs_evtxw_add(w, &e), 0);
    }
    if (with_attack) {
        e.time_ms = 1614760000000LL;
        e.data = child;
        e.ndata = 5;
        assert_int_equal(exs_evtxw_add(w, &e), 0);
        e.event_id = 11;
        e.time_ms = 1614760001000LL;
        e.data = shell;
        e.ndata = 2;
        assert_int_equal(exs_evtxw_add(w, &e), 0);
    }
    uint8_t *buf;
    assert_int_equal(exs_evtxw_finish(w, &buf, len), 0);
    exs_evtxw_destroy(w);
    return buf;
}

static void test_planted_and_benign(void **st)
{
    (void)st;
    size_t n;
    uint8_t *log = make_log(&n, 1);
    /* a renamed copy in a collection folder: found by magic, not by name */
    exs_scan *s = t_scan_mem("d/collected/sysmon_copy.bin", (const char *)log, (long)n);
    assert_string_equal(t_summary(s), "EXS-EV-W3WP-CHILD exploitation - 2001\n"
                                      "EXS-EV-ASPX-WRITE exploitation - 2002");
    const exs_finding *f = t_find(s, NULL, 0);
    assert_string_equal(f->target, "cmd.exe /c whoami");
    assert_string_equal(f->host, "EXCH01");
    assert_string_equal(f->source, "evtx");
    assert_int_equal(f->time_ms, 1614760000000LL);
    size_t nc;
    const exs_coverage *cv = exs_scan_coverage(s, &nc);
    assert_int_equal(nc, 1);
    assert_string_equal(cv[0].family, "EVTX/Microsoft-Windows-Sysmon/Operational");
    assert_int_equal(cv[0].lines, 2002); /* records */
    assert_int_equal(cv[0].first_ms, 1614755000000LL);
    assert_int_equal(cv[0].last_ms, 1614760001000LL);
    exs_scan_destroy(s);
    free(log);

    log = make_log(&n, 0);
    s = t_scan_mem("c/windows/system32/winevt/logs/microsoft-windows-sysmon%4operational.evtx",
                   (const char *)log, (long)n);
    assert_int_equal(t_count(s, NULL), 0);
    assert_int_equal(t_warns(s, "evtx"), 0);
    exs_scan_destroy(s);
    free(log);
}

static void test_damaged_logs(void **st)
{
    (void)st;
    size_t n;
    uint8_t *log = make_log(&n, 1);
    /* a flipped byte in a benign record of the first chunk: its checksum fails, the data is
     * used anyway, and the attack in the last chunk is still found */
    log[4096 + 512 + 100] ^= 0x01;
    exs_scan *s = t_scan_mem("d/x.evtx", (const char *)log, (long)n);
    assert_int_equal(t_count(s, "EXS-EV-W3WP-CHILD"), 1);
    assert_true(t_warns(s, "evtx") >= 1);
    exs_scan_destroy(s);
    /* a copy cut in the middle of its last chunk */
    log[4096 + 512 + 100] ^= 0x01;
    s = t_scan_mem("d/x.evtx", (const char *)log, (long)(n - 20000));
    assert_true(t_warns(s, "evtx") >= 1);
    exs_scan_destroy(s);
    /* the header alone */
    s = t_scan_mem("d/x.evtx", (const char *)log, 4096);
    assert_int_equal(t_count(s, NULL), 0);
    exs_scan_destroy(s);
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planted_and_benign),
        cmocka_unit_test(test_damaged_logs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
