/* Warnings of notify's readers: each counted, the first XS_NOTIFY_MAX_WARNINGS kept with
 * their line numbers. */
#ifndef XS_NOTIFY_NOTES_H
#define XS_NOTIFY_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct xs_note {
    uint64_t line;
    char *message;
} xs_note;

/* Adds one warning to *w (count *n kept, *total counted); false when out of memory. */
__attribute__((format(printf, 5, 6))) bool xs_note_add(xs_note **w, size_t *n, uint64_t *total,
                                                       uint64_t line, const char *fmt, ...);
void xs_notes_free(xs_note *w, size_t n);

#endif
