/* A finding as it is described before it is kept: spans into the caller's buffers, copied
 * (and capped) by xs_finding_build. Detectors fill one through xs_hit_init and the setters
 * below and hand it to xs_emit (lib/scan/ctx.h); the JSON-lines reader fills one per record.
 *
 * A subject group is present when any of its fields is set (a span with bytes, a number other
 * than its "unknown" value).
 */
#ifndef XS_RESULTS_HIT_H
#define XS_RESULTS_HIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/str.h"
#include "exsweep/error.h"
#include "exsweep/finding.h"

typedef struct xs_hit_http {
    xs_str method, path, query, client, ua, user, host;
    int status;      /* 0 unknown */
    int client_port; /* 0 unknown */
    bool backend;
} xs_hit_http;

typedef struct xs_hit_proc {
    xs_str image, cmd, parent, user, target;
    int64_t pid, ppid; /* -1 unknown */
} xs_hit_proc;

typedef struct xs_hit_event {
    xs_str channel, provider, computer;
    uint32_t id; /* 0 unknown */
    bool recovered;
} xs_hit_event;

typedef struct xs_hit_cmdlet {
    xs_str name, params, user, client;
    bool failed;
} xs_hit_cmdlet;

typedef struct xs_hit_file {
    xs_str path, sha256, sha1, md5, attributes, url, site;
    int64_t size;                     /* -1 unknown */
    int64_t mtime_ms, atime_ms, ctime_ms; /* EXS_TIME_NONE unknown */
    uint64_t device, inode;               /* 0 unknown */
} xs_hit_file;

typedef struct xs_hit_kv {
    const char *key; /* static */
    xs_str value;
} xs_hit_kv;

typedef struct xs_hit {
    const exs_rule *rule;
    exs_verdict verdict;
    exs_severity severity;
    int64_t time_ms;
    const char *reason; /* static phrase, NULL when the rule has one case */
    uint64_t line, record;
    int64_t offset;     /* -1 unknown */
    xs_str key;        /* what tells apart two findings of one rule at one place (a URL, an
                           indicator); part of the id, not shown */
    xs_hit_http http;
    xs_hit_proc proc;
    xs_hit_event event;
    xs_hit_cmdlet cmdlet;
    xs_hit_file file;
    xs_hit_kv facts[XS_MAX_FACTS];
    size_t nfacts;
    xs_str target, evidence;
    xs_str related[XS_MAX_RELATED];
    size_t nrelated;
    char numbuf[XS_MAX_FACTS][32]; /* decimal text of numeric facts */
} xs_hit;

/* Zeroes h and sets the "unknown" values (times, pids, sizes, offset). */
void xs_hit_init(xs_hit *h, const exs_rule *rule, exs_verdict v, exs_severity s,
                  int64_t time_ms);

/* Adds a named fact (key static, from docs/findings.md). Empty values are not added; facts
 * past XS_MAX_FACTS are dropped (a programming error: the lists are fixed). */
void xs_hit_fact(xs_hit *h, const char *key, xs_str value);
void xs_hit_fact_cstr(xs_hit *h, const char *key, const char *value);
void xs_hit_fact_u64(xs_hit *h, const char *key, uint64_t value);
/* A time as ISO-8601 UTC text; EXS_TIME_NONE adds nothing. */
void xs_hit_fact_time(xs_hit *h, const char *key, int64_t ms);
/* Adds the id of a related finding; past XS_MAX_RELATED returns false. Duplicates are skipped. */
bool xs_hit_relate(xs_hit *h, const char *id);

/* The origin of a finding while it is built. */
typedef struct xs_hit_origin {
    uint32_t root;
    const char *label;  /* the root's label, part of the id */
    xs_str path;       /* relative to the root */
    xs_str members[XS_MAX_ARCHIVE_DEPTH + 1];
    size_t nmembers;
    const char *kind;
    int64_t offset;     /* the byte offset when the hit has none (-1: none) */
} xs_hit_origin;

/* What xs_finding_build noticed about the strings it copied. */
typedef struct xs_build_notes {
    bool bad_utf8; /* one was not valid UTF-8 */
    bool cut;      /* one was longer than its cap, and cut there */
} xs_build_notes;

/* Builds *out from h and o: every string copied into one allocation (capped: evidence at
 * XS_MAX_EVIDENCE, paths at XS_MAX_PATH, names at XS_MAX_FINDING_NAME, short fields at
 * XS_MAX_FINDING_SHORT, the rest at XS_MAX_FINDING_FIELD), *block set to it (the caller
 * frees it when the finding goes). A time that cannot be written as a date (a year past 9999:
 * xs_time_formattable) is kept as EXS_TIME_NONE, the finding's and the file's. id NULL: the
 * finding's id is computed from its identity (xs_finding_id); else copied. *notes (may be
 * NULL) says what was met. Returns EXS_ENOMEM, or EXS_EIO when the digest failed. */
exs_rc xs_finding_build(const xs_hit *h, const xs_hit_origin *o, const char *id,
                         unsigned dup, exs_finding *out, void **block, xs_build_notes *notes);

/* The id of a finding: the first 16 bytes of SHA-256 over its identity (root label, path,
 * members, line, record, offset, rule id, reason, key, and dup: the count of earlier findings
 * with the same identity in the same file), in lowercase hex. Returns false when the digest
 * failed. */
bool xs_finding_id(const xs_hit *h, const xs_hit_origin *o, unsigned dup, char out[EXS_ID_LEN]);

#endif
