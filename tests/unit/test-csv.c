/* Exchange CSV: RFC 4180 splitting, schemas, header detection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/csv.h"

static xs_csv_row row;
static char scratch[4096];

static void split(const char *s)
{
    xs_csv_split(s, strlen(s), &row, scratch);
}

static void assert_field(size_t i, const char *want)
{
    assert_true(i < row.n);
    assert_int_equal(row.f[i].n, strlen(want));
    assert_memory_equal(row.f[i].p, want, row.f[i].n);
}

static void test_plain_and_empty(void **st)
{
    (void)st;
    split("a,,c,");
    assert_int_equal(row.n, 4);
    assert_field(0, "a");
    assert_field(1, "");
    assert_field(2, "c");
    assert_field(3, "");
    assert_false(row.bad_quote);
}

static void test_quotes(void **st)
{
    (void)st;
    split("\"x,y\",\"say \"\"hi\"\"\",\"\",z\r");
    assert_int_equal(row.n, 4);
    assert_field(0, "x,y");
    assert_field(1, "say \"hi\"");
    assert_field(2, "");
    assert_field(3, "z"); /* trailing CR dropped */
    assert_false(row.bad_quote);
}

static void test_bad_quotes(void **st)
{
    (void)st;
    split("\"abc\"def,g");
    assert_true(row.bad_quote);
    assert_int_equal(row.n, 2);
    assert_field(0, "abc");
    assert_field(1, "g");
    split("a,\"never closed");
    assert_true(row.bad_quote);
    assert_field(1, "never closed");
}

static void test_too_many_fields(void **st)
{
    (void)st;
    char *s = malloc(XS_MAX_FIELDS * 2 + 10);
    size_t o = 0;
    for (int i = 0; i < XS_MAX_FIELDS + 5; i++) {
        s[o++] = 'x';
        s[o++] = ',';
    }
    s[o - 1] = 0;
    xs_csv_split(s, strlen(s), &row, scratch);
    assert_int_equal(row.n, XS_MAX_FIELDS);
    assert_true(row.merged);
    /* the last field holds the rest of the line, untouched */
    assert_int_equal(row.f[XS_MAX_FIELDS - 1].n, 11);
    free(s);
}

static void test_schema_names(void **st)
{
    (void)st;
    static xs_csv_schema s;
    split("\xEF\xBB\xBF" "DateTime,AnchorMailbox,,UserAgent,anchormailbox,AnchorMailbox");
    xs_csv_schema_set(&s, &row);
    assert_int_equal(s.n, 6);
    assert_int_equal(xs_csv_schema_find(&s, "datetime"), 0); /* BOM stripped, any case */
    assert_int_equal(xs_csv_schema_find(&s, "ANCHORMAILBOX"), 1); /* first copy wins */
    assert_int_equal(xs_csv_schema_find(&s, "#3"), 2);            /* empty name */
    assert_int_equal(xs_csv_schema_find(&s, "AnchorMailbox#2"), 4);
    assert_int_equal(xs_csv_schema_find(&s, "AnchorMailbox#3"), 5);
    assert_int_equal(xs_csv_schema_find(&s, "Nope"), -1);
}

static void test_schema_hostile_header(void **st)
{
    (void)st;
    /* 512 equal names: numbered, bounded work, never past the name area */
    static xs_csv_schema s;
    char *h = malloc(XS_MAX_FIELDS * 200);
    size_t o = 0;
    for (int i = 0; i < XS_MAX_FIELDS; i++) {
        memset(h + o, 'n', 150);
        o += 150;
        h[o++] = ',';
    }
    h[o - 1] = 0;
    xs_csv_split(h, strlen(h), &row, scratch);
    xs_csv_schema_set(&s, &row);
    assert_int_equal(s.n, XS_MAX_FIELDS);
    assert_true(s.used <= sizeof s.names);
    assert_int_equal(s.renamed, XS_MAX_FIELDS - 1);
    /* each 150-byte name is cut to XS_MAX_FIELD_NAME; copies are numbered while the name
     * area has room beyond what positional names of the columns left need, then positional:
     * never empty, every column stays findable */
    char cut[XS_MAX_FIELD_NAME + 1], want[XS_MAX_FIELD_NAME + 32];
    memset(cut, 'n', XS_MAX_FIELD_NAME);
    cut[XS_MAX_FIELD_NAME] = 0;
    size_t phases[3] = {0}; /* cut, numbered, positional: in this order */
    int last = 0;
    for (size_t i = 0; i < s.n; i++) {
        xs_str nm = xs_csv_schema_name(&s, i);
        int ph;
        if (i == 0) {
            ph = 0;
            snprintf(want, sizeof want, "%s", cut);
        } else if (nm.n > XS_MAX_FIELD_NAME) {
            ph = 1;
            snprintf(want, sizeof want, "%s#%zu", cut, i + 1);
        } else {
            ph = 2;
            snprintf(want, sizeof want, "#%zu", i + 1);
        }
        if (nm.n != strlen(want) || memcmp(nm.p, want, nm.n) != 0)
            fail_msg("column %zu is '%.*s', not '%s'", i, (int)nm.n, nm.p, want);
        assert_true(ph >= last);
        last = ph;
        phases[ph]++;
    }
    for (int ph = 0; ph < 3; ph++)
        assert_true(phases[ph] > 0);
    assert_int_equal(xs_csv_schema_find(&s, cut), 0);
    assert_int_equal(xs_csv_schema_find(&s, "#512"), XS_MAX_FIELDS - 1);
    free(h);
}

static void test_default_lists(void **st)
{
    (void)st;
    static xs_csv_schema s;
    xs_csv_schema_set_list(&s, xs_csv_fields_httpproxy);
    assert_int_equal(s.n, 74);
    assert_int_equal(xs_csv_schema_find(&s, "AnchorMailbox"), 15);
    assert_int_equal(xs_csv_schema_find(&s, "RoutingStatus"), 73);
    xs_csv_schema_set_list(&s, xs_csv_fields_rpshttp);
    assert_int_equal(s.n, 38);
    xs_csv_schema_set_list(&s, xs_csv_fields_ecp);
    assert_int_equal(xs_csv_schema_find(&s, "EventData"), 3);
}

static void test_header_detection(void **st)
{
    (void)st;
    split("DateTime,RequestId,MajorVersion,UrlStem");
    assert_true(xs_csv_looks_like_header(&row));
    split("\"DateTime\",\"ClientIpAddress\",\"AnchorMailbox\"");
    assert_true(xs_csv_looks_like_header(&row));
    split("timestamp,hostname,urlpath,useragent,httpstatuskode,http-metode");
    assert_true(xs_csv_looks_like_header(&row));
    split("2021-03-03T06:49:42.162Z,xxx,15,1");
    assert_false(xs_csv_looks_like_header(&row));
    split("onlyone");
    assert_false(xs_csv_looks_like_header(&row));
    split("a,b=c;d");
    assert_false(xs_csv_looks_like_header(&row));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_empty),  cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_bad_quotes),       cmocka_unit_test(test_too_many_fields),
        cmocka_unit_test(test_schema_names),     cmocka_unit_test(test_schema_hostile_header),
        cmocka_unit_test(test_default_lists),    cmocka_unit_test(test_header_detection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
