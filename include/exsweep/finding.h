/* exsweep: the finding model.
 *
 * A finding is one piece of evidence that a rule matched: a log row, a file, an event.
 * Every string is raw bytes as read from the evidence (attacker-controlled, possibly
 * invalid UTF-8, possibly holding control characters). Escaping is the job of the
 * report writers, never of the detectors.
 */
#ifndef EXSWEEP_FINDING_H
#define EXSWEEP_FINDING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Ordered by weight: a server's verdict is the heaviest verdict among its findings. */
typedef enum exs_verdict {
    EXS_VERDICT_PROBE = 1,        /* a scanner checked for the hole; nothing was attempted */
    EXS_VERDICT_ATTEMPT = 2,      /* an exploit was tried and did not get through */
    EXS_VERDICT_SUSPICIOUS = 3,   /* abnormal, worth a look, not proof of compromise */
    EXS_VERDICT_EXPLOITATION = 4, /* the hole was used, or a backdoor is present or used */
} exs_verdict;

typedef enum exs_severity {
    EXS_SEV_LOW = 1,
    EXS_SEV_MEDIUM = 2,
    EXS_SEV_HIGH = 3,
    EXS_SEV_CRITICAL = 4,
} exs_severity;

/* No time known for the finding. */
#define EXS_TIME_NONE INT64_MIN

/* A rule: static data, one per stable id. */
typedef struct exs_rule {
    const char *id;          /* stable: "EXS-PL-26855-SSRF" */
    const char *name;        /* one-line title */
    const char *cves;        /* comma-separated CVE ids, "" when none */
    const char *family;      /* "ProxyLogon", "ProxyShell", "ProxyNotShell", "OWASSRF", "WebShell", ... */
    const char *description; /* what it means and what to do next */
} exs_rule;

typedef struct exs_finding {
    const exs_rule *rule;
    exs_verdict verdict;
    exs_severity severity;
    int64_t time_ms;     /* UTC, milliseconds since the epoch, or EXS_TIME_NONE */
    const char *source;  /* static: the evidence kind ("httpproxy", "iis", "ecp", ...) */
    const char *file;    /* path relative to the evidence root; archive members as a.zip!/x */
    uint64_t line;       /* 1-based line (or record) number in file, 0 when not applicable */
    int http_status;     /* 0 when not applicable */
    /* The following are NULL when absent. */
    const char *client_ip;
    const char *user_agent;
    const char *method;
    const char *url_path;
    const char *url_query;
    const char *user;
    const char *host;    /* server or virtual host the request was addressed to */
    const char *target;  /* what was hit: back-end path, mailbox, cmdlet, dropped file */
    const char *detail;  /* a short explanation of why this matched */
    const char *evidence;/* sanitised-at-output excerpt of the raw evidence */
    /* File findings (web shells, artefacts): NULL / -1 when not applicable. */
    const char *sha256;  /* lowercase hex of the file's SHA-256 */
    int64_t file_size;   /* bytes, -1 when not applicable */
} exs_finding;

/* Static names: "exploitation", "attempt", "probe", "suspicious"; "low" .. "critical". */
const char *exs_verdict_name(exs_verdict v);
const char *exs_severity_name(exs_severity s);

/* The built-in rule table, for listing and documentation. *n receives the count. */
const exs_rule *exs_rules(size_t *n);

#ifdef __cplusplus
}
#endif
#endif
