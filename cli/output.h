/* Where exsweep scan writes its report (-o, --output).
 *
 *   -                              standard output
 *   a regular file, or no file     a new file under a temporary name in the same folder
 *                                  (O_EXCL, mode 0600), then fflush, fsync, rename onto the
 *                                  name, fsync of the folder: the name holds the old report
 *                                  or the whole new one, never a part
 *   a FIFO or a character device   opened for writing and written in place (symlinks
 *   (/dev/null, /dev/stdout)       followed): never replaced, never unlinked
 *   anything else                  refused: a folder, a socket, a block device, a dangling
 *                                  or looping symlink, and a symlink to a regular file
 *
 * A symlink is never replaced by the rename. One that leads to a regular file is refused
 * rather than written through: the target would be replaced by a path the user did not
 * name, and resolving it by hand would bypass the kernel's protected_symlinks check, so a
 * link planted in a shared folder such as /tmp could make a root sweep replace any file.
 */
#ifndef XS_CLI_OUTPUT_H
#define XS_CLI_OUTPUT_H

#include <limits.h>
#include <stdio.h>

typedef enum xs_cli_out_kind {
    XS_CLI_OUT_STDOUT = 0,
    XS_CLI_OUT_STREAM, /* a FIFO or character device, written in place */
    XS_CLI_OUT_FILE,   /* a regular or absent file, through a temporary name */
} xs_cli_out_kind;

typedef struct xs_cli_out {
    xs_cli_out_kind kind;
    const char *name;    /* the path as given (borrowed), for messages and the rename */
    char real[PATH_MAX]; /* where the bytes land, symlinks resolved ("" when unknown) */
    char dir[PATH_MAX];  /* FILE: the folder holding name */
    char tmp[PATH_MAX];  /* FILE: the temporary file while it exists, else "" */
    FILE *f;             /* the open stream, stdout for STDOUT */
} xs_cli_out;

/* Decides what path is, creating and opening nothing. Returns 0, or -1 after a message. */
int xs_cli_out_resolve(xs_cli_out *o, const char *path);

/* True when the report would land inside (or on) the evidence root: compared on resolved
 * paths, so symlinks on either side do not hide it. */
int xs_cli_out_inside(const xs_cli_out *o, const char *root);

/* Opens what resolve decided: the temporary file, the FIFO or device (blocks until a FIFO
 * has a reader, as a shell redirection does), or stdout. Returns 0, or -1 after a message. */
int xs_cli_out_open(xs_cli_out *o);

/* Finishes the report: flushes, and for a file fsyncs it, renames it onto name and fsyncs
 * the folder. Returns 0, or -1 after a message; the temporary file is then removed. */
int xs_cli_out_commit(xs_cli_out *o);

/* Gives up: closes the stream (never stdout) and removes the temporary file. Safe after
 * commit and on a zeroed struct. */
void xs_cli_out_abort(xs_cli_out *o);

#endif
