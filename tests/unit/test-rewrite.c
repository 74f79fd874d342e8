/* URL Rewrite rules of IIS configuration (lib/parsers/rewrite.c): what a rule holds, and the
 * caps on rules and conditions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/rewrite.h"

typedef struct seen {
    size_t n;
    char names[8][64];
    bool enabled[8], outbound[8];
    size_t ncond[8], over[8];
    char action[8][32], pattern0[8][96];
} seen;

static void on_rule(void *ctx, const xs_rw_rule *r)
{
    seen *s = ctx;
    if (s->n < 8) {
        snprintf(s->names[s->n], 64, "%.*s", (int)r->name.n, r->name.p ? r->name.p : "");
        snprintf(s->action[s->n], 32, "%.*s", (int)r->action.n, r->action.p ? r->action.p : "");
        snprintf(s->pattern0[s->n], 96, "%.*s", r->ncond ? (int)r->cond[0].pattern.n : 0,
                 r->ncond ? r->cond[0].pattern.p : "");
        s->enabled[s->n] = r->enabled;
        s->outbound[s->n] = r->outbound;
        s->ncond[s->n] = r->ncond;
        s->over[s->n] = r->conds_over;
    }
    s->n++;
}

static void test_rules(void **st)
{
    (void)st;
    const char *cfg =
        "<rewrite><rules><rule name=\"X-BEResource Abort - inbound\" stopProcessing=\"true\">"
        "<match url=\".*\" /><conditions><add input=\"{HTTP_COOKIE}\" "
        "pattern=\"(.*)X-BEResource=(.+)/(.+)~(.+)\" /></conditions><action type=\"AbortRequest\" />"
        "</rule><rule name=\"off\" enabled=\"false\" /></rules><outboundRules><rule name=\"o\">"
        "<action type=\"Rewrite\" /></rule></outboundRules></rewrite>";
    seen s = {0};
    assert_int_equal(xs_rewrite_rules(cfg, strlen(cfg), on_rule, &s), 3);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.names[0], "X-BEResource Abort - inbound");
    assert_true(s.enabled[0]);
    assert_false(s.outbound[0]);
    assert_string_equal(s.action[0], "AbortRequest");
    assert_int_equal(s.ncond[0], 1);
    assert_string_equal(s.pattern0[0], "(.*)X-BEResource=(.+)/(.+)~(.+)");
    assert_string_equal(s.names[1], "off");
    assert_false(s.enabled[1]);
    assert_string_equal(s.names[2], "o");
    assert_true(s.outbound[2]);
    /* no rules at all */
    seen z = {0};
    assert_int_equal(xs_rewrite_rules("<configuration/>", 16, on_rule, &z), 0);
}

static void test_caps(void **st)
{
    (void)st;
    size_t cap = (XS_MAX_REWRITE_RULES + 5) * 40 + XS_MAX_REWRITE_CONDS * 40 + 256;
    char *b = malloc(cap);
    assert_non_null(b);
    size_t o = (size_t)snprintf(b, cap, "<rules><rule name=\"many\"><conditions>");
    for (int i = 0; i < XS_MAX_REWRITE_CONDS + 3; i++)
        o += (size_t)snprintf(b + o, cap - o, "<add input=\"x\" pattern=\"p%d\"/>", i);
    o += (size_t)snprintf(b + o, cap - o, "</conditions></rule>");
    for (int i = 0; i < XS_MAX_REWRITE_RULES + 4; i++)
        o += (size_t)snprintf(b + o, cap - o, "<rule name=\"r\"/>");
    seen s = {0};
    size_t n = xs_rewrite_rules(b, o, on_rule, &s);
    assert_int_equal(n, XS_MAX_REWRITE_RULES + 5);   /* counted ... */
    assert_int_equal(s.n, XS_MAX_REWRITE_RULES);     /* ... reported up to the cap */
    assert_int_equal(s.ncond[0], XS_MAX_REWRITE_CONDS);
    assert_int_equal(s.over[0], 3);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
