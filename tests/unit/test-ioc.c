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
#include "parsers/ioclist.h"

typedef struct got {
    exs_ioc_type type[32];
    char value[32][256];
    char note[32][128];
    uint64_t line[32];
    size_t n;
    uint64_t bad[32];
    size_t nbad;
} got;

static void on_item(void *ctx, const exs_ioc_item *it)
{
    got *g = ctx;
    if (g->n >= 32)
        return;
    g->type[g->n] = it->type;
    snprintf(g->value[g->n], sizeof g->value[0], "%s", it->value);
    snprintf(g->note[g->n], sizeof g->note[0], "%.*s", (int)it->note.n,
             it->note.p ? it->note.p : "");
    g->line[g->n] = it->line;
    g->n++;
}

static void on_bad(void *ctx, uint64_t line, const char *why)
{
    (void)why;
    got *g = ctx;
    if (g->nbad < 32)
        g->bad[g->nbad++] = line;
}

static got parse(const char *text)
{
    got g;
    memset(&g, 0, sizeof g);
    exs_ioclist_parse(text, strlen(text), on_item, on_bad, &g);
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
    assert_int_equal(g.type[0], EXS_IOC_SHA256);
    assert_string_equal(g.value[0], H64);
    assert_string_equal(g.note[0], "HAFNIUM web shell");
    assert_int_equal(g.line[0], 2);
    assert_int_equal(g.type[1], EXS_IOC_SHA1);
    assert_string_equal(g.note[1], "tool.exe");
    assert_int_equal(g.type[2], EXS_IOC_IP);
    assert_int_equal(g.type[3], EXS_IOC_IP);
    assert_int_equal(g.type[4], EXS_IOC_DOMAIN);
    assert_string_equal(g.value[4], "evil.example.test");
    assert_int_equal(g.type[5], EXS_IOC_DOMAIN); /* a URL stands for its host */
    assert_string_equal(g.value[5], "c2.example.test");
    assert_int_equal(g.type[6], EXS_IOC_PATH);
    assert_int_equal(g.type[7], EXS_IOC_MD5);
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
    assert_int_equal(g.type[0], EXS_IOC_SHA256);
    assert_int_equal(g.type[1], EXS_IOC_PATH);
    assert_int_equal(g.type[2], EXS_IOC_DOMAIN);
    assert_int_equal(g.nbad, 2);
    /* Volexity's value,type,notes */
    g = parse("value,type,notes\n"
              "198.51.100.23,ipaddress,\"IP addresses attempting to exploit, March 2021\"\n");
    assert_int_equal(g.n, 1);
    assert_int_equal(g.type[0], EXS_IOC_IP);
    assert_string_equal(g.note[0], "IP addresses attempting to exploit, March 2021");
    /* a URL column yields its host */
    g = parse("ioc,type\nhttps://dl.example.test/a.ps1,url\n");
    assert_int_equal(g.n, 1);
    assert_int_equal(g.type[0], EXS_IOC_DOMAIN);
    assert_string_equal(g.value[0], "dl.example.test");
}

static void test_long_line(void **st)
{
    (void)st;
    size_t n = EXS_MAX_IOC_LINE + 100;
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
    exs_ioc_path_key("C:\\Program Files\\Microsoft\\Exchange "
                     "Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\X.aspx",
                     k, sizeof k);
    assert_string_equal(k, "/frontend/httpproxy/owa/auth/x.aspx");
    exs_ioc_path_key("%ProgramData%\\COM1\\a.aspx", k, sizeof k);
    assert_string_equal(k, "/programdata/com1/a.aspx");
    exs_ioc_path_key("\\\\?\\C:\\Users\\Public\\opera\\Opera_browser.exe", k, sizeof k);
    assert_string_equal(k, "/users/public/opera/opera_browser.exe");
    exs_ioc_path_key("shell.aspx", k, sizeof k);
    assert_string_equal(k, "/shell.aspx");
    exs_ioc_path_key("E:\\Exchange\\ClientAccess\\ecp\\x.aspx", k, sizeof k);
    assert_string_equal(k, "/clientaccess/ecp/x.aspx");
}

static void test_sets(void **st)
{
    (void)st;
    exs_iocset *s;
    assert_int_equal(exs_iocset_create(&s), EXS_OK);
    /* built-ins */
    const exs_ioc *x = exs_iocset_sha256(s, H64);
    assert_non_null(x);
    assert_string_equal(x->source, "built-in");
    assert_int_equal(x->verdict, EXS_VERDICT_EXPLOITATION);
    assert_true(exs_iocset_count(s, EXS_IOC_SHA256) >= 30);
    assert_int_equal(exs_iocset_count_user(s, EXS_IOC_SHA256), 0);
    x = exs_iocset_path(s, "/mnt/img/users/public/opera/opera_browser.exe");
    assert_non_null(x);
    assert_non_null(exs_iocset_path(s, "/mnt/img/programdata/com1/x.aspx"));
    assert_null(exs_iocset_path(s, "/mnt/img/programdata/com1/readme.txt"));
    assert_null(exs_iocset_path(s, "/mnt/img/users/public/opera/other.exe"));
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
    assert_int_equal(exs_iocset_load_mem(s, "list.txt", plain, strlen(plain), NULL, NULL), EXS_OK);
    x = exs_iocset_ip(s, "203.0.113.7");
    assert_non_null(x);
    assert_string_equal(x->note, "scanner");
    assert_int_equal(x->line, 1);
    assert_string_equal(x->source, "list.txt");
    assert_non_null(exs_iocset_ip(s, "2001:db8::1")); /* canonical forms compare */
    assert_null(exs_iocset_ip(s, "203.0.113.8"));
    assert_null(exs_iocset_ip(s, "not an ip"));
    assert_non_null(exs_iocset_domain(s, "BAD.example.test"));
    assert_non_null(exs_iocset_domain(s, "www.bad.example.test:443"));
    assert_null(exs_iocset_domain(s, "example.test"));
    /* any install root, any mount point */
    x = exs_iocset_path(s, "/mnt/e/exchange/frontend/httpproxy/owa/auth/chacklogspl.aspx");
    assert_non_null(x);
    assert_true(x->wildcard);
    assert_non_null(exs_iocset_path(s, "/evidence/c/inetpub/wwwroot/aspnet_client/shell.aspx"));
    assert_null(exs_iocset_path(s, "/evidence/c/inetpub/wwwroot/aspnet_client/myshell.aspx"));
    /* '?' and classes: fnmatch decides after the literal-run check */
    assert_non_null(exs_iocset_path(s, "/mnt/c/data/abc/x.aspx"));
    assert_null(exs_iocset_path(s, "/mnt/c/data/abd/x.aspx"));
    assert_null(exs_iocset_path(s, "/mnt/c/data/abc/x.asp"));
    assert_non_null(exs_iocset_path(s, "/mnt/c/data/yz/shell.aspx"));
    assert_null(exs_iocset_path(s, "/mnt/c/data/wz/shell.aspx"));
    /* a path naming a file Exchange ships is kept but marked, so that only content decides */
    x = exs_iocset_path(s, "/img/program files/microsoft/exchange "
                           "server/v15/frontend/httpproxy/ecp/auth/timeoutlogout.aspx");
    assert_non_null(x);
    assert_true(x->default_name);
    assert_int_equal(exs_iocset_count_user(s, EXS_IOC_IP), 2);
    assert_int_equal(exs_iocset_count_user(s, EXS_IOC_PATH), 5);
    char err[256];
    assert_int_equal(exs_iocset_load(s, "/nonexistent/list.txt", NULL, NULL, err, sizeof err),
                     EXS_ERULE);
    assert_non_null(strstr(err, "/nonexistent/list.txt"));
    exs_iocset_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),     cmocka_unit_test(test_csv_layouts),
        cmocka_unit_test(test_long_line), cmocka_unit_test(test_path_key),
        cmocka_unit_test(test_sets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
