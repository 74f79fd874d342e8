/* The bounded line reader (lib/core/lines.c): lines across reads, a last line without its
 * newline, lines as long as the buffer or longer (counted, skipped to their end), empty
 * lines, an empty stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/lines.h"

/* The lines of text read with a buffer of cap bytes, as "n:text" or "n:LONG", joined by '|'. */
static char *lines_of(const char *text, size_t cap)
{
    char path[] = "/tmp/exsweep-test-lines-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    unlink(path);
    char *buf = malloc(cap);
    static char out[4096];
    out[0] = '\0';
    xs_lines l;
    xs_lines_init(&l, fd, buf, cap);
    char *p;
    size_t n;
    bool toolong;
    int k;
    while ((k = xs_lines_next(&l, &p, &n, &toolong)) == 1) {
        size_t o = strlen(out);
        if (toolong)
            snprintf(out + o, sizeof out - o, "%s%llu:LONG", o ? "|" : "",
                     (unsigned long long)l.line);
        else
            snprintf(out + o, sizeof out - o, "%s%llu:%.*s", o ? "|" : "",
                     (unsigned long long)l.line, (int)n, p);
    }
    assert_int_equal(k, 0);
    close(fd);
    free(buf);
    return out;
}

static void test_lines(void **st)
{
    (void)st;
    assert_string_equal(lines_of("", 8), "");
    assert_string_equal(lines_of("a\nbb\n\nccc", 8), "1:a|2:bb|3:|4:ccc");
    /* 7 bytes and the newline fit a buffer of 8; 8 bytes do not */
    assert_string_equal(lines_of("1234567\nx\n", 8), "1:1234567|2:x");
    assert_string_equal(lines_of("12345678\nx\n", 8), "1:LONG|2:x");
    assert_string_equal(lines_of("a\n123456789012345678901234\nb", 8), "1:a|2:LONG|3:b");
    /* a long last line without its newline is still one line */
    assert_string_equal(lines_of("a\n123456789012345678901234", 8), "1:a|2:LONG");
    assert_string_equal(lines_of("a\r\n", 8), "1:a\r");
}

static void test_read_error(void **st)
{
    (void)st;
    char buf[8];
    xs_lines l;
    xs_lines_init(&l, -1, buf, sizeof buf);
    char *p;
    size_t n;
    bool toolong;
    assert_int_equal(xs_lines_next(&l, &p, &n, &toolong), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_read_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
