/* The results object: accessors, order, ownership. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/limits.h"
#include "results/results_int.h"

exs_results *xs_results_new(void)
{
    exs_results *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->sweep.version = "";
    r->sweep.error = "";
    r->sweep.start_ms = r->sweep.end_ms = EXS_TIME_NONE;
    return r;
}

void exs_results_destroy(exs_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nfindings; i++)
        free(r->blocks[i]);
    free(r->findings);
    free(r->blocks);
    xs_strmap_destroy(r->by_id);
    for (int k = 0; k < EXS_COUNT__N; k++)
        free(r->counts[k]);
    free(r->roots);
    free(r->options);
    free(r->cov);
    free(r->warnings);
    free(r->wcounts);
    free(r->install);
    free(r->servers);
    free(r->states);
    xs_arena_free(&r->arena);
    free(r);
}

bool xs_results_add_root(exs_results *r, const char *path, const char *label)
{
    size_t cap = r->nroots; /* exact-size growth: roots are few */
    exs_root_info *v = realloc(r->roots, (cap + 1) * sizeof *v);
    if (!v)
        return false;
    r->roots = v;
    const char *p = xs_arena_strdup(&r->arena, path ? path : "");
    const char *l = xs_arena_strdup(&r->arena, label ? label : "");
    if (!p || !l)
        return false;
    v[r->nroots++] = (exs_root_info){p, l};
    r->sweep.roots = r->roots;
    r->sweep.nroots = r->nroots;
    return true;
}

bool xs_results_add_option(exs_results *r, const char *opt)
{
    const char **v = realloc(r->options, (r->noptions + 1) * sizeof *v);
    if (!v)
        return false;
    r->options = v;
    if (!(v[r->noptions] = xs_arena_strdup(&r->arena, opt)))
        return false;
    r->noptions++;
    r->sweep.options = r->options;
    r->sweep.noptions = r->noptions;
    return true;
}

bool xs_results_set_error(exs_results *r, exs_rc status, const char *error)
{
    const char *e = xs_arena_strdup(&r->arena, error ? error : "");
    if (!e)
        return false;
    r->sweep.status = status;
    r->sweep.error = e;
    return true;
}

bool xs_results_add_install(exs_results *r, const char *root)
{
    for (size_t i = 0; i < r->ninstall; i++)
        if (strcmp(r->install[i], root) == 0)
            return true;
    const char **v = realloc(r->install, (r->ninstall + 1) * sizeof *v);
    if (!v)
        return false;
    r->install = v;
    const char *c = xs_arena_strdup(&r->arena, root);
    if (!c)
        return false;
    /* sorted, so that any order of arrival gives the same results */
    size_t at = 0;
    while (at < r->ninstall && strcmp(r->install[at], c) < 0)
        at++;
    memmove(r->install + at + 1, r->install + at, (r->ninstall - at) * sizeof *r->install);
    r->install[at] = c;
    r->ninstall++;
    return true;
}

bool xs_results_add_server_address(exs_results *r, const char *addr)
{
    if (!xs_grow((void **)&r->servers, &r->capservers, r->nservers + 1, sizeof *r->servers))
        return false;
    const char *c = xs_arena_strdup(&r->arena, addr);
    if (!c)
        return false;
    r->servers[r->nservers++] = c;
    return true;
}

static int cmp_cstr(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

size_t xs_results_cut_servers(exs_results *r, size_t max)
{
    if (r->nservers > 1)
        qsort(r->servers, r->nservers, sizeof *r->servers, cmp_cstr);
    size_t k = 0;
    for (size_t i = 0; i < r->nservers; i++)
        if (!k || strcmp(r->servers[k - 1], r->servers[i]) != 0)
            r->servers[k++] = r->servers[i];
    r->nservers = k < max ? k : max;
    return k - r->nservers;
}

const exs_rule *xs_results_own_rule(exs_results *r, const exs_rule *rule)
{
    exs_rule *x = xs_arena_alloc(&r->arena, sizeof *x);
    if (!x)
        return NULL;
    x->id = xs_arena_strdup(&r->arena, rule->id ? rule->id : "");
    x->name = xs_arena_strdup(&r->arena, rule->name ? rule->name : "");
    x->cves = xs_arena_strdup(&r->arena, rule->cves ? rule->cves : "");
    x->family = xs_arena_strdup(&r->arena, rule->family ? rule->family : "");
    x->description = xs_arena_strdup(&r->arena, rule->description ? rule->description : "");
    x->techniques = xs_arena_strdup(&r->arena, rule->techniques ? rule->techniques : "");
    x->backdoor = rule->backdoor;
    if (!x->id || !x->name || !x->cves || !x->family || !x->description || !x->techniques)
        return NULL;
    return x;
}

/* ---------------------------------------------------------------- order */

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

int xs_finding_cmp(const exs_finding *a, const exs_finding *b)
{
    if (a->time_ms != b->time_ms) {
        if (a->time_ms == EXS_TIME_NONE)
            return 1;
        if (b->time_ms == EXS_TIME_NONE)
            return -1;
        return a->time_ms < b->time_ms ? -1 : 1;
    }
    int r;
    if ((r = cmp_u64(a->origin.root, b->origin.root)))
        return r;
    if ((r = cmp_str(a->origin.path, b->origin.path)))
        return r;
    for (size_t i = 0; i < a->origin.nmembers && i < b->origin.nmembers; i++)
        if ((r = cmp_str(a->origin.members[i], b->origin.members[i])))
            return r;
    if ((r = cmp_u64(a->origin.nmembers, b->origin.nmembers)))
        return r;
    if ((r = cmp_u64(a->origin.line, b->origin.line)))
        return r;
    if ((r = cmp_u64(a->origin.record, b->origin.record)))
        return r;
    if ((r = strcmp(a->rule->id, b->rule->id)))
        return r;
    return strcmp(a->id, b->id);
}

typedef struct pair {
    exs_finding f;
    void *block;
} pair;

static int cmp_pair(const void *pa, const void *pb)
{
    return xs_finding_cmp(&((const pair *)pa)->f, &((const pair *)pb)->f);
}

static int cmp_cov(const void *pa, const void *pb)
{
    return strcmp(((const exs_coverage *)pa)->family, ((const exs_coverage *)pb)->family);
}

int xs_warning_cmp(const exs_warning *a, const exs_warning *b)
{
    int r = strcmp(a->file, b->file);
    if (r)
        return r;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if ((r = strcmp(a->kind, b->kind)))
        return r;
    return strcmp(a->message, b->message);
}

static int cmp_warning(const void *pa, const void *pb)
{
    return xs_warning_cmp(pa, pb);
}

static int cmp_count(const void *pa, const void *pb)
{
    return strcmp(((const exs_count *)pa)->key, ((const exs_count *)pb)->key);
}

bool xs_results_sort(exs_results *r)
{
    if (r->nfindings > 1) {
        pair *p = malloc(r->nfindings * sizeof *p);
        if (!p)
            return false;
        for (size_t i = 0; i < r->nfindings; i++)
            p[i] = (pair){r->findings[i], r->blocks[i]};
        qsort(p, r->nfindings, sizeof *p, cmp_pair);
        for (size_t i = 0; i < r->nfindings; i++) {
            r->findings[i] = p[i].f;
            r->blocks[i] = p[i].block;
        }
        free(p);
    }
    if (r->ncov > 1)
        qsort(r->cov, r->ncov, sizeof *r->cov, cmp_cov);
    if (r->nwarnings > 1)
        qsort(r->warnings, r->nwarnings, sizeof *r->warnings, cmp_warning);
    for (int k = 0; k < EXS_COUNT__N; k++)
        if (r->ncounts[k] > 1)
            qsort(r->counts[k], r->ncounts[k], sizeof *r->counts[k], cmp_count);
    xs_results_cut_servers(r, SIZE_MAX);
    xs_strmap_destroy(r->by_id);
    r->by_id = NULL;
    return true;
}

/* ---------------------------------------------------------------- accessors */

const exs_sweep_info *exs_results_sweep(const exs_results *r)
{
    return &r->sweep;
}

const exs_sweep_stats *exs_results_stats(const exs_results *r)
{
    return &r->stats;
}

const exs_finding *exs_results_findings(const exs_results *r, size_t *n)
{
    *n = r->nfindings;
    return r->findings;
}

const exs_finding *exs_results_find(const exs_results *r, const char *id)
{
    exs_results *w = (exs_results *)r; /* the index is a cache */
    if (!w->by_id) {
        xs_strmap *m = xs_strmap_create();
        for (size_t i = 0; m && i < r->nfindings; i++)
            if (!xs_strmap_put(m, r->findings[i].id, &r->findings[i], NULL)) {
                xs_strmap_destroy(m);
                m = NULL;
            }
        if (!m) { /* no memory for the index: look it up the slow way */
            for (size_t i = 0; id && i < r->nfindings; i++)
                if (strcmp(r->findings[i].id, id) == 0)
                    return &r->findings[i];
            return NULL;
        }
        w->by_id = m;
    }
    return id ? xs_strmap_get(w->by_id, id) : NULL;
}

const exs_count *exs_results_counts(const exs_results *r, exs_count_kind k, size_t *n)
{
    if ((int)k < 0 || k >= EXS_COUNT__N) {
        *n = 0;
        return NULL;
    }
    *n = r->ncounts[k];
    return r->counts[k];
}

const exs_coverage *exs_results_coverage(const exs_results *r, size_t *n)
{
    *n = r->ncov;
    return r->cov;
}

const exs_warning *exs_results_warnings(const exs_results *r, size_t *n)
{
    *n = r->nwarnings;
    return r->warnings;
}

const exs_warning_count *exs_results_warning_counts(const exs_results *r, size_t *n)
{
    *n = r->nwcounts;
    return r->wcounts;
}

const char *const *exs_results_install_roots(const exs_results *r, size_t *n)
{
    *n = r->ninstall;
    return r->install;
}

const char *const *exs_results_server_addresses(const exs_results *r, size_t *n)
{
    *n = r->nservers;
    return r->servers;
}

exs_verdict exs_results_verdict(const exs_results *r)
{
    for (int v = EXS_VERDICT__MAX; v >= EXS_VERDICT_PROBE; v--)
        if (r->stats.verdicts[v])
            return (exs_verdict)v;
    return 0;
}

int exs_results_incomplete(const exs_results *r)
{
    return r->sweep.status != EXS_OK || r->sweep.unread > 0;
}

const char *exs_finding_fact(const exs_finding *f, const char *key)
{
    for (size_t i = 0; key && i < f->nfacts; i++)
        if (strcmp(f->facts[i].key, key) == 0)
            return f->facts[i].value;
    return NULL;
}
