/* Detector entry points, by the shape of the evidence they read.
 *
 * Row readers (lib/logs/) turn candidate lines into these shapes and call the detectors;
 * detectors decide and report through exs_emit(). Each detector family also publishes the
 * prefilter expressions that must match every line it could report (a superset: the full
 * predicate runs on the parsed row).
 */
#ifndef EXS_DETECTORS_DETECT_H
#define EXS_DETECTORS_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"
#include "engines/prefilter.h"
#include "scan/ctx.h"

/* One web request, from IIS, HttpProxy, Rps_Http or a CSV export. Absent fields are empty. */
typedef struct exs_request {
    int64_t time_ms;
    uint64_t line;
    exs_str method, stem, query; /* query without a leading '?' */
    exs_str ua;                  /* '+' already decoded to ' ' for IIS */
    exs_str ip, user, host, referer;
    int status;                  /* -1 when unknown */
    int port;                    /* 0 when unknown */
    /* HttpProxy */
    exs_str anchor, routing_hint, protocol;
    /* Rps_Http */
    exs_str auth_type, is_auth, client_info, generic_info;
    bool user_logged;            /* the log has a user column (so empty means anonymous) */
    bool backend;                /* logged by a back end (IIS W3SVC2, port 444, Rps_Http): the
                                    client is an Exchange server forwarding the request */
    exs_str raw;                 /* the whole line, for the evidence excerpt */
} exs_request;

struct exs_event;

/* A cmdlet run, from Rps_Cmdlet or MSExchange Management events. */
typedef struct exs_cmdlet {
    int64_t time_ms;
    uint64_t line;
    exs_str name, params, user, client, result, raw;
    const struct exs_event *event; /* the event it came from, NULL for a cmdlet log */
} exs_cmdlet;

/* One Windows event, from an EVTX record or an event export. Field names are EventData /
 * UserData names ("Image", "CommandLine", ...; unnamed items "string" or "Data" in order). */
typedef struct exs_event_field {
    exs_str name, value;
} exs_event_field;

typedef struct exs_event {
    int64_t time_ms;
    uint64_t record;           /* EventRecordID, 0 when unknown */
    uint64_t line;             /* the line of an event export, 0 for an EVTX record */
    int64_t offset;            /* byte offset of an EVTX record in its file, -1 otherwise */
    uint32_t event_id;
    uint8_t level;             /* 1 critical, 2 error, 3 warning, 4 information */
    exs_str provider, channel, computer;
    const exs_event_field *fields;
    size_t nfields;
    exs_str text;              /* the whole record rendered: substring checks and evidence */
    bool recovered;            /* an EVTX record found in free space or a damaged chunk */
} exs_event;

/* The first field named name (ASCII case-insensitive), or "" (never a NULL pointer, so
 * callers test .n only and may print it with %.*s). */
exs_str exs_event_get(const exs_event *e, const char *name);

/* Per-file memory of the event detectors: process ids seen to be lsass.exe, and memory
 * dumps waiting to learn whether their target was lsass. */
#define EXS_EVENT_PIDS 64
typedef struct exs_event_dump {
    uint64_t pid;
    int64_t time_ms;
    uint64_t record, line;
    uint32_t event_id;
    char tool[24];                      /* a static name */
    /* what the finding keeps of each (lib/results/build.c), so that nothing is cut here */
    char cmd[EXS_MAX_FINDING_FIELD + 1];
    char user[EXS_MAX_FINDING_NAME + 1];
    char provider[EXS_MAX_FINDING_NAME + 1], channel[EXS_MAX_FINDING_NAME + 1],
        computer[EXS_MAX_FINDING_NAME + 1];
    bool recovered;
} exs_event_dump;

typedef struct exs_event_state {
    uint64_t lsass_pids[EXS_EVENT_PIDS];
    size_t nlsass;
    exs_event_dump dumps[16];
    size_t ndumps;
} exs_event_state;

/* Events: process creation, access and file creation (Sysmon, 4688), Exchange cmdlet and UM
 * events, Defender, PowerShell, log clearing, directory changes. */
void exs_detect_event(exs_ctx *c, exs_event_state *st, const exs_event *e);
/* At the end of an event file: settle the dumps whose target was not known yet. */
void exs_detect_events_end(exs_ctx *c, exs_event_state *st);

/* Web requests: ProxyLogon carriers, SSRF anchors, ProxyShell, ProxyNotShell, OWASSRF,
 * web-shell access, commands, tunnels. */
void exs_detect_request(exs_ctx *c, const exs_request *r);
/* Rps_Http rows: ProxyShell X-Rps-CAT, OWASSRF. */
void exs_detect_rpshttp(exs_ctx *c, const exs_request *r);
/* ECP Server log line (EventData or the whole line). */
void exs_detect_ecp(exs_ctx *c, int64_t time_ms, exs_str text, uint64_t line);
/* OABGeneratorLog line. */
void exs_detect_oabgen(exs_ctx *c, int64_t time_ms, exs_str text, uint64_t line);
/* Cmdlet logs. */
void exs_detect_cmdlet(exs_ctx *c, const exs_cmdlet *cm);
/* Any other text line that passed the loose prefilter. */
void exs_detect_text(exs_ctx *c, exs_str line, uint64_t lineno);

/* The ServerInfo~ anchor classifier shared by HttpProxy rows and loose text. anchor starts
 * at "ServerInfo~". Returns false when it is not an SSRF anchor (no '/' after the host). */
bool exs_detect_anchor(exs_ctx *c, exs_str anchor, const exs_request *r);

/* The first timestamp within the first 64 bytes of a line (ISO or W3C), or EXS_TIME_NONE. */
int64_t exs_find_time(exs_str line);

/* The prefilter expressions each detector file declares beside its predicates (triggers and
 * tokens; lib/detectors/patterns.h), composed per log kind in lib/logs/kinds.c. */
extern const exs_pattern exs_pat_directive[];  /* patterns.c: "#" lines */
extern const exs_pattern exs_pat_decoded[];    /* patterns.c: percent-encoded letters */
extern const exs_pattern exs_pat_proxylogon[]; /* proxylogon.c */
extern const exs_pattern exs_pat_webshell[];   /* webshell_log.c */
extern const exs_pattern exs_pat_paths_w3c[];  /* webshell_log.c: paths of IIS W3C logs */
extern const exs_pattern exs_pat_paths_csv[];  /* ... of CSV request logs (HttpProxy, exports) */
extern const exs_pattern exs_pat_proxyshell[]; /* proxyshell.c, with its tokens */
extern const uint32_t exs_conj_request[];      /* proxyshell.c: the token conjunctions */
extern const exs_pattern exs_pat_rpshttp[];    /* proxyshell.c */
extern const exs_pattern exs_pat_ecp[];        /* proxylogon.c */
extern const exs_pattern exs_pat_oabgen[];     /* proxylogon.c */
extern const exs_pattern exs_pat_cmdlet[];     /* cmdlet.c */
extern const exs_pattern exs_pat_text[];       /* text.c */
extern const exs_pattern exs_pat_jsonl[];      /* events.c */

/* URL path normalisation for folder checks: %XX decoded, '\' to '/', lowercased, repeated
 * slashes collapsed. Writes at most cap-1 bytes and a NUL; returns the length. */
size_t exs_url_norm(exs_str path, char *out, size_t cap);

#endif
