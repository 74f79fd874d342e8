/* Sigma rules (specification v2.1): a loader and a matcher over an abstract event.
 *
 * A set holds the rules loaded from files, folders or buffers, and one skip entry for every
 * rule (or file) that could not be loaded, with its reason: nothing is dropped silently.
 * Correlation rules are parsed and kept (xs_sigma_meta.correlation) and never match an event:
 * they are evaluated over the matches of the rules they name (sigma/correlate.h).
 *
 * An event is a field lookup: the matcher asks for a field by its name (the callee compares
 * names ASCII case-insensitively) and for every value (keyword searches). A set is read-only
 * once loaded: threads may match against it at once, each with its own scratch.
 */
#ifndef XS_SIGMA_SIGMA_H
#define XS_SIGMA_SIGMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/str.h"

typedef struct xs_sigma_set xs_sigma_set;
typedef struct xs_sigma_rule xs_sigma_rule;
typedef struct xs_sigma_scratch xs_sigma_scratch;

/* One criterion of a correlation's condition: the metric op value. */
typedef struct xs_sigma_ccond {
    const char *op;                /* gt, gte, lt, lte, eq */
    double value;
} xs_sigma_ccond;

/* One field name alias: in the events of the rule called rule, alias is the field field. */
typedef struct xs_sigma_calias {
    const char *alias, *rule, *field;
} xs_sigma_calias;

/* A correlation rule as written (spec v2.1, "Sigma correlation rules"). */
typedef struct xs_sigma_corr {
    const char *type;              /* event_count, value_count, temporal, ... */
    const char *const *rules;      /* the rules it correlates, by name or id */
    size_t nrules;
    const char *const *group_by;
    size_t ngroup_by;
    long long timespan_s;          /* the window in seconds */
    xs_sigma_ccond cond[5];        /* every criterion holds (a range is two); none for a
                                      temporal type without a condition: all its rules */
    size_t ncond;
    const char *cond_field;        /* value_count and the value_* types, else NULL */
    double percentile;             /* value_percentile: which (0 to 100), else 0 */
    const xs_sigma_calias *aliases;
    size_t naliases;
    bool generate;                 /* the rules it refers to match on their own too */
} xs_sigma_corr;

/* What a rule says of itself. Strings are NULL when the rule has none. */
typedef struct xs_sigma_meta {
    const char *file;              /* the path it was loaded from */
    const char *title, *id, *name, *status, *level, *description;
    const char *product, *category, *service;
    const char *const *tags;
    size_t ntags;
    const char *const *references;
    size_t nreferences;
    const xs_sigma_corr *correlation; /* non-NULL for a correlation rule */
} xs_sigma_meta;

/* A rule that was not loaded. file is always set; id and title when the rule had them. */
typedef struct xs_sigma_skip {
    const char *file;
    const char *id;
    const char *title;
    const char *reason;            /* "what: detail"; what alone is a stable tally key */
} xs_sigma_skip;

/* An event as the matcher sees it. field writes at most cap values of the field called name
 * (compared ASCII case-insensitively) to out and returns how many the event has (0: no such
 * field; a present empty field is one value of length 0). each calls fn with every value of
 * the event until fn returns true, and returns whether one did. The values stay the caller's
 * and need to live only during the call. */
typedef struct xs_sigma_event {
    void *ctx;
    size_t (*field)(void *ctx, const char *name, xs_str *out, size_t cap);
    bool (*each)(void *ctx, bool (*fn)(void *arg, xs_str value), void *arg);
} xs_sigma_event;

/* An empty set, or NULL when out of memory. */
xs_sigma_set *xs_sigma_set_create(void);
/* Frees the set and its rules. Accepts NULL. */
void xs_sigma_set_destroy(xs_sigma_set *s);

/* Loads the rule file at path, or every *.yml and *.yaml file under the folder at path
 * (recursive, in name order; symbolic links under it are not followed, and skipped with a
 * reason). Rules that fail, and files that cannot be read, become skip entries. Returns 0, or
 * -1 when path itself cannot be opened or out of memory (a skip entry says which). */
int xs_sigma_load_path(xs_sigma_set *s, const char *path);
/* Loads the rules of buf[0..n) as if read from the file called name. Returns 0, or -1 when out
 * of memory. */
int xs_sigma_load_buffer(xs_sigma_set *s, const char *name, const char *buf, size_t n);

/* The values %name% stands for in the values of expand, for the rules loaded after it (a
 * second call for a name replaces the first). The strings are copied; a value may hold
 * wildcards. Returns 0, or -1 when out of memory. */
int xs_sigma_set_placeholder(xs_sigma_set *s, const char *name, const char *const *values,
                             size_t n);

size_t xs_sigma_count(const xs_sigma_set *s);
const xs_sigma_rule *xs_sigma_rule_at(const xs_sigma_set *s, size_t i);
const xs_sigma_meta *xs_sigma_rule_meta(const xs_sigma_rule *r);
/* The skipped rules and files, in load order. */
const xs_sigma_skip *xs_sigma_skips(const xs_sigma_set *s, size_t *n);
/* "sigma: N rules loaded, M skipped" (and the correlation rules among them, if any) into buf. */
void xs_sigma_summary(const xs_sigma_set *s, char *buf, size_t cap);
/* One JSON line per skipped rule: {"file":..,"id":..,"title":..,"reason":..}. Returns 0, or -1
 * on a write error. */
int xs_sigma_skip_report(const xs_sigma_set *s, FILE *out);
/* One such line, of k. 0, or -1 on a write error. */
int xs_sigma_skip_line(const xs_sigma_skip *k, FILE *out);

/* Scratch for one thread's matching, or NULL when out of memory; destroy accepts NULL. */
xs_sigma_scratch *xs_sigma_scratch_create(void);
void xs_sigma_scratch_destroy(xs_sigma_scratch *sc);
/* Whether the detection of r matches ev (the log source is the caller's to check). A
 * correlation rule never matches. */
bool xs_sigma_match(const xs_sigma_rule *r, const xs_sigma_event *ev, xs_sigma_scratch *sc);

/* The distinct field names r's detection looks at, in the order it names them (keyword
 * searches name none): at most cap of them into out; returns how many there are. */
size_t xs_sigma_rule_fields(const xs_sigma_rule *r, const char **out, size_t cap);

/* The literals r needs, for a prefilter: up to XS_SIGMA_MAX_CLAUSES lists such that, when r
 * matches an event, a literal of each list is in some value the event's field lookup can give
 * (ASCII case-insensitively, cased rules too). Calls fn with each literal (bytes as the rule has
 * them), its list's number (0 ..) and whether it is all of a field's value (an exact match: the
 * field's value is the literal, not only holds it); fn returns false to stop (out of memory).
 * Returns the
 * number of lists; 0 when r has none (r may match without any literal: a regex, a number, neq,
 * null, wildcards alone, one byte; it meets every event), -1 when out of memory. literals.c */
#define XS_SIGMA_MAX_CLAUSES 4
int xs_sigma_rule_literals(const xs_sigma_rule *r,
                           bool (*fn)(void *arg, const unsigned char *lit, size_t n,
                                      unsigned clause, bool whole),
                           void *arg);

/* An event over an array of (name, value) pairs, names compared ASCII case-insensitively, a
 * name given more than once being a field with several values: the shape of a CSV row, an IIS
 * line or a flattened JSON export. */
typedef struct xs_sigma_kv {
    xs_str name, value;
} xs_sigma_kv;
typedef struct xs_sigma_kvs {
    const xs_sigma_kv *kv;
    size_t n;
} xs_sigma_kvs;
/* The event reading kvs (which must outlive it). */
xs_sigma_event xs_sigma_kv_event(const xs_sigma_kvs *kvs);

#endif
