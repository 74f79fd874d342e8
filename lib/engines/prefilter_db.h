/* Prefilter databases compiled at build time (tools/prefilter-db.c writes them into
 * build/gen/prefilter_db.c), so that a sweep does not spend its first 20 ms compiling
 * (bench/README.md). Each is found by the hash of the pattern set it was built from; a set
 * without one, or a database this host's Vectorscan refuses, is compiled as before. */
#ifndef XS_ENGINES_PREFILTER_DB_H
#define XS_ENGINES_PREFILTER_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct xs_pf_blob {
    uint64_t hash; /* xs_pattern_set_hash of its set */
    const char *bytes;
    size_t len;
} xs_pf_blob;

/* Ends with an entry whose bytes are NULL. */
extern const xs_pf_blob xs_pf_blobs[];

/* The stored database of a set hash, or NULL. */
const xs_pf_blob *xs_pf_blob_find(uint64_t hash);

#endif
