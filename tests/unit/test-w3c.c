/* IIS W3C: directives, schema changes, splitting, surplus tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "parsers/w3c.h"

static xs_w3c_schema s;
static xs_w3c_row row;

static void split(const char *l)
{
    xs_w3c_split(&s, l, strlen(l), &row);
}

static void assert_get(enum xs_w3c_field f, const char *want)
{
    xs_str v = xs_w3c_get(&s, &row, f);
    if (!want) {
        assert_int_equal(v.n, 0);
        return;
    }
    assert_int_equal(v.n, strlen(want));
    assert_memory_equal(v.p, want, v.n);
}

static const char line[] = "2021-03-05 03:06:27 10.0.0.5 GET /owa/auth/x.aspx &CorrelationID=<empty>; "
                           "443 - 192.0.2.9 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 133\r";

static void test_default(void **st)
{
    (void)st;
    xs_w3c_schema_default(&s);
    assert_int_equal(s.n, 15);
    split(line);
    assert_int_equal(row.n, 15);
    assert_false(row.merged);
    assert_get(W3C_DATE, "2021-03-05");
    assert_get(W3C_METHOD, "GET");
    assert_get(W3C_STEM, "/owa/auth/x.aspx");
    assert_get(W3C_USER, NULL); /* "-" reads as empty */
    assert_get(W3C_C_IP, "192.0.2.9");
    assert_get(W3C_UA, "Mozilla/5.0+(Windows+NT+10.0)");
    assert_get(W3C_STATUS, "200");
    assert_get(W3C_TIME_TAKEN, "133"); /* CR dropped */
    assert_true(xs_w3c_looks_like_row(line, strlen(line)));
}

static void test_fields_change(void **st)
{
    (void)st;
    xs_w3c_schema_default(&s);
    static const char d[] = "#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent) X-Forwarded-For";
    assert_true(xs_w3c_directive(&s, d, strlen(d)));
    assert_int_equal(s.n, 8);
    split("2021-03-05 03:06:27 10.0.0.1 POST /ecp/y.js 200 python-requests/2.25.1 203.0.113.5");
    assert_get(W3C_C_IP, "10.0.0.1");
    assert_get(W3C_XFF, "203.0.113.5");
    assert_get(W3C_QUERY, NULL); /* not in this schema */
    static const char sp[] = "# Fields: time cs-uri";
    assert_true(xs_w3c_directive(&s, sp, strlen(sp)));
    assert_int_equal(s.n, 2);
    static const char dd[] = "#Date: 2021-03-06 00:00:00";
    assert_false(xs_w3c_directive(&s, dd, strlen(dd)));
    assert_string_equal(s.date, "2021-03-06");
    static const char other[] = "#Software: Microsoft Internet Information Services 10.0";
    assert_false(xs_w3c_directive(&s, other, strlen(other)));
    assert_int_equal(s.n, 2);
}

static void test_surplus_into_ua(void **st)
{
    (void)st;
    xs_w3c_schema_default(&s);
    /* a hand-made log with raw spaces in the user agent */
    split("2023-12-25 11:54:21 10.10.130.5 GET /owa/auth/a.aspx cmd=whoami 443 - 1.2.3.4 "
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/121 - 200 0 0 142");
    assert_true(row.merged);
    assert_int_equal(row.n, 15);
    assert_get(W3C_UA, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/121");
    assert_get(W3C_STATUS, "200");
    assert_get(W3C_QUERY, "cmd=whoami");
}

static void test_short_and_junk(void **st)
{
    (void)st;
    xs_w3c_schema_default(&s);
    split("-----");
    assert_true(row.short_row);
    assert_get(W3C_STATUS, NULL);
    assert_false(xs_w3c_looks_like_row("-----", 5));
    split("");
    assert_int_equal(row.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_fields_change),
        cmocka_unit_test(test_surplus_into_ua),
        cmocka_unit_test(test_short_and_junk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
