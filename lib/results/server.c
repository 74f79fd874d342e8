/* The servers' state records of a results object: the copy in, the accessor, the names. */
#include <string.h>

#include "core/grow.h"
#include "results/results_int.h"

static const char *const exposure_names[EXS_EXPOSURE__MAX + 1] = {"unknown", "vulnerable",
                                                                  "patched", "mitigated"};

const char *exs_exposure_name(exs_exposure e)
{
    return (unsigned)e <= EXS_EXPOSURE__MAX ? exposure_names[e] : NULL;
}

int exs_exposure_parse(const char *s)
{
    for (int i = 0; s && i <= EXS_EXPOSURE__MAX; i++)
        if (strcmp(s, exposure_names[i]) == 0)
            return i;
    return -1;
}

const exs_server *exs_results_servers(const exs_results *r, size_t *n)
{
    *n = r->nstates;
    return r->states;
}

typedef struct copier {
    xs_arena *a;
    bool ok;
} copier;

static const char *cp(copier *c, const char *s)
{
    const char *d = xs_arena_strdup(c->a, s ? s : "");
    if (!d)
        c->ok = false;
    return d ? d : "";
}

static void *cparr(copier *c, const void *src, size_t n, size_t elem)
{
    void *d = xs_arena_alloc(c->a, (n ? n : 1) * elem);
    if (!d) {
        c->ok = false;
        return NULL;
    }
    if (n)
        memcpy(d, src, n * elem);
    return d;
}

bool xs_results_add_server(exs_results *r, const exs_server *s)
{
    copier c = {&r->arena, true};
    exs_server d = *s;
    d.build = cp(&c, s->build);
    d.product = cp(&c, s->product);
    d.cu = cp(&c, s->cu);
    d.update = cp(&c, s->update);
    d.build_source = cp(&c, s->build_source);
    d.why_unknown = cp(&c, s->why_unknown);
    exs_build_source *bs = cparr(&c, s->sources, s->nsources, sizeof *bs);
    for (size_t i = 0; bs && i < s->nsources; i++) {
        bs[i].source = cp(&c, s->sources[i].source);
        bs[i].build = cp(&c, s->sources[i].build);
        bs[i].file = cp(&c, s->sources[i].file);
        bs[i].detail = cp(&c, s->sources[i].detail);
    }
    d.sources = bs;
    exs_build_period *ps = cparr(&c, s->periods, s->nperiods, sizeof *ps);
    for (size_t i = 0; ps && i < s->nperiods; i++)
        ps[i].build = cp(&c, s->periods[i].build);
    d.periods = ps;
    exs_state_note *ns = cparr(&c, s->notes, s->nnotes, sizeof *ns);
    for (size_t i = 0; ns && i < s->nnotes; i++) {
        ns[i].kind = cp(&c, s->notes[i].kind);
        ns[i].family = cp(&c, s->notes[i].family);
        ns[i].what = cp(&c, s->notes[i].what);
        ns[i].build = cp(&c, s->notes[i].build);
        ns[i].file = cp(&c, s->notes[i].file);
    }
    d.notes = ns;
    for (int f = 0; f < EXS_FAMILIES; f++) {
        exs_family_state *fs = &d.families[f];
        fs->family = cp(&c, s->families[f].family);
        fs->cves = cp(&c, s->families[f].cves);
        fs->reason = cp(&c, s->families[f].reason);
        fs->sources = cp(&c, s->families[f].sources);
        fs->open_cves = cp(&c, s->families[f].open_cves);
        fs->fixed_by = cp(&c, s->families[f].fixed_by);
    }
    if (!c.ok)
        return false;
    size_t at = 0;
    while (at < r->nstates && r->states[at].root < s->root)
        at++;
    if (at < r->nstates && r->states[at].root == s->root) {
        r->states[at] = d;
        return true;
    }
    if (!xs_grow((void **)&r->states, &r->capstates, r->nstates + 1, sizeof *r->states))
        return false;
    memmove(r->states + at + 1, r->states + at, (r->nstates - at) * sizeof *r->states);
    r->states[at] = d;
    r->nstates++;
    return true;
}
