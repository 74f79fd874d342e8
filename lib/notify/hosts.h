/* The servers to write about: the records of exsweep probe -f jsonl ("exsweep.record":
 * "probe") that are Exchange servers with a finding (a family vulnerable or unknown), read
 * line by line. Other records (not Exchange, patched, warnings, the summary) are counted, not
 * kept; a line that is not JSON, or a probe record without a target, is a counted warning with
 * its line number. A target seen twice (two results files) is kept once: the first. The hosts
 * own their strings. */
#ifndef XS_NOTIFY_HOSTS_H
#define XS_NOTIFY_HOSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notify/contacts.h"

#define XS_NOTIFY_FAMILIES 3

typedef struct xs_nfamily {
    char *family, *cves, *state, *reason, *fixed_by;
} xs_nfamily;

typedef struct xs_nhost {
    char *target, *host, *name, *seen, *build, *build_from, *product, *cu, *update;
    long port;
    int build_parts;
    xs_nfamily fam[XS_NOTIFY_FAMILIES];
    size_t nfam;
    bool has_addr;     /* host is an address: addr holds it */
    uint8_t addr[16];
    uint64_t line;
    size_t file;       /* which results file (0-based) */
} xs_nhost;

typedef struct xs_nhosts {
    xs_nhost *h;
    size_t n, cap;
    uint64_t records, ignored, duplicates; /* probe records; not Exchange or no finding; seen */
    xs_note *warn;
    size_t nwarn;
    uint64_t warnings;
    bool oom;
    struct xs_strmap *seen; /* targets kept */
} xs_nhosts;

/* Starts an empty set (zeroed first by the caller). false when out of memory. */
bool xs_nhosts_init(xs_nhosts *h);
/* One line of results file `file` (its number `line`). */
void xs_nhosts_line(xs_nhosts *h, const char *p, size_t n, uint64_t line, size_t file);
/* A line too long to read (XS_NOTIFY_MAX_RESULT_LINE), counted. */
void xs_nhosts_toolong(xs_nhosts *h, uint64_t line);
void xs_nhosts_free(xs_nhosts *h);
/* XS_NOTIFY_MAX_HOSTS; tests lower it. */
extern size_t xs_notify_max_hosts;

#endif
