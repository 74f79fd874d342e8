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
#include "fixlogs.h"
#include "memscan.h"
#include "scan/scan_int.h"
#include "scan/worker.h"

#define S(x) {XS_EVTXW_STRING, (x), 0, NULL, 0}

static const xs_evtxw_field shell[] = {
    {"Image", S("System")},
    {"TargetFilename",
     S("C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\ohyeah.aspx")},
};


static uint8_t *make_log(size_t *len, int with_attack)
{
    xs_evtxw *w = xs_evtxw_create();
    assert_non_null(w);
    xs_evtxw_event e = fix_sysmon_event(1, 1614755000000LL, fix_sysmon_benign, 3);
    for (int i = 0; i < 2000; i++) { /* several chunks of benign events */
        e.time_ms = 1614755000000LL + i * 1000;
        assert_int_equal(xs_evtxw_add(w, &e), 0);
    }
    if (with_attack) {
        e.time_ms = 1614760000000LL;
        e.data = fix_sysmon_child;
        e.ndata = 5;
        assert_int_equal(xs_evtxw_add(w, &e), 0);
        e.event_id = 11;
        e.time_ms = 1614760001000LL;
        e.data = shell;
        e.ndata = 2;
        assert_int_equal(xs_evtxw_add(w, &e), 0);
    }
    uint8_t *log = xs_evtxw_take(w, len);
    assert_non_null(log);
    return log;
}

static void test_planted_and_benign(void **st)
{
    (void)st;
    size_t n;
    uint8_t *log = make_log(&n, 1);
    /* a renamed copy in a collection folder: found by magic, not by name */
    exs_scan *s = t_scan_mem("d/collected/sysmon_copy.bin", (const char *)log, (long)n);
    /* the write and the w3wp child a second apart are also tied into one shell */
    assert_string_equal(t_summary(s), "EXS-EV-W3WP-CHILD exploitation - 2001\n"
                                      "EXS-LINK-SHELL exploitation - 2002\n"
                                      "EXS-EV-ASPX-WRITE exploitation - 2002");
    const exs_finding *f = t_find(s, NULL, 0);
    assert_string_equal(f->process->command_line, "cmd.exe /c whoami");
    assert_string_equal(f->event->computer, "EXCH01");
    assert_string_equal(f->event->provider, "Microsoft-Windows-Sysmon");
    assert_int_equal(f->event->id, 1);
    assert_string_equal(f->origin.kind, "evtx");
    assert_int_equal(f->origin.record, 2001);
    assert_int_equal(f->origin.line, 0);
    /* the record's byte offset: after the file header and its chunk's header */
    assert_true(f->origin.offset >= 4096 + 512);
    assert_true((f->origin.offset - 4096) % 65536 >= 512);
    assert_int_equal(f->time_ms, 1614760000000LL);
    size_t nc;
    const exs_coverage *cv = exs_results_coverage(exs_scan_results(s), &nc);
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

/* A record in the chunk's free space (what clearing or a rollover leaves behind) still gives
 * its finding, and the finding says the record was recovered; live ones do not. */
static void test_recovered_record_said(void **st)
{
    (void)st;
    xs_evtxw *w = xs_evtxw_create();
    assert_non_null(w);
    xs_evtxw_event e = fix_sysmon_event(1, 1614755000000LL, fix_sysmon_benign, 3);
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    e.time_ms = 1614760000000LL;
    e.data = fix_sysmon_child;
    e.ndata = 5;
    assert_int_equal(xs_evtxw_add(w, &e), 0); /* record 2: live */
    e.event_id = 11;
    e.time_ms = 1614760001000LL;
    e.data = shell;
    e.ndata = 2;
    assert_int_equal(xs_evtxw_add(w, &e), 0); /* record 3: made free space below */
    size_t n;
    uint8_t *log = xs_evtxw_take(w, &n);
    assert_non_null(log);
    /* walk the first chunk's records (file header 4096 bytes, chunk header 512) */
    uint8_t *ch = log + 4096;
    uint32_t off[4], at = 512;
    for (int i = 0; i < 4; i++) {
        off[i] = at;
        uint32_t size;
        memcpy(&size, ch + at + 4, 4);
        at += size;
    }
    assert_int_equal(memcmp(ch + off[2], "\x2a\x2a\0\0", 4), 0);
    /* the chunk now ends after record 2: last record offset, free space offset, record 3's
     * number out of the record range */
    memcpy(ch + 44, &off[1], 4);
    memcpy(ch + 48, &off[2], 4);
    uint64_t last = 2;
    memcpy(ch + 16, &last, 8);
    memcpy(ch + 32, &last, 8);
    xs_evtxw_fix_crcs(log, n);
    exs_scan *s = t_scan_mem("c/windows/system32/winevt/logs/microsoft-windows-sysmon%4operational.evtx",
                             (const char *)log, (long)n);
    assert_string_equal(t_summary(s), "EXS-EV-W3WP-CHILD exploitation - 2\n"
                                      "EXS-LINK-SHELL exploitation - 3\n"
                                      "EXS-EV-ASPX-WRITE exploitation - 3");
    assert_false(t_find(s, "EXS-EV-W3WP-CHILD", 0)->event->recovered);
    assert_true(t_find(s, "EXS-EV-ASPX-WRITE", 0)->event->recovered);
    assert_int_equal(t_warns(s, "evtx"), 1); /* "1 records recovered ..." */
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

/* A shell seen from every side: the file, the Sysmon event that wrote it, IIS requests to it,
 * and w3wp starting cmd.exe while it was used. One EXS-LINK-SHELL ties them. */
static void test_shell_linked(void **st)
{
    (void)st;
    static const xs_evtxw_field write_ev[] = {
        {"Image", S("System")},
        {"TargetFilename", S("C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\ohyeah.aspx")},
    };
    static const xs_evtxw_field child_ev[] = {
        {"Image", S("C:\\Windows\\System32\\cmd.exe")},
        {"CommandLine", S("cmd /c whoami")},
        {"ParentImage", S("c:\\windows\\system32\\inetsrv\\w3wp.exe")},
    };
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_event e = fix_sysmon_event(11, 1615686013000LL, write_ev, 2);
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    e = fix_sysmon_event(1, 1615686075000LL, child_ev, 3);
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    size_t n;
    uint8_t *log = xs_evtxw_take(w, &n);
    assert_non_null(log);

    /* the page itself: built from pieces so no complete shell sits in the source */
    char page[256];
    snprintf(page, sizeof page, "<%%@ Page Language=\"Jscript\"%%><%%%s(Request.Item[\"k\"],\"un%s\");%%>",
             "eval", "safe");
    const char *iis =
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
        "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
        "2021-03-14 01:41:00 10.0.0.5 POST /owa/auth/ohyeah.aspx - 443 - 203.0.113.7 Mozilla/5.0 - 200 0 0 9\r\n"
        "2021-03-14 01:41:20 10.0.0.5 POST /owa/auth/ohyeah.aspx - 443 - 203.0.113.7 Mozilla/5.0 - 200 0 0 9\r\n";
    const char *places[] = {
        "c/program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/ohyeah.aspx",
        "c/windows/system32/winevt/logs/microsoft-windows-sysmon%4operational.evtx",
        "c/inetpub/logs/logfiles/w3svc1/u_ex210314.log", NULL};
    const char *texts[] = {page, (const char *)log, iis, NULL};
    long lens[] = {-1, (long)n, -1};
    exs_scan *s = t_scan_many_n(places, texts, lens);
    assert_int_equal(t_count(s, "EXS-LINK-SHELL"), 1);
    const exs_finding *f = t_find(s, "EXS-LINK-SHELL", 0);
    assert_string_equal(f->file->url, "/owa/auth/ohyeah.aspx");
    assert_string_equal(exs_finding_fact(f, "requests_clients"), "203.0.113.7=2");
    assert_int_equal(f->time_ms, 1615686013000LL); /* the creation starts the timeline */
    assert_string_equal(f->origin.path, places[0]);
    assert_string_equal(f->file->path, places[0]);
    assert_string_equal(exs_finding_fact(f, "created"), "2021-03-14T01:40:13.000Z");
    assert_string_equal(exs_finding_fact(f, "requests"), "2");
    assert_string_equal(exs_finding_fact(f, "requests_answered"), "2");
    assert_string_equal(exs_finding_fact(f, "commands"), "1");
    assert_string_equal(exs_finding_fact(f, "commands_first"), "2021-03-14T01:41:15.000Z");
    assert_string_equal(exs_finding_fact(f, "commands_first_command_line"), "cmd /c whoami");
    /* tied: the file on disk, its creation, the command, then the requests */
    const exs_finding *disk = t_find_file(s, "EXS-FILE-WS-NONDEFAULT", "ohyeah.aspx");
    const exs_finding *made = t_find(s, "EXS-EV-ASPX-WRITE", 0);
    const exs_finding *cmd = t_find(s, "EXS-EV-W3WP-CHILD", 0);
    assert_non_null(disk);
    assert_true(f->nrelated >= 3);
    assert_string_equal(f->related[0], disk->id);
    assert_string_equal(f->related[1], made->id);
    assert_string_equal(f->related[2], cmd->id);
    exs_scan_destroy(s);
    free(log);
}

/* Sweeps the log the writer holds as if it lay at place (the writer is destroyed). */
static exs_scan *sweep_log(xs_evtxw *w, const char *place)
{
    size_t n;
    uint8_t *log = xs_evtxw_take(w, &n);
    assert_non_null(log);
    exs_scan *s = t_scan_mem(place, (const char *)log, (long)n);
    free(log);
    return s;
}

/* A record with no time (FILETIME 0) keeps no time: it neither starts the file's window at
 * 1601 nor dates its finding. */
static void test_record_without_time(void **st)
{
    (void)st;
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_event e = fix_sysmon_event(1, 1614755000000LL, fix_sysmon_benign, 3);
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    e = fix_sysmon_event(1, -11644473600000LL, fix_sysmon_child, 5); /* FILETIME 0 */
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    exs_scan *s = sweep_log(w, "d/x.evtx");
    assert_int_equal(t_count(s, "EXS-EV-W3WP-CHILD"), 1);
    assert_int_equal(t_find(s, "EXS-EV-W3WP-CHILD", 0)->time_ms, EXS_TIME_NONE);
    size_t nc;
    const exs_coverage *cv = exs_results_coverage(exs_scan_results(s), &nc);
    assert_int_equal(nc, 1);
    assert_int_equal(cv[0].lines, 2);
    assert_int_equal(cv[0].first_ms, 1614755000000LL);
    assert_int_equal(cv[0].last_ms, 1614755000000LL);
    exs_scan_destroy(s);
}

/* The only warning of this kind (the test fails when there are none or several). */
static const exs_warning *only_warning(const exs_scan *s, const char *kind)
{
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n), *found = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i].kind, kind) == 0) {
            assert_null(found);
            found = &w[i];
        }
    assert_non_null(found);
    return found;
}

/* A record cut at XS_EVTX_MAX_VALUE (one Data naming a 40 KB value four times) is counted
 * in a warning that names the caps, and the records after it are still checked. */
static void test_value_cap_warned(void **st)
{
    (void)st;
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_event e = fix_sysmon_event(1, 1614755000000LL, fix_sysmon_benign, 3);
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    /* 20,000 x U+00E9 (2 bytes in UTF-16 and in UTF-8) four times */
    assert_int_equal(xs_evtxw_add_repeated(w, xs_evtxw_filetime(1614755001000LL), 4, 0xE9, 20000),
                     0);
    e = fix_sysmon_event(1, 1614755002000LL, fix_sysmon_child, 5);
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    exs_scan *s = sweep_log(w, "d/x.evtx");
    assert_int_equal(t_count(s, "EXS-EV-W3WP-CHILD"), 1);
    assert_int_equal(t_warns(s, "limit"), 1);
    assert_int_equal(t_warns(s, "evtx"), 0);
    const exs_warning *wn = only_warning(s, "limit");
    assert_string_equal(wn->file, "d/x.evtx");
    assert_string_equal(wn->message,
                        "1 records cut at a size cap (a value over 128 KiB, text over 64 KiB, "
                        "over 256 fields or over 1024 KiB of values); the detectors saw them cut");
    size_t nc;
    assert_int_equal(exs_results_coverage(exs_scan_results(s), &nc)[0].lines, 3);
    exs_scan_destroy(s);
}

/* Sweeps logs with one worker whose EVTX reader stops after max_chunks chunks. */
static exs_scan *scan_chunk_capped(const char *const *places, uint8_t *const *logs,
                                   const size_t *lens, size_t n, uint64_t max_chunks)
{
    exs_scan *s = t_scan_prepared();
    xs_worker w;
    assert_int_equal(xs_worker_init(&w, s), EXS_OK);
    assert_int_equal(xs_evtx_reader_create(&w.evtx, 0), EXS_OK);
    xs_evtx_reader_set_max_chunks(w.evtx, max_chunks);
    for (size_t i = 0; i < n; i++)
        xs_worker_process_memory(&w, places[i], places[i], logs[i], lens[i]);
    xs_worker_fini(&w);
    xs_scan_finish(s);
    return s;
}

/* The chunk cap: the attack past it is not seen, the warning says the rest was not read, and
 * the next log of the sweep is read in full. */
static void test_chunk_cap_warned(void **st)
{
    (void)st;
    const char *places[] = {"d/big.evtx", "d/small.evtx"};
    uint8_t *logs[2];
    size_t lens[2];
    logs[0] = make_log(&lens[0], 1); /* the attack is in its last chunk */
    assert_true((lens[0] - 4096) / 65536 > 2);
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_event e = fix_sysmon_event(1, 1614760000000LL, fix_sysmon_child, 5);
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    logs[1] = xs_evtxw_take(w, &lens[1]);
    assert_non_null(logs[1]);
    exs_scan *s = scan_chunk_capped(places, logs, lens, 2, 2);
    assert_int_equal(t_count(s, NULL), 1);
    assert_string_equal(t_find(s, "EXS-EV-W3WP-CHILD", 0)->origin.path, "d/small.evtx");
    assert_int_equal(t_warns(s, "limit"), 1);
    const exs_warning *wn = only_warning(s, "limit");
    assert_string_equal(wn->file, "d/big.evtx");
    assert_string_equal(wn->message, "read stopped after 2 chunks (XS_EVTX_MAX_CHUNKS); the "
                                     "rest of the log was not read");
    exs_scan_destroy(s);
    /* a cap the log just fits under: everything read, nothing said */
    s = scan_chunk_capped(places, logs, lens, 1, (lens[0] - 4096) / 65536);
    assert_int_equal(t_count(s, "EXS-EV-W3WP-CHILD"), 1);
    assert_int_equal(t_warns(s, "limit"), 0);
    exs_scan_destroy(s);
    free(logs[0]);
    free(logs[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planted_and_benign), cmocka_unit_test(test_damaged_logs),
        cmocka_unit_test(test_recovered_record_said),
        cmocka_unit_test(test_shell_linked),       cmocka_unit_test(test_record_without_time),
        cmocka_unit_test(test_value_cap_warned),   cmocka_unit_test(test_chunk_cap_warned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
