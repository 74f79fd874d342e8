/* Indicator sets: the built-in SHA-256 values and tool paths of the public advisories
 * (catalogue 3.5 and 4), and the lists given with --ioc (hashes, paths, IPs, domains).
 *
 * A set is built before the sweep and read-only during it (lookups from any thread).
 */
#ifndef EXS_DETECTORS_IOC_H
#define EXS_DETECTORS_IOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exsweep/error.h"
#include "exsweep/finding.h"
#include "parsers/ioclist.h"

typedef struct exs_ioc {
    exs_ioc_type type;
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
    int score;            /* EXS_IOC_PATH_REGEX: Loki's score, 0..100 */
    struct exs_ioc *next; /* same lookup key */
    struct exs_ioc *all;  /* every indicator of the set, for freeing */
} exs_ioc;

typedef struct exs_iocset exs_iocset;
struct exs_pathre;
struct exs_pathre_scratch;

/* Creates a set holding the built-in indicators. */
exs_rc exs_iocset_create(exs_iocset **out);
void exs_iocset_destroy(exs_iocset *s); /* accepts NULL */

/* An unusable line of a list. */
typedef void (*exs_iocset_bad_fn)(void *ctx, const char *file, uint64_t line, const char *why);

/* Adds the indicators of a list file (at most EXS_MAX_IOCS per set; the file is read whole up
 * to EXS_MAX_IOC_FILE, a larger one to its last whole line within that, the rest warned). A
 * missing file or one that is not a regular file: EXS_ERULE; a failed read (EIO, out of
 * descriptors): EXS_EIO; memory: EXS_ENOMEM; err names the file. Unusable lines go to bad and
 * the load goes on; a failure stops it (the set then holds part of the list and the sweep must
 * not run). */
exs_rc exs_iocset_load(exs_iocset *s, const char *path, exs_iocset_bad_fn bad, void *ctx, char *err,
                       size_t errlen);
/* Same, from memory (name is used as the source): EXS_OK, EXS_ENOMEM or the path engine's
 * failure. */
exs_rc exs_iocset_load_mem(exs_iocset *s, const char *name, const char *buf, size_t n,
                           exs_iocset_bad_fn bad, void *ctx);
/* Lowers the bytes read of one list (EXS_MAX_IOC_FILE), for tests. */
void exs_iocset_set_max_file(exs_iocset *s, size_t max);

/* Lookups; NULL when absent. hex: a SHA-256, SHA-1 or MD5 digest in lowercase hex (the type
 * is the indicator's). norm: a normalised file path
 * (exs_path_norm). ip: as logged. host: a host name (its parent domains are tried too). */
const exs_ioc *exs_iocset_hash(const exs_iocset *s, const char *hex);
const exs_ioc *exs_iocset_path(const exs_iocset *s, const char *norm);
const exs_ioc *exs_iocset_ip(const exs_iocset *s, const char *ip);
const exs_ioc *exs_iocset_domain(const exs_iocset *s, const char *host);

/* Loki filename IOCs (EXS_IOC_PATH_REGEX): built once every list is loaded, before any
 * lookup; NULL from exs_iocset_regexes when the set has none. winpath: the file's path in
 * Windows form (exs_ioc_winpath). Returns the matching indicator with the highest score, the
 * number that matched in *count. */
exs_rc exs_iocset_compile(exs_iocset *s, char *err, size_t errlen);
const struct exs_pathre *exs_iocset_regexes(const exs_iocset *s);
const exs_ioc *exs_iocset_path_regex(const exs_iocset *s, struct exs_pathre_scratch *scr,
                                     const char *winpath, size_t *count);

/* A normalised path (exs_path_norm) as the Windows path the expressions are written for,
 * with backslash separators. The drive letter: a one-letter folder ("C", or "C:" as a decoded
 * "C%3A") among the first three of rel (the path shown for the file, under its evidence root;
 * may be NULL), else the last one-letter folder of norm that holds a Windows top folder
 * (Windows, Program Files, ProgramData, Users, inetpub); without either the path starts at a
 * backslash. */
void exs_ioc_winpath(const char *norm, const char *rel, char *out, size_t cap);

size_t exs_iocset_count(const exs_iocset *s, exs_ioc_type t);
/* Indicators of list files (not built-in) of a type. */
size_t exs_iocset_count_user(const exs_iocset *s, exs_ioc_type t);

/* Normalises a Windows or POSIX path indicator into the key matched against file paths:
 * lowercase, '/' separators, no drive, environment variables expanded, Exchange paths cut to
 * start at FrontEnd\HttpProxy or ClientAccess (any install root). Returns the length. */
size_t exs_ioc_path_key(const char *in, char *out, size_t cap);

#endif
