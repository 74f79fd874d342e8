/* The one UTF-16LE decoder (EVTX, minidumps, MSERT logs): pairs, lone surrogates, NUL
 * handling, and output that is never cut inside a character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/utf16.h"

/* Units from a list of code units. */
static size_t le(const uint16_t *u, size_t n, unsigned char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = (unsigned char)(u[i] & 0xFF);
        out[2 * i + 1] = (unsigned char)(u[i] >> 8);
    }
    return n;
}

static const char *dec(const uint16_t *u, size_t n, size_t room, char nul, size_t *used)
{
    static unsigned char in[256];
    static char out[256];
    le(u, n, in);
    memset(out, 0x7f, sizeof out);
    size_t w = xs_utf16le_to_utf8(in, n, out, room, nul, used);
    assert_true(w <= room);
    out[w] = 0;
    return out;
}

static void test_characters(void **st)
{
    (void)st;
    size_t used;
    const uint16_t mixed[] = {'a', 0xE9, 0x20AC, 0xD83D, 0xDE00, 'z'};
    assert_string_equal(dec(mixed, 6, 64, 0, &used), "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z");
    assert_int_equal(used, 6);
    /* lone surrogates, high or low, in the middle or at the end */
    const uint16_t lone[] = {0xD800, 'a', 0xDC00, 'b', 0xDBFF};
    assert_string_equal(dec(lone, 5, 64, 0, &used), "\xEF\xBF\xBD" "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    assert_int_equal(used, 5);
    /* twenty ASCII units: the eight-at-a-time path, then the rest */
    uint16_t ascii[20];
    for (int i = 0; i < 20; i++)
        ascii[i] = (uint16_t)('A' + i);
    assert_string_equal(dec(ascii, 20, 64, 0, &used), "ABCDEFGHIJKLMNOPQRST");
    /* a non-ASCII unit inside the first eight leaves the fast path */
    ascii[3] = 0xE9;
    assert_string_equal(dec(ascii, 9, 64, 0, &used), "ABC\xC3\xA9" "EFGHI");
}

static void test_nul(void **st)
{
    (void)st;
    size_t used;
    const uint16_t s[] = {'a', 'b', 0, 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'};
    assert_string_equal(dec(s, 11, 64, 0, &used), "ab");
    assert_int_equal(used, 2); /* at the NUL */
    assert_string_equal(dec(s, 11, 64, ' ', &used), "ab cdefghij");
    assert_int_equal(used, 11);
}

static void test_room(void **st)
{
    (void)st;
    size_t used;
    const uint16_t s[] = {'a', 0x20AC, 'b'};
    assert_string_equal(dec(s, 3, 3, 0, &used), "a"); /* the euro needs 3, 2 are left */
    assert_int_equal(used, 1);
    assert_string_equal(dec(s, 3, 4, 0, &used), "a\xE2\x82\xAC");
    assert_int_equal(used, 2);
    const uint16_t pair[] = {0xD83D, 0xDE00};
    assert_string_equal(dec(pair, 2, 3, 0, &used), "");
    assert_int_equal(used, 0);
    uint16_t ascii[10];
    for (int i = 0; i < 10; i++)
        ascii[i] = 'x';
    assert_string_equal(dec(ascii, 10, 5, 0, &used), "xxxxx"); /* less room than eight */
    assert_int_equal(used, 5);
    assert_string_equal(dec(ascii, 10, 0, 0, &used), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_characters),
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_room),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
