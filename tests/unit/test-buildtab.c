/* Build numbers (parse, compare, print) and the build table with its per-family decision. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "state/build.h"
#include "state/buildtab.h"

#define PL XS_FAM_PROXYLOGON
#define PS XS_FAM_PROXYSHELL
#define PNS XS_FAM_PROXYNOTSHELL
#define UNK XS_FS_UNKNOWN
#define VULN XS_FS_VULNERABLE
#define OK XS_FS_PATCHED

static bool parses(const char *s, bool three, xs_build *b)
{
    return xs_build_parse(s, strlen(s), three, b);
}

static xs_build B(const char *s)
{
    xs_build b;
    assert_true(parses(s, true, &b));
    return b;
}

static xs_fverdict v;

static xs_fstate decide(const char *s, xs_family f)
{
    xs_build b = B(s);
    xs_build_family(&b, f, &v);
    return v.state;
}

static const char *why(const char *s, xs_family f)
{
    decide(s, f);
    return v.reason;
}

/* The three families' states for build s: "pl ps pns". */
static void assert_states(const char *s, xs_fstate pl, xs_fstate ps, xs_fstate pns)
{
    xs_fstate got[3] = {decide(s, PL), decide(s, PS), decide(s, PNS)};
    if (got[0] != pl || got[1] != ps || got[2] != pns)
        fail_msg("%s: states %d %d %d, expected %d %d %d", s, got[0], got[1], got[2], pl, ps, pns);
}

static void assert_parts(const xs_build *b, unsigned n, unsigned a, unsigned c, unsigned d,
                         unsigned e)
{
    assert_int_equal(b->nparts, n);
    assert_int_equal(b->part[0], a);
    assert_int_equal(b->part[1], c);
    assert_int_equal(b->part[2], d);
    assert_int_equal(b->part[3], e);
}

static void test_parse(void **st)
{
    (void)st;
    xs_build b;
    assert_true(parses("15.1.2176.9", false, &b));
    assert_parts(&b, 4, 15, 1, 2176, 9);
    assert_true(parses("15.01.2375.007", false, &b));
    assert_parts(&b, 4, 15, 1, 2375, 7);
    assert_true(parses("15,2,659,4", false, &b));
    assert_parts(&b, 4, 15, 2, 659, 4);
    assert_true(parses(" 15 . 1 , 2176 . 9 ", false, &b));
    assert_parts(&b, 4, 15, 1, 2176, 9);
    assert_true(parses("15.1.65535.00000", false, &b));
    assert_parts(&b, 4, 15, 1, 65535, 0);
    assert_true(parses("15.1.2176", true, &b));
    assert_parts(&b, 3, 15, 1, 2176, 0);
    /* refused, and out untouched */
    xs_build keep = {{1, 2, 3, 4}, 4}, o = keep;
    const char *bad[] = {"15.1.2176",
                         "15.1.99999.1",
                         "15.1.65536.1",
                         "15.1.002176.9",
                         "15.1.2176.9.1",
                         "",
                         " ",
                         "15.1.2176.9x",
                         "15.1.2176.9.",
                         "15..1.2176.9",
                         ".15.1.2176.9",
                         "15.1.2176 9",
                         "15.1.2176.-9",
                         "15;1;2176;9",
                         "15.1",
                         "15.1.2176.9 x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (parses(bad[i], false, &o))
            fail_msg("parsed '%s'", bad[i]);
        assert_memory_equal(&o, &keep, sizeof o);
    }
    assert_false(parses("15.1", true, &o));
    assert_false(parses("15.1.2176.9.1", true, &o));
    /* the length bounds the build: what follows is not read */
    assert_true(xs_build_parse("15.1.2176.9junk", 11, false, &b));
    assert_parts(&b, 4, 15, 1, 2176, 9);
    assert_false(xs_build_parse("15.1.2176.9junk", 12, false, &b));
}

static void test_cmp_and_text(void **st)
{
    (void)st;
    xs_build a = B("15.1.2176.9"), b = B("15.1.2176.12"), c = B("15.1.2176"), d = B("15.2.221.12");
    assert_true(xs_build_cmp(&a, &b) < 0);
    assert_true(xs_build_cmp(&b, &a) > 0);
    assert_int_equal(xs_build_cmp(&a, &a), 0);
    assert_true(xs_build_cmp(&c, &a) < 0); /* a 3-part build sorts before its CU's 4-part ones */
    assert_true(xs_build_cmp(&a, &c) > 0);
    assert_true(xs_build_cmp(&a, &d) < 0);
    xs_build e = B("15.1.2177");
    assert_true(xs_build_cmp(&b, &e) < 0);
    assert_true(xs_build_same_cu(&a, &b));
    assert_true(xs_build_same_cu(&a, &c));
    assert_false(xs_build_same_cu(&a, &d));
    char t[XS_BUILD_TEXT];
    xs_build p = B("15.01.2375.007");
    assert_string_equal(xs_build_text(&p, t), "15.1.2375.7");
    assert_string_equal(xs_build_text(&c, t), "15.1.2176");
    xs_build z = {{65535, 65535, 65535, 65535}, 4}, none = {{0}, 0};
    assert_string_equal(xs_build_text(&z, t), "65535.65535.65535.65535");
    assert_string_equal(xs_build_text(&none, t), "");
}

static bool is_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return strncmp(s, "2012", 4) >= 0 && strncmp(s, "2026-12-31", 10) <= 0;
}

static bool is_kb(const char *s)
{
    if (s[0] == '\0')
        return true;
    if (strncmp(s, "KB", 2) != 0 || strlen(s) < 9 || strlen(s) > 9)
        return false;
    for (const char *p = s + 2; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

static void test_table_shape(void **st)
{
    (void)st;
    size_t n;
    const xs_build_row *t = xs_buildtab(&n);
    assert_true(n >= 280);
    xs_build prev = {{0}, 0};
    for (size_t i = 0; i < n; i++) {
        xs_build b;
        if (!parses(t[i].build, false, &b))
            fail_msg("row %zu: '%s' does not parse", i, t[i].build);
        char txt[XS_BUILD_TEXT];
        assert_string_equal(xs_build_text(&b, txt), t[i].build); /* unpadded */
        if (i > 0 && xs_build_cmp(&prev, &b) >= 0)
            fail_msg("row %zu: %s is not above %s", i, t[i].build, txt);
        prev = b;
        assert_ptr_equal(xs_build_find(&b), &t[i]);
        const xs_build_row *cu = xs_build_cu(&b);
        if (!cu)
            fail_msg("row %zu: %s has no CU row", i, t[i].build);
        assert_string_equal(cu->update, "");
        assert_string_equal(cu->product, t[i].product);
        assert_string_equal(cu->cu, t[i].cu);
        assert_true(cu <= &t[i]);
        if (t[i].update[0] == '\0')
            assert_ptr_equal(cu, &t[i]);
        else /* an update is released after its CU, and fixes at least what the CU fixes */
            assert_true(strcmp(cu->released, t[i].released) < 0 &&
                        (cu->fixed & t[i].fixed) == cu->fixed);
        /* cumulative: a later build of the CU keeps every fix of an earlier one */
        if (i > 0 && &t[i - 1] >= cu)
            assert_int_equal(t[i - 1].fixed & t[i].fixed, t[i - 1].fixed);
        assert_true(is_date(t[i].released));
        if (!is_kb(t[i].kb))
            fail_msg("row %zu: KB '%s'", i, t[i].kb);
        assert_int_equal(t[i].fixed & ~7u, 0);
        const char *p = t[i].product;
        assert_true(strcmp(p, "Exchange Server 2013") == 0 ||
                    strcmp(p, "Exchange Server 2016") == 0 ||
                    strcmp(p, "Exchange Server 2019") == 0 || strcmp(p, "Exchange Server SE") == 0);
        assert_int_equal(b.part[0], 15);
        assert_int_equal(b.part[1], strcmp(p, "Exchange Server 2013") == 0   ? 0
                                    : strcmp(p, "Exchange Server 2016") == 0 ? 1
                                                                             : 2);
        /* the release date decides (buildtab.c's header) */
        unsigned want = (strcmp(t[i].released, "2021-03-02") >= 0 ? 1u : 0u) |
                        (strcmp(t[i].released, "2021-05-11") >= 0 ? 2u : 0u) |
                        (strcmp(t[i].released, "2022-11-08") >= 0 ? 4u : 0u);
        if (t[i].fixed != want)
            fail_msg("row %zu (%s): fixed %u, by its date %u", i, t[i].build, t[i].fixed, want);
    }
}

static void test_rows(void **st)
{
    (void)st;
    xs_build b = B("15.1.2176.9");
    const xs_build_row *r = xs_build_find(&b);
    assert_non_null(r);
    assert_string_equal(r->product, "Exchange Server 2016");
    assert_string_equal(r->cu, "CU19");
    assert_string_equal(r->update, "Mar21SU");
    assert_string_equal(r->kb, "KB5000871");
    assert_string_equal(r->released, "2021-03-02");
    assert_int_equal(r->fixed, 1u << PL);
    b = B("15.2.1118.20");
    r = xs_build_find(&b);
    assert_string_equal(r->update, "Nov22SU");
    assert_string_equal(r->kb, "KB5019758");
    b = B("15.0.847.64"); /* Microsoft's 2013 SP1 (Health Checker: CU4) */
    assert_string_equal(xs_build_find(&b)->cu, "SP1");
    b = B("15.2.2562.17");
    assert_string_equal(xs_build_find(&b)->product, "Exchange Server SE");
    assert_string_equal(xs_build_find(&b)->cu, "RTM");
    b = B("15.2.1544.37"); /* one KB per CU from Aug25SU on */
    assert_string_equal(xs_build_find(&b)->kb, "KB5071874");
    b = B("15.1.2308.14"); /* Jul21SU: one KB per product */
    assert_string_equal(xs_build_find(&b)->kb, "KB5004779");
    b = B("15.1.2176");
    assert_null(xs_build_find(&b));
    assert_string_equal(xs_build_cu(&b)->build, "15.1.2176.2");
    b = B("15.1.2176.10");
    assert_null(xs_build_find(&b));
    assert_string_equal(xs_build_cu(&b)->build, "15.1.2176.2");
    b = B("15.1.2000.1");
    assert_null(xs_build_cu(&b));
    b = B("14.3.513.0");
    assert_null(xs_build_find(&b));
    assert_null(xs_build_cu(&b));
}

static void test_oracles(void **st)
{
    (void)st;
    assert_states("15.1.2375.7", OK, OK, VULN);
    assert_states("15.2.986.5", OK, OK, VULN);
    assert_states("15.2.1118.25", OK, OK, OK);
    assert_states("15.2.659.4", VULN, VULN, VULN);
    assert_states("15.1.2176.2", VULN, VULN, VULN);
    assert_states("15.1.2176.9", OK, VULN, VULN);
    assert_states("15.1.2176.12", OK, VULN, VULN);
    assert_states("15.1.2176.14", OK, OK, VULN);
    /* the thresholds of the catalogue (6.2, 6.3) */
    assert_states("15.0.1497.2", VULN, VULN, VULN);
    assert_states("15.0.1497.12", OK, VULN, VULN);
    assert_states("15.0.1497.15", OK, VULN, VULN);
    assert_states("15.0.1497.18", OK, OK, VULN);
    assert_states("15.0.1497.42", OK, OK, VULN);
    assert_states("15.0.1497.44", OK, OK, OK);
    assert_states("15.0.1395.12", OK, VULN, VULN);
    assert_states("15.0.1473.6", OK, VULN, VULN);
    assert_states("15.0.847.64", OK, VULN, VULN);
    assert_states("15.1.1415.2", VULN, VULN, VULN);
    assert_states("15.1.1415.8", OK, VULN, VULN);  /* Health Checker's CU8 Mar21SU */
    assert_states("15.1.1415.10", OK, VULN, VULN); /* Microsoft's */
    assert_states("15.1.1466.13", OK, VULN, VULN);
    assert_states("15.1.2044.13", OK, VULN, VULN);
    assert_states("15.1.2106.2", VULN, VULN, VULN);
    assert_states("15.1.2106.13", OK, VULN, VULN);
    assert_states("15.1.2242.4", OK, VULN, VULN); /* CU20 alone: ProxyShell still open */
    assert_states("15.1.2242.8", OK, VULN, VULN);
    assert_states("15.1.2242.10", OK, OK, VULN);
    assert_states("15.1.2308.8", OK, OK, VULN);
    assert_states("15.1.2375.32", OK, OK, VULN);
    assert_states("15.1.2375.37", OK, OK, OK);
    assert_states("15.1.2507.13", OK, OK, VULN);
    assert_states("15.1.2507.16", OK, OK, OK);
    assert_states("15.1.2507.66", OK, OK, OK);
    assert_states("15.2.221.12", VULN, VULN, VULN);
    assert_states("15.2.221.18", OK, VULN, VULN);
    assert_states("15.2.330.11", OK, VULN, VULN);
    assert_states("15.2.659.12", OK, VULN, VULN);
    assert_states("15.2.721.2", VULN, VULN, VULN);
    assert_states("15.2.721.13", OK, VULN, VULN);
    assert_states("15.2.792.10", OK, VULN, VULN);
    assert_states("15.2.792.13", OK, VULN, VULN);
    assert_states("15.2.792.15", OK, OK, VULN);
    assert_states("15.2.858.5", OK, VULN, VULN);
    assert_states("15.2.858.12", OK, OK, VULN);
    assert_states("15.2.922.7", OK, OK, VULN);
    assert_states("15.2.986.30", OK, OK, VULN);
    assert_states("15.2.986.36", OK, OK, OK);
    assert_states("15.2.1118.15", OK, OK, VULN);
    assert_states("15.2.1118.20", OK, OK, OK);
    assert_states("15.2.1258.12", OK, OK, OK);
    assert_states("15.2.1748.10", OK, OK, OK);
    assert_states("15.2.2562.17", OK, OK, OK);
}

static void test_fix_pointer(void **st)
{
    (void)st;
    decide("15.1.2176.2", PS);
    assert_string_equal(v.fix->build, "15.1.2176.14");
    decide("15.1.2242.4", PL); /* the CU itself */
    assert_string_equal(v.fix->build, "15.1.2242.4");
    decide("15.1.2106.13", PS);
    assert_null(v.fix);
    decide("15.1.2375", PNS);
    assert_string_equal(v.fix->build, "15.1.2375.37");
    decide("14.3.513.0", PL);
    assert_null(v.fix);
}

static void test_reasons(void **st)
{
    (void)st;
    assert_string_equal(why("15.1.2176.2", PL),
                        "15.1.2176.2 (Exchange Server 2016 CU19) is below 15.1.2176.9 (Mar21SU, "
                        "KB5000871)");
    assert_string_equal(why("15.1.2176.9", PL), "15.1.2176.9 (Exchange Server 2016 CU19, Mar21SU) "
                                                "is at or above 15.1.2176.9 (Mar21SU, KB5000871)");
    assert_string_equal(why("15.1.2176.12", PS),
                        "15.1.2176.12 (Exchange Server 2016 CU19, Apr21SU) is below 15.1.2176.14 "
                        "(May21SU, KB5003435): Apr21SU fixes CVE-2021-34473 and CVE-2021-34523, "
                        "not CVE-2021-31207");
    assert_string_equal(why("15.1.2176.9", PS), "15.1.2176.9 (Exchange Server 2016 CU19, Mar21SU) "
                                                "is below 15.1.2176.14 (May21SU, KB5003435)");
    assert_string_equal(why("15.1.2242.4", PL), "15.1.2242.4 (Exchange Server 2016 CU20) is at or "
                                                "above 15.1.2242.4 (CU20, KB4602569)");
    assert_string_equal(why("15.1.2106.13", PS),
                        "15.1.2106.13 (Exchange Server 2016 CU18, Mar21SU): no update for Exchange "
                        "Server 2016 CU18 fixes it; a later CU is needed");
    assert_string_equal(why("15.2.221.12", PL), "15.2.221.12 (Exchange Server 2019 RTM) is below "
                                                "15.2.221.18 (Mar21SU, KB5000871)");
    assert_string_equal(why("15.1.2375", PNS), "15.1.2375 (Exchange Server 2016 CU22): the "
                                               "revision decides: 15.1.2375.37 (Nov22SU) fixes it");
    assert_string_equal(why("15.1.2375", PL),
                        "15.1.2375 (Exchange Server 2016 CU22): every published build of the CU "
                        "fixes it");
    assert_string_equal(why("15.1.1415", PS),
                        "15.1.1415 (Exchange Server 2016 CU8): no published build of the CU fixes "
                        "it; a later CU is needed");
    assert_string_equal(why("15.1.2176.10", PL),
                        "15.1.2176.10 (Exchange Server 2016 CU19; not a published build) is at or "
                        "above 15.1.2176.9 (Mar21SU, KB5000871)");
    assert_string_equal(why("14.3.513.0", PL), "14.3.513.0 is not a build of Exchange Server 2013, "
                                               "2016, 2019 or SE: the table does not place it");
    assert_string_equal(why("15.1.2000.1", PL),
                        "15.1.2000.1 is of no CU the table knows: it lies between Exchange Server "
                        "2016 CU16 (15.1.1979.3) and Exchange Server 2016 CU17 (15.1.2044.4)");
    assert_string_equal(why("15.2.196.0", PL),
                        "15.2.196.0 is older than Exchange Server 2019 RTM (15.2.221.12), the "
                        "first build of its line the table knows");
    assert_string_equal(why("15.1.2600.1", PNS),
                        "15.1.2600.1 is newer than every build the table knows (the newest: "
                        "15.1.2507.66, Exchange Server 2016 CU23, Feb26SU), and those fix it");
    /* every reason fits: the longest names and updates */
    size_t n;
    const xs_build_row *t = xs_buildtab(&n);
    for (size_t i = 0; i < n; i++)
        for (int f = 0; f < XS_FAM__N; f++) {
            char s[XS_BUILD_TEXT + 4];
            snprintf(s, sizeof s, "%s", t[i].build);
            why(s, (xs_family)f);
            assert_true(strlen(v.reason) < sizeof v.reason - 1);
        }
}

static void test_three_parts(void **st)
{
    (void)st;
    assert_states("15.1.2375", OK, OK, UNK);
    assert_states("15.1.1415", UNK, VULN, VULN);
    assert_states("15.1.2176", UNK, UNK, VULN);
    assert_states("15.1.2242", OK, UNK, VULN);
    assert_states("15.1.2308", OK, OK, VULN);
    assert_states("15.1.2507", OK, OK, UNK);
    assert_states("15.0.1497", UNK, UNK, UNK);
    assert_states("15.2.1258", OK, OK, OK);
    assert_states("15.2.2562", OK, OK, OK);
    assert_states("15.2.721", UNK, VULN, VULN);
    assert_states("15.1.1261", VULN, VULN, VULN); /* CU7: no Mar21SU */
    assert_states("15.1.2000", UNK, UNK, UNK);    /* between CUs */
    assert_states("15.1.2600", OK, OK, OK);       /* newer than every 2016 build */
}

static void test_unknown_and_newer(void **st)
{
    (void)st;
    /* other products: Exchange 2010, 2007, and no 15.x we know */
    assert_states("14.3.513.0", UNK, UNK, UNK);
    assert_states("8.3.517.0", UNK, UNK, UNK);
    assert_states("15.3.100.1", UNK, UNK, UNK);
    assert_states("16.0.1.1", UNK, UNK, UNK);
    /* a CU the table does not hold, between known ones or before the first */
    assert_states("15.1.2000.1", UNK, UNK, UNK);
    assert_states("15.2.2000.1", UNK, UNK, UNK); /* between 2019 CU15 and SE RTM */
    assert_states("15.2.196.0", UNK, UNK, UNK);  /* 2019 Preview */
    assert_states("15.0.100.1", UNK, UNK, UNK);
    /* newer than every build of the line: the newest builds fix all three */
    assert_states("15.0.1600.1", OK, OK, OK);
    assert_states("15.1.2600.1", OK, OK, OK);
    assert_states("15.2.2600.5", OK, OK, OK);
    assert_non_null(strstr(why("15.2.2600.5", PL), "newer than every build the table knows"));
    /* no build, no family */
    xs_build none = {{0}, 0}, b = B("15.1.2176.9");
    xs_build_family(&none, PL, &v);
    assert_int_equal(v.state, UNK);
    xs_build_family(&b, XS_FAM__N, &v);
    assert_int_equal(v.state, UNK);
    assert_null(v.fix);
}

static void test_unpublished(void **st)
{
    (void)st;
    /* a revision the table lacks, inside a known CU: decided by comparison, and said so */
    assert_states("15.1.2176.10", OK, VULN, VULN);
    assert_states("15.1.2176.13", OK, VULN, VULN);
    assert_non_null(strstr(why("15.1.2176.13", PS), "not a published build"));
    assert_non_null(strstr(v.reason, "not CVE-2021-31207"));
    assert_states("15.1.2176.20", OK, OK, VULN);
    assert_states("15.1.2375.36", OK, OK, VULN);
    assert_states("15.1.2375.38", OK, OK, OK);
    assert_states("15.1.2507.99", OK, OK, OK);
    assert_states("15.2.2562.99", OK, OK, OK);
    assert_states("15.1.1415.9", OK, VULN, VULN); /* between the two CU8 Mar21SU builds */
    assert_states("15.1.1415.5", VULN, VULN, VULN);
    assert_states("15.1.225.16", VULN, VULN, VULN); /* 2016 Preview: below RTM's build */
    assert_non_null(strstr(why("15.1.225.16", PL), "not a published build"));
}

static void test_names(void **st)
{
    (void)st;
    char out[96];
    xs_build b = B("15.1.2176.2");
    assert_string_equal(xs_build_name(&b, out, sizeof out), "Exchange Server 2016 CU19");
    b = B("15.1.2176.9");
    assert_string_equal(xs_build_name(&b, out, sizeof out), "Exchange Server 2016 CU19, Mar21SU");
    b = B("15.1.2176.10");
    assert_string_equal(xs_build_name(&b, out, sizeof out), "Exchange Server 2016 CU19");
    b = B("15.2.1258");
    assert_string_equal(xs_build_name(&b, out, sizeof out), "Exchange Server 2019 CU13");
    b = B("15.2.1118.37");
    assert_string_equal(xs_build_name(&b, out, sizeof out), "Exchange Server 2019 CU12, Aug23SUv2");
    b = B("15.2.1544.11");
    assert_string_equal(xs_build_name(&b, out, sizeof out), "Exchange Server 2019 CU14, Apr24HU");
    b = B("15.2.2562.41");
    assert_string_equal(xs_build_name(&b, out, sizeof out), "Exchange Server SE RTM, May26HU");
    b = B("15.0.847.32");
    assert_string_equal(xs_build_name(&b, out, sizeof out), "Exchange Server 2013 SP1");
    b = B("15.1.2000.1");
    assert_string_equal(xs_build_name(&b, out, sizeof out), "");
    b = B("14.3.513.0");
    assert_string_equal(xs_build_name(&b, out, sizeof out), "");
    char small[8] = "xxxxxxx";
    b = B("15.1.2176.9");
    assert_string_equal(xs_build_name(&b, small, sizeof small), "Exchang");
    assert_ptr_equal(xs_build_name(&b, small, 0), small);
}

static void test_families(void **st)
{
    (void)st;
    assert_string_equal(xs_family_name(PL), "ProxyLogon");
    assert_string_equal(xs_family_name(PS), "ProxyShell");
    assert_string_equal(xs_family_name(PNS), "ProxyNotShell");
    assert_string_equal(xs_family_name(XS_FAM__N), "");
    assert_string_equal(xs_family_cves(PL),
                        "CVE-2021-26855,CVE-2021-26857,CVE-2021-26858,CVE-2021-27065");
    assert_string_equal(xs_family_cves(PS), "CVE-2021-34473,CVE-2021-34523,CVE-2021-31207");
    assert_string_equal(xs_family_cves(PNS), "CVE-2022-41040,CVE-2022-41082,CVE-2022-41080");
    assert_string_equal(xs_family_cves((xs_family)-1), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_cmp_and_text),
        cmocka_unit_test(test_table_shape),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_oracles),
        cmocka_unit_test(test_fix_pointer),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_three_parts),
        cmocka_unit_test(test_unknown_and_newer),
        cmocka_unit_test(test_unpublished),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_families),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
