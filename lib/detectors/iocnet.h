/* Findings and script requests that name an address or a host of the user's IOC lists, and
 * the EXS-IOC-NET finding that sums them up, one per indicator.
 *
 * Every finding is matched as it is emitted (exs_iocnet_note): its client address, the host
 * it was sent to, or a host name in its target. The tally of an indicator is over every
 * finding of the sweep, kept or not, so it does not depend on which findings --max-findings
 * keeps: how many, the heaviest verdict, the first and last time, the rules, and the first
 * finding in the results' order (where the summing finding is placed). The after-sweep part
 * (exs_iocnet_report, run by the files pass) adds the script requests from the listed
 * addresses, relates the kept findings (the first EXS_MAX_RELATED in the results' order) and
 * reports, at most EXS_MAX_IOC_NET indicators (the heaviest; the rest counted in a warning).
 *
 * Ownership: the scan's file side holds one per sweep whose lists name addresses or hosts.
 * exs_iocnet_note is thread-safe; the rest runs in one thread.
 */
#ifndef EXS_DETECTORS_IOCNET_H
#define EXS_DETECTORS_IOCNET_H

#include <stdbool.h>

#include "detectors/ioc.h"
#include "exsweep/finding.h"

struct exs_pass_view;
typedef struct exs_iocnet exs_iocnet;

/* *out NULL (and EXS_OK) when set holds no user address or host indicator; EXS_ENOMEM. The
 * set must outlive the tally. */
exs_rc exs_iocnet_create(exs_iocnet **out, const exs_iocset *set);
/* Accepts NULL. */
void exs_iocnet_destroy(exs_iocnet *n);

/* Counts f when it names a listed address or host (n may be NULL: nothing to do). Returns
 * false when out of memory: the tally is then short, and the caller fails the sweep. */
bool exs_iocnet_note(exs_iocnet *n, const exs_finding *f);

/* Reports one EXS-IOC-NET finding per indicator seen in a finding or a request of the view
 * (n may be NULL). */
void exs_iocnet_report(const struct exs_pass_view *v, exs_iocnet *n);

#endif
