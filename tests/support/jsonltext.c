/* Test support: JSON lines held in memory, read back as results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonltext.h"

exs_rc t_read_jsonl(const char *text, size_t len, exs_results **out, char *err, size_t errlen)
{
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/exsweep-jsonl-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("t_read_jsonl: mkstemp");
        abort();
    }
    for (size_t at = 0; at < len;) {
        ssize_t k = write(fd, text + at, len - at);
        if (k <= 0) {
            perror("t_read_jsonl: write");
            abort();
        }
        at += (size_t)k;
    }
    close(fd);
    const char *paths[] = {path};
    exs_rc rc = exs_results_read_jsonl(out, paths, 1, err, errlen);
    unlink(path);
    return rc;
}

void t_replace(char **t, const char *from, const char *to)
{
    char *at = strstr(*t, from);
    if (!at) {
        fprintf(stderr, "t_replace: no '%s'\n", from);
        abort();
    }
    size_t n = strlen(*t), nf = strlen(from), nt = strlen(to), head = (size_t)(at - *t);
    char *o = malloc(n - nf + nt + 1);
    if (!o)
        abort();
    memcpy(o, *t, head);
    memcpy(o + head, to, nt);
    memcpy(o + head + nt, at + nf, n - head - nf + 1);
    free(*t);
    *t = o;
}
