/* Timestamps to UTC milliseconds and back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/timeparse.h"
#include "detectors/detect.h"
#include "exsweep/finding.h"

#define T_20210303_064942162 1614754182162LL

static int64_t iso(const char *s)
{
    return xs_time_parse_iso(xs_str_cstr(s));
}

static void test_iso(void **st)
{
    (void)st;
    assert_int_equal(iso("2021-03-03T06:49:42.162Z"), T_20210303_064942162);
    assert_int_equal(iso("2021-03-03 06:49:42.162"), T_20210303_064942162);
    assert_int_equal(iso("2021-03-03T06:49:42.1620000Z"), T_20210303_064942162);
    assert_int_equal(iso("2021-03-03T08:49:42.162+02:00"), T_20210303_064942162);
    assert_int_equal(iso("2021-03-03T06:49:42Z"), T_20210303_064942162 - 162);
    assert_int_equal(iso("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(iso("2021-13-03T06:49:42Z"), EXS_TIME_NONE);
    assert_int_equal(iso("2021-03-03T06:49:42.162Zjunk"), EXS_TIME_NONE);
    assert_int_equal(iso("2021-03-03"), EXS_TIME_NONE);
    assert_int_equal(iso(""), EXS_TIME_NONE);
    assert_int_equal(xs_time_parse_iso(XS_STR_NULL), EXS_TIME_NONE);
}

static void test_w3c(void **st)
{
    (void)st;
    assert_int_equal(xs_time_parse_w3c(XS_LIT("2021-03-03"), XS_LIT("06:49:42")),
                     T_20210303_064942162 - 162);
    assert_int_equal(xs_time_parse_w3c(XS_LIT("2021-03-03"), XS_LIT("6:49:42")), EXS_TIME_NONE);
    assert_int_equal(xs_time_parse_w3c(XS_STR_NULL, XS_LIT("06:49:42")), EXS_TIME_NONE);
}

static void test_format(void **st)
{
    (void)st;
    char out[32];
    xs_time_format(T_20210303_064942162, out);
    assert_string_equal(out, "2021-03-03T06:49:42.162Z");
    xs_time_format(EXS_TIME_NONE, out);
    assert_string_equal(out, "-");
    xs_time_format(-1, out);
    assert_string_equal(out, "1969-12-31T23:59:59.999Z");
    xs_time_format(-86400000, out);
    assert_string_equal(out, "1969-12-31T00:00:00.000Z");
    xs_time_format(-86400001, out);
    assert_string_equal(out, "1969-12-30T23:59:59.999Z");
    /* the far ends of int64 are no date, and asking does not overflow */
    assert_false(xs_time_formattable(INT64_MIN + 1));
    assert_false(xs_time_formattable(INT64_MAX));
    xs_time_format(INT64_MIN + 1, out);
    assert_string_equal(out, "-");
}

static void test_find(void **st)
{
    (void)st;
    assert_int_equal(xs_find_time(XS_LIT("\"2021-03-03T06:49:42.162Z\",\"x\"")), T_20210303_064942162);
    assert_int_equal(xs_find_time(XS_LIT("[info] 2021-03-03 06:49:42 Download failed")),
                     T_20210303_064942162 - 162);
    assert_int_equal(xs_find_time(XS_LIT("no time here")), EXS_TIME_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso),
        cmocka_unit_test(test_w3c),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
