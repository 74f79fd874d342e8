/* The rule table and the prefilter expressions: stable unique ids, every list compiles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "detectors/detect.h"
#include "engines/prefilter.h"
#include "exsweep/exsweep.h"
#include "logs/kinds.h"

static void test_ids(void **st)
{
    (void)st;
    size_t n;
    const exs_rule *r = exs_rules(&n);
    assert_true(n >= 28);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(r[i].id);
        assert_true(strncmp(r[i].id, "EXS-", 4) == 0);
        assert_non_null(r[i].name);
        assert_non_null(r[i].cves);
        assert_non_null(r[i].family);
        assert_true(strlen(r[i].description) > 20);
        for (size_t j = 0; j < i; j++)
            assert_true(strcmp(r[i].id, r[j].id) != 0);
        /* CVE lists are comma-separated CVE ids */
        for (const char *p = r[i].cves; *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : p + strlen(p))
            assert_true(strncmp(p, "CVE-20", 6) == 0);
    }
}

static void test_prefilters_compile(void **st)
{
    (void)st;
    for (int k = 0; k < EXS_KIND__COUNT; k++) {
        const char *const *const *lists = exs_kind_patterns((exs_kind)k);
        if (!lists)
            continue;
        size_t n = 0;
        while (lists[n])
            n++;
        exs_prefilter *pf = NULL;
        char err[512] = "";
        exs_rc rc = exs_prefilter_compile(&pf, lists, n, err, sizeof err);
        if (rc != EXS_OK)
            fail_msg("%s: %s", exs_kind_name((exs_kind)k), err);
        exs_prefilter_destroy(pf);
    }
}

static void test_prefilter_lines(void **st)
{
    (void)st;
    static const char *const list[] = {"serverinfo~", "^#", NULL};
    static const char *const *const lists[] = {list};
    exs_prefilter *pf;
    assert_int_equal(exs_prefilter_compile(&pf, lists, 1, NULL, 0), EXS_OK);
    exs_pf_scratch *scr = NULL;
    assert_int_equal(exs_pf_scratch_grow(&scr, pf), EXS_OK);
    static const char buf[] = "#Fields: a\nplain\nx ServerInfo~a serverinfo~b\nplain\nSERVERINFO~\n";
    uint32_t *starts = NULL;
    size_t cap = 0;
    long n = exs_prefilter_lines(pf, scr, buf, sizeof buf - 1, &starts, &cap);
    assert_int_equal(n, 3);
    assert_int_equal(starts[0], 0);
    assert_int_equal(starts[1], 17);
    assert_int_equal(starts[2], 51);
    free(starts);
    exs_pf_scratch_free(scr);
    exs_prefilter_destroy(pf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_prefilters_compile),
        cmocka_unit_test(test_prefilter_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
