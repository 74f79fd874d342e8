/* The results object (internal to lib/results/; the sweep fills it through store.h, the
 * reader through read.c, the writers use only the public accessors). */
#ifndef XS_RESULTS_INT_H
#define XS_RESULTS_INT_H

#include "core/arena.h"
#include "core/strmap.h"
#include "exsweep/results.h"
#include "exsweep/server.h"

struct exs_results {
    xs_arena arena;            /* every string below, the rule copies, the count keys */
    exs_sweep_info sweep;       /* roots and options point into roots/options */
    exs_root_info *roots;
    size_t nroots;
    const char **options;
    size_t noptions;
    exs_sweep_stats stats;
    exs_finding *findings;      /* sorted; blocks[i] holds the strings of findings[i] */
    void **blocks;
    size_t nfindings;
    xs_strmap *by_id;          /* id -> finding, built on the first exs_results_find */
    exs_count *counts[EXS_COUNT__N];
    size_t ncounts[EXS_COUNT__N];
    exs_coverage *cov;
    size_t ncov;
    exs_warning *warnings;
    size_t nwarnings;
    exs_warning_count *wcounts;
    size_t nwcounts;
    const char **install;
    size_t ninstall;
    const char **servers;       /* the server's own addresses: as added, sorted and unique
                                   once sorted (xs_results_sort) */
    size_t nservers, capservers;
    exs_server *states;         /* one per root that has one (include/exsweep/server.h), by
                                   root; their strings and arrays live in the arena */
    size_t nstates, capstates;
};

/* An empty results object (every array NULL, status EXS_OK), or NULL when out of memory. */
exs_results *xs_results_new(void);

/* Setters used while a sweep or a reader fills r; strings are copied into r's arena. Each
 * returns false when out of memory. */
bool xs_results_add_root(exs_results *r, const char *path, const char *label);
bool xs_results_add_option(exs_results *r, const char *opt);
bool xs_results_set_error(exs_results *r, exs_rc status, const char *error);
bool xs_results_add_install(exs_results *r, const char *root);
/* Adds a server address; duplicates go at the sort (xs_results_sort). */
bool xs_results_add_server_address(exs_results *r, const char *addr);
/* Adds a copy of a server's state record (strings and arrays into r's arena), keeping the
 * records in root order; a second record of one root replaces the first. */
bool xs_results_add_server(exs_results *r, const exs_server *s);
/* Sorts the server addresses, drops the duplicates and keeps the max smallest (strcmp).
 * Returns how many distinct ones went past max. */
size_t xs_results_cut_servers(exs_results *r, size_t max);
/* A copy of rule owned by r (for rules that are not in the built-in table: user YARA rules,
 * rules a newer exsweep wrote). */
const exs_rule *xs_results_own_rule(exs_results *r, const exs_rule *rule);

/* The total order of findings: time (unknown last), root, path, members, line, record,
 * rule id, id. */
int xs_finding_cmp(const exs_finding *a, const exs_finding *b);

/* The order of warning examples: file, line, kind, message. */
int xs_warning_cmp(const exs_warning *a, const exs_warning *b);

/* Sorts findings (moving their blocks along), coverage, warnings and counts. Returns false
 * when out of memory (nothing moved). */
bool xs_results_sort(exs_results *r);

#endif
