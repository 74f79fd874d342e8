/* Detector entry points, by the shape of the evidence they read.
 *
 * Row readers (lib/logs/) turn candidate lines into these shapes and call the detectors;
 * detectors decide and report through xs_emit(). Each detector family also publishes the
 * prefilter expressions that must match every line it could report (a superset: the full
 * predicate runs on the parsed row).
 */
#ifndef XS_DETECTORS_DETECT_H
#define XS_DETECTORS_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"
#include "engines/prefilter.h"
#include "scan/ctx.h"

/* One web request, from IIS, HttpProxy, Rps_Http or a CSV export. Absent fields are empty. */
typedef struct xs_request {
    int64_t time_ms;
    uint64_t line;
    xs_str method, stem, query; /* query without a leading '?' */
    xs_str ua;                  /* '+' already decoded to ' ' for IIS */
    xs_str ip, user, host, referer;
    xs_str cookie;               /* IIS cs(Cookie) when the server logs it */
    int status;                  /* -1 when unknown */
    int port;                    /* 0 when unknown */
    /* HttpProxy */
    xs_str anchor, routing_hint, protocol;
    xs_str target_server;        /* the back end the front end sent the request to */
    int backend_status;          /* its answer; 0 or -1 when unknown */
    /* Rps_Http */
    xs_str auth_type, is_auth, client_info, generic_info;
    bool user_logged;            /* the log has a user column (so empty means anonymous) */
    bool backend;                /* logged by a back end (IIS W3SVC2, port 444, Rps_Http): the
                                    client is an Exchange server forwarding the request */
    xs_str raw;                 /* the whole line, for the evidence excerpt */
} xs_request;

struct xs_event;

/* A cmdlet run, from Rps_Cmdlet or MSExchange Management events. */
typedef struct xs_cmdlet {
    int64_t time_ms;
    uint64_t line;
    xs_str name, params, user, client, result, raw;
    const struct xs_event *event; /* the event it came from, NULL for a cmdlet log */
} xs_cmdlet;

/* One Windows event, from an EVTX record or an event export. Field names are EventData /
 * UserData names ("Image", "CommandLine", ...; unnamed items "string" or "Data" in order). */
typedef struct xs_event_field {
    xs_str name, value;
} xs_event_field;

typedef struct xs_event {
    int64_t time_ms;
    uint64_t record;           /* EventRecordID, 0 when unknown */
    uint64_t line;             /* the line of an event export, 0 for an EVTX record */
    int64_t offset;            /* byte offset of an EVTX record in its file, -1 otherwise */
    uint32_t event_id;
    uint8_t level;             /* 1 critical, 2 error, 3 warning, 4 information */
    xs_str provider, channel, computer;
    const xs_event_field *fields;
    size_t nfields;
    xs_str text;              /* the whole record rendered: substring checks and evidence */
    bool recovered;            /* an EVTX record found in free space or a damaged chunk */
} xs_event;

/* The first field named name (ASCII case-insensitive), or "" (never a NULL pointer, so
 * callers test .n only and may print it with %.*s). */
xs_str xs_event_get(const xs_event *e, const char *name);

/* Per-file memory of the event detectors: process ids seen to be lsass.exe, and memory
 * dumps waiting to learn whether their target was lsass. */
#define XS_EVENT_PIDS 64
typedef struct xs_event_dump {
    uint64_t pid;
    int64_t time_ms;
    uint64_t record, line;
    int64_t offset; /* the finding's (xs_ctx_offset), -1 when none: the id it has in order */
    uint32_t event_id;
    char tool[24];                      /* a static name */
    /* what the finding keeps of each (lib/results/build.c), so that nothing is cut here */
    char cmd[XS_MAX_FINDING_FIELD + 1];
    char user[XS_MAX_FINDING_NAME + 1];
    char provider[XS_MAX_FINDING_NAME + 1], channel[XS_MAX_FINDING_NAME + 1],
        computer[XS_MAX_FINDING_NAME + 1];
    bool recovered;
} xs_event_dump;

typedef struct xs_event_state {
    uint64_t lsass_pids[XS_EVENT_PIDS];
    size_t nlsass;
    xs_event_dump dumps[16];
    size_t ndumps;
} xs_event_state;

/* Events: process creation, access and file creation (Sysmon, 4688), Exchange cmdlet and UM
 * events, Defender, PowerShell, log clearing, directory changes. */
void xs_detect_event(xs_ctx *c, xs_event_state *st, const xs_event *e);
/* At the end of an event file: settle the dumps whose target was not known yet. */
void xs_detect_events_end(xs_ctx *c, xs_event_state *st);

/* Web requests: ProxyLogon carriers, SSRF anchors, ProxyShell, ProxyNotShell, OWASSRF,
 * web-shell access, commands, tunnels. */
void xs_detect_request(xs_ctx *c, const xs_request *r);
/* Rps_Http rows: ProxyShell X-Rps-CAT, OWASSRF. */
void xs_detect_rpshttp(xs_ctx *c, const xs_request *r);
/* ECP Server log line (EventData or the whole line). */
void xs_detect_ecp(xs_ctx *c, int64_t time_ms, xs_str text, uint64_t line);
/* OABGeneratorLog line. */
void xs_detect_oabgen(xs_ctx *c, int64_t time_ms, xs_str text, uint64_t line);
/* Cmdlet logs. */
void xs_detect_cmdlet(xs_ctx *c, const xs_cmdlet *cm);
/* Any other text line that passed the loose prefilter. */
void xs_detect_text(xs_ctx *c, xs_str line, uint64_t lineno);
/* A line of ExchangeSetup.log (files under an ExchangeSetupLogs folder): the build Setup
 * installed and the one it found, for the server's state (lib/detectors/setuplog.c). */
void xs_detect_setuplog(xs_ctx *c, xs_str line, uint64_t lineno);

/* The ServerInfo~ anchor classifier shared by HttpProxy rows and loose text. anchor starts
 * at "ServerInfo~". Returns false when it is not an SSRF anchor (no '/' after the host). */
bool xs_detect_anchor(xs_ctx *c, xs_str anchor, const xs_request *r);

/* The first timestamp within the first 64 bytes of a line (ISO or W3C), or EXS_TIME_NONE. */
int64_t xs_find_time(xs_str line);

/* The prefilter expressions each detector file declares beside its predicates (triggers and
 * tokens; lib/detectors/patterns.h), composed per log kind in lib/logs/kinds.c. */
extern const xs_pattern xs_pat_directive[];  /* patterns.c: "#" lines */
extern const xs_pattern xs_pat_decoded[];    /* patterns.c: percent-encoded letters */
extern const xs_pattern xs_pat_proxylogon[]; /* proxylogon.c */
extern const xs_pattern xs_pat_webshell[];   /* webshell_log.c */
extern const xs_pattern xs_pat_paths_w3c[];  /* webshell_log.c: paths of IIS W3C logs */
extern const xs_pattern xs_pat_paths_csv[];  /* ... of CSV request logs (HttpProxy, exports) */
extern const xs_pattern xs_pat_proxyshell[]; /* proxyshell.c, with its tokens */
extern const uint32_t xs_conj_request[];      /* proxyshell.c: the token conjunctions */
extern const xs_pattern xs_pat_rpshttp[];    /* proxyshell.c */
extern const xs_pattern xs_pat_ecp[];        /* proxylogon.c */
extern const xs_pattern xs_pat_oabgen[];     /* proxylogon.c */
extern const xs_pattern xs_pat_cmdlet[];     /* cmdlet.c */
extern const xs_pattern xs_pat_text[];       /* text.c */
extern const xs_pattern xs_pat_jsonl[];      /* events.c */

/* URL path normalisation for folder checks: %XX decoded, '\' to '/', lowercased, repeated
 * slashes collapsed. Writes at most cap-1 bytes and a NUL; returns the length. */
size_t xs_url_norm(xs_str path, char *out, size_t cap);

#endif
