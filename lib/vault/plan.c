/* The plan: which files of a sweep are backdoors that may be quarantined. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/escape.h"
#include "vault/internal.h"
#include "vault/item.h"

static int cmp_cand(const void *a, const void *b)
{
    const exs_vault_cand *x = a, *y = b;
    int c = strcmp(x->root_path, y->root_path);
    return c ? c : strcmp(x->path, y->path);
}

/* Appends ",s" to *list unless s is already one of its items. 0, or -1 out of memory. */
static int add_item(char **list, const char *s)
{
    size_t l = strlen(s);
    if (*list) {
        for (const char *p = *list; p;) {
            const char *c = strchr(p, ',');
            size_t pl = c ? (size_t)(c - p) : strlen(p);
            if (pl == l && memcmp(p, s, l) == 0)
                return 0;
            p = c ? c + 1 : NULL;
        }
    }
    size_t old = *list ? strlen(*list) : 0;
    char *n = realloc(*list, old + l + 2);
    if (!n)
        return -1;
    if (old)
        n[old++] = ',';
    memcpy(n + old, s, l + 1);
    *list = n;
    return 0;
}

void exs_vault_plan_free(exs_vault_cand *plan, size_t n)
{
    for (size_t i = 0; plan && i < n; i++) {
        free((char *)plan[i].root_path);
        free((char *)plan[i].path);
        free((char *)plan[i].findings);
        free((char *)plan[i].rules);
        free((char *)plan[i].sha256);
    }
    free(plan);
}

exs_rc exs_vault_plan(const exs_results *r, exs_vault_cand **out, size_t *n)
{
    size_t nf, cap = 0, cnt = 0;
    const exs_finding *f = exs_results_findings(r, &nf);
    const exs_sweep_info *sw = exs_results_sweep(r);
    exs_vault_cand *plan = NULL;
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < nf; i++) {
        const exs_finding *x = &f[i];
        if (!x->rule || !x->rule->backdoor || !x->origin.kind ||
            strcmp(x->origin.kind, "file") != 0 || x->origin.nmembers != 0 || !x->origin.path ||
            !x->origin.path[0] || x->origin.root >= sw->nroots)
            continue;
        char rp[PATH_MAX];
        if (!realpath(sw->roots[x->origin.root].path, rp))
            continue;
        exs_vault_cand *c = NULL;
        for (size_t j = 0; j < cnt; j++)
            if (strcmp(plan[j].root_path, rp) == 0 && strcmp(plan[j].path, x->origin.path) == 0)
                c = &plan[j];
        if (!c) {
            if (cnt == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                exs_vault_cand *np = realloc(plan, ncap * sizeof *np);
                if (!np)
                    goto oom;
                plan = np;
                cap = ncap;
            }
            c = &plan[cnt++];
            memset(c, 0, sizeof *c);
            c->root_label = sw->roots[x->origin.root].label;
            c->size = x->file ? x->file->size : -1;
            if (!(c->root_path = strdup(rp)) || !(c->path = strdup(x->origin.path)) ||
                (x->file && x->file->sha256 && !(c->sha256 = strdup(x->file->sha256))))
                goto oom;
        }
        if (add_item((char **)&c->findings, x->id) != 0 ||
            add_item((char **)&c->rules, x->rule->id) != 0)
            goto oom;
    }
    for (size_t j = 0; j < cnt; j++) {
        exs_vault_cand *c = &plan[j];
        const char *base;
        struct stat st;
        if (!xs_utf8_valid(c->root_path, strlen(c->root_path)) ||
            !xs_utf8_valid(c->path, strlen(c->path))) {
            /* the manifest (JSON) could name it only with U+FFFD for the bad bytes: restore and
             * recovery would look for another name */
            c->refused = "its path is not valid UTF-8: the manifest could not name it exactly";
            continue;
        }
        int dfd = xs_vault_open_parent(c->root_path, c->path, &base);
        if (dfd < 0) {
            c->refused = errno == ENOENT ? "gone" : "a folder of its path is a symbolic link "
                                                    "or cannot be opened";
            continue;
        }
        if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0)
            c->refused = "gone";
        else if (S_ISLNK(st.st_mode))
            c->refused = "a symbolic link";
        else if (!S_ISREG(st.st_mode))
            c->refused = "not a regular file";
        else if (st.st_nlink > 1)
            c->refused = "hard-linked (another name would keep it)";
        close(dfd);
    }
    if (cnt)
        qsort(plan, cnt, sizeof *plan, cmp_cand);
    *out = plan;
    *n = cnt;
    return EXS_OK;
oom:
    exs_vault_plan_free(plan, cnt);
    return EXS_ENOMEM;
}
