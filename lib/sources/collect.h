/* What to collect from an Exchange server for exsweep: the places it reads, as globs for a
 * collector (Velociraptor, KAPE). The log places come from the log kinds' own location
 * table (lib/logs/kinds.h), so a new log kind is collected as soon as it is read; the other
 * places (event logs, hives, web folders, setup logs, IIS configuration, drop folders) are
 * listed here with the checks that read them.
 */
#ifndef XS_SOURCES_COLLECT_H
#define XS_SOURCES_COLLECT_H

#include <stdbool.h>
#include <stddef.h>

/* Where a glob starts. */
typedef enum xs_cbase {
    XS_CB_DRIVE = 0,  /* the system drive: "C:\" */
    XS_CB_EXCHANGE,   /* the Exchange install root (a parameter: installs are not always on C:) */
} xs_cbase;

typedef struct xs_collect {
    xs_cbase base;
    char glob[160];   /* '\\'-separated under base; "*" any name, "**" any depth below */
    char what[96];    /* what it is, for the collector's description */
    bool logs;        /* logs: the time window applies */
} xs_collect;

/* Fills out (cap entries) with the places to collect; returns how many (at most cap). */
size_t xs_collect_spec(xs_collect *out, size_t cap);

/* Whether a path relative to the system drive ('/'-separated, any case) falls under a place,
 * with exchange_root the install root relative to the drive ("Program Files/Microsoft/Exchange
 * Server/V15"): the globs' meaning, for the tests that apply them to fixture trees. */
bool xs_collect_match(const xs_collect *c, const char *path, const char *exchange_root);

#endif
