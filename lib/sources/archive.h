/* Reading archives (zip, 7z, tar, gzip, bzip2, xz, zstd, rar, cab) as streams, never
 * extracting to disk, through libarchive. */
#ifndef XS_SOURCES_ARCHIVE_H
#define XS_SOURCES_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "sources/input.h"

struct exs_scan;

/* Called for each regular member: its name as stored (NUL-terminated, hostile), and a stream
 * of its bytes valid during the call. raw is true for a single compressed file (member name
 * made up by the caller's convention). */
typedef void (*xs_member_fn)(void *ctx, const char *name, int raw, const xs_input *in);

/* The expansion allowance of one evidence file, shared by the archives nested in it: every
 * byte decompressed at any depth counts against the bytes of the outermost archive, so an
 * archive of archives cannot multiply the ratio level by level. Zero it (then set ratio and
 * floor, XS_MAX_ARCHIVE_RATIO and _FLOOR) before the outermost walk. */
typedef struct xs_archive_budget {
    uint64_t packed;   /* bytes read by the outermost archive */
    uint64_t unpacked; /* bytes handed out of members, all depths */
    uint64_t ratio;    /* unpacked per packed byte allowed ... */
    uint64_t floor;    /* ... once this many bytes were unpacked */
    uint64_t members;  /* members per archive (XS_MAX_ARCHIVE_MEMBERS when 0) */
    int level;         /* walks in progress */
    int over;          /* the allowance ran out: every walk stops */
} xs_archive_budget;

/* Walks the archive readable from in, whose first plen bytes were already read into prefix.
 * Damage, encryption and caps (member count, expansion ratio of the budget) are counted as
 * warnings against display; the walk goes on where libarchive can. A failure of the machine
 * (libarchive out of memory, the stream under the archive failing) fails the sweep
 * (xs_scan_fail) and ends the walk. A member's stream returns -1 after either: damage of the
 * member (a warning) or such a failure. */
void xs_archive_walk(struct exs_scan *s, const char *display, const xs_input *in,
                      const void *prefix, size_t plen, xs_archive_budget *budget,
                      xs_member_fn fn, void *ctx);

#endif
