/* exsweep scan -o: what each kind of path gets (cli/output.c, included here so that its
 * fsync and rename can be made to fail), and that a failure leaves no temporary file and
 * the old report in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixfiles.h"

/* Failures on demand: the next fsync of a regular file or of a folder, the next rename. */
static int fail_fsync_file, fail_fsync_dir, fail_rename;
static int dir_errno = EIO;

static int t_fsync(int fd)
{
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fail_fsync_file) {
        errno = EIO;
        return -1;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) && fail_fsync_dir) {
        errno = dir_errno;
        return -1;
    }
    return fsync(fd);
}

static int t_rename(const char *a, const char *b)
{
    if (fail_rename) {
        errno = EXDEV;
        return -1;
    }
    return rename(a, b);
}

#define fsync t_fsync
#define rename t_rename
#include "../../cli/messages.c"
#include "../../cli/output.c"
#undef fsync
#undef rename

static char *const dir = t_dir;

static int setup(void **st)
{
    fail_fsync_file = fail_fsync_dir = fail_rename = 0;
    dir_errno = EIO;
    alarm(20); /* a FIFO opened without a reader would hang: fail instead */
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

/* Entries in the test folder (a leftover temporary file shows here). */
static int entries(void)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void slurp(const char *p, char *buf, size_t cap)
{
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = 0;
    fclose(f);
}

static void put(const char *rel, const char *text)
{
    assert_int_equal(t_fix_write(dir, rel, text, strlen(text)), 0);
}

/* Writes text through -o p; returns commit's result. */
static int write_report(const char *p, const char *text)
{
    xs_cli_out o;
    assert_int_equal(xs_cli_out_resolve(&o, p), 0);
    assert_int_equal(xs_cli_out_open(&o), 0);
    fputs(text, o.f);
    int rc = xs_cli_out_commit(&o);
    xs_cli_out_abort(&o);
    return rc;
}

static void test_new_and_replaced_file(void **st)
{
    (void)st;
    char p[512], q[512], buf[256];
    path(p, sizeof p, "report.txt");
    xs_cli_out o;
    assert_int_equal(xs_cli_out_resolve(&o, p), 0);
    assert_int_equal(o.kind, XS_CLI_OUT_FILE);
    assert_int_equal(entries(), 0); /* resolve creates nothing */
    assert_int_equal(xs_cli_out_open(&o), 0);
    struct stat sb;
    assert_int_equal(stat(o.tmp, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    fputs("first\n", o.f);
    assert_int_equal(xs_cli_out_commit(&o), 0);
    xs_cli_out_abort(&o);
    slurp(p, buf, sizeof buf);
    assert_string_equal(buf, "first\n");
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    assert_int_equal(entries(), 1);
    /* replaced by a rename, not rewritten: a hard link to the old file keeps the old text */
    path(q, sizeof q, "old-link");
    assert_int_equal(link(p, q), 0);
    assert_int_equal(write_report(p, "second\n"), 0);
    slurp(p, buf, sizeof buf);
    assert_string_equal(buf, "second\n");
    slurp(q, buf, sizeof buf);
    assert_string_equal(buf, "first\n");
    assert_int_equal(entries(), 2);
}

/* Each failure: exit through commit's -1, the temporary file gone, the old report whole. */
static void expect_failure(const char *p)
{
    char buf[256];
    assert_int_equal(write_report(p, "new report\n"), -1);
    slurp(p, buf, sizeof buf);
    assert_string_equal(buf, "old report\n");
    assert_int_equal(entries(), 1);
}

static void test_write_fsync_rename_failures(void **st)
{
    (void)st;
    char p[512];
    put("r.jsonl", "old report\n");
    path(p, sizeof p, "r.jsonl");
    fail_fsync_file = 1;
    expect_failure(p);
    fail_fsync_file = 0;
    fail_rename = 1;
    expect_failure(p);
    fail_rename = 0;
    /* a write that fails for real: the file size limit, with SIGXFSZ ignored (EFBIG) */
    struct rlimit old, small = {16, 16};
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small.rlim_max = old.rlim_max;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    char big[8192];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    int rc = write_report(p, big);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    assert_int_equal(rc, -1);
    char buf[256];
    slurp(p, buf, sizeof buf);
    assert_string_equal(buf, "old report\n");
    assert_int_equal(entries(), 1);
}

static void test_folder_fsync(void **st)
{
    (void)st;
    char p[512], buf[256];
    path(p, sizeof p, "r.txt");
    /* after the rename the report is in place; a failed folder fsync is still an error */
    fail_fsync_dir = 1;
    assert_int_equal(write_report(p, "a\n"), -1);
    slurp(p, buf, sizeof buf);
    assert_string_equal(buf, "a\n");
    assert_int_equal(entries(), 1);
    /* a file system that cannot sync folders (EINVAL) is not */
    dir_errno = EINVAL;
    assert_int_equal(write_report(p, "b\n"), 0);
    slurp(p, buf, sizeof buf);
    assert_string_equal(buf, "b\n");
}

static void test_fifo_written_in_place(void **st)
{
    (void)st;
    char p[512], l[512];
    path(p, sizeof p, "fifo");
    assert_int_equal(mkfifo(p, 0600), 0);
    path(l, sizeof l, "fifo-link");
    assert_int_equal(symlink(p, l), 0);
    for (int round = 0; round < 2; round++) {
        const char *name = round ? l : p;
        int pfd[2];
        assert_int_equal(pipe(pfd), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) { /* the reader on the other end: sends back what it read */
            close(pfd[0]);
            int fd = open(p, O_RDONLY);
            char b[256];
            ssize_t n = fd < 0 ? -1 : read(fd, b, sizeof b);
            _exit(n > 0 && write(pfd[1], b, (size_t)n) == n ? 0 : 1);
        }
        close(pfd[1]);
        xs_cli_out o;
        assert_int_equal(xs_cli_out_resolve(&o, name), 0);
        assert_int_equal(o.kind, XS_CLI_OUT_STREAM);
        assert_int_equal(xs_cli_out_open(&o), 0);
        fputs("report\n", o.f);
        assert_int_equal(xs_cli_out_commit(&o), 0);
        xs_cli_out_abort(&o);
        char got[256];
        ssize_t n = read(pfd[0], got, sizeof got - 1);
        close(pfd[0]);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        assert_true(n > 0);
        got[n] = 0;
        assert_string_equal(got, "report\n");
        struct stat sb;
        assert_int_equal(lstat(p, &sb), 0);
        assert_true(S_ISFIFO(sb.st_mode));
        assert_int_equal(lstat(l, &sb), 0);
        assert_true(S_ISLNK(sb.st_mode));
    }
    assert_int_equal(entries(), 2);
}

/* The device nodes under test. As root a regression (a device replaced by a rename) would
 * wreck the machine's own /dev/null, so root gets private nodes made with mknod in the test
 * folder; any other user cannot write in /dev, and uses the real ones. */
static int device(char *out, size_t cap, const char *name, unsigned minor)
{
    if (geteuid() != 0) {
        snprintf(out, cap, "/dev/%s", name);
        return 0;
    }
    path(out, cap, name);
    if (mknod(out, S_IFCHR | 0600, makedev(1, minor)) != 0) {
        fprintf(stderr, "SKIP character devices: running as root and mknod failed: %s\n",
                strerror(errno));
        return -1;
    }
    return 0;
}

static void test_character_device(void **st)
{
    (void)st;
    char null[512], full[512], l[512];
    if (device(null, sizeof null, "null", 3) != 0 || device(full, sizeof full, "full", 7) != 0)
        return;
    int n0 = entries();
    path(l, sizeof l, "null-link");
    assert_int_equal(symlink(null, l), 0);
    assert_int_equal(write_report(l, "gone\n"), 0);
    assert_int_equal(write_report(null, "gone\n"), 0);
    struct stat sb;
    assert_int_equal(lstat(null, &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    assert_int_equal(lstat(l, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_int_equal(entries(), n0 + 1);
    /* /dev/full: the write error is the commit's */
    xs_cli_out o;
    assert_int_equal(xs_cli_out_resolve(&o, full), 0);
    assert_int_equal(o.kind, XS_CLI_OUT_STREAM);
    assert_int_equal(xs_cli_out_open(&o), 0);
    fputs("x\n", o.f);
    assert_int_equal(xs_cli_out_commit(&o), -1);
    xs_cli_out_abort(&o);
    assert_int_equal(lstat(full, &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    assert_int_equal(entries(), n0 + 1);
}

static void test_refused(void **st)
{
    (void)st;
    char p[512], q[512];
    xs_cli_out o;
    put("target.txt", "keep\n");
    assert_int_equal(xs_cli_out_resolve(&o, dir), -1); /* a folder */
    path(p, sizeof p, "sub/");
    assert_int_equal(xs_cli_out_resolve(&o, p), -1); /* a name ending in / */
    path(p, sizeof p, "dangling");
    assert_int_equal(symlink("/nonexistent/exsweep", p), 0);
    assert_int_equal(xs_cli_out_resolve(&o, p), -1);
    path(p, sizeof p, "loop");
    assert_int_equal(symlink(p, p), 0);
    assert_int_equal(xs_cli_out_resolve(&o, p), -1);
    path(p, sizeof p, "to-file");
    path(q, sizeof q, "target.txt");
    assert_int_equal(symlink(q, p), 0);
    assert_int_equal(xs_cli_out_resolve(&o, p), -1); /* a symlink to a regular file */
    path(p, sizeof p, "to-dir");
    assert_int_equal(symlink(dir, p), 0);
    assert_int_equal(xs_cli_out_resolve(&o, p), -1);
    path(p, sizeof p, "none/report.txt");
    assert_int_equal(xs_cli_out_resolve(&o, p), -1); /* no such folder */
    assert_int_equal(xs_cli_out_resolve(&o, ""), -1);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    int sl = snprintf(a.sun_path, sizeof a.sun_path, "%s/sock", dir);
    assert_true(sl > 0 && (size_t)sl < sizeof a.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(xs_cli_out_resolve(&o, a.sun_path), -1);
    close(fd);
    /* nothing was created or replaced */
    assert_int_equal(entries(), 6);
    char buf[64];
    slurp(q, buf, sizeof buf);
    assert_string_equal(buf, "keep\n");
    struct stat sb;
    path(p, sizeof p, "to-file");
    assert_int_equal(lstat(p, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_int_equal(xs_cli_out_resolve(&o, "-"), 0);
    assert_int_equal(o.kind, XS_CLI_OUT_STDOUT);
    assert_ptr_equal(o.f, stdout);
}

/* A symlink that appeared at the name during the sweep is not replaced by the rename. */
static void test_name_became_symlink(void **st)
{
    (void)st;
    char p[512], q[512], buf[64];
    path(p, sizeof p, "r.txt");
    path(q, sizeof q, "elsewhere");
    put("elsewhere", "keep\n");
    xs_cli_out o;
    assert_int_equal(xs_cli_out_resolve(&o, p), 0);
    assert_int_equal(xs_cli_out_open(&o), 0);
    fputs("report\n", o.f);
    assert_int_equal(symlink(q, p), 0);
    assert_int_equal(xs_cli_out_commit(&o), -1);
    xs_cli_out_abort(&o);
    struct stat sb;
    assert_int_equal(lstat(p, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    slurp(q, buf, sizeof buf);
    assert_string_equal(buf, "keep\n");
    assert_int_equal(entries(), 2);
}

/* A sweep stopped by a signal leaves no temporary file; the old report stays. */
static void test_signal_removes_temporary(void **st)
{
    (void)st;
    char p[512], buf[64];
    put("r.txt", "old report\n");
    path(p, sizeof p, "r.txt");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        xs_cli_out o;
        if (xs_cli_out_resolve(&o, p) != 0 || xs_cli_out_open(&o) != 0)
            _exit(1);
        fputs("half a report", o.f);
        fflush(o.f);
        raise(SIGTERM);
        _exit(2);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    slurp(p, buf, sizeof buf);
    assert_string_equal(buf, "old report\n");
    assert_int_equal(entries(), 1);
}

/* The evidence check works on resolved paths: symlinks on either side do not hide it. */
static void test_inside(void **st)
{
    (void)st;
    char ev[512], evl[512], p[600], fifo[512];
    path(ev, sizeof ev, "ev");
    assert_int_equal(mkdir(ev, 0700), 0);
    put("ev/x.log", "x\n");
    path(evl, sizeof evl, "ev-link");
    assert_int_equal(symlink(ev, evl), 0);
    xs_cli_out o;
    snprintf(p, sizeof p, "%s/report.txt", evl);
    assert_int_equal(xs_cli_out_resolve(&o, p), 0);
    assert_true(xs_cli_out_inside(&o, ev));
    snprintf(p, sizeof p, "%s/report.txt", ev);
    assert_int_equal(xs_cli_out_resolve(&o, p), 0);
    assert_true(xs_cli_out_inside(&o, evl));
    path(fifo, sizeof fifo, "ev/fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(xs_cli_out_resolve(&o, fifo), 0);
    assert_true(xs_cli_out_inside(&o, evl));
    snprintf(p, sizeof p, "%s/x.log", ev);
    assert_int_equal(xs_cli_out_resolve(&o, p), 0);
    assert_true(xs_cli_out_inside(&o, p)); /* a file root: the file itself */
    path(p, sizeof p, "evidence-not.txt");
    assert_int_equal(xs_cli_out_resolve(&o, p), 0);
    assert_false(xs_cli_out_inside(&o, ev));
    snprintf(p, sizeof p, "%s/x.log", ev);
    assert_false(xs_cli_out_inside(&o, p));
    assert_int_equal(xs_cli_out_resolve(&o, "-"), 0);
    assert_false(xs_cli_out_inside(&o, "/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_and_replaced_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_fsync_rename_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_fsync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_written_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_character_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_became_symlink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signal_removes_temporary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inside, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
