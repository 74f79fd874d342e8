/* A cache of compiled Vectorscan literal databases, on the analyst's disk: a database is
 * compiled once for a set of literals and loaded from the cache by the sweeps after (SigmaHQ's
 * Windows rules make 70 databases that take 0.5 s of CPU to compile and 2 ms to load).
 *
 * The cache is a folder of files named by the SHA-256 of what a database was compiled from
 * (the literals, their flags and ids, the mode, the engine's version and this CPU's platform),
 * each holding that key, the database's length and its SHA-256, then the database as
 * hs_serialize_database wrote it. A file is used only when all of that holds and the engine
 * takes it; anything else (another user's file or folder, a folder others may write, a link, a
 * short, long or changed file, another engine) is compiled as without a cache, and the file
 * is written again. Nothing the cache does can change a result: a failure of any of its calls
 * (reads, writes, memory) is a compilation. It is never inside the evidence (avoid, below).
 *
 * Files: written under a temporary name (O_EXCL, mode 0600) and renamed in place, so a reader
 * sees a whole file or none; a cut one fails its SHA-256. Past XS_HSCACHE_MAX_FILES files, the
 * ones used longest ago (by modification time; a hit touches its file) are removed when a
 * cache that stored one is closed; only names of the cache's own shapes (64 hex digits and
 * ".hsdb", ".tmp-" and 16 hex digits, a pid and a number) are ever removed.
 *
 * Thread-safe: one cache is shared by the threads compiling the lists of a sweep. */
#ifndef XS_ENGINES_HSCACHE_H
#define XS_ENGINES_HSCACHE_H

#include <hs.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

typedef struct xs_hscache xs_hscache;

/* Opens the cache in dir, creating it (and missing parents, mode 0700) if need be: its path's
 * existing part resolved, then opened one folder at a time from "/" without following a link,
 * each folder on the way this user's or root's and not writable by others unless sticky, the
 * cache folder this user's and writable by no one else. Never one of the folders avoid[0..navoid)
 * (their st_dev and st_ino: the evidence) or below one, by the folders' identities rather than
 * their names (bind mounts, case-insensitive file systems), and no folder is made inside them.
 * NULL when dir cannot be used, with the reason in why; the caller compiles without a cache. */
xs_hscache *xs_hscache_open(const char *dir, const struct stat *avoid, size_t navoid, char *why,
                            size_t cap);
void xs_hscache_close(xs_hscache *c);

/* hs_compile_lit_multi through the cache c (NULL: no cache): the same arguments and result. A
 * database found in the cache is deserialized; otherwise it is compiled and, compiled, stored. */
hs_error_t xs_hscache_compile_lit(xs_hscache *c, const char *const *ex, const unsigned *flags,
                                  const unsigned *ids, const size_t *lens, unsigned n,
                                  unsigned mode, hs_database_t **db, hs_compile_error_t **ce);

typedef struct xs_hscache_stats {
    size_t hits;      /* databases loaded from the cache */
    size_t compiled;  /* compiled (not in the cache, or its file not usable) */
    size_t bad;       /* files found but not usable (changed, cut, another engine's) */
    size_t stored;    /* compiled databases written to the cache */
    size_t failed;    /* could not be written (the first reason in why) */
    char why[160];
} xs_hscache_stats;

void xs_hscache_stats_get(xs_hscache *c, xs_hscache_stats *out);

/* A cache file's bytes buf[0..n) checked against key: the database inside it (*db, *dbn)
 * when the header, the length and the SHA-256 hold. For the fuzzer and the tests. */
bool xs_hscache_check(const unsigned char *buf, size_t n, const unsigned char key[32],
                      const unsigned char **db, size_t *dbn);

/* Fault injection (tests only; inert at 0): after xs_hscache_fault_at(n), the nth call of the
 * cache that can fail (an allocation, open, read, write, rename, stat, digest, readdir, counted
 * over the process) fails; xs_hscache_fault_calls() says how many were counted since. A test
 * calls xs_hscache_fault_at(LONG_MAX) to count them, then fails each in turn. */
void xs_hscache_fault_at(long n);
long xs_hscache_fault_calls(void);

#endif
