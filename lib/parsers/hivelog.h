/* Transaction logs of registry hives, new format (Windows 8.1 and later: .LOG1, .LOG2), applied
 * to the memory copy of a dirty hive (parsers/hive.h) before it is opened, never to the
 * evidence. Layout and rules: Maxim Suhanov's "Windows registry file format specification",
 * "Format of transaction log files, New format"; offsets at the top of hivelog.c.
 *
 * Old-format logs (Windows XP to 8: a "DIRT" vector of 512-byte pages) are not applied: the
 * caller says the hive's changes may be missing.
 */
#ifndef XS_PARSERS_HIVELOG_H
#define XS_PARSERS_HIVELOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parsers/hive.h"

/* Marvin32 (the hash of the log entries) of n bytes with a 64-bit seed: (p1 << 32) | p0. */
uint64_t xs_marvin32(const unsigned char *p, size_t n, uint64_t seed);
#define XS_HIVELOG_SEED 0xC5554E7A884DEF82ull /* bytes 82 EF 4D 88 7A 4E 55 C5 */

typedef struct xs_hivelog_state {
    uint32_t next;     /* the sequence number the next entry must have (start: the primary
                          file's secondary sequence number) */
    uint32_t flags;    /* the base block's Flags as the last entry applied sets them */
    uint32_t bins;     /* hive bins data size as the last entry applied sets it, 0: none */
    unsigned applied;  /* entries applied so far, over the logs */
    bool stopped;      /* an entry was damaged or out of sequence: later ones are not applied */
} xs_hivelog_state;

/* Starts a replay on the image's base block: false when the image is not a hive with a valid
 * checksum (a base block to rebuild from the log is not attempted). */
bool xs_hivelog_begin(const xs_hive_image *im, xs_hivelog_state *st);

/* Applies the entries of one log (the whole file, n bytes) that continue the sequence: pages
 * written into the image within the hive bins size the entry gives (and the image's cap).
 * Returns EXS_OK (whether or not any entry applied), EXS_EFORMAT when the log is not a
 * new-format log, EXS_ELIMIT when a page goes past the image's cap (that entry and the rest
 * are not applied), EXS_EIO or EXS_ENOMEM when the image cannot be written. */
exs_rc xs_hivelog_apply(xs_hive_image *im, const unsigned char *log, size_t n,
                        xs_hivelog_state *st);

/* After the logs: when entries were applied, writes the base block as Windows leaves it (both
 * sequence numbers the last entry's, its hive bins size and flags, the checksum). */
exs_rc xs_hivelog_end(xs_hive_image *im, const xs_hivelog_state *st);

#endif
