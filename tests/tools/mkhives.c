/* mkhives: writes the registry hives of an Exchange server for the end-to-end cases, where a
 * KAPE collection keeps them.
 *
 *   mkhives [--benign] [--dirty] DIR
 *
 * DIR/C/Windows/System32/config/SOFTWARE and SYSTEM, DIR/C/Users/admin/NTUSER.DAT, from
 * tests/support/fixhives.c: with the attackers' changes, or (--benign) without. --dirty writes
 * the SYSTEM hive dirty with its changes in SYSTEM.LOG1 beside it (a new-format log entry).
 * Exit status 0, or 2 on usage or write errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixfiles.h"
#include "fixhives.h"

static int put(const char *dir, const char *rel, t_hw *w, const t_hw_opts *o)
{
    size_t n;
    unsigned char *b = w ? t_hw_build(w, o, &n) : NULL;
    t_hw_free(w);
    int rc = b ? t_fix_write(dir, rel, b, n) : -1;
    free(b);
    if (rc != 0)
        fprintf(stderr, "mkhives: cannot write %s/%s\n", dir, rel);
    return rc;
}

int main(int argc, char **argv)
{
    bool benign = false, dirty = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--benign") == 0)
            benign = true;
        else if (strcmp(argv[i], "--dirty") == 0)
            dirty = true;
        else
            break;
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: mkhives [--benign] [--dirty] DIR\n");
        return 2;
    }
    const char *dir = argv[i];
    t_hw *sw = t_hive_software(), *sys = t_hive_system(2), *user = t_hive_ntuser();
    if (!benign && sw && sys && user) {
        t_hive_software_changes(sw);
        t_hive_system_changes(sys);
        t_hive_ntuser_changes(user);
    }
    int rc = put(dir, "C/Windows/System32/config/SOFTWARE", sw, NULL) |
             put(dir, "C/Users/admin/NTUSER.DAT", user, NULL);
    if (!dirty)
        return (rc | put(dir, "C/Windows/System32/config/SYSTEM", sys, NULL)) ? 2 : 0;
    /* the hive on disk as it was before the changes; the log holds them */
    t_hw_opts o = {true, 0, "\\??\\C:\\Windows\\System32\\config\\SYSTEM", 0, false};
    t_hw *before = t_hive_system(2);
    size_t n[2] = {0, 0}, ln = 0;
    unsigned char *h[2] = {before ? t_hw_build(before, &o, &n[0]) : NULL,
                           sys ? t_hw_build(sys, &o, &n[1]) : NULL};
    t_hw_free(before);
    t_hw_free(sys);
    unsigned char *log =
        h[0] && h[1] ? t_hw_log((const unsigned char *const *)h, n, 2, 6, false, &ln) : NULL;
    if (!log || t_fix_write(dir, "C/Windows/System32/config/SYSTEM", h[0], n[0]) != 0 ||
        t_fix_write(dir, "C/Windows/System32/config/SYSTEM.LOG1", log, ln) != 0) {
        fprintf(stderr, "mkhives: cannot write the dirty SYSTEM hive\n");
        rc = 2;
    }
    free(log);
    free(h[0]);
    free(h[1]);
    return rc ? 2 : 0;
}
