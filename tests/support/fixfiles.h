/* Test support: file fixtures for the file checks, assembled at run time from fragments.
 *
 * Web shells and other attack artefacts are never committed whole: each fixture is joined
 * here from pieces that are harmless on their own, in memory, when a test needs it. Benign
 * twins (pages, scripts and configurations shaped like Exchange's own) come with them.
 */
#ifndef XS_TEST_FIXFILES_H
#define XS_TEST_FIXFILES_H

#include <stddef.h>

typedef struct t_fix {
    const char *name; /* "ws-eval", "benign-logon", ... */
    const char *rule; /* the shipped rule id it must trigger (EXS-Y-*: a YARA rule; EXS-FILE-WS-CODE:
                         the behaviour of its code), or NULL for benign fixtures */
    unsigned char *data;
    size_t len;
} t_fix;

/* Builds fixture name (malloc'd data), or returns NULL for an unknown name. */
t_fix *t_fix_make(const char *name);
void t_fix_free(t_fix *f);

/* Every fixture name, NULL-terminated: positives first, then benign twins. */
extern const char *const t_fix_names[];

/* A minidump whose first module is `process` (e.g. "C:\\Windows\\System32\\lsass.exe"),
 * with a MiscInfo stream holding pid and a Memory64List stream. *len receives the size. */
unsigned char *t_fix_minidump(const char *process, unsigned pid, size_t *len);

/* Writes data to dir/rel, creating the folders. Returns 0 on success. */
int t_fix_write(const char *dir, const char *rel, const void *data, size_t len);
/* Same, then sets the file's modification time (seconds since the epoch, UTC). */
int t_fix_write_at(const char *dir, const char *rel, const void *data, size_t len, long long mtime);

/* Makes a fresh folder "$TMPDIR/<prefix>-XXXXXX" (/tmp when TMPDIR is unset) and writes its
 * path to dir (cap bytes). Returns 0 on success. */
int t_tmpdir_create(char *dir, size_t cap, const char *prefix);
/* Removes dir and everything below it (symbolic links are removed, never followed).
 * Returns 0 on success. */
int t_tmpdir_remove(const char *dir);

/* A cmocka setup and teardown pair: each test gets a fresh folder t_dir ("exs-test-XXXXXX"),
 * removed after it. */
extern char t_dir[256];
int t_dir_setup(void **state);
int t_dir_teardown(void **state);

#endif
