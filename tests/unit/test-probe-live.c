/* exsweep probe, live: target lists (URLs, host:port, addresses, CIDRs), exclude lists (ZMap's
 * blocklist format), the options' ranges and the caps of lib/core/limits.h that live probing
 * has, met without a network: the runs here have no target left to connect to, or are
 * refused before anything is sent. What the prober sends and reads is tested end to end
 * against tests/tools/fakeexch (tests/e2e/cases/probe-live-*.case). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/limits.h"
#include "exsweep/probe.h"
#include "probe/active.h"
#include "probe/fingerprint.h"
#include "probe/fold.h"
#include "probe/shells.h"
#include "probe/targets.h"
#include "state/buildtab.h"

/* ---- helpers ---- */

static xs_tlist tl;

static int setup_tl(void **state)
{
    (void)state;
    assert_true(xs_tlist_init(&tl, NULL, 0));
    return 0;
}

static int teardown_tl(void **state)
{
    (void)state;
    xs_tlist_free(&tl);
    return 0;
}

static bool add(const char *s, const char **why)
{
    const char *w = "";
    bool ok = xs_tlist_add(&tl, s, strlen(s), 0, &w);
    if (why)
        *why = w;
    return ok;
}

static const char *key_of(size_t i)
{
    assert_true(i < tl.n);
    return tl.t[i].key;
}

static bool has(const xs_excl *x, const char *addr)
{
    unsigned char a[16];
    assert_true(xs_addr16(addr, a));
    return xs_excl_has(x, a);
}

/* A temporary file holding text; the path in buf. */
static const char *tmpfile_with(char *buf, size_t cap, const char *text)
{
    snprintf(buf, cap, "/tmp/exsweep-test-probe-live.XXXXXX");
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return buf;
}

typedef struct warns {
    int n;
    uint64_t line[8];
    char msg[8][200];
} warns;

static void on_warn(void *ctx, uint64_t line, const char *msg)
{
    warns *w = ctx;
    if (w->n < 8) {
        w->line[w->n] = line;
        snprintf(w->msg[w->n], sizeof w->msg[0], "%s", msg);
    }
    w->n++;
}

/* ---- targets ---- */

static void test_forms(void **state)
{
    (void)state;
    assert_true(add("https://Mail.Example.ORG/owa/", NULL));
    assert_true(add("http://192.0.2.7:8080/x?y#z", NULL));
    assert_true(add("https://[2001:DB8::5]:8443/", NULL));
    assert_true(add("mail2.example.org", NULL));
    assert_true(add("mail3.example.org:444", NULL));
    assert_true(add("192.0.2.8", NULL));
    assert_true(add("  192.0.2.9:10443 \r", NULL));
    assert_true(add("2001:db8:0:0::6", NULL));
    assert_true(add("[2001:db8::7]:443", NULL));
    assert_true(add("[2001:db8::8]", NULL));
    assert_true(add("http://legacy.example.org", NULL));
    assert_int_equal(tl.n, 11);
    assert_string_equal(key_of(0), "mail.example.org:443");
    assert_true(tl.t[0].https);
    assert_false(tl.t[0].is_addr);
    assert_string_equal(key_of(1), "192.0.2.7:8080");
    assert_false(tl.t[1].https);
    assert_true(tl.t[1].is_addr);
    assert_string_equal(key_of(2), "[2001:db8::5]:8443");
    assert_string_equal(tl.t[2].host, "2001:db8::5");
    assert_string_equal(key_of(3), "mail2.example.org:443");
    assert_string_equal(key_of(4), "mail3.example.org:444");
    assert_string_equal(key_of(5), "192.0.2.8:443");
    assert_string_equal(key_of(6), "192.0.2.9:10443");
    assert_string_equal(key_of(7), "[2001:db8::6]:443");
    assert_string_equal(key_of(8), "[2001:db8::7]:443");
    assert_string_equal(key_of(9), "[2001:db8::8]:443");
    assert_string_equal(key_of(10), "legacy.example.org:80");
    assert_false(tl.t[10].https);
}

static void test_default_port(void **state)
{
    (void)state;
    xs_tlist l;
    const char *why;
    assert_true(xs_tlist_init(&l, NULL, 8443));
    assert_true(xs_tlist_add(&l, "192.0.2.1", 9, 0, &why));
    assert_true(xs_tlist_add(&l, "192.0.2.2:443", 13, 0, &why));
    assert_true(xs_tlist_add(&l, "https://192.0.2.3", 17, 0, &why)); /* a URL: its scheme's */
    assert_true(xs_tlist_add(&l, "192.0.2.4/31", 12, 0, &why));
    assert_int_equal(l.n, 5);
    assert_string_equal(l.t[0].key, "192.0.2.1:8443");
    assert_string_equal(l.t[1].key, "192.0.2.2:443");
    assert_string_equal(l.t[2].key, "192.0.2.3:443");
    assert_string_equal(l.t[3].key, "192.0.2.4:8443");
    assert_string_equal(l.t[4].key, "192.0.2.5:8443");
    xs_tlist_free(&l);
}

static void test_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "   ", "host:0", "host:65536", "host:", "host:44x", "[::1", "[192.0.2.1]:443",
        "[::1]:", "[::1]x", "http://user@host/", "a b", "-lead.example.org", "ex%ample.org",
        "1.2.3.4/33", "2001:db8::/129", "1.2.3.4/x", "not-an-address/24", "::1::2",
        "https://[::1", "https://host:0/",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *why = NULL;
        if (add(bad[i], &why))
            fail_msg("'%s' was taken as a target", bad[i]);
        assert_non_null(why);
        assert_true(why[0] != '\0');
    }
    const char *why;
    assert_false(xs_tlist_add(&tl, "192.0.2.1\0x", 11, 0, &why));
    assert_string_equal(why, "a target with a NUL byte in it");
    assert_int_equal(tl.n, 0);
}

static void test_repeated(void **state)
{
    (void)state;
    assert_true(add("192.0.2.1", NULL));
    assert_true(add("192.0.2.1:443", NULL));
    assert_true(add("https://192.0.2.1/", NULL));
    assert_true(add("HTTPS://192.0.2.1:443/owa", NULL));
    assert_true(add("[2001:db8::1]", NULL));
    assert_true(add("2001:DB8:0::1", NULL));
    assert_int_equal(tl.n, 2);
    assert_int_equal(tl.repeated, 4);
}

static void test_cidr(void **state)
{
    (void)state;
    assert_true(add("192.0.2.5/30", NULL)); /* host bits set: the network's 4 */
    assert_int_equal(tl.n, 4);
    assert_string_equal(key_of(0), "192.0.2.4:443");
    assert_string_equal(key_of(3), "192.0.2.7:443");
    assert_true(add("198.51.100.9/32", NULL));
    assert_string_equal(key_of(4), "198.51.100.9:443");
    assert_true(add("2001:db8::ff/120", NULL));
    assert_int_equal(tl.n, 5 + 256);
    assert_string_equal(key_of(5), "[2001:db8::]:443");
    assert_string_equal(key_of(5 + 255), "[2001:db8::ff]:443");
    assert_true(add("10.255.255.254/31", NULL)); /* a carry across bytes */
    assert_string_equal(key_of(tl.n - 1), "10.255.255.255:443");
    assert_true(add("1.0.0.0/31", NULL));
    assert_string_equal(key_of(tl.n - 2), "1.0.0.0:443");
    size_t n = tl.n;
    assert_true(add("0.0.0.0/31", NULL)); /* refused: 0.0.0.0/8 reaches this machine */
    assert_int_equal(tl.n, n);
    assert_int_equal(tl.unspecified, 2);
}

/* XS_PROBE_MAX_CIDR: a /16 is expanded, a /15 refused, as a /112 and a /111. */
static void test_cidr_cap(void **state)
{
    (void)state;
    const char *why;
    assert_int_equal(XS_PROBE_MAX_CIDR, 65536);
    assert_true(add("10.1.0.0/16", NULL));
    assert_int_equal(tl.n, 65536);
    assert_string_equal(key_of(65535), "10.1.255.255:443");
    assert_false(add("10.2.0.0/15", &why));
    assert_non_null(strstr(why, "XS_PROBE_MAX_CIDR"));
    assert_false(add("0.0.0.0/0", &why));
    assert_true(add("2001:db8::/112", NULL));
    assert_int_equal(tl.n, 2 * 65536);
    assert_false(add("2001:db8::/111", &why));
    assert_false(add("::/0", &why));
    assert_int_equal(tl.n, 2 * 65536);
}

/* XS_PROBE_MAX_TARGETS: targets past a million are dropped, counted. */
static void test_targets_cap(void **state)
{
    (void)state;
    char c[32];
    for (int i = 0; i < 16; i++) {
        snprintf(c, sizeof c, "10.%d.0.0/16", i);
        assert_true(add(c, NULL));
    }
    assert_int_equal(tl.n, XS_PROBE_MAX_TARGETS);
    assert_true(tl.full);
    assert_int_equal(tl.dropped, 16ull * 65536 - XS_PROBE_MAX_TARGETS);
}

static void test_read(void **state)
{
    (void)state;
    const char text[] = "# zmap output\n192.0.2.1\r\n\n   \n192.0.2.2 # a comment\n"
                        "bad target\nhttps://mail.example.org:8443/owa/\n192.0.2.1\nhost:0";
    warns w = {0};
    assert_int_equal(xs_tlist_read(&tl, text, sizeof text - 1, on_warn, &w), 2);
    assert_int_equal(tl.n, 3);
    assert_string_equal(key_of(0), "192.0.2.1:443");
    assert_int_equal(tl.t[0].line, 2);
    assert_string_equal(key_of(1), "192.0.2.2:443");
    assert_int_equal(tl.t[1].line, 5);
    assert_string_equal(key_of(2), "mail.example.org:8443");
    assert_int_equal(tl.t[2].line, 7);
    assert_int_equal(w.n, 2);
    assert_int_equal(w.line[0], 6);
    assert_string_equal(w.msg[0], "a target with spaces in it");
    assert_int_equal(w.line[1], 9);
    assert_int_equal(tl.repeated, 1);
}

/* ---- exclude lists ---- */

static void test_exclude(void **state)
{
    (void)state;
    xs_excl *x = xs_excl_create();
    const char list[] = "# ZMap's default blocklist, in part\n"
                        "0.0.0.0/8            # RFC1122: \"This host on this network\"\n"
                        "10.0.0.0/8\n"
                        "192.0.2.128/25\n"
                        "192.0.2.130/31\n" /* inside the one before: merged */
                        "192.0.2.127\n"    /* adjacent: merged */
                        "2001:db8:1::/48\n"
                        "255.255.255.255/32\n"
                        "\n";
    warns w = {0};
    assert_int_equal(xs_excl_read(x, list, sizeof list - 1, on_warn, &w), 0);
    assert_int_equal(w.n, 0);
    assert_int_equal(xs_excl_count(x), 5);
    assert_true(has(x, "0.0.0.0"));
    assert_true(has(x, "0.255.255.255"));
    assert_false(has(x, "1.0.0.0"));
    assert_false(has(x, "9.255.255.255"));
    assert_true(has(x, "10.0.0.0"));
    assert_true(has(x, "10.200.3.4"));
    assert_true(has(x, "10.255.255.255"));
    assert_false(has(x, "11.0.0.0"));
    assert_false(has(x, "192.0.2.126"));
    assert_true(has(x, "192.0.2.127"));
    assert_true(has(x, "192.0.2.200"));
    assert_true(has(x, "192.0.2.255"));
    assert_false(has(x, "192.0.3.0"));
    assert_true(has(x, "255.255.255.255"));
    assert_true(has(x, "2001:db8:1:ffff::1"));
    assert_false(has(x, "2001:db8:2::1"));
    assert_true(has(x, "::ffff:10.1.2.3")); /* an IPv4-mapped address is the IPv4 one */
    assert_false(has(x, "::10.1.2.3"));
    xs_excl_destroy(x);
    assert_false(xs_excl_has(NULL, (const unsigned char *)"0123456789abcdef"));
}

static void test_exclude_all(void **state)
{
    (void)state;
    xs_excl *x = xs_excl_create();
    const char *why;
    assert_true(xs_excl_add(x, "::/0", 4, &why));
    assert_true(xs_excl_add(x, "0.0.0.0/0", 9, &why));
    xs_excl_seal(x);
    assert_int_equal(xs_excl_count(x), 1);
    assert_true(has(x, "::"));
    assert_true(has(x, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    assert_true(has(x, "192.0.2.1"));
    xs_excl_destroy(x);
}

static void test_exclude_bad(void **state)
{
    (void)state;
    xs_excl *x = xs_excl_create();
    const char list[] = "10.0.0.0/8\nmail.example.org\n10.0.0.0/33\n\n192.0.2.0/24 x\n";
    warns w = {0};
    assert_int_equal(xs_excl_read(x, list, sizeof list - 1, on_warn, &w), 3);
    assert_int_equal(w.line[0], 2);
    assert_int_equal(w.line[1], 3);
    assert_string_equal(w.msg[1], "an IPv4 prefix longer than 32");
    assert_int_equal(w.line[2], 5);
    assert_int_equal(xs_excl_count(x), 1);
    xs_excl_destroy(x);
}

/* XS_PROBE_MAX_EXCLUDE: one range more is refused. */
static void test_exclude_cap(void **state)
{
    (void)state;
    xs_excl *x = xs_excl_create();
    const char *why;
    char a[32];
    for (uint32_t i = 0; i < XS_PROBE_MAX_EXCLUDE; i++) {
        int n = snprintf(a, sizeof a, "10.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255, i & 255);
        if (!xs_excl_add(x, a, (size_t)n, &why))
            fail_msg("range %u refused: %s", i, why);
    }
    assert_false(xs_excl_add(x, "192.0.2.1", 9, &why));
    assert_non_null(strstr(why, "XS_PROBE_MAX_EXCLUDE"));
    xs_excl_seal(x);
    assert_int_equal(xs_excl_count(x), 1); /* 10.0.0.0 - 10.15.255.255, merged */
    assert_true(has(x, "10.15.255.255"));
    assert_false(has(x, "10.16.0.0"));
    xs_excl_destroy(x);
}

static void test_tlist_excluded(void **state)
{
    (void)state;
    xs_excl *x = xs_excl_create();
    const char list[] = "192.0.2.0/30\n2001:db8::/64\n";
    assert_int_equal(xs_excl_read(x, list, sizeof list - 1, NULL, NULL), 0);
    xs_tlist l;
    const char *why;
    assert_true(xs_tlist_init(&l, x, 0));
    assert_true(xs_tlist_add(&l, "192.0.2.0/29", 12, 0, &why));
    assert_true(xs_tlist_add(&l, "https://192.0.2.1:8443/", 23, 0, &why));
    assert_true(xs_tlist_add(&l, "[2001:db8::1]:443", 17, 0, &why));
    assert_true(xs_tlist_add(&l, "mail.example.org", 16, 0, &why)); /* checked when resolved */
    assert_int_equal(l.n, 5);
    assert_string_equal(l.t[0].key, "192.0.2.4:443");
    assert_string_equal(l.t[3].key, "192.0.2.7:443");
    assert_string_equal(l.t[4].key, "mail.example.org:443");
    assert_int_equal(l.excluded, 6);
    /* refused whatever the list: 0.0.0.0/8, ::; a NAT64 address of an excluded one */
    assert_true(xs_tlist_add(&l, "0.0.0.0/30", 10, 0, &why));
    assert_true(xs_tlist_add(&l, "[::]:80", 7, 0, &why));
    assert_true(xs_tlist_add(&l, "[64:ff9b::c000:201]:80", 22, 0, &why)); /* 192.0.2.1 */
    assert_int_equal(l.n, 5);
    assert_int_equal(l.excluded, 12);
    assert_int_equal(l.unspecified, 5);
    xs_tlist_free(&l);
    xs_excl_destroy(x);
}

static int check(const xs_excl *x, const char *addr)
{
    unsigned char a[16];
    assert_true(xs_addr16(addr, a));
    return xs_addr_check(x, a);
}

/* 0.0.0.0/8 and :: are refused whatever the list; a NAT64 address is checked by the IPv4
 * address inside it (RFC 6052: /96, and /48 with the u octet skipped). */
static void test_addr_check(void **state)
{
    (void)state;
    xs_excl *x = xs_excl_create();
    const char list[] = "127.0.0.0/8\n::1\n";
    assert_int_equal(xs_excl_read(x, list, sizeof list - 1, NULL, NULL), 0);
    static const struct {
        const char *addr;
        int want;
    } cases[] = {
        {"0.0.0.0", XS_ADDR_UNSPECIFIED},
        {"0.255.1.2", XS_ADDR_UNSPECIFIED},
        {"::ffff:0.0.0.0", XS_ADDR_UNSPECIFIED},
        {"::", XS_ADDR_UNSPECIFIED},
        {"1.0.0.0", XS_ADDR_OK},
        {"::2", XS_ADDR_OK},
        {"::1", XS_ADDR_EXCLUDED},
        {"127.0.0.1", XS_ADDR_EXCLUDED},
        {"64:ff9b::7f00:1", XS_ADDR_EXCLUDED},
        {"64:ff9b::0.0.0.1", XS_ADDR_UNSPECIFIED},
        {"64:ff9b::c000:201", XS_ADDR_OK},
        {"64:ff9b:1:7f00:0:100::", XS_ADDR_EXCLUDED}, /* 127.0.0.1 */
        {"64:ff9b:1:c000:2:100::", XS_ADDR_OK}, /* 192.0.2.1 */
        {"64:ff9b:2::7f00:1", XS_ADDR_OK}, /* no NAT64 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(check(x, cases[i].addr), cases[i].want);
    assert_int_equal(check(NULL, "::"), XS_ADDR_UNSPECIFIED);
    xs_excl_destroy(x);
}

/* ---- the public call, without a connection ---- */

static void test_options(void **state)
{
    (void)state;
    const char *t[] = {"127.0.0.1:1"};
    char err[512];
    exs_probe *p = NULL;
    exs_probe_live_opts o = {.targets = t, .ntargets = 1};
    o.concurrency = XS_PROBE_MAX_CONCURRENCY + 1;
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_EINVAL);
    assert_null(p);
    assert_non_null(strstr(err, "concurrency 1-16384"));
    o.concurrency = 0;
    o.rate = XS_PROBE_MAX_RATE + 1;
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_EINVAL);
    o.rate = 0;
    o.retries = XS_PROBE_MAX_RETRIES + 1;
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_EINVAL);
    o.retries = 0;
    o.timeout = 3601;
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_EINVAL);
    o.timeout = 0;
    const char *bad[] = {"192.0.2.0/8"};
    o.targets = bad;
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_EINVAL);
    assert_non_null(strstr(err, "target '192.0.2.0/8'"));
    assert_null(p);
}

/* Every target excluded: nothing is connected to (there is no server to connect to: a
 * connection would be a refusal, a record), and the counts say so. */
static void test_all_excluded(void **state)
{
    (void)state;
    char path[64];
    tmpfile_with(path, sizeof path, "127.0.0.0/8\n::1\n");
    const char *t[] = {"127.0.0.1:1", "127.0.0.2/31", "[::1]:1"};
    char err[512];
    exs_probe *p = NULL;
    exs_probe_live_opts o = {.targets = t, .ntargets = 3, .exclude = path};
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_OK);
    size_t n;
    exs_probe_targets(p, &n);
    assert_int_equal(n, 0);
    assert_int_equal(exs_probe_stats(p)->excluded, 4);
    assert_int_equal(exs_probe_stats(p)->requests, 0);
    assert_int_equal(exs_probe_kind(p), EXS_PROBE_LIVE);
    exs_probe_destroy(p);
    unlink(path);
}

/* An exclude list with a line that is no CIDR is not honoured: nothing is sent. */
static void test_exclude_refused(void **state)
{
    (void)state;
    char path[64];
    tmpfile_with(path, sizeof path, "10.0.0.0/8\n# ok\n10.0.0.0/8,192.0.2.0/24\n");
    const char *t[] = {"127.0.0.1:1"};
    char err[512];
    exs_probe *p = NULL;
    exs_probe_live_opts o = {.targets = t, .ntargets = 1, .exclude = path};
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_EFORMAT);
    assert_null(p);
    assert_non_null(strstr(err, ": line 3: "));
    assert_non_null(strstr(err, "nothing was sent"));
    unlink(path);
    o.exclude = "/nonexistent/exclude.txt";
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_ENOENT);
}

/* XS_PROBE_MAX_LIST: an exclude list one byte larger is refused (a sparse file: no disk). */
static void test_list_cap(void **state)
{
    (void)state;
    char path[64];
    tmpfile_with(path, sizeof path, "");
    assert_int_equal(truncate(path, (off_t)XS_PROBE_MAX_LIST + 1), 0);
    char err[512];
    exs_probe *p = NULL;
    const char *t[] = {"127.0.0.1:1"};
    exs_probe_live_opts o = {.targets = t, .ntargets = 1, .exclude = path};
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_EFORMAT);
    assert_non_null(strstr(err, "larger than 64 MiB"));
    assert_null(p);
    unlink(path);
}

/* XS_PROBE_MAX_TLINE: -i FILE is read as it comes, a line at a time; a longer line is one
 * warning (however long: 64 MiB of NUL bytes without a newline are one line), and the lines
 * after it are read. */
static void test_line_cap(void **state)
{
    (void)state;
    char path[64], ex[64];
    static char text[3 * XS_PROBE_MAX_TLINE];
    memset(text, 'a', XS_PROBE_MAX_TLINE); /* exactly the buffer: too long without its '\n' */
    snprintf(text + XS_PROBE_MAX_TLINE, sizeof text - XS_PROBE_MAX_TLINE,
             "\n127.0.0.1:1\n127.0.0.2:1");
    text[XS_PROBE_MAX_TLINE - 1] = 'a';
    tmpfile_with(path, sizeof path, text);
    tmpfile_with(ex, sizeof ex, "127.0.0.0/8\n");
    char err[512];
    exs_probe *p = NULL;
    exs_probe_live_opts o = {.input = path, .exclude = ex};
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_OK);
    size_t nw;
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, 1);
    assert_int_equal(w[0].line, 1);
    assert_string_equal(w[0].message, "skipped: a line longer than 4096 bytes");
    assert_int_equal(exs_probe_stats(p)->excluded, 2); /* lines 2 and 3 (without a '\n') */
    exs_probe_destroy(p);
    /* one byte less is a line of its own: read, and no target (a host of 4095 bytes) */
    text[XS_PROBE_MAX_TLINE - 1] = '\n';
    tmpfile_with(path, sizeof path, text);
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_OK);
    w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, 1);
    assert_string_equal(w[0].message, "skipped: a host longer than 253 bytes");
    assert_int_equal(exs_probe_stats(p)->excluded, 2);
    exs_probe_destroy(p);
    /* a line of nearly three buffers: the lines after it keep their numbers */
    memset(text, 'a', sizeof text);
    snprintf(text + sizeof text - 40, 40, "\nnot a target\n127.0.0.1:1\nnor this\n");
    tmpfile_with(path, sizeof path, text);
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_OK);
    w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, 3);
    assert_int_equal(w[0].line, 1);
    assert_string_equal(w[0].message, "skipped: a line longer than 4096 bytes");
    assert_int_equal(w[1].line, 2);
    assert_string_equal(w[1].message, "skipped: a target with spaces in it");
    assert_int_equal(w[2].line, 4);
    assert_int_equal(exs_probe_stats(p)->excluded, 1);
    exs_probe_destroy(p);
    /* 64 MiB and a byte of NULs (a sparse file), then nothing: one warning */
    tmpfile_with(path, sizeof path, "");
    assert_int_equal(truncate(path, (off_t)XS_PROBE_MAX_LIST + 1), 0);
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_OK);
    w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, 1);
    assert_string_equal(w[0].message, "skipped: a line longer than 4096 bytes");
    exs_probe_destroy(p);
    unlink(path);
    unlink(ex);
}

/* -i FILE: bad lines are warnings with their number; the good ones probed. */
static void test_input_warnings(void **state)
{
    (void)state;
    char path[64], ex[64];
    tmpfile_with(path, sizeof path, "127.0.0.1:1\nnot a target\n127.0.0.9:1\n");
    tmpfile_with(ex, sizeof ex, "127.0.0.0/8\n");
    char err[512];
    exs_probe *p = NULL;
    exs_probe_live_opts o = {.input = path, .exclude = ex};
    assert_int_equal(exs_probe_live(&p, &o, err, sizeof err), EXS_OK);
    size_t nw;
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, 1);
    assert_int_equal(w[0].line, 2);
    assert_string_equal(w[0].message, "skipped: a target with spaces in it");
    assert_int_equal(exs_probe_stats(p)->excluded, 2);
    exs_probe_destroy(p);
    unlink(path);
    unlink(ex);
}

/* --check-shells: the table, and what differs from a folder's baseline. */
static void test_shells(void **state)
{
    (void)state;
    assert_true(xs_shell_npaths == 58 && xs_shell_npaths <= 64 && xs_shell_ndirs <= 8);
    for (size_t i = 0; i < xs_shell_npaths; i++) {
        const xs_shell_path *sp = &xs_shell_paths[i];
        assert_true(sp->dir >= 0 && (size_t)sp->dir < xs_shell_ndirs);
        const char *d = xs_shell_dirs[sp->dir];
        if (strncmp(sp->path, d, strlen(d)) != 0 || strchr(sp->path + strlen(d), '/'))
            fail_msg("%s is not a file of %s", sp->path, d);
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(sp->path, xs_shell_paths[j].path) == 0)
                fail_msg("%s twice", sp->path);
    }
    assert_true(xs_shell_differs(200, 0, 404, 16));     /* China Chopper, bare */
    assert_true(xs_shell_differs(500, 26, 404, 16));    /* a page that threw */
    assert_true(xs_shell_differs(200, 0, 302, 0));      /* missing pages redirect */
    assert_false(xs_shell_differs(404, 16, 404, 16));   /* not there */
    assert_false(xs_shell_differs(302, 0, 404, 16));    /* a redirect is no page */
    assert_false(xs_shell_differs(403, 0, 404, 16));
    assert_false(xs_shell_differs(200, 1200, 200, 1200)); /* a soft 404 */
    assert_false(xs_shell_differs(200, 1264, 200, 1200)); /* 64 + 60 bytes of slack */
    assert_false(xs_shell_differs(200, 1324, 200, 1200));
    assert_true(xs_shell_differs(200, 1325, 200, 1200));
    assert_true(xs_shell_differs(200, 0, 200, 1200));   /* an empty page where 404s are pages */
    assert_true(xs_shell_differs(500, 0, 200, 1200));
}

/* --active: the table, and each check's sign read from an answer as its authors read it. */
static bool sign(int family, long status, const char *raw)
{
    const xs_active_check *c = NULL;
    for (size_t i = 0; i < xs_active_nchecks && !c; i++)
        if (xs_active_checks[i].family == family)
            c = &xs_active_checks[i];
    assert_non_null(c);
    const char *end = strstr(raw, "\r\n\r\n");
    size_t nhead = end ? (size_t)(end - raw) + 2 : strlen(raw);
    const char *body = end ? end + 4 : "";
    xs_http_header h[8];
    size_t nh = xs_http_headers(raw, nhead, h, 8);
    const char *ev = NULL;
    bool seen = xs_active_sign(c, status, h, nh, body, strlen(body), &ev);
    assert_true(ev && *ev);
    return seen;
}

static void test_active(void **state)
{
    (void)state;
    /* every family once or more, in family order, each check's GET one path; the cookie is
     * the nmap script's alone */
    assert_int_equal(xs_active_nchecks, 4);
    int last = -1;
    for (size_t i = 0; i < xs_active_nchecks; i++) {
        const xs_active_check *c = &xs_active_checks[i];
        assert_true(c->family >= last && c->family < XS_FAM__N);
        last = c->family;
        assert_true(c->path[0] == '/' && !strchr(c->path, ' ') && !strchr(c->path, '\r'));
        assert_true((c->cookie != NULL) == (c->family == XS_FAM_PROXYLOGON));
    }
    assert_int_equal(last, XS_FAM_PROXYNOTSHELL);
    assert_non_null(strstr(xs_active_checks[0].cookie, "X-BEResource=localhost/"));

    /* ProxyLogon: X-CalculatedBETarget naming localhost, the name in any case (unlike the nmap
     * script, deliberately: docs/probe.md) and spelling */
    assert_true(sign(XS_FAM_PROXYLOGON, 500,
                     "HTTP/1.1 500 x\r\nX-CalculatedBETarget: localhost\r\n\r\n"));
    assert_true(sign(XS_FAM_PROXYLOGON, 500,
                     "HTTP/1.1 500 x\r\nx-calculatedbetarget:LOCALHOST~1942062522\r\n\r\n"));
    assert_false(sign(XS_FAM_PROXYLOGON, 404,
                      "HTTP/1.1 404 x\r\nX-CalculatedBETarget: exch01.contoso.local\r\n\r\n"));
    assert_false(sign(XS_FAM_PROXYLOGON, 404,
                      "HTTP/1.1 404 x\r\nX-FEServer: localhost\r\n\r\nX-CalculatedBETarget: "
                      "localhost")); /* in the body: no header */
    assert_false(sign(XS_FAM_PROXYLOGON, 500, "HTTP/1.1 500 x\r\n X-CalculatedBETarget: "
                                              "localhost\r\n\r\n")); /* a continuation */
    /* ProxyShell: either page named in the body, whatever the status */
    assert_true(sign(XS_FAM_PROXYSHELL, 500, "HTTP/1.1 500 x\r\n\r\n<p>Microsoft.Exchange."
                                             "Clients.Owa2.Server.Core.OwaADUserNotFoundException"));
    assert_true(sign(XS_FAM_PROXYSHELL, 200,
                     "HTTP/1.1 200 x\r\n\r\nExchange MAPI/HTTP Connectivity Endpoint"));
    assert_false(sign(XS_FAM_PROXYSHELL, 200, "HTTP/1.1 200 x\r\n\r\nExchange MAPI/HTTP"));
    assert_false(sign(XS_FAM_PROXYSHELL, 404, "HTTP/1.1 404 x\r\nX-Why: Exchange MAPI/HTTP "
                                              "Connectivity Endpoint\r\n\r\n")); /* a header */
    /* ProxyNotShell: a 302 whose body has no "Protocol" */
    assert_true(sign(XS_FAM_PROXYNOTSHELL, 302, "HTTP/1.1 302 x\r\nLocation: /owa/\r\n\r\n"));
    assert_false(sign(XS_FAM_PROXYNOTSHELL, 302, "HTTP/1.1 302 x\r\n\r\nProtocol=XYZ"));
    assert_false(sign(XS_FAM_PROXYNOTSHELL, 200, "HTTP/1.1 200 x\r\n\r\n"));
    assert_false(sign(XS_FAM_PROXYNOTSHELL, 400, "HTTP/1.1 400 x\r\n\r\n"));
}

static void test_user_agent(void **state)
{
    (void)state;
    char ua[256];
    assert_string_equal(exs_probe_user_agent(NULL, ua, sizeof ua),
                        "exsweep-probe/0.1.0 (Exchange exposure check; security research)");
    assert_string_equal(exs_probe_user_agent("abuse@example.org\r\nX-Evil: 1", ua, sizeof ua),
                        "exsweep-probe/0.1.0 (Exchange exposure check; security research; "
                        "contact: abuse@example.org  X-Evil: 1)");
}

/* CSV's tls_names of 32 names of 253 bytes: cut at a name, the cut marked "...". */
static void test_csv_names(void **state)
{
    (void)state;
    exs_probe *p = xs_probe_live_create();
    assert_non_null(p);
    static char names[XS_PROBE_MAX_CERT_NAMES][254];
    xs_tspec t = {"192.0.2.1:443", "192.0.2.1", 443, true, true, 0};
    xs_live_rec r;
    memset(&r, 0, sizeof r);
    r.t = &t;
    r.seen = r.subject = r.issuer = r.not_after = "";
    r.fp.why = "no response";
    for (size_t i = 0; i < XS_PROBE_MAX_CERT_NAMES; i++) {
        memset(names[i], 'a', 253);
        names[i][0] = (char)('A' + (int)i % 26);
        names[i][253] = '\0';
        r.names[i] = names[i];
    }
    r.nnames = XS_PROBE_MAX_CERT_NAMES;
    assert_true(xs_probe_live_put(p, &r));
    assert_int_equal(xs_probe_live_finish(p, 0, 0, 0, 0, false), EXS_OK);
    static char out[16384]; /* zeroed: what is written ends with a NUL */
    FILE *m = fmemopen(out, sizeof out - 1, "w");
    assert_true(m && exs_probe_write(p, m, EXS_PROBE_CSV) == EXS_OK && fclose(m) == 0);
    const char *a = strstr(out, ",\"A"); /* the field: 16 whole names of 253, then the mark */
    assert_non_null(a);
    const char *e = strchr(a + 2, '"');
    assert_non_null(e);
    assert_int_equal(e - (a + 2), 16 * 253 + 15 + 4);
    assert_memory_equal(e - 4, " ...", 4);
    assert_int_equal(e[-5], 'a');
    assert_int_equal(e[-5 - 253], ' ');
    assert_int_equal(e[-5 - 252], 'P'); /* the 16th */
    exs_probe_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_forms, setup_tl, teardown_tl),
        cmocka_unit_test(test_default_port),
        cmocka_unit_test_setup_teardown(test_bad, setup_tl, teardown_tl),
        cmocka_unit_test_setup_teardown(test_repeated, setup_tl, teardown_tl),
        cmocka_unit_test_setup_teardown(test_cidr, setup_tl, teardown_tl),
        cmocka_unit_test_setup_teardown(test_cidr_cap, setup_tl, teardown_tl),
        cmocka_unit_test_setup_teardown(test_targets_cap, setup_tl, teardown_tl),
        cmocka_unit_test_setup_teardown(test_read, setup_tl, teardown_tl),
        cmocka_unit_test(test_exclude),
        cmocka_unit_test(test_exclude_all),
        cmocka_unit_test(test_exclude_bad),
        cmocka_unit_test(test_exclude_cap),
        cmocka_unit_test(test_tlist_excluded),
        cmocka_unit_test(test_addr_check),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_all_excluded),
        cmocka_unit_test(test_exclude_refused),
        cmocka_unit_test(test_list_cap),
        cmocka_unit_test(test_line_cap),
        cmocka_unit_test(test_input_warnings),
        cmocka_unit_test(test_shells),
        cmocka_unit_test(test_active),
        cmocka_unit_test(test_user_agent),
        cmocka_unit_test(test_csv_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
