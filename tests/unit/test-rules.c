/* The rule table and the prefilter expressions: stable unique ids, every list compiles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "detectors/detect.h"
#include "detectors/webfolders.h"
#include "engines/prefilter.h"
#include "engines/prefilter_db.h"
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
    for (int k = 0; k < XS_KIND__COUNT; k++) {
        /* every kind is in the registry; a log kind has a reader and a set */
        assert_string_not_equal(xs_kind_name((xs_kind)k), "unknown");
        assert_true((xs_logkind_get((xs_kind)k) != NULL) == (xs_kind_patterns((xs_kind)k) != NULL));
        const xs_pattern_set *set = xs_kind_patterns((xs_kind)k);
        if (!set)
            continue;
        xs_prefilter *pf = NULL;
        char err[512] = "";
        exs_rc rc = xs_prefilter_compile(&pf, set, err, sizeof err);
        if (rc != EXS_OK)
            fail_msg("%s: %s", xs_kind_name((xs_kind)k), err);
        xs_prefilter_destroy(pf);
    }
    assert_string_equal(xs_kind_name(XS_KIND__COUNT), "unknown");
}

/* Every kind is one whole descriptor: at its own index, a unique name, a family; a kind read
 * by line has patterns, a row time and a state type that can be made and reset; places are
 * lowercase folders under one of XS_LOG_PARENTS; a container is found by its magic. */
static void test_kind_descriptors(void **st)
{
    (void)st;
    assert_null(xs_logkind_of(XS_KIND_NONE));
    assert_string_equal(xs_kind_name(XS_KIND_NONE), "none");
    xs_logstate *ls = xs_logstate_create();
    assert_non_null(ls);
    for (int k = 1; k < XS_KIND__COUNT; k++) {
        const xs_logkind *lk = xs_logkind_of((xs_kind)k);
        assert_non_null(lk);
        assert_int_equal(lk->kind, k);
        assert_non_null(lk->name);
        assert_non_null(lk->family);
        for (int j = 1; j < k; j++)
            assert_string_not_equal(lk->name, xs_kind_name((xs_kind)j));
        if (lk->row) {
            assert_non_null(lk->patterns);
            assert_non_null(lk->row_time);
            assert_true(lk->family[0] != 0);
            assert_int_equal(xs_logstate_reset(ls, lk), EXS_OK);
            assert_int_equal(ls->kind, k);
            assert_true((ls->own != NULL) == (lk->state != NULL));
        } else {
            assert_null(lk->patterns);
            assert_non_null(lk->sniff.magic); /* a container */
        }
        for (const xs_logplace *pl = lk->places; pl && pl->parent; pl++) {
            static const char *const parents[] = {XS_LOG_PARENTS};
            size_t in = 0;
            for (size_t i = 0; i < sizeof parents / sizeof parents[0]; i++)
                in += strcmp(pl->parent, parents[i]) == 0;
            assert_int_equal(in, 1); /* else location never asks it */
            for (const char *c = pl->folder; *c; c++)
                assert_false(*c >= 'A' && *c <= 'Z');
            assert_true(pl->refine || pl->folder[strlen(pl->folder) - 1] == '/');
            assert_true(pl->family[0] != 0);
        }
    }
    xs_logstate_destroy(ls);
}

static long lines_of_pf(xs_prefilter *pf, const char *buf, uint32_t **starts);

static long lines_of(const xs_pattern_set *set, const char *buf, uint32_t **starts)
{
    xs_prefilter *pf;
    assert_int_equal(xs_prefilter_compile(&pf, set, NULL, 0), EXS_OK);
    return lines_of_pf(pf, buf, starts);
}

/* Candidates of buf through pf, which it destroys. */
static long lines_of_pf(xs_prefilter *pf, const char *buf, uint32_t **starts)
{
    xs_pf_scratch *scr = NULL;
    assert_int_equal(xs_pf_scratch_grow(&scr, pf), EXS_OK);
    size_t cap = 0, len = strlen(buf);
    uint64_t *bits = malloc(XS_NLMAP_WORDS(len) * sizeof *bits + 8);
    assert_non_null(bits);
    xs_nlmap_build(bits, buf, len);
    const xs_nlmap nl = {bits, 0, len};
    long n = xs_prefilter_lines(pf, scr, buf, len, &nl, starts, &cap);
    free(bits);
    xs_pf_scratch_free(scr);
    xs_prefilter_destroy(pf);
    return n;
}

static void test_prefilter_triggers(void **st)
{
    (void)st;
    static const xs_pattern list[] = {{"serverinfo~", 0}, {"^#", 0}, {NULL, 0}};
    static const xs_pattern *const lists[] = {list, NULL};
    static const xs_pattern_set set = {lists, NULL};
    static const char buf[] = "#Fields: a\nplain\nx ServerInfo~a serverinfo~b\nplain\nSERVERINFO~\n";
    uint32_t *starts = NULL;
    assert_int_equal(lines_of(&set, buf, &starts), 3);
    assert_int_equal(starts[0], 0);
    assert_int_equal(starts[1], 17);
    assert_int_equal(starts[2], 51);
    free(starts);
}

static void test_prefilter_conjunctions(void **st)
{
    (void)st;
    /* "a" alone, "b" alone: nothing; a and b on one line: a candidate; a trigger always */
    static const xs_pattern list[] = {{"alpha", 1}, {"beta", 2}, {"gamma", 0}, {NULL, 0}};
    static const xs_pattern *const lists[] = {list, NULL};
    static const uint32_t conj[] = {3, 0};
    static const xs_pattern_set set = {lists, conj};
    static const char buf[] = "alpha\nbeta\nbeta x alpha\nalpha\ngamma\nbeta\nalpha beta";
    uint32_t *starts = NULL;
    assert_int_equal(lines_of(&set, buf, &starts), 3);
    assert_int_equal(starts[0], 11); /* "beta x alpha" */
    assert_int_equal(starts[1], 30); /* "gamma" */
    assert_int_equal(starts[2], 41); /* "alpha beta", last line without a break */
    free(starts);
}

/* Every kind's database was built into the library for its exact set, and gives the same
 * candidates as one compiled now; bytes the engine refuses fall back to compiling. */
static void test_prefilter_stored(void **st)
{
    (void)st;
    const char *buf = "#Fields: a b\n"
                      "POST /autodiscover/autodiscover.json @x/mapi/nspi/ - 443 - 1.1.1.1 x\n"
                      "GET /owa/ - 443 - 10.0.0.1 Mozilla\n"
                      "x,ServerInfo~a]@b:444/ecp/x,download failed and temporary file,y\n"
                      "Set-OabVirtualDirectory,New-MailboxExportRequest,powershell\n"
                      "{\"EventID\": 1}\n";
    size_t stored = 0;
    for (int k = 1; k < XS_KIND__COUNT; k++) {
        const xs_pattern_set *set = xs_kind_patterns((xs_kind)k);
        if (!set)
            continue;
        const xs_pf_blob *b = xs_pf_blob_find(xs_pattern_set_hash(set));
        assert_non_null(b);
        stored++;
        xs_prefilter *loaded, *refused;
        assert_int_equal(xs_prefilter_load(&loaded, set, b->bytes, b->len, NULL, 0), EXS_OK);
        assert_int_equal(xs_prefilter_load(&refused, set, b->bytes, 16, NULL, 0), EXS_OK);
        uint32_t *a = NULL, *c = NULL, *r = NULL;
        long na = lines_of(set, buf, &a);
        long nc = lines_of_pf(loaded, buf, &c);
        long nr = lines_of_pf(refused, buf, &r);
        assert_true(na > 0);
        assert_int_equal(nc, na);
        assert_int_equal(nr, na);
        assert_memory_equal(a, c, (size_t)na * sizeof *a);
        assert_memory_equal(a, r, (size_t)na * sizeof *a);
        free(a);
        free(c);
        free(r);
    }
    assert_true(stored >= 8);
    /* a set that differs by one expression has no stored database */
    static const xs_pattern other[] = {{"serverinfo~~", 0}, {NULL, 0}};
    static const xs_pattern *const lists[] = {other, NULL};
    static const xs_pattern_set set = {lists, NULL};
    assert_null(xs_pf_blob_find(xs_pattern_set_hash(&set)));
}

static void test_request_prefilter(void **st)
{
    (void)st;
    /* benign lines full of frequent words give no candidate; each attack shape gives one */
    const char *buf =
        "GET /autodiscover/autodiscover.json Email=u%40contoso.test&Protocol=EWS 443 - 10.0.0.1 Outlook\n"
        "POST /owa/service.svc action=GetItem 443 u 10.0.0.1 Mozilla\n"
        "POST /mapi/nspi/ MailboxId=x 443 u 10.0.0.1 Outlook\n"
        "POST /EWS/Exchange.asmx - 443 u 10.0.0.1 ExchangeServicesClient/15.00.0913.015\n"
        "GET /powershell serializationLevel=Full 80 u 10.0.0.1 Microsoft+WinRM+Client\n"
        "POST /autodiscover/autodiscover.json @evil.test/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.test 443 - 1.1.1.1 x\n"
        "POST /owa/mastermailbox%40outlook.com/powershell - 443 u 1.1.1.2 x\n"
        "GET /OWA/auth/evil.aspx - 443 - 1.1.1.3 x\n"
        "POST /ecp/y.js - 443 - 1.1.1.4 x\n"
        "POST /PowerShell clientApplication=x 444 u 1.1.1.5 x\n"
        "2021-03-01T00:00:00.000Z,r1,Oab,mail,%2Foab%5Cx%2EASPX,,,false,,,,x,1.1.1.6,EX,200\n"
        "GET /owa/auth/logon.aspx url=x 443 - 10.0.0.1 Mozilla\n"
        "GET /owa/auth/15.1.2106/scripts/boot.js - 443 - 10.0.0.1 Mozilla\n";
    const xs_pattern_set *set = xs_kind_patterns(XS_KIND_IIS);
    uint32_t *starts = NULL;
    long n = lines_of(set, buf, &starts);
    assert_int_equal(n, 8);
    assert_true(strncmp(buf + starts[0], "POST /autodiscover/", 19) == 0);
    assert_true(strncmp(buf + starts[1], "POST /owa/master", 16) == 0);
    assert_true(strncmp(buf + starts[2], "GET /OWA/auth/evil", 18) == 0);
    assert_true(strncmp(buf + starts[3], "POST /ecp/y.js", 14) == 0);
    assert_true(strncmp(buf + starts[4], "POST /PowerShell", 16) == 0);
    assert_true(strncmp(buf + starts[5], "2021-03-01", 10) == 0); /* encoded, in a CSV row */
    /* default pages and OWA's own scripts are judged in full */
    assert_true(strncmp(buf + starts[6], "GET /owa/auth/logon", 19) == 0);
    assert_true(strncmp(buf + starts[7], "GET /owa/auth/15.1", 18) == 0);
    free(starts);
}

/* CSV request logs may log the path decoded: a space, a '?' or a quoted comma inside the name
 * of a shell or carrier must not end the path for the line filter. */
static void test_request_prefilter_csv(void **st)
{
    (void)st;
    const char *buf =
        "2021-03-03T01:00:00.000Z,r1,15,1,2176,2,,Owa,mail,/owa/auth/my shell.cer,,,false,,,,x,1.1.1.1,EX,200\n"
        "2021-03-03T01:00:01.000Z,r2,15,1,2176,2,,Owa,mail,\"/owa/auth/a,b.asmx\",,,false,,,,x,1.1.1.2,EX,200\n"
        "2021-03-03T01:00:02.000Z,r3,15,1,2176,2,,Ecp,mail,/ecp/a b?.js,,,false,,,,x,1.1.1.3,EX,200\n"
        "2021-03-03T01:00:03.000Z,r4,15,1,2176,2,,Ews,mail,/EWS/Exchange.asmx,,Negotiate,true,u,,,Outlook,10.0.0.1,EX,200\n"
        "2021-03-03T01:00:04.000Z,r5,15,1,2176,2,,Autodiscover,mail,/autodiscover/autodiscover.json,,,false,,,,Outlook,10.0.0.1,EX,200\n";
    uint32_t *starts = NULL;
    long n = lines_of(xs_kind_patterns(XS_KIND_HTTPPROXY), buf, &starts);
    assert_int_equal(n, 3);
    assert_true(strstr(buf + starts[0], ",r1,") == buf + starts[0] + 24);
    assert_true(strstr(buf + starts[1], ",r2,") == buf + starts[1] + 24);
    assert_true(strstr(buf + starts[2], ",r3,") == buf + starts[2] + 24);
    free(starts);
    starts = NULL;
    /* the same names in W3C form: IIS writes the space as '+', the query after a space */
    const char *w3c = "GET /owa/auth/my+shell.cer - 443 - 1.1.1.1 x 200\n"
                      "POST /ecp/a+b.js - 443 - 1.1.1.3 x 200\n"
                      "GET /owa/auth/ q=y.asmx 443 - 10.0.0.1 x 200\n"; /* .asmx in the query */
    n = lines_of(xs_kind_patterns(XS_KIND_IIS), w3c, &starts);
    assert_int_equal(n, 2);
    free(starts);
}

/* Every script extension the web-shell detectors know passes the line filter under owa/auth,
 * ecp/auth and OAB, raw and in upper case: a request the prefilter drops is never judged. */
static void test_request_prefilter_script_exts(void **st)
{
    (void)st;
    size_t n;
    const char *const *ext = xs_web_script_exts(&n);
    assert_true(n >= 20);
    static char buf[16384];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char up[16];
        size_t k = 0;
        for (; ext[i][k] && k + 1 < sizeof up; k++)
            up[k] = (char)(ext[i][k] >= 'a' && ext[i][k] <= 'z' ? ext[i][k] - 32 : ext[i][k]);
        up[k] = 0;
        o += (size_t)snprintf(buf + o, sizeof buf - o,
                              "GET /owa/auth/x%s - 443 - 1.1.1.3 x 200\n"
                              "GET /ecp/auth/x%s - 443 - 1.1.1.3 x 200\n"
                              "GET /oab/x%s - 443 - 1.1.1.3 x 200\n",
                              ext[i], up, ext[i]);
        assert_true(o < sizeof buf);
    }
    uint32_t *starts = NULL;
    assert_int_equal(lines_of(xs_kind_patterns(XS_KIND_IIS), buf, &starts), (long)(3 * n));
    free(starts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_prefilters_compile),
        cmocka_unit_test(test_kind_descriptors),
        cmocka_unit_test(test_prefilter_triggers),
        cmocka_unit_test(test_prefilter_conjunctions),
        cmocka_unit_test(test_prefilter_stored),
        cmocka_unit_test(test_request_prefilter),
        cmocka_unit_test(test_request_prefilter_script_exts),
        cmocka_unit_test(test_request_prefilter_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
