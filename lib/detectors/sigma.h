/* Sigma rules in the sweep (docs/sigma.md): the rules of --sigma loaded into a set, an
 * exs_rule for each (its findings' rule), indexed by the evidence they apply to (the Windows
 * services of EVTX records, the webserver source of IIS lines, exsweep's Exchange source of
 * the Exchange CSV logs), and run over the records and rows the readers hand them, each
 * worker with its own scratch. A match is a finding through xs_emit (lib/scan/ctx.h).
 */
#ifndef XS_DETECTORS_SIGMA_H
#define XS_DETECTORS_SIGMA_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exsweep/finding.h"
#include "core/nlmap.h"
#include "logs/kinds.h"
#include "parsers/csv.h"
#include "parsers/evtx/evtx.h"
#include "parsers/w3c.h"
#include "sigma/sigma.h"

struct xs_ctx;
struct xs_hscache;
typedef struct xs_sigrules xs_sigrules;

/* An empty rule collection, or NULL when out of memory; destroy accepts NULL. */
xs_sigrules *xs_sigrules_create(void);
void xs_sigrules_destroy(xs_sigrules *r);
/* Loads a rule file or folder (xs_sigma_load_path). EXS_ENOENT, EXS_EACCES or EXS_EIO when
 * path itself cannot be read, EXS_ENOMEM; a message naming path in err. Rules that fail are
 * skip entries, not errors. Not after xs_sigrules_prepare. */
exs_rc xs_sigrules_add(xs_sigrules *r, const char *path, char *err, size_t cap);
/* Makes the rules' exs_rule and the index by evidence: once, before the workers run; the
 * prefilter's databases through cache (borrowed, used only during the call; NULL: every one
 * compiled). EXS_ENOMEM. */
exs_rc xs_sigrules_prepare(xs_sigrules *r, struct xs_hscache *cache);

typedef struct xs_sigrules_stats {
    size_t loaded, skipped, correlations;
    size_t unmapped; /* loaded rules of a log source no evidence kind of exsweep serves */
} xs_sigrules_stats;
void xs_sigrules_stats_get(const xs_sigrules *r, xs_sigrules_stats *out);
/* "sigma: N rules loaded, M skipped" (xs_sigma_summary). */
void xs_sigrules_summary(const xs_sigrules *r, char *buf, size_t cap);
/* One JSON line per skipped rule (xs_sigma_skip_report): 0, or -1 on a write error. */
int xs_sigrules_skip_report(const xs_sigrules *r, FILE *out);

/* Whether rule is one of r's (its findings' rules are copied into the results). */
bool xs_sigrules_holds(const xs_sigrules *r, const exs_rule *rule);
/* Whether some rule applies to the lines of kind k: then every line of such a file is parsed
 * (the built-in prefilter would drop the lines no built-in detector wants). After prepare. */
bool xs_sigrules_kind(const xs_sigrules *r, xs_kind k);

/* Whether kind k has a line gate (the IIS rules, when each has a literal the raw line holds
 * as it is): then only the lines of the built-in prefilter and of xs_sigrun_lines are parsed.
 * After prepare. */
bool xs_sigrules_gated(const xs_sigrules *r, xs_kind k);

/* A worker's matching state: create once per worker thread (NULL when out of memory). */
typedef struct xs_sigrun xs_sigrun;
xs_sigrun *xs_sigrun_create(const xs_sigrules *r);
void xs_sigrun_destroy(xs_sigrun *w);

/* The lines of buf[0..len) (its line-break map nl) that may hold an event some rule of kind k
 * matches, as xs_prefilter_lines gives its candidates: their start offsets, ascending, unique,
 * into *starts (grown; capacity *cap). Returns the count, or -EXS_ENOMEM, -EXS_EENGINE. Only
 * for a kind xs_sigrules_gated says has a gate. */
long xs_sigrun_lines(xs_sigrun *w, xs_kind k, const char *buf, size_t len, const xs_nlmap *nl,
                     uint32_t **starts, size_t *cap);

/* The rules over one EVTX record (offset: its byte offset in the file), one IIS W3C row, one
 * Exchange CSV row of kind k (names: its schema), each at time t (EXS_TIME_NONE). */
void xs_sigrun_evtx(struct xs_ctx *c, const xs_evtx_record *rec, int64_t offset);
void xs_sigrun_w3c(struct xs_ctx *c, const xs_w3c_schema *s, const xs_w3c_row *row,
                  xs_str line, uint64_t lineno, int64_t t);
void xs_sigrun_csv(struct xs_ctx *c, xs_kind k, const xs_csv_schema *s, const xs_csv_row *row,
                  xs_str line, uint64_t lineno, int64_t t);

#endif
