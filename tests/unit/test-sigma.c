/* Sigma rules (lib/sigma/): every modifier of spec v2.1, every condition form, keyword lists,
 * wildcards and their escapes, null and empty values, correlation rules parsed, the skip
 * reasons, folders (symbolic links not followed), the report, and each XS_SIGMA_* cap met. */
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
#include "evtxwriter.h"
#include "fixfiles.h"
#include "sigma/set.h"
#include "sigma/sigma.h"
#include "sigma/weblog.h"
#include "sigma/winlog.h"

static xs_sigma_set *set;
static xs_sigma_scratch *sc;

static int setup(void **state)
{
    set = xs_sigma_set_create();
    sc = xs_sigma_scratch_create();
    return set && sc ? t_dir_setup(state) : -1;
}

static int teardown(void **state)
{
    xs_sigma_set_destroy(set);
    xs_sigma_scratch_destroy(sc);
    set = NULL;
    sc = NULL;
    return t_dir_teardown(state);
}

/* A rule whose detection is det (its lines indented by four spaces). */
#define RULE(det) "title: t\nlogsource:\n    product: windows\ndetection:\n" det

static const xs_sigma_rule *load(const char *yaml)
{
    size_t before = xs_sigma_count(set), nskip;
    assert_int_equal(xs_sigma_load_buffer(set, "t.yml", yaml, strlen(yaml)), 0);
    const xs_sigma_skip *k = xs_sigma_skips(set, &nskip);
    if (xs_sigma_count(set) != before + 1)
        fail_msg("not loaded: %s", nskip ? k[nskip - 1].reason : "(no reason)");
    return xs_sigma_rule_at(set, before);
}

/* The reason the only document of yaml was skipped. */
static const char *skipped(const char *yaml)
{
    size_t before = xs_sigma_count(set), n0, n;
    xs_sigma_skips(set, &n0);
    assert_int_equal(xs_sigma_load_buffer(set, "t.yml", yaml, strlen(yaml)), 0);
    const xs_sigma_skip *k = xs_sigma_skips(set, &n);
    assert_int_equal(xs_sigma_count(set), before);
    assert_int_equal(n, n0 + 1);
    return k[n - 1].reason;
}

#define assert_skip(yaml, prefix)                                                            \
    do {                                                                                     \
        const char *why_ = skipped(yaml);                                                    \
        if (strncmp(why_, prefix, strlen(prefix)) != 0)                                      \
            fail_msg("reason '%s', not '%s...'", why_, prefix);                              \
    } while (0)

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
    size_t hn = strlen(head), un = strlen(unit), tn = strlen(tail);
    char *b = malloc(hn + un * times + tn + 1);
    assert_non_null(b);
    memcpy(b, head, hn);
    for (size_t i = 0; i < times; i++)
        memcpy(b + hn + i * un, unit, un);
    memcpy(b + hn + un * times, tail, tn + 1);
    return b;
}

static void skip_big(char *yaml, const char *prefix)
{
    assert_skip(yaml, prefix);
    free(yaml);
}

/* Whether r matches the event of the pairs name, value, ..., NULL in ap: its detection alone,
 * or through its Windows log source. */
static bool vfire(const xs_sigma_rule *r, bool windows, va_list ap)
{
    xs_sigma_kv kv[32];
    size_t n = 0;
    for (const char *name; (name = va_arg(ap, const char *));) {
        assert_true(n < 32);
        kv[n++] = (xs_sigma_kv){xs_str_cstr(name), xs_str_cstr(va_arg(ap, const char *))};
    }
    xs_sigma_kvs kvs = {kv, n};
    xs_sigma_event ev = xs_sigma_kv_event(&kvs);
    return windows ? xs_sigma_win_match(r, &ev, sc) : xs_sigma_match(r, &ev, sc);
}

static bool hit(const xs_sigma_rule *r, ...)
{
    va_list ap;
    va_start(ap, r);
    bool got = vfire(r, false, ap);
    va_end(ap);
    return got;
}

static bool win(const xs_sigma_rule *r, ...)
{
    va_list ap;
    va_start(ap, r);
    bool got = vfire(r, true, ap);
    va_end(ap);
    return got;
}

static const xs_sigma_rule *one(const char *sel)
{
    char buf[4096];
    snprintf(buf, sizeof buf, RULE("    sel:\n        %s\n    condition: sel\n"), sel);
    return load(buf);
}

static void test_plain_and_wildcards(void **state)
{
    (void)state;
    const xs_sigma_rule *r = one("Image: 'C:\\Windows\\cmd.exe'");
    assert_true(hit(r, "image", "c:\\windows\\CMD.EXE", NULL));   /* names and values: any case */
    assert_false(hit(r, "Image", "c:\\windows\\cmd.exe2", NULL));
    assert_false(hit(r, "Other", "c:\\windows\\cmd.exe", NULL));
    r = one("F: 'a*c?e'");
    assert_true(hit(r, "F", "abbbcde", NULL));
    assert_true(hit(r, "F", "ac\xc3\xa9" "e", NULL));  /* ? is one character, é is two bytes */
    assert_false(hit(r, "F", "acde2", NULL));
    assert_false(hit(r, "F", "ace", NULL));
    r = one("F|contains: '\xe2\x80\xae'");             /* bytes past ASCII (U+202E) */
    assert_true(hit(r, "F", "Ltr\xe2\x80\xae" "fdp.msc", NULL));
    assert_false(hit(r, "F", "Ltr\xe2\x80" "fdp.msc", NULL));
    r = one("F: 'a\\*b\\?c'");                          /* escaped wildcards are plain */
    assert_true(hit(r, "F", "a*b?c", NULL));
    assert_false(hit(r, "F", "axbyc", NULL));
    r = one("F: 'x\\\\*'");                             /* \\ then a wildcard */
    assert_true(hit(r, "F", "x\\anything", NULL));
    assert_false(hit(r, "F", "xanything", NULL));
    r = one("F: 'C:\\Temp\\'");                         /* a lone \ is itself, at the end too */
    assert_true(hit(r, "F", "c:\\temp\\", NULL));
    r = one("F: ''");                                   /* empty matches only empty */
    assert_true(hit(r, "F", "", NULL));
    assert_false(hit(r, "F", "x", NULL));
    r = one("F: 4688");                                 /* numbers compare as their text */
    assert_true(hit(r, "F", "4688", NULL));
    assert_false(hit(r, "F", "46880", NULL));
    r = one("F:\n            - a\n            - b");     /* a list: any */
    assert_true(hit(r, "F", "B", NULL));
    assert_false(hit(r, "F", "c", NULL));
    assert_true(hit(r, "F", "c", "F", "a", NULL));      /* any value of a field */
}

static void test_contains_starts_ends_all_cased(void **state)
{
    (void)state;
    const xs_sigma_rule *r = one("CommandLine|contains: 'WHOAMI'");
    assert_true(hit(r, "CommandLine", "cmd /c whoami /all", NULL));
    assert_false(hit(r, "CommandLine", "who am i", NULL));
    r = one("F|startswith: 'ab'");
    assert_true(hit(r, "F", "abc", NULL));
    assert_false(hit(r, "F", "cab", NULL));
    r = one("F|endswith: 'ab'");
    assert_true(hit(r, "F", "cab", NULL));
    assert_false(hit(r, "F", "abc", NULL));
    r = one("F|contains|all:\n            - a1\n            - b2");
    assert_true(hit(r, "F", "xb2ya1", NULL));
    assert_false(hit(r, "F", "xa1", NULL));
    r = one("F|contains|cased: 'Ab'");
    assert_true(hit(r, "F", "xAby", NULL));
    assert_false(hit(r, "F", "xaby", NULL));
    r = one("F|cased: 'Ab*'");
    assert_true(hit(r, "F", "Abc", NULL));
    assert_false(hit(r, "F", "ABc", NULL));
}

static void test_windash(void **state)
{
    (void)state;
    const xs_sigma_rule *r = one("CommandLine|windash|contains: ' -enc '");
    assert_true(hit(r, "CommandLine", "powershell -enc AAA", NULL));
    assert_true(hit(r, "CommandLine", "powershell /enc AAA", NULL));
    assert_true(hit(r, "CommandLine", "powershell \xe2\x80\x93" "enc AAA", NULL)); /* en dash */
    assert_true(hit(r, "CommandLine", "powershell \xe2\x80\x94" "enc AAA", NULL)); /* em dash */
    assert_true(hit(r, "CommandLine", "powershell \xe2\x80\x95" "enc AAA", NULL)); /* bar */
    assert_false(hit(r, "CommandLine", "powershell +enc AAA", NULL));
    r = one("F|windash: 'a-b'");                        /* inside a word: left alone */
    assert_true(hit(r, "F", "a-b", NULL));
    assert_false(hit(r, "F", "a/b", NULL));
}

static void test_re(void **state)
{
    (void)state;
    const xs_sigma_rule *r = one("F|re: '^ab+c$'");
    assert_true(hit(r, "F", "abbbc", NULL));
    assert_false(hit(r, "F", "ABBC", NULL));            /* re is cased */
    r = one("F|re|i: '^ab+c$'");
    assert_true(hit(r, "F", "ABBC", NULL));
    r = one("F|re: '^b'");
    assert_false(hit(r, "F", "a\nb", NULL));
    r = one("F|re|m: '^b'");
    assert_true(hit(r, "F", "a\nb", NULL));
    r = one("F|re: 'a.b'");
    assert_false(hit(r, "F", "a\nb", NULL));
    r = one("F|re|s: 'a.b'");
    assert_true(hit(r, "F", "a\nb", NULL));
    r = one("F|re: '\\d{3}'");
    assert_true(hit(r, "F", "x123", NULL));
    assert_true(hit(r, "F", "\xff\xfe" "123", NULL));  /* not UTF-8: still searched */
}

static void test_base64_and_utf16(void **state)
{
    (void)state;
    const xs_sigma_rule *r = one("F|base64: 'ping'");
    assert_true(hit(r, "F", "cGluZw==", NULL));
    r = one("F|base64|contains: 'http://a'");
    assert_true(hit(r, "F", "x aHR0cDovL2E= y", NULL));
    r = one("F|base64offset|contains: 'http'");        /* each offset: aHR0c h0dH odHRw */
    assert_true(hit(r, "F", "eHggaHR0cDovL2E=", NULL)); /* "xx http://a" */
    assert_true(hit(r, "F", "eCBodHRwOi8vYQ==", NULL)); /* "x http://a" */
    assert_true(hit(r, "F", "..h0dH..", NULL));
    assert_false(hit(r, "F", "aHR0", NULL));
    r = one("F|utf16le|base64offset|contains: 'Invoke'");
    assert_true(hit(r, "F", "powershell -e cABvAHcAZQByAHMAaABlAGwAbAAgAC0AZQAgAEkAbgB2AG8AawBlAC0A",
                    NULL));
    r = one("F|wide|base64: 'IEX'");
    assert_true(hit(r, "F", "SQBFAFgA", NULL));
    r = one("F|utf16be|base64: 'IEX'");
    assert_true(hit(r, "F", "AEkARQBY", NULL));
    r = one("F|utf16|base64: 'IEX'");                   /* a byte-order mark, then LE */
    assert_true(hit(r, "F", "//5JAEUAWAA=", NULL));
    assert_skip(RULE("    sel:\n        F|base64: 'a*'\n    condition: sel\n"),
                "wildcard in an encoded value");
    /* one byte leaves nothing of offset 1, and "" would match anything: refused */
    assert_skip(RULE("    sel:\n        F|base64offset|contains: 'a'\n    condition: sel\n"),
                "value: 'a' too short for base64offset");
    r = one("F|base64offset|contains: 'ab'");           /* two bytes are enough */
    assert_false(hit(r, "F", "nothing of it", NULL));
}

static void test_numbers_and_times(void **state)
{
    (void)state;
    const xs_sigma_rule *r = one("N|gt: 10");
    assert_true(hit(r, "N", "11", NULL));
    assert_false(hit(r, "N", "10", NULL));
    assert_false(hit(r, "N", "eleven", NULL));
    r = one("N|gte: 10");
    assert_true(hit(r, "N", " 10 ", NULL));
    r = one("N|lt: 0x10");
    assert_true(hit(r, "N", "15", NULL));
    assert_false(hit(r, "N", "16", NULL));
    r = one("N|lte: 2.5");
    assert_true(hit(r, "N", "2.5", NULL));
    assert_false(hit(r, "N", "2.6", NULL));
    r = one("T|hour: 3");
    assert_true(hit(r, "T", "2024-05-01T03:59:00Z", NULL));
    assert_false(hit(r, "T", "2024-05-01T13:00:00Z", NULL));
    r = one("T|minute: 59");
    assert_true(hit(r, "T", "2024-05-01 03:59:00.123", NULL));
    r = one("T|day: 1");
    assert_true(hit(r, "T", "2024-05-01", NULL));
    r = one("T|month: 5");
    assert_true(hit(r, "T", "2024-05-01T00:00:00", NULL));
    r = one("T|year: 2024");
    assert_true(hit(r, "T", "2024-05-01T00:00:00", NULL));
    r = one("T|week: 53");                              /* ISO 8601 weeks */
    assert_true(hit(r, "T", "2021-01-03", NULL));
    assert_true(hit(r, "T", "2020-12-31", NULL));
    r = one("T|week: 1");
    assert_true(hit(r, "T", "2024-12-30", NULL));
    r = one("T|week: 49");
    assert_true(hit(r, "T", "2026-12-03", NULL));
    r = one("T|hour|gte: 22");                          /* a part and a comparison */
    assert_true(hit(r, "T", "2024-05-01T23:00:00Z", NULL));
    assert_false(hit(r, "T", "2024-05-01T21:00:00Z", NULL));
    assert_skip(RULE("    sel:\n        N|gt: ten\n    condition: sel\n"), "value");
}

static void test_cidr(void **state)
{
    (void)state;
    const xs_sigma_rule *r = one("IP|cidr:\n            - 10.0.0.0/8\n            - 192.168.1.0/25\n"
                                 "            - 'fd00::/8'");
    assert_true(hit(r, "IP", "10.1.2.3", NULL));
    assert_true(hit(r, "IP", "192.168.1.127", NULL));
    assert_false(hit(r, "IP", "192.168.1.128", NULL));
    assert_true(hit(r, "IP", "fd12::1", NULL));
    assert_false(hit(r, "IP", "fe80::1", NULL));
    assert_false(hit(r, "IP", "not an address", NULL));
    assert_skip(RULE("    sel:\n        IP|cidr: 10.0.0.0/33\n    condition: sel\n"), "value");
}

static void test_exists_neq_fieldref_null(void **state)
{
    (void)state;
    const xs_sigma_rule *r = one("F|exists: true");
    assert_true(hit(r, "F", "", NULL));
    assert_false(hit(r, "G", "x", NULL));
    r = one("F|exists: false");
    assert_true(hit(r, "G", "x", NULL));
    r = one("F|neq: a");
    assert_true(hit(r, "F", "b", NULL));
    assert_false(hit(r, "F", "A", NULL));
    assert_true(hit(r, "G", "a", NULL));                /* NOT F=a: no F is a match */
    r = one("F|fieldref: G");
    assert_true(hit(r, "F", "Same", "G", "same", NULL));
    assert_false(hit(r, "F", "same", "G", "other", NULL));
    assert_false(hit(r, "F", "same", NULL));
    r = one("F|fieldref|startswith: G");
    assert_true(hit(r, "F", "abc", "G", "ab", NULL));
    assert_false(hit(r, "F", "cab", "G", "ab", NULL));
    r = one("F|fieldref|endswith: G");
    assert_true(hit(r, "F", "cab", "G", "ab", NULL));
    r = one("F|fieldref|contains: G");
    assert_true(hit(r, "F", "xaby", "G", "ab", NULL));
    r = one("F: null");
    assert_true(hit(r, "G", "x", NULL));
    assert_true(hit(r, "F", "", NULL));
    assert_false(hit(r, "F", "x", NULL));
    r = one("F:\n            - null\n            - x");
    assert_true(hit(r, "F", "x", NULL));
    assert_true(hit(r, "G", "y", NULL));

}

static void test_expand(void **state)
{
    (void)state;
    const xs_sigma_rule *r;
    assert_skip(RULE("    sel:\n        F|expand: '%admins%'\n    condition: sel\n"),
                "unresolved placeholder: %admins%");
    /* placeholders given: each value, wildcards and all; several in one value multiply */
    static const char *const admins[] = {"alice", "bob*"}, *const sites[] = {"a", "b", "c"};
    assert_int_equal(xs_sigma_set_placeholder(set, "admins", admins, 2), 0);
    assert_int_equal(xs_sigma_set_placeholder(set, "sites", sites, 3), 0);
    assert_int_equal(xs_sigma_set_placeholder(set, "none", NULL, 0), 0);
    r = one("User|expand: '%admins%'");
    assert_true(hit(r, "User", "ALICE", NULL));
    assert_true(hit(r, "User", "bobby", NULL));
    assert_false(hit(r, "User", "carol", NULL));
    r = one("Host|expand|startswith: '%sites%-%admins%.'");
    assert_true(hit(r, "Host", "c-bobby.example", NULL));
    assert_false(hit(r, "Host", "d-alice.example", NULL));
    static const char *const loop[] = {"%loop%"};        /* a value is not expanded again */
    assert_int_equal(xs_sigma_set_placeholder(set, "loop", loop, 1), 0);
    r = one("F|expand: '%loop%'");
    assert_true(hit(r, "F", "%loop%", NULL));
    r = one("F|expand: '100%'");                        /* one % is no placeholder */
    assert_true(hit(r, "F", "100%", NULL));
    assert_skip(RULE("    sel:\n        F|expand: '%none%'\n    condition: sel\n"),
                "unresolved placeholder: %none% (no values)");
    /* XS_SIGMA_MAX_PLACEHOLDERS in one value */
    char *ph = repeat(RULE("    sel:\n        F|expand: '"), "%sites%", XS_SIGMA_MAX_PLACEHOLDERS - 10,
                      "'\n    condition: sel\n");
    load(ph); /* 3^6 strings */
    free(ph);
    static const char *const one_site[] = {"s"};
    assert_int_equal(xs_sigma_set_placeholder(set, "one", one_site, 1), 0);
    ph = repeat(RULE("    sel:\n        F|expand: '"), "%one%", XS_SIGMA_MAX_PLACEHOLDERS,
                "'\n    condition: sel\n");
    assert_true(hit(load(ph), "F", "ssssssssssssssss", NULL));
    free(ph);
    ph = repeat(RULE("    sel:\n        F|expand: '"), "%one%", XS_SIGMA_MAX_PLACEHOLDERS + 1,
                "'\n    condition: sel\n");
    skip_big(ph, "limit: more than 16 placeholders in a value");
    static const char *many[XS_SIGMA_MAX_ALTS + 1];
    for (size_t i = 0; i <= XS_SIGMA_MAX_ALTS; i++)
        many[i] = "x";
    assert_int_equal(xs_sigma_set_placeholder(set, "many", many, XS_SIGMA_MAX_ALTS), 0);
    one("F|expand: '%many%'");                          /* at the cap */
    assert_int_equal(xs_sigma_set_placeholder(set, "many", many, XS_SIGMA_MAX_ALTS + 1), 0);
    assert_skip(RULE("    sel:\n        F|expand: '%many%'\n    condition: sel\n"),
                "limit: a value of more than 1024 strings");
}

static void test_keywords(void **state)
{
    (void)state;
    const xs_sigma_rule *r = load(RULE("    keywords:\n        - 'mimikatz'\n        - 'sekurlsa'\n"
                                       "    condition: keywords\n"));
    assert_true(hit(r, "A", "x", "B", "run SEKURLSA::logonpasswords", NULL));
    assert_false(hit(r, "A", "x", NULL));
    r = load(RULE("    keywords:\n        '|all':\n            - 'a1'\n            - 'b2'\n"
                  "    condition: keywords\n"));
    assert_true(hit(r, "A", "xa1", "B", "b2y", NULL));  /* each somewhere */
    assert_false(hit(r, "A", "xa1", NULL));
    r = load(RULE("    keywords:\n        '|re': '^ev[0-9]l$'\n    condition: keywords\n"));
    assert_true(hit(r, "A", "ev1l", NULL));
    assert_false(hit(r, "A", "xev1l", NULL));
    r = load(RULE("    keywords: 'single'\n    condition: keywords\n"));
    assert_true(hit(r, "A", "a single one", NULL));
    r = load(RULE("    keywords:\n        - 'a\\*b'\n    condition: keywords\n"));
    assert_true(hit(r, "A", "xa*by", NULL));
    assert_false(hit(r, "A", "xaqby", NULL));
}

static void test_selections(void **state)
{
    (void)state;
    /* a map is an and; a list of maps an or */
    const xs_sigma_rule *r = one("A: 1\n        B: 2");
    assert_true(hit(r, "A", "1", "B", "2", NULL));
    assert_false(hit(r, "A", "1", NULL));
    r = load(RULE("    sel:\n        - A: 1\n          B: 2\n        - C: 3\n    condition: sel\n"));
    assert_true(hit(r, "C", "3", NULL));
    assert_true(hit(r, "A", "1", "B", "2", NULL));
    assert_false(hit(r, "A", "1", "C", "4", NULL));
}

static const char *const conds =
    "title: t\ndetection:\n    a: {F: a}\n    b: {F: b}\n    c: {F: c}\n"
    "    sel_x: {G: x}\n    sel_y: {G: y}\n    _hidden: {H: h}\n    condition: %s\n";

static const xs_sigma_rule *cond(const char *c)
{
    char buf[1024];
    snprintf(buf, sizeof buf, conds, c);
    return load(buf);
}

static void test_conditions(void **state)
{
    (void)state;
    const xs_sigma_rule *r = cond("a or b and c");    /* and binds tighter than or */
    assert_true(hit(r, "F", "a", NULL));
    assert_false(hit(r, "F", "b", NULL));
    r = cond("(a or b) and not c");
    assert_true(hit(r, "F", "b", NULL));
    assert_false(hit(r, "F", "c", NULL));
    r = cond("not a and not b");                      /* not binds tighter than and */
    assert_true(hit(r, "F", "c", NULL));
    assert_false(hit(r, "F", "a", NULL));
    r = cond("not (a or b)");
    assert_true(hit(r, "F", "c", NULL));
    assert_false(hit(r, "F", "b", NULL));
    r = cond("1 of sel_*");
    assert_true(hit(r, "G", "y", NULL));
    assert_false(hit(r, "G", "z", NULL));
    r = cond("all of sel_*");
    assert_true(hit(r, "G", "x", "G", "y", NULL));
    assert_false(hit(r, "G", "x", NULL));
    r = cond("2 of them");
    assert_true(hit(r, "F", "a", "G", "x", NULL));
    assert_false(hit(r, "F", "a", "H", "h", NULL));   /* _hidden is not one of them */
    r = cond("1 of them");
    assert_false(hit(r, "H", "h", NULL));
    assert_true(hit(r, "F", "c", NULL));
    r = cond("all of them");
    assert_false(hit(r, "F", "a", NULL));
    r = cond("a AND NOT 1 of sel_*");                 /* keywords in any case */
    assert_true(hit(r, "F", "a", NULL));
    assert_false(hit(r, "F", "a", "G", "x", NULL));
    r = cond("any of sel_*");
    assert_true(hit(r, "G", "x", NULL));
    r = load("title: t\ndetection:\n    a: {F: a}\n    b: {F: b}\n    condition:\n"
             "        - a\n        - b\n");         /* a list of conditions: any */
    assert_true(hit(r, "F", "b", NULL));
    assert_skip("title: t\ndetection:\n    a: {F: a}\n    condition: a | count() > 5\n",
                "condition: aggregation");
    assert_skip("title: t\ndetection:\n    a: {F: a}\n    condition: a and b\n",
                "condition: unknown selection");
    assert_skip("title: t\ndetection:\n    a: {F: a}\n    condition: 1 of x*\n",
                "condition: 'x*' names no selection");
    assert_skip("title: t\ndetection:\n    a: {F: a}\n    condition: (a\n", "condition: ')'");
    assert_skip("title: t\ndetection:\n    a: {F: a}\n    condition: a a\n", "condition: end");
    assert_skip("title: t\ndetection:\n    a: {F: a}\n    condition: 0 of a\n", "condition: a count");
}

static void test_skip_reasons(void **state)
{
    (void)state;
    assert_skip(RULE("    sel:\n        F|nope: a\n    condition: sel\n"), "unknown modifier: 'nope'");
    assert_skip(RULE("    sel:\n        F|re|cidr: a\n    condition: sel\n"), "modifier combination");
    assert_skip(RULE("    sel:\n        F|contains|re: a\n    condition: sel\n"),
                "modifier combination");
    assert_skip(RULE("    sel:\n        F|i: a\n    condition: sel\n"), "modifier combination");
    assert_skip(RULE("    sel:\n        F|re: '(a'\n    condition: sel\n"), "regular expression");
    assert_skip(RULE("    sel:\n        F|exists: maybe\n    condition: sel\n"), "value");
    assert_skip(RULE("    sel:\n        F: []\n    condition: sel\n"), "value: an empty list");
    assert_skip(RULE("    sel:\n        F: {a: b}\n    condition: sel\n"), "value: a nested");
    assert_skip(RULE("    sel: null\n    condition: sel\n"), "selection");
    assert_skip("title: t\nlogsource: {}\n", "rule: no detection");
    assert_skip("title: t\ndetection:\n    a: {F: a}\n", "rule: no condition");
    assert_skip("detection:\n    a: {F: a}\n    condition: a\n", "rule: no title");
    assert_skip("action: global\ntitle: t\n", "rule collection");
    assert_skip("title: t\nfilter:\n    rules: [x]\n    selection: {F: a}\n    condition: selection\n",
                "filter rule");
    assert_skip("- a\n- b\n", "rule: the document is not a map");
    assert_skip("title: [unclosed\n", "yaml:");
    assert_skip("a: &x 1\nb: *x\n", "yaml: alias");
    load("title: t\nid: 11111111-2222\ndetection:\n    a: {F: a}\n    condition: a\n");
    assert_skip("title: t2\nid: 11111111-2222\ndetection:\n    a: {F: a}\n    condition: a\n",
                "rule: an id already loaded");
}

static void test_correlation(void **state)
{
    (void)state;
    const xs_sigma_rule *r = load("title: many failures\nid: c1\ncorrelation:\n"
                                  "    type: event_count\n    rules:\n        - failed_logon\n"
                                  "    group-by:\n        - TargetUserName\n        - IpAddress\n"
                                  "    timespan: 5m\n    condition:\n        gte: 10\n");
    const xs_sigma_corr *k = xs_sigma_rule_meta(r)->correlation;
    assert_non_null(k);
    assert_string_equal(k->type, "event_count");
    assert_int_equal(k->nrules, 1);
    assert_string_equal(k->rules[0], "failed_logon");
    assert_int_equal(k->ngroup_by, 2);
    assert_string_equal(k->group_by[1], "IpAddress");
    assert_int_equal(k->timespan_s, 300);
    assert_int_equal(k->ncond, 1);
    assert_string_equal(k->cond[0].op, "gte");
    assert_true(k->cond[0].value == 10);
    assert_false(k->generate);
    assert_int_equal(k->naliases, 0);
    assert_false(hit(r, "TargetUserName", "x", NULL)); /* not evaluated */
    r = load("title: seq\ncorrelation:\n    type: temporal_ordered\n    rules: [a, b]\n"
             "    timespan: 1h\n");
    assert_int_equal(xs_sigma_rule_meta(r)->correlation->timespan_s, 3600);
    r = load("title: vc\ncorrelation:\n    type: value_count\n    rules: a\n    timespan: 2d\n"
             "    condition: {gt: 3, field: User}\n");
    assert_string_equal(xs_sigma_rule_meta(r)->correlation->cond_field, "User");
    assert_skip("title: x\ncorrelation:\n    type: nope\n    rules: [a]\n    timespan: 1m\n",
                "correlation: unknown type");
    assert_skip("title: x\ncorrelation:\n    type: event_count\n    rules: [a]\n    timespan: 1q\n"
                "    condition: {gt: 1}\n", "correlation: no timespan");
    assert_skip("title: x\ncorrelation:\n    type: value_sum\n    rules: [a]\n    timespan: 1m\n"
                "    condition: {gt: 1}\n", "correlation: value_sum needs a condition field");
    char line[200];
    xs_sigma_summary(set, line, sizeof line);
    assert_string_equal(line, "sigma: 3 rules loaded, 3 skipped (3 correlation rules among them)");
}

static void test_meta_multidoc_report(void **state)
{
    (void)state;
    const char *yaml = "title: first\nid: id-1\nstatus: test\nlevel: high\n"
                       "description: d\ntags:\n    - attack.t1059\n    - attack.execution\n"
                       "references:\n    - https://example.org/a\n"
                       "logsource:\n    product: windows\n    category: process_creation\n"
                       "detection:\n    a: {F: a}\n    condition: a\n"
                       "---\ntitle: second\ndetection:\n    a: {F: a}\n    condition: a\n"
                       "---\ntitle: \"bad \\\"one\\\"\"\nid: id-3\ndetection:\n"
                       "    a: {F|x: a}\n    condition: a\n";
    assert_int_equal(xs_sigma_load_buffer(set, "multi.yml", yaml, strlen(yaml)), 0);
    assert_int_equal(xs_sigma_count(set), 2);
    const xs_sigma_meta *m = xs_sigma_rule_meta(xs_sigma_rule_at(set, 0));
    assert_string_equal(m->title, "first");
    assert_string_equal(m->id, "id-1");
    assert_string_equal(m->status, "test");
    assert_string_equal(m->level, "high");
    assert_string_equal(m->product, "windows");
    assert_string_equal(m->category, "process_creation");
    assert_null(m->service);
    assert_int_equal(m->ntags, 2);
    assert_string_equal(m->tags[1], "attack.execution");
    assert_int_equal(m->nreferences, 1);
    assert_string_equal(m->file, "multi.yml");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(xs_sigma_skip_report(set, f), 0);
    fclose(f);
    assert_string_equal(buf, "{\"file\":\"multi.yml\",\"id\":\"id-3\",\"title\":\"bad \\\"one\\\"\","
                             "\"reason\":\"unknown modifier: 'x'\"}\n");
    free(buf);
    char line[200];
    xs_sigma_summary(set, line, sizeof line);
    assert_string_equal(line, "sigma: 2 rules loaded, 1 skipped");
}

static void put(const char *rel, const char *text)
{
    assert_int_equal(t_fix_write(t_dir, rel, text, strlen(text)), 0);
}

/* t_dir/rel, a symbolic link to t_dir/target. */
static void link_to(const char *target, const char *rel)
{
    char from[512], to[512];
    snprintf(to, sizeof to, "%s/%s", t_dir, target);
    snprintf(from, sizeof from, "%s/%s", t_dir, rel);
    assert_int_equal(symlink(to, from), 0);
}

static void test_folders(void **state)
{
    (void)state;
    char path[512];
    put("rules/b/two.yml", "title: two\ndetection:\n    a: {F: a}\n    condition: a\n");
    put("rules/a/one.yaml", "title: one\ndetection:\n    a: {F: a}\n    condition: a\n");
    put("rules/notes.txt", "not a rule");
    put("rules/c/bad.yml", "title: [\n");
    put("outside/evil.yml", "title: evil\ndetection:\n    a: {F: a}\n    condition: a\n");
    link_to("outside/evil.yml", "rules/link.yml");
    link_to("outside", "rules/linkdir");
    snprintf(path, sizeof path, "%s/rules", t_dir);
    assert_int_equal(xs_sigma_load_path(set, path), 0);
    assert_int_equal(xs_sigma_count(set), 2);           /* in name order */
    assert_string_equal(xs_sigma_rule_meta(xs_sigma_rule_at(set, 0))->title, "one");
    assert_string_equal(xs_sigma_rule_meta(xs_sigma_rule_at(set, 1))->title, "two");
    size_t n;
    const xs_sigma_skip *k = xs_sigma_skips(set, &n);
    assert_int_equal(n, 3);
    assert_true(strstr(k[0].file, "/rules/c/bad.yml") != NULL);
    assert_string_equal(k[1].reason, "file: a symbolic link (not followed)");
    assert_true(strstr(k[1].file, "link.yml") != NULL);
    assert_true(strstr(k[2].file, "linkdir") != NULL);
    snprintf(path, sizeof path, "%s/rules/a/one.yaml", t_dir);  /* a file on its own */
    assert_int_equal(xs_sigma_load_path(set, path), 0);
    assert_int_equal(xs_sigma_count(set), 3);
    snprintf(path, sizeof path, "%s/missing", t_dir);
    assert_int_equal(xs_sigma_load_path(set, path), -1);
    k = xs_sigma_skips(set, &n);
    assert_int_equal(n, 4);
    assert_true(strncmp(k[3].reason, "file: cannot open", 17) == 0);
}

#define SYSMON "Microsoft-Windows-Sysmon/Operational"

static void test_windows_log_sources(void **state)
{
    (void)state;
    const xs_sigma_rule *r = load("title: t\nlogsource:\n    product: windows\n"
                                  "    category: process_creation\ndetection:\n"
                                  "    sel:\n        Image|endswith: '\\cmd.exe'\n"
                                  "        ParentImage|endswith: '\\w3wp.exe'\n    condition: sel\n");
    assert_true(win(r, "Channel", SYSMON, "EventID", "1", "Image", "C:\\cmd.exe", "ParentImage",
                    "C:\\w3wp.exe", NULL));
    /* Security 4688: NewProcessName and ParentProcessName are Image and ParentImage */
    assert_true(win(r, "Channel", "Security", "EventID", "4688", "NewProcessName", "C:\\cmd.exe",
                    "ParentProcessName", "C:\\w3wp.exe", NULL));
    assert_false(win(r, "Channel", "Security", "EventID", "4689", "NewProcessName", "C:\\cmd.exe",
                     "ParentProcessName", "C:\\w3wp.exe", NULL));
    assert_false(win(r, "Channel", SYSMON, "EventID", "11", "Image", "C:\\cmd.exe", "ParentImage",
                     "C:\\w3wp.exe", NULL));
    assert_int_equal(xs_sigma_win_selfcheck(), 0);
    xs_sigma_kv kv[] = {{XS_LIT("Channel"), XS_LIT("System")}, {XS_LIT("EventID"), XS_LIT("1")}};
    xs_sigma_kvs kvs = {kv, 2};
    xs_sigma_event ev = xs_sigma_kv_event(&kvs);
    xs_sigma_winsrc src;
    xs_sigma_win_source(&ev, &src);
    assert_int_equal(xs_sigma_win_covers(r, &src), XS_SWIN_OTHER);
    /* the index by category entry: Sysmon 1 and Security 4688 are the rule's two entries */
    assert_true(xs_sigma_win_is_category(r));
    size_t ent[4], nent = 0;
    xs_sigma_kv k1[] = {{XS_LIT("Channel"), XS_LIT(SYSMON)}, {XS_LIT("EventID"), XS_LIT("1")}};
    xs_sigma_kv k2[] = {{XS_LIT("Channel"), XS_LIT("Security")}, {XS_LIT("EventID"), XS_LIT("4688")}};
    xs_sigma_kvs kk1 = {k1, 2}, kk2 = {k2, 2};
    xs_sigma_event e1 = xs_sigma_kv_event(&kk1), e2 = xs_sigma_kv_event(&kk2);
    xs_sigma_winsrc s1, s2;
    xs_sigma_win_source(&e1, &s1);
    xs_sigma_win_source(&e2, &s2);
    assert_int_equal(xs_sigma_win_entries_of(&s1, ent, 4), 1);
    assert_true(xs_sigma_win_in_entry(r, ent[0]));
    assert_int_equal(xs_sigma_win_entries_of(&s2, ent + 1, 3), 1);
    assert_true(xs_sigma_win_in_entry(r, ent[1]));
    assert_int_not_equal(ent[0], ent[1]);
    for (size_t e = 0; e < xs_sigma_win_nentries(); e++)
        nent += xs_sigma_win_in_entry(r, e);
    assert_int_equal(nent, 2);
    assert_int_equal(xs_sigma_win_entries_of(&src, ent, 4), 0); /* System 1: none */
    r = load("title: t\nlogsource:\n    product: windows\n    category: registry_add\n"
             "detection:\n    sel:\n        TargetObject|contains: Run\n    condition: sel\n");
    assert_true(win(r, "Channel", SYSMON, "EventID", "12", "EventType", "CreateKey",
                    "TargetObject", "HKLM\\Run", NULL));
    assert_false(win(r, "Channel", SYSMON, "EventID", "12", "EventType", "DeleteKey",
                     "TargetObject", "HKLM\\Run", NULL));
    r = load("title: t\nlogsource:\n    product: windows\n    service: msexchange-management\n"
             "detection:\n    keywords: ['New-MailboxExportRequest']\n    condition: keywords\n");
    assert_true(win(r, "Channel", "MSExchange Management", "EventID", "1", "Data",
                    "New-MailboxExportRequest -Mailbox x", NULL));
    assert_false(win(r, "Channel", "Application", "EventID", "1", "Data",
                     "New-MailboxExportRequest -Mailbox x", NULL));
    r = load("title: t\nlogsource:\n    product: windows\n    service: system\n"
             "detection:\n    sel: {EventID: 104}\n    condition: sel\n");
    assert_int_equal(xs_sigma_win_covers(r, &src), XS_SWIN_COVERS);
    assert_false(win(r, "Channel", "System", "EventID", "1", NULL));
    assert_true(win(r, "Channel", "system", "EventID", "104", NULL));
    r = load("title: t\nlogsource:\n    product: windows\n    category: ps_script\n"
             "detection:\n    sel: {ScriptBlockText|contains: iex}\n    condition: sel\n");
    assert_true(win(r, "Channel", "Microsoft-Windows-PowerShell/Operational", "EventID", "4104",
                    "ScriptBlockText", "IEX (x)", NULL));
    r = load("title: t\nlogsource:\n    product: windows\n    category: no_such_thing\n"
             "detection:\n    sel: {A: a}\n    condition: sel\n");
    assert_int_equal(xs_sigma_win_covers(r, &src), XS_SWIN_UNMAPPED);
    r = load("title: t\nlogsource:\n    product: linux\ndetection:\n    sel: {A: a}\n"
             "    condition: sel\n");
    assert_int_equal(xs_sigma_win_covers(r, &src), XS_SWIN_UNMAPPED);
}

/* The EVTX record's event: written by the test suite's EVTX writer, read by lib/parsers/evtx. */
typedef struct membuf {
    const uint8_t *p;
    size_t n, off;
} membuf;

static long mem_read(void *ctx, void *buf, size_t n)
{
    membuf *m = ctx;
    size_t k = m->n - m->off < n ? m->n - m->off : n;
    memcpy(buf, m->p + m->off, k);
    m->off += k;
    return (long)k;
}

typedef struct fired {
    const xs_sigma_rule *proc, *kw;
    unsigned proc_hits, kw_hits;
} fired;

static exs_rc on_rec(void *ctx, const xs_evtx_record *rec)
{
    fired *f = ctx;
    xs_sigma_evtx x;
    xs_sigma_event ev = xs_sigma_evtx_event(&x, rec);
    f->proc_hits += xs_sigma_win_match(f->proc, &ev, sc) << (rec->event_id == 1 ? 0 : 4);
    f->kw_hits += xs_sigma_win_match(f->kw, &ev, sc);
    return EXS_OK;
}

static void test_evtx_event(void **state)
{
    (void)state;
    static const xs_evtxw_field sysmon[] = {
        {"Image", {XS_EVTXW_STRING, "C:\\Windows\\System32\\cmd.exe", 0, NULL, 0}},
        {"CommandLine", {XS_EVTXW_STRING, "cmd /c whoami", 0, NULL, 0}},
        {"ParentImage", {XS_EVTXW_STRING, "C:\\Windows\\System32\\inetsrv\\w3wp.exe", 0, NULL, 0}},
    };
    static const xs_evtxw_field security[] = {
        {"NewProcessName", {XS_EVTXW_STRING, "C:\\Windows\\System32\\cmd.exe", 0, NULL, 0}},
        {"CommandLine", {XS_EVTXW_STRING, "cmd /c whoami", 0, NULL, 0}},
        {"ParentProcessName", {XS_EVTXW_STRING, "C:\\Windows\\System32\\inetsrv\\w3wp.exe", 0, NULL, 0}},
    };
    static const xs_evtxw_field app[] = {
        {NULL, {XS_EVTXW_STRING, "the text has Mimikatz in it", 0, NULL, 0}},
    };
    xs_evtxw *w = xs_evtxw_create();
    assert_non_null(w);
    xs_evtxw_event e = {"Microsoft-Windows-Sysmon", "Microsoft-Windows-Sysmon/Operational",
                        "host", 1, 0, 0, 4, 0, 0, 1614755000000LL, sysmon, 3, NULL, NULL, 0, NULL};
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    e = (xs_evtxw_event){"Microsoft-Windows-Security-Auditing", "Security", "host", 4688, 0, 0, 0,
                         0, 0, 1614755000000LL, security, 3, NULL, NULL, 0, NULL};
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    e = (xs_evtxw_event){"Application Error", "Application", "host", 1000, 0, 0, 2, 0, 0,
                         1614755000000LL, app, 1, NULL, NULL, 0, NULL};
    assert_int_equal(xs_evtxw_add(w, &e), 0);
    size_t n;
    uint8_t *log = xs_evtxw_take(w, &n);
    assert_non_null(log);
    fired f = {load("title: web shell child\nlogsource:\n    product: windows\n"
                    "    category: process_creation\ndetection:\n    sel:\n"
                    "        ParentImage|endswith: '\\w3wp.exe'\n"
                    "        Image|endswith: '\\cmd.exe'\n        CommandLine|contains: whoami\n"
                    "        EventID: [1, 4688]\n        Computer: HOST\n    condition: sel\n"),
               load("title: keyword\nlogsource:\n    product: windows\n    service: application\n"
                    "detection:\n    keywords: [mimikatz]\n    sel: {Level: 2, Provider_Name: "
                    "'Application Error'}\n    condition: keywords and sel\n"),
               0, 0};
    xs_evtx_reader *r;
    assert_int_equal(xs_evtx_reader_create(&r, 0), EXS_OK);
    membuf m = {log, n, 0};
    assert_int_equal(xs_evtx_reader_run(r, mem_read, &m, on_rec, &f, NULL), EXS_OK);
    xs_evtx_reader_destroy(r);
    free(log);
    assert_int_equal(f.proc_hits, 1 + 16); /* the Sysmon event and the 4688 one, renamed */
    assert_int_equal(f.kw_hits, 1);
}

/* Whether r fires on the IIS line (the default Exchange #Fields) through the webserver source. */
static bool web(const xs_sigma_rule *r, const char *line)
{
    static xs_w3c_schema schema;
    static xs_w3c_row row;
    static xs_sigma_w3c w;
    xs_w3c_schema_default(&schema);
    xs_w3c_split(&schema, line, strlen(line), &row);
    xs_sigma_event ev = xs_sigma_w3c_event(&w, &schema, &row);
    return xs_sigma_web_covers(r) && xs_sigma_match(r, &ev, sc);
}

#define WEB(det) "title: t\nlogsource:\n    category: webserver\ndetection:\n" det
#define IIS(stem, query, ua) "2021-03-05 03:06:27 10.0.0.5 GET " stem " " query " 443 - " \
    "192.0.2.9 " ua " - 200 0 0 133"

static void test_webserver(void **state)
{
    (void)state;
    /* cs-uri-query: the whole URL (paths in it), and the query alone (its start) */
    const xs_sigma_rule *r = load(WEB("    sel:\n        cs-uri-query|contains: '/owa/auth/x.js?c'\n"
                                      "    condition: sel\n"));
    assert_true(web(r, IIS("/owa/auth/x.js", "cmd=whoami", "-")));
    assert_false(web(r, IIS("/owa/auth/x.js", "-", "-")));
    r = load(WEB("    sel:\n        cs-uri-query|startswith: 'cmd='\n        cs-uri-stem|endswith: "
                 "'.aspx'\n        cs-method: GET\n        sc-status: 200\n    condition: sel\n"));
    assert_true(web(r, IIS("/owa/auth/a.aspx", "cmd=whoami", "-")));
    assert_false(web(r, IIS("/owa/auth/a.aspx", "x=1&cmd=whoami", "-")));
    /* the user agent: IIS's + as spaces, under both names; - is no value */
    r = load(WEB("    sel:\n        cs-user-agent|contains: 'python requests'\n"
                 "    condition: sel\n"));
    assert_true(web(r, IIS("/", "-", "Python+Requests/2.0")));
    r = load(WEB("    sel:\n        cs(User-Agent)|startswith: 'python '\n    condition: sel\n"));
    assert_true(web(r, IIS("/", "-", "Python+Requests/2.0")));
    r = load(WEB("    sel:\n        cs-user-agent: null\n    condition: sel\n"));
    assert_true(web(r, IIS("/", "-", "-")));
    assert_false(web(r, IIS("/", "-", "curl")));
    r = load(WEB("    keywords: ['192.0.2.9']\n    condition: keywords\n"));
    assert_true(web(r, IIS("/", "-", "-")));
    r = load("title: t\nlogsource:\n    product: windows\n    category: process_creation\n"
             "detection:\n    keywords: ['192.0.2.9']\n    condition: keywords\n");
    assert_false(web(r, IIS("/", "-", "-")));          /* not a webserver rule */
    /* XS_SIGMA_MAX_WEB_VALUE: a user agent is looked at up to it */
    char line[3 * XS_SIGMA_MAX_WEB_VALUE];
    char *ua = repeat("", "a", XS_SIGMA_MAX_WEB_VALUE - 1, "Z");
    snprintf(line, sizeof line, IIS("/", "-", "%s"), ua);
    r = load(WEB("    sel:\n        cs-user-agent|endswith: 'aZ'\n    condition: sel\n"));
    assert_true(web(r, line));
    free(ua);
    ua = repeat("", "a", XS_SIGMA_MAX_WEB_VALUE, "Z");
    snprintf(line, sizeof line, IIS("/", "-", "%s"), ua);
    assert_false(web(r, line));
    free(ua);
}

/* ---- the caps ---- */

/* The literals of a rule, as "clause:literal" joined by spaces ("clause=literal" for a field's
 * whole value), in the order given. */
static bool lit_put(void *arg, const unsigned char *lit, size_t n, unsigned clause, bool whole)
{
    char *out = arg;
    size_t o = strlen(out);
    snprintf(out + o, 512 - o, "%s%u%c%.*s", o ? " " : "", clause, whole ? '=' : ':', (int)n,
             (const char *)lit);
    return true;
}

static int lits(const char *yaml, char out[512])
{
    out[0] = 0;
    return xs_sigma_rule_literals(load(yaml), lit_put, out);
}

static void test_literals(void **state)
{
    (void)state;
    char got[512];
    /* one list: the values' longest plain runs (windash and ? break runs) */
    assert_int_equal(lits(RULE("    sel:\n        CommandLine|contains:\n            - 'mimikatz'\n"
                               "            - 'sek*rlsa'\n    condition: sel\n"), got), 1);
    assert_string_equal(got, "0:mimikatz 0:rlsa");
    /* and: both lists (a rule is a candidate when each has a literal in the event) */
    assert_int_equal(lits(RULE("    a:\n        Image|endswith: '\\cmd.exe'\n    b:\n"
                               "        CommandLine|contains: 'whoami'\n    condition: a and b\n"),
                          got),
                     2);
    assert_string_equal(got, "0:\\cmd.exe 1:whoami");
    /* or of ands: each list of one side joined with each of the other */
    assert_int_equal(lits(RULE("    a: {F: xx, G: yy}\n    b: {H: zz}\n    condition: a or b\n"),
                          got),
                     2);
    assert_string_equal(got, "0=xx 0=zz 1=yy 1=zz");
    /* no list: not, a regex, neq, null, one byte, wildcards alone; or with any of them */
    assert_int_equal(lits(RULE("    a: {F: xx}\n    condition: not a\n"), got), 0);
    assert_int_equal(lits(RULE("    a: {F|re: 'x+y'}\n    condition: a\n"), got), 0);
    assert_int_equal(lits(RULE("    a: {F|neq: xx}\n    condition: a\n"), got), 0);
    assert_int_equal(lits(RULE("    a: {F: null}\n    condition: a\n"), got), 0);
    assert_int_equal(lits(RULE("    a: {F: 'x'}\n    condition: a\n"), got), 0);
    assert_int_equal(lits(RULE("    a: {F: '*'}\n    condition: a\n"), got), 0);
    assert_int_equal(lits(RULE("    a: {F: xx}\n    b: {G|re: 'y'}\n    condition: a or b\n"), got),
                     0);
    /* and with a filter: the filter adds nothing; a keyword list is a list */
    assert_int_equal(lits(RULE("    a:\n        - 'evil'\n        - 'bad'\n    f: {G: ok}\n"
                               "    condition: a and not f\n"),
                          got),
                     1);
    assert_string_equal(got, "0:evil 0:bad");
    /* 1 of: the union; all of: each */
    assert_int_equal(lits(RULE("    s_a: {F: aa}\n    s_b: {F: bb}\n    condition: 1 of s_*\n"), got),
                     1);
    assert_string_equal(got, "0=aa 0=bb");
    assert_int_equal(lits(RULE("    s_a: {F: aa}\n    s_b: {F: bb}\n    condition: all of s_*\n"),
                          got),
                     2);
    /* at most XS_SIGMA_MAX_CLAUSES lists, the longest literals kept */
    assert_int_equal(
        lits(RULE("    a: {A: aa, B: bbbbbb, C: cccc, D: ddd, E: eeeee}\n    condition: a\n"), got),
        XS_SIGMA_MAX_CLAUSES);
    assert_null(strstr(got, "=aa"));
    /* a keyword is never a whole value; a prefix, a suffix or a wildcard is not one either */
    assert_int_equal(lits(RULE("    a:\n        - 'evil'\n    condition: a\n"), got), 1);
    assert_string_equal(got, "0:evil");
    assert_int_equal(lits(RULE("    a: {F|startswith: abc, G: 'ab?d'}\n    condition: a\n"), got), 2);
    assert_string_equal(got, "0:abc 1:ab");
}

static void test_caps_yaml(void **state)
{
    (void)state;
    /* XS_SIGMA_MAX_FILE: a file one byte past it, on disk and as a buffer */
    char *big = repeat("title: t\n", "#", XS_SIGMA_MAX_FILE - 9 + 1, "");
    skip_big(big, "limit: a file of more than");
    big = repeat("title: t\n", "#", XS_SIGMA_MAX_FILE - 9, "");
    assert_int_equal(xs_sigma_load_buffer(set, "t.yml", big, strlen(big)), 0);
    free(big);
    size_t n0;
    xs_sigma_skips(set, &n0);
    assert_int_equal(n0, 2);                            /* at the cap: read (not a rule) */
    big = repeat("title: t\n", "#", XS_SIGMA_MAX_FILE, "");
    assert_int_equal(t_fix_write(t_dir, "big.yml", big, strlen(big)), 0);
    free(big);
    char path[512];
    snprintf(path, sizeof path, "%s/big.yml", t_dir);
    assert_int_equal(xs_sigma_load_path(set, path), 0);
    size_t n;
    const xs_sigma_skip *k = xs_sigma_skips(set, &n);
    assert_string_equal(k[n - 1].reason, "limit: a file of more than 1048576 bytes");
    /* XS_SIGMA_MAX_YAML_DEPTH: nesting at the cap loads (as a non-rule), one past is refused */
    char *deep = repeat("title: t\nx: ", "[", XS_SIGMA_MAX_YAML_DEPTH - 1, "");
    char *close = repeat(deep, "]", XS_SIGMA_MAX_YAML_DEPTH - 1, "\n");
    free(deep);
    assert_skip(close, "rule: no detection");
    free(close);
    deep = repeat("title: t\nx: ", "[", XS_SIGMA_MAX_YAML_DEPTH, "");
    close = repeat(deep, "]", XS_SIGMA_MAX_YAML_DEPTH, "\n");
    free(deep);
    skip_big(close, "limit: YAML nested more than");
    /* XS_SIGMA_MAX_NODES: the root map, its 2 scalars, the list and its items */
    skip_big(repeat("title: t\nx: [", "1,", XS_SIGMA_MAX_NODES - 6, "1]\n"), "rule: no detection");
    skip_big(repeat("title: t\nx: [", "1,", XS_SIGMA_MAX_NODES - 5, "1]\n"),
             "limit: more than 200000 YAML nodes");
    /* XS_SIGMA_MAX_STRING */
    skip_big(repeat("title: t\nx: ", "a", XS_SIGMA_MAX_STRING, "\n"), "rule: no detection");
    skip_big(repeat("title: t\nx: ", "a", XS_SIGMA_MAX_STRING + 1, "\n"),
             "limit: a YAML string of more than");
    /* XS_SIGMA_MAX_DOCS */
    skip_big(repeat("", "---\n", XS_SIGMA_MAX_DOCS + 1, ""), "limit: more than 256 YAML documents");
}

static void test_caps_rules(void **state)
{
    (void)state;
    /* XS_SIGMA_MAX_RULES: lowered to 2 here; the third rule is skipped with the reason */
    set->max_rules = 2;
    const char *r = "title: t\ndetection:\n    a: {F: a}\n    condition: a\n";
    load(r);
    load(r);
    assert_skip(r, "limit: more than 2 rules");
    set->max_rules = XS_SIGMA_MAX_RULES;
    /* XS_SIGMA_MAX_SELECTIONS */
    size_t cap = 64 + XS_SIGMA_MAX_SELECTIONS * 24;
    char *y = malloc(cap);
    for (int extra = 0; extra < 2; extra++) {
        size_t o = (size_t)snprintf(y, cap, "title: t\ndetection:\n");
        for (int i = 0; i < XS_SIGMA_MAX_SELECTIONS + extra; i++)
            o += (size_t)snprintf(y + o, cap - o, "    s%d: {F: a}\n", i);
        snprintf(y + o, cap - o, "    condition: 1 of s*\n");
        if (extra)
            assert_skip(y, "limit: more than 256 selections");
        else
            assert_true(hit(load(y), "F", "A", NULL));
    }
    free(y);
    /* XS_SIGMA_MAX_COND_DEPTH */
    char *open = repeat("title: t\ndetection:\n    a: {F: a}\n    condition: ", "(",
                        XS_SIGMA_MAX_COND_DEPTH, "a");
    char *c = repeat(open, ")", XS_SIGMA_MAX_COND_DEPTH, "\n");
    free(open);
    assert_true(hit(load(c), "F", "a", NULL));
    free(c);
    open = repeat("title: t\ndetection:\n    a: {F: a}\n    condition: ", "(",
                  XS_SIGMA_MAX_COND_DEPTH + 1, "a");
    c = repeat(open, ")", XS_SIGMA_MAX_COND_DEPTH + 1, "\n");
    free(open);
    skip_big(c, "limit: condition nested more than");
    open = repeat("title: t\ndetection:\n    a: {F: a}\n    condition: ", "not ",
                  XS_SIGMA_MAX_COND_DEPTH + 1, "a\n");
    skip_big(open, "limit: condition nested more than");
    /* XS_SIGMA_MAX_ALTS: base64offset triples a value: 3^6 = 729 strings load, 3^7 do not */
    char *mods = repeat(RULE("    sel:\n        F"), "|base64offset", 6, ": abc\n    condition: sel\n");
    load(mods);
    free(mods);
    mods = repeat(RULE("    sel:\n        F"), "|base64offset", 7, ": abc\n    condition: sel\n");
    skip_big(mods, "limit: a value of more than 1024 strings");
}

static void test_caps_match(void **state)
{
    (void)state;
    /* XS_SIGMA_MAX_EVENT_VALUES: the 64th value of a field is looked at, the 65th not */
    const xs_sigma_rule *r = one("F: needle");
    xs_sigma_kv kv[XS_SIGMA_MAX_EVENT_VALUES + 1];
    for (size_t i = 0; i <= XS_SIGMA_MAX_EVENT_VALUES; i++)
        kv[i] = (xs_sigma_kv){XS_LIT("F"), XS_LIT("hay")};
    xs_sigma_kvs kvs = {kv, XS_SIGMA_MAX_EVENT_VALUES};
    xs_sigma_event ev = xs_sigma_kv_event(&kvs);
    kv[XS_SIGMA_MAX_EVENT_VALUES - 1].value = XS_LIT("needle");
    assert_true(xs_sigma_match(r, &ev, sc));
    kv[XS_SIGMA_MAX_EVENT_VALUES - 1].value = XS_LIT("hay");
    kv[XS_SIGMA_MAX_EVENT_VALUES].value = XS_LIT("needle");
    kvs.n = XS_SIGMA_MAX_EVENT_VALUES + 1;
    assert_false(xs_sigma_match(r, &ev, sc));
    /* XS_SIGMA_RE_MATCH_LIMIT: a catastrophic expression gives up, as no match */
    r = one("F|re: '^(a+)+$'");
    char text[64];
    memset(text, 'a', 40);
    text[40] = 'b';
    text[41] = '\0';
    assert_false(hit(r, "F", text, NULL));
    assert_true(hit(r, "F", "aaaa", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain_and_wildcards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contains_starts_ends_all_cased, setup, teardown),
        cmocka_unit_test_setup_teardown(test_windash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_re, setup, teardown),
        cmocka_unit_test_setup_teardown(test_base64_and_utf16, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_and_times, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cidr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exists_neq_fieldref_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keywords, setup, teardown),
        cmocka_unit_test_setup_teardown(test_selections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conditions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_skip_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correlation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_meta_multidoc_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_windows_log_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evtx_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_webserver, setup, teardown),
        cmocka_unit_test_setup_teardown(test_literals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caps_yaml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caps_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caps_match, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
