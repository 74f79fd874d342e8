/* Escaping attacker bytes for every output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"

static char out[4096];

static const char *run(void (*fn)(FILE *, const char *, size_t), const char *in, size_t n)
{
    FILE *f = fmemopen(out, sizeof out, "w");
    fn(f, in, n);
    fclose(f);
    return out;
}

static void term0(FILE *f, const char *p, size_t n)
{
    xs_esc_term(f, p, n, 0);
}

static void term5(FILE *f, const char *p, size_t n)
{
    xs_esc_term(f, p, n, 5);
}

#define R(fn, lit) run(fn, lit, sizeof(lit) - 1)

static void test_json(void **st)
{
    (void)st;
    assert_string_equal(R(xs_esc_json, "a\"b\\c\n\x01"), "a\\\"b\\\\c\\n\\u0001");
    assert_string_equal(R(xs_esc_json, "caf\xc3\xa9"), "caf\xc3\xa9");
    assert_string_equal(R(xs_esc_json, "bad\xff\xc3"), "bad\\ufffd\\ufffd");
    assert_string_equal(R(xs_esc_json, "\xe2\x80\xae" "x"), "\\u202ex"); /* RLO */
    assert_string_equal(R(xs_esc_json, "\xc2\x85"), "\\u0085");          /* C1 */
}

/* JSON for a <script type="application/json"> block: nothing can end the block or open a
 * comment in it; the rest as xs_esc_json (U+2028/9 included). */
static void test_json_html(void **st)
{
    (void)st;
    assert_string_equal(R(xs_esc_json_html, "</script><!--a&b>"),
                        "\\u003c/script\\u003e\\u003c!--a\\u0026b\\u003e");
    assert_string_equal(R(xs_esc_json_html, "\xe2\x80\xa8\xe2\x80\xa9\"\\\xff"),
                        "\\u2028\\u2029\\\"\\\\\\ufffd");
    assert_string_equal(R(xs_esc_json_html, "caf\xc3\xa9 ok"), "caf\xc3\xa9 ok");
    assert_string_equal(R(xs_esc_json, "</script>&"), "</script>&"); /* plain JSON keeps them */
}

static void test_term(void **st)
{
    (void)st;
    assert_string_equal(R(term0, "\x1b[31mred\x07"), "\\x1b[31mred\\x07");
    assert_string_equal(R(term0, "\xff ok"), "\\xff ok");
    assert_string_equal(R(term0, "\xe2\x80\xae"), "\\u{202e}");
    assert_string_equal(R(term5, "abcdefgh"), "abcde...");
}

static void test_csv(void **st)
{
    (void)st;
    assert_string_equal(R(xs_esc_csv, "=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    assert_string_equal(R(xs_esc_csv, "+1"), "\"'+1\"");
    assert_string_equal(R(xs_esc_csv, "-2"), "\"'-2\"");
    assert_string_equal(R(xs_esc_csv, "@SUM"), "\"'@SUM\"");
    assert_string_equal(R(xs_esc_csv, "  =1+1"), "\"'  =1+1\"");
    assert_string_equal(R(xs_esc_csv, " a=1"), "\" a=1\"");
    assert_string_equal(R(xs_esc_csv, "   "), "\"   \"");
    assert_string_equal(R(xs_esc_csv, "a,b\nc"), "\"a,b\\x0ac\"");
    assert_string_equal(R(xs_esc_csv, ""), "\"\"");
}

static void test_html(void **st)
{
    (void)st;
    assert_string_equal(R(xs_esc_html, "<script>alert('x')&\"</script>"),
                        "&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;");
}

static void test_utf8(void **st)
{
    (void)st;
    assert_true(xs_utf8_valid("caf\xc3\xa9", 5));
    assert_false(xs_utf8_valid("\xc0\xaf", 2));         /* overlong */
    assert_false(xs_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(xs_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(xs_utf8_valid("\xe2\x82", 2));         /* truncated */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json), cmocka_unit_test(test_json_html),
        cmocka_unit_test(test_term), cmocka_unit_test(test_csv),
        cmocka_unit_test(test_html), cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
