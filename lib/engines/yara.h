/* libyara behind a narrow interface: compiled rule sets shared read-only by every worker, one
 * scanner per worker thread, and a Vectorscan literal gate in front of the shipped rules.
 *
 * Two kinds of rule set:
 *   - the shipped set (the .yar files under rules/, embedded at build time). Every rule carries
 * exsweep meta (id, name, family, verdict, severity, scope) and obeys the gate convention of
 *     rules/README.md: its condition cannot be true unless one of its literal strings occurs.
 *     The set then gets a literal gate: a Vectorscan database of every literal string, scanned
 *     first; YARA runs only on buffers where some literal occurs.
 *   - user sets (--rules): any YARA 4.2 rule, with the external variables filename, filepath,
 *     extension, filetype and owner defined as Loki defines them. No gate: every buffer is
 *     scanned, so results equal the yara command line tool's.
 *
 * A rule set is immutable after compilation and may be scanned from many threads, each with
 * its own xs_yscanner.
 */
#ifndef XS_ENGINES_YARA_H
#define XS_ENGINES_YARA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engines/yara_embedded.h"
#include "exsweep/error.h"
#include "exsweep/finding.h"

/* Where a rule applies: every file, or every file except structured logs (which the log
 * readers interpret; a web-shell string quoted in a log line is not a web shell). */
typedef enum xs_yscope {
    XS_YSCOPE_FILE = 0, /* not on files read as Exchange/IIS logs */
    XS_YSCOPE_ANY = 1,  /* any file, logs included (command traces, tool strings) */
} xs_yscope;

typedef struct xs_yrule {
    exs_rule rule; /* id, name, cves, family, description; strings owned by the set */
    exs_verdict verdict;
    exs_severity severity;
    xs_yscope scope;
    const char *source; /* the rule file (shipped name or user path) */
    bool user;          /* from --rules */
    bool is_private;    /* a private helper rule: never reported */
    /* Gate bookkeeping (shipped rules): literal strings found and the shortest of them. */
    unsigned gate_literals;
    unsigned gate_minlen;
    bool gate_off;         /* meta prefilter = "off": the rule runs on every buffer */
    bool gate_unsupported; /* a string the gate cannot represent (xor, base64) */
} xs_yrule;

typedef struct xs_yrules xs_yrules;

/* Process-wide libyara set-up; reference counted and thread-safe. */
exs_rc xs_yara_init(void);
void xs_yara_fini(void);

/* Compiles NUL-name-terminated sources as a shipped set (meta required, gate built). On
 * failure err receives "<file>:<line>: <message>" and the result is EXS_ERULE, or it says
 * what failed with EXS_ENOMEM or EXS_EENGINE (libyara itself failed). */
exs_rc xs_yrules_from_sources(xs_yrules **out, const xs_embedded_rules_file *files, char *err,
                               size_t errlen);
/* The embedded default set (xs_embedded_rules). */
exs_rc xs_yrules_embedded(xs_yrules **out, char *err, size_t errlen);
/* The process-wide shipped set, compiled on first use and never freed (read-only, shared by
 * every scan). On failure (out of memory, or a build defect) *out is NULL, err says why, and
 * the next call tries again. */
exs_rc xs_yrules_shipped_get(const xs_yrules **out, char *err, size_t errlen);
/* The same, NULL on failure. */
const xs_yrules *xs_yrules_shipped(char *err, size_t errlen);

/* Compiles user rule files, each in its own namespace. Errors as above, naming the path. */
exs_rc xs_yrules_from_files(xs_yrules **out, const char *const *paths, size_t n, char *err,
                             size_t errlen);
/* Accepts NULL. */
void xs_yrules_destroy(xs_yrules *r);

size_t xs_yrules_count(const xs_yrules *r);
/* True when rule is the rule of one of set's entries (set may be NULL). */
bool xs_yrules_holds(const xs_yrules *set, const exs_rule *rule);
const xs_yrule *xs_yrules_get(const xs_yrules *r, size_t i);
/* True when the set has a complete literal gate. */
bool xs_yrules_gated(const xs_yrules *r);

typedef struct xs_yscanner xs_yscanner;

/* One per thread. The rule set must outlive the scanner. */
/* timeout_s: per file scanned, in seconds (XS_YARA_TIMEOUT_S in a sweep; tests lower it). */
exs_rc xs_yscanner_create(xs_yscanner **out, const xs_yrules *r, int timeout_s);
void xs_yscanner_destroy(xs_yscanner *s); /* accepts NULL */

/* The first failure (EXS_ENOMEM, EXS_EENGINE) of a scan by s since the last call, or EXS_OK;
 * then forgets it. Whoever owns the scanner fails the sweep with it, whatever the scan's
 * caller made of the result: a buffer that was not scanned must not pass as clean. Accepts
 * NULL. */
exs_rc xs_yscanner_failure(xs_yscanner *s);

/* External variables for one file (NULL means ""). */
typedef struct xs_yvars {
    const char *filename, *filepath, *extension, *filetype, *owner;
} xs_yvars;

typedef struct xs_ymatch {
    const xs_yrule *rule;
    const char *string_id;     /* "$a" of the first match shown, or NULL */
    uint64_t offset;           /* its offset */
    const unsigned char *data; /* its bytes (valid during the callback), capped by YARA */
    size_t len;
} xs_ymatch;

typedef void (*xs_ymatch_fn)(void *ctx, const xs_ymatch *m);

/* Scans buf[0..n). With use_gate on a gated set, the gate runs first and *ran tells whether
 * YARA ran. Results: EXS_OK, EXS_ELIMIT (timeout or too many matches: what matched before is
 * reported), EXS_ENOMEM or EXS_EENGINE (the buffer was not scanned: also kept for
 * xs_yscanner_failure). */
exs_rc xs_yscanner_scan(xs_yscanner *s, const unsigned char *buf, size_t n, const xs_yvars *vars,
                         bool use_gate, xs_ymatch_fn fn, void *ctx, bool *ran);

#endif
