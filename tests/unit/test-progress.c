/* The progress of a sweep: exs_scan_progress's figures after a run (they are the sweep's
 * own), and the progress line's words (cli/progress.c, included here so that its static
 * pieces are tested as they are). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "../../cli/progress.c"
#include "fixfiles.h"
#include "fixlogs.h"

static void test_line(void **st)
{
    (void)st;
    char line[160];
    exs_progress p = {10, 100u << 20, 4, 40u << 20, 3, 0};
    xs_progress_line(&p, 2.0, line, sizeof line);
    assert_string_equal(line, "exsweep: 4 files, 40.0 MiB, 20.0 MiB/s, walking, 3 findings so far");
    p.walk_done = 1; /* 60 MiB left at 20 MiB/s */
    xs_progress_line(&p, 2.0, line, sizeof line);
    assert_string_equal(line,
                        "exsweep: 4 files, 40.0 MiB, 20.0 MiB/s, ETA 0:00:03, 3 findings so far");
    /* no rate yet: no ETA; a line never overflows its buffer */
    exs_progress z = {1, 1, 0, 0, 0, 1};
    xs_progress_line(&z, 0.0, line, sizeof line);
    assert_string_equal(line, "exsweep: 0 files, 0.0 MiB, 0.0 MiB/s, walking, 0 findings so far");
    char tiny[12];
    xs_progress_line(&p, 2.0, tiny, sizeof tiny);
    assert_int_equal(strlen(tiny), sizeof tiny - 1);
}

/* Not on a terminal (the test's standard error is a pipe or a file under make check, or a
 * terminal by hand: then it must still start and stop cleanly). */
static void test_start_stop(void **st)
{
    (void)st;
    assert_null(xs_progress_start(NULL, false));
    xs_progress_stop(NULL);
}

static void test_after_run(void **st)
{
    (void)st;
    const char *log = "#Software: Microsoft Internet Information Services 10.0\r\n" FIX_IIS_HDR
        FIX_IIS_SHELL_ROW("203.0.113.5");
    assert_int_equal(t_fix_write(t_dir, FIX_IIS_LOG, log, strlen(log)), 0);
    assert_int_equal(t_fix_write(t_dir, "notes.txt", "hello\n", 6), 0);
    for (int jobs = 1; jobs <= 2; jobs++) {
        exs_scan_opts o = {(unsigned)jobs, 0, 0, NULL, 0, 0};
        exs_scan *s;
        assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
        exs_progress p;
        exs_scan_progress(s, &p);
        assert_int_equal(p.files_queued + p.files_done + p.findings + (uint64_t)p.walk_done, 0);
        assert_int_equal(exs_scan_add_root(s, t_dir), EXS_OK);
        assert_int_equal(exs_scan_run(s), EXS_OK);
        exs_scan_progress(s, &p);
        assert_int_equal(p.walk_done, 1);
        assert_int_equal(p.files_queued, 2);
        assert_int_equal(p.files_done, 2);
        assert_int_equal(p.bytes_queued, strlen(log) + 6);
        assert_int_equal(p.bytes_done, p.bytes_queued);
        assert_int_equal(p.findings, exs_results_stats(exs_scan_results(s))->findings);
        assert_int_equal(p.findings, 2);
        exs_scan_destroy(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line),
        cmocka_unit_test(test_start_stop),
        cmocka_unit_test_setup_teardown(test_after_run, t_dir_setup, t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
