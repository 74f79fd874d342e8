/* The caps of the script reader and its behaviour analysis (core/limits.h, XS_SCRIPT_*): each
 * is reached, the reader says so, and what lies within it is still read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "detectors/scriptflow.h"
#include "parsers/script.h"

typedef struct big {
    char *p;
    size_t n, cap;
} big;

static void add(big *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        assert_true(k >= 0);
        if (b->p && (size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        b->cap = b->cap ? b->cap * 2 + (size_t)k : 4096 + (size_t)k;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
}

static void fill(big *b, char c, size_t n)
{
    while (b->cap - b->n < n + 1) {
        b->cap = b->cap ? b->cap * 2 : 4096;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memset(b->p + b->n, c, n);
    b->n += n;
    b->p[b->n] = 0;
}

static int score_of(const char *page, size_t n, const char *ext, xs_wsk k)
{
    xs_script s;
    assert_true(xs_script_read(page, n, ext, &s));
    xs_wsreport r;
    assert_true(xs_scriptflow(&s, 0, &r));
    xs_script_free(&s);
    return r.flow[k].score;
}

/* XS_SCRIPT_MAX_BYTES: code past it is not read, and the reader says so. */
static void test_max_bytes(void **st)
{
    (void)st;
    big b = {0};
    add(&b, "<%% a = 1 %%>");
    fill(&b, ' ', XS_SCRIPT_MAX_BYTES);
    add(&b, "<%% b = 2 %%>");
    xs_script s;
    assert_true(xs_script_read(b.p, b.n, ".asp", &s));
    assert_true(s.truncated);
    assert_int_equal(s.regions, 1);
    xs_script_free(&s);
    free(b.p);
}

/* XS_SCRIPT_MAX_TOKENS */
static void test_max_tokens(void **st)
{
    (void)st;
    big b = {0};
    add(&b, "<%%");
    for (size_t i = 0; i < XS_SCRIPT_MAX_TOKENS + 10; i++)
        add(&b, " a");
    add(&b, " %%>");
    xs_script s;
    assert_true(xs_script_read(b.p, b.n, ".asp", &s));
    assert_true(s.truncated);
    assert_int_equal(s.ntok, XS_SCRIPT_MAX_TOKENS);
    xs_script_free(&s);
    free(b.p);
}

/* XS_SCRIPT_MAX_TEXT: a Replace that would build more text than the cap is left as written. */
static void test_max_text(void **st)
{
    (void)st;
    big b = {0};
    add(&b, "<%% x = Replace(\"");
    fill(&b, 'a', 1u << 20);
    add(&b, "\", \"a\", \"aaaaaaaaaaaaaaaaaaaa\") %%>");
    xs_script s;
    assert_true(xs_script_read(b.p, b.n, ".asp", &s));
    assert_true(s.truncated);
    assert_true(s.ntext <= XS_SCRIPT_MAX_TEXT);
    bool replace_left = false;
    for (size_t i = 0; i < s.ntok; i++)
        replace_left |= xs_tok_is(&s, &s.tok[i], "replace");
    assert_true(replace_left);
    xs_script_free(&s);
    free(b.p);
}

/* XS_SCRIPT_MAX_LAYERS: code in a string in a string ... is read XS_SCRIPT_MAX_LAYERS deep. */
static void test_max_layers(void **st)
{
    (void)st;
    /* Execute "Execute ""Execute """"..."""" """, each layer doubling the quotes */
    char inner[4096] = "x = 1", next[4096];
    for (int layer = 0; layer < XS_SCRIPT_MAX_LAYERS + 2; layer++) {
        size_t o = 0;
        o += (size_t)snprintf(next + o, sizeof next - o, "Execute \"");
        for (const char *p = inner; *p && o + 3 < sizeof next; p++) {
            next[o++] = *p;
            if (*p == '"')
                next[o++] = '"';
        }
        snprintf(next + o, sizeof next - o, "\"");
        memcpy(inner, next, sizeof inner);
    }
    char page[4200];
    snprintf(page, sizeof page, "<%%\n%s\n%%>", inner);
    xs_script s;
    assert_true(xs_script_read(page, strlen(page), ".asp", &s));
    unsigned deepest = 0;
    for (size_t i = 0; i < s.ntok; i++)
        if (s.tok[i].layer > deepest)
            deepest = s.tok[i].layer;
    assert_int_equal(deepest, XS_SCRIPT_MAX_LAYERS);
    xs_script_free(&s);
}

/* XS_SCRIPT_MAX_DECODES: literals read again as code, per script. */
static void test_max_decodes(void **st)
{
    (void)st;
    big b = {0};
    add(&b, "<%%\n");
    for (int i = 0; i < XS_SCRIPT_MAX_DECODES + 20; i++)
        add(&b, "Execute \"y%d = %d\"\n", i, i);
    add(&b, "%%>");
    xs_script s;
    assert_true(xs_script_read(b.p, b.n, ".asp", &s));
    assert_int_equal(s.ndecoded, XS_SCRIPT_MAX_DECODES);
    assert_true(s.truncated);
    xs_script_free(&s);
    free(b.p);
}

/* XS_SCRIPT_MAX_XOR_KEYS: the first keys of the script are tried, later ones are not. */
static void test_max_xor_keys(void **st)
{
    (void)st;
    const char *plain = "eval request(chr(120))";
    char enc[64];
    for (int pick = 0; pick < 2; pick++) {
        /* the encoding key is the last tried (8th) or the first not tried (9th) */
        int key = pick == 0 ? XS_SCRIPT_MAX_XOR_KEYS : XS_SCRIPT_MAX_XOR_KEYS + 1;
        size_t n = strlen(plain);
        for (size_t i = 0; i < n; i++)
            enc[i] = (char)(plain[i] ^ key);
        enc[n] = 0;
        big b = {0};
        add(&b, "<%%\n");
        for (int k = 1; k <= XS_SCRIPT_MAX_XOR_KEYS + 1; k++)
            add(&b, "t%d = Asc(\"a\") Xor %d\n", k, k);
        add(&b, "s = \"");
        for (size_t i = 0; i < n; i++)
            add(&b, enc[i] == '"' ? "\"\"" : "%c", enc[i]);
        add(&b, "\"\nExecute k\n%%>");
        xs_script s;
        assert_true(xs_script_read(b.p, b.n, ".asp", &s));
        assert_int_equal(s.ndecoded > 0, pick == 0);
        xs_script_free(&s);
        free(b.p);
    }
}

/* XS_SCRIPT_MAX_CONTROLS */
static void test_max_controls(void **st)
{
    (void)st;
    big b = {0};
    for (int i = 0; i < XS_SCRIPT_MAX_CONTROLS + 5; i++)
        add(&b, "<asp:TextBox ID=\"t%d\" runat=\"server\" />\n", i);
    xs_script s;
    assert_true(xs_script_read(b.p, b.n, ".aspx", &s));
    assert_int_equal(s.nctl, XS_SCRIPT_MAX_CONTROLS);
    assert_true(s.truncated);
    xs_script_free(&s);
    free(b.p);
}

/* XS_SCRIPT_MAX_FOLD_PASSES: one nesting level of StrReverse folds per pass. */
static void test_max_fold_passes(void **st)
{
    (void)st;
    for (int extra = 0; extra < 2; extra++) {
        int depth = XS_SCRIPT_MAX_FOLD_PASSES + extra;
        big b = {0};
        add(&b, "<%% x = ");
        for (int i = 0; i < depth; i++)
            add(&b, "StrReverse(");
        add(&b, "\"abc\"");
        for (int i = 0; i < depth; i++)
            add(&b, ")");
        add(&b, " %%>");
        xs_script s;
        assert_true(xs_script_read(b.p, b.n, ".asp", &s));
        unsigned left = 0;
        for (size_t i = 0; i < s.ntok; i++)
            left += xs_tok_is(&s, &s.tok[i], "strreverse");
        assert_int_equal(left, (unsigned)extra);
        xs_script_free(&s);
        free(b.p);
    }
}

/* XS_SCRIPT_MAX_VARS: request data in variables past the cap is not followed. */
static void test_max_vars(void **st)
{
    (void)st;
    for (int past = 0; past < 2; past++) {
        big b = {0};
        add(&b, "<%%\nSet o = CreateObject(\"WScript.Shell\")\n");
        /* o takes the first slot, last the cap's last one (past = 0) or none (past = 1) */
        for (int i = 0; i < XS_SCRIPT_MAX_VARS - 2 + past; i++)
            add(&b, "v%d = Request(\"x%d\")\n", i, i);
        add(&b, "last = Request(\"c\")\no.Run last\n%%>");
        int sc = score_of(b.p, b.n, ".asp", XS_WSK_PROCESS);
        assert_int_equal(sc, past ? 0 : 100);
        free(b.p);
    }
}

/* XS_SCRIPT_MAX_FUNCS: functions past the cap are not analysed as wrappers. */
static void test_max_funcs(void **st)
{
    (void)st;
    for (int past = 0; past < 2; past++) {
        big b = {0};
        add(&b, "<%%\n");
        for (int i = 0; i < XS_SCRIPT_MAX_FUNCS - 1 + past; i++)
            add(&b, "Sub f%d(q)\nResponse.Write q\nEnd Sub\n", i);
        add(&b, "Sub Go(q)\nExecuteGlobal q\nEnd Sub\nGo Request(\"c\")\n%%>");
        /* past the cap, Go is no function: an evaluation of an unknown value (35) is left */
        assert_int_equal(score_of(b.p, b.n, ".asp", XS_WSK_EVAL), past ? 35 : 100);
        free(b.p);
    }
}

/* XS_SCRIPT_MAX_STMT: a statement longer than the cap is looked at in parts. */
static void test_max_stmt(void **st)
{
    (void)st;
    big b = {0};
    add(&b, "<%%@ Page Language=\"C#\" %%><%% var x = 0");
    for (int i = 0; i < XS_SCRIPT_MAX_STMT / 2 + 10; i++)
        add(&b, " + 1");
    add(&b, " + Request[\"c\"]; System.Diagnostics.Process.Start(\"cmd\", x); %%>");
    /* the request is past the cap within the assignment: x is not tainted */
    assert_int_equal(score_of(b.p, b.n, ".aspx", XS_WSK_PROCESS), 0);
    free(b.p);
    /* a sink right at the cut is still seen, and the report says the statement was cut */
    for (int pad = 0; pad < 3; pad++) {
        big c = {0};
        add(&c, "<%%@ Page Language=\"C#\" %%><%% var y = 0");
        for (int i = 0; i < XS_SCRIPT_MAX_STMT / 2 - 2 + pad; i++)
            add(&c, " + 0");
        add(&c, " + System.Diagnostics.Process.Start(\"cmd\", Request[\"c\"]); %%>");
        xs_script s;
        assert_true(xs_script_read(c.p, c.n, ".aspx", &s));
        xs_wsreport r;
        assert_true(xs_scriptflow(&s, 0, &r));
        assert_int_equal(r.flow[XS_WSK_PROCESS].score, 100);
        assert_true(r.truncated);
        xs_script_free(&s);
        free(c.p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_max_bytes),       cmocka_unit_test(test_max_tokens),
        cmocka_unit_test(test_max_text),        cmocka_unit_test(test_max_layers),
        cmocka_unit_test(test_max_decodes),     cmocka_unit_test(test_max_xor_keys),
        cmocka_unit_test(test_max_controls),    cmocka_unit_test(test_max_fold_passes),
        cmocka_unit_test(test_max_vars),        cmocka_unit_test(test_max_funcs),
        cmocka_unit_test(test_max_stmt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
