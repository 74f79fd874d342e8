/* Sigma's Windows log sources: which events a rule's logsource (product windows, a category or
 * a service) covers, with the field names of that source (Security 4688 calls Image
 * NewProcessName), after SigmaHQ's THOR mapping (tests/thor.yml in SigmaHQ's repository); and
 * the event of an EVTX record.
 *
 * The events are any xs_sigma_event with the fields Channel and EventID (the EVTX record's, a
 * flattened JSON export's). */
#ifndef XS_SIGMA_WINLOG_H
#define XS_SIGMA_WINLOG_H

#include "parsers/evtx/evtx.h"
#include "sigma/sigma.h"

typedef enum {
    XS_SWIN_UNMAPPED = -1, /* a log source this table does not know (or not windows) */
    XS_SWIN_OTHER = 0,     /* a Windows source, but not the one of this event */
    XS_SWIN_COVERS = 1
} xs_swin;

/* What the log sources look at in an event, read once per event: its channel (as an index of
 * the table), event id and EventType. */
typedef struct xs_sigma_winsrc {
    int service;     /* -1: a channel the table does not know */
    long eid;        /* -1: none */
    xs_str event_type;
} xs_sigma_winsrc;
void xs_sigma_win_source(const xs_sigma_event *ev, xs_sigma_winsrc *src);

/* Whether the log source of r covers the event of src. */
xs_swin xs_sigma_win_covers(const xs_sigma_rule *r, const xs_sigma_winsrc *src);
/* Whether r's log source covers ev (whose source is src) and its detection matches ev read
 * with the source's field names. */
bool xs_sigma_win_match_src(const xs_sigma_rule *r, const xs_sigma_winsrc *src,
                            const xs_sigma_event *ev, xs_sigma_scratch *sc);
/* The same, reading src from ev first (one rule: matching many rules against one event, read
 * it once with xs_sigma_win_source). */
bool xs_sigma_win_match(const xs_sigma_rule *r, const xs_sigma_event *ev, xs_sigma_scratch *sc);

/* Whether r's log source is one of the table's (a Windows product, service or category). */
bool xs_sigma_win_mapped(const xs_sigma_rule *r);
/* The services of the table: an event's src.service is below it, or -1. */
size_t xs_sigma_win_nservices(void);
/* Whether r may cover an event of the service (an index below xs_sigma_win_nservices, or -1
 * for a channel the table does not know): the index of the rules by service. */
bool xs_sigma_win_serves(const xs_sigma_rule *r, int svc);
/* The category entries of the table (a category has one per service and event ids: Sysmon's
 * process_creation and Security's 4688 are two), for an index of the rules by event. */
size_t xs_sigma_win_nentries(void);
/* Whether r's log source is a category (it covers an event only through one of its entries:
 * index it by them, not by xs_sigma_win_serves); and, of such a rule, whether entry e is one of
 * its category's (and of its service, when it names one). */
bool xs_sigma_win_is_category(const xs_sigma_rule *r);
bool xs_sigma_win_in_entry(const xs_sigma_rule *r, size_t e);
/* The entries whose service, event ids and EventType are the event's: at most cap of them into
 * out; returns how many. */
size_t xs_sigma_win_entries_of(const xs_sigma_winsrc *src, size_t *out, size_t cap);

/* The name an event of src gives the field r calls name (Security 4688 calls Image
 * NewProcessName), or name itself. */
const char *xs_sigma_win_field(const xs_sigma_rule *r, const xs_sigma_winsrc *src,
                               const char *name);

/* 0 when the table's indices of the services its categories use agree with their names. */
int xs_sigma_win_selfcheck(void);

/* The event of an EVTX record: its EventData and UserData fields, and EventID, Channel,
 * Provider_Name, Computer and Level from System. Lives while rec does and ctx is kept. */
typedef struct xs_sigma_evtx {
    const xs_evtx_record *rec;
    char eid[12], level[4];
} xs_sigma_evtx;
xs_sigma_event xs_sigma_evtx_event(xs_sigma_evtx *ctx, const xs_evtx_record *rec);

#endif
