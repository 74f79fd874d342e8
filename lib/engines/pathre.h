/* A set of regular expressions matched against file paths (Loki/THOR filename IOCs), each
 * with an optional false-positive expression that cancels its match.
 *
 * Signature-base ships thousands of them, and a sweep meets hundreds of thousands of files,
 * so they are not tried one by one: every expression Vectorscan accepts goes into one
 * database and each path is scanned once; the few it refuses (look-arounds, back-references)
 * and the false-positive expressions, tried only after a match, run on PCRE2. Matching is
 * ASCII case-insensitive (Windows paths are).
 */
#ifndef XS_ENGINES_PATHRE_H
#define XS_ENGINES_PATHRE_H

#include <stddef.h>

#include "exsweep/error.h"

typedef struct xs_pathre xs_pathre;
typedef struct xs_pathre_scratch xs_pathre_scratch;

exs_rc xs_pathre_create(xs_pathre **out);
void xs_pathre_destroy(xs_pathre *p); /* accepts NULL */

/* Adds expression number id (ids are the caller's, any order); fp may be NULL or "". An
 * expression neither engine can compile, or one that matches an empty path, is refused:
 * EXS_ERULE with the reason in err. EXS_ENOMEM when memory ran out (the expression is fine). */
exs_rc xs_pathre_add(xs_pathre *p, unsigned id, const char *re, const char *fp, char *err,
                      size_t errlen);

/* Builds the database once every expression is in; later adds are refused. */
exs_rc xs_pathre_compile(xs_pathre *p, char *err, size_t errlen);
size_t xs_pathre_count(const xs_pathre *p);
/* How many run on PCRE2 (Vectorscan refused them, or the whole set). */
size_t xs_pathre_slow(const xs_pathre *p);

/* Per-thread matching space for a compiled set. */
exs_rc xs_pathre_scratch_create(xs_pathre_scratch **out, const xs_pathre *p);
void xs_pathre_scratch_destroy(xs_pathre_scratch *s); /* accepts NULL */

/* Calls fn with the id of every expression that matches text[0..n) and whose false-positive
 * expression does not (one that runs out of its backtracking budget counts as not matching);
 * returns how many, or -1 when the engine failed (also kept for xs_pathre_scratch_failure). */
typedef void (*xs_pathre_fn)(void *ctx, unsigned id);
long xs_pathre_match(const xs_pathre *p, xs_pathre_scratch *s, const char *text, size_t n,
                      xs_pathre_fn fn, void *ctx);

/* The first failure (EXS_ENOMEM, EXS_EENGINE) of a match with s since the last call, or
 * EXS_OK; then forgets it. The owner of s fails the sweep with it: a path the engine could not
 * match must not pass as clean, whatever the caller made of the -1. Accepts NULL. */
exs_rc xs_pathre_scratch_failure(xs_pathre_scratch *s);

#endif
