/* The exit guard of exs_scan_run (lib/scan/scan.c): an exit of the process while a sweep runs
 * (a library that gives up) ends it with status 2 and the guard's message, before OpenSSL's
 * own exit handler frees what the workers still hash with; after the sweep an exit is the
 * caller's. Each case runs in a child whose stderr the test reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/digest.h"
#include "exsweep/exsweep.h"
#include "fixfiles.h"
#include "scan/scan_int.h"

static const char guard_said[] = "exsweep: the process was ended in the middle of a sweep (a "
                                 "library gave up, out of memory?): the results are incomplete\n";

/* Run by OPENSSL_cleanup, OpenSSL's exit handler. */
static void openssl_cleanup_ran(void)
{
    static const char m[] = "OpenSSL cleaned up\n";
    if (write(STDERR_FILENO, m, sizeof m - 1) < 0) {
        /* the test sees the missing line */
    }
}

/* Runs fn in a child that then calls exit(3); returns its exit status (-1 when it did not
 * exit) and its stderr in out. */
static int in_child(void (*fn)(void), char *out, size_t cap)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(p[1], STDERR_FILENO);
        close(p[0]);
        close(p[1]);
        fn();
        exit(3);
    }
    close(p[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < cap && (r = read(p[0], out + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    out[n] = 0;
    close(p[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A sweep in progress, as exs_scan_run holds it, hashing a file (OpenSSL's first use in the
 * process) when a library ends the process. */
static void hash_in_sweep(void)
{
    char err[128], hex[65];
    if (xs_exit_guard_enter(err, sizeof err) != EXS_OK || !xs_sha256_hex("x", 1, hex) ||
        OPENSSL_atexit(openssl_cleanup_ran) != 1)
        _exit(9);
}

static void exit_mid_sweep(void)
{
    hash_in_sweep();
    exit(1);
}

/* The guard ends the process first: status 2, its message, and OpenSSL's handler, registered
 * before the guard, never runs. */
static void test_exit_mid_sweep(void **st)
{
    (void)st;
    char out[512];
    assert_int_equal(in_child(exit_mid_sweep, out, sizeof out), 2);
    assert_string_equal(out, guard_said);
}

static void exit_after_sweep(void)
{
    hash_in_sweep();
    xs_exit_guard_leave();
}

/* Out of the sweep, an exit is the caller's: its own status, OpenSSL cleans up. */
static void test_exit_after_sweep(void **st)
{
    (void)st;
    char out[512];
    assert_int_equal(in_child(exit_after_sweep, out, sizeof out), 3);
    assert_string_equal(out, "OpenSSL cleaned up\n");
}

static void sweep_then_exit(void)
{
    exs_scan *s;
    if (exs_scan_create(&s, NULL) != EXS_OK || exs_scan_add_root(s, t_dir) != EXS_OK ||
        exs_scan_run(s) != EXS_OK)
        _exit(9);
    exs_scan_destroy(s);
}

/* exs_scan_run lets go of the guard when it returns. */
static void test_exit_after_run(void **st)
{
    (void)st;
    assert_int_equal(t_fix_write(t_dir, "a.txt", "hello\n", 6), 0);
    char out[512];
    assert_int_equal(in_child(sweep_then_exit, out, sizeof out), 3);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_mid_sweep),
        cmocka_unit_test(test_exit_after_sweep),
        cmocka_unit_test_setup_teardown(test_exit_after_run, t_dir_setup, t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
