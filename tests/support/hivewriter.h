/* Test-suite registry hive writer: valid regf files from a tree described in C, so that tests
 * never depend on third-party hives (as evtxwriter.h does for event logs).
 *
 * The file looks like Windows writes it: a 4096-byte base block with its checksum, then hive
 * bins ("hbin", 4096 bytes, or the multiple of 4096 a larger cell needs; one bin for all on
 * request) holding the cells, none across a bin's end: one nk per key (ASCII names
 * stored compressed, others as UTF-16LE), one shared sk, a subkey list per key with children
 * (lh with name hashes by default, lf or li on request; sorted by upper-case name as Windows
 * keeps them), a value list, one vk per value with data of at most 4 bytes inline and larger
 * data in a cell of its own (big data, over 16344 bytes, is not written). The rest of each bin
 * is one free cell. At most 65535 subkeys per key (index roots, ri, are not written).
 *
 * Keys are named by path from the root ("Microsoft\\ExchangeServer\\v15\\Setup"), created
 * with their parents on first use, matched case-insensitively afterwards. Errors are sticky:
 * after one (out of memory, data too large) every call is a no-op and t_hw_build returns
 * NULL.
 */
#ifndef XS_TESTS_HIVEWRITER_H
#define XS_TESTS_HIVEWRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct t_hw t_hw;

/* Registry value types. */
enum {
    T_REG_NONE = 0,
    T_REG_SZ = 1,
    T_REG_EXPAND_SZ = 2,
    T_REG_BINARY = 3,
    T_REG_DWORD = 4,
    T_REG_MULTI_SZ = 7,
    T_REG_QWORD = 11,
};

/* NULL when out of memory. The root key is named root_name ("ROOT" when NULL). */
t_hw *t_hw_new(const char *root_name);
void t_hw_free(t_hw *w);

/* Creates key path (and its parents); sets its last-written time (Unix ms) when written_ms is
 * not 0 (keys not given a time get the hive's default, 2021-03-01T00:00:00Z; T_HW_NO_TIME
 * writes a FILETIME of 0). "" is the root. */
#define T_HW_NO_TIME INT64_MIN
void t_hw_key(t_hw *w, const char *path, int64_t written_ms);
/* Values of key path (created when missing); name "" is the key's default value. A second
 * value of the same name replaces the first. */
void t_hw_sz(t_hw *w, const char *path, const char *name, const char *utf8);
void t_hw_expand_sz(t_hw *w, const char *path, const char *name, const char *utf8);
/* strs NULL-terminated; written as UTF-16LE strings each with its NUL, then one more NUL. */
void t_hw_multi_sz(t_hw *w, const char *path, const char *name, const char *const *strs);
void t_hw_dword(t_hw *w, const char *path, const char *name, uint32_t v);
void t_hw_qword(t_hw *w, const char *path, const char *name, uint64_t v);
/* Any type, data as given (n bytes, at most 16344). */
void t_hw_raw(t_hw *w, const char *path, const char *name, uint32_t type, const void *data,
              size_t n);

typedef struct t_hw_opts {
    bool dirty;            /* the base block's secondary sequence number one below the primary */
    char list;             /* subkey lists: 'h' (lh, the default when 0), 'f' (lf), 'i' (li) */
    const char *file_name; /* the base block's file name field: the last 31 characters of
                              this ("\\??\\C:\\Windows\\System32\\config\\SOFTWARE") */
    int64_t written_ms;    /* the base block's time; 0: 2021-03-01T00:00:00Z */
    bool one_bin;          /* all cells in one bin as large as they need (Windows never writes
                              that; libregf re-reads a whole bin for each cell it fetches) */
} t_hw_opts;

/* The hive's bytes (malloc'd, *len bytes), or NULL after an error. o may be NULL. */
unsigned char *t_hw_build(t_hw *w, const t_hw_opts *o, size_t *len);

/* A new-format transaction log (what Windows 8.1 and later write to .LOG1 and .LOG2): the
 * first sector of old's base block with file type 6, then entries, each turning the hive bins
 * of the hive before it into those of the next: entry i (sequence number seq + i) holds every
 * 4096-byte page of hives[i + 1] that differs from hives[i]. nhives hives (at least 2); bad:
 * the last entry's Hash-1 is wrong. Malloc'd, *len bytes; NULL when out of memory. */
unsigned char *t_hw_log(const unsigned char *const *hives, const size_t *lens, size_t nhives,
                        uint32_t seq, bool bad, size_t *len);

/* The checksum of a base block (XOR of its first 127 32-bit words, 0 and ~0 avoided), for
 * tests that damage a header and fix it up. */
uint32_t t_hw_checksum(const unsigned char *base);

#endif
