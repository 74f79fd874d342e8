/* Test support: sweep evidence held in memory and look at what was found. */
#ifndef XS_TEST_MEMSCAN_H
#define XS_TEST_MEMSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "exsweep/exsweep.h"

/* Scans one file of content text (len bytes; -1 for strlen) as if it lay at place (a
 * lowercase '/'-separated path such as "c/inetpub/logs/logfiles/w3svc1/u_ex210303.log").
 * Returns the finished scan, to destroy with exs_scan_destroy. Every fixture is also swept with
 * every log line a candidate (the prefilter off), and the findings must be the same: when
 * they differ, the helper prints both and aborts the test. */
exs_scan *t_scan_mem(const char *place, const char *text, long len);

/* Several files in one scan (for cross-file correlation): places and texts NULL-terminated. */
exs_scan *t_scan_many(const char *const *places, const char *const *texts);

/* Same, with explicit lengths (binary content such as event logs); lens may hold -1 for strlen. */
exs_scan *t_scan_many_n(const char *const *places, const char *const *texts, const long *lens);

/* A one-worker scan, created and prepared, for tests that drive a worker themselves (aborts
 * when it cannot be made). */
exs_scan *t_scan_prepared(void);

/* Findings with this rule id (all when rule is NULL). */
size_t t_count(const exs_scan *s, const char *rule);
/* The nth finding with this rule id, or NULL. */
const exs_finding *t_find(const exs_scan *s, const char *rule, size_t nth);
/* Count of warnings of a kind ("bad-row", "line-too-long", ...). */
uint64_t t_warns(const exs_scan *s, const char *kind);
/* One line per finding "RULE verdict ip line" joined with '\n', for readable assertions.
 * Static buffer. */
const char *t_summary(const exs_scan *s);
/* "RULE verdict severity" of the nth finding (in t_summary's order), "none" when there is
 * none. Static buffer. */
const char *t_rvs(const exs_scan *s, size_t nth);
/* One line per finding "RULE|verdict|file name" (the last path component), each ending in
 * '\n', sorted: for exact comparison when the order of findings does not matter. Malloc'd. */
char *t_listing(const exs_scan *s);
/* The first finding with this rule id on a file whose path ends in file_suffix, or NULL. */
const exs_finding *t_find_file(const exs_scan *s, const char *rule, const char *file_suffix);

/* The display path of a finding's origin: path, then "!/member" per archive member. */
size_t t_where(const exs_finding *f, char *buf, size_t cap);

#endif
