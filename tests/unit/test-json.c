/* JSON event objects flattened to pairs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "parsers/json.h"

static xs_json_pair p[32];
static char scratch[4096];

static size_t flat(const char *s, int *rc)
{
    size_t n = 0;
    *rc = xs_json_flat(s, strlen(s), p, 32, &n, scratch);
    return n;
}

static void assert_pair(size_t i, const char *k, const char *v)
{
    assert_int_equal(p[i].key.n, strlen(k));
    assert_memory_equal(p[i].key.p, k, p[i].key.n);
    assert_int_equal(p[i].value.n, strlen(v));
    assert_memory_equal(p[i].value.p, v, p[i].value.n);
}

static void test_flat_and_nested(void **st)
{
    (void)st;
    int rc;
    size_t n = flat(" {\"EventID\": 1, \"Image\":\"C:\\\\Windows\\\\cmd.exe\", \"winlog\":{\"event_data\":"
                    "{\"CommandLine\":\"cmd /c \\\"whoami\\\"\"}}, \"ok\":true, \"tags\":[\"a\",2]} ",
                    &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(n, 6);
    assert_pair(0, "EventID", "1");
    assert_pair(1, "Image", "C:\\Windows\\cmd.exe");
    assert_pair(2, "CommandLine", "cmd /c \"whoami\"");
    assert_pair(3, "ok", "true");
    assert_pair(4, "tags", "a");
    assert_pair(5, "tags", "2");
}

static void test_unicode(void **st)
{
    (void)st;
    int rc;
    size_t n = flat("{\"m\":\"caf\\u00e9 \\ud83d\\ude00 \\ud800x\"}", &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(n, 1);
    assert_pair(0, "m", "caf\xc3\xa9 \xf0\x9f\x98\x80 \xef\xbf\xbdx");
}

static void test_malformed(void **st)
{
    (void)st;
    int rc;
    size_t n = flat("{\"a\":\"1\",\"b\":", &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(n, 1); /* what parsed is kept */
    flat("{\"a\":1} trailing", &rc);
    assert_int_equal(rc, -1);
    flat("[1,2]", &rc);
    assert_int_equal(rc, -1);
    char deep[256];
    memset(deep, 0, sizeof deep);
    for (int i = 0; i < 40; i++)
        strcat(deep, "{\"a\":");
    flat(deep, &rc);
    assert_int_equal(rc, -1); /* depth cap, no stack exhaustion */
    flat("{\"a\":\"\\q\"}", &rc);
    assert_int_equal(rc, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flat_and_nested),
        cmocka_unit_test(test_unicode),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
