/* New ids for the findings of renamed roots (see relabel.h). */
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/grow.h"
#include "core/strmap.h"
#include "results/relabel.h"
#include "results/results_int.h"

bool xs_relabel_file(xs_relabel *rl, size_t first)
{
    if (!xs_grow((void **)&rl->file_start, &rl->capfiles, rl->nfiles + 1, sizeof *rl->file_start))
        return false;
    rl->file_start[rl->nfiles++] = first;
    return true;
}

bool xs_relabel_root(xs_relabel *rl, bool renamed)
{
    if (!xs_grow((void **)&rl->renamed, &rl->caproots, rl->nroots + 1, sizeof *rl->renamed))
        return false;
    rl->renamed[rl->nroots++] = renamed;
    return true;
}

void xs_relabel_free(xs_relabel *rl)
{
    free(rl->file_start);
    free(rl->renamed);
    memset(rl, 0, sizeof *rl);
}

/* The id of a finding of a renamed root: SHA-256 over a domain of its own, the new label and
 * the old id, its first 16 bytes in hex. */
static bool new_id(const char *label, const char *old, char out[EXS_ID_LEN])
{
    static const char domain[] = "exsweep-relabel-1";
    size_t nl = strlen(label), no = strlen(old);
    char *buf = malloc(sizeof domain + nl + 1 + no);
    if (!buf)
        return false;
    memcpy(buf, domain, sizeof domain); /* with its NUL: a separator */
    memcpy(buf + sizeof domain, label, nl + 1);
    memcpy(buf + sizeof domain + nl + 1, old, no);
    char hex[65];
    bool ok = xs_sha256_hex(buf, sizeof domain + nl + 1 + no, hex);
    free(buf);
    if (ok) {
        memcpy(out, hex, EXS_ID_LEN - 1);
        out[EXS_ID_LEN - 1] = 0;
    }
    return ok;
}

static bool renamed_root(const xs_relabel *rl, const exs_finding *f)
{
    return f->origin.root < rl->nroots && rl->renamed[f->origin.root];
}

/* Findings [a, b) of one file. */
static exs_rc apply_file(const xs_relabel *rl, exs_results *res, size_t a, size_t b)
{
    bool any = false;
    for (size_t i = a; i < b && !any; i++)
        any = renamed_root(rl, &res->findings[i]);
    if (!any)
        return EXS_OK;
    xs_strmap *map = xs_strmap_create(); /* old id -> new id (in the arena) */
    if (!map)
        return EXS_ENOMEM;
    exs_rc rc = EXS_OK;
    for (size_t i = a; i < b && rc == EXS_OK; i++) {
        exs_finding *f = &res->findings[i];
        if (!renamed_root(rl, f))
            continue;
        char id[EXS_ID_LEN];
        const char *keep = NULL;
        if (!new_id(res->roots[f->origin.root].label, f->id, id) ||
            !(keep = xs_arena_strdup(&res->arena, id)) ||
            (!xs_strmap_get(map, f->id) && !xs_strmap_put(map, f->id, (void *)keep, NULL)))
            rc = EXS_ENOMEM;
        else
            memcpy(f->id, id, EXS_ID_LEN);
    }
    /* the relations within the file follow (the block of each finding is the results', so
     * is its array of related ids) */
    for (size_t i = a; i < b && rc == EXS_OK; i++) {
        exs_finding *f = &res->findings[i];
        const char **rel = (const char **)(void *)f->related;
        for (size_t k = 0; k < f->nrelated; k++) {
            const char *to = xs_strmap_get(map, rel[k]);
            if (to)
                rel[k] = to;
        }
    }
    xs_strmap_destroy(map);
    return rc;
}

exs_rc xs_relabel_apply(xs_relabel *rl, exs_results *res)
{
    for (size_t i = 0; i < rl->nfiles; i++) {
        size_t a = rl->file_start[i], b = i + 1 < rl->nfiles ? rl->file_start[i + 1] : res->nfindings;
        exs_rc rc = apply_file(rl, res, a, b > res->nfindings ? res->nfindings : b);
        if (rc != EXS_OK)
            return rc;
    }
    return EXS_OK;
}
