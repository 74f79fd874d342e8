/* Fuzz target: saved sweeps read back (lib/results/read.c) and rendered again in every
 * format (lib/report/). Whatever the reader accepts must render, and its JSON lines must read
 * back to the same JSON lines (the round trip is a fixed point). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/escape.h"
#include "exsweep/exsweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *render(const exs_results *r, exs_format fmt, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    exs_report_opts o = EXS_REPORT_OPTS_INIT;
    o.format = fmt;
    o.verbose = 1;
    o.top = 100;
    if (exs_report_write(r, f, &o) != EXS_OK)
        __builtin_trap(); /* memory streams do not fail short of memory */
    fclose(f);
    return buf;
}

/* Reads bytes as a file (a memfd behind /proc/self/fd), NULL when the reader refuses them. */
static exs_results *read_bytes(const void *p, size_t n)
{
    int fd = memfd_create("fuzz-report", 0);
    if (fd < 0)
        return NULL;
    if (n && write(fd, p, n) != (ssize_t)n) {
        close(fd);
        return NULL;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    const char *paths[] = {path};
    exs_results *r = NULL;
    char err[512];
    if (exs_results_read_jsonl(&r, paths, 1, err, sizeof err) != EXS_OK)
        r = NULL;
    close(fd);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exs_results *r = read_bytes(data, size);
    if (!r)
        return 0;
    size_t n1, n2, nt, nc;
    char *text = render(r, EXS_FORMAT_TEXT, &nt), *csv = render(r, EXS_FORMAT_CSV, &nc);
    char *j1 = render(r, EXS_FORMAT_JSONL, &n1);
    size_t ntl;
    char *tl = render(r, EXS_FORMAT_TIMESKETCH, &ntl);
    for (size_t i = 0; tl && i < ntl; i++) { /* one object a line, no raw control byte */
        unsigned char c = (unsigned char)tl[i];
        if ((c < 0x20 && c != '\n') || (c == '\n' && (i == 0 || tl[i - 1] != '}')) ||
            ((i == 0 || tl[i - 1] == '\n') && c != '{'))
            __builtin_trap();
    }
    size_t nh;
    char *html = render(r, EXS_FORMAT_HTML, &nh);
    if (html) { /* exactly the page's two scripts, valid UTF-8: nothing of the input made one */
        size_t scripts = 0;
        for (const char *p = html; (p = strstr(p, "<script")); p += 7)
            scripts++;
        if (scripts != 2 || !xs_utf8_valid(html, nh))
            __builtin_trap();
    }
    free(html);
    /* the summary (the story's sections too) and the STIX bundle: valid UTF-8, and no byte of
     * the input reaches them as a control character */
    size_t ns;
    char *stix = render(r, EXS_FORMAT_STIX, &ns);
    for (size_t i = 0; text && i < nt; i++)
        if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
            __builtin_trap();
    for (size_t i = 0; stix && i < ns; i++)
        if ((unsigned char)stix[i] < 0x20 && stix[i] != '\n')
            __builtin_trap();
    if ((text && !xs_utf8_valid(text, nt)) || (stix && (!xs_utf8_valid(stix, ns) || stix[0] != '{')))
        __builtin_trap();
    free(stix);
    exs_results *back = j1 ? read_bytes(j1, n1) : NULL;
    if (j1 && !back)
        __builtin_trap(); /* our own JSON lines must read back */
    char *j2 = back ? render(back, EXS_FORMAT_JSONL, &n2) : NULL;
    if (j1 && j2 && (n1 != n2 || memcmp(j1, j2, n1) != 0))
        __builtin_trap(); /* and to the same JSON lines */
    free(text);
    free(csv);
    free(tl);
    free(j1);
    free(j2);
    exs_results_destroy(back);
    exs_results_destroy(r);
    return 0;
}
