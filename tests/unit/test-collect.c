/* The collection spec's places (lib/sources/collect.c): derived from the log kinds' places,
 * and the glob meaning the tests apply to fixture trees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "sources/collect.h"

#define ROOT "Program Files/Microsoft/Exchange Server/V15"

static const xs_collect *find(const xs_collect *c, size_t n, const char *glob)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].glob, glob) == 0)
            return &c[i];
    return NULL;
}

static void test_places(void **st)
{
    (void)st;
    xs_collect c[128];
    size_t n = xs_collect_spec(c, 128);
    assert_true(n > 20);
    const xs_collect *hp = find(c, n, "Logging\\httpproxy\\**");
    assert_non_null(hp);
    assert_int_equal(hp->base, XS_CB_EXCHANGE);
    assert_true(hp->logs);
    const xs_collect *iis = find(c, n, "inetpub\\logs\\LogFiles\\w3svc*\\**");
    assert_non_null(iis);
    assert_int_equal(iis->base, XS_CB_DRIVE);
    assert_non_null(find(c, n, "Windows\\System32\\LogFiles\\httperr\\**"));
    assert_null(find(c, n, "inetpub\\logs\\LogFiles\\httperr\\**")); /* HTTPERR's own base */
    assert_non_null(find(c, n, "Windows\\System32\\config\\SOFTWARE*"));
    /* a short buffer gets the first ones only */
    assert_int_equal(xs_collect_spec(c, 3), 3);
}

static void test_match(void **st)
{
    (void)st;
    xs_collect c[128];
    size_t n = xs_collect_spec(c, 128);
    const xs_collect *hp = find(c, n, "Logging\\httpproxy\\**");
    assert_true(xs_collect_match(hp, ROOT "/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG", ROOT));
    assert_false(xs_collect_match(hp, ROOT "/Logging/Ews/Ews_1.LOG", ROOT));
    assert_false(xs_collect_match(hp, "E/Exchange/Logging/HttpProxy/x.log", ROOT));
    assert_true(xs_collect_match(hp, "Exchange/Logging/HttpProxy/x.log", "Exchange"));
    const xs_collect *pd = find(c, n, "ProgramData\\*");
    assert_true(xs_collect_match(pd, "ProgramData/it.zip", ROOT));
    assert_false(xs_collect_match(pd, "ProgramData/a/b.zip", ROOT)); /* * stays in one name */
    const xs_collect *ev = find(c, n, "Windows\\System32\\winevt\\Logs\\*.evtx");
    assert_true(xs_collect_match(ev, "windows/system32/WINEVT/logs/Security.EVTX", ROOT));
    assert_false(xs_collect_match(ev, "Windows/System32/winevt/Logs/Security.evtx.bak", ROOT));
    const xs_collect *iis = find(c, n, "inetpub\\logs\\LogFiles\\w3svc*\\**");
    assert_true(xs_collect_match(iis, "inetpub/logs/LogFiles/W3SVC2/u_ex210303.log", ROOT));
    assert_false(xs_collect_match(iis, "inetpub/logs/LogFiles/FTPSVC1/u_ex210303.log", ROOT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
