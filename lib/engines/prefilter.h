/* The line prefilter: a Vectorscan database per evidence shape, compiled once and shared
 * read-only by every worker; each worker has its own scratch space.
 *
 * Only lines that match some expression reach the full parsers, which is what makes a sweep
 * over gigabytes of logs cost about as much as reading them.
 */
#ifndef EXS_ENGINES_PREFILTER_H
#define EXS_ENGINES_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "exsweep/error.h"

typedef struct exs_prefilter exs_prefilter;
typedef struct exs_pf_scratch exs_pf_scratch;

/* Compiles the union of several NULL-terminated expression lists (caseless, multi-line).
 * On failure, err receives the compiler's message and the failing expression. */
exs_rc exs_prefilter_compile(exs_prefilter **out, const char *const *const *lists, size_t nlists,
                             char *err, size_t errlen);
void exs_prefilter_destroy(exs_prefilter *pf);

/* Scratch usable with every database in dbs (grown to fit each). *s may be NULL on entry or a
 * scratch to grow; free with exs_pf_scratch_free. */
exs_rc exs_pf_scratch_grow(exs_pf_scratch **s, const exs_prefilter *pf);
void exs_pf_scratch_free(exs_pf_scratch *s);

/* Candidate lines of buf[0..len): start offsets, ascending, unique, written to *starts (grown
 * with realloc, capacity in *cap). Returns the count, or -1 when the engine failed. */
long exs_prefilter_lines(const exs_prefilter *pf, exs_pf_scratch *s, const char *buf, size_t len,
                         uint32_t **starts, size_t *cap);

#endif
