/* The dup count of a finding id (xs_finding_id): how many findings of the same identity
 * (root label, path, members, line, record, offset, rule, reason, key) one context (a file,
 * or one after-sweep finding's place) emitted before. Exact however far apart the findings
 * are, with memory that does not grow with a log's length:
 *
 *   at a position   (line, record or offset set) findings are counted per position; a
 *                   position later than the last one starts afresh (the readers go forward,
 *                   so an earlier position's identities cannot come back in order);
 *   held            a finding a detector keeps until the file ends on purpose (a memory dump
 *                   whose target the rest of the log may name) is said when it is held
 *                   (xs_dups_hold): the counts at its position are kept when the context
 *                   goes past it, and the held finding is counted among them, as it would
 *                   have been in order: the same id whatever came after it in the file;
 *   late            any other finding at a position earlier than the last one (a detector
 *                   reporting an earlier line) is counted among the late ones of the
 *                   context, and its dup carries XS_DUP_LATE: no in-order finding can have
 *                   its id;
 *   no position     file-level findings are counted over the whole context.
 *
 * Ownership: a context holds one xs_dups (NULL until its first finding), freed by
 * xs_dups_free when the context ends. Not thread-safe (a context is one thread's).
 */
#ifndef XS_SCAN_DUPS_H
#define XS_SCAN_DUPS_H

#include <stdbool.h>
#include <stdint.h>

#include "exsweep/finding.h"

/* Set in the dup of a late finding. */
#define XS_DUP_LATE 0x80000000u

typedef struct xs_dups xs_dups;

/* *dup receives the count of earlier findings of this context whose dup-0 id was base, at
 * the position (line, record, offset; offset -1 when unknown), XS_DUP_LATE set for a late
 * one. Creates *d on first use. Returns false when out of memory (nothing counted). */
bool xs_dups_take(xs_dups **d, const char base[EXS_ID_LEN], uint64_t line, uint64_t record,
                   int64_t offset, unsigned *dup);

/* A finding at the position (line, record, offset, as xs_dups_take gets it) will be taken
 * after the context has gone past it, on purpose: its count is then the one it would have had
 * in order, not a late one. Said while the position is the current one or ahead of it (said
 * later, it has no effect: the finding is late). The holds of a context are few (the caller
 * bounds them). Creates *d on first use. Returns false when out of memory. */
bool xs_dups_hold(xs_dups **d, uint64_t line, uint64_t record, int64_t offset);

/* Accepts NULL. */
void xs_dups_free(xs_dups *d);

#endif
