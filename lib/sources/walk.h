/* Walking an evidence root read-only: lstat every entry, never follow a symlink, open only
 * regular files (O_NOFOLLOW, O_NOATIME where allowed), cap depth, path length and counts. */
#ifndef XS_SOURCES_WALK_H
#define XS_SOURCES_WALK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

struct exs_scan;

typedef struct xs_item {
    int fd;          /* open regular file, owned by the item */
    char *display;   /* path shown to the user, relative to the evidence root */
    char *norm;      /* normalised full path, for location checks */
    bool root_file;  /* this file is itself an evidence root */
    uint32_t root;   /* index of its evidence root */
    size_t prefix;   /* bytes of display_prefix at the start of display */
    struct stat st;  /* fstat of fd at open: the file is read up to this size */
} xs_item;

void xs_item_free(xs_item *it);

/* Receives each regular file; takes ownership of it. Returns false to stop the walk. */
typedef bool (*xs_walk_fn)(void *ctx, xs_item *it);

/* Walks root (a folder or a file), the root_index'th of the scan. display_prefix is prepended to display paths ("" for a
 * single root). Returns false when root could not be opened at all. Entries that cannot be
 * read because of what they are (xs_errno_is_evidence: no permission, gone, replaced) are
 * counted warnings; a failure of the machine (out of memory or descriptors, an I/O error
 * listing a folder) fails the sweep (xs_scan_fail) and stops the walk. The walk also stops
 * early once the sweep failed elsewhere. */
bool xs_walk_root(struct exs_scan *s, uint32_t root_index, const char *root,
                   const char *root_abs, const char *display_prefix, xs_walk_fn fn, void *ctx);

/* Why reading files under a filesystem of this statfs f_type and statvfs f_flag moves their
 * access times whatever O_NOATIME says, or NULL: a read-write FUSE mount (ntfs-3g keeps the
 * times itself; read-only or noatime stops it), an SMB share (the server's filesystem keeps
 * them; no client option stops it). A static phrase for the warning of kind atime. */
const char *xs_atime_risk(long long f_type, unsigned long f_flag);

/* Opens a file for reading evidence: O_RDONLY|O_NOFOLLOW|O_CLOEXEC, O_NOATIME when the OS
 * allows it. Returns the fd or -1. dirfd may be AT_FDCWD. */
int xs_open_evidence(int dirfd, const char *name, int extra_flags);

#endif
