/* Reading archives (zip, 7z, tar, gzip, bzip2, xz, zstd, rar, cab) as streams, never
 * extracting to disk, through libarchive. */
#ifndef EXS_SOURCES_ARCHIVE_H
#define EXS_SOURCES_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "sources/input.h"

struct exs_scan;

/* Called for each regular member: its name as stored (NUL-terminated, hostile), and a stream
 * of its bytes valid during the call. raw is true for a single compressed file (member name
 * made up by the caller's convention). */
typedef void (*exs_member_fn)(void *ctx, const char *name, int raw, const exs_input *in);

/* Walks the archive readable from in, whose first plen bytes were already read into prefix.
 * Damage, encryption and caps (member count, expansion ratio) are counted as warnings against
 * display; the walk goes on where libarchive can. */
void exs_archive_walk(struct exs_scan *s, const char *display, const exs_input *in,
                      const void *prefix, size_t plen, exs_member_fn fn, void *ctx);

#endif
