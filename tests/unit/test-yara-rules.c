/* The shipped YARA rules (the .yar files under rules/, embedded) and the libyara engine:
 *   - every shipped rule compiles through the scanner's own path, carries the required meta,
 *     and has a stable id that no other rule (YARA or built-in) uses;
 *   - every rule obeys the gate convention, and the gate never changes a result;
 *   - every rule fires on its fixture (assembled from fragments) and nothing fires on the
 *     benign twins;
 *   - broken rules are reported with file and line, as rule errors whatever their words;
 *     user rules see the external variables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engines/yara.h"
#include "exsweep/exsweep.h"
#include "fixfiles.h"

static const xs_yrules *shipped(void)
{
    char err[512] = "";
    const xs_yrules *r = xs_yrules_shipped(err, sizeof err);
    if (!r)
        fail_msg("shipped rules: %s", err);
    return r;
}

static void test_meta_and_ids(void **st)
{
    (void)st;
    const xs_yrules *r = shipped();
    size_t n = xs_yrules_count(r), pub = 0;
    assert_true(n >= 25);
    for (size_t i = 0; i < n; i++) {
        const xs_yrule *y = xs_yrules_get(r, i);
        if (y->is_private)
            continue;
        pub++;
        assert_true(strncmp(y->rule.id, "EXS-Y-", 6) == 0);
        assert_true(strlen(y->rule.name) > 10);
        assert_true(strlen(y->rule.description) > 40);
        assert_true(y->verdict >= EXS_VERDICT_PROBE && y->verdict <= EXS_VERDICT_EXPLOITATION);
        assert_true(y->severity >= EXS_SEV_LOW && y->severity <= EXS_SEV_CRITICAL);
        assert_false(y->user);
    }
    /* ids are unique over the whole rule list (built-in table and shipped YARA rules) */
    size_t all;
    const exs_rule *ar = exs_rules(&all);
    size_t yara_in_list = 0;
    for (size_t i = 0; i < all; i++) {
        yara_in_list += strncmp(ar[i].id, "EXS-Y-", 6) == 0;
        for (size_t j = 0; j < i; j++)
            if (strcmp(ar[i].id, ar[j].id) == 0)
                fail_msg("duplicate rule id %s", ar[i].id);
    }
    assert_int_equal(yara_in_list, pub);
}

static void test_gate_convention(void **st)
{
    (void)st;
    const xs_yrules *r = shipped();
    assert_true(xs_yrules_gated(r));
    for (size_t i = 0; i < xs_yrules_count(r); i++) {
        const xs_yrule *y = xs_yrules_get(r, i);
        if (y->is_private)
            continue;
        if (y->gate_literals == 0 || y->gate_unsupported || y->gate_off)
            fail_msg("%s: no complete literal gate", y->rule.id);
        /* a two- or three-byte literal would let nearly every file through the gate */
        if (y->gate_minlen < 4)
            fail_msg("%s: gate literal of %u bytes", y->rule.id, y->gate_minlen);
    }
}

typedef struct matches {
    char ids[64][40];
    size_t n;
} matches;

static void on_match(void *ctx, const xs_ymatch *m)
{
    matches *ms = ctx;
    if (ms->n < 64)
        snprintf(ms->ids[ms->n++], sizeof ms->ids[0], "%s", m->rule->rule.id);
}

static bool has(const matches *m, const char *id)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->ids[i], id) == 0)
            return true;
    return false;
}

static bool same_matches(const matches *a, const matches *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!has(b, a->ids[i]))
            return false;
    return true;
}

static void scan(xs_yscanner *sc, const t_fix *f, bool gate, matches *m)
{
    memset(m, 0, sizeof *m);
    xs_yvars v = {"x.aspx", "\\x.aspx", ".aspx", "UNKNOWN", ""};
    bool ran;
    assert_int_equal(xs_yscanner_scan(sc, f->data, f->len, &v, gate, on_match, m, &ran), EXS_OK);
}

/* Rules expected besides the fixture's own (fixtures built to show one behaviour may show
 * another as a side effect: an OAB dump carries an eval shell). Anything else is an error. */
static const struct {
    const char *fixture;
    const char *also[3];
} extra[] = {
    {"ws-obfuscated", {"EXS-Y-WS-EVAL"}},
    {"ws-oab-dump", {"EXS-Y-WS-EVAL"}},
    {"ws-webconfig", {"EXS-Y-WS-PROCESS"}},
    {"px-lsass-cmd", {"EXS-Y-PX-LSASS-DUMPFILE"}},
};

static void test_fixtures(void **st)
{
    (void)st;
    xs_yscanner *sc;
    assert_int_equal(xs_yscanner_create(&sc, shipped(), 0), EXS_OK);
    size_t fired[256] = {0};
    for (const char *const *n = t_fix_names; *n; n++) {
        t_fix *f = t_fix_make(*n);
        assert_non_null(f);
        matches with, without;
        scan(sc, f, true, &with);
        scan(sc, f, false, &without);
        /* the literal gate never changes a result */
        assert_true(same_matches(&with, &without));
        if (!f->rule) {
            if (without.n)
                fail_msg("benign fixture %s matched %s", f->name, without.ids[0]);
        } else if (strncmp(f->rule, "EXS-Y-", 6) != 0) {
            /* found by the behaviour of its code (test-scriptflow), not by a signature */
        } else {
            if (!has(&without, f->rule))
                fail_msg("fixture %s did not match %s", f->name, f->rule);
            for (size_t i = 0; i < without.n; i++) {
                bool ok = strcmp(without.ids[i], f->rule) == 0;
                for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++)
                    if (strcmp(extra[k].fixture, f->name) == 0)
                        for (size_t j = 0; j < 3 && extra[k].also[j]; j++)
                            ok |= strcmp(extra[k].also[j], without.ids[i]) == 0;
                if (!ok)
                    fail_msg("fixture %s also matched %s", f->name, without.ids[i]);
            }
        }
        const xs_yrules *r = shipped();
        for (size_t i = 0; i < xs_yrules_count(r) && i < 256; i++)
            if (has(&without, xs_yrules_get(r, i)->rule.id))
                fired[i]++;
        t_fix_free(f);
    }
    /* every shipped rule has a fixture that fires it */
    const xs_yrules *r = shipped();
    for (size_t i = 0; i < xs_yrules_count(r); i++) {
        const xs_yrule *y = xs_yrules_get(r, i);
        if (!y->is_private && !fired[i])
            fail_msg("no fixture fires %s", y->rule.id);
    }
    xs_yscanner_destroy(sc);
}

/* Rules keyed on a file's first bytes (MZ, ELF, cabinet magic) only match at offset 0. */
static bool starts_with_magic(const t_fix *f)
{
    static const char *const magic[] = {"MZ", "\177ELF", "MSCF"};
    for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
        if (f->len >= strlen(magic[i]) && memcmp(f->data, magic[i], strlen(magic[i])) == 0)
            return true;
    return false;
}

/* The gate on every positive fixture planted in random bytes (binary and printable, in
 * turn), at a random offset (at 0 for fixtures a rule finds by their magic): the gate never
 * changes the result, and the fixture's rule still fires. */
static void test_gate_random(void **st)
{
    (void)st;
    xs_yscanner *sc;
    assert_int_equal(xs_yscanner_create(&sc, shipped(), 0), EXS_OK);
    unsigned seed = 12345;
    size_t planted = 0;
    for (const char *const *name = t_fix_names; *name; name++) {
        t_fix *fx = t_fix_make(*name);
        assert_non_null(fx);
        if (!fx->rule || strncmp(fx->rule, "EXS-Y-", 6) != 0) {
            t_fix_free(fx);
            continue;
        }
        for (int round = 0; round < 2; round++) {
            size_t pad = (size_t)(rand_r(&seed) % (16 << 10));
            size_t n = fx->len + pad;
            size_t at = starts_with_magic(fx) ? 0 : (size_t)rand_r(&seed) % (pad + 1);
            unsigned char *buf = malloc(n);
            assert_non_null(buf);
            for (size_t i = 0; i < n; i++)
                buf[i] = round ? (unsigned char)(' ' + rand_r(&seed) % 95)
                               : (unsigned char)rand_r(&seed);
            memcpy(buf + at, fx->data, fx->len);
            t_fix f = {fx->name, fx->rule, buf, n};
            matches a, b;
            scan(sc, &f, true, &a);
            scan(sc, &f, false, &b);
            if (!same_matches(&a, &b))
                fail_msg("%s at %zu of %zu: %zu matches with the gate, %zu without", fx->name, at,
                         n, a.n, b.n);
            if (!has(&b, fx->rule))
                fail_msg("%s at %zu of %zu: %s did not match", fx->name, at, n, fx->rule);
            free(buf);
            planted++;
        }
        t_fix_free(fx);
    }
    assert_true(planted >= 2 * 25);
    xs_yscanner_destroy(sc);
}

static const char *write_tmp(const char *name, const char *text)
{
    static char path[4][256];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, 256, "%s/exs-yara-%d-%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (int)getpid(), name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static void test_broken_rule(void **st)
{
    (void)st;
    const char *p = write_tmp("bad.yar", "rule ok { condition: true }\n\nrule bad {\n"
                                         "  strings: $a = \"x\"\n  condition: $b\n}\n");
    xs_yrules *r = NULL;
    char err[512] = "";
    assert_int_equal(xs_yrules_from_files(&r, &p, 1, err, sizeof err), EXS_ERULE);
    assert_null(r);
    /* "<file>:<line>: <message>", the line where libyara noticed (the rule's end) */
    size_t pl = strlen(p);
    if (strncmp(err, p, pl) != 0 || err[pl] != ':' || (err[pl + 1] != '5' && err[pl + 1] != '6') ||
        !strstr(err, "undefined string"))
        fail_msg("error '%s' does not name %s and the line", err, p);
    unlink(p);
    /* a missing file is named too */
    const char *missing = "/nonexistent/rules.yar";
    assert_int_equal(xs_yrules_from_files(&r, &missing, 1, err, sizeof err), EXS_ERULE);
    assert_non_null(strstr(err, missing));
    /* shipped-style sources without the exsweep meta are refused */
    xs_embedded_rules_file bad[] = {
        {"x.yar", "rule r { strings: $a = \"abcd\" condition: $a }", 0}, {NULL, NULL, 0}};
    assert_int_equal(xs_yrules_from_sources(&r, bad, err, sizeof err), EXS_ERULE);
    assert_non_null(strstr(err, "meta"));
}

/* A rule error is a rule error whatever its words: libyara's message quotes the rule (here the
 * name of an include that is not there), so words like "not enough memory" or a last space
 * are the rule's, not a machine out of memory (EXS_ENOMEM is libyara's code for that). */
static void test_rule_error_words(void **st)
{
    (void)st;
    static const char *const inc[] = {"/nonexistent/not enough memory",
                                      "/nonexistent/out of dynamic memory", "/nonexistent/x "};
    for (size_t i = 0; i < sizeof inc / sizeof inc[0]; i++) {
        char text[128], want[512];
        snprintf(text, sizeof text, "include \"%s\"\nrule r { condition: true }\n", inc[i]);
        const char *p = write_tmp("words.yar", text);
        xs_yrules *r = NULL;
        char err[512] = "";
        assert_int_equal(xs_yrules_from_files(&r, &p, 1, err, sizeof err), EXS_ERULE);
        assert_null(r);
        snprintf(want, sizeof want, "%s:1: can't open include file: %s", p, inc[i]);
        assert_string_equal(err, want);
        unlink(p);
    }
}

static void test_user_externals(void **st)
{
    (void)st;
    const char *p = write_tmp(
        "ext.yar", "rule by_name { condition: filename == \"shell.aspx\" }\n"
                   "rule by_ext { condition: extension == \".aspx\" }\n"
                   "rule by_path { condition: filepath contains \"\\\\owa\\\\auth\\\\\" }\n"
                   "rule by_type { condition: filetype == \"EXE\" }\n"
                   "rule by_owner { condition: owner == \"\" }\n"
                   "private rule hidden { condition: true }\n"
                   "rule scored { meta: score = 90 description = \"d\" condition: hidden }\n");
    xs_yrules *r = NULL;
    char err[512] = "";
    assert_int_equal(xs_yrules_from_files(&r, &p, 1, err, sizeof err), EXS_OK);
    assert_false(xs_yrules_gated(r));
    xs_yscanner *sc;
    assert_int_equal(xs_yscanner_create(&sc, r, 0), EXS_OK);
    matches m = {0};
    xs_yvars v = {"shell.aspx", "\\C\\owa\\auth\\shell.aspx", ".aspx", "UNKNOWN", ""};
    bool ran;
    assert_int_equal(
        xs_yscanner_scan(sc, (const unsigned char *)"x", 1, &v, true, on_match, &m, &ran), EXS_OK);
    assert_true(ran);
    assert_true(has(&m, "by_name") && has(&m, "by_ext") && has(&m, "by_path") &&
                has(&m, "by_owner"));
    assert_false(has(&m, "by_type"));
    assert_false(has(&m, "hidden"));
    assert_true(has(&m, "scored"));
    for (size_t i = 0; i < xs_yrules_count(r); i++) {
        const xs_yrule *y = xs_yrules_get(r, i);
        assert_true(y->user);
        if (strcmp(y->rule.id, "scored") == 0) {
            assert_int_equal(y->severity, EXS_SEV_CRITICAL);
            assert_string_equal(y->rule.name, "d");
        }
    }
    xs_yscanner_destroy(sc);
    xs_yrules_destroy(r);
    unlink(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_and_ids), cmocka_unit_test(test_gate_convention),
        cmocka_unit_test(test_fixtures),     cmocka_unit_test(test_gate_random),
        cmocka_unit_test(test_broken_rule),  cmocka_unit_test(test_rule_error_words),
        cmocka_unit_test(test_user_externals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
