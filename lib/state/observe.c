/* The store of state observations (observe.h). */
#include "state/observe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/limits.h"
#include "core/timeparse.h"

struct xs_state {
    pthread_mutex_t mu;
    xs_sbuild *builds;
    size_t nbuilds, capbuilds;
    xs_snote *notes;
    size_t nnotes, capnotes;
    uint64_t dropped;
};

const char *xs_bsrc_name(xs_bsrc s)
{
    static const char *const names[XS_BSRC__N] = {"ExSetup.exe", "registry", "setup log",
                                                  "log header", "log rows", "ECP S:BLD",
                                                  "owa folder", "export"};
    return (unsigned)s < XS_BSRC__N ? names[s] : "?";
}

const char *xs_nkind_name(xs_nkind k)
{
    static const char *const names[XS_NOTE__N] = {"update", "mitigation", "eomt", "service",
                                                  "install"};
    return (unsigned)k < XS_NOTE__N ? names[k] : "?";
}

xs_state *xs_state_new(void)
{
    xs_state *s = calloc(1, sizeof *s);
    if (s)
        pthread_mutex_init(&s->mu, NULL);
    return s;
}

void xs_state_free(xs_state *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nbuilds; i++) {
        free((char *)s->builds[i].file);
        free((char *)s->builds[i].o.detail);
    }
    for (size_t i = 0; i < s->nnotes; i++) {
        free((char *)s->notes[i].file);
        free((char *)s->notes[i].o.what);
    }
    free(s->builds);
    free(s->notes);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

/* A note's text or detail, cut at XS_MAX_NOTE_TEXT on a character boundary. */
static char *copy_text(const char *t)
{
    t = t ? t : "";
    size_t n = strnlen(t, XS_MAX_NOTE_TEXT - 1);
    if (t[n])
        while (n && ((unsigned char)t[n] & 0xC0) == 0x80) /* do not split a UTF-8 sequence */
            n--;
    return strndup(t, n);
}

/* A display path: whole (it is at most XS_MAX_WHERE bytes). */
static char *copy_path(const char *t)
{
    return strndup(t ? t : "", XS_MAX_WHERE);
}

static int strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* The identity of a build observation: source, then build. */
static int build_key(const xs_obs_build *a, const xs_obs_build *b)
{
    if (a->source != b->source)
        return a->source < b->source ? -1 : 1;
    return xs_build_cmp(&a->build, &b->build);
}

static int note_key(const xs_obs_note *a, const xs_obs_note *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    int c = xs_build_cmp(&a->build, &b->build);
    return c ? c : strcmp0(a->what, b->what);
}

/* Merges file's say into a kept entry: the smallest file is cited (with its line and detail). */
static bool merge_file(const char **kept_file, const char *file, bool *take)
{
    *take = strcmp0(file, *kept_file) < 0;
    if (!*take)
        return true;
    char *f = copy_path(file);
    if (!f)
        return false;
    free((char *)*kept_file);
    *kept_file = f;
    return true;
}

/* The stores are kept in root order, each root's entries together, so that an observation
 * looks only at its root's (at most XS_MAX_STATE_OBS per kind): where root's group starts in
 * an array of n entries of size elem, each starting with its uint32_t root. */
static size_t group_start(const void *arr, size_t n, size_t elem, uint32_t root)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t r;
        memcpy(&r, (const char *)arr + mid * elem, sizeof r);
        if (r < root)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool xs_state_add_build(xs_state *s, uint32_t root, const char *file, const xs_obs_build *o,
                         bool *dropped)
{
    *dropped = false;
    bool ok = true;
    pthread_mutex_lock(&s->mu);
    size_t mine = 0, top = SIZE_MAX, i = group_start(s->builds, s->nbuilds, sizeof *s->builds, root);
    for (; i < s->nbuilds && s->builds[i].root == root; i++) {
        xs_sbuild *b = &s->builds[i];
        mine++;
        int c = build_key(o, &b->o);
        if (c == 0) {
            bool take;
            xs_time_span_add(&b->o.first_ms, &b->o.last_ms, o->first_ms);
            xs_time_span_add(&b->o.first_ms, &b->o.last_ms, o->last_ms);
            b->files++;
            if ((ok = merge_file(&b->file, file, &take)) && take) {
                char *d = o->detail ? copy_text(o->detail) : NULL;
                if (o->detail && !d) {
                    ok = false;
                } else {
                    free((char *)b->o.detail);
                    b->o.detail = d;
                    b->o.line = o->line;
                }
            }
            pthread_mutex_unlock(&s->mu);
            return ok;
        }
        if (top == SIZE_MAX || build_key(&b->o, &s->builds[top].o) > 0)
            top = i;
    }
    xs_sbuild nb = {root, *o, NULL, 1};
    nb.o.detail = o->detail ? copy_text(o->detail) : NULL;
    nb.file = copy_path(file);
    if (!nb.file || (o->detail && !nb.o.detail)) {
        ok = false;
    } else if (mine >= XS_MAX_STATE_OBS) {
        s->dropped++;
        *dropped = true;
        if (build_key(o, &s->builds[top].o) < 0) { /* the smallest are kept */
            xs_sbuild old = s->builds[top];
            s->builds[top] = nb;
            nb = old;
        }
    } else if (xs_grow((void **)&s->builds, &s->capbuilds, s->nbuilds + 1, sizeof *s->builds)) {
        /* i: the end of root's group */
        memmove(s->builds + i + 1, s->builds + i, (s->nbuilds - i) * sizeof *s->builds);
        s->builds[i] = nb;
        s->nbuilds++;
        nb.file = NULL;
        nb.o.detail = NULL;
    } else {
        ok = false;
    }
    free((char *)nb.file);
    free((char *)nb.o.detail);
    pthread_mutex_unlock(&s->mu);
    return ok;
}

bool xs_state_add_note(xs_state *s, uint32_t root, const char *file, const xs_obs_note *o,
                        bool *dropped)
{
    *dropped = false;
    bool ok = true;
    pthread_mutex_lock(&s->mu);
    size_t mine = 0, top = SIZE_MAX, i = group_start(s->notes, s->nnotes, sizeof *s->notes, root);
    for (; i < s->nnotes && s->notes[i].root == root; i++) {
        xs_snote *n = &s->notes[i];
        if (n->o.kind != o->kind) /* the cap is per kind: updates never crowd out mitigations */
            continue;
        mine++;
        int c = note_key(o, &n->o);
        if (c == 0) {
            bool take;
            n->files++;
            ok = merge_file(&n->file, file, &take);
            if (take)
                n->o.line = o->line;
            if (o->time_ms != EXS_TIME_NONE &&
                (n->o.time_ms == EXS_TIME_NONE || o->time_ms < n->o.time_ms))
                n->o.time_ms = o->time_ms; /* the earliest moment it was seen in place */
            pthread_mutex_unlock(&s->mu);
            return ok;
        }
        if (top == SIZE_MAX || note_key(&n->o, &s->notes[top].o) > 0)
            top = i;
    }
    xs_snote nn = {root, *o, NULL, 1};
    nn.o.what = copy_text(o->what);
    nn.file = copy_path(file);
    if (!nn.file || !nn.o.what) {
        ok = false;
    } else if (mine >= XS_MAX_STATE_OBS) {
        s->dropped++;
        *dropped = true;
        if (note_key(o, &s->notes[top].o) < 0) {
            xs_snote old = s->notes[top];
            s->notes[top] = nn;
            nn = old;
        }
    } else if (xs_grow((void **)&s->notes, &s->capnotes, s->nnotes + 1, sizeof *s->notes)) {
        memmove(s->notes + i + 1, s->notes + i, (s->nnotes - i) * sizeof *s->notes);
        s->notes[i] = nn;
        s->nnotes++;
        nn.file = NULL;
        nn.o.what = NULL;
    } else {
        ok = false;
    }
    free((char *)nn.file);
    free((char *)nn.o.what);
    pthread_mutex_unlock(&s->mu);
    return ok;
}

const xs_sbuild *xs_state_builds(const xs_state *s, size_t *n)
{
    *n = s->nbuilds;
    return s->builds;
}

const xs_snote *xs_state_notes(const xs_state *s, size_t *n)
{
    *n = s->nnotes;
    return s->notes;
}

const xs_sbuild *xs_state_root_builds(const xs_state *s, uint32_t root, size_t *n)
{
    size_t i = group_start(s->builds, s->nbuilds, sizeof *s->builds, root), e = i;
    while (e < s->nbuilds && s->builds[e].root == root)
        e++;
    *n = e - i;
    return s->builds + i;
}

const xs_snote *xs_state_root_notes(const xs_state *s, uint32_t root, size_t *n)
{
    size_t i = group_start(s->notes, s->nnotes, sizeof *s->notes, root), e = i;
    while (e < s->nnotes && s->notes[e].root == root)
        e++;
    *n = e - i;
    return s->notes + i;
}

uint64_t xs_state_dropped(const xs_state *s)
{
    return s->dropped;
}
