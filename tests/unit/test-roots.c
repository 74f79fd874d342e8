/* Evidence roots: what exs_scan_add_root accepts and refuses, and a root that changes before
 * exs_scan_run walks it. A FIFO is never opened for reading: every test runs under an alarm
 * so that a blocking open fails the test instead of hanging it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exsweep/exsweep.h"
#include "fixfiles.h"

#define HDR                                                                                        \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "         \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
#define SHELL HDR "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami 443 - 192.0.2.1 M - 200 0 0 1\r\n"

static char *const dir = t_dir;

static int setup(void **st)
{
    alarm(20); /* a blocking open of a FIFO would hang the test: make it fail instead */
    return t_dir_setup(st);
}

static int teardown(void **st)
{
    alarm(0);
    return t_dir_teardown(st);
}

static void path(char *out, size_t cap, const char *rel)
{
    snprintf(out, cap, "%s/%s", dir, rel);
}

/* The rc of adding one root to a fresh scan; *msg receives exs_scan_error. */
static exs_rc add(const char *root, char *msg, size_t cap)
{
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, NULL), EXS_OK);
    exs_rc rc = exs_scan_add_root(s, root);
    snprintf(msg, cap, "%s", exs_scan_error(s));
    exs_scan_destroy(s);
    return rc;
}

static void test_fifo_root(void **st)
{
    (void)st;
    char p[512], l[512], msg[1024];
    path(p, sizeof p, "u_ex210303.log");
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(add(p, msg, sizeof msg), EXS_EFTYPE);
    assert_non_null(strstr(msg, p));
    assert_non_null(strstr(msg, "FIFO"));
    /* the same through a symlink the user chose */
    path(l, sizeof l, "link");
    assert_int_equal(symlink(p, l), 0);
    assert_int_equal(add(l, msg, sizeof msg), EXS_EFTYPE);
    struct stat sb;
    assert_int_equal(lstat(p, &sb), 0);
    assert_true(S_ISFIFO(sb.st_mode));
}

static void test_socket_and_device_roots(void **st)
{
    (void)st;
    char msg[1024];
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    int sl = snprintf(a.sun_path, sizeof a.sun_path, "%s/sock", dir);
    assert_true(sl > 0 && (size_t)sl < sizeof a.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(add(a.sun_path, msg, sizeof msg), EXS_EFTYPE);
    assert_non_null(strstr(msg, "socket"));
    close(fd);
    assert_int_equal(add("/dev/null", msg, sizeof msg), EXS_EFTYPE);
    assert_non_null(strstr(msg, "character device"));
}

static void test_missing_roots(void **st)
{
    (void)st;
    char p[512], msg[1024];
    path(p, sizeof p, "dangling");
    assert_int_equal(symlink("/nonexistent/exsweep/target", p), 0);
    assert_int_equal(add(p, msg, sizeof msg), EXS_ENOENT);
    assert_non_null(strstr(msg, p));
    path(p, sizeof p, "loop");
    assert_int_equal(symlink(p, p), 0);
    assert_int_equal(add(p, msg, sizeof msg), EXS_EIO);
    assert_non_null(strstr(msg, p));
    /* a folder and a file, and a symlink to a folder, are taken */
    assert_int_equal(t_fix_write(dir, "C/x.log", SHELL, strlen(SHELL)), 0);
    path(p, sizeof p, "C");
    assert_int_equal(add(p, msg, sizeof msg), EXS_OK);
    path(p, sizeof p, "C/x.log");
    assert_int_equal(add(p, msg, sizeof msg), EXS_OK);
    char l[512];
    path(p, sizeof p, "C");
    path(l, sizeof l, "Clink");
    assert_int_equal(symlink(p, l), 0);
    assert_int_equal(add(l, msg, sizeof msg), EXS_OK);
}

/* Folders and files without permission: as root the permission check cannot fail, so the
 * checks run in a child that dropped to nobody (65534) when the test runs as root. */
static int unreadable_checks(void)
{
    char p[512], msg[1024];
    int bad = 0;
    path(p, sizeof p, "locked");
    if (add(p, msg, sizeof msg) != EXS_EACCES || !strstr(msg, p) || !strstr(msg, "open"))
        bad |= 1;
    path(p, sizeof p, "secret.log");
    if (add(p, msg, sizeof msg) != EXS_EACCES || !strstr(msg, p))
        bad |= 2;
    return bad;
}

static void test_unreadable_roots(void **st)
{
    (void)st;
    char p[512];
    assert_int_equal(chmod(dir, 0755), 0);
    path(p, sizeof p, "locked");
    assert_int_equal(mkdir(p, 0), 0);
    assert_int_equal(t_fix_write(dir, "secret.log", SHELL, strlen(SHELL)), 0);
    path(p, sizeof p, "secret.log");
    assert_int_equal(chmod(p, 0), 0);
    if (geteuid() != 0) {
        assert_int_equal(unreadable_checks(), 0);
        return;
    }
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
            _exit(100);
        _exit(unreadable_checks());
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 100) {
        fprintf(stderr, "SKIP unreadable roots: running as root and cannot drop to uid 65534\n");
        return;
    }
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* A root that was fine when added and is a FIFO by the time the sweep walks it: the run
 * fails with EXS_EFTYPE naming it (it used to be a warning and exit 0), without blocking. */
static void run_changed(const char *rel, bool folder, unsigned jobs)
{
    char p[512];
    path(p, sizeof p, rel);
    if (folder) {
        char f[512];
        snprintf(f, sizeof f, "%s/x.log", rel);
        assert_int_equal(t_fix_write(dir, f, SHELL, strlen(SHELL)), 0);
    } else {
        assert_int_equal(t_fix_write(dir, rel, SHELL, strlen(SHELL)), 0);
    }
    exs_scan *s;
    exs_scan_opts o = {jobs, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, p), EXS_OK);
    if (folder) {
        char f[600];
        snprintf(f, sizeof f, "%s/x.log", p);
        assert_int_equal(unlink(f), 0);
        assert_int_equal(rmdir(p), 0);
    } else {
        assert_int_equal(unlink(p), 0);
    }
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(exs_scan_run(s), EXS_EFTYPE);
    assert_non_null(strstr(exs_scan_error(s), p));
    exs_scan_destroy(s);
}

static void test_root_changed_before_run(void **st)
{
    (void)st;
    run_changed("dir1", true, 1);
    run_changed("dir2", true, 2);
    run_changed("file1.log", false, 1);
    run_changed("file2.log", false, 2);
}

/* A root removed before the run: the sweep fails rather than reporting nothing found. */
static void test_root_removed_before_run(void **st)
{
    (void)st;
    char p[512];
    assert_int_equal(t_fix_write(dir, "gone/x.log", SHELL, strlen(SHELL)), 0);
    assert_int_equal(t_fix_write(dir, "kept/x.log", SHELL, strlen(SHELL)), 0);
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, NULL), EXS_OK);
    path(p, sizeof p, "kept");
    assert_int_equal(exs_scan_add_root(s, p), EXS_OK);
    path(p, sizeof p, "gone");
    assert_int_equal(exs_scan_add_root(s, p), EXS_OK);
    assert_int_equal(t_tmpdir_remove(p), 0);
    assert_int_equal(exs_scan_run(s), EXS_ENOENT);
    assert_non_null(strstr(exs_scan_error(s), p));
    exs_scan_destroy(s);
}

int main(void)
{
    signal(SIGALRM, SIG_DFL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fifo_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_socket_and_device_roots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_roots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_roots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_changed_before_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_removed_before_run, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
