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
    return exs_evtx_sniff(p, n) != 0;
}

static bool archive_magic(const unsigned char *p, size_t n)
{
    return exs_magic_is_archive(p, n) != 0;
}

/* Event logs: parsed by the EVTX reader, record by record (lib/scan/worker.c). */
const exs_logkind exs_logkind_evtx = {
    .kind = EXS_KIND_EVTX, .name = "evtx", .family = "EVTX",
    .flags = EXS_KF_PARSED | EXS_KF_STRUCTURED,
    .sniff = {.magic = evtx_magic}};

/* Archives: walked member by member (lib/sources/archive.c); no coverage family of their own. */
const exs_logkind exs_logkind_archive = {
    .kind = EXS_KIND_ARCHIVE, .name = "archive", .family = "", .sniff = {.magic = archive_magic}};

static const exs_logkind *const registry[EXS_KIND__COUNT] = {
    [EXS_KIND_NONE] = NULL,
#define EXS_KIND_ROW_(e, d) [EXS_KIND_##e] = &exs_logkind_##d,
    EXS_LOGKINDS(EXS_KIND_ROW_)
#undef EXS_KIND_ROW_
};

const exs_logkind *exs_logkind_of(exs_kind k)
{
    return (int)k > 0 && k < EXS_KIND__COUNT ? registry[k] : NULL;
}

const char *exs_kind_name(exs_kind k)
{
    if (k == EXS_KIND_NONE)
        return "none";
    const exs_logkind *lk = exs_logkind_of(k);
    return lk ? lk->name : "unknown";
}

const exs_logkind *exs_logkind_get(exs_kind k)
{
    const exs_logkind *lk = exs_logkind_of(k);
    return lk && lk->row ? lk : NULL;
}

const struct exs_pattern_set *exs_kind_patterns(exs_kind k)
{
    const exs_logkind *lk = exs_logkind_get(k);
    return lk ? lk->patterns : NULL;
}

static bool has_flag(exs_kind k, unsigned flag)
{
    const exs_logkind *lk = exs_logkind_of(k);
    return lk && (lk->flags & flag);
}

bool exs_kind_parsed(exs_kind k)
{
    return has_flag(k, EXS_KF_PARSED);
}

bool exs_kind_structured(exs_kind k)
{
    return has_flag(k, EXS_KF_STRUCTURED);
}

/* ---------------------------------------------------------------- reader states */

/* One instance per state type a worker has used; at most one type per kind. */
struct exs_logrooms {
    size_t n;
    struct {
        const exs_logstate_type *type;
        void *own;
    } room[EXS_KIND__COUNT];
};

exs_logstate *exs_logstate_create(void)
{
    exs_logstate *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->scratch = malloc(2 * (size_t)EXS_MAX_LINE + 16);
    st->rooms = calloc(1, sizeof *st->rooms);
    if (!st->scratch || !st->rooms) {
        exs_logstate_destroy(st);
        return NULL;
    }
    return st;
}

void exs_logstate_destroy(exs_logstate *st)
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

exs_rc exs_logstate_reset(exs_logstate *st, const exs_logkind *lk)
{
    st->kind = lk->kind;
    st->own = NULL;
    const exs_logstate_type *t = lk->state;
    if (!t)
        return EXS_OK;
    struct exs_logrooms *r = st->rooms;
    size_t i = 0;
    while (i < r->n && r->room[i].type != t)
        i++;
    if (i == r->n) {
        if (r->n >= EXS_KIND__COUNT)
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
