/* IOC lists (plain, sha256sum, signature-base "hash;comment", MSTIC and Volexity CSV layouts,
 * defanged values) and the indicator sets built from them (built-ins, path keys, wildcards,
 * default-name collisions, IPs, parent domains, caps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "detectors/ioc.h"
#include "detectors/iocnet.h"
#include "engines/pathre.h"
#include "exsweep/exsweep.h"
#include "fixfiles.h"
#include "memscan.h"
#include "parsers/ioclist.h"

typedef struct got {
    xs_ioc_type type[32];
    char value[32][256];
    char note[32][128];
    uint64_t line[32];
    int score[32];
    char fp[32][128];
    size_t n;
    uint64_t bad[32];
    size_t nbad;
} got;

static void on_item(void *ctx, const xs_ioc_item *it)
{
    got *g = ctx;
    if (g->n >= 32)
        return;
    g->type[g->n] = it->type;
    snprintf(g->value[g->n], sizeof g->value[0], "%s", it->value);
    snprintf(g->note[g->n], sizeof g->note[0], "%.*s", (int)it->note.n,
             it->note.p ? it->note.p : "");
    g->line[g->n] = it->line;
    g->score[g->n] = it->score;
    snprintf(g->fp[g->n], sizeof g->fp[0], "%.*s", (int)it->fp.n, it->fp.p ? it->fp.p : "");
    g->n++;
}

static void on_bad(void *ctx, uint64_t line, const char *why)
{
    (void)why;
    got *g = ctx;
    if (g->nbad < 32)
        g->bad[g->nbad++] = line;
}

static void on_set_bad(void *ctx, const char *file, uint64_t line, const char *why)
{
    (void)file;
    on_bad(ctx, line, why);
}

static got parse(const char *text)
{
    got g;
    memset(&g, 0, sizeof g);
    xs_ioclist_parse(text, strlen(text), on_item, on_bad, &g);
    return g;
}

#define H64 "b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0"

static void test_plain(void **st)
{
    (void)st;
    got g = parse("\xEF\xBB\xBF# comment\n" H64 ";HAFNIUM web shell\n"
                  "// another comment\n"
                  "\n"
                  "0123456789abcdef0123456789abcdef01234567  tool.exe\n"
                  "203.0.113.7\n"
                  "2001:db8::1\n"
                  "evil[.]example[.]test\n"
                  "hxxp://c2.example.test:8080/beacon\n"
                  "C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx\n"
                  "not an indicator at all\n"
                  "d41d8cd98f00b204e9800998ecf8427e\n");
    assert_int_equal(g.n, 8);
    assert_int_equal(g.type[0], XS_IOC_SHA256);
    assert_string_equal(g.value[0], H64);
    assert_string_equal(g.note[0], "HAFNIUM web shell");
    assert_int_equal(g.line[0], 2);
    assert_int_equal(g.type[1], XS_IOC_SHA1);
    assert_string_equal(g.note[1], "tool.exe");
    assert_int_equal(g.type[2], XS_IOC_IP);
    assert_int_equal(g.type[3], XS_IOC_IP);
    assert_int_equal(g.type[4], XS_IOC_DOMAIN);
    assert_string_equal(g.value[4], "evil.example.test");
    assert_int_equal(g.type[5], XS_IOC_DOMAIN); /* a URL stands for its host */
    assert_string_equal(g.value[5], "c2.example.test");
    assert_int_equal(g.type[6], XS_IOC_PATH);
    assert_int_equal(g.type[7], XS_IOC_MD5);
    assert_int_equal(g.nbad, 1);
    assert_int_equal(g.bad[0], 11);
}

static void test_csv_layouts(void **st)
{
    (void)st;
    /* The MSTIC feed layout (values made up here) */
    got g = parse("DateAdded,FirstSeen,Indicator,IndicatorType,TLP\r\n"
                  "2021-03-10,2021-03-05T10:07:29Z," H64 ",sha256,White\r\n"
                  "2021-03-09,,C:\\Program Files\\Microsoft\\Exchange "
                  "Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\x1.aspx,filepath,White\r\n"
                  "2021-04-01,,bad.example.test,domainname,White\r\n"
                  "2021-04-01,,not-a-hash,sha256,White\r\n"
                  "2021-04-01,,,sha256,White\r\n");
    assert_int_equal(g.n, 3);
    assert_int_equal(g.type[0], XS_IOC_SHA256);
    assert_int_equal(g.type[1], XS_IOC_PATH);
    assert_int_equal(g.type[2], XS_IOC_DOMAIN);
    assert_int_equal(g.nbad, 2);
    /* Volexity's value,type,notes */
    g = parse("value,type,notes\n"
              "198.51.100.23,ipaddress,\"IP addresses attempting to exploit, March 2021\"\n");
    assert_int_equal(g.n, 1);
    assert_int_equal(g.type[0], XS_IOC_IP);
    assert_string_equal(g.note[0], "IP addresses attempting to exploit, March 2021");
    /* a URL column yields its host */
    g = parse("ioc,type\nhttps://dl.example.test/a.ps1,url\n");
    assert_int_equal(g.n, 1);
    assert_int_equal(g.type[0], XS_IOC_DOMAIN);
    assert_string_equal(g.value[0], "dl.example.test");
}

static void test_long_line(void **st)
{
    (void)st;
    size_t n = XS_MAX_IOC_LINE + 100;
    char *t = malloc(n + 80);
    assert_non_null(t);
    memset(t, 'a', n);
    snprintf(t + n, 80, "\n203.0.113.9\n");
    got g = parse(t);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.nbad, 1);
    assert_int_equal(g.bad[0], 1);
    free(t);
}

static void test_path_key(void **st)
{
    (void)st;
    char k[1024];
    xs_ioc_path_key("C:\\Program Files\\Microsoft\\Exchange "
                     "Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\X.aspx",
                     k, sizeof k);
    assert_string_equal(k, "/frontend/httpproxy/owa/auth/x.aspx");
    xs_ioc_path_key("%ProgramData%\\COM1\\a.aspx", k, sizeof k);
    assert_string_equal(k, "/programdata/com1/a.aspx");
    xs_ioc_path_key("\\\\?\\C:\\Users\\Public\\opera\\Opera_browser.exe", k, sizeof k);
    assert_string_equal(k, "/users/public/opera/opera_browser.exe");
    xs_ioc_path_key("shell.aspx", k, sizeof k);
    assert_string_equal(k, "/shell.aspx");
    xs_ioc_path_key("E:\\Exchange\\ClientAccess\\ecp\\x.aspx", k, sizeof k);
    assert_string_equal(k, "/clientaccess/ecp/x.aspx");
}

static void test_sets(void **st)
{
    (void)st;
    xs_iocset *s;
    assert_int_equal(xs_iocset_create(&s), EXS_OK);
    /* built-ins */
    const xs_ioc *x = xs_iocset_hash(s, H64);
    assert_non_null(x);
    assert_string_equal(x->source, "built-in");
    assert_int_equal(x->verdict, EXS_VERDICT_EXPLOITATION);
    assert_true(xs_iocset_count(s, XS_IOC_SHA256) >= 30);
    assert_int_equal(xs_iocset_count_user(s, XS_IOC_SHA256), 0);
    x = xs_iocset_path(s, "/mnt/img/users/public/opera/opera_browser.exe");
    assert_non_null(x);
    assert_non_null(xs_iocset_path(s, "/mnt/img/programdata/com1/x.aspx"));
    assert_null(xs_iocset_path(s, "/mnt/img/programdata/com1/readme.txt"));
    assert_null(xs_iocset_path(s, "/mnt/img/users/public/opera/other.exe"));
    /* a list */
    const char *list = "H,type\n"
                       "0000000000000000000000000000000000000000000000000000000000000001,sha256\n";
    (void)list;
    const char *plain = "203.0.113.7;scanner\n"
                        "2001:DB8:0:0:0:0:0:1\n"
                        "bad.example.test\n"
                        "C:\\Program Files\\Microsoft\\Exchange "
                        "Server\\V15\\FrontEnd\\HttpProxy\\ecp\\auth\\TimeoutLogout.aspx\n"
                        "C:\\Program Files\\Microsoft\\Exchange "
                        "Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\Chack*.aspx\n"
                        "C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx\n"
                        "C:\\Data\\a?c\\*.aspx\n"
                        "C:\\Data\\[xy]z\\*s*.aspx\n";
    assert_int_equal(xs_iocset_load_mem(s, "list.txt", plain, strlen(plain), NULL, NULL), EXS_OK);
    x = xs_iocset_ip(s, "203.0.113.7");
    assert_non_null(x);
    assert_string_equal(x->note, "scanner");
    assert_int_equal(x->line, 1);
    assert_string_equal(x->source, "list.txt");
    assert_non_null(xs_iocset_ip(s, "2001:db8::1")); /* canonical forms compare */
    assert_null(xs_iocset_ip(s, "203.0.113.8"));
    assert_null(xs_iocset_ip(s, "not an ip"));
    assert_non_null(xs_iocset_domain(s, "BAD.example.test"));
    assert_non_null(xs_iocset_domain(s, "www.bad.example.test:443"));
    assert_null(xs_iocset_domain(s, "example.test"));
    /* any install root, any mount point */
    x = xs_iocset_path(s, "/mnt/e/exchange/frontend/httpproxy/owa/auth/chacklogspl.aspx");
    assert_non_null(x);
    assert_true(x->wildcard);
    assert_non_null(xs_iocset_path(s, "/evidence/c/inetpub/wwwroot/aspnet_client/shell.aspx"));
    assert_null(xs_iocset_path(s, "/evidence/c/inetpub/wwwroot/aspnet_client/myshell.aspx"));
    /* '?' and classes: fnmatch decides after the literal-run check */
    assert_non_null(xs_iocset_path(s, "/mnt/c/data/abc/x.aspx"));
    assert_null(xs_iocset_path(s, "/mnt/c/data/abd/x.aspx"));
    assert_null(xs_iocset_path(s, "/mnt/c/data/abc/x.asp"));
    assert_non_null(xs_iocset_path(s, "/mnt/c/data/yz/shell.aspx"));
    assert_null(xs_iocset_path(s, "/mnt/c/data/wz/shell.aspx"));
    /* a path naming a file Exchange ships is kept but marked, so that only content decides */
    x = xs_iocset_path(s, "/img/program files/microsoft/exchange "
                           "server/v15/frontend/httpproxy/ecp/auth/timeoutlogout.aspx");
    assert_non_null(x);
    assert_true(x->default_name);
    assert_int_equal(xs_iocset_count_user(s, XS_IOC_IP), 2);
    assert_int_equal(xs_iocset_count_user(s, XS_IOC_PATH), 5);
    char err[256];
    assert_int_equal(xs_iocset_load(s, "/nonexistent/list.txt", NULL, NULL, err, sizeof err),
                     EXS_ERULE);
    assert_non_null(strstr(err, "/nonexistent/list.txt"));
    xs_iocset_destroy(s);
}

/* The warnings of a list load, with their words. */
typedef struct said {
    uint64_t line[4];
    char why[4][200];
    size_t n;
} said;

static void on_said(void *ctx, const char *file, uint64_t line, const char *why)
{
    (void)file;
    said *w = ctx;
    if (w->n < 4) {
        w->line[w->n] = line;
        snprintf(w->why[w->n], sizeof w->why[0], "%s", why);
    }
    w->n++;
}

/* Loads list (written to a file) with the bytes read of a list lowered to cap. */
static xs_iocset *load_capped(const char *list, size_t cap, said *w)
{
    char path[512], err[256] = "";
    snprintf(path, sizeof path, "%s/iocs.txt", t_dir);
    assert_int_equal(t_fix_write(t_dir, "iocs.txt", list, strlen(list)), 0);
    xs_iocset *s;
    assert_int_equal(xs_iocset_create(&s), EXS_OK);
    xs_iocset_set_max_file(s, cap);
    memset(w, 0, sizeof *w);
    assert_int_equal(xs_iocset_load(s, path, on_said, w, err, sizeof err), EXS_OK);
    assert_string_equal(err, "");
    return s;
}

/* The one warning of a list cut by a cap of size (its words), at line: the first not read. */
static void said_cut(const said *w, uint64_t line, const char *size)
{
    char want[200];
    snprintf(want, sizeof want,
             "list larger than %s: read to its last whole line within them; this line and the "
             "rest are not read",
             size);
    assert_int_equal(w->n, 1);
    assert_int_equal(w->line[0], line);
    assert_string_equal(w->why[0], want);
}

/* XS_MAX_IOC_FILE (lowered): a list past the cap is read to its last whole line within it;
 * the line the cap cuts is not read as the indicator its start looks like ("203.0.113.7" of
 * "203.0.113.77"), and one warning names the first line not read. A line whose break is the
 * first byte past the cap is whole and read; a list of the cap's size, or one byte more, is
 * read whole (its last line ends at its end, with a break or without); a cap of whole MiB is
 * said in MiB. */
static void test_file_cap(void **st)
{
    (void)st;
    static const char list[] = "198.51.100.1\n"      /* bytes 0-12 */
                               "bad.example.test\n"  /* 13-29 */
                               "203.0.113.77\n"      /* 30-42 */
                               "other.example.test\n";
    static const char unended[] = "198.51.100.1\n" /* 0-12 */
                                  "bad.example.test"; /* 13-28: no break */
    /* 52,430 lines of 20 bytes: 52,428 fit in 1 MiB, the cap ends 16 bytes into the next */
    enum { LINES = 52430 };
    char *big = malloc(LINES * 20 + 1);
    assert_non_null(big);
    for (unsigned i = 0; i < LINES; i++) {
        char *l = big + i * 20;
        memcpy(l, "a00000.example.test\n", 20);
        for (unsigned k = 5, v = i; v; k--, v /= 10)
            l[k] = (char)('0' + v % 10);
    }
    big[LINES * 20] = 0;
    const struct {
        const char *list;
        size_t cap;
        uint64_t line;    /* of the warning; 0: none */
        const char *size; /* in its words */
        size_t ips, domains;
        const char *last, *not[2]; /* the last indicator read, what is not held */
    } c[] = {
        {list, 41, 3, "41 bytes", 1, 1, "bad.example.test", {"203.0.113.7", "203.0.113.77"}},
        {list, 42, 4, "42 bytes", 2, 1, "203.0.113.77", {"other.exam", "other.example.test"}},
        {list, 11, 1, "11 bytes", 0, 0, NULL, {"198.51.100.1", "198.51.100."}},
        {list, sizeof list - 1, 0, NULL, 2, 2, "other.example.test", {NULL, NULL}},
        /* one byte past the cap, the list's last: its last line is whole (the break, or the
         * end of a list without one) and nothing is said */
        {list, sizeof list - 2, 0, NULL, 2, 2, "other.example.test", {NULL, NULL}},
        {unended, sizeof unended - 2, 0, NULL, 1, 1, "bad.example.test", {NULL, NULL}},
        {unended, sizeof unended - 1, 0, NULL, 1, 1, "bad.example.test", {NULL, NULL}},
        /* two bytes past: the line the cap cuts is not read */
        {list, sizeof list - 3, 4, "60 bytes", 2, 1, "203.0.113.77", {"other.example.test",
                                                                   "other.example.tes"}},
        {unended, sizeof unended - 3, 2, "27 bytes", 1, 0, "198.51.100.1",
         {"bad.example.test", "bad.example.tes"}},
        {big, 1u << 20, 52429, "1 MiB", 0, 52428, "a52427.example.test",
         {"a52428.example.test", "a52428.example.t"}},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        said w;
        xs_iocset *s = load_capped(c[i].list, c[i].cap, &w);
        if (c[i].line)
            said_cut(&w, c[i].line, c[i].size);
        else
            assert_int_equal(w.n, 0);
        assert_int_equal(xs_iocset_count_user(s, XS_IOC_IP), c[i].ips);
        assert_int_equal(xs_iocset_count_user(s, XS_IOC_DOMAIN), c[i].domains);
        if (c[i].last)
            assert_true(xs_iocset_ip(s, c[i].last) || xs_iocset_domain(s, c[i].last));
        for (size_t k = 0; k < 2 && c[i].not[k]; k++)
            assert_false(xs_iocset_ip(s, c[i].not[k]) || xs_iocset_domain(s, c[i].not[k]));
        xs_iocset_destroy(s);
    }
    free(big);
}

/* A CSV without an indicator column whose columns are named by type (a web-shell corpus
 * index: repo,commit,path,size,sha256): each typed column is read as its type; a 40-hex
 * commit in an untyped column is not a SHA-1. */
static void test_csv_typed_columns(void **st)
{
    (void)st;
    got g = parse("repo,commit,path,size,sha256\n"
                  "a/b,0123456789012345678901234567890123456789,\"Shells/x y.aspx\",12," H64 "\n"
                  "a/b,0123456789012345678901234567890123456789,,12,\n");
    assert_int_equal(g.n, 2);
    assert_int_equal(g.type[0], XS_IOC_PATH);
    assert_string_equal(g.value[0], "Shells/x y.aspx");
    assert_int_equal(g.type[1], XS_IOC_SHA256);
    assert_string_equal(g.value[1], H64);
    assert_int_equal(g.line[1], 2);
    assert_int_equal(g.nbad, 0);
}

/* Loki/THOR filename IOCs (signature-base iocs/filename-iocs.txt): "regex;score[;fp]", the
 * '#' line above as the description; hash lines with a comment stay hashes. */
static const char loki[] =
    "# Archive in suspicious folder\n"
    ":\\\\ProgramData\\\\[\\w]{1,6}\\.(zip|7z|rar)$;40\n"
    "\n"
    "# HAFNIUM IOCs\n"
    "\\\\inetpub\\\\wwwroot\\\\aspnet_client\\\\[^\\\\\"]{1,20}\\.aspx;90\n"
    "\\\\FrontEnd\\\\HttpProxy\\\\ecp\\\\auth\\\\[^T];70;\\\\auth\\\\TimeoutLogout\\.aspx\n"
    "# Look-ahead: PCRE2 only\n"
    "\\\\temp\\\\(?!ok)[a-z]+\\.exe;50\n"
    "# Broken\n"
    "\\\\x([;60\n"
    H64 ";HAFNIUM Webshells\n";

static void test_loki_filename_iocs(void **st)
{
    (void)st;
    got g = parse(loki);
    assert_int_equal(g.n, 6);
    assert_int_equal(g.type[0], XS_IOC_PATH_REGEX);
    assert_string_equal(g.value[0], ":\\\\ProgramData\\\\[\\w]{1,6}\\.(zip|7z|rar)$");
    assert_int_equal(g.score[0], 40);
    assert_string_equal(g.note[0], "Archive in suspicious folder");
    assert_int_equal(g.line[0], 2);
    assert_int_equal(g.score[1], 90);
    assert_string_equal(g.note[1], "HAFNIUM IOCs");
    assert_string_equal(g.fp[2], "\\\\auth\\\\TimeoutLogout\\.aspx");
    assert_int_equal(g.type[5], XS_IOC_SHA256); /* "hash;comment" is no expression */
    assert_string_equal(g.note[5], "HAFNIUM Webshells");

    xs_iocset *s;
    assert_int_equal(xs_iocset_create(&s), EXS_OK);
    assert_int_equal(xs_iocset_load_mem(s, "filename-iocs.txt", loki, strlen(loki), NULL, NULL),
                     EXS_OK);
    assert_int_equal(xs_iocset_count_user(s, XS_IOC_PATH_REGEX), 4); /* the broken one out */
    assert_int_equal(xs_iocset_compile(s, NULL, 0), EXS_OK);
    xs_pathre_scratch *scr;
    assert_int_equal(xs_pathre_scratch_create(&scr, xs_iocset_regexes(s)), EXS_OK);
    char win[512];
    size_t k;
    /* the drive comes back from the "c" folder, so ":\ProgramData" matches; any case */
    xs_ioc_winpath("/evidence/case1/c/programdata/ab.zip", NULL, win, sizeof win);
    assert_string_equal(win, "c:\\programdata\\ab.zip");
    const xs_ioc *x = xs_iocset_path_regex(s, scr, win, &k);
    assert_non_null(x);
    assert_int_equal(x->score, 40);
    assert_int_equal(x->severity, EXS_SEV_LOW);
    assert_int_equal(x->verdict, EXS_VERDICT_SUSPICIOUS);
    assert_null(xs_iocset_path_regex(s, scr, "c:\\programdata\\abcdefgh.zip", &k));
    xs_ioc_winpath("/mnt/c:/inetpub/wwwroot/aspnet_client/shell.aspx", NULL, win, sizeof win); /* C%3A, decoded */
    assert_string_equal(win, "c:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx");
    x = xs_iocset_path_regex(s, scr, win, &k);
    assert_non_null(x);
    assert_int_equal(x->score, 90);
    assert_int_equal(x->severity, EXS_SEV_HIGH);
    assert_int_equal(k, 1);
    /* the false-positive column cancels its expression */
    assert_non_null(xs_iocset_path_regex(
        s, scr, "\\exchange\\v15\\frontend\\httpproxy\\ecp\\auth\\x.aspx", &k));
    assert_null(xs_iocset_path_regex(
        s, scr, "\\exchange\\v15\\frontend\\httpproxy\\ecp\\auth\\timeoutlogout.aspx", &k));
    /* the look-ahead runs on PCRE2 */
    assert_non_null(xs_iocset_path_regex(s, scr, "c:\\temp\\evil.exe", &k));
    assert_null(xs_iocset_path_regex(s, scr, "c:\\temp\\okay.exe", &k));
    /* the drive folder nearest the file wins (a case folder on a WSL drive holds the image) */
    xs_ioc_winpath("/mnt/c/cases/x/c/windows/temp/a.exe", NULL, win, sizeof win);
    assert_string_equal(win, "c:\\windows\\temp\\a.exe");
    xs_ioc_winpath("/mnt/c/users/me/case/c/windows/system32/evil.dll", NULL, win, sizeof win);
    assert_string_equal(win, "c:\\windows\\system32\\evil.dll");
    /* the drive folder a little below the root: a host folder, a second root's prefix */
    xs_ioc_winpath("/cases/kape/host1/c/temp/x.exe", "HOST1/C/temp/x.exe", win, sizeof win);
    assert_string_equal(win, "c:\\temp\\x.exe");
    xs_ioc_winpath("/c/u/auto/c:/x.exe", "uploads/auto/C%3A/x.exe", win, sizeof win);
    assert_string_equal(win, "c:\\x.exe");
    /* a collection's top drive folder gives its letter to every file under it */
    xs_ioc_winpath("/cases/kape/c/temp/x.exe", "C/temp/x.exe", win, sizeof win);
    assert_string_equal(win, "c:\\temp\\x.exe");
    xs_ioc_winpath("/cases/velo/c:/1.exe", "C%3A/1.exe", win, sizeof win);
    assert_string_equal(win, "c:\\1.exe");
    /* deeper than three folders: the heuristic on the full path, which finds no drive */
    xs_ioc_winpath("/cases/a1/b2/c3/c/temp/x.exe", "a1/b2/c3/c/temp/x.exe", win, sizeof win);
    assert_string_equal(win, "\\cases\\a1\\b2\\c3\\c\\temp\\x.exe");
    /* without a drive folder the path starts at '\' */
    xs_ioc_winpath("/srv/case/inetpub/wwwroot/a.aspx", NULL, win, sizeof win);
    assert_string_equal(win, "\\srv\\case\\inetpub\\wwwroot\\a.aspx");
    xs_pathre_scratch_destroy(scr);
    xs_iocset_destroy(s);
}

/* A sweep of t_dir/ev with the IOC list at path. */
static exs_scan *sweep_ev(const char *list)
{
    char root[512];
    snprintf(root, sizeof root, "%s/ev", t_dir);
    exs_scan *s;
    exs_scan_opts o = {1, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_iocs(s, list), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, root), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    return s;
}

/* Lines that look like Loki's but are not, or that exsweep cannot use. */
static void test_loki_edges(void **st)
{
    (void)st;
    static const char list[] = "203.0.113.7;443\n"                      /* an address */
                               "mimikatz.exe;80\n"                      /* a file name */
                               "\\\\Sysinternals\\\\PsExec\\.exe;-30\n" /* THOR lowers */
                               ".*;40\n"                                  /* every path */
                               "\\\\evil\\.exe$;80\n";
    got g = parse(list);
    assert_int_equal(g.n, 5);
    assert_int_equal(g.type[0], XS_IOC_IP);
    assert_string_equal(g.note[0], "443");
    assert_int_equal(g.type[1], XS_IOC_PATH_REGEX);
    assert_int_equal(g.score[1], 80);
    assert_int_equal(g.type[2], XS_IOC_PATH_REGEX);
    assert_int_equal(g.score[2], -30);
    xs_iocset *s;
    assert_int_equal(xs_iocset_create(&s), EXS_OK);
    got bad;
    memset(&bad, 0, sizeof bad);
    assert_int_equal(xs_iocset_load_mem(s, "l.txt", list, strlen(list), on_set_bad, &bad),
                     EXS_OK);
    assert_int_equal(bad.nbad, 2);
    assert_int_equal(bad.bad[0], 3); /* negative score */
    assert_int_equal(bad.bad[1], 4); /* matches the empty path */
    assert_int_equal(xs_iocset_count_user(s, XS_IOC_PATH_REGEX), 2);
    assert_int_equal(xs_iocset_count_user(s, XS_IOC_IP), 1);
    xs_iocset_destroy(s);
}

/* XS_PATHRE_MATCH_LIMIT: an expression only PCRE2 runs (a look-ahead) that backtracks
 * without end on a path gives up and does not match; the next path is matched as usual. */
static void count_id(void *ctx, unsigned id)
{
    assert_int_equal(id, 7);
    (*(size_t *)ctx)++;
}

static void test_pathre_budget(void **st)
{
    (void)st;
    xs_pathre *p;
    assert_int_equal(xs_pathre_create(&p), EXS_OK);
    assert_int_equal(xs_pathre_add(p, 7, "(?=a)(a|aa)+b", NULL, NULL, 0), EXS_OK);
    assert_int_equal(xs_pathre_compile(p, NULL, 0), EXS_OK);
    assert_int_equal(xs_pathre_slow(p), 1);
    xs_pathre_scratch *scr;
    assert_int_equal(xs_pathre_scratch_create(&scr, p), EXS_OK);
    char path[64];
    memset(path, 'a', 48); /* Fibonacci(48) ways to split: far past the budget */
    path[48] = 0;
    size_t n = 0;
    assert_int_equal(xs_pathre_match(p, scr, path, 48, count_id, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(xs_pathre_match(p, scr, "aaab", 4, count_id, &n), 1);
    assert_int_equal(n, 1);
    xs_pathre_scratch_destroy(scr);
    xs_pathre_destroy(p);
}

/* The same list through a sweep: one finding per file, for its best-scored expression, and a
 * counted warning for the expression that does not compile. */
static void test_loki_sweep(void **st)
{
    (void)st;
    char list[512];
    snprintf(list, sizeof list, "%s/filename-iocs.txt", t_dir);
    assert_int_equal(t_fix_write(t_dir, "filename-iocs.txt", loki, strlen(loki)), 0);
    assert_int_equal(t_fix_write(t_dir, "ev/C/inetpub/wwwroot/aspnet_client/shell.aspx", "hi", 2), 0);
    assert_int_equal(t_fix_write(t_dir, "ev/C/inetpub/wwwroot/aspnet_client/readme.txt", "hi", 2), 0);
    exs_scan *s = sweep_ev(list);
    const exs_finding *f = t_find(s, "EXS-FILE-PATH-IOC", 0);
    assert_non_null(f);
    assert_int_equal(t_count(s, "EXS-FILE-PATH-IOC"), 1);
    assert_string_equal(f->origin.path, "C/inetpub/wwwroot/aspnet_client/shell.aspx");
    assert_int_equal(f->origin.nmembers, 0);
    assert_string_equal(f->file->path, "C/inetpub/wwwroot/aspnet_client/shell.aspx");
    assert_string_equal(f->reason, "the file's path matches a filename expression of an IOC list");
    assert_string_equal(exs_finding_fact(f, "ioc_kind"), "filename expression");
    assert_string_equal(exs_finding_fact(f, "ioc_score"), "90");
    assert_string_equal(exs_finding_fact(f, "ioc_list"), list);
    assert_string_equal(exs_finding_fact(f, "ioc_line"), "5");
    assert_string_equal(exs_finding_fact(f, "ioc_note"), "HAFNIUM IOCs");
    assert_int_equal(t_warns(s, "bad-row"), 1); /* the broken expression */
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n);
    assert_int_equal(n, 1);
    assert_int_equal(w[0].line, 10);
    assert_non_null(strstr(w[0].message, "IOC list: filename expression not usable: "));
    exs_scan_destroy(s);
}

/* MD5 and SHA-1 indicators (Loki hash lists, ESET's tables): matched when listed, each file
 * hashed with them only then; digests of empty content are refused with a counted reason. */
static void test_md5_sha1_sweep(void **st)
{
    (void)st;
    static const char list[] = "b1946ac92492d2347c6235b4d2611184;webshell by MD5\n"
                               "ee9e51458f4642f48efe956962058245ee7127b1;tool by SHA-1\n"
                               "d41d8cd98f00b204e9800998ecf8427e;empty\n";
    char path[512];
    snprintf(path, sizeof path, "%s/hash-iocs.txt", t_dir);
    assert_int_equal(t_fix_write(t_dir, "hash-iocs.txt", list, strlen(list)), 0);
    assert_int_equal(t_fix_write(t_dir, "ev/D/tools/a.txt", "hello\n", 6), 0);
    assert_int_equal(t_fix_write(t_dir, "ev/D/tools/b.txt", "bye\n", 4), 0);
    assert_int_equal(t_fix_write(t_dir, "ev/D/tools/c.txt", "", 0), 0);
    assert_int_equal(t_fix_write(t_dir, "ev/D/tools/d.txt", "other\n", 6), 0);
    exs_scan *s = sweep_ev(path);
    assert_int_equal(t_count(s, NULL), 2);
    const exs_finding *a = t_find_file(s, "EXS-FILE-HASH-IOC", "a.txt");
    const exs_finding *b = t_find_file(s, "EXS-FILE-HASH-IOC", "b.txt");
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a->reason, "the file's digest is in an IOC list");
    assert_string_equal(exs_finding_fact(a, "ioc_kind"), "MD5");
    assert_string_equal(exs_finding_fact(a, "ioc_list"), path);
    assert_string_equal(exs_finding_fact(a, "ioc_line"), "1");
    assert_string_equal(exs_finding_fact(a, "ioc_note"), "webshell by MD5");
    assert_string_equal(a->target, "b1946ac92492d2347c6235b4d2611184");
    /* the digests the lists asked for are in the file group */
    assert_string_equal(a->file->md5, "b1946ac92492d2347c6235b4d2611184");
    assert_string_equal(b->file->sha1, "ee9e51458f4642f48efe956962058245ee7127b1");
    assert_string_equal(a->file->sha256,
                        "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    assert_string_equal(exs_finding_fact(b, "ioc_kind"), "SHA-1");
    assert_string_equal(exs_finding_fact(b, "ioc_line"), "2");
    assert_string_equal(exs_finding_fact(b, "ioc_note"), "tool by SHA-1");
    assert_string_equal(b->target, "ee9e51458f4642f48efe956962058245ee7127b1");
    /* the SHA-256 is always taken */
    assert_non_null(a->file->sha256);
    assert_int_equal(strlen(a->file->sha256), 64);
    assert_int_equal(t_warns(s, "bad-row"), 1); /* the empty-file MD5 */
    exs_scan_destroy(s);
}

/* findings_rules: every id when they fit, else the first ones that fit and ",…" */
static void test_net_rules_text(void **st)
{
    (void)st;
    const char *three[] = {"EXS-A", "EXS-BB", "EXS-CCC"};
    char b[32];
    assert_int_equal(xs_iocnet_rules_text(b, sizeof b, three, 3), 3);
    assert_string_equal(b, "EXS-A,EXS-BB,EXS-CCC");
    assert_int_equal(xs_iocnet_rules_text(b, sizeof b, three, 0), 0);
    assert_string_equal(b, "");
    /* 20 bytes: fits a buffer of 21 exactly, not one of 20 */
    assert_int_equal(xs_iocnet_rules_text(b, 21, three, 3), 3);
    assert_string_equal(b, "EXS-A,EXS-BB,EXS-CCC");
    assert_int_equal(xs_iocnet_rules_text(b, 20, three, 3), 2);
    assert_string_equal(b, "EXS-A,EXS-BB,\xe2\x80\xa6");
    /* a shorter id later does not slip in after one that was left out */
    const char *gap[] = {"EXS-A", "EXS-LONG-ONE", "B"};
    assert_int_equal(xs_iocnet_rules_text(b, 14, gap, 3), 1);
    assert_string_equal(b, "EXS-A,\xe2\x80\xa6");
    assert_int_equal(xs_iocnet_rules_text(b, 5, gap, 3), 0);
    assert_string_equal(b, "\xe2\x80\xa6");
    /* the buffer of the fact: 400 ids of 19 bytes (7999 joined) */
    enum { N = 400 };
    static char ids[N][20];
    const char *v[N];
    for (unsigned i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "YARA_rule_name_%04u", i);
        v[i] = ids[i];
    }
    static char big[XS_MAX_FINDING_FIELD + 1];
    /* 204 ids take 204 * 20 - 1 = 4079 bytes; one more would leave no room for ",…" */
    assert_int_equal(xs_iocnet_rules_text(big, sizeof big, v, N), 204);
    assert_int_equal(strlen(big), 4079 + 4);
    assert_memory_equal(big, "YARA_rule_name_0000,YARA_rule_name_0001,", 40);
    assert_string_equal(big + 4079 - 19, "YARA_rule_name_0203,\xe2\x80\xa6");
    /* 204 ids, 4079 bytes: all of them, no marker */
    assert_int_equal(xs_iocnet_rules_text(big, sizeof big, v, 204), 204);
    assert_int_equal(strlen(big), 4079);
    /* 205 ids, 4099 bytes: the marker after 204 */
    assert_int_equal(xs_iocnet_rules_text(big, sizeof big, v, 205), 204);
    assert_int_equal(strlen(big), 4083);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),     cmocka_unit_test(test_csv_layouts),
        cmocka_unit_test(test_long_line), cmocka_unit_test(test_path_key),
        cmocka_unit_test(test_sets),
        cmocka_unit_test(test_net_rules_text),
        cmocka_unit_test_setup_teardown(test_file_cap, t_dir_setup, t_dir_teardown),
        cmocka_unit_test(test_csv_typed_columns),
        cmocka_unit_test(test_loki_filename_iocs),
        cmocka_unit_test(test_loki_edges),
        cmocka_unit_test(test_pathre_budget),
        cmocka_unit_test_setup_teardown(test_loki_sweep, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_md5_sha1_sweep, t_dir_setup, t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
