/* A finding as it is described before it is kept: spans into the caller's buffers, copied
 * (and capped) by exs_finding_build. Detectors fill one through exs_hit_init and the setters
 * below and hand it to exs_emit (lib/scan/ctx.h); the JSON-lines reader fills one per record.
 *
 * A subject group is present when any of its fields is set (a span with bytes, a number other
 * than its "unknown" value).
 */
#ifndef EXS_RESULTS_HIT_H
#define EXS_RESULTS_HIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/str.h"
#include "exsweep/error.h"
#include "exsweep/finding.h"

typedef struct exs_hit_http {
    exs_str method, path, query, client, ua, user, host;
    int status;      /* 0 unknown */
    int client_port; /* 0 unknown */
    bool backend;
} exs_hit_http;

typedef struct exs_hit_proc {
    exs_str image, cmd, parent, user, target;
    int64_t pid, ppid; /* -1 unknown */
} exs_hit_proc;

typedef struct exs_hit_event {
    exs_str channel, provider, computer;
    uint32_t id; /* 0 unknown */
    bool recovered;
} exs_hit_event;

typedef struct exs_hit_cmdlet {
    exs_str name, params, user, client;
    bool failed;
} exs_hit_cmdlet;

typedef struct exs_hit_file {
    exs_str path, sha256, sha1, md5, attributes, url, site;
    int64_t size;                     /* -1 unknown */
    int64_t mtime_ms, atime_ms, ctime_ms; /* EXS_TIME_NONE unknown */
} exs_hit_file;

typedef struct exs_hit_kv {
    const char *key; /* static */
    exs_str value;
} exs_hit_kv;

typedef struct exs_hit {
    const exs_rule *rule;
    exs_verdict verdict;
    exs_severity severity;
    int64_t time_ms;
    const char *reason; /* static phrase, NULL when the rule has one case */
    uint64_t line, record;
    int64_t offset;     /* -1 unknown */
    exs_str key;        /* what tells apart two findings of one rule at one place (a URL, an
                           indicator); part of the id, not shown */
    exs_hit_http http;
    exs_hit_proc proc;
    exs_hit_event event;
    exs_hit_cmdlet cmdlet;
    exs_hit_file file;
    exs_hit_kv facts[EXS_MAX_FACTS];
    size_t nfacts;
    exs_str target, evidence;
    exs_str related[EXS_MAX_RELATED];
    size_t nrelated;
    char numbuf[EXS_MAX_FACTS][32]; /* decimal text of numeric facts */
} exs_hit;

/* Zeroes h and sets the "unknown" values (times, pids, sizes, offset). */
void exs_hit_init(exs_hit *h, const exs_rule *rule, exs_verdict v, exs_severity s,
                  int64_t time_ms);

/* Adds a named fact (key static, from docs/findings.md). Empty values are not added; facts
 * past EXS_MAX_FACTS are dropped (a programming error: the lists are fixed). */
void exs_hit_fact(exs_hit *h, const char *key, exs_str value);
void exs_hit_fact_cstr(exs_hit *h, const char *key, const char *value);
void exs_hit_fact_u64(exs_hit *h, const char *key, uint64_t value);
/* A time as ISO-8601 UTC text; EXS_TIME_NONE adds nothing. */
void exs_hit_fact_time(exs_hit *h, const char *key, int64_t ms);
/* Adds the id of a related finding; past EXS_MAX_RELATED returns false. Duplicates are skipped. */
bool exs_hit_relate(exs_hit *h, const char *id);

/* The origin of a finding while it is built. */
typedef struct exs_hit_origin {
    uint32_t root;
    const char *label;  /* the root's label, part of the id */
    exs_str path;       /* relative to the root */
    exs_str members[EXS_MAX_ARCHIVE_DEPTH + 1];
    size_t nmembers;
    const char *kind;
    int64_t offset;     /* the byte offset when the hit has none (-1: none) */
} exs_hit_origin;

/* What exs_finding_build noticed about the strings it copied. */
typedef struct exs_build_notes {
    bool bad_utf8; /* one was not valid UTF-8 */
    bool cut;      /* one was longer than its cap, and cut there */
} exs_build_notes;

/* Builds *out from h and o: every string copied into one allocation (capped: evidence at
 * EXS_MAX_EVIDENCE, paths at EXS_MAX_PATH, names at EXS_MAX_FINDING_NAME, short fields at
 * EXS_MAX_FINDING_SHORT, the rest at EXS_MAX_FINDING_FIELD), *block set to it (the caller
 * frees it when the finding goes). A time that cannot be written as a date (a year past 9999:
 * exs_time_formattable) is kept as EXS_TIME_NONE, the finding's and the file's. id NULL: the
 * finding's id is computed from its identity (exs_finding_id); else copied. *notes (may be
 * NULL) says what was met. Returns EXS_ENOMEM, or EXS_EIO when the digest failed. */
exs_rc exs_finding_build(const exs_hit *h, const exs_hit_origin *o, const char *id,
                         unsigned dup, exs_finding *out, void **block, exs_build_notes *notes);

/* The id of a finding: the first 16 bytes of SHA-256 over its identity (root label, path,
 * members, line, record, offset, rule id, reason, key, and dup: the count of earlier findings
 * with the same identity in the same file), in lowercase hex. Returns false when the digest
 * failed. */
bool exs_finding_id(const exs_hit *h, const exs_hit_origin *o, unsigned dup, char out[EXS_ID_LEN]);

#endif
