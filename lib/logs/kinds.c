/* The registry of evidence kinds, the two container kinds (read by offset, not by line), and
 * the reader states of a worker. */
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "logs/kinds.h"
#include "parsers/evtx/evtx.h"
#include "sources/magic.h"

static bool evtx_magic(const unsigned char *p, size_t n)
{
    return xs_evtx_sniff(p, n) != 0;
}

static bool archive_magic(const unsigned char *p, size_t n)
{
    return xs_magic_is_archive(p, n) != 0;
}

/* Event logs: parsed by the EVTX reader, record by record (lib/scan/worker.c). */
const xs_logkind xs_logkind_evtx = {
    .kind = XS_KIND_EVTX, .name = "evtx", .family = "EVTX",
    .flags = XS_KF_PARSED | XS_KF_STRUCTURED,
    .sniff = {.magic = evtx_magic}};

/* Archives: walked member by member (lib/sources/archive.c); no coverage family of their own. */
const xs_logkind xs_logkind_archive = {
    .kind = XS_KIND_ARCHIVE, .name = "archive", .family = "", .sniff = {.magic = archive_magic}};

static const xs_logkind *const registry[XS_KIND__COUNT] = {
    [XS_KIND_NONE] = NULL,
#define XS_KIND_ROW_(e, d) [XS_KIND_##e] = &xs_logkind_##d,
    XS_LOGKINDS(XS_KIND_ROW_)
#undef XS_KIND_ROW_
};

const xs_logkind *xs_logkind_of(xs_kind k)
{
    return (int)k > 0 && k < XS_KIND__COUNT ? registry[k] : NULL;
}

const char *xs_kind_name(xs_kind k)
{
    if (k == XS_KIND_NONE)
        return "none";
    const xs_logkind *lk = xs_logkind_of(k);
    return lk ? lk->name : "unknown";
}

const xs_logkind *xs_logkind_get(xs_kind k)
{
    const xs_logkind *lk = xs_logkind_of(k);
    return lk && lk->row ? lk : NULL;
}

const struct xs_pattern_set *xs_kind_patterns(xs_kind k)
{
    const xs_logkind *lk = xs_logkind_get(k);
    return lk ? lk->patterns : NULL;
}

static bool has_flag(xs_kind k, unsigned flag)
{
    const xs_logkind *lk = xs_logkind_of(k);
    return lk && (lk->flags & flag);
}

bool xs_kind_parsed(xs_kind k)
{
    return has_flag(k, XS_KF_PARSED);
}

bool xs_kind_structured(xs_kind k)
{
    return has_flag(k, XS_KF_STRUCTURED);
}

/* ---------------------------------------------------------------- reader states */

/* One instance per state type a worker has used; at most one type per kind. */
struct xs_logrooms {
    size_t n;
    struct {
        const xs_logstate_type *type;
        void *own;
    } room[XS_KIND__COUNT];
};

xs_logstate *xs_logstate_create(void)
{
    xs_logstate *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->scratch = malloc(2 * (size_t)XS_MAX_LINE + 16);
    st->rooms = calloc(1, sizeof *st->rooms);
    if (!st->scratch || !st->rooms) {
        xs_logstate_destroy(st);
        return NULL;
    }
    return st;
}

void xs_logstate_destroy(xs_logstate *st)
{
    if (!st)
        return;
    if (st->rooms)
        for (size_t i = 0; i < st->rooms->n; i++) {
            if (st->rooms->room[i].type->fini)
                st->rooms->room[i].type->fini(st->rooms->room[i].own);
            free(st->rooms->room[i].own);
        }
    free(st->rooms);
    free(st->scratch);
    free(st);
}

exs_rc xs_logstate_reset(xs_logstate *st, const xs_logkind *lk)
{
    st->kind = lk->kind;
    st->own = NULL;
    const xs_logstate_type *t = lk->state;
    if (!t)
        return EXS_OK;
    struct xs_logrooms *r = st->rooms;
    size_t i = 0;
    while (i < r->n && r->room[i].type != t)
        i++;
    if (i == r->n) {
        if (r->n >= XS_KIND__COUNT)
            return EXS_EINVAL; /* never with the registry's descriptors: one type each */
        void *own = calloc(1, t->size);
        if (!own)
            return EXS_ENOMEM;
        if (t->init && !t->init(own)) {
            if (t->fini)
                t->fini(own);
            free(own);
            return EXS_ENOMEM;
        }
        r->room[i].type = t;
        r->room[i].own = own;
        r->n++;
    }
    st->own = r->room[i].own;
    if (t->reset)
        t->reset(st->own, lk->kind, st->scratch);
    return EXS_OK;
}
