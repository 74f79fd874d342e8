/* Evidence sources on disk: folder walks, symlinks, special files, archives (nested, corrupt,
 * 7z), several roots, and evidence left untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "fixfiles.h"
#include "memscan.h"
#include "mkarchive.h"
#include "sources/walk.h"

#define HDR                                                                                        \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "         \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
#define SHELL(ip) HDR "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami 443 - " ip " M - 200 0 0 1\r\n"

static char *const dir = t_dir; /* made and removed around each test */

static void put(const char *rel, const char *data)
{
    assert_int_equal(t_fix_write(dir, rel, data, strlen(data)), 0);
}

static exs_scan *run(const char *const *roots, unsigned jobs)
{
    exs_scan *s;
    exs_scan_opts o = {jobs, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    for (size_t i = 0; roots[i]; i++)
        assert_int_equal(exs_scan_add_root(s, roots[i]), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    return s;
}

static void test_walk(void **st)
{
    (void)st;
    put("C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", SHELL("192.0.2.1"));
    put("outside/secret.log", SHELL("192.0.2.99"));
    char p[512], q[512];
    /* a symlink to a file outside the tree and one to a folder: never followed */
    snprintf(p, sizeof p, "%s/outside/secret.log", dir);
    snprintf(q, sizeof q, "%s/C/inetpub/logs/LogFiles/W3SVC1/link.log", dir);
    assert_int_equal(symlink(p, q), 0);
    snprintf(p, sizeof p, "%s/outside", dir);
    snprintf(q, sizeof q, "%s/C/inetpub/logs/LogFiles/W3SVC1/linkdir", dir);
    assert_int_equal(symlink(p, q), 0);
    snprintf(q, sizeof q, "%s/C/inetpub/logs/LogFiles/W3SVC1/fifo", dir);
    assert_int_equal(mkfifo(q, 0600), 0);
    snprintf(q, sizeof q, "%s/C", dir);
    struct stat before;
    snprintf(p, sizeof p, "%s/C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", dir);
    assert_int_equal(stat(p, &before), 0);

    const char *roots[] = {q, NULL};
    exs_scan *s = run(roots, 2);
    assert_string_equal(t_summary(s), "EXS-WS-ACCESS exploitation 192.0.2.1 2\nEXS-WS-CMD exploitation 192.0.2.1 2");
    assert_string_equal(t_find(s, NULL, 0)->origin.path, "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log");
    assert_int_equal(t_find(s, NULL, 0)->origin.root, 0);
    assert_string_equal(exs_results_sweep(exs_scan_results(s))->roots[0].label, "C");
    assert_int_equal(t_warns(s, "symlink"), 2);
    assert_int_equal(t_warns(s, "not-regular"), 1);
    struct stat after;
    assert_int_equal(stat(p, &after), 0);
    assert_int_equal(after.st_mtime, before.st_mtime);
    assert_int_equal(after.st_atime, before.st_atime); /* O_NOATIME */
    assert_int_equal(after.st_size, before.st_size);
    exs_scan_destroy(s);

    /* two roots: each finding names its root, and the path under it */
    char r2[512];
    snprintf(r2, sizeof r2, "%s/outside", dir);
    const char *two[] = {q, r2, NULL};
    s = run(two, 1);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 2);
    const exs_finding *a = t_find(s, "EXS-WS-CMD", 0), *b = t_find(s, "EXS-WS-CMD", 1);
    assert_string_equal(a->origin.path, "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log");
    assert_int_equal(a->origin.root, 0);
    assert_string_equal(b->origin.path, "secret.log");
    assert_int_equal(b->origin.root, 1);
    const exs_sweep_info *sw = exs_results_sweep(exs_scan_results(s));
    assert_int_equal(sw->nroots, 2);
    assert_string_equal(sw->roots[0].label, "C");
    assert_string_equal(sw->roots[1].label, "outside");
    exs_scan_destroy(s);
}

static void test_archives(void **st)
{
    (void)st;
    char z[512], inner[512], outer[512], bad[512], sz[512];
    snprintf(z, sizeof z, "%s/triage.zip", dir);
    const char *names[] = {"C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", "README.txt", NULL};
    const char *datas[] = {SHELL("192.0.2.5"), "collected by kape", NULL};
    assert_int_equal(t_write_archive(z, "zip", names, datas, NULL), 0);
    /* the archive as a root: members are shown relative to it */
    const char *roots[] = {z, NULL};
    exs_scan *s = run(roots, 1);
    assert_string_equal(t_summary(s), "EXS-WS-ACCESS exploitation 192.0.2.5 2\nEXS-WS-CMD exploitation 192.0.2.5 2");
    assert_string_equal(t_find(s, NULL, 0)->origin.path, "C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log");
    assert_int_equal(t_find(s, NULL, 0)->origin.nmembers, 0);
    exs_scan_destroy(s);

    /* a tar.gz holding the zip, inside a folder: nested member paths */
    snprintf(inner, sizeof inner, "%s/case/inner.zip", dir);
    put("case/placeholder", "x");
    assert_int_equal(t_write_archive(inner, "zip", names, datas, NULL), 0);
    FILE *f = fopen(inner, "rb");
    static char zipbytes[65536];
    size_t zn = fread(zipbytes, 1, sizeof zipbytes, f);
    fclose(f);
    snprintf(outer, sizeof outer, "%s/case/outer.tar.gz", dir);
    const char *on[] = {"evidence/inner.zip", NULL};
    const char *od[] = {zipbytes, NULL};
    size_t ol[] = {zn};
    assert_int_equal(t_write_archive(outer, "tar.gz", on, od, ol), 0);
    unlink(inner);
    char cd[512];
    snprintf(cd, sizeof cd, "%s/case", dir);
    const char *r2[] = {cd, NULL};
    s = run(r2, 2);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 1);
    const exs_finding *m = t_find(s, "EXS-WS-CMD", 0);
    assert_string_equal(m->origin.path, "outer.tar.gz");
    assert_int_equal(m->origin.nmembers, 2);
    assert_string_equal(m->origin.members[0], "evidence/inner.zip");
    assert_string_equal(m->origin.members[1], "C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log");
    exs_scan_destroy(s);

    /* a damaged archive: a counted warning, the sweep goes on */
    snprintf(bad, sizeof bad, "%s/bad/broken.zip", dir);
    put("bad/broken.zip", "PK\3\4 this is not really a zip file at all");
    put("bad/C/inetpub/logs/LogFiles/W3SVC1/u_ex210304.log", SHELL("192.0.2.6"));
    snprintf(cd, sizeof cd, "%s/bad", dir);
    const char *r3[] = {cd, NULL};
    s = run(r3, 2);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 1);
    assert_int_equal(t_warns(s, "archive"), 1);
    exs_scan_destroy(s);

    /* 7z needs seeking: read from a file root */
    snprintf(sz, sizeof sz, "%s/triage.7z", dir);
    assert_int_equal(t_write_archive(sz, "7z", names, datas, NULL), 0);
    const char *r4[] = {sz, NULL};
    s = run(r4, 1);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 1);
    exs_scan_destroy(s);
    (void)bad;
}

static void test_missing_root(void **st)
{
    (void)st;
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, NULL), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, "/nonexistent/exsweep/path"), EXS_ENOENT);
    assert_int_equal(exs_scan_add_root(s, ""), EXS_EINVAL);
    exs_scan_destroy(s);
    exs_scan_destroy(NULL);
}

/* Which mounts move access times on read (the warning of kind atime): a FUSE mount unless
 * read-only or noatime; an SMB share (kernel cifs, smb2, smbfs) always, whatever the client's
 * flags; a local filesystem never (O_NOATIME). */
static void test_atime_risk(void **state)
{
    (void)state;
    const long long fuse = 0x65735546, cifs = 0xFF534D42, smb2 = 0xFE534D42, smb = 0x517B,
                    ext4 = 0xEF53, ntfs3 = 0x7366746E;
    assert_non_null(strstr(xs_atime_risk(fuse, 0), "a read-write FUSE mount (ntfs-3g?)"));
    assert_null(xs_atime_risk(fuse, ST_RDONLY));
    assert_null(xs_atime_risk(fuse, ST_NOATIME));
    for (int i = 0; i < 3; i++) {
        long long t = i == 0 ? cifs : i == 1 ? smb2 : smb;
        assert_non_null(strstr(xs_atime_risk(t, 0), "an SMB share: the server's filesystem"));
        assert_non_null(xs_atime_risk(t, ST_RDONLY | ST_NOATIME));
    }
    assert_null(xs_atime_risk(ext4, 0));
    assert_null(xs_atime_risk(ntfs3, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_walk, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_archives, t_dir_setup, t_dir_teardown),
        cmocka_unit_test(test_missing_root),
        cmocka_unit_test(test_atime_risk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
