/* The cache of compiled Vectorscan literal databases (lib/engines/hscache.c): a miss compiles
 * and stores, a hit loads a database that matches exactly as a compiled one; a changed, cut,
 * linked, oversized or foreign file is not used (and is replaced); a folder others may write or
 * that is not a folder is refused; the key tells apart what a database depends on; pruning keeps
 * XS_HSCACHE_MAX_FILES; and a failure of any of its calls still gives a working database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/limits.h"
#include "engines/hscache.h"
#include "fixfiles.h"

static const char *const lits[] = {"whoami", "mimikatz", "Invoke-Expression", "-enc"};
static const size_t lens[] = {6, 8, 17, 4};
static const unsigned ids[] = {1, 2, 3, 4};
static const unsigned flags[] = {HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH,
                                 HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH, HS_FLAG_SINGLEMATCH,
                                 HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH};
static const char text[] = "cmd /c WHOAMI & powershell -ENC abc; invoke-expression; mimikatz";

static int on_match(unsigned id, unsigned long long from, unsigned long long to,
                    unsigned fl, void *ctx)
{
    (void)from, (void)to, (void)fl;
    *(unsigned *)ctx |= 1u << id;
    return 0;
}

/* The ids db finds in text, as a bit set. Invoke-Expression is cased: not found. */
static unsigned matches(hs_database_t *db)
{
    hs_scratch_t *scr = NULL;
    unsigned got = 0;
    assert_int_equal(hs_alloc_scratch(db, &scr), HS_SUCCESS);
    assert_int_equal(hs_scan(db, text, sizeof text - 1, 0, scr, on_match, &got), HS_SUCCESS);
    hs_free_scratch(scr);
    return got;
}
#define WANT ((1u << 1) | (1u << 2) | (1u << 4))

static char cdir[512];

static int setup(void **state)
{
    if (t_dir_setup(state) != 0)
        return -1;
    snprintf(cdir, sizeof cdir, "%s/a/b/cache", t_dir);
    xs_hscache_fault_at(0);
    return 0;
}

static int teardown(void **state)
{
    xs_hscache_fault_at(0);
    chmod(t_dir, 0700);
    return t_dir_teardown(state);
}

/* One compilation of the literals through a cache opened on cdir (or none when it cannot be
 * opened), its stats in *st; asserts the database finds exactly WANT. */
static void compile_with(const unsigned *fl, const unsigned *id, unsigned want,
                         xs_hscache_stats *st)
{
    char why[160] = "";
    xs_hscache *c = xs_hscache_open(cdir, NULL, 0, why, sizeof why);
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    assert_int_equal(xs_hscache_compile_lit(c, lits, fl, id, lens, 4, HS_MODE_BLOCK, &db, &ce),
                     HS_SUCCESS);
    assert_null(ce);
    assert_int_equal(matches(db), want);
    hs_free_database(db);
    xs_hscache_stats_get(c, st);
    xs_hscache_close(c);
}

#define compile_once(fl, id, st) compile_with((fl), (id), WANT, (st))

/* The names of the cache files in cdir: how many, and the first in *name. */
static int db_files(char name[1024])
{
    DIR *d = opendir(cdir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        if (strlen(e->d_name) == 69 && !strcmp(e->d_name + 64, ".hsdb")) {
            if (name && !n)
                snprintf(name, 1024, "%s/%s", cdir, e->d_name);
            n++;
        }
    closedir(d);
    return n;
}

static void test_miss_then_hit(void **state)
{
    (void)state;
    xs_hscache_stats st;
    compile_once(flags, ids, &st);
    assert_int_equal(st.hits, 0);
    assert_int_equal(st.compiled, 1);
    assert_int_equal(st.stored, 1);
    assert_int_equal(st.bad + st.failed, 0);
    struct stat ds;
    assert_int_equal(stat(cdir, &ds), 0);
    assert_int_equal(ds.st_mode & 0777, 0700);
    char name[1024];
    assert_int_equal(db_files(name), 1);
    struct stat fs;
    assert_int_equal(stat(name, &fs), 0);
    assert_int_equal(fs.st_mode & 0777, 0600);
    compile_once(flags, ids, &st);
    assert_int_equal(st.hits, 1);
    assert_int_equal(st.compiled + st.stored + st.bad + st.failed, 0);
    /* no cache: the same */
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    assert_int_equal(xs_hscache_compile_lit(NULL, lits, flags, ids, lens, 4, HS_MODE_BLOCK, &db,
                                            &ce),
                     HS_SUCCESS);
    assert_int_equal(matches(db), WANT);
    hs_free_database(db);
}

/* Each thing the database depends on is in the key: another id, flag or mode is a miss. */
static void test_key(void **state)
{
    (void)state;
    xs_hscache_stats st;
    compile_once(flags, ids, &st);
    static const unsigned ids2[] = {1, 2, 3, 5};
    static const unsigned flags2[] = {HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH,
                                      HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH,
                                      HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH,
                                      HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH};
    compile_with(flags, ids2, (1u << 1) | (1u << 2) | (1u << 5), &st);
    assert_int_equal(st.hits, 0);
    assert_int_equal(st.compiled, 1);
    compile_with(flags2, ids, WANT | (1u << 3), &st);
    assert_int_equal(st.hits, 0);
    assert_int_equal(st.compiled, 1);
    assert_int_equal(db_files(NULL), 3);
    /* a streaming database of the same literals is another file */
    char why[160];
    xs_hscache *c = xs_hscache_open(cdir, NULL, 0, why, sizeof why);
    assert_non_null(c);
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    assert_int_equal(xs_hscache_compile_lit(c, lits, flags, ids, lens, 4, HS_MODE_STREAM, &db,
                                            &ce),
                     HS_SUCCESS);
    xs_hscache_stats_get(c, &st);
    assert_int_equal(st.hits, 0);
    assert_int_equal(st.compiled, 1);
    hs_free_database(db);
    xs_hscache_close(c);
    assert_int_equal(db_files(NULL), 4);
}

static void rewrite(const char *name, long at, unsigned char x, off_t cut)
{
    int fd = open(name, O_RDWR);
    assert_true(fd >= 0);
    if (at >= 0) {
        unsigned char b;
        assert_int_equal(pread(fd, &b, 1, at), 1);
        b ^= x;
        assert_int_equal(pwrite(fd, &b, 1, at), 1);
    }
    if (cut >= 0)
        assert_int_equal(ftruncate(fd, cut), 0);
    close(fd);
}

/* A changed byte anywhere (magic, key, length, sum, database) or a cut file: not used,
 * compiled, stored again; the next run loads the new file. */
static void test_changed_files(void **state)
{
    (void)state;
    xs_hscache_stats st;
    compile_once(flags, ids, &st);
    char name[1024];
    assert_int_equal(db_files(name), 1);
    struct stat fs;
    assert_int_equal(stat(name, &fs), 0);
    const long at[] = {0, 20, 50, 60, 100, (long)fs.st_size - 1};
    for (size_t i = 0; i < sizeof at / sizeof *at + 2; i++) {
        if (i < sizeof at / sizeof *at)
            rewrite(name, at[i], 0x20, -1);
        else
            rewrite(name, -1, 0, i == sizeof at / sizeof *at ? fs.st_size - 1 : 10);
        compile_once(flags, ids, &st);
        assert_int_equal(st.hits, 0);
        assert_int_equal(st.bad, 1);
        assert_int_equal(st.compiled, 1);
        assert_int_equal(st.stored, 1);
        compile_once(flags, ids, &st);
        assert_int_equal(st.hits, 1);
        assert_int_equal(st.bad, 0);
    }
}

/* A link in place of a file is not followed (its target stays as it was) and is replaced by a
 * file; so is a folder's worth of other things: a fifo is not read (no hang). */
static void test_links_and_specials(void **state)
{
    (void)state;
    xs_hscache_stats st;
    compile_once(flags, ids, &st);
    char name[1024], target[600];
    assert_int_equal(db_files(name), 1);
    snprintf(target, sizeof target, "%s/target", t_dir);
    assert_int_equal(rename(name, target), 0);
    assert_int_equal(symlink(target, name), 0);
    struct stat before, after, ls;
    assert_int_equal(stat(target, &before), 0);
    compile_once(flags, ids, &st);
    assert_int_equal(st.hits, 0);
    assert_int_equal(st.bad, 1);
    assert_int_equal(st.stored, 1);
    assert_int_equal(lstat(name, &ls), 0);
    assert_true(S_ISREG(ls.st_mode));
    assert_int_equal(stat(target, &after), 0);
    assert_int_equal(before.st_size, after.st_size);
    assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
    assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
    assert_int_equal(unlink(name), 0);
    assert_int_equal(mkfifo(name, 0600), 0);
    compile_once(flags, ids, &st);
    assert_int_equal(st.bad, 1);
    assert_int_equal(st.compiled, 1);
}

/* A file past XS_HSCACHE_MAX_FILE (plus the header) is not read: past its fstat, it costs the
 * calls a missing file costs (counted by the fault hook), and it is replaced. */
static void test_file_cap(void **state)
{
    (void)state;
    xs_hscache_stats st;
    compile_once(flags, ids, &st);
    char name[1024];
    assert_int_equal(db_files(name), 1);
    assert_int_equal(unlink(name), 0);
    xs_hscache_fault_at(LONG_MAX);
    compile_once(flags, ids, &st);
    long missing = xs_hscache_fault_calls();
    assert_int_equal(st.bad, 0);
    rewrite(name, -1, 0, (off_t)(88 + XS_HSCACHE_MAX_FILE + 1));
    xs_hscache_fault_at(LONG_MAX);
    compile_once(flags, ids, &st);
    long big = xs_hscache_fault_calls();
    xs_hscache_fault_at(0);
    assert_int_equal(st.bad, 1);
    assert_int_equal(st.compiled, 1);
    assert_int_equal(big, missing + 1);
    struct stat fs;
    assert_int_equal(stat(name, &fs), 0);
    assert_true(fs.st_size < 88 + 1024 * 1024); /* replaced */
    /* at the cap exactly, it is read (and found changed) */
    rewrite(name, -1, 0, (off_t)(88 + XS_HSCACHE_MAX_FILE));
    xs_hscache_fault_at(LONG_MAX);
    compile_once(flags, ids, &st);
    assert_true(xs_hscache_fault_calls() > missing + 1);
    xs_hscache_fault_at(0);
    assert_int_equal(st.bad, 1);
    /* xs_hscache_check refuses a length past the cap even when the bytes are there */
    unsigned char head[88] = "EXSWEEP HSDB v1\n";
    unsigned char key[32] = {0};
    uint64_t len = (uint64_t)XS_HSCACHE_MAX_FILE + 1;
    for (int i = 0; i < 8; i++)
        head[48 + i] = (unsigned char)(len >> (8 * i));
    const unsigned char *p;
    size_t n;
    assert_false(xs_hscache_check(head, sizeof head, key, &p, &n));
}

/* Folders that are not used: writable by others, not a folder, another user's (as root). */
static void test_refused_folders(void **state)
{
    (void)state;
    char why[160];
    char d[600];
    snprintf(d, sizeof d, "%s/open", t_dir);
    assert_int_equal(mkdir(d, 0700), 0);
    assert_int_equal(chmod(d, 0777), 0);
    assert_null(xs_hscache_open(d, NULL, 0, why, sizeof why));
    assert_non_null(strstr(why, "writable by other users"));
    assert_int_equal(chmod(d, 0720), 0);
    assert_null(xs_hscache_open(d, NULL, 0, why, sizeof why));
    assert_int_equal(chmod(d, 0700), 0);
    xs_hscache *c = xs_hscache_open(d, NULL, 0, why, sizeof why);
    assert_non_null(c);
    xs_hscache_close(c);
    snprintf(d, sizeof d, "%s/file", t_dir);
    assert_int_equal(t_fix_write(t_dir, "file", "x", 1), 0);
    assert_null(xs_hscache_open(d, NULL, 0, why, sizeof why));
    snprintf(d, sizeof d, "%s/file/below", t_dir);
    assert_null(xs_hscache_open(d, NULL, 0, why, sizeof why));
    assert_null(xs_hscache_open("", NULL, 0, why, sizeof why));
    if (geteuid() == 0) {
        snprintf(d, sizeof d, "%s/theirs", t_dir);
        assert_int_equal(mkdir(d, 0700), 0);
        assert_int_equal(chown(d, 65534, 65534), 0);
        assert_null(xs_hscache_open(d, NULL, 0, why, sizeof why));
        assert_non_null(strstr(why, "not owned by this user"));
        /* and a file of another user in our folder is not used */
        xs_hscache_stats st;
        compile_once(flags, ids, &st);
        char name[1024];
        assert_int_equal(db_files(name), 1);
        assert_int_equal(chown(name, 65534, 65534), 0);
        compile_once(flags, ids, &st);
        assert_int_equal(st.bad, 1);
        assert_int_equal(st.hits, 0);
    }
}

static void touch_at(const char *path, long long sec)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "old", 3), 3);
    struct timespec t[2] = {{(time_t)sec, 0}, {(time_t)sec, 0}};
    assert_int_equal(futimens(fd, t), 0);
    close(fd);
}

#define TMP_OLD ".tmp-0123456789abcdef-12-3"
#define TMP_NEW ".tmp-0123456789abcdef-12-4"

/* Past XS_HSCACHE_MAX_FILES files, closing a cache that stored one keeps the newest
 * XS_HSCACHE_MAX_FILES (the one just stored among them); temporary files over an hour old go,
 * newer ones stay; other names are never touched. */
static void test_prune(void **state)
{
    (void)state;
    char why[160];
    xs_hscache *c = xs_hscache_open(cdir, NULL, 0, why, sizeof why);
    assert_non_null(c);
    xs_hscache_close(c);
    char p[700];
    long long now = (long long)time(NULL);
    for (int i = 0; i < XS_HSCACHE_MAX_FILES + 20; i++) {
        snprintf(p, sizeof p, "%s/%064x.hsdb", cdir, i);
        touch_at(p, now - 100000 + i);
    }
    snprintf(p, sizeof p, "%s/" TMP_OLD, cdir);
    touch_at(p, now - 7200);
    snprintf(p, sizeof p, "%s/" TMP_NEW, cdir);
    touch_at(p, now - 60);
    snprintf(p, sizeof p, "%s/.tmp-mynotes", cdir);
    touch_at(p, now - 7200);
    snprintf(p, sizeof p, "%s/%064x.hsdb.bak", cdir, 1);
    touch_at(p, now - 200000);
    snprintf(p, sizeof p, "%s/notes.txt", cdir);
    touch_at(p, now - 200000);
    xs_hscache_stats st;
    compile_once(flags, ids, &st); /* loads nothing, stores one, prunes */
    assert_int_equal(st.stored, 1);
    assert_int_equal(db_files(NULL), XS_HSCACHE_MAX_FILES);
    for (int i = 0; i < XS_HSCACHE_MAX_FILES + 20; i++) {
        snprintf(p, sizeof p, "%s/%064x.hsdb", cdir, i);
        /* 276 old + 1 new: the 21 oldest go */
        assert_int_equal(access(p, F_OK) == 0, i >= 21);
    }
    snprintf(p, sizeof p, "%s/" TMP_OLD, cdir);
    assert_int_not_equal(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/" TMP_NEW, cdir);
    assert_int_equal(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/.tmp-mynotes", cdir);
    assert_int_equal(access(p, F_OK), 0); /* not the cache's shape: never removed */
    snprintf(p, sizeof p, "%s/%064x.hsdb.bak", cdir, 1);
    assert_int_equal(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/notes.txt", cdir);
    assert_int_equal(access(p, F_OK), 0);
    compile_once(flags, ids, &st); /* the new one was kept */
    assert_int_equal(st.hits, 1);
}

/* Every call that can fail, failed in turn, cold (nothing cached) and warm: the database
 * always works; what was stored is whole or absent (the next run loads or recompiles it). */
static void test_faults(void **state)
{
    (void)state;
    for (int warm = 0; warm < 2; warm++) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf '%s/a'", t_dir);
        assert_int_equal(system(cmd), 0);
        xs_hscache_stats st;
        if (warm)
            compile_once(flags, ids, &st);
        xs_hscache_fault_at(LONG_MAX);
        compile_once(flags, ids, &st);
        long calls = xs_hscache_fault_calls();
        xs_hscache_fault_at(0);
        assert_true(calls > 8);
        for (long n = 1; n <= calls; n++) {
            snprintf(cmd, sizeof cmd, "rm -rf '%s/a'", t_dir);
            assert_int_equal(system(cmd), 0);
            if (warm)
                compile_once(flags, ids, &st);
            xs_hscache_fault_at(n);
            compile_once(flags, ids, &st);
            xs_hscache_fault_at(0);
            compile_once(flags, ids, &st); /* whatever is there: used only if whole */
            assert_int_equal(st.hits + st.compiled, 1);
            compile_once(flags, ids, &st);
            assert_int_equal(st.hits, 1);
            DIR *d = opendir(cdir);
            assert_non_null(d);
            for (struct dirent *e; (e = readdir(d));)
                assert_true(strncmp(e->d_name, ".tmp-", 5) != 0);
            closedir(d);
        }
    }
}

/* Whether t_dir/rel exists. */
static int exists(const char *rel)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", t_dir, rel);
    return access(p, F_OK) == 0;
}

/* Never inside the evidence: the root itself, below it (nothing made there), through a link
 * into it, or past a ".." in the part that does not exist; beside it is fine. The roots are
 * told by identity, so another path to the same folder (a bind mount, a name in another case)
 * is the same root: here a second link to it. */
static void test_not_in_evidence(void **state)
{
    (void)state;
    char ev[600], d[1200], why[160];
    snprintf(ev, sizeof ev, "%s/ev", t_dir);
    assert_int_equal(mkdir(ev, 0700), 0);
    assert_int_equal(mkdir(strcat(strcpy(d, ev), "/x"), 0700), 0);
    struct stat avoid[2];
    assert_int_equal(stat(ev, &avoid[1]), 0);
    snprintf(d, sizeof d, "%s/other", t_dir);
    assert_int_equal(mkdir(d, 0700), 0);
    assert_int_equal(stat(d, &avoid[0]), 0);
    const char *inside[] = {"ev", "ev/", "ev/x", "ev/new/cache", "ev/x/../new", "link/new",
                            "ev/x/../../ev/new", "link"};
    snprintf(d, sizeof d, "%s/link", t_dir);
    assert_int_equal(symlink("ev", d), 0);
    for (size_t i = 0; i < sizeof inside / sizeof *inside; i++) {
        snprintf(d, sizeof d, "%s/%s", t_dir, inside[i]);
        why[0] = 0;
        assert_null(xs_hscache_open(d, avoid, 2, why, sizeof why));
        assert_non_null(strstr(why, "inside the evidence"));
    }
    assert_false(exists("ev/new"));
    /* a ".." in the part not made yet could lead anywhere once made */
    snprintf(d, sizeof d, "%s/nope/../c", t_dir);
    assert_null(xs_hscache_open(d, avoid, 2, why, sizeof why));
    assert_non_null(strstr(why, "\"..\""));
    assert_false(exists("nope"));
    assert_false(exists("c"));
    /* beside the evidence, and a relative path */
    snprintf(d, sizeof d, "%s/beside/cache", t_dir);
    xs_hscache *c = xs_hscache_open(d, avoid, 2, why, sizeof why);
    assert_non_null(c);
    xs_hscache_close(c);
    char wd[1024];
    assert_non_null(getcwd(wd, sizeof wd));
    assert_int_equal(chdir(t_dir), 0);
    assert_null(xs_hscache_open("ev/rel", avoid, 2, why, sizeof why));
    c = xs_hscache_open("beside/../rel", avoid, 2, why, sizeof why);
    assert_int_equal(chdir(wd), 0);
    assert_non_null(c);
    xs_hscache_close(c);
    assert_true(exists("rel"));
    /* more folders above it than can be walked: not told, not used */
    size_t n = (size_t)snprintf(d, sizeof d, "%s/deep", t_dir);
    for (int i = 0; i < XS_MAX_DEPTH + 2 && n + 3 < sizeof d; i++)
        n += (size_t)snprintf(d + n, sizeof d - n, "/d");
    assert_null(xs_hscache_open(d, avoid, 2, why, sizeof why));
    if (!strstr(why, "cannot be told"))
        fprintf(stderr, "why: %s\n", why);
    assert_non_null(strstr(why, "cannot be told"));
    c = xs_hscache_open(d, NULL, 0, why, sizeof why); /* no evidence to keep out of */
    assert_non_null(c);
    xs_hscache_close(c);
}

/* The folders on the way: one others may write (not sticky) is refused, a sticky one (as
 * /tmp) is fine; a link swapped in for a folder is not followed (O_NOFOLLOW: a file or link on
 * the way fails). */
static void test_parents(void **state)
{
    (void)state;
    char d[1200], why[160];
    snprintf(d, sizeof d, "%s/pub", t_dir);
    assert_int_equal(mkdir(d, 0700), 0);
    assert_int_equal(chmod(d, 0777), 0);
    strcat(d, "/cache");
    assert_null(xs_hscache_open(d, NULL, 0, why, sizeof why));
    assert_non_null(strstr(why, "writable by other users"));
    assert_false(exists("pub/cache"));
    snprintf(d, sizeof d, "%s/sticky", t_dir);
    assert_int_equal(mkdir(d, 0700), 0);
    assert_int_equal(chmod(d, 01777), 0);
    strcat(d, "/cache");
    xs_hscache *c = xs_hscache_open(d, NULL, 0, why, sizeof why);
    assert_non_null(c);
    xs_hscache_close(c);
    assert_int_equal(t_fix_write(t_dir, "afile", "x", 1), 0);
    snprintf(d, sizeof d, "%s/afile/cache", t_dir);
    assert_null(xs_hscache_open(d, NULL, 0, why, sizeof why));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_miss_then_hit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_links_and_specials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_folders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_in_evidence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
