/* exsweep: the finding model.
 *
 * A finding is one piece of evidence that a rule matched: a log row, a file, an event, or a
 * tie between several of them. It is typed: where it came from (origin), what it is about (the
 * optional subject groups: file, process, HTTP request, event, cmdlet, plus named facts for
 * what fits none of them), which rule matched and how, and which other findings it is tied to.
 * Facts are never folded into prose: the report writers render the words.
 *
 * Every string is raw bytes as read from the evidence (attacker-controlled, possibly invalid
 * UTF-8, possibly holding control characters), except where said otherwise. Escaping is the
 * job of the report writers, never of the detectors.
 *
 * Ownership: a finding and everything it points to belong to the results object it came from
 * (include/exsweep/results.h) and live as long as it.
 */
#ifndef EXSWEEP_FINDING_H
#define EXSWEEP_FINDING_H

#include <stdbool.h>
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
#define EXS_VERDICT__MAX 4

typedef enum exs_severity {
    EXS_SEV_LOW = 1,
    EXS_SEV_MEDIUM = 2,
    EXS_SEV_HIGH = 3,
    EXS_SEV_CRITICAL = 4,
} exs_severity;

/* No time known. */
#define EXS_TIME_NONE INT64_MIN

/* A rule: static data, one per stable id. */
typedef struct exs_rule {
    const char *id;          /* stable: "EXS-PL-26855-SSRF" */
    const char *name;        /* one-line title */
    const char *cves;        /* comma-separated CVE ids, "" when none */
    const char *family;      /* "ProxyLogon", "ProxyShell", "ProxyNotShell", "OWASSRF", "WebShell", ... */
    const char *description; /* what it means and what to do next */
    const char *techniques;  /* comma-separated MITRE ATT&CK technique ids ("T1505.003"), "" when
                                none fits */
    bool backdoor;           /* its findings are about a backdoor (a web shell, a rogue transport
                                agent): always kept, whatever the caps */
} exs_rule;

/* Length of a finding id: 32 lowercase hex digits and a NUL. */
#define EXS_ID_LEN 33

/* Where the evidence lies. */
typedef struct exs_origin {
    uint32_t root;            /* index of the evidence root (exs_results_roots) */
    const char *path;         /* path relative to the root, '/'-separated; for an archive member,
                                 the outermost archive; "" for findings of the whole sweep */
    const char *const *members; /* the archive member chain inside path, outermost first */
    size_t nmembers;
    const char *kind;         /* the evidence kind read: "httpproxy", "iis", "evtx", "file",
                                 "correlation", ... (not evidence bytes) */
    uint64_t line;            /* 1-based line of a log, 0 when not a line */
    uint64_t record;          /* EVTX EventRecordID (or the line of an event export), 0 when none */
    int64_t offset;           /* byte offset of the line or record in its file, -1 when unknown */
} exs_origin;

/* The file a finding is about (a file on disk, or a file a log or event names). */
typedef struct exs_file_facts {
    const char *path;       /* a file found in the evidence: its path relative to the root (archive
                               members as "a.zip!/x"); a file an event names: the path it gives */
    int64_t size;           /* bytes, -1 when unknown */
    const char *sha256;     /* lowercase hex, NULL when not hashed */
    const char *sha1, *md5; /* lowercase hex, NULL unless an IOC list asked for them */
    int64_t mtime_ms, atime_ms, ctime_ms; /* EXS_TIME_NONE when unknown */
    const char *attributes; /* Windows attributes as names ("hidden,system"), NULL when unknown */
    const char *url;        /* the URL path IIS serves it under, NULL when not served */
    const char *site;       /* the site or folder that serves it, NULL when unknown */
    uint64_t device, inode; /* of a file on disk as the sweep opened it (st_dev, st_ino): what
                               quarantine --from checks is still the same file; 0 when unknown
                               (archive members, files an event names) */
} exs_file_facts;

/* A process an event shows (created, opening another, writing a file). */
typedef struct exs_process_facts {
    const char *executable;        /* image path as logged */
    const char *command_line;
    int64_t pid;                   /* -1 when unknown */
    const char *parent_executable;
    int64_t parent_pid;            /* -1 when unknown */
    const char *user;              /* as logged ("DOMAIN\\user", "user@domain", "user") */
    const char *target_executable; /* the process it acted on (lsass.exe opened, a thread created
                                      in), NULL when none */
} exs_process_facts;

/* A web request. */
typedef struct exs_http_facts {
    const char *method;
    const char *path;       /* URL path as logged */
    const char *query;      /* without the leading '?' */
    int status;             /* 0 when unknown */
    const char *client;     /* client address as logged (an IP, or a host name) */
    int client_port;        /* 0 when unknown */
    const char *user_agent;
    const char *user;       /* authenticated user as logged */
    const char *host;       /* the host name the request was addressed to */
    bool backend;           /* logged by a back end (W3SVC2, Rps_Http): client is an Exchange
                               server forwarding the request, not the attacker */
} exs_http_facts;

/* A Windows event. */
typedef struct exs_event_facts {
    const char *channel;
    const char *provider;
    uint32_t id;            /* event id */
    const char *computer;   /* the Windows computer name of the record */
    bool recovered;         /* found in free space or a damaged chunk, outside the live records */
} exs_event_facts;

/* An Exchange cmdlet run (cmdlet logs, MSExchange Management events). */
typedef struct exs_cmdlet_facts {
    const char *name;
    const char *parameters;
    const char *user;
    const char *client;     /* the address it was run from, NULL when unknown */
    bool failed;            /* the log says it did not succeed */
} exs_cmdlet_facts;

/* A named fact that fits none of the groups: key is a fixed name from the library (never
 * evidence bytes; the list is in docs/findings.md), value a string (numbers as decimal). */
typedef struct exs_fact {
    const char *key;
    const char *value;
} exs_fact;

typedef struct exs_finding {
    char id[EXS_ID_LEN];       /* stable: the same evidence gives the same id on every run */
    const exs_rule *rule;
    exs_verdict verdict;
    exs_severity severity;
    int64_t time_ms;           /* UTC, milliseconds since the epoch, or EXS_TIME_NONE (also
                                  for a time no date can write: a year before 0 or past 9999) */
    const char *reason;        /* which case of the rule matched, in the library's words
                                  ("SSRF to localhost: a scanner's check"); NULL when the rule has
                                  one case. Never evidence bytes in a sweep's own findings. */
    exs_origin origin;
    /* The subject: each group is NULL when absent. */
    const exs_file_facts *file;
    const exs_process_facts *process;
    const exs_http_facts *http;
    const exs_event_facts *event;
    const exs_cmdlet_facts *cmdlet;
    const exs_fact *facts;
    size_t nfacts;
    const char *target;        /* what was hit, when no group says it: a mailbox, a back-end path,
                                  an indicator value; NULL when absent */
    const char *const *related;/* ids of the findings this one is tied to */
    size_t nrelated;
    const char *evidence;      /* excerpt of the raw evidence, NULL when none */
} exs_finding;

/* The step of an intrusion that a rule's findings show: the report's chain (exploitation ->
 * backdoor written -> backdoor used -> post-exploitation -> clean-up). */
typedef enum exs_stage {
    EXS_STAGE_OTHER = 0,    /* none of the steps (an indicator list's address, a user rule) */
    EXS_STAGE_RECON = 1,    /* scanning for the hole or for shells: probes */
    EXS_STAGE_EXPLOIT = 2,  /* the hole used or tried (SSRF, forged tokens, deserialisation) */
    EXS_STAGE_WRITE = 3,    /* a backdoor written or present: a shell file, a rogue virtual
                               directory or transport agent, the exploit's file write */
    EXS_STAGE_USE = 4,      /* a backdoor used: requests to it, the processes it started */
    EXS_STAGE_POST = 5,     /* what came after: credentials, mail theft, accounts and roles,
                               persistence, defences turned off, staging, ransomware, miners */
    EXS_STAGE_CLEANUP = 6,  /* tracks covered: logs cleared, export requests removed, command
                               traces deleted */
    EXS_STAGE_RESPONSE = 7, /* the defenders' tools at work: EOMT, MSERT, antivirus */
} exs_stage;
#define EXS_STAGE__N 8

/* The stage of a rule (by its id; a rule this version does not know: by its ATT&CK
 * techniques, else EXS_STAGE_OTHER), and of a finding (a probe is reconnaissance whatever its
 * rule). Static names: "other", "recon", "exploit", "write", "use", "post", "cleanup",
 * "response"; exs_stage_title gives the report's words ("backdoor written"). */
exs_stage exs_rule_stage(const exs_rule *r);
exs_stage exs_finding_stage(const exs_finding *f);
const char *exs_stage_name(exs_stage s);
const char *exs_stage_title(exs_stage s);

/* Static names: "exploitation", "attempt", "probe", "suspicious"; "low" .. "critical". */
const char *exs_verdict_name(exs_verdict v);
const char *exs_severity_name(exs_severity s);
/* The inverse: 0 when the name is unknown. */
exs_verdict exs_verdict_parse(const char *name);
exs_severity exs_severity_parse(const char *name);

/* The value of the named fact, or NULL. */
const char *exs_finding_fact(const exs_finding *f, const char *key);

/* The built-in rule table, for listing and documentation. *n receives the count. */
const exs_rule *exs_rules(size_t *n);
/* The built-in rule with this id, or NULL. */
const exs_rule *exs_rule_find(const char *id);
/* The rule set a rule comes from: "sigma" for a Sigma rule of --sigma (its family is
 * "Sigma"), else "exsweep" (the built-in and shipped rules, YARA rules of --rules). Static. */
const char *exs_rule_ruleset(const exs_rule *r);
/* The name of an ATT&CK technique exsweep's rules use ("T1505.003" -> "Server Software
 * Component: Web Shell"), or NULL. */
const char *exs_technique_name(const char *id);

#ifdef __cplusplus
}
#endif
#endif
