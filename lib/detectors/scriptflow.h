/* What a server script does with the request: request-controlled sources (Request in all its
 * forms, server controls the client fills, web-method parameters, values kept in Session)
 * followed through variables, decode steps and the script's own functions into sinks (code
 * evaluation, process start, code loading, file writes and uploads, SQL text, XSLT with script,
 * registry, sockets and fetches, file management). Reads the tokens of parsers/script.h.
 *
 * Each behaviour found gets a score (0-100) from what reaches the sink and how; the file's score
 * is the strongest behaviour plus supporting signals (an "unsafe" evaluator, sink names built
 * from character codes, encoded server code, a published web-shell name). The caller turns the
 * score into a verdict (XS_WS_SCORE_*). All output is fixed-size text owned by the caller.
 */
#ifndef XS_DETECTORS_SCRIPTFLOW_H
#define XS_DETECTORS_SCRIPTFLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "parsers/script.h"

#define XS_WS_SCORE_EXPLOIT 80 /* at or above: a web shell (exploitation) */
#define XS_WS_SCORE_SUSPECT 50 /* at or above: suspicious */

typedef enum xs_wsk {
    XS_WSK_EVAL = 0, /* script evaluation, code compilation */
    XS_WSK_PROCESS,  /* process start */
    XS_WSK_LOAD,     /* assembly loading, reflection */
    XS_WSK_WRITE,    /* file write where the client chooses the path */
    XS_WSK_UPLOAD,   /* upload saved where the client says */
    XS_WSK_SQL,      /* SQL text or connection from the request */
    XS_WSK_XSLT,     /* XSLT with script enabled over request data */
    XS_WSK_REGISTRY, /* registry access by request */
    XS_WSK_SOCKET,   /* raw sockets: a tunnel */
    XS_WSK_FETCH,    /* HTTP fetch of a request-chosen URL */
    XS_WSK_FILES,    /* file management: list, read, change by request path */
    XS_WSK_EMBEDDED, /* code loaded or evaluated from a constant the page carries */
    XS_WSK__COUNT
} xs_wsk;

typedef struct xs_wsflow {
    int score;            /* 0 when the kind was not seen */
    char source[160];     /* "Request.Form (line 3)" */
    char via[256];        /* "FromBase64String (line 4), variable cmd (line 4)", "" */
    char sink[160];       /* "Process.Start (line 7)" */
    uint32_t sink_line;
} xs_wsflow;

typedef struct xs_wsreport {
    xs_wsflow flow[XS_WSK__COUNT];
    int score;           /* the file's */
    xs_wsk best;         /* the strongest behaviour (when score > 0) */
    char signals[256];   /* supporting signals, "; "-separated, "" when none */
    char kinds[160];     /* the behaviours scoring XS_WS_SCORE_SUSPECT or more, ", "-separated */
    bool truncated;      /* a statement past XS_SCRIPT_MAX_STMT tokens was read in parts, or
                            the analysis ran out of its work budget */
} xs_wsreport;

/* A name for a behaviour kind ("command execution", ...). */
const char *xs_wsk_name(xs_wsk k);

/* What the caller knows of the file (bits of xs_scriptflow's hints). */
enum {
    XS_WSH_KNOWN_NAME = 1u << 0, /* a published web-shell name: a supporting signal */
    XS_WSH_EXCHANGE = 1u << 1,   /* in a folder Exchange owns, where no application lives */
};

/* Analyses s with hints (XS_WSH_*). False only when out of memory (the report holds what was
 * found so far). */
bool xs_scriptflow(const xs_script *s, unsigned hints, xs_wsreport *out);

#endif
