/* The line-break map against a byte-at-a-time reference, on random buffers and views. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/nlmap.h"

static size_t ref_next(const char *p, size_t n, size_t i)
{
    for (; i < n; i++)
        if (p[i] == '\n')
            return i;
    return n;
}

static size_t ref_start(const char *p, size_t n, size_t i)
{
    if (i > n)
        i = n;
    while (i > 0 && p[i - 1] != '\n')
        i--;
    return i;
}

static uint64_t ref_count(const char *p, size_t i, size_t j)
{
    uint64_t c = 0;
    for (; i < j; i++)
        c += p[i] == '\n';
    return c;
}

static void test_against_reference(void **st)
{
    (void)st;
    enum { N = 1000 };
    char buf[N];
    uint64_t bits[XS_NLMAP_WORDS(N)];
    srand(7);
    for (int round = 0; round < 200; round++) {
        size_t n = (size_t)rand() % N;
        int density = 1 + rand() % 80; /* one break in `density` bytes on average */
        for (size_t i = 0; i < n; i++)
            buf[i] = rand() % density == 0 ? '\n' : (char)('a' + rand() % 26);
        memset(bits, 0xff, sizeof bits);
        assert_int_equal(xs_nlmap_build(bits, buf, n), n); /* no NUL */
        size_t base = n ? (size_t)rand() % (n + 1) : 0;
        const xs_nlmap m = {bits, base, n - base};
        const char *v = buf + base;
        for (size_t i = 0; i <= m.n; i++) {
            assert_int_equal(xs_nlmap_next(&m, i), ref_next(v, m.n, i));
            assert_int_equal(xs_nlmap_line_start(&m, i), ref_start(v, m.n, i));
            size_t j = i + (size_t)rand() % (m.n - i + 1);
            assert_int_equal(xs_nlmap_count(&m, i, j), ref_count(v, i, j));
        }
        assert_int_equal(xs_nlmap_count(&m, 0, m.n), ref_count(v, 0, m.n));
    }
}

static void test_edges(void **st)
{
    (void)st;
    /* breaks on word boundaries, the last byte, a buffer of breaks only */
    char buf[200];
    uint64_t bits[XS_NLMAP_WORDS(sizeof buf)];
    memset(buf, 'x', sizeof buf);
    buf[0] = buf[63] = buf[64] = buf[127] = buf[199] = '\n';
    xs_nlmap_build(bits, buf, sizeof buf);
    const xs_nlmap m = {bits, 0, sizeof buf};
    assert_int_equal(xs_nlmap_next(&m, 1), 63);
    assert_int_equal(xs_nlmap_next(&m, 65), 127);
    assert_int_equal(xs_nlmap_next(&m, 128), 199);
    assert_int_equal(xs_nlmap_line_start(&m, 63), 1);
    assert_int_equal(xs_nlmap_line_start(&m, 64), 64);
    assert_int_equal(xs_nlmap_line_start(&m, 199), 128);
    assert_int_equal(xs_nlmap_count(&m, 0, 200), 5);
    assert_int_equal(xs_nlmap_count(&m, 64, 128), 2);
    const xs_nlmap cut = {bits, 0, 199}; /* a view that ends before the last break */
    assert_int_equal(xs_nlmap_next(&cut, 128), 199);
    assert_int_equal(xs_nlmap_count(&cut, 0, 199), 4);
    memset(buf, '\n', 130);
    xs_nlmap_build(bits, buf, 130);
    const xs_nlmap all = {bits, 0, 130};
    assert_int_equal(xs_nlmap_count(&all, 0, 130), 130);
    assert_int_equal(xs_nlmap_line_start(&all, 129), 129);
    const xs_nlmap empty = {bits, 0, 0};
    assert_int_equal(xs_nlmap_next(&empty, 0), 0);
    assert_int_equal(xs_nlmap_line_start(&empty, 0), 0);
}

static void test_nul(void **st)
{
    (void)st;
    char buf[300];
    uint64_t bits[XS_NLMAP_WORDS(sizeof buf)];
    memset(buf, 'a', sizeof buf);
    buf[10] = '\n';
    buf[150] = 0; /* inside the vector part */
    buf[290] = 0;
    assert_int_equal(xs_nlmap_build(bits, buf, sizeof buf), 150);
    buf[150] = 'a'; /* only in the byte-at-a-time tail */
    assert_int_equal(xs_nlmap_build(bits, buf, sizeof buf), 290);
    buf[290] = 'a';
    assert_int_equal(xs_nlmap_build(bits, buf, sizeof buf), sizeof buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_reference),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
