/* The plan: which files of a sweep are backdoors that may be quarantined. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/escape.h"
#include "core/limits.h"
#include "detectors/webfolders.h"
#include "vault/internal.h"
#include "vault/item.h"

static int cmp_cand(const void *a, const void *b)
{
    const exs_vault_cand *x = a, *y = b;
    int c = strcmp(x->root_path, y->root_path);
    return c ? c : strcmp(x->path, y->path);
}

int xs_vault_list_add(char **list, size_t max, const char *s)
{
    /* an id from a saved sweep is text: a ',' in it, or a leading '+', would read as the
     * list's own marks; they become '_' */
    char safe[XS_MAX_FINDING_NAME + 1];
    snprintf(safe, sizeof safe, "%s", s);
    for (char *c = safe; *c; c++)
        if (*c == ',' || (c == safe && *c == '+'))
            *c = '_';
    s = safe;
    size_t l = strlen(s), count = 0;
    for (const char *p = *list; p && p[0]; p = strchr(p, ',') ? strchr(p, ',') + 1 : "")
        count++;
    if (count >= max || (*list && strstr(*list, ",+"))) { /* ",+N more" at the end, N counting on */
        char *more = *list ? strstr(*list, ",+") : NULL;
        unsigned long long extra = more ? strtoull(more + 2, NULL, 10) : 0;
        size_t keep = more ? (size_t)(more - *list) : (*list ? strlen(*list) : 0);
        char tail[48];
        int tl = snprintf(tail, sizeof tail, "%s+%llu more", keep ? "," : "", extra + 1);
        char *n = realloc(*list, keep + (size_t)tl + 1);
        if (!n)
            return -1;
        memcpy(n + keep, tail, (size_t)tl + 1);
        *list = n;
        return 0;
    }
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

const char *xs_vault_default_file(const char *root_path, const char *path)
{
    char norm[XS_MAX_PATH * 2 + 2];
    int l = snprintf(norm, sizeof norm, "%s/%s", root_path, path);
    if (l < 0 || (size_t)l >= sizeof norm)
        return NULL;
    /* the name as the filesystem has it, folded as NTFS and IIS fold it; no %XX decoding
     * (that is for collections' encoded names): "logon%2easpx" is not logon.aspx */
    for (char *c = norm; *c; c++)
        *c = *c == '\\' ? '/' : xs_lower(*c);
    xs_webloc w;
    xs_webloc_of(norm, &w);
    const char *slash = strrchr(norm, '/');
    const char *b = slash ? slash + 1 : norm;
    if (!xs_web_has_allowlist(w.folder) || !xs_web_allowlisted(&w, b))
        return NULL;
    return "a file a default Exchange install has at this path with this name: replace it "
           "from the install media (or rerun the CU's setup) instead; the finding stands";
}

const char *xs_vault_config_file(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    size_t l = strlen(b);
    if (l < 7 || strcasecmp(b + l - 7, ".config") != 0)
        return NULL;
    /* web.config with a planted handler or code, applicationHost.config with a rogue virtual
     * folder, agents.config with a rogue transport agent: the finding is about a part of it */
    return "a configuration file (web.config, applicationHost.config, agents.config): take the "
           "planted part out by hand; removing the file would take the site or service with it";
}

const char *xs_vault_refusal(int dfd, const char *base, const struct stat *st)
{
    struct statvfs vs;
    if (S_ISLNK(st->st_mode))
        return "a symbolic link";
    if (!S_ISREG(st->st_mode))
        return "not a regular file";
    if (st->st_nlink > 1)
        return "hard-linked (another name would keep it)";
    (void)base;
    if (fstatvfs(dfd, &vs) == 0 && (vs.f_flag & ST_RDONLY))
        return "on read-only media (a read-only mount or image): nothing can be removed from "
               "it; quarantine a writable copy's findings, or remount it read-write";
    return NULL;
}

int xs_vault_check(const exs_vault_cand *c, int *dfdp, int *fdp, const char **base,
                   struct stat *st, char hex[65], uint64_t *size, const char **why)
{
    *dfdp = *fdp = -1;
    *why = c->refused;
    if (!*why && (!xs_utf8_valid(c->root_path, strlen(c->root_path)) ||
                  !xs_utf8_valid(c->path, strlen(c->path))))
        /* the manifest (JSON) could name it only with U+FFFD for the bad bytes: restore and
         * recovery would look for another name */
        *why = "its path is not valid UTF-8: the manifest could not name it exactly";
    if (!*why)
        *why = xs_vault_default_file(c->root_path, c->path);
    if (!*why)
        *why = xs_vault_config_file(c->path);
    if (*why)
        return 1;
    int dfd = xs_vault_open_parent(c->root_path, c->path, base);
    if (dfd < 0) { /* a folder of the path became a symlink, or is gone */
        *why = errno == ENOENT ? "gone (vanished since the sweep)"
                               : "a folder of its path is a symbolic link or cannot be opened";
        return 1;
    }
    *dfdp = dfd;
    int fd = openat(dfd, *base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME | O_NONBLOCK);
    if (fd < 0 && errno == EPERM) /* O_NONBLOCK: a FIFO at the name cannot hang the run */
        fd = openat(dfd, *base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 || fstat(fd, st) != 0) {
        *why = errno == ENOENT ? "gone (vanished since the sweep)"
               : errno == ELOOP ? "a symbolic link"
               : errno == EACCES || errno == EPERM ? "cannot be read (permission denied)"
               : errno == EBUSY || errno == ETXTBSY ? "locked or in use"
                                                    : "cannot be opened";
        if (fd >= 0)
            close(fd);
        return 1;
    }
    *fdp = fd;
    if ((*why = xs_vault_refusal(dfd, *base, st)) != NULL)
        return 1;
    if (c->inode && ((uint64_t)st->st_ino != c->inode || (uint64_t)st->st_dev != c->device)) {
        *why = "another file than the sweep saw (another device or inode): a file put at its "
               "name since, or the evidence mounted anew";
        return 2;
    }
    int h = xs_vault_sha256_fd(fd, hex, size);
    if (h == -2) {
        *why = "larger than a vault item may be (XS_VAULT_MAX_ITEM)";
        return 1;
    }
    if (h != 0)
        return -1;
    if (c->size >= 0 && (uint64_t)c->size != *size) {
        *why = "its size is not the one the sweep saw: changed since";
        return 2;
    }
    if (c->sha256 && strcmp(c->sha256, hex) != 0) {
        *why = "its SHA-256 is not the one the sweep saw: changed since";
        return 2;
    }
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
            strcmp(x->origin.kind, "file") != 0 || !x->origin.path || !x->origin.path[0] ||
            x->origin.root >= sw->nroots)
            continue;
        const char *rootp = sw->roots[x->origin.root].path, *why = NULL;
        char *rp = realpath(rootp, NULL);
        if (!rp && errno == ENOMEM)
            goto oom;
        if (!rp) {
            /* said, not dropped: a saved sweep read elsewhere, or a root since unmounted */
            if (!(rp = strdup(rootp)))
                goto oom;
            why = "its evidence root is not here (run from the folder the sweep ran in, with "
                  "the evidence mounted where it was)";
        } else if (x->origin.nmembers != 0) {
            why = "a member of an archive: a collection is a copy, not the server's tree "
                  "(quarantine runs on the tree itself)";
        }
        exs_vault_cand *c = NULL;
        for (size_t j = 0; j < cnt; j++)
            if (strcmp(plan[j].root_path, rp) == 0 && strcmp(plan[j].path, x->origin.path) == 0)
                c = &plan[j];
        if (!c) {
            if (cnt == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                exs_vault_cand *np = realloc(plan, ncap * sizeof *np);
                if (!np) {
                    free(rp);
                    goto oom;
                }
                plan = np;
                cap = ncap;
            }
            c = &plan[cnt++];
            memset(c, 0, sizeof *c);
            c->root_label = sw->roots[x->origin.root].label;
            c->size = x->file ? x->file->size : -1;
            c->device = x->file ? x->file->device : 0;
            c->inode = x->file ? x->file->inode : 0;
            c->refused = why;
            c->root_path = rp;
            rp = NULL;
            if (!(c->path = strdup(x->origin.path)) ||
                (x->file && x->file->sha256 && !(c->sha256 = strdup(x->file->sha256))))
                goto oom;
        }
        free(rp);
        if (xs_vault_list_add((char **)&c->findings, XS_VAULT_MAX_IDS, x->id) != 0 ||
            xs_vault_list_add((char **)&c->rules, SIZE_MAX, x->rule->id) != 0)
            goto oom;
    }
    for (size_t j = 0; j < cnt; j++) {
        /* held to what the sweep saw now: the plan says what --apply would do */
        exs_vault_cand *c = &plan[j];
        const char *base, *why;
        struct stat st;
        char hex[65];
        uint64_t size;
        int dfd, fd;
        int k = xs_vault_check(c, &dfd, &fd, &base, &st, hex, &size, &why);
        if (k == 1)
            c->refused = why;
        else if (k == 2)
            c->changed = why;
        else if (k < 0)
            c->refused = "cannot be read";
        if (fd >= 0)
            close(fd);
        if (dfd >= 0)
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
