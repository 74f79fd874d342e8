/* Warnings of notify's readers (notes.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "notify/notes.h"

bool xs_note_add(xs_note **w, size_t *n, uint64_t *total, uint64_t line, const char *fmt, ...)
{
    (*total)++;
    if (*n >= XS_NOTIFY_MAX_WARNINGS)
        return true;
    if (!*w && !(*w = calloc(XS_NOTIFY_MAX_WARNINGS, sizeof **w)))
        return false;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!((*w)[*n].message = strdup(buf)))
        return false;
    (*w)[(*n)++].line = line;
    return true;
}

void xs_notes_free(xs_note *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(w[i].message);
    free(w);
}
