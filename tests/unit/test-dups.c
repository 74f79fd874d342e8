/* The dup counts that tell apart findings of one identity in one file (lib/scan/dups.h):
 * exact however far apart the findings are, per position, late findings marked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "scan/dups.h"

static void base(char out[EXS_ID_LEN], unsigned k)
{
    snprintf(out, EXS_ID_LEN, "%016x%016x", k * 2654435761u, k);
}

static unsigned take(xs_dups **d, unsigned k, uint64_t line, uint64_t record, int64_t off)
{
    char b[EXS_ID_LEN];
    base(b, k);
    unsigned dup = 99;
    assert_true(xs_dups_take(d, b, line, record, off, &dup));
    return dup;
}

/* Findings without a position: one identity 40 times among 300 others, each counted. */
static void test_no_position_far_apart(void **st)
{
    (void)st;
    xs_dups *d = NULL;
    for (unsigned i = 0; i < 40; i++) {
        assert_int_equal(take(&d, 7, 0, 0, -1), i);
        for (unsigned k = 0; k < 300; k++)
            if (k != 7)
                assert_int_equal(take(&d, 1000 + k, 0, 0, -1), i);
    }
    xs_dups_free(d);
}

/* Per position: the count starts afresh at a later line; an earlier line is late. */
static void test_positions(void **st)
{
    (void)st;
    xs_dups *d = NULL;
    for (unsigned i = 0; i < 20; i++)
        assert_int_equal(take(&d, 1, 5, 0, 100), i); /* one line, twenty times */
    assert_int_equal(take(&d, 2, 6, 0, 140), 0);
    assert_int_equal(take(&d, 2, 6, 0, 140), 1);
    /* back to line 5: late, its own count, marked */
    assert_int_equal(take(&d, 1, 5, 0, -1), XS_DUP_LATE | 0);
    assert_int_equal(take(&d, 1, 5, 0, -1), XS_DUP_LATE | 1);
    /* line 6 is still the current position */
    assert_int_equal(take(&d, 2, 6, 0, 140), 2);
    /* no position: counted apart from all of them */
    assert_int_equal(take(&d, 1, 0, 0, -1), 0);
    assert_int_equal(take(&d, 1, 0, 0, -1), 1);
    xs_dups_free(d);
    /* event records (no line): offsets forward */
    d = NULL;
    assert_int_equal(take(&d, 3, 0, 9, 5000), 0);
    assert_int_equal(take(&d, 3, 0, 9, 5000), 1);
    assert_int_equal(take(&d, 3, 0, 10, 5100), 0);
    /* (a position is part of an identity: another offset, another base id) */
    assert_int_equal(take(&d, 4, 0, 9, 4096), XS_DUP_LATE | 0);
    assert_int_equal(take(&d, 3, 0, 9, 5000), XS_DUP_LATE | 0);
    assert_int_equal(take(&d, 3, 0, 9, 5000), XS_DUP_LATE | 1);
    xs_dups_free(d);
    xs_dups_free(NULL);
}

/* A crowded line (1000 identities) and the lines after it. */
static void test_crowded_line(void **st)
{
    (void)st;
    xs_dups *d = NULL;
    for (unsigned k = 0; k < 1000; k++)
        assert_int_equal(take(&d, k, 1, 0, 0), 0);
    for (unsigned k = 0; k < 1000; k++)
        assert_int_equal(take(&d, k, 1, 0, 0), 1);
    for (uint64_t line = 2; line < 50; line++)
        for (unsigned k = 0; k < 3; k++)
            assert_int_equal(take(&d, k, line, 0, (int64_t)line * 10), 0);
    xs_dups_free(d);
}

/* A finding held for its position (xs_dups_hold, said before or at it) is counted there as it
 * would have been in order, whatever came after it: an identity alone there has dup 0, one the
 * position had in order its next count; other earlier positions stay late. */
static void test_held(void **st)
{
    (void)st;
    xs_dups *d = NULL;
    assert_true(xs_dups_hold(&d, 0, 5, 5000)); /* ahead of every finding */
    assert_int_equal(take(&d, 1, 0, 3, 3000), 0);
    assert_int_equal(take(&d, 2, 0, 5, 5000), 0); /* in order at the held record */
    assert_true(xs_dups_hold(&d, 0, 5, 5000));    /* again: nothing new */
    assert_int_equal(take(&d, 3, 0, 7, 7000), 0);
    /* the log ends: the held findings */
    assert_int_equal(take(&d, 4, 0, 5, 5000), 0);
    assert_int_equal(take(&d, 2, 0, 5, 5000), 1);
    assert_int_equal(take(&d, 4, 0, 5, 5000), 1);
    /* a record not held is late; held once gone past, too */
    assert_int_equal(take(&d, 1, 0, 3, 3000), XS_DUP_LATE | 0);
    assert_true(xs_dups_hold(&d, 0, 3, 3000));
    assert_int_equal(take(&d, 1, 0, 3, 3000), XS_DUP_LATE | 1);
    /* held at the current position: its counts so far go on */
    assert_true(xs_dups_hold(&d, 0, 7, 7000));
    assert_int_equal(take(&d, 3, 0, 8, 8000), 0);
    assert_int_equal(take(&d, 3, 0, 7, 7000), 1);
    assert_int_equal(take(&d, 5, 0, 7, 7000), 0);
    /* no position: nothing to hold */
    assert_true(xs_dups_hold(&d, 0, 0, -1));
    assert_int_equal(take(&d, 1, 0, 0, -1), 0);
    xs_dups_free(d);
    /* lines: held before any finding, then two lines later */
    d = NULL;
    assert_true(xs_dups_hold(&d, 2, 0, 40));
    assert_int_equal(take(&d, 6, 3, 0, 60), 0);
    assert_int_equal(take(&d, 6, 2, 0, 40), 0);
    assert_int_equal(take(&d, 6, 2, 0, 40), 1);
    assert_int_equal(take(&d, 6, 1, 0, 0), XS_DUP_LATE | 0);
    xs_dups_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_position_far_apart),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_crowded_line),
        cmocka_unit_test(test_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
