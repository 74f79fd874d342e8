/* The vault (lib/vault/): quarantine and restore round trips, tampering found by verify, the
 * manifest and journal readers' caps, and fault injection: a run stopped (as by kill -9) after
 * every step N of the items' sequences, and the Nth write, fsync or rename failed, for every
 * N; after each, the invariant (every file in its tree or in the vault, byte-identical), then
 * a resume that finishes the job. The export: its exact files and checksums, its refusals,
 * and the same two faults over it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/digest.h"
#include "core/limits.h"
#include "exsweep/vault.h"
#include "vault/internal.h"
#include "vault/item.h"

#define NFILES 3

static char base[256], root[300], vdir[300];
static const char *const names[NFILES] = {"a/shell1.aspx", "a/b/shell 2.aspx", "c.aspx"};
static char content[NFILES][64];
static char sha[NFILES][65];

__attribute__((format(printf, 1, 2))) static void sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    assert_int_equal(system(cmd), 0);
}

/* A fresh tree (NFILES shells and a benign file) and no vault. */
static void fresh(void)
{
    sh("rm -rf '%s'", base);
    snprintf(root, sizeof root, "%s/root", base);
    snprintf(vdir, sizeof vdir, "%s/vault", base);
    sh("mkdir -p '%s/root/a/b'", base);
    for (int i = 0; i < NFILES; i++) {
        char p[600];
        snprintf(content[i], sizeof content[i], "<%%@ Page %d %%><%% eval(Request[\"x\"]) %%>", i);
        snprintf(p, sizeof p, "%s/%s", root, names[i]);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fputs(content[i], f);
        fclose(f);
        chmod(p, 0640);
        struct timespec ts[2] = {{1000000000 + i, 123456789}, {1100000000 + i, 987654321}};
        utimensat(AT_FDCWD, p, ts, 0);
        assert_true(xs_sha256_hex(content[i], strlen(content[i]), sha[i]));
    }
    sh("echo benign > '%s/root/a/web.config'", base);
}

static exs_vault_cand cand(int i)
{
    return (exs_vault_cand){root, "root", names[i], "f1", "EXS-TEST", NULL, -1, NULL};
}

static exs_vault *open_vault(void)
{
    exs_vault *v = NULL;
    char err[1200];
    const char *roots[] = {root};
    exs_rc rc = exs_vault_open(&v, vdir, roots, 1, EXS_VAULT_CREATE, err, sizeof err);
    if (rc != EXS_OK)
        fail_msg("open: %s", err);
    return v;
}

/* The vault opens again with nothing stuck, and verify finds nothing. */
static void assert_reopens_clean(void)
{
    exs_vault *v = open_vault();
    assert_int_equal(exs_vault_stuck(v, NULL), 0);
    size_t bad;
    FILE *null = fopen("/dev/null", "w");
    assert_int_equal(exs_vault_verify(v, null, &bad), EXS_OK);
    fclose(null);
    assert_int_equal(bad, 0);
    exs_vault_close(v);
}

/* Is file i in its tree, byte-identical? */
static int in_tree(int i)
{
    char p[600], buf[128];
    snprintf(p, sizeof p, "%s/%s", root, names[i]);
    FILE *f = fopen(p, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n == strlen(content[i]) && memcmp(buf, content[i], n) == 0);
    return 1;
}

/* Is file i in a zip of the vault (under its final name), byte-identical? */
static int in_vault(int i)
{
    DIR *d = opendir(vdir);
    if (!d)
        return 0;
    int dfd = dirfd(d), found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l != EXS_VAULT_ID_LEN + 3 || strcmp(e->d_name + l - 4, ".zip") != 0)
            continue;
        char hex[65], err[512];
        uint64_t size;
        if (xs_vault_zip_read(dfd, e->d_name, hex, &size, -1, err, sizeof err) == 0 &&
            strcmp(hex, sha[i]) == 0)
            found = 1;
    }
    closedir(d);
    return found;
}

static void assert_nothing_lost(const char *when, long n)
{
    for (int i = 0; i < NFILES; i++)
        if (!in_tree(i) && !in_vault(i))
            fail_msg("%s %ld: %s is neither in the tree nor in the vault", when, n, names[i]);
}

/* The files one at a time, or (batched) all of them in one exs_vault_quarantine_many. */
static bool batched;
static const bool batched_on = true;

static void quarantine_all(exs_vault *v, int *errors)
{
    if (batched) {
        exs_vault_cand c[NFILES];
        const exs_vault_cand *cp[NFILES];
        exs_vault_result r[NFILES];
        for (int i = 0; i < NFILES; i++) {
            c[i] = cand(i);
            cp[i] = &c[i];
        }
        exs_rc rc = exs_vault_quarantine_many(v, cp, NFILES, r);
        int bad = 0;
        for (int i = 0; i < NFILES; i++)
            bad += r[i].rc != EXS_OK;
        assert_true((rc == EXS_OK) == (bad == 0));
        *errors += bad;
        return;
    }
    for (int i = 0; i < NFILES; i++) {
        exs_vault_cand c = cand(i);
        exs_vault_outcome o;
        char id[EXS_VAULT_ID_LEN];
        if (exs_vault_quarantine(v, &c, &o, id) != EXS_OK)
            (*errors)++;
    }
}

/* After a stop or failure: reopen (the recovery), the invariant, then a clean run moves the
 * rest, verify finds nothing, and a restore puts every file back. */
static void resume_and_finish(const char *when, long n)
{
    exs_vault *v = open_vault();
    assert_nothing_lost(when, n);
    /* an unfinished item never stays in the journal */
    int errors = 0;
    for (int i = 0; i < NFILES; i++)
        if (in_tree(i)) {
            exs_vault_cand c = cand(i);
            exs_vault_outcome o;
            char id[EXS_VAULT_ID_LEN];
            if (exs_vault_quarantine(v, &c, &o, id) != EXS_OK || o != EXS_VAULT_MOVED)
                errors++;
        }
    assert_int_equal(errors, 0);
    for (int i = 0; i < NFILES; i++) {
        if (in_tree(i))
            fail_msg("%s %ld: %s still in the tree after the resumed run", when, n, names[i]);
        assert_true(in_vault(i));
    }
    size_t bad;
    FILE *null = fopen("/dev/null", "w");
    assert_int_equal(exs_vault_verify(v, null, &bad), EXS_OK);
    fclose(null);
    if (bad)
        fail_msg("%s %ld: verify found %zu problems", when, n, bad);
    /* one quarantine entry per file: no item recorded twice */
    const exs_vault_entry *e;
    size_t ne, q = 0;
    assert_int_equal(exs_vault_entries(v, &e, &ne), EXS_OK);
    for (size_t i = 0; i < ne; i++)
        q += strcmp(e[i].action, "quarantine") == 0;
    assert_int_equal(q, NFILES);
    exs_vault_close(v);
}

static void test_round_trip(void **state)
{
    (void)state;
    fresh();
    struct stat before[NFILES];
    for (int i = 0; i < NFILES; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", root, names[i]);
        assert_int_equal(stat(p, &before[i]), 0);
    }
    exs_vault *v = open_vault();
    struct stat vs;
    assert_int_equal(stat(vdir, &vs), 0);
    assert_int_equal(vs.st_mode & 0777, 0700);
    int errors = 0;
    quarantine_all(v, &errors);
    assert_int_equal(errors, 0);
    for (int i = 0; i < NFILES; i++) {
        assert_false(in_tree(i));
        assert_true(in_vault(i));
    }
    sh("test -f '%s/root/a/web.config'", base); /* benign left */
    const exs_vault_entry *e;
    size_t n;
    assert_int_equal(exs_vault_entries(v, &e, &n), EXS_OK);
    assert_int_equal(n, NFILES);
    char ids[NFILES][EXS_VAULT_ID_LEN];
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(e[i].action, "quarantine");
        assert_string_equal(e[i].sha256, sha[i]);
        assert_string_equal(e[i].path, names[i]);
        assert_string_equal(e[i].encryption, "aes256");
        assert_int_equal(e[i].mode, 0640);
        snprintf(ids[i], sizeof ids[i], "%s", e[i].item);
    }
    for (int i = 0; i < NFILES; i++)
        assert_int_equal(exs_vault_restore(v, ids[i]), EXS_OK);
    for (int i = 0; i < NFILES; i++) {
        char p[600];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", root, names[i]);
        assert_int_equal(stat(p, &st), 0); /* before in_tree reads it */
        assert_true(in_tree(i));
        assert_int_equal(st.st_mtim.tv_sec, before[i].st_mtim.tv_sec);
        assert_int_equal(st.st_mtim.tv_nsec, before[i].st_mtim.tv_nsec);
        assert_int_equal(st.st_atim.tv_sec, before[i].st_atim.tv_sec);
        assert_int_equal(st.st_atim.tv_nsec, before[i].st_atim.tv_nsec);
        assert_int_equal(st.st_mode, before[i].st_mode);
    }
    /* a second restore of an item in place is recorded, a different file is refused */
    assert_int_equal(exs_vault_restore(v, ids[0]), EXS_OK);
    sh("echo other > '%s/root/c.aspx'", base);
    assert_int_equal(exs_vault_restore(v, ids[2]), EXS_EEVIDENCE);
    sh("grep -q other '%s/root/c.aspx'", base);
    assert_int_equal(exs_vault_restore(v, "0000000000000000"), EXS_ENOENT);
    exs_vault_close(v);
}

static void test_refusals(void **state)
{
    (void)state;
    fresh();
    char p[600], q[600];
    exs_vault *v = NULL;
    char err[1200];
    const char *roots[] = {root};
    /* a vault inside the root: refused before anything is created */
    snprintf(p, sizeof p, "%s/a/vault", root);
    assert_int_equal(exs_vault_open(&v, p, roots, 1, EXS_VAULT_CREATE, err, sizeof err),
                     EXS_EEVIDENCE);
    assert_int_equal(access(p, F_OK), -1);
    /* a vault open to others: refused */
    snprintf(p, sizeof p, "%s/open", base);
    mkdir(p, 0755);
    assert_int_equal(exs_vault_open(&v, p, roots, 1, EXS_VAULT_CREATE, err, sizeof err),
                     EXS_EACCES);
    /* opening a missing vault without EXS_VAULT_CREATE creates nothing */
    snprintf(p, sizeof p, "%s/none", base);
    assert_int_equal(exs_vault_open(&v, p, roots, 1, 0, err, sizeof err), EXS_ENOENT);
    assert_int_equal(access(p, F_OK), -1);
    v = open_vault();
    /* a hard-linked file and a symlink are left */
    snprintf(p, sizeof p, "%s/%s", root, names[0]);
    snprintf(q, sizeof q, "%s/hard", root);
    assert_int_equal(link(p, q), 0);
    exs_vault_cand c = cand(0);
    exs_vault_outcome o;
    char id[EXS_VAULT_ID_LEN];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_REFUSED);
    assert_true(in_tree(0));
    snprintf(p, sizeof p, "%s/link.aspx", root);
    assert_int_equal(symlink("c.aspx", p), 0);
    c.path = "link.aspx";
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_REFUSED);
    sh("test -L '%s/root/link.aspx'", base);
    /* a file that is not what the sweep saw */
    c = cand(1);
    c.sha256 = sha[0];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_CHANGED);
    assert_true(in_tree(1));
    exs_vault_close(v);
}

/* Flips a bit of the member's data in the vault's zip: after the local header (30 bytes, the
 * name, the extra field), the AES salt (16) and password check (2). Twice puts it back. */
static void flip(const char *zip)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", vdir, zip);
    int fd = open(p, O_RDWR);
    assert_true(fd >= 0);
    unsigned char h[30], b;
    assert_int_equal(pread(fd, h, 30, 0), 30);
    off_t at = 30 + (h[26] | h[27] << 8) + (h[28] | h[29] << 8) + 18 + 4;
    assert_int_equal(pread(fd, &b, 1, at), 1);
    b ^= 0x40;
    assert_int_equal(pwrite(fd, &b, 1, at), 1);
    close(fd);
}

static void test_tamper(void **state)
{
    (void)state;
    fresh();
    exs_vault *v = open_vault();
    int errors = 0;
    quarantine_all(v, &errors);
    assert_int_equal(errors, 0);
    size_t bad;
    FILE *null = fopen("/dev/null", "w");
    assert_int_equal(exs_vault_verify(v, null, &bad), EXS_OK);
    assert_int_equal(bad, 0);
    /* a byte of a zip flipped */
    const exs_vault_entry *e;
    size_t n;
    assert_int_equal(exs_vault_entries(v, &e, &n), EXS_OK);
    char zip[64];
    snprintf(zip, sizeof zip, "%s", e[1].zip); /* e lives until the next read of the manifest */
    flip(zip);
    assert_int_equal(exs_vault_verify(v, null, &bad), EXS_OK);
    assert_int_equal(bad, 1);
    flip(zip); /* put back */
    /* a manifest line edited (its size changed), the JSON still valid */
    sh("sed -i '2s/\"size\":[0-9]*/\"size\":1/' '%s/vault/manifest.jsonl'", base);
    assert_int_equal(exs_vault_verify(v, null, &bad), EXS_OK);
    assert_true(bad >= 1);
    assert_int_equal(exs_vault_entries(v, &e, &n), EXS_OK);
    assert_int_equal(v->chain_broken, 3); /* line 3 no longer chains to the edited line 2 */
    /* an altered manifest names nothing a restore may trust: nothing is restored */
    char id[EXS_VAULT_ID_LEN];
    snprintf(id, sizeof id, "%s", e[0].item);
    assert_int_equal(exs_vault_restore(v, id), EXS_EFORMAT);
    assert_non_null(strstr(v->err, "the hash chain is broken"));
    for (int i = 0; i < NFILES; i++)
        assert_false(in_tree(i));
    /* an item id, digest or zip name that is not ours (here a terminal escape, a path) makes
     * the line no manifest entry: nothing of it is printed or opened */
    static const char *const forged[] = {"s/\"item\":\"[0-9a-f]*\"/\"item\":\"\\\\u001b]0;x\"/",
                                         "s|\"sha256\":\"[0-9a-f]*\"|\"sha256\":\"../x\"|",
                                         "s/\"zip\":\"[0-9a-f]*.zip\"/\"zip\":\"0123456789abcdef.zip\"/"};
    for (size_t k = 0; k < sizeof forged / sizeof *forged; k++) {
        sh("cp '%s/vault/manifest.jsonl' '%s/m.keep' && sed -i '1%s' '%s/vault/manifest.jsonl'",
           base, base, forged[k], base);
        assert_int_equal(exs_vault_entries(v, &e, &n), EXS_EFORMAT);
        assert_non_null(strstr(exs_vault_error(v), "manifest line 1: not a manifest entry"));
        sh("mv '%s/m.keep' '%s/vault/manifest.jsonl'", base, base);
    }
    fclose(null);
    exs_vault_close(v);
}

/* Journals altered by hand: an item id that is not ours (a path), an item begun twice, a
 * step after its end. Each stops the opening, and nothing outside the vault is touched. */
static void test_journal_ids(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "{\"step\":\"intent\",\"item\":\"../other/abcdefg\",\"root_path\":\"/x\","
        "\"root\":\"r\",\"path\":\"p\",\"sha256\":\"%s\"}\n",
        "{\"step\":\"intent\",\"item\":\"0123456789abcdef\",\"root_path\":\"/x\","
        "\"root\":\"r\",\"path\":\"p\",\"sha256\":\"%s\"}\n"
        "{\"step\":\"done\",\"item\":\"0123456789abcdef\"}\n"
        "{\"step\":\"intent\",\"item\":\"0123456789abcdef\",\"root_path\":\"/x\","
        "\"root\":\"r\",\"path\":\"p\",\"sha256\":\"%s\"}\n",
        "{\"step\":\"intent\",\"item\":\"0123456789abcdef\",\"root_path\":\"/x\","
        "\"root\":\"r\",\"path\":\"p\",\"sha256\":\"%s\"}\n"
        "{\"step\":\"done\",\"item\":\"0123456789abcdef\"}\n"
        "{\"step\":\"rolledback\",\"item\":\"0123456789abcdef\"}\n",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        fresh();
        mkdir(vdir, 0700);
        sh("mkdir -p '%s/other' && echo keep > '%s/other/abcdefg.zip'", base, base);
        char p[600];
        snprintf(p, sizeof p, "%s/journal.jsonl", vdir);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        for (const char *t = bad[k]; *t;) { /* each %s: a real SHA-256 */
            const char *q = strstr(t, "%s");
            if (!q) {
                fputs(t, f);
                break;
            }
            fwrite(t, 1, (size_t)(q - t), f);
            fputs(sha[0], f);
            t = q + 2;
        }
        fclose(f);
        exs_vault *v = NULL;
        char err[1200];
        assert_int_not_equal(exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err), EXS_OK);
        assert_non_null(strstr(err, "the vault was altered"));
        snprintf(p, sizeof p, "%s/other/abcdefg.zip", base);
        assert_int_equal(access(p, F_OK), 0);
    }
}

/* A FIFO put at a planned file's name before the move is refused at once (opened without
 * blocking, then seen not to be a regular file): the run does not hang on it. */
static void test_fifo_swapped_in(void **state)
{
    (void)state;
    fresh();
    sh("rm '%s/%s' && mkfifo '%s/%s'", root, names[2], root, names[2]);
    exs_vault *v = open_vault();
    exs_vault_cand c = cand(2);
    exs_vault_outcome o;
    char id[EXS_VAULT_ID_LEN];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_REFUSED);
    exs_vault_close(v);
}

/* A vault inside a web folder (it could be served, and the folder is evidence): refused before
 * anything is created. */
static void test_vault_in_web_folder(void **state)
{
    (void)state;
    fresh();
    static const char *const where[] = {
        "inetpub/wwwroot/v", "inetpub/logs/v",
        "Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/v",
        "Exchange Server/V15/ClientAccess/ecp/v"};
    for (size_t i = 0; i < sizeof where / sizeof *where; i++) {
        char p[600], err[1200];
        snprintf(p, sizeof p, "%s/%s", base, where[i]);
        sh("mkdir -p \"$(dirname '%s')\"", p);
        exs_vault *v = NULL;
        assert_int_equal(exs_vault_open(&v, p, NULL, 0, EXS_VAULT_CREATE, err, sizeof err),
                         EXS_EEVIDENCE);
        assert_non_null(strstr(err, "is inside a web folder"));
        assert_int_equal(access(p, F_OK), -1);
    }
    /* a folder merely named like one is not */
    char p[600], err[1200];
    snprintf(p, sizeof p, "%s/wwwroot-cases/v", base);
    sh("mkdir -p '%s/wwwroot-cases'", base);
    exs_vault *v = NULL;
    assert_int_equal(exs_vault_open(&v, p, NULL, 0, EXS_VAULT_CREATE, err, sizeof err), EXS_OK);
    exs_vault_close(v);
}

/* A file a default Exchange install has at that path with that name is refused, whatever its
 * content; a shell beside it moves. */
static void test_default_exchange_file(void **state)
{
    (void)state;
    fresh();
    const char *auth = "Exchange Server/V15/FrontEnd/HttpProxy/owa/auth";
    sh("mkdir -p '%s/%s' && echo '<%% eval(Request[\"x\"]) %%>' | tee '%s/%s/logon.aspx' "
       "'%s/%s/errorFE.aspx' '%s/%s/logn.aspx' '%s/%s/LOGON.ASPX' '%s/%s/logon%%2easpx' "
       "'%s/%s/Web.Config' >/dev/null", root, auth, root, auth, root, auth, root, auth, root,
       auth, root, auth, root, auth);
    static const struct {
        const char *name;
        exs_vault_outcome o;
        const char *says;
    } want[] = {{"logon.aspx", EXS_VAULT_REFUSED, "a default Exchange install has"},
                {"errorFE.aspx", EXS_VAULT_REFUSED, "a default Exchange install has"},
                {"LOGON.ASPX", EXS_VAULT_REFUSED, "a default Exchange install has"},
                {"Web.Config", EXS_VAULT_REFUSED, "a configuration file"},
                {"logn.aspx", EXS_VAULT_MOVED, NULL},
                {"logon%2easpx", EXS_VAULT_MOVED, NULL}};
    exs_vault *v = open_vault();
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char path[300];
        snprintf(path, sizeof path, "%s/%s", auth, want[i].name);
        exs_vault_cand c = {root, "root", path, "f1", "EXS-TEST", NULL, -1, NULL, 0, 0, NULL};
        exs_vault_outcome o;
        char id[EXS_VAULT_ID_LEN];
        assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
        assert_int_equal(o, want[i].o);
        if (want[i].says && !strstr(exs_vault_error(v), want[i].says))
            fail_msg("%s: %s", want[i].name, exs_vault_error(v));
        char p[600];
        snprintf(p, sizeof p, "%s/%s", root, path);
        assert_int_equal(access(p, F_OK) == 0, o == EXS_VAULT_REFUSED);
    }
    exs_vault_close(v);
}

/* The sweep's device and inode: a file put at the name since (same bytes, another inode) is
 * changed, and left. */
static void test_another_inode(void **state)
{
    (void)state;
    fresh();
    char p[600];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", root, names[2]);
    assert_int_equal(stat(p, &st), 0);
    exs_vault_cand c = cand(2);
    c.device = (uint64_t)st.st_dev;
    c.inode = (uint64_t)st.st_ino;
    c.sha256 = sha[2];
    sh("cp -p '%s' '%s.new' && mv '%s.new' '%s'", p, p, p, p);
    exs_vault *v = open_vault();
    exs_vault_outcome o;
    char id[EXS_VAULT_ID_LEN];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_CHANGED);
    assert_non_null(strstr(exs_vault_error(v), "another file than the sweep saw"));
    assert_true(in_tree(2));
    assert_false(in_vault(2));
    /* its own device and inode: moved */
    assert_int_equal(stat(p, &st), 0);
    c.inode = (uint64_t)st.st_ino;
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_MOVED);
    exs_vault_close(v);
}

/* Stopped between the rename to the private name and the unlink, then:
 *   0 nothing more: the next opening removes it;
 *   1 a byte of it changed (same size: the SHA-256 says it): the opening puts it back at its
 *     name and records it "left", the vault keeps the copy;
 *   2 its zip lost: nothing is removed, the item is stuck, the file kept at the private name;
 *   3 the original name linked to it again (as a link-then-unlink rename leaves it when stopped
 *     between): the opening removes both names, the bytes are in the vault. */
static void test_private_name_recovery(void **state)
{
    (void)state;
    for (int mode = 0; mode < 4; mode++) {
        fresh();
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            xs_vault_fault_set(7, 0, 0); /* 1 intent .. 6 manifest, 7 the private rename */
            exs_vault *v = open_vault();
            exs_vault_cand c = cand(0);
            exs_vault_outcome o;
            char id[EXS_VAULT_ID_LEN];
            exs_vault_quarantine(v, &c, &o, id);
            _exit(3);
        }
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 77);
        assert_false(in_tree(0));
        sh("test \"$(ls -A '%s/a' | grep -c '^\\.exsweep-quarantine-[0-9a-f]\\{16\\}$')\" = 1",
           root);
        if (mode == 1)
            sh("for f in '%s'/a/.exsweep-quarantine-*; do printf Z | dd of=\"$f\" bs=1 seek=3 "
               "conv=notrunc 2>/dev/null; done", root);
        if (mode == 2)
            sh("rm '%s'/*.zip", vdir);
        if (mode == 3)
            sh("ln '%s'/a/.exsweep-quarantine-* '%s/%s'", root, root, names[0]);
        exs_vault *v = open_vault();
        size_t done, back;
        const char *why;
        exs_vault_recovered(v, &done, &back);
        assert_int_equal(done, mode == 2 ? 0 : 1);
        assert_int_equal(exs_vault_stuck(v, &why), mode == 2);
        sh("test \"$(ls -A '%s/a' | grep -c '^\\.exsweep')\" = %d", root, mode == 2);
        char p[600];
        snprintf(p, sizeof p, "%s/%s", root, names[0]);
        assert_int_equal(access(p, F_OK) == 0, mode == 1);
        if (mode == 2) {
            assert_non_null(strstr(why, "its zip is not the file"));
            assert_non_null(strstr(why, "kept in its folder as .exsweep-quarantine-"));
            sh("test \"$(cat '%s'/a/.exsweep-quarantine-*)\" = '%s'", root, content[0]);
            exs_vault_close(v);
            continue;
        }
        assert_true(in_vault(0));
        const exs_vault_entry *e;
        size_t n;
        assert_int_equal(exs_vault_entries(v, &e, &n), EXS_OK);
        assert_int_equal(n, mode == 1 ? 2 : 1);
        assert_string_equal(e[n - 1].action, mode == 1 ? "left" : "quarantine");
        exs_vault_close(v);
    }
}

/* Another process swaps the file at its name after the name was checked and before the
 * rename: the swapped-in file is the one renamed, found not to be the intent's, and put back;
 * nothing that is not in the vault is removed. */
static char swapped_away[700];
static void swap_in(int dfd, const char *name)
{
    assert_int_equal(renameat(dfd, name, AT_FDCWD, swapped_away), 0);
    int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "swapped", 7), 7);
    close(fd);
}

static void test_swap_before_rename(void **state)
{
    (void)state;
    for (int fallback = 0; fallback < 2; fallback++) {
        fresh();
        snprintf(swapped_away, sizeof swapped_away, "%s/away.aspx", root);
        xs_vault_no_renameat2 = fallback;
        xs_vault_before_rename = swap_in;
        exs_vault *v = open_vault();
        exs_vault_cand c = cand(2);
        exs_vault_outcome o;
        char id[EXS_VAULT_ID_LEN];
        assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
        xs_vault_before_rename = NULL;
        assert_int_equal(o, EXS_VAULT_CHANGED);
        sh("test \"$(cat '%s/%s')\" = swapped", root, names[2]);
        sh("test \"$(cat '%s')\" = '%s'", swapped_away, content[2]);
        sh("test \"$(ls -A '%s' | grep -c '^\\.exsweep')\" = 0", root);
        assert_true(in_vault(2)); /* the copy is kept, recorded "left" */
        /* the other files move as usual, through the same rename */
        c = cand(0);
        assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
        assert_int_equal(o, EXS_VAULT_MOVED);
        assert_false(in_tree(0));
        assert_int_equal(exs_vault_restore(v, id), EXS_OK);
        assert_true(in_tree(0));
        xs_vault_no_renameat2 = false;
        exs_vault_close(v);
    }
}

/* A busy file (a share still holding a handle just closed) is tried again: with EBUSY injected
 * at each I/O call in turn, one item's quarantine goes through at exactly two calls more than
 * with EIO: the rename and the unlink of step 7 (each other call fails either way). */
/* One file quarantined with the nth to the (n+span-1)th I/O call failing with e: true when it
 * was moved (then it is in the vault only), false when the failure was said (then it is in
 * its tree or, failed after its removal, in the vault); the vault reopens clean either way. */
static bool quarantine_one_faulted(long n, long span, int e)
{
    fresh();
    exs_vault *v = open_vault();
    xs_vault_fault_set(0, n, e);
    xs_vault_fault_span = span;
    exs_vault_cand c = cand(1);
    exs_vault_outcome o;
    char id[EXS_VAULT_ID_LEN];
    exs_rc rc = exs_vault_quarantine(v, &c, &o, id);
    const char *says = e == EBUSY ? "locked or in use" : "Input/output error";
    char msg[1100];
    snprintf(msg, sizeof msg, "%s", exs_vault_error(v));
    bool said = strstr(msg, says) != NULL;
    xs_vault_fault_set(0, 0, 0);
    exs_vault_close(v);
    if (rc == EXS_OK) {
        assert_int_equal(o, EXS_VAULT_MOVED);
        assert_true(!in_tree(1) && in_vault(1));
    } else {
        if (!said)
            fail_msg("call %ld: %s", n, msg);
        assert_true(in_tree(1) || in_vault(1));
    }
    assert_reopens_clean();
    return rc == EXS_OK;
}

static void test_busy_retried(void **state)
{
    (void)state;
    int ok_busy = 0, ok_eio = 0;
    long busy_at[2] = {0, 0};
    int nbusy = 0;
    for (long n = 1; n <= 40; n++) {
        bool busy = quarantine_one_faulted(n, 1, EBUSY), eio = quarantine_one_faulted(n, 1, EIO);
        ok_busy += busy;
        ok_eio += eio;
        if (busy && !eio) {
            assert_true(nbusy < 2);
            busy_at[nbusy++] = n;
        }
        assert_true(busy || !eio);
    }
    /* the calls past the last go through either way; two more with EBUSY: step 7's rename to
     * the private name and its unlink, one after the other */
    assert_true(ok_eio > 0);
    assert_int_equal(ok_busy, ok_eio + 2);
    assert_int_equal(nbusy, 2);
    assert_true(busy_at[1] > busy_at[0]);
    /* XS_VAULT_BUSY_TRIES: either busy that many times in a row is given up, once fewer goes
     * through */
    for (int i = 0; i < 2; i++) {
        assert_true(quarantine_one_faulted(busy_at[i], XS_VAULT_BUSY_TRIES - 1, EBUSY));
        assert_false(quarantine_one_faulted(busy_at[i], XS_VAULT_BUSY_TRIES, EBUSY));
    }
}

/* XS_VAULT_FULL_RESERVE: a vault whose manifest nears what it may hold takes no more items
 * (refused "the vault is full", nothing journaled), still opens, and still restores; a
 * restore is refused only at the cap itself, before anything is written. */
static void test_vault_full(void **state)
{
    (void)state;
    fresh();
    exs_vault *v = open_vault();
    exs_vault_cand c = cand(0);
    exs_vault_outcome o;
    char id0[EXS_VAULT_ID_LEN], id[EXS_VAULT_ID_LEN];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id0), EXS_OK);
    assert_int_equal(o, EXS_VAULT_MOVED);
    uint64_t lines;
    exs_vault_head(v, &lines);
    assert_int_equal(lines, 1);
    /* three lines, less the reserve (a 16th, rounded up: one): one more item goes in */
    xs_vault_manifest_max_lines = 3;
    c = cand(1);
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_MOVED);
    c = cand(2);
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_REFUSED);
    assert_string_equal(id, "");
    assert_non_null(strstr(exs_vault_error(v), "the vault is full: its manifest holds 2 entries"));
    assert_true(in_tree(2));
    exs_vault_close(v);
    /* it opens, and restores into the reserve */
    v = open_vault();
    assert_int_equal(exs_vault_restore(v, id0), EXS_OK);
    assert_true(in_tree(0));
    /* at the cap itself a restore is refused, the tree untouched */
    xs_vault_manifest_max_lines = 3;
    const exs_vault_entry *e;
    size_t ne;
    assert_int_equal(exs_vault_entries(v, &e, &ne), EXS_OK);
    assert_int_equal(ne, 3);
    char id1[EXS_VAULT_ID_LEN];
    snprintf(id1, sizeof id1, "%s", e[1].item);
    assert_int_equal(exs_vault_restore(v, id1), EXS_ELIMIT);
    assert_non_null(strstr(exs_vault_error(v), "the restore could not be recorded"));
    assert_false(in_tree(1));
    /* and by bytes the same way */
    xs_vault_manifest_max_lines = XS_VAULT_MAX_ENTRIES;
    xs_vault_manifest_cap = 100;
    assert_int_equal(exs_vault_restore(v, id1), EXS_ELIMIT);
    xs_vault_manifest_cap = XS_VAULT_MAX_LOG;
    assert_int_equal(exs_vault_restore(v, id1), EXS_OK);
    assert_true(in_tree(1));
    /* the journal too: near its reader's cap no more items begin */
    xs_vault_journal_max_lines = 8;
    c = cand(2);
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    xs_vault_journal_max_lines = XS_VAULT_MAX_ENTRIES;
    assert_int_equal(o, EXS_VAULT_REFUSED);
    assert_non_null(strstr(exs_vault_error(v), "the journal is near what it may hold"));
    assert_true(in_tree(2));
    exs_vault_close(v);
    assert_reopens_clean();
}

/* A journal's restore line is trusted only where the manifest agrees: one naming another
 * place (with that file's own SHA-256) records nothing and stays, said, at every opening. */
static void test_restore_journal_forged(void **state)
{
    (void)state;
    fresh();
    exs_vault *v = open_vault();
    exs_vault_cand c = cand(0);
    exs_vault_outcome o;
    char id[EXS_VAULT_ID_LEN], hex[65];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    exs_vault_close(v);
    sh("printf 'benign!\\n' > '%s/other.txt'", base);
    assert_true(xs_sha256_hex("benign!\n", 8, hex));
    char p[700];
    snprintf(p, sizeof p, "%s/journal.jsonl", vdir);
    FILE *f = fopen(p, "a");
    assert_non_null(f);
    fprintf(f, "{\"step\":\"restoring\",\"item\":\"%s\",\"root_path\":\"%s\",\"path\":"
               "\"other.txt\",\"sha256\":\"%s\",\"size\":8}\n", id, base, hex);
    fclose(f);
    v = open_vault();
    const char *first;
    assert_int_equal(exs_vault_stuck(v, &first), 1);
    assert_non_null(strstr(first, "another place or other bytes than the manifest's"));
    assert_int_equal(exs_vault_restores_finished(v), 0);
    const exs_vault_entry *e;
    size_t ne;
    assert_int_equal(exs_vault_entries(v, &e, &ne), EXS_OK);
    assert_int_equal(ne, 1); /* no restore recorded */
    assert_false(in_tree(0));
    snprintf(p, sizeof p, "%s/other.txt", base);
    assert_int_equal(access(p, F_OK), 0); /* and nothing of it touched */
    exs_vault_close(v);
}

/* One file named twice in a batch is quarantined once; a file that changed since the sweep
 * (the sweep's SHA-256 given) is left, and said so, on its own result only. */
static void test_batch_same_and_changed(void **state)
{
    (void)state;
    fresh();
    exs_vault_cand c[4] = {cand(0), cand(0), cand(1), cand(2)};
    c[2].sha256 = "0000000000000000000000000000000000000000000000000000000000000000";
    c[2].size = (int64_t)strlen(content[1]);
    const exs_vault_cand *cp[4] = {&c[0], &c[1], &c[2], &c[3]};
    exs_vault_result r[4];
    exs_vault *v = open_vault();
    assert_int_equal(exs_vault_quarantine_many(v, cp, 4, r), EXS_OK);
    exs_vault_close(v);
    assert_int_equal(r[0].outcome, EXS_VAULT_MOVED);
    assert_int_equal(r[1].outcome, EXS_VAULT_REFUSED);
    assert_non_null(strstr(r[1].msg, "the same file as a/shell1.aspx"));
    assert_string_equal(r[1].id, "");
    assert_int_equal(r[2].outcome, EXS_VAULT_CHANGED);
    assert_string_equal(r[2].id, "");
    assert_int_equal(r[3].outcome, EXS_VAULT_MOVED);
    assert_string_equal(r[3].msg, "");
    assert_false(in_tree(0));
    assert_true(in_tree(1));
    assert_false(in_tree(2));
    assert_reopens_clean();
}

/* An injected failure says what the operator can do: a full disk, a read-only filesystem. */
static void test_failure_messages(void **state)
{
    (void)state;
    static const struct {
        int e;
        const char *says;
    } cases[] = {{ENOSPC, "the disk is full; free space, then run again"},
                 {EROFS, "a read-only filesystem"},
                 {EBUSY, "the file is locked or in use"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fresh();
        exs_vault *v = open_vault();
        /* 1, 2 the intent, 3 the vault folder's sync (a new journal); 4 the zip's first write */
        xs_vault_fault_set(0, 4, cases[i].e);
        exs_vault_cand c = cand(1);
        exs_vault_outcome o;
        char id[EXS_VAULT_ID_LEN];
        exs_rc rc = exs_vault_quarantine(v, &c, &o, id);
        xs_vault_fault_set(0, 0, 0);
        assert_int_not_equal(rc, EXS_OK);
        if (!strstr(exs_vault_error(v), cases[i].says) ||
            !strstr(exs_vault_error(v), "the file is left in place"))
            fail_msg("%s", exs_vault_error(v));
        assert_true(in_tree(1));
        exs_vault_close(v);
    }
}

/* root only (a tmpfs): the real thing. Skipped otherwise; the injected failures above stand
 * for it. */
static bool can_mount(void)
{
    if (geteuid() != 0)
        return false;
    char p[300];
    snprintf(p, sizeof p, "%s/probe", base);
    sh("mkdir -p '%s'", p);
    char cmd[800];
    snprintf(cmd, sizeof cmd, "mount -t tmpfs -o size=64k tmpfs '%s' 2>/dev/null && umount '%s'",
             p, p);
    return system(cmd) == 0;
}

/* A vault on a small tmpfs fills up: the run stops with "the disk is full", nothing is lost,
 * and once there is room the next run finishes the job. */
static void test_full_disk_tmpfs(void **state)
{
    (void)state;
    fresh();
    if (!can_mount())
        skip();
    char small[280];
    snprintf(small, sizeof small, "%s/small", base);
    sh("mkdir -p '%s' && mount -t tmpfs -o size=160k,mode=0700 tmpfs '%s'", small, small);
    snprintf(vdir, sizeof vdir, "%s/v", small);
    /* incompressible shells of 48 KiB: the third does not fit */
    char sums[NFILES][65];
    for (int i = 0; i < NFILES; i++) {
        sh("head -c 49152 /dev/urandom >'%s/big%d.aspx'", root, i);
        char p[600];
        snprintf(p, sizeof p, "%s/big%d.aspx", root, i);
        int fd = open(p, O_RDONLY);
        uint64_t sz;
        assert_int_equal(xs_vault_sha256_fd(fd, sums[i], &sz), 0);
        close(fd);
    }
    exs_vault *v = open_vault();
    int full = 0, moved = 0;
    for (int i = 0; i < NFILES; i++) {
        char path[32];
        snprintf(path, sizeof path, "big%d.aspx", i);
        exs_vault_cand c = {root, "root", path, "f1", "EXS-TEST", NULL, -1, NULL, 0, 0, NULL};
        exs_vault_outcome o;
        char id[EXS_VAULT_ID_LEN];
        if (exs_vault_quarantine(v, &c, &o, id) == EXS_OK) {
            assert_int_equal(o, EXS_VAULT_MOVED);
            moved++;
        } else {
            if (!strstr(exs_vault_error(v), "the disk is full"))
                fail_msg("%s", exs_vault_error(v));
            full++;
        }
    }
    exs_vault_close(v);
    assert_true(full >= 1 && moved >= 1);
    /* each is in the tree, or whole in the vault */
    for (int i = 0; i < NFILES; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/big%d.aspx", root, i);
        if (access(p, F_OK) == 0)
            continue;
        int found = 0;
        DIR *d = opendir(vdir);
        struct dirent *e;
        while (d && (e = readdir(d)))
            if (strstr(e->d_name, ".zip") && !strstr(e->d_name, ".tmp")) {
                char hex[65], err[512];
                uint64_t size;
                if (xs_vault_zip_read(dirfd(d), e->d_name, hex, &size, -1, err, sizeof err) ==
                        0 && strcmp(hex, sums[i]) == 0)
                    found = 1;
            }
        if (d)
            closedir(d);
        if (!found)
            fail_msg("big%d.aspx is neither in the tree nor in the vault", i);
    }
    sh("mount -o remount,size=2m '%s'", small);
    v = open_vault();
    assert_int_equal(exs_vault_stuck(v, NULL), 0);
    for (int i = 0; i < NFILES; i++) {
        char path[32], p[600];
        snprintf(path, sizeof path, "big%d.aspx", i);
        snprintf(p, sizeof p, "%s/%s", root, path);
        if (access(p, F_OK) != 0)
            continue;
        exs_vault_cand c = {root, "root", path, "f1", "EXS-TEST", NULL, -1, NULL, 0, 0, NULL};
        exs_vault_outcome o;
        char id[EXS_VAULT_ID_LEN];
        assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
        assert_int_equal(o, EXS_VAULT_MOVED);
    }
    exs_vault_close(v);
    assert_reopens_clean();
    sh("umount '%s'", small);
    snprintf(vdir, sizeof vdir, "%s/vault", base);
}

/* Evidence on read-only media: refused, said why, nothing changed; a vault on a read-only
 * filesystem says so. */
static void test_read_only_media(void **state)
{
    (void)state;
    fresh();
    if (!can_mount())
        skip();
    char ro[600];
    snprintf(ro, sizeof ro, "%s/ro", base);
    sh("mkdir -p '%s' && mount -t tmpfs -o size=64k tmpfs '%s' && echo '<%% eval(Request[\"x\"]) "
       "%%>' >'%s/s.aspx' && mkdir -m 0700 '%s/v' && mount -o remount,ro '%s'", ro, ro, ro, ro,
       ro);
    exs_vault *v = open_vault();
    exs_vault_cand c = {ro, "ro", "s.aspx", "f1", "EXS-TEST", NULL, -1, NULL, 0, 0, NULL};
    exs_vault_outcome o;
    char id[EXS_VAULT_ID_LEN], err[1200], p[700];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_REFUSED);
    assert_non_null(strstr(exs_vault_error(v), "on read-only media"));
    exs_vault_close(v);
    snprintf(p, sizeof p, "%s/s.aspx", ro);
    assert_int_equal(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/v", ro);
    assert_int_not_equal(exs_vault_open(&v, p, NULL, 0, EXS_VAULT_CREATE, err, sizeof err),
                         EXS_OK);
    if (!strstr(err, "a read-only filesystem"))
        fail_msg("%s", err);
    snprintf(p, sizeof p, "%s/new", ro);
    assert_int_not_equal(exs_vault_open(&v, p, NULL, 0, EXS_VAULT_CREATE, err, sizeof err),
                         EXS_OK);
    if (!strstr(err, "a read-only filesystem"))
        fail_msg("%s", err);
    sh("umount '%s'", ro);
}

/* The caps of what a vault writes: XS_VAULT_MAX_IDS finding ids an item (then "+N more"),
 * XS_VAULT_MAX_RECORD bytes of an intent (the item is refused), XS_VAULT_MAX_LINE bytes of any
 * line (never written: the reader would refuse the vault). */
static void test_write_caps(void **state)
{
    (void)state;
    char *list = NULL, id[32];
    for (int i = 0; i < XS_VAULT_MAX_IDS + 5; i++) {
        snprintf(id, sizeof id, "f%d", i);
        assert_int_equal(xs_vault_list_add(&list, XS_VAULT_MAX_IDS, id), 0);
        if (i < XS_VAULT_MAX_IDS - 1) /* under the cap a repeat is kept once */
            assert_int_equal(xs_vault_list_add(&list, XS_VAULT_MAX_IDS, "f0"), 0);
    }
    size_t commas = 0;
    for (const char *p = list; *p; p++)
        commas += *p == ',';
    assert_int_equal(commas, XS_VAULT_MAX_IDS);
    assert_non_null(strstr(list, ",f63,+5 more"));
    assert_int_equal(strncmp(list, "f0,f1,f2,", 9), 0);
    free(list);

    fresh();
    exs_vault *v = open_vault();
    size_t big = XS_VAULT_MAX_RECORD + 1;
    char *rules = malloc(big + 1);
    assert_non_null(rules);
    memset(rules, 'R', big);
    rules[big] = 0;
    exs_vault_cand c = cand(0);
    c.rules = rules;
    exs_vault_outcome o;
    char iid[EXS_VAULT_ID_LEN];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, iid), EXS_OK);
    assert_int_equal(o, EXS_VAULT_REFUSED);
    assert_non_null(strstr(exs_vault_error(v), "too long to record"));
    assert_true(in_tree(0));
    rules[XS_VAULT_MAX_RECORD - 1024] = 0; /* under the cap: moved */
    assert_int_equal(exs_vault_quarantine(v, &c, &o, iid), EXS_OK);
    assert_int_equal(o, EXS_VAULT_MOVED);
    free(rules);
    /* a line over XS_VAULT_MAX_LINE is never written */
    char *body = malloc(XS_VAULT_MAX_LINE + 16);
    assert_non_null(body);
    int l = snprintf(body, 32, "\"step\":\"x\",\"pad\":\"");
    memset(body + l, 'p', XS_VAULT_MAX_LINE - (size_t)l);
    memcpy(body + XS_VAULT_MAX_LINE, "\"", 2);
    assert_int_equal(xs_vault_journal_append(v, body, strlen(body)), -1);
    assert_non_null(strstr(exs_vault_error(v), "over XS_VAULT_MAX_LINE"));
    /* nor in the manifest, whose head stays where it was */
    char head[65];
    memcpy(head, v->prev, sizeof head);
    assert_int_equal(xs_vault_manifest_append(v, body, strlen(body)), -1);
    assert_non_null(strstr(exs_vault_error(v), "over XS_VAULT_MAX_LINE"));
    assert_memory_equal(head, v->prev, sizeof head);
    free(body);
    exs_vault_close(v);
    /* the vault still opens, and verifies */
    assert_reopens_clean();
}

/* A libarchive without AES: the zip is ZipCrypto ("traditional" in the manifest), still opened
 * with the password by libarchive, 7z and unzip, and restored byte-identical. */
static void test_zipcrypto_fallback(void **state)
{
    (void)state;
    fresh();
    xs_vault_zipcrypto_only = true;
    exs_vault *v = open_vault();
    exs_vault_cand c = cand(1);
    exs_vault_outcome o;
    char id[EXS_VAULT_ID_LEN];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    xs_vault_zipcrypto_only = false;
    assert_int_equal(o, EXS_VAULT_MOVED);
    const exs_vault_entry *e;
    size_t n;
    assert_int_equal(exs_vault_entries(v, &e, &n), EXS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(e[0].encryption, "traditional");
    assert_true(in_vault(1));
    /* 7z names the method; unzip reads ZipCrypto (not AES) */
    sh("7z l -slt -pinfected '%s/%s.zip' | grep -Eqx 'Method = ZipCrypto (Deflate|Store)'", vdir,
       id);
    sh("test \"$(7z x -so -pinfected '%s/%s.zip' 2>/dev/null | sha256sum | cut -c1-64)\" = %s",
       vdir, id, sha[1]);
    sh("if command -v unzip >/dev/null; then test \"$(unzip -p -P infected '%s/%s.zip' | "
       "sha256sum | cut -c1-64)\" = %s; fi", vdir, id, sha[1]);
    assert_int_equal(exs_vault_restore(v, id), EXS_OK);
    assert_true(in_tree(1));
    exs_vault_close(v);
}

/* A journal whose items have all ended is put aside past XS_VAULT_JOURNAL_ROTATE bytes (here
 * lowered to 1): kept under its own name, a new one begins, and the vault works on. */
static void test_journal_rotation(void **state)
{
    (void)state;
    fresh();
    xs_vault_journal_rotate_at = 1;
    exs_vault *v = open_vault();
    exs_vault_cand c = cand(0);
    exs_vault_outcome o;
    char id[EXS_VAULT_ID_LEN];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    exs_vault_close(v);
    sh("test -s '%s/journal.jsonl'", vdir);
    v = open_vault(); /* puts it aside */
    exs_vault_close(v);
    sh("test ! -e '%s/journal.jsonl' && test \"$(ls '%s' | grep -c "
       "'^journal-[0-9]*T[0-9]*[.][0-9]*Z[.]jsonl$')\" = 1", vdir, vdir);
    sh("grep -q '\"step\":\"done\"' '%s'/journal-*.jsonl", vdir);
    v = open_vault();
    c = cand(1);
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_MOVED);
    assert_int_equal(exs_vault_restore(v, id), EXS_OK);
    assert_true(in_tree(1));
    exs_vault_close(v);
    xs_vault_journal_rotate_at = XS_VAULT_JOURNAL_ROTATE;
    assert_reopens_clean();
}

/* A name that is not valid UTF-8 could be written in the manifest only with U+FFFD: it is
 * refused, and stays in the tree. */
static void test_non_utf8_name(void **state)
{
    (void)state;
    fresh();
    sh("printf x > '%s/root/sh'$(printf '\\351')'ll.aspx'", base);
    exs_vault *v = open_vault();
    exs_vault_cand c = {root, "root", "sh\xe9ll.aspx", "f1", "EXS-TEST", NULL, -1, NULL};
    exs_vault_outcome o;
    char id[EXS_VAULT_ID_LEN];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_REFUSED);
    char p[600];
    snprintf(p, sizeof p, "%s/root/sh\xe9ll.aspx", base);
    assert_int_equal(access(p, F_OK), 0);
    exs_vault_close(v);
}

/* A journal edited to say a file's bytes are in the vault when they are not: the opening
 * refuses (exit 2 in the tool) and removes nothing. */
static void test_tampered_journal(void **state)
{
    (void)state;
    fresh();
    mkdir(vdir, 0700);
    char p[600];
    snprintf(p, sizeof p, "%s/journal.jsonl", vdir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    struct stat st;
    char fp[600];
    snprintf(fp, sizeof fp, "%s/%s", root, names[2]);
    assert_int_equal(stat(fp, &st), 0);
    /* the file's own device, inode, size and SHA-256: only the missing zip gives it away */
    fprintf(f, "{\"step\":\"intent\",\"item\":\"0123456789abcdef\",\"root_path\":\"%s\","
               "\"root\":\"root\",\"path\":\"%s\",\"size\":%zu,\"sha256\":\"%s\","
               "\"dev\":%llu,\"ino\":%llu}\n"
               "{\"step\":\"manifest\",\"item\":\"0123456789abcdef\"}\n",
            root, names[2], strlen(content[2]), sha[2], (unsigned long long)st.st_dev,
            (unsigned long long)st.st_ino);
    fclose(f);
    exs_vault *v = NULL;
    char err[1200];
    /* the item is stuck (said, kept, retried at each opening) and blocks nothing else */
    assert_int_equal(exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err), EXS_OK);
    const char *why;
    assert_int_equal(exs_vault_stuck(v, &why), 1);
    assert_non_null(strstr(why, "item 0123456789abcdef: its zip is not the file"));
    assert_non_null(strstr(why, "left in place"));
    assert_true(in_tree(2));
    exs_vault_cand c = cand(0);
    exs_vault_outcome o;
    char id[EXS_VAULT_ID_LEN];
    assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
    assert_int_equal(o, EXS_VAULT_MOVED);
    exs_vault_close(v);
    /* put aside while stuck: the new journal holds the stuck item's lines alone, the old one is
     * kept whole beside it */
    xs_vault_journal_rotate_at = 1;
    assert_int_equal(exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err), EXS_OK);
    assert_int_equal(exs_vault_stuck(v, NULL), 1);
    exs_vault_close(v);
    xs_vault_journal_rotate_at = XS_VAULT_JOURNAL_ROTATE;
    sh("test \"$(wc -l <'%s')\" = 2 && test \"$(grep -c '\"item\":\"0123456789abcdef\"' '%s')\" "
       "= 2 && test ! -e '%s.new'", p, p, p);
    sh("test \"$(cat '%s'/journal-*.jsonl | wc -l)\" -gt 2 && grep -q '\"step\":\"done\"' "
       "'%s'/journal-*.jsonl", vdir, vdir);
    assert_int_equal(exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err), EXS_OK);
    assert_int_equal(exs_vault_stuck(v, NULL), 1);
    exs_vault_close(v);
    assert_true(in_tree(2));
    assert_false(in_tree(0));
    /* a line that is no journal entry stops the opening */
    f = fopen(p, "w");
    fputs("{\"step\":\"done\",\"item\":\"0123456789abcdef\"}\n", f);
    fclose(f);
    assert_int_not_equal(exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err), EXS_OK);
    assert_non_null(strstr(err, "journal line 1"));
}

static int count_line(void *ctx, xs_str line, const xs_str *k, const xs_str *val, size_t nf)
{
    (void)line, (void)k, (void)val, (void)nf;
    (*(int *)ctx)++;
    return 0;
}

static void test_reader_caps(void **state)
{
    (void)state;
    bool torn;
    int n = 0;
    const char ok[] = "{\"a\":\"b\"}\n{\"c\":1}\n";
    assert_int_equal(xs_vault_lines(ok, sizeof ok - 1, count_line, &n, &torn), 0);
    assert_int_equal(n, 2);
    assert_false(torn);
    /* a torn last line is not handed on */
    n = 0;
    assert_int_equal(xs_vault_lines(ok, sizeof ok - 3, count_line, &n, &torn), 0);
    assert_int_equal(n, 1);
    assert_true(torn);
    /* a line of XS_VAULT_MAX_LINE bytes is read, one more is malformed */
    size_t len = XS_VAULT_MAX_LINE + 1;
    char *big = malloc(len + 2);
    for (int extra = 0; extra < 2; extra++) {
        size_t l = XS_VAULT_MAX_LINE + (size_t)extra;
        memset(big, 'x', l);
        memcpy(big, "{\"a\":\"", 6);
        memcpy(big + l - 2, "\"}", 2);
        big[l] = '\n';
        n = 0;
        assert_int_equal(xs_vault_lines(big, l + 1, count_line, &n, &torn), extra ? 1 : 0);
        assert_int_equal(n, extra ? 0 : 1);
    }
    free(big);
    /* XS_VAULT_MAX_FIELDS fields are read, one more is malformed */
    for (int extra = 0; extra < 2; extra++) {
        char line[XS_VAULT_MAX_FIELDS * 16 + 16];
        size_t o = 0;
        line[o++] = '{';
        for (int i = 0; i < XS_VAULT_MAX_FIELDS + extra; i++)
            o += (size_t)snprintf(line + o, sizeof line - o, "%s\"k%d\":1", i ? "," : "", i);
        line[o++] = '}';
        line[o++] = '\n';
        n = 0;
        assert_int_equal(xs_vault_lines(line, o, count_line, &n, &torn), extra ? 1 : 0);
    }
    /* not JSON */
    assert_int_equal(xs_vault_lines("{\"a\":\n", 6, count_line, &n, &torn), 1);
}

/* A run stopped after step N, for every N until a run goes through unstopped. */
static void test_stop_after_every_step(void **state)
{
    batched = state && *state && *(const bool *)*state;
    long n;
    for (n = 1;; n++) {
        fresh();
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            xs_vault_fault_set(n, 0, 0);
            exs_vault *v = open_vault();
            int errors = 0;
            quarantine_all(v, &errors);
            exs_vault_close(v);
            _exit(errors ? 3 : 0);
        }
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st));
        int code = WEXITSTATUS(st);
        assert_true(code == 77 || code == 0);
        assert_nothing_lost("stopped after step", n); /* before any recovery */
        resume_and_finish("stopped after step", n);
        if (code == 0)
            break;
    }
    /* every item has 10 stops: after each of its 9 steps, and between the rename of step 7 and
     * the unlink; batched or not */
    assert_int_equal(n, NFILES * 10 + 1);
    batched = false;
}

/* The Nth write, fsync or rename fails, for every N until none is left to fail. */
static void test_fail_every_io(void **state)
{
    batched = state && *state && *(const bool *)*state;
    long n;
    int failures = 0;
    for (n = 1;; n++) {
        fresh();
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            xs_vault_fault_set(0, n, 0);
            exs_vault *v = NULL;
            char err[1200];
            const char *roots[] = {root};
            if (exs_vault_open(&v, vdir, roots, 1, EXS_VAULT_CREATE, err, sizeof err) != EXS_OK)
                _exit(2);
            int errors = 0;
            quarantine_all(v, &errors);
            exs_vault_close(v);
            _exit(errors ? 2 : 0);
        }
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st));
        int code = WEXITSTATUS(st);
        assert_true(code == 2 || code == 0);
        failures += code == 2;
        assert_nothing_lost("failed I/O call", n);
        resume_and_finish("failed I/O call", n);
        if (code == 0)
            break;
    }
    assert_true(n > NFILES * 6);
    assert_int_equal(failures, n - 1); /* every injected failure was reported */
    batched = false;
}

/* No .exsweep-restore-* file anywhere in the tree. */
static void assert_no_restore_temp(const char *when, long n)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "test -z \"$(find '%s' -name '.exsweep-restore-*')\"", root);
    if (system(cmd) != 0)
        fail_msg("%s %ld: a restore's temporary file is left in the tree", when, n);
}

/* A restore of file 1 in a child that stops after its Nth step (as kill -9) or whose Nth write,
 * fsync or rename fails, for every N until one goes through: after each, the next opening
 * leaves no temporary file in the tree, the file is in place (and recorded once) or still only
 * in the vault, and a restore then puts it back; one restore entry in the end. */
static void restore_faulted(int step)
{
    long n;
    for (n = 1;; n++) {
        fresh();
        exs_vault *v = open_vault();
        exs_vault_cand c = cand(1);
        exs_vault_outcome o;
        char id[EXS_VAULT_ID_LEN];
        assert_int_equal(exs_vault_quarantine(v, &c, &o, id), EXS_OK);
        exs_vault_close(v);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            exs_vault *w = open_vault();
            xs_vault_fault_set(step ? n : 0, step ? 0 : n, 0);
            exs_rc rc = exs_vault_restore(w, id);
            if (rc != EXS_OK && !strstr(exs_vault_error(w), "Input/output error"))
                _exit(4); /* the failure is said */
            exs_vault_close(w);
            _exit(rc == EXS_OK ? 0 : 2);
        }
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st));
        int code = WEXITSTATUS(st);
        assert_true(code == 0 || code == (step ? 77 : 2));
        assert_true(in_vault(1));
        v = open_vault(); /* the recovery */
        assert_int_equal(exs_vault_stuck(v, NULL), 0);
        assert_no_restore_temp(step ? "restore stopped after step" : "restore failed call", n);
        assert_int_equal(exs_vault_restore(v, id), EXS_OK);
        assert_true(in_tree(1));
        const exs_vault_entry *e;
        size_t ne, restores = 0;
        assert_int_equal(exs_vault_entries(v, &e, &ne), EXS_OK);
        for (size_t i = 0; i < ne; i++)
            restores += strcmp(e[i].action, "restore") == 0;
        if (restores != 1)
            fail_msg("after %ld: %zu restore entries", n, restores);
        exs_vault_close(v);
        assert_reopens_clean();
        if (code == 0)
            break;
    }
    if (step) /* begun, the file written, in place, recorded, ended */
        assert_int_equal(n, 5 + 1);
    else
        assert_true(n > 6);
}

/* A restore's journal lines: begun, begun again (the later stands for both), ended; an end of
 * no restore begun, or a second end, is not a journal entry. */
static void test_restore_journal_lines(void **state)
{
    (void)state;
    static const char b[] = "{\"step\":\"restoring\",\"item\":\"0123456789abcdef\","
                            "\"root_path\":\"/r\",\"path\":\"a.aspx\",\"sha256\":\""
                            "aae82011073e798757ce12e276f61681fa013599eb338b3807f11ec7080eeb29"
                            "\",\"size\":9}\n";
    static const char end[] = "{\"step\":\"restored\",\"item\":\"0123456789abcdef\"}\n";
    char buf[2048];
    bool torn;
    xs_vault_journal j = {0};
    snprintf(buf, sizeof buf, "%s%s%s", b, b, end);
    assert_int_equal(xs_vault_journal_parse(buf, strlen(buf), &j, &torn), 0);
    assert_false(torn);
    assert_int_equal(j.nr, 2);
    assert_int_equal(j.restores[0].state, XS_ITEM_DONE);
    assert_int_equal(j.restores[1].state, XS_ITEM_DONE);
    assert_string_equal(j.restores[1].path, "a.aspx");
    assert_int_equal(j.restores[1].size, 9);
    xs_vault_journal_free(&j);
    snprintf(buf, sizeof buf, "%s", b);
    assert_int_equal(xs_vault_journal_parse(buf, strlen(buf), &j, &torn), 0);
    assert_int_equal(j.nr, 1);
    assert_int_equal(j.restores[0].state, XS_ITEM_INTENT); /* unfinished: the recovery's */
    xs_vault_journal_free(&j);
    snprintf(buf, sizeof buf, "%s", end);
    assert_int_equal(xs_vault_journal_parse(buf, strlen(buf), &j, &torn), 1);
    xs_vault_journal_free(&j);
    snprintf(buf, sizeof buf, "%s%s%s", b, end, end);
    assert_int_equal(xs_vault_journal_parse(buf, strlen(buf), &j, &torn), 3);
    xs_vault_journal_free(&j);
}

static void test_restore_stop_every_step(void **state)
{
    (void)state;
    restore_faulted(1);
}

static void test_restore_fail_every_io(void **state)
{
    (void)state;
    restore_faulted(0);
}

/* Group commit: the NFILES files of three folders one at a time take 9 fsyncs each (journal
 * intent, zip, vault folder, copied, manifest, journal manifest, original's folder, unlinked,
 * done) and 2 for the vault folder when the journal and the manifest are created; together,
 * each step's sync is shared but the zips' (one each) and the folders' (one each of a, a/b and
 * the root): 7 + 3 + 3 + 2. */
static void test_group_commit(void **state)
{
    (void)state;
    for (int b = 0; b < 2; b++) {
        fresh();
        batched = b;
        exs_vault *v = open_vault();
        long before = atomic_load(&xs_vault_fsyncs);
        int errors = 0;
        quarantine_all(v, &errors);
        long syncs = atomic_load(&xs_vault_fsyncs) - before;
        assert_int_equal(errors, 0);
        exs_vault_close(v);
        for (int i = 0; i < NFILES; i++)
            assert_true(!in_tree(i) && in_vault(i));
        assert_reopens_clean();
        assert_int_equal(syncs, b ? 7 + NFILES + 3 + 2 : NFILES * 9 + 2);
    }
    batched = false;
}

/* More candidates than a batch holds, with refusals and changed files among them: each result
 * is its own candidate's, in order, and every movable file is moved. */
static void test_many_batches(void **state)
{
    (void)state;
    fresh();
    enum { N = XS_VAULT_BATCH * 2 + 5 };
    static char paths[N][32], bodies[N][64];
    static exs_vault_cand c[N];
    static const exs_vault_cand *cp[N];
    static exs_vault_result r[N];
    sh("mkdir -p '%s/m'", root);
    for (int i = 0; i < N; i++) {
        snprintf(paths[i], sizeof paths[i], "m/s%d.aspx", i);
        snprintf(bodies[i], sizeof bodies[i], "<%% eval(Request[\"%d\"]) %%>", i);
        char p[700];
        snprintf(p, sizeof p, "%s/%s", root, paths[i]);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fputs(bodies[i], f);
        fclose(f);
        c[i] = (exs_vault_cand){root, "root", paths[i], "f1", "EXS-TEST", NULL, -1, NULL};
        cp[i] = &c[i];
    }
    /* every 7th is a symlink now (refused at the check), every 11th is gone */
    for (int i = 0; i < N; i += 7)
        sh("cd '%s/m' && rm s%d.aspx && ln -s /etc/passwd s%d.aspx", root, i, i);
    for (int i = 5; i < N; i += 11)
        if (i % 7)
            sh("rm '%s/m/s%d.aspx'", root, i);
    exs_vault *v = open_vault();
    assert_int_equal(exs_vault_quarantine_many(v, cp, N, r), EXS_OK);
    exs_vault_close(v);
    size_t moved = 0;
    for (int i = 0; i < N; i++) {
        char p[700];
        snprintf(p, sizeof p, "%s/m/s%d.aspx", root, i);
        struct stat st;
        assert_int_equal(r[i].rc, EXS_OK);
        if (i % 7 == 0) {
            assert_int_equal(r[i].outcome, EXS_VAULT_REFUSED);
            assert_string_equal(r[i].id, "");
            assert_true(lstat(p, &st) == 0 && S_ISLNK(st.st_mode));
        } else if (i >= 5 && (i - 5) % 11 == 0) {
            assert_int_equal(r[i].outcome, EXS_VAULT_REFUSED);
            assert_string_equal(r[i].id, "");
        } else {
            assert_int_equal(r[i].outcome, EXS_VAULT_MOVED);
            assert_int_equal(strlen(r[i].id), EXS_VAULT_ID_LEN - 1);
            assert_string_equal(r[i].msg, "");
            assert_int_not_equal(lstat(p, &st), 0);
            moved++;
        }
    }
    /* the manifest holds exactly the moved ones, each with its own path and SHA-256 */
    v = open_vault();
    const exs_vault_entry *e;
    size_t ne;
    assert_int_equal(exs_vault_entries(v, &e, &ne), EXS_OK);
    assert_int_equal(ne, moved);
    for (size_t k = 0; k < ne; k++) {
        int i = atoi(e[k].path + 3);
        char hex[65];
        assert_true(xs_sha256_hex(bodies[i], strlen(bodies[i]), hex));
        assert_string_equal(e[k].sha256, hex);
        assert_string_equal(e[k].item, r[i].id);
    }
    exs_vault_close(v);
    assert_reopens_clean();
}

/* ---- vault export ---- */

static char outdir[320];

/* A vault holding the NFILES shells, closed; outdir named, not created. */
static void quarantined(void)
{
    fresh();
    snprintf(outdir, sizeof outdir, "%s/out", base);
    exs_vault *v = open_vault();
    int errors = 0;
    quarantine_all(v, &errors);
    assert_int_equal(errors, 0);
    exs_vault_close(v);
}

/* The vault's files (names, sizes, modes, modification times, SHA-256) into base/NAME. */
static void snapshot(const char *name)
{
    sh("cd '%s' && { find . -printf '%%p %%s %%m %%T@\\n' | sort; "
       "find . -type f -exec sha256sum {} + | sort; } >'%s/%s'", vdir, base, name);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *n = fread(buf, 1, 1 << 20, f);
    buf[*n] = 0;
    fclose(f);
    return buf;
}

/* outdir holds exactly the vault's zips, manifest.jsonl, README.txt and SHA256SUMS, owner-only;
 * each SHA256SUMS line is its file's real SHA-256; the manifest is the vault's, byte for byte. */
static void assert_export_complete(void)
{
    struct stat st;
    assert_int_equal(stat(outdir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    sh("cd '%s' && ls -A | sort >'%s/got' && { (cd '%s' && ls *.zip); echo manifest.jsonl; "
       "echo README.txt; echo SHA256SUMS; } | sort >'%s/want' && cmp '%s/got' '%s/want'",
       outdir, base, vdir, base, base, base);
    char p[700], q[700];
    snprintf(p, sizeof p, "%s/SHA256SUMS", outdir);
    size_t n, lines = 0;
    char *sums = slurp(p, &n);
    for (char *l = sums; *l; lines++) {
        char *nl = strchr(l, '\n');
        assert_non_null(nl);
        *nl = 0;
        assert_true(strlen(l) > 66 && l[64] == ' ' && l[65] == ' ');
        size_t fl;
        snprintf(q, sizeof q, "%s/%s", outdir, l + 66);
        char *file = slurp(q, &fl), hex[65];
        assert_true(xs_sha256_hex(file, fl, hex));
        assert_memory_equal(hex, l, 64);
        free(file);
        l = nl + 1;
    }
    free(sums);
    assert_int_equal(lines, NFILES + 2); /* the zips, the manifest, the README */
    sh("cmp '%s/manifest.jsonl' '%s/manifest.jsonl'", outdir, vdir);
    sh("cd '%s' && sha256sum --quiet --strict -c SHA256SUMS", outdir);
}

static void test_export(void **state)
{
    (void)state;
    quarantined();
    snapshot("before");
    exs_vault *v = NULL;
    char err[1200], p[700];
    assert_int_equal(exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err), EXS_OK);
    size_t n = 0;
    assert_int_equal(exs_vault_export(v, outdir, &n), EXS_OK);
    assert_int_equal(n, NFILES);
    assert_export_complete();
    /* the README names the chain head, the count and the password */
    uint64_t lines;
    const char *head = exs_vault_head(v, &lines);
    assert_int_equal(lines, NFILES);
    snprintf(p, sizeof p, "%s/README.txt", outdir);
    size_t rl;
    char *rd = slurp(p, &rl);
    assert_non_null(strstr(rd, head));
    assert_non_null(strstr(rd, "The manifest has 3 entries"));
    assert_non_null(strstr(rd, "\"infected\""));
    free(rd);
    /* an existing OUT is refused and left as it was */
    assert_int_equal(exs_vault_export(v, outdir, &n), EXS_EINVAL);
    assert_export_complete();
    /* OUT inside the vault, by its path or through a symbolic link: refused, nothing created */
    snprintf(p, sizeof p, "%s/x", vdir);
    assert_int_equal(exs_vault_export(v, p, &n), EXS_EEVIDENCE);
    sh("ln -s vault '%s/link'", base);
    snprintf(p, sizeof p, "%s/link/x", base);
    assert_int_equal(exs_vault_export(v, p, &n), EXS_EEVIDENCE);
    exs_vault_close(v);
    snapshot("after");
    sh("cmp '%s/before' '%s/after'", base, base);
}

/* Refused before anything is created: a vault that does not verify (a byte of a zip changed),
 * a zip past XS_VAULT_MAX_ZIP (verify reads its member, not the bytes after the archive), a
 * manifest naming a zip that is not a vault's own name (its chain made whole again). */
static void test_export_refused(void **state)
{
    (void)state;
    quarantined();
    exs_vault *v = NULL;
    char err[1200], p[700], zip[64], up[64];
    size_t n = 7;
    assert_int_equal(exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err), EXS_OK);
    const exs_vault_entry *e;
    size_t ne;
    assert_int_equal(exs_vault_entries(v, &e, &ne), EXS_OK);
    snprintf(zip, sizeof zip, "%s", e[1].zip);
    flip(zip);
    assert_int_equal(exs_vault_export(v, outdir, &n), EXS_EFORMAT);
    assert_int_equal(n, 0);
    assert_non_null(strstr(exs_vault_error(v), "exsweep vault verify"));
    assert_int_equal(access(outdir, F_OK), -1);
    flip(zip);
    snprintf(p, sizeof p, "%s/%s", vdir, zip);
    int fd = open(p, O_RDWR);
    assert_true(fd >= 0);
    /* larger than an item's zip can be: its end past the cap, a hole */
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(ftruncate(fd, (off_t)XS_VAULT_MAX_ZIP + 1), 0);
    size_t bad;
    FILE *null = fopen("/dev/null", "w");
    assert_int_equal(exs_vault_verify(v, null, &bad), EXS_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(exs_vault_export(v, outdir, &n), EXS_ELIMIT);
    assert_int_equal(access(outdir, F_OK), -1);
    assert_int_equal(ftruncate(fd, st.st_size), 0);
    close(fd);
    /* a zip renamed to upper-case hex, the manifest edited to match and its chain rebuilt:
     * the manifest reader refuses a zip name that is not the item's own (verify says so), and
     * the export with it */
    for (size_t i = 0; i < sizeof up && zip[i]; i++)
        up[i] = (char)(zip[i] >= 'a' && zip[i] <= 'f' ? zip[i] - 32 : zip[i]), up[i + 1] = 0;
    sh("cd '%s' && mv %s %s && sed -i 's/\"zip\":\"%s\"/\"zip\":\"%s\"/' manifest.jsonl", vdir,
       zip, up, zip, up);
    snprintf(p, sizeof p, "%s/manifest.jsonl", vdir);
    size_t ml;
    char *m = slurp(p, &ml), prev[65] = XS_VAULT_GENESIS;
    for (char *l = m; *l;) {
        char *nl = strchr(l, '\n');
        assert_true(nl && strncmp(l, "{\"prev\":\"", 9) == 0);
        memcpy(l + 9, prev, 64);
        assert_true(xs_sha256_hex(l, (size_t)(nl - l), prev));
        l = nl + 1;
    }
    FILE *f = fopen(p, "wb");
    assert_int_equal(fwrite(m, 1, ml, f), ml);
    fclose(f);
    free(m);
    exs_vault_close(v);
    assert_int_equal(exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err), EXS_OK);
    assert_int_equal(exs_vault_verify(v, null, &bad), EXS_OK);
    assert_int_equal(bad, 1);
    assert_int_equal(exs_vault_export(v, outdir, &n), EXS_EFORMAT);
    assert_int_equal(access(outdir, F_OK), -1);
    fclose(null);
    exs_vault_close(v);
}

/* An export in a child whose Nth write, fsync or rename fails (io) or that stops after its Nth
 * file put in place (step, as kill -9), for every N until one goes through: it is complete and
 * valid, or it failed and left no OUT (io), or it stopped and any SHA256SUMS it left names
 * only files all written (step); the vault never changes. */
static void export_faulted(int step)
{
    long n;
    quarantined();
    snapshot("before");
    for (n = 1;; n++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            exs_vault *v = NULL;
            char err[1200];
            size_t nf;
            if (exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err) != EXS_OK)
                _exit(3);
            xs_vault_fault_set(step ? n : 0, step ? 0 : n, 0);
            exs_rc rc = exs_vault_export(v, outdir, &nf);
            if (rc != EXS_OK && !strstr(exs_vault_error(v), "Input/output error"))
                _exit(4); /* the failure is said */
            exs_vault_close(v);
            _exit(rc == EXS_OK ? 0 : 2);
        }
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st));
        int code = WEXITSTATUS(st);
        snapshot("after");
        sh("cmp '%s/before' '%s/after'", base, base);
        if (code == 0) {
            assert_export_complete();
            break;
        }
        assert_int_equal(code, step ? 77 : 2);
        if (step)
            sh("cd '%s' && { test ! -e SHA256SUMS || sha256sum --quiet --strict -c SHA256SUMS; }",
               outdir);
        else if (access(outdir, F_OK) == 0)
            fail_msg("failed I/O call %ld: the export was left", n);
        sh("rm -rf '%s'", outdir);
    }
    if (step) /* a step per file: the zips, the manifest, README.txt, SHA256SUMS */
        assert_int_equal(n, NFILES + 4);
    else /* the parent's sync, three calls per file, three syncs of OUT (the last before
          * SHA256SUMS is put in place: every name it lists durable first) */
        assert_int_equal(n, 1 + (NFILES + 3) * 3 + 3 + 1);
}

static void test_export_fail_every_io(void **state)
{
    (void)state;
    export_faulted(0);
}

static void test_export_stop_every_step(void **state)
{
    (void)state;
    export_faulted(1);
}

int main(void)
{
    snprintf(base, sizeof base, "/tmp/exsweep-test-vault.%d", (int)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_tamper),
        cmocka_unit_test(test_reader_caps),
        cmocka_unit_test(test_tampered_journal),
        cmocka_unit_test(test_journal_ids),
        cmocka_unit_test(test_non_utf8_name),
        cmocka_unit_test(test_fifo_swapped_in),
        cmocka_unit_test(test_vault_in_web_folder),
        cmocka_unit_test(test_write_caps),
        cmocka_unit_test(test_journal_rotation),
        cmocka_unit_test(test_zipcrypto_fallback),
        cmocka_unit_test(test_default_exchange_file),
        cmocka_unit_test(test_another_inode),
        cmocka_unit_test(test_private_name_recovery),
        cmocka_unit_test(test_swap_before_rename),
        cmocka_unit_test(test_failure_messages),
        cmocka_unit_test(test_busy_retried),
        cmocka_unit_test(test_vault_full),
        cmocka_unit_test(test_restore_journal_forged),
        cmocka_unit_test(test_batch_same_and_changed),
        cmocka_unit_test(test_full_disk_tmpfs),
        cmocka_unit_test(test_read_only_media),
        cmocka_unit_test(test_stop_after_every_step),
        cmocka_unit_test(test_fail_every_io),
        cmocka_unit_test_prestate(test_stop_after_every_step, (void *)&batched_on),
        cmocka_unit_test_prestate(test_fail_every_io, (void *)&batched_on),
        cmocka_unit_test(test_group_commit),
        cmocka_unit_test(test_restore_journal_lines),
        cmocka_unit_test(test_restore_stop_every_step),
        cmocka_unit_test(test_restore_fail_every_io),
        cmocka_unit_test(test_many_batches),
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_export_refused),
        cmocka_unit_test(test_export_fail_every_io),
        cmocka_unit_test(test_export_stop_every_step),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    if (system(cmd) != 0)
        rc = rc ? rc : 1;
    return rc;
}
