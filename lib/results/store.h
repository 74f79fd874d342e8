/* The store a sweep's findings go to as they are emitted: exact counts over every finding,
 * and a keep policy that does not depend on arrival order.
 *
 *   counts   per rule, family, verdict, client (per root until the hand-over) and host,
 *            taken for every finding; of clients and hosts the EXS_MAX_COUNT_KEYS smallest
 *            keys (strcmp), exact, whatever the order, the findings of the others counted
 *            in counts_dropped;
 *   always   exploitation findings and findings of backdoor rules are always kept (up to
 *            XS_MAX_KEPT_ALWAYS, the smallest ids; past it counted and said);
 *   the rest a budget (--max-findings) shared fairly between rules: each rule keeps the
 *            findings with the smallest ids (ids are digests, so this is a uniform sample that
 *            is the same whatever order the workers deliver them in), and a rule with fewer
 *            findings than its share leaves the rest to the others;
 *   pinned   a kept finding's related findings (and theirs) are kept too, past the budget
 *            and the cap: every related id of the results resolves.
 *
 * Settled (xs_store_settle, xs_store_finish), the kept set depends on the findings alone,
 * not on the order they came in: the passes read it, so what they find is the same for any
 * number of workers.
 *
 * Thread-safe (one mutex; findings are rare next to lines read).
 */
#ifndef XS_RESULTS_STORE_H
#define XS_RESULTS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exsweep/results.h"

typedef struct xs_store xs_store;

/* budget: findings kept besides the always-kept ones (> 0); always_max: the always-kept cap. */
xs_store *xs_store_create(size_t budget, uint64_t always_max);
/* Frees the store and every finding it still holds. Accepts NULL. */
void xs_store_destroy(xs_store *st);

/* Counts f and keeps it or not. The store owns block from now on, kept or not. Returns false
 * when out of memory: the counts may then be short, and the caller fails the sweep. */
bool xs_store_add(xs_store *st, const exs_finding *f, void *block);

/* Counts n findings of rule and verdict v that are not kept at all (a file record let go
 * before its findings were made), their times spanning [first_ms, last_ms] (EXS_TIME_NONE:
 * unknown): rule, family and verdict counts, and the totals. Returns false when out of memory. */
bool xs_store_count_only(xs_store *st, const exs_rule *rule, exs_verdict v, uint64_t n,
                          int64_t first_ms, int64_t last_ms);

/* Trims the kept findings to exactly the policy's (the shares of the budget, the always-kept
 * cap, the pinned ones). Returns false when out of memory (nothing let go). */
bool xs_store_settle(xs_store *st);

/* While on, nothing kept is let go (the passes that read the kept findings run then). */
void xs_store_hold(xs_store *st, bool on);

/* The kept findings, sorted by xs_finding_cmp: an array the caller frees (the findings stay
 * the store's, at the same address while the store is held, whatever is added), or NULL when
 * out of memory. */
const exs_finding **xs_store_snapshot(xs_store *st, size_t *n);

/* Records addr as the own address of root (its IIS s-ip): that root's findings from it are
 * left out of the client counts at the hand-over (stats own_findings, own_addresses); other
 * roots' are not. Returns false when out of memory. */
bool xs_store_own_address(xs_store *st, uint32_t root, const char *addr);

/* Lowers EXS_MAX_COUNT_KEYS, the client and host keys counted, to max (tests), before the
 * first finding. */
void xs_store_cap_keys(xs_store *st, size_t max);

/* Always-kept findings past always_max (counted, not kept), as far as settled. */
uint64_t xs_store_always_dropped(xs_store *st);

/* Settles, and moves the kept findings, the counts and the totals (stats findings,
 * findings_dropped, verdicts, counts_dropped, own_findings, own_addresses) into r. Returns
 * false when out of memory. */
bool xs_store_finish(xs_store *st, exs_results *r);

#endif
