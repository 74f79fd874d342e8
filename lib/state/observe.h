/* The server's own state as the evidence tells it: what the readers observe during the sweep
 * (the build from each source, updates installed, mitigations in place), kept per evidence
 * root. Detectors report through lib/scan/ctx.h (xs_note_build, xs_note_state), which fills
 * the scan's xs_state; after the sweep lib/state/assess.c turns it into the results' server
 * records (include/exsweep/server.h).
 *
 * Thread-safe. Observations that say the same thing are merged (a build seen in a thousand
 * log headers is one observation with a file count and the widest time window), so the
 * store grows with distinct facts, not with files; past XS_MAX_STATE_OBS distinct ones per
 * root the rest are counted (a LIMIT warning), never silently lost.
 */
#ifndef XS_STATE_OBSERVE_H
#define XS_STATE_OBSERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"
#include "state/build.h"

/* Where a build was read (lib/state/assess.c ranks them: the installed binary first). */
typedef enum xs_bsrc {
    XS_BSRC_EXSETUP = 0, /* file version of Bin\ExSetup.exe */
    XS_BSRC_REGISTRY,    /* SOFTWARE\Microsoft\ExchangeServer\v15\Setup */
    XS_BSRC_SETUPLOG,    /* C:\ExchangeSetupLogs */
    XS_BSRC_LOGHEADER,   /* #Version of an Exchange log: in force over the file's rows */
    XS_BSRC_LOGROW,      /* the version columns of a log's rows */
    XS_BSRC_ECPBLD,      /* ECP server log S:BLD */
    XS_BSRC_OWAFOLDER,   /* an owa\auth\<a.b.c> folder (3 parts) */
    XS_BSRC_EXPORT,      /* a tool's export of ExSetup.exe's version (Health Checker's CliXml):
                            a copy anyone can write, trusted below the logs */
    XS_BSRC__N
} xs_bsrc;

/* "ExSetup.exe", "registry", "setup log", "log header", "log rows", "ECP S:BLD", "owa folder",
 * "export". */
const char *xs_bsrc_name(xs_bsrc s);

typedef struct xs_obs_build {
    xs_build build;
    xs_bsrc source;
    int64_t first_ms, last_ms; /* when the source says the build was in force; EXS_TIME_NONE */
    uint64_t line;             /* line (or 0) in the reporting file */
    const char *detail;        /* what was read, e.g. "FileVersion 15.01.2176.009"; NULL */
} xs_obs_build;

typedef enum xs_nkind {
    XS_NOTE_UPDATE = 0,  /* an update installed (what: "KB5000871 Security Update ..."), time:
                            its install date; build: the build it brings when known */
    XS_NOTE_MITIGATION,  /* a mitigation in place (what: the rule's name), family: what it
                            mitigates; time: when the file that holds it last changed */
    XS_NOTE_EOMT,        /* EOMT's MSERTBootstrap\PatchState: what is one stage's value */
    XS_NOTE_SERVICE,     /* a service's state that matters (UM disabled): what says it */
    XS_NOTE_INSTALL,     /* the Exchange install path (MsiInstallPath) */
    XS_NOTE__N
} xs_nkind;

/* XS_MAX_STATE_NOTES (core/limits.h) is XS_MAX_STATE_OBS of each kind. */
_Static_assert(XS_MAX_STATE_NOTES == XS_MAX_STATE_OBS * XS_NOTE__N,
               "XS_MAX_STATE_NOTES counts the note kinds");

/* "update", "mitigation", "eomt", "service", "install". */
const char *xs_nkind_name(xs_nkind k);

typedef struct xs_obs_note {
    xs_nkind kind;
    int family;       /* xs_family the note bears on, or -1 */
    const char *what; /* required */
    int64_t time_ms;  /* EXS_TIME_NONE when unknown */
    uint64_t line;
    xs_build build;   /* nparts 0: none */
} xs_obs_note;

typedef struct xs_state xs_state;

/* NULL when out of memory. */
xs_state *xs_state_new(void);
void xs_state_free(xs_state *s);

/* Records an observation of root, read in file (display path, copied). Returns false when out
 * of memory (the caller fails the sweep); a store past its cap counts the observation in
 * *dropped and returns true. */
bool xs_state_add_build(xs_state *s, uint32_t root, const char *file, const xs_obs_build *o,
                         bool *dropped);
bool xs_state_add_note(xs_state *s, uint32_t root, const char *file, const xs_obs_note *o,
                        bool *dropped);

/* What was observed, for the assessment: read after the workers are done. */
typedef struct xs_sbuild {
    uint32_t root;      /* first: the store keeps entries in root order */
    xs_obs_build o;     /* detail points into the store */
    const char *file;   /* the first file (smallest display path) that said it */
    uint64_t files;     /* how many files said it */
} xs_sbuild;

typedef struct xs_snote {
    uint32_t root;      /* first, as in xs_sbuild */
    xs_obs_note o;      /* what points into the store */
    const char *file;
    uint64_t files;
} xs_snote;

/* In root order (a root's entries together). */
const xs_sbuild *xs_state_builds(const xs_state *s, size_t *n);
const xs_snote *xs_state_notes(const xs_state *s, size_t *n);
/* The entries of one root. */
const xs_sbuild *xs_state_root_builds(const xs_state *s, uint32_t root, size_t *n);
const xs_snote *xs_state_root_notes(const xs_state *s, uint32_t root, size_t *n);
uint64_t xs_state_dropped(const xs_state *s);

#endif
