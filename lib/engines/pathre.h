/* A set of regular expressions matched against file paths (Loki/THOR filename IOCs), each
 * with an optional false-positive expression that cancels its match.
 *
 * Signature-base ships thousands of them, and a sweep meets hundreds of thousands of files,
 * so they are not tried one by one: every expression Vectorscan accepts goes into one
 * database and each path is scanned once; the few it refuses (look-arounds, back-references)
 * and the false-positive expressions, tried only after a match, run on PCRE2. Matching is
 * ASCII case-insensitive (Windows paths are).
 */
#ifndef EXS_ENGINES_PATHRE_H
#define EXS_ENGINES_PATHRE_H

#include <stddef.h>

#include "exsweep/error.h"

typedef struct exs_pathre exs_pathre;
typedef struct exs_pathre_scratch exs_pathre_scratch;

exs_rc exs_pathre_create(exs_pathre **out);
void exs_pathre_destroy(exs_pathre *p); /* accepts NULL */

/* Adds expression number id (ids are the caller's, any order); fp may be NULL or "". An
 * expression neither engine can compile, or one that matches an empty path, is refused:
 * EXS_ERULE with the reason in err. EXS_ENOMEM when memory ran out (the expression is fine). */
exs_rc exs_pathre_add(exs_pathre *p, unsigned id, const char *re, const char *fp, char *err,
                      size_t errlen);

/* Builds the database once every expression is in; later adds are refused. */
exs_rc exs_pathre_compile(exs_pathre *p, char *err, size_t errlen);
size_t exs_pathre_count(const exs_pathre *p);
/* How many run on PCRE2 (Vectorscan refused them, or the whole set). */
size_t exs_pathre_slow(const exs_pathre *p);

/* Per-thread matching space for a compiled set. */
exs_rc exs_pathre_scratch_create(exs_pathre_scratch **out, const exs_pathre *p);
void exs_pathre_scratch_destroy(exs_pathre_scratch *s); /* accepts NULL */

/* Calls fn with the id of every expression that matches text[0..n) and whose false-positive
 * expression does not (one that runs out of its backtracking budget counts as not matching);
 * returns how many, or -1 when the engine failed (also kept for exs_pathre_scratch_failure). */
typedef void (*exs_pathre_fn)(void *ctx, unsigned id);
long exs_pathre_match(const exs_pathre *p, exs_pathre_scratch *s, const char *text, size_t n,
                      exs_pathre_fn fn, void *ctx);

/* The first failure (EXS_ENOMEM, EXS_EENGINE) of a match with s since the last call, or
 * EXS_OK; then forgets it. The owner of s fails the sweep with it: a path the engine could not
 * match must not pass as clean, whatever the caller made of the -1. Accepts NULL. */
exs_rc exs_pathre_scratch_failure(exs_pathre_scratch *s);

#endif
