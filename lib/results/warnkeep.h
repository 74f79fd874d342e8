/* Which warning examples are kept: the cap smallest by xs_warning_cmp (file, line, kind,
 * message), whatever order they come in, so that a sweep keeps the same examples for any
 * number of worker threads. Offering one to a full keeper costs a comparison; one that is
 * kept is allocated on its own (the warning it displaces is freed), so the keeper holds at
 * most cap of them. Not thread-safe: the caller locks.
 */
#ifndef XS_RESULTS_WARNKEEP_H
#define XS_RESULTS_WARNKEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "exsweep/results.h"

typedef struct xs_warnkeep xs_warnkeep;

/* A keeper of at most cap examples, or NULL when out of memory. */
xs_warnkeep *xs_warnkeep_create(size_t cap);
/* Frees the keeper and the examples it still holds. Accepts NULL. */
void xs_warnkeep_destroy(xs_warnkeep *k);

/* Offers a warning (spans without NUL bytes; the order is that of strcmp on the strings they
 * hold); the bytes are copied when it is kept. Returns false when out of memory (the keeper is
 * as it was). */
bool xs_warnkeep_add(xs_warnkeep *k, xs_str kind, xs_str file, uint64_t line, xs_str message);

/* Appends the kept examples to r->warnings (capacity *cap, grown with xs_grow; the strings
 * copied into r's arena) and empties the keeper. Returns false when out of memory (r may then
 * hold some of them, the keeper the rest). */
bool xs_warnkeep_move(xs_warnkeep *k, struct exs_results *r, size_t *cap);

#endif
