/* exsweep: the server's own state, as the evidence tells it.
 *
 * One record per evidence root: which Exchange build it ran (from every source the image has,
 * each cited), which build was in force when (the log headers give the build over time), what
 * updates went on and when, the mitigations in place, and per family of the mass-exploited
 * holes a verdict (vulnerable, patched, mitigated, unknown) with its reason, the sources it
 * rests on and the exposure window: the first exploitation the logs show against the moment
 * the fixing update went on.
 *
 * Ownership: a record and everything it points to belong to the results object it came from
 * (include/exsweep/results.h). Strings are raw bytes from the evidence where they quote it
 * (files, notes, details); the report writers escape them.
 */
#ifndef EXSWEEP_SERVER_H
#define EXSWEEP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum exs_exposure {
    EXS_EXPOSURE_UNKNOWN = 0,    /* no source tells the build, or the table cannot decide */
    EXS_EXPOSURE_VULNERABLE = 1, /* the build lacks the fix and no mitigation is in place */
    EXS_EXPOSURE_PATCHED = 2,    /* the build contains the fix */
    EXS_EXPOSURE_MITIGATED = 3,  /* the build lacks the fix, a mitigation blocks the attack */
} exs_exposure;
#define EXS_EXPOSURE__MAX 3

/* "unknown", "vulnerable", "patched", "mitigated"; NULL for other values. */
const char *exs_exposure_name(exs_exposure e);
/* The inverse; -1 when s names none. */
int exs_exposure_parse(const char *s);

/* One source of the build. */
typedef struct exs_build_source {
    const char *source;        /* "ExSetup.exe", "registry", "setup log", "log header",
                                  "log rows", "ECP S:BLD", "owa folder" */
    const char *build;         /* "15.1.2176.9", or 3 parts for an owa folder */
    const char *file;          /* the file that says it (the first of several), display path */
    uint64_t line;             /* 0 when not applicable */
    uint64_t files;            /* how many files say it */
    int64_t first_ms, last_ms; /* when the source says it was in force; EXS_TIME_NONE */
    const char *detail;        /* what was read ("FileVersion 15.01.2176.009"), "" */
} exs_build_source;

/* A stretch of time a build was in force, from the logs. */
typedef struct exs_build_period {
    const char *build;
    int64_t from_ms, to_ms; /* the first and last log rows under that build */
} exs_build_period;

/* What else the evidence says of the server: an update installed, a mitigation in place,
 * EOMT's record, a service state. */
typedef struct exs_state_note {
    const char *kind;   /* "update", "mitigation", "eomt", "service", "install" */
    const char *family; /* the family it bears on, "" when none */
    const char *what;
    const char *build;  /* the build it brings, "" when none or unknown */
    const char *file;
    uint64_t line;
    int64_t time_ms;    /* when it went on or was seen in place; EXS_TIME_NONE */
} exs_state_note;

typedef struct exs_family_state {
    const char *family;     /* "ProxyLogon", "ProxyShell", "ProxyNotShell" */
    const char *cves;       /* comma-separated: all of the family's */
    exs_exposure state;
    const char *reason;     /* one sentence */
    const char *sources;    /* what it rests on: "ExSetup.exe, log header", "" */
    const char *open_cves;  /* comma-separated, the CVEs still open ("" when patched or unknown) */
    const char *fixed_by;   /* the first build with the fix for the server's CU, "" */
    int64_t fixed_ms;       /* when the fix went on (an update's install time, or the first log
                               row under a fixed build); EXS_TIME_NONE */
    int64_t exploited_ms;   /* the first exploitation finding of the family; EXS_TIME_NONE */
    int64_t exposed_ms;     /* fixed_ms - exploited_ms when both are known and the fix came
                               later; -1 otherwise */
} exs_family_state;

#define EXS_FAMILIES 3

typedef struct exs_server {
    uint32_t root;             /* index into the sweep's roots */
    const char *build;         /* the build now (the most trusted source), "" when unknown */
    const char *product;       /* "Exchange Server 2016", "" when the table does not place it */
    const char *cu;            /* "CU19", "" */
    const char *update;        /* "Mar21SU", "" for a CU build or when unknown */
    const char *build_source;  /* the source the build comes from, "" */
    const char *why_unknown;   /* when build is "": why ("no ExSetup.exe, ..."), else "" */
    const exs_build_source *sources;
    size_t nsources;
    const exs_build_period *periods; /* by time */
    size_t nperiods;
    const exs_state_note *notes;
    size_t nnotes;
    exs_family_state families[EXS_FAMILIES];
} exs_server;

#ifdef __cplusplus
}
#endif
#endif
