/* What a file is by its first bytes: the "filetype" of Loki/THOR rules, and a few shapes the
 * file checks care about. */
#ifndef XS_SOURCES_MAGIC_H
#define XS_SOURCES_MAGIC_H

#include <stddef.h>

/* A short upper-case type name ("EXE", "ZIP", "CAB", "MDMP", "PST", ...), or "UNKNOWN". */
const char *xs_magic_type(const unsigned char *p, size_t n);

/* True for the archive and compression formats the sweep opens (zip, 7z, rar, cab, tar, gzip,
 * bzip2, xz, zstd). */
int xs_magic_is_archive(const unsigned char *p, size_t n);

/* True for container or binary formats that are never scripts (archives, PE, OLE, media...),
 * used to tell "binary junk before a page directive" from a binary that quotes one. */
int xs_magic_is_container(const unsigned char *p, size_t n);

#endif
