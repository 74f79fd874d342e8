/* Published web shell paths of Exchange intrusions, as URLs of the server, for
 * exsweep probe --check-shells (catalogue 3.1 and 3.3: each path's source is beside it in
 * shells.c). A path is judged against a baseline of its own folder: what the same host
 * answers for a name that cannot exist there (a soft 404 answers 200 for anything).
 */
#ifndef XS_PROBE_SHELLS_H
#define XS_PROBE_SHELLS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct xs_shell_path {
    const char *path; /* "/aspnet_client/shell.aspx" */
    int dir;          /* its folder: an index of xs_shell_dirs */
} xs_shell_path;

extern const char *const xs_shell_dirs[];  /* "/aspnet_client/", ... */
extern const size_t xs_shell_ndirs;
extern const xs_shell_path xs_shell_paths[];
extern const size_t xs_shell_npaths;

/* Does a response (status, body bytes) to a shell path differ from its folder's baseline as
 * a file that is there differs from one that is not? Only a 200 or a 500 can be a shell (a
 * shell asked without its parameters answers 200, often empty, or fails with 500); it is a
 * possible one when the baseline's status differs, or, the same status, when the lengths
 * differ by more than 64 bytes and a twentieth of the baseline's. */
bool xs_shell_differs(long status, size_t bytes, long base_status, size_t base_bytes);

#endif
