/* The line prefilter: a Vectorscan database per evidence shape, compiled once and shared
 * read-only by every worker; each worker has its own scratch space.
 *
 * Only lines that pass reach the full parsers (bench/README.md: about one line in ten of a
 * busy server's logs). Expressions are kept to literal sets, Vectorscan's fast case, in two
 * roles:
 *   - a trigger (group 0): a match makes its line a candidate;
 *   - a token (group g > 0): a match sets bit g-1 of its line; the line is a candidate when
 *     its bits cover one of the conjunctions (e.g. "autodiscover.json" AND "powershell").
 * Frequent words (autodiscover.json, /owa/) are tokens: alone they never cost a parse.
 */
#ifndef XS_ENGINES_PREFILTER_H
#define XS_ENGINES_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/nlmap.h"
#include "exsweep/error.h"

typedef struct xs_pattern {
    const char *expr; /* Vectorscan syntax, compiled caseless and multi-line; NULL ends a list */
    unsigned group;   /* 0: trigger; 1..32: token bit */
} xs_pattern;

typedef struct xs_pattern_set {
    const xs_pattern *const *lists; /* NULL-terminated array of lists */
    const uint32_t *conjunctions;    /* 0-terminated token-bit masks; may be NULL */
} xs_pattern_set;

typedef struct xs_prefilter xs_prefilter;
typedef struct xs_pf_scratch xs_pf_scratch;

/* Compiles a pattern set. On failure, err receives the compiler's message and expression. */
exs_rc xs_prefilter_compile(xs_prefilter **out, const xs_pattern_set *set, char *err,
                             size_t errlen);
void xs_prefilter_destroy(xs_prefilter *pf);

/* A stable hash of everything a set's database depends on (engine version included). */
uint64_t xs_pattern_set_hash(const xs_pattern_set *set);

/* Like xs_prefilter_compile, from a database serialized by xs_prefilter_serialize for the
 * same set; compiles when bytes is NULL or the engine refuses them (another version or CPU).
 * EXS_ENOMEM when memory runs out (then it does not compile instead). */
exs_rc xs_prefilter_load(xs_prefilter **out, const xs_pattern_set *set, const void *bytes,
                          size_t len, char *err, size_t errlen);

/* The compiled database as bytes (malloc'd; the caller frees). */
exs_rc xs_prefilter_serialize(const xs_prefilter *pf, char **bytes, size_t *len);

/* Scratch usable with pf (grown to fit). *s may be NULL on entry or a scratch to grow; free
 * with xs_pf_scratch_free. EXS_ENOMEM, or EXS_EENGINE for another refusal of the engine. */
exs_rc xs_pf_scratch_grow(xs_pf_scratch **s, const xs_prefilter *pf);
void xs_pf_scratch_free(xs_pf_scratch *s);

/* Candidate lines of buf[0..len): start offsets, ascending, unique, written to *starts (grown
 * with realloc, capacity in *cap). nl maps the line breaks of buf[0..len). Returns the count,
 * or a failure as a negative exs_rc: -EXS_ENOMEM (no room for the offsets), -EXS_EENGINE. */
long xs_prefilter_lines(const xs_prefilter *pf, xs_pf_scratch *s, const char *buf, size_t len,
                         const xs_nlmap *nl, uint32_t **starts, size_t *cap);

#endif
