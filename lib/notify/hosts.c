/* Probe results read back for the letters (hosts.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/limits.h"
#include "core/str.h"
#include "core/strmap.h"
#include "notify/hosts.h"
#include "parsers/json.h"

#define MAX_PAIRS 256

size_t xs_notify_max_hosts = XS_NOTIFY_MAX_HOSTS;

#define warn(h, line, ...)                                                                \
    do {                                                                                   \
        if (!xs_note_add(&(h)->warn, &(h)->nwarn, &(h)->warnings, (line), __VA_ARGS__))    \
            (h)->oom = true;                                                               \
    } while (0)

bool xs_nhosts_init(xs_nhosts *h)
{
    memset(h, 0, sizeof *h);
    return (h->seen = xs_strmap_create()) != NULL;
}

void xs_nhosts_toolong(xs_nhosts *h, uint64_t line)
{
    warn(h, line, "longer than %u bytes: skipped", XS_NOTIFY_MAX_RESULT_LINE);
}

/* At most XS_PROBE_MAX_TEXT-like bounds: a field of a result is at most 512 bytes here. */
static char *dup_field(xs_nhosts *h, xs_str v)
{
    size_t n = v.n > 512 ? 512 : v.n;
    char *s = strndup(v.p ? v.p : "", n);
    if (!s)
        h->oom = true;
    return s;
}

static void host_free(xs_nhost *x)
{
    char **f[] = {&x->target, &x->host, &x->name, &x->seen, &x->build, &x->build_from,
                  &x->product, &x->cu, &x->update};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        free(*f[i]);
    for (size_t i = 0; i < x->nfam; i++) {
        free(x->fam[i].family);
        free(x->fam[i].cves);
        free(x->fam[i].state);
        free(x->fam[i].reason);
        free(x->fam[i].fixed_by);
    }
    memset(x, 0, sizeof *x);
}

void xs_nhosts_line(xs_nhosts *h, const char *p, size_t n, uint64_t line, size_t file)
{
    xs_str t = xs_str_trim(xs_str_make(p, n));
    if (!t.n)
        return;
    xs_json_pair pairs[MAX_PAIRS];
    size_t np = 0;
    char *scratch = malloc(n + 1), *paths = malloc(n + 4096);
    if (!scratch || !paths) {
        free(scratch);
        free(paths);
        h->oom = true;
        return;
    }
    if (xs_json_paths(p, n, pairs, MAX_PAIRS, &np, scratch, paths, n + 4096) != 0) {
        warn(h, line, "not a JSON object: skipped");
        goto out;
    }
    xs_str kind = XS_STR_NULL, target = XS_STR_NULL;
    bool exchange = false, finding = false;
    for (size_t i = 0; i < np; i++) {
        if (xs_str_eq(pairs[i].key, "exsweep.record"))
            kind = pairs[i].value;
        else if (xs_str_eq(pairs[i].key, "target"))
            target = pairs[i].value;
        else if (xs_str_eq(pairs[i].key, "exchange"))
            exchange = xs_str_eq(pairs[i].value, "true");
        else if (xs_str_eq(pairs[i].key, "finding"))
            finding = xs_str_eq(pairs[i].value, "true");
    }
    if (!kind.p) {
        warn(h, line, "not a record of exsweep probe -f jsonl: skipped");
        goto out;
    }
    if (!xs_str_eq(kind, "probe"))
        goto out; /* a warning or the summary of the probe */
    h->records++;
    if (!target.p || !target.n) {
        warn(h, line, "a probe record without a target: skipped");
        goto out;
    }
    if (!exchange || !finding) {
        h->ignored++;
        goto out;
    }
    char key[600];
    snprintf(key, sizeof key, "%.*s", (int)(target.n > 512 ? 512 : target.n), target.p);
    if (xs_strmap_get(h->seen, key)) {
        h->duplicates++;
        goto out;
    }
    if (h->n >= xs_notify_max_hosts) {
        warn(h, line, "more than %d hosts: not written about", XS_NOTIFY_MAX_HOSTS);
        goto out;
    }
    if (!xs_grow((void **)&h->h, &h->cap, h->n + 1, sizeof *h->h)) {
        h->oom = true;
        goto out;
    }
    xs_nhost *x = &h->h[h->n];
    memset(x, 0, sizeof *x);
    x->line = line;
    x->file = file;
    static const struct {
        const char *k;
        size_t off;
    } f[] = {{"target", offsetof(xs_nhost, target)},   {"host", offsetof(xs_nhost, host)},
             {"name", offsetof(xs_nhost, name)},       {"seen", offsetof(xs_nhost, seen)},
             {"build", offsetof(xs_nhost, build)},     {"build_from", offsetof(xs_nhost, build_from)},
             {"product", offsetof(xs_nhost, product)}, {"cu", offsetof(xs_nhost, cu)},
             {"update", offsetof(xs_nhost, update)}};
    long fam = -1;
    for (size_t i = 0; i < np && !h->oom; i++) {
        xs_str k = pairs[i].key, v = pairs[i].value;
        for (size_t j = 0; j < sizeof f / sizeof *f; j++) {
            char **slot = (char **)((char *)x + f[j].off);
            if (xs_str_eq(k, f[j].k) && !*slot)
                *slot = dup_field(h, v);
        }
        if (xs_str_eq(k, "port"))
            x->port = xs_str_uint(v, 65535);
        else if (xs_str_eq(k, "build_parts"))
            x->build_parts = (int)xs_str_uint(v, 4);
        else if (xs_str_eq(k, "families.family")) { /* each family object starts with it */
            if (x->nfam == XS_NOTIFY_FAMILIES) {
                fam = -1;
                continue;
            }
            fam = (long)x->nfam++;
            x->fam[fam].family = dup_field(h, v);
        } else if (fam >= 0 && xs_str_istarts(k, "families.")) {
            xs_str sub = xs_str_make(k.p + 9, k.n - 9);
            char **slot = xs_str_eq(sub, "cves")       ? &x->fam[fam].cves
                          : xs_str_eq(sub, "state")    ? &x->fam[fam].state
                          : xs_str_eq(sub, "reason")   ? &x->fam[fam].reason
                          : xs_str_eq(sub, "fixed_by") ? &x->fam[fam].fixed_by
                                                       : NULL;
            if (slot && !*slot)
                *slot = dup_field(h, v);
        }
    }
    /* every string there, "" when the record had none */
    char **all[] = {&x->target, &x->host, &x->name, &x->seen, &x->build, &x->build_from,
                    &x->product, &x->cu, &x->update};
    for (size_t i = 0; i < sizeof all / sizeof *all && !h->oom; i++)
        if (!*all[i] && !(*all[i] = strdup("")))
            h->oom = true;
    for (size_t i = 0; i < x->nfam && !h->oom; i++) {
        char **fs[] = {&x->fam[i].family, &x->fam[i].cves, &x->fam[i].state, &x->fam[i].reason,
                       &x->fam[i].fixed_by};
        for (size_t j = 0; j < 5; j++)
            if (!*fs[j] && !(*fs[j] = strdup("")))
                h->oom = true;
    }
    if (h->oom) {
        host_free(x);
        goto out;
    }
    x->has_addr = xs_addr_parse(x->host, strlen(x->host), x->addr);
    if (!xs_strmap_put(h->seen, key, (void *)1, NULL)) {
        host_free(x);
        h->oom = true;
        goto out;
    }
    h->n++;
out:
    free(scratch);
    free(paths);
}

void xs_nhosts_free(xs_nhosts *h)
{
    for (size_t i = 0; i < h->n; i++)
        host_free(&h->h[i]);
    free(h->h);
    xs_notes_free(h->warn, h->nwarn);
    xs_strmap_destroy(h->seen);
    memset(h, 0, sizeof *h);
}
