/* Saved sweeps read together (exs_results_read_jsonl): a root whose label a root read before
 * already has is renamed ("exch01" becomes "exch01-2"). A finding id holds the root's label
 * (xs_finding_id), so the renamed root's findings get ids of their own, derived from the new
 * label and the old id (the first 16 bytes of SHA-256, 32 hex digits like every id), and the
 * related ids of the findings of the same file follow them: no two findings of the report
 * share an id, and every relation still resolves. The same files in the same order give the
 * same ids.
 *
 * The reader says where each file's findings start and which of its roots were renamed, as it
 * reads; xs_relabel_apply runs once, after the last file, before the findings are sorted.
 * Ownership: the reader's; the new ids are copied into the results' arena.
 */
#ifndef XS_RESULTS_RELABEL_H
#define XS_RESULTS_RELABEL_H

#include <stdbool.h>
#include <stddef.h>

#include "exsweep/results.h"

typedef struct xs_relabel {
    size_t *file_start;  /* index of the first finding of each file */
    size_t nfiles, capfiles;
    bool *renamed;       /* per root of the results, in order */
    size_t nroots, caproots;
} xs_relabel;

/* A file starts; its first finding will be at index first. False when out of memory. */
bool xs_relabel_file(xs_relabel *rl, size_t first);
/* The next root of the results was read, renamed or not. False when out of memory. */
bool xs_relabel_root(xs_relabel *rl, bool renamed);
/* Gives the findings of renamed roots their new ids and rewrites the relations of each file.
 * EXS_ENOMEM when memory or a digest failed. */
exs_rc xs_relabel_apply(xs_relabel *rl, exs_results *res);
void xs_relabel_free(xs_relabel *rl);

#endif
