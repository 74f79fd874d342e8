/* Indicator sets: the built-in SHA-256 values and tool paths of the public advisories
 * (catalogue 3.5 and 4), and the lists given with --ioc (hashes, paths, IPs, domains).
 *
 * A set is built before the sweep and read-only during it (lookups from any thread).
 */
#ifndef XS_DETECTORS_IOC_H
#define XS_DETECTORS_IOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exsweep/error.h"
#include "exsweep/finding.h"
#include "parsers/ioclist.h"

typedef struct xs_ioc {
    xs_ioc_type type;
    char *value;         /* normalised: lowercase hex, path key, canonical IP, lowercase host */
    const char *source;  /* "built-in" or the list's path (owned by the set) */
    uint64_t line;       /* in the list, 0 for built-ins */
    char *note;          /* what the indicator is, may be "" */
    exs_verdict verdict; /* what a match means */
    exs_severity severity;
    bool wildcard;        /* path with '*' or '?': matched with fnmatch ... */
    char *glob;           /* ... as "*" + value, built once (NULL otherwise) */
    size_t lit_off, lit_len; /* its longest run without wildcards: a path without it cannot
                                match, so fnmatch is skipped (lit_len 0: always tried) */
    bool default_name;    /* a path naming a file a default Exchange install has */
    int score;            /* XS_IOC_PATH_REGEX: Loki's score, 0..100 */
    struct xs_ioc *next; /* same lookup key */
    struct xs_ioc *all;  /* every indicator of the set, for freeing */
} xs_ioc;

typedef struct xs_iocset xs_iocset;
struct xs_pathre;
struct xs_pathre_scratch;

/* Creates a set holding the built-in indicators. */
exs_rc xs_iocset_create(xs_iocset **out);
void xs_iocset_destroy(xs_iocset *s); /* accepts NULL */

/* An unusable line of a list. */
typedef void (*xs_iocset_bad_fn)(void *ctx, const char *file, uint64_t line, const char *why);

/* Adds the indicators of a list file (at most XS_MAX_IOCS per set; the file is read whole up
 * to XS_MAX_IOC_FILE, a larger one to its last whole line within that, the rest warned). A
 * missing file or one that is not a regular file: EXS_ERULE; a failed read (EIO, out of
 * descriptors): EXS_EIO; memory: EXS_ENOMEM; err names the file. Unusable lines go to bad and
 * the load goes on; a failure stops it (the set then holds part of the list and the sweep must
 * not run). */
exs_rc xs_iocset_load(xs_iocset *s, const char *path, xs_iocset_bad_fn bad, void *ctx, char *err,
                       size_t errlen);
/* Same, from memory (name is used as the source): EXS_OK, EXS_ENOMEM or the path engine's
 * failure. */
exs_rc xs_iocset_load_mem(xs_iocset *s, const char *name, const char *buf, size_t n,
                           xs_iocset_bad_fn bad, void *ctx);
/* Lowers the bytes read of one list (XS_MAX_IOC_FILE), for tests. */
void xs_iocset_set_max_file(xs_iocset *s, size_t max);

/* Lookups; NULL when absent. hex: a SHA-256, SHA-1 or MD5 digest in lowercase hex (the type
 * is the indicator's). norm: a normalised file path
 * (xs_path_norm). ip: as logged. host: a host name (its parent domains are tried too). */
const xs_ioc *xs_iocset_hash(const xs_iocset *s, const char *hex);
const xs_ioc *xs_iocset_path(const xs_iocset *s, const char *norm);
const xs_ioc *xs_iocset_ip(const xs_iocset *s, const char *ip);
const xs_ioc *xs_iocset_domain(const xs_iocset *s, const char *host);

/* Loki filename IOCs (XS_IOC_PATH_REGEX): built once every list is loaded, before any
 * lookup; NULL from xs_iocset_regexes when the set has none. winpath: the file's path in
 * Windows form (xs_ioc_winpath). Returns the matching indicator with the highest score, the
 * number that matched in *count. */
exs_rc xs_iocset_compile(xs_iocset *s, char *err, size_t errlen);
const struct xs_pathre *xs_iocset_regexes(const xs_iocset *s);
const xs_ioc *xs_iocset_path_regex(const xs_iocset *s, struct xs_pathre_scratch *scr,
                                     const char *winpath, size_t *count);

/* A normalised path (xs_path_norm) as the Windows path the expressions are written for,
 * with backslash separators. The drive letter: a one-letter folder ("C", or "C:" as a decoded
 * "C%3A") among the first three of rel (the path shown for the file, under its evidence root;
 * may be NULL), else the last one-letter folder of norm that holds a Windows top folder
 * (Windows, Program Files, ProgramData, Users, inetpub); without either the path starts at a
 * backslash. */
void xs_ioc_winpath(const char *norm, const char *rel, char *out, size_t cap);

size_t xs_iocset_count(const xs_iocset *s, xs_ioc_type t);
/* Indicators of list files (not built-in) of a type. */
size_t xs_iocset_count_user(const xs_iocset *s, xs_ioc_type t);

/* Normalises a Windows or POSIX path indicator into the key matched against file paths:
 * lowercase, '/' separators, no drive, environment variables expanded, Exchange paths cut to
 * start at FrontEnd\HttpProxy or ClientAccess (any install root). Returns the length. */
size_t xs_ioc_path_key(const char *in, char *out, size_t cap);

#endif
