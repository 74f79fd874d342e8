/* Sigma correlation rules (spec v2.1) evaluated over the matches of the rules they name.
 *
 * A correlator is built over a loaded set, which must outlive it. The sweep hands it every
 * match of a rule some correlation names (xs_scorr_add: the rule, the event's time and the
 * event itself, of which only the group-by and value fields are copied); once every event is
 * read, xs_scorr_run evaluates the correlations, those that name other correlations after
 * them, and hands each hit to the caller. Events of different log families correlate: a
 * correlation sees only rules and fields.
 *
 * Windows: for each group (the group-by values; aliases give a rule's own field name for
 * one), the events are taken in time order and a window starts at each one, lasting the
 * timespan (its end included). The first window whose metric meets every criterion of the
 * condition is a hit, and the next window starts after it (for temporal_ordered, after the
 * event that completed the order): one hit per burst, not one per event of it. Metrics:
 * event_count the events; value_count the distinct values of the field;
 * temporal the distinct rules seen, temporal_ordered the rules seen in the order named (from
 * the first rule's event that starts the window); value_sum, value_avg and value_percentile
 * (nearest rank) over the field's numeric values. A temporal type without a condition needs
 * all its rules.
 *
 * Nothing is dropped silently: matches past XS_SIGMA_MAX_CORR_EVENTS or _BYTES, matches
 * without a group-by or value field, values that are not numbers, and correlations cut at
 * XS_SIGMA_MAX_CORR_WORK are counted (xs_scorr_stats); a correlation that names a rule not
 * loaded, or takes part in a loop, is not evaluated and says why (xs_scorr_problem).
 */
#ifndef XS_SIGMA_CORRELATE_H
#define XS_SIGMA_CORRELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "sigma/sigma.h"

typedef struct xs_scorr xs_scorr;

/* One hit: valid during the emit call only. */
typedef struct xs_scorr_hit {
    size_t rule;                  /* the correlation rule's index in the set */
    long long first_ms, last_ms;  /* the window's first and last event */
    const xs_str *group;          /* the group-by values, in the rule's group_by order */
    size_t ngroup;
    double value;                 /* the metric the condition was met by */
    const char *metric;           /* what it is: "matches", "distinct values", "sum", ... */
    size_t events;                /* events in the window */
    xs_str first_at, last_at;     /* where the first and last event came from (the origin
                                     given to xs_scorr_add; a chained hit's is its own last) */
} xs_scorr_hit;

typedef struct xs_scorr_stats {
    size_t correlations;          /* correlation rules evaluated */
    size_t broken;                /* correlation rules not evaluated (xs_scorr_problem) */
    uint64_t events;              /* matches kept */
    uint64_t dropped;             /* matches not kept: a cap was reached */
    uint64_t no_group;            /* matches without a group-by or value field */
    uint64_t not_numeric;         /* matches whose value field is not a number */
    uint64_t hits;                /* hits found (emitted or not: see xs_scorr_alone) */
    size_t cut;                   /* correlations whose evaluation stopped at the work cap */
} xs_scorr_stats;

/* A correlator for the correlation rules of s, or NULL when out of memory. */
xs_scorr *xs_scorr_create(const xs_sigma_set *s);
/* Accepts NULL. */
void xs_scorr_destroy(xs_scorr *c);

/* Whether the set has a correlation rule to evaluate. */
bool xs_scorr_any(const xs_scorr *c);
/* Whether some correlation names rule i, so that its matches are wanted by xs_scorr_add. */
bool xs_scorr_wants(const xs_scorr *c, size_t i);
/* Whether rule i's own matches (or hits, for a correlation) are to be reported: false when
 * correlations name it and none of them says generate. */
bool xs_scorr_alone(const xs_scorr *c, size_t i);
/* The k-th correlation not evaluated: its rule index and why. false past the last. */
bool xs_scorr_problem(const xs_scorr *c, size_t k, size_t *rule, const char **why);

/* A match of rule i at t_ms (milliseconds since 1970, UTC) by ev, found at origin: bytes of
 * the caller's that say where (a file and line, say), copied whole, at most
 * XS_SIGMA_MAX_CORR_ORIGIN of them (a longer origin is cut); they also order matches that
 * are otherwise the same, so that results never depend on the order of arrival, and they
 * count towards XS_SIGMA_MAX_CORR_BYTES. *kept (may be NULL) is set to how many of the
 * correlations naming i kept it: 0 when none could (no group-by field, a cap), so that the
 * caller may report the match on its own rather than lose it. Thread-safe. Returns 0, or -1
 * when out of memory (the correlator is then unusable: run returns -1 too). */
int xs_scorr_add(xs_scorr *c, size_t i, long long t_ms, const xs_sigma_event *ev,
                 xs_str origin, size_t *kept);

/* Evaluates every correlation (once; a second call returns 0 and emits nothing; a match
 * added after it is counted dropped) and calls emit for each hit of a correlation
 * xs_scorr_alone says is reported, in the set's order of correlations (one named by another
 * first), then by group and time. Returns 0, -1 when out of memory, or emit's first non-zero
 * return (evaluation stops there), which should be positive: a negative one reads as out of
 * memory. */
int xs_scorr_run(xs_scorr *c, int (*emit)(void *arg, const xs_scorr_hit *h), void *arg);

void xs_scorr_stats_get(const xs_scorr *c, xs_scorr_stats *st);

/* For tests: lowers XS_SIGMA_MAX_CORR_EVENTS, _BYTES and _WORK (0 keeps one). */
void xs_scorr_set_caps(xs_scorr *c, size_t events, size_t bytes, unsigned long long work);

#endif
