/* Fuzz target: output escaping. Whatever the bytes, the JSON and CSV forms must stay inside
 * their quotes and the terminal form must carry no control byte. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *render(void (*fn)(FILE *, const char *, size_t), const uint8_t *d, size_t n,
                    size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    fn(f, (const char *)d, n);
    fclose(f);
    return buf;
}

static void term_unlimited(FILE *f, const char *p, size_t n)
{
    xs_esc_term(f, p, n, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n;
    char *j = render(xs_esc_json, data, size, &n);
    if (j) {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)j[i];
            if (c < 0x20 || (c == '"' && (i == 0 || j[i - 1] != '\\')))
                __builtin_trap();
        }
        if (!xs_utf8_valid(j, n))
            __builtin_trap();
        free(j);
    }
    char *t = render(term_unlimited, data, size, &n);
    if (t) {
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
                __builtin_trap();
        free(t);
    }
    char *c = render(xs_esc_csv, data, size, &n);
    if (c) {
        if (n < 2 || c[0] != '"' || c[n - 1] != '"')
            __builtin_trap();
        for (size_t i = 1; i + 1 < n; i++)
            if ((unsigned char)c[i] < 0x20)
                __builtin_trap();
        free(c);
    }
    char *h = render(xs_esc_html, data, size, &n);
    if (h) {
        if (memchr(h, '<', n) || memchr(h, '>', n) || memchr(h, '"', n))
            __builtin_trap();
        free(h);
    }
    return 0;
}
