/* Windows registry hives (regf: SOFTWARE, SYSTEM, NTUSER.DAT, ...), read through libregf
 * behind this narrow interface, so that the backend can change without touching detectors.
 *
 * libregf opens files by path only (libbfio's headers, needed to hand it a memory handle, are
 * not shipped), and evidence must not be touched: the hive's bytes are copied into an
 * anonymous memory file (memfd_create), which libregf opens as /proc/self/fd/N. A dirty
 * hive's transaction logs are applied to that copy (parsers/hivelog.h), never to the
 * evidence.
 *
 * Every count a hostile hive controls is capped (xs_hive_limits, defaults in core/limits.h):
 * subkeys and values walked per key, key depth, value data bytes read, keys opened per hive.
 * What a cap leaves out is counted in the hive's xs_hive_over, for the caller to warn once.
 *
 * Not thread-safe: one hive, its keys and values belong to one thread. Keys are the caller's,
 * freed with xs_hkey_free (NULL accepted); they must be freed before the hive is closed.
 */
#ifndef XS_PARSERS_HIVE_H
#define XS_PARSERS_HIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"
#include "exsweep/error.h"

/* The base block (the first 4096 bytes). */
#define XS_HIVE_BASE 4096

typedef struct xs_hive_head {
    uint32_t seq_primary, seq_secondary; /* differ: a write was not finished (dirty) */
    uint32_t major, minor;               /* 1.3 .. 1.6 */
    uint32_t type;                       /* 0: a primary file; 1, 2, 6: transaction logs */
    uint32_t root;                       /* root cell offset */
    uint32_t bins;                       /* hive bins data size */
    int64_t written_ms;                  /* EXS_TIME_NONE when not a plausible time */
    bool checksum_ok;
    char name[200]; /* the file name field (UTF-8; the last 32 characters of the path Windows
                       had open), "" when empty */
} xs_hive_head;

/* The base block's checksum over its first 508 bytes at p: their 32-bit words XORed (0
 * written as 1, ~0 as ~1). */
uint32_t xs_hive_checksum(const unsigned char *p);

/* True when p/n starts with a base block ("regf" and at least 512 bytes); fills *h. */
bool xs_hive_head_read(const unsigned char *p, size_t n, xs_hive_head *h);

static inline bool xs_hive_dirty(const xs_hive_head *h)
{
    return h->seq_primary != h->seq_secondary;
}

typedef struct xs_hive_limits {
    uint64_t max_bytes, max_subkeys, max_values, max_depth, max_data, max_keys, max_bin;
} xs_hive_limits;

/* The defaults of core/limits.h. */
void xs_hive_limits_default(xs_hive_limits *l);

/* What the caps left out of one hive. */
typedef struct xs_hive_over {
    uint64_t subkeys;  /* subkeys past max_subkeys, over all keys walked */
    uint64_t values;   /* values past max_values */
    uint64_t depth;    /* keys below max_depth not opened */
    uint64_t data;     /* values whose data was past max_data (not read) */
    uint64_t keys;     /* key openings refused past max_keys */
    uint64_t fixed;    /* damaged key counts trimmed to their lists before libregf read them
                          (hive.c: sanitize) */
    bool any;
} xs_hive_over;

/* ---------------------------------------------------------------- the copy */

/* The copy of a hive's bytes in an anonymous memory file, before it is opened. */
typedef struct xs_hive_image xs_hive_image;

/* EXS_OK; EXS_ENOMEM or EXS_EIO when the memory file cannot be made. max_bytes 0: the
 * default cap. */
exs_rc xs_hive_image_new(xs_hive_image **out, uint64_t max_bytes);
/* Appends bytes. EXS_ELIMIT once past max_bytes (nothing more is kept: the image is then
 * useless), EXS_EIO when the memory file cannot grow. */
exs_rc xs_hive_image_append(xs_hive_image *im, const void *p, size_t n);
/* Overwrites n bytes at off (within what was appended, or growing it within max_bytes). */
exs_rc xs_hive_image_pwrite(xs_hive_image *im, uint64_t off, const void *p, size_t n);
/* Reads back n bytes at off: the count read (fewer at the end), -1 on error. */
long xs_hive_image_pread(const xs_hive_image *im, uint64_t off, void *p, size_t n);
uint64_t xs_hive_image_size(const xs_hive_image *im);
void xs_hive_image_free(xs_hive_image *im);

/* ---------------------------------------------------------------- reading */

typedef struct xs_hive xs_hive;
typedef struct xs_hkey xs_hkey;

/* Opens the image (taken in every case: freed with the hive, or here on failure).
 * EXS_EFORMAT when libregf does not accept it (err, when not NULL, gets its first message),
 * EXS_ELIMIT when a hive bin is larger than max_bin (err says how large), EXS_ENOMEM, EXS_EIO.
 * lim NULL: the defaults. */
exs_rc xs_hive_open_image(xs_hive_image *im, const xs_hive_limits *lim, xs_hive **out,
                          char *err, size_t errcap);
/* The same from bytes in memory (copied). */
exs_rc xs_hive_open(const unsigned char *p, size_t n, const xs_hive_limits *lim, xs_hive **out,
                    char *err, size_t errcap);
void xs_hive_close(xs_hive *h);

const xs_hive_over *xs_hive_overs(const xs_hive *h);
/* True once an allocation of the reader failed (a key may then have looked absent): the caller
 * fails its work. libregf's own allocation failures look like damage and are not told apart. */
bool xs_hive_failed(const xs_hive *h);

/* The root key, or NULL (none, past max_keys, or out of memory). */
xs_hkey *xs_hive_root(xs_hive *h);
/* The key at path below from (the root when NULL): components separated by '\\', matched
 * case-insensitively, empty components skipped. NULL when absent, and for a path with no
 * component below from (the root's own path "" gives the root). */
xs_hkey *xs_hive_key(xs_hive *h, const xs_hkey *from, const char *path);
void xs_hkey_free(xs_hkey *k);

/* The key's name (UTF-8, cut at XS_HIVE_MAX_NAME - 1 bytes; "" when unreadable). */
const char *xs_hkey_name(const xs_hkey *k);
/* Last-written time in ms since the epoch, EXS_TIME_NONE when 0 or out of range. */
int64_t xs_hkey_written_ms(const xs_hkey *k);
/* Subkeys and values walked: min(count, cap); what the cap leaves out is counted once per
 * key (in xs_hive_over) the first time this is asked. */
size_t xs_hkey_nsubkeys(xs_hkey *k);
size_t xs_hkey_nvalues(xs_hkey *k);
/* Subkey i (< xs_hkey_nsubkeys), or NULL (damaged, too deep, past max_keys). */
xs_hkey *xs_hkey_subkey(xs_hkey *k, size_t i);

typedef enum xs_hval_type {
    XS_REG_NONE = 0,
    XS_REG_SZ = 1,
    XS_REG_EXPAND_SZ = 2,
    XS_REG_BINARY = 3,
    XS_REG_DWORD = 4,
    XS_REG_DWORD_BE = 5,
    XS_REG_LINK = 6,
    XS_REG_MULTI_SZ = 7,
    XS_REG_QWORD = 11,
} xs_hval_type;

/* One value as read. */
typedef struct xs_hval {
    char name[XS_HIVE_MAX_NAME]; /* UTF-8, "" for the key's default value */
    uint32_t type;
    uint64_t size;   /* the data's size as the hive says */
    bool has_num;    /* DWORD, DWORD_BE, QWORD (of the right size): num */
    uint64_t num;
    /* SZ, EXPAND_SZ, LINK: the text as UTF-8 up to its first NUL; MULTI_SZ: the strings joined
     * with '\n'; other types: the bytes as they are. Owned (xs_hval_clear); NULL when the data
     * is empty, unreadable, or larger than max_data (over). Always NUL-terminated. */
    char *data;
    size_t data_n;
    bool over;
} xs_hval;

/* Value i (< xs_hkey_nvalues) of k into *v: false when unreadable (v cleared) or out of
 * memory (*oom set). */
bool xs_hkey_value(xs_hkey *k, size_t i, xs_hval *v, bool *oom);
/* The value named name (case-insensitive), false when absent. */
bool xs_hkey_value_by_name(xs_hkey *k, const char *name, xs_hval *v, bool *oom);
void xs_hval_clear(xs_hval *v);

/* Convenience: a DWORD/QWORD value of k, or a decimal string; false when absent or not a
 * number. */
bool xs_hkey_number(xs_hkey *k, const char *name, uint64_t *out);

#endif
