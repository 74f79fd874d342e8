/* The report's destination: see output.h for what each kind of path gets, and why. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"

/* The temporary file while it exists, for the signal handler: a sweep stopped by ^C or kill
 * leaves no half report beside the old one. */
static char *volatile g_tmp;

static void on_signal(int sig)
{
    char *t = g_tmp;
    if (t)
        unlink(t);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        /* a signal the caller ignores (nohup) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

static const char *type_name(mode_t m)
{
    if (S_ISDIR(m))
        return "folder";
    if (S_ISSOCK(m))
        return "socket";
    if (S_ISBLK(m))
        return "block device";
    if (S_ISREG(m))
        return "regular file";
    return "special file";
}

static int out_refuse(const char *path, const char *why, const char *what)
{
    xs_cli_msg("exsweep scan: -o %s: %s%s; -o takes a regular file (replaced), a FIFO or a "
                "character device (written in place), or - for standard output",
                path, why, what);
    return -1;
}

static int out_fail(xs_cli_out *o, const char *what, int e)
{
    xs_cli_msg("exsweep scan: -o %s: %s: %s", o->name, what, e ? strerror(e) : "write error");
    xs_cli_out_abort(o);
    return -1;
}

/* A regular or absent file: the folder it is in must exist; the report lands in its real
 * path plus the name. */
static int resolve_file(xs_cli_out *o)
{
    const char *path = o->name;
    size_t len = strlen(path);
    if (len && path[len - 1] == '/')
        return out_refuse(path, "names a folder", "");
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dl = slash ? (size_t)(slash - path) : 1;
    if (dl >= sizeof o->dir || len + 16 >= sizeof o->tmp)
        return out_refuse(path, "path too long", "");
    if (!slash)
        memcpy(o->dir, ".", 2);
    else if (dl == 0)
        memcpy(o->dir, "/", 2);
    else {
        memcpy(o->dir, path, dl);
        o->dir[dl] = 0;
    }
    char d[PATH_MAX];
    if (!realpath(o->dir, d)) {
        xs_cli_msg("exsweep scan: -o %s: cannot write in %s: %s", path, o->dir, strerror(errno));
        return -1;
    }
    int n = snprintf(o->real, sizeof o->real, "%s/%s", strcmp(d, "/") ? d : "", base);
    if (n < 0 || (size_t)n >= sizeof o->real)
        return out_refuse(path, "path too long", "");
    o->kind = XS_CLI_OUT_FILE;
    return 0;
}

int xs_cli_out_resolve(xs_cli_out *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->name = path;
    if (strcmp(path, "-") == 0) {
        o->kind = XS_CLI_OUT_STDOUT;
        o->f = stdout;
        return 0;
    }
    if (!*path)
        return out_refuse("''", "an empty name", "");
    struct stat ls, st;
    if (lstat(path, &ls) != 0) {
        if (errno == ENOENT)
            return resolve_file(o);
        xs_cli_msg("exsweep scan: -o %s: %s", path, strerror(errno));
        return -1;
    }
    int link = S_ISLNK(ls.st_mode);
    if (link) {
        if (stat(path, &st) != 0) {
            if (errno == ENOENT)
                return out_refuse(path, "a dangling symbolic link", "");
            if (errno == ELOOP)
                return out_refuse(path, "a symbolic link loop", "");
            xs_cli_msg("exsweep scan: -o %s: %s", path, strerror(errno));
            return -1;
        }
        if (S_ISREG(st.st_mode))
            return out_refuse(path, "a symbolic link to a regular file (never replaced, never "
                                "written through: give the file's own path)", "");
    } else {
        st = ls;
    }
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
        o->kind = XS_CLI_OUT_STREAM;
        if (!realpath(path, o->real)) /* /dev/stdout on a pipe: no place in a file system */
            o->real[0] = 0;
        return 0;
    }
    if (S_ISREG(st.st_mode))
        return resolve_file(o);
    return out_refuse(path, link ? "a symbolic link to a " : "a ", type_name(st.st_mode));
}

int xs_cli_out_inside(const xs_cli_out *o, const char *root)
{
    char d[PATH_MAX];
    struct stat st;
    if (!o->real[0] || !realpath(root, d) || stat(d, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode)) /* an evidence file: only the file itself is off limits */
        return strcmp(o->real, d) == 0;
    size_t n = strlen(d);
    return n == 1 || (strncmp(o->real, d, n) == 0 && (o->real[n] == 0 || o->real[n] == '/'));
}

int xs_cli_out_open(xs_cli_out *o)
{
    int fd = -1;
    if (o->kind == XS_CLI_OUT_STDOUT)
        return 0;
    if (o->kind == XS_CLI_OUT_FILE) {
        snprintf(o->tmp, sizeof o->tmp, "%s.tmpXXXXXX", o->name);
        fd = mkostemp(o->tmp, O_CLOEXEC); /* O_EXCL, mode 0600 */
        if (fd < 0) {
            o->tmp[0] = 0;
            return out_fail(o, "cannot create a temporary file beside it", errno);
        }
        g_tmp = o->tmp;
        catch_signals();
    } else {
        fd = open(o->name, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        struct stat st;
        if (fd < 0)
            return out_fail(o, "cannot open", errno);
        if (fstat(fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
            close(fd);
            return out_refuse(o->name, "changed since it was checked", "");
        }
    }
    o->f = fdopen(fd, "w");
    if (!o->f) {
        int e = errno;
        close(fd);
        return out_fail(o, "cannot open", e);
    }
    return 0;
}

int xs_cli_out_commit(xs_cli_out *o)
{
    if (o->kind == XS_CLI_OUT_STDOUT)
        return xs_cli_stdout_done("scan", 0) == 0 ? 0 : -1;
    int e = fflush(o->f) != 0 ? errno : 0;
    if (e || ferror(o->f))
        return out_fail(o, "writing the report failed", e);
    if (o->kind == XS_CLI_OUT_FILE && fsync(fileno(o->f)) != 0)
        return out_fail(o, "fsync of the report failed", errno);
    FILE *f = o->f;
    o->f = NULL;
    if (fclose(f) != 0)
        return out_fail(o, "writing the report failed", errno);
    if (o->kind != XS_CLI_OUT_FILE)
        return 0;
    /* The rename must not replace what appeared at the name during the sweep, unless it is
     * a regular file as before (a symlink above all). */
    struct stat st;
    if (lstat(o->name, &st) == 0 && !S_ISREG(st.st_mode)) {
        xs_cli_out_abort(o);
        return out_refuse(o->name, "became a ", S_ISLNK(st.st_mode) ? "symbolic link during the sweep"
                                                                : "special file during the sweep");
    }
    if (rename(o->tmp, o->name) != 0)
        return out_fail(o, "renaming the report into place failed", errno);
    g_tmp = NULL;
    o->tmp[0] = 0;
    /* The rename is durable once the folder is: fsync it. A file system that cannot sync a
     * folder says EINVAL; the report is in place all the same. */
    int dfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return out_fail(o, "the report is in place, but its folder could not be opened to sync it",
                    errno);
    e = fsync(dfd) != 0 && errno != EINVAL ? errno : 0;
    close(dfd);
    if (e)
        return out_fail(o, "the report is in place, but the fsync of its folder failed", e);
    return 0;
}

void xs_cli_out_abort(xs_cli_out *o)
{
    if (o->f && o->f != stdout)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp[0]) {
        g_tmp = NULL;
        unlink(o->tmp);
    }
    o->tmp[0] = 0;
}
