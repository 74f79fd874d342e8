/* Findings and script requests that name an address or a host of the user's IOC lists, and
 * the EXS-IOC-NET finding that sums them up, one per indicator.
 *
 * Every finding is matched as it is emitted (xs_iocnet_note): its client address, the host
 * it was sent to, or a host name in its target. The tally of an indicator is over every
 * finding of the sweep, kept or not, so it does not depend on which findings --max-findings
 * keeps: how many, the heaviest verdict, the first and last time, the rules, and the first
 * finding in the results' order (where the summing finding is placed). The after-sweep part
 * (xs_iocnet_report, run by the files pass) adds the script requests from the listed
 * addresses, relates the kept findings (the first XS_MAX_RELATED in the results' order) and
 * reports, at most XS_MAX_IOC_NET indicators (the heaviest; the rest counted in a warning).
 *
 * Ownership: the scan's file side holds one per sweep whose lists name addresses or hosts.
 * xs_iocnet_note is thread-safe; the rest runs in one thread.
 */
#ifndef XS_DETECTORS_IOCNET_H
#define XS_DETECTORS_IOCNET_H

#include <stdbool.h>
#include <stddef.h>

#include "detectors/ioc.h"
#include "exsweep/finding.h"

struct xs_pass_view;
typedef struct xs_iocnet xs_iocnet;

/* *out NULL (and EXS_OK) when set holds no user address or host indicator; EXS_ENOMEM. The
 * set must outlive the tally. */
exs_rc xs_iocnet_create(xs_iocnet **out, const xs_iocset *set);
/* Accepts NULL. */
void xs_iocnet_destroy(xs_iocnet *n);

/* Counts f when it names a listed address or host (n may be NULL: nothing to do). Returns
 * false when out of memory: the tally is then short, and the caller fails the sweep. */
bool xs_iocnet_note(xs_iocnet *n, const exs_finding *f);

/* The fact findings_rules: the rule ids (sorted) joined by ',' in buf (cap bytes, the NUL
 * included). When they do not all fit, the first ones that do and then ",…" ("…" alone when
 * not even the first fits; cap must be at least 4). Returns how many ids are listed. */
size_t xs_iocnet_rules_text(char *buf, size_t cap, const char *const *rules, size_t n);

/* Reports one EXS-IOC-NET finding per indicator seen in a finding or a request of the view
 * (n may be NULL). */
void xs_iocnet_report(const struct xs_pass_view *v, xs_iocnet *n);

#endif
