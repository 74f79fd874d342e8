/* Sigma rule files and folders loaded into a set: each YAML document a rule (or a correlation
 * rule), each failure a skip entry with its reason. Folders are walked in name order with
 * their entries looked at through lstat and opened with O_NOFOLLOW: a symbolic link is never
 * followed (and said), so a folder of rules cannot lead the loader out of it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/escape.h"
#include "core/grow.h"
#include "core/limits.h"
#include "sigma/internal.h"
#include "sigma/set.h"

xs_sigma_set *xs_sigma_set_create(void)
{
    xs_sigma_set *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ids = xs_strmap_create();
    s->ph = xs_strmap_create();
    if (!s->ids || !s->ph) {
        xs_strmap_destroy(s->ids);
        xs_strmap_destroy(s->ph);
        free(s);
        return NULL;
    }
    s->max_rules = XS_SIGMA_MAX_RULES;
    return s;
}

void xs_sigma_set_destroy(xs_sigma_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nre; i++)
        pcre2_code_free(s->re[i]);
    free(s->re);
    free(s->rule);
    free(s->skip);
    xs_strmap_destroy(s->ids);
    xs_strmap_destroy(s->ph);
    xs_arena_free(&s->a);
    free(s);
}

int xs_sigma_set_placeholder(xs_sigma_set *s, const char *name, const char *const *values,
                             size_t n)
{
    xs_splace *ph = xs_arena_alloc(&s->a, sizeof *ph);
    const char **v = xs_arena_alloc(&s->a, (n ? n : 1) * sizeof *v);
    if (!ph || !v)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!(v[i] = xs_arena_strdup(&s->a, values[i])))
            return -1;
    *ph = (xs_splace){v, n};
    return xs_strmap_put(s->ph, name, ph, NULL) ? 0 : -1;
}

size_t xs_sigma_count(const xs_sigma_set *s)
{
    return s->nrule;
}

const xs_sigma_rule *xs_sigma_rule_at(const xs_sigma_set *s, size_t i)
{
    return i < s->nrule ? s->rule[i] : NULL;
}

const xs_sigma_meta *xs_sigma_rule_meta(const xs_sigma_rule *r)
{
    return &r->meta;
}

const xs_sigma_skip *xs_sigma_skips(const xs_sigma_set *s, size_t *n)
{
    *n = s->nskip;
    return s->skip;
}

/* Records a skip; -1 only when out of memory. */
static int skip(xs_sigma_set *s, const char *file, const char *id, const char *title,
                const char *reason)
{
    if (!xs_grow((void **)&s->skip, &s->capskip, s->nskip + 1, sizeof *s->skip))
        return -1;
    xs_sigma_skip *k = &s->skip[s->nskip];
    k->file = xs_arena_strdup(&s->a, file);
    k->id = xs_arena_strdup(&s->a, id);
    k->title = xs_arena_strdup(&s->a, title);
    k->reason = xs_arena_strdup(&s->a, reason);
    if (!k->file || !k->reason || (id && !k->id) || (title && !k->title))
        return -1;
    s->nskip++;
    return 0;
}

static const char *scalar(const xs_ynode *m, const char *key)
{
    const xs_ynode *v = xs_ymap_get(m, key);
    return v && v->kind == XS_Y_SCALAR && !xs_ynull(v) ? v->s : NULL;
}

/* A list of strings (or one string) as an array in the arena; false when out of memory. */
static bool strings(xs_arena *a, const xs_ynode *v, const char *const **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!v || xs_ynull(v))
        return true;
    size_t cap = v->kind == XS_Y_SEQ ? v->count : 1;
    const char **arr = xs_arena_alloc(a, (cap ? cap : 1) * sizeof *arr);
    if (!arr)
        return false;
    for (const xs_ynode *e = v->kind == XS_Y_SEQ ? v->first : v; e;
         e = v->kind == XS_Y_SEQ ? e->next : NULL)
        if (e->kind == XS_Y_SCALAR)
            arr[(*n)++] = e->s;
    *out = arr;
    return true;
}

/* "5m" and the like: s, m, h, d, w, M (30 days), y (365 days). */
static long long timespan(const char *t)
{
    char *end;
    errno = 0;
    long long v = t ? strtoll(t, &end, 10) : -1;
    if (!t || end == t || errno || v <= 0 || v > 1000000000LL || end[0] == '\0' || end[1])
        return -1;
    static const char units[] = "smhdwMy";
    static const long long mult[] = {1, 60, 3600, 86400, 604800, 2592000, 31536000};
    const char *u = strchr(units, end[0]);
    return u ? v * mult[u - units] : -1;
}

/* A whole number or decimal, and nothing after it. */
static bool number(const char *v, double *d)
{
    char *end;
    errno = 0;
    *d = strtod(v, &end);
    return end != v && !*end && errno == 0 && isfinite(*d);
}

static bool truth(const char *v)
{
    return v && (!strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "TRUE") ||
                 !strcmp(v, "yes"));
}

static bool compile_corr(xs_sctx *c, const xs_ynode *cy, xs_sigma_corr **out)
{
    static const char *const types[] = {"event_count", "value_count", "temporal",
                                        "temporal_ordered", "value_sum", "value_avg",
                                        "value_percentile"};
    xs_sigma_corr *k = xs_arena_alloc(c->a, sizeof *k);
    if (!k)
        return !(c->oom = true);
    memset(k, 0, sizeof *k);
    if (cy->kind != XS_Y_MAP)
        return xs_sfail(c, "correlation: not a map");
    k->type = scalar(cy, "type");
    size_t t = 0;
    while (k->type && t < sizeof types / sizeof *types && strcmp(k->type, types[t]))
        t++;
    if (!k->type || t == sizeof types / sizeof *types)
        return xs_sfail(c, "correlation: unknown type '%.40s'", k->type ? k->type : "");
    if (!strings(c->a, xs_ymap_get(cy, "rules"), &k->rules, &k->nrules) ||
        !strings(c->a, xs_ymap_get(cy, "group-by"), &k->group_by, &k->ngroup_by))
        return !(c->oom = true);
    if (k->nrules == 0)
        return xs_sfail(c, "correlation: no rules");
    k->timespan_s = timespan(scalar(cy, "timespan"));
    if (k->timespan_s < 0)
        k->timespan_s = timespan(scalar(cy, "timeframe"));
    if (k->timespan_s < 0)
        return xs_sfail(c, "correlation: no timespan, or not one of N followed by s m h d w M y");
    const xs_ynode *cond = xs_ymap_get(cy, "condition");
    bool temporal = t == 2 || t == 3;
    if (!cond && !temporal)
        return xs_sfail(c, "correlation: no condition");
    if (cond) {
        if (cond->kind != XS_Y_MAP)
            return xs_sfail(c, "correlation: the condition is not a map");
        static const char *const ops[] = {"gt", "gte", "lt", "lte", "eq"};
        for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
            const char *v = scalar(cond, ops[i]);
            if (!v)
                continue;
            double d;
            if (!number(v, &d))
                return xs_sfail(c, "correlation: '%s: %.20s' is not a number", ops[i], v);
            k->cond[k->ncond++] = (xs_sigma_ccond){ops[i], d};
        }
        k->cond_field = scalar(cond, "field");
        if (!k->ncond)
            return xs_sfail(c, "correlation: a condition without gt, gte, lt, lte or eq");
        for (const xs_ynode *e = cond->first; e && e->next; e = e->next->next) {
            size_t i = 0;
            while (e->kind == XS_Y_SCALAR && i < sizeof ops / sizeof *ops && strcmp(e->s, ops[i]))
                i++;
            if (e->kind != XS_Y_SCALAR || (i == sizeof ops / sizeof *ops &&
                                           strcmp(e->s, "field") && strcmp(e->s, "percentile")))
                return xs_sfail(c, "correlation: the condition has '%.40s' (not supported)",
                                e->kind == XS_Y_SCALAR ? e->s : "a key that is not a string");
        }
    }
    if (t != 0 && !temporal && !k->cond_field)
        return xs_sfail(c, "correlation: %s needs a condition field", k->type);
    if (t == 6) { /* value_percentile: which one, in the condition or beside it */
        const char *p = cond ? scalar(cond, "percentile") : NULL;
        if (!p)
            p = scalar(cy, "percentile");
        if (!p || !number(p, &k->percentile) || !(k->percentile >= 0 && k->percentile <= 100))
            return xs_sfail(c, "correlation: value_percentile without a percentile from 0 to 100");
    }
    k->generate = truth(scalar(cy, "generate"));
    const xs_ynode *al = xs_ymap_get(cy, "aliases");
    if (al && !xs_ynull(al)) {
        if (al->kind != XS_Y_MAP)
            return xs_sfail(c, "correlation: aliases is not a map");
        size_t n = 0;
        for (const xs_ynode *e = al->first; e && e->next; e = e->next->next) {
            if (e->kind != XS_Y_SCALAR || e->next->kind != XS_Y_MAP)
                return xs_sfail(c, "correlation: an alias that is not a map of rule: field");
            n += e->next->count / 2;
        }
        xs_sigma_calias *a = xs_arena_alloc(c->a, (n ? n : 1) * sizeof *a);
        if (!a)
            return !(c->oom = true);
        size_t i = 0;
        for (const xs_ynode *e = al->first; e && e->next; e = e->next->next)
            for (const xs_ynode *r = e->next->first; r && r->next; r = r->next->next) {
                if (r->kind != XS_Y_SCALAR || r->next->kind != XS_Y_SCALAR)
                    return xs_sfail(c, "correlation: alias '%.40s' maps a rule to no field",
                                    e->s);
                a[i++] = (xs_sigma_calias){e->s, r->s, r->next->s};
            }
        k->aliases = a;
        k->naliases = i;
    }
    *out = k;
    return true;
}

static bool compile_detection(xs_sctx *c, const xs_ynode *det, xs_sigma_rule *r)
{
    if (!det || det->kind != XS_Y_MAP)
        return xs_sfail(c, "rule: no detection map");
    const xs_ynode *cond = xs_ymap_get(det, "condition");
    if (!cond)
        return xs_sfail(c, "rule: no condition");
    size_t n = 0;
    for (const xs_ynode *k = det->first; k && k->next; k = k->next->next) {
        if (k->kind != XS_Y_SCALAR)
            return xs_sfail(c, "rule: a detection key that is not a string");
        n += strcmp(k->s, "condition") && strcmp(k->s, "timeframe");
    }
    if (n > XS_SIGMA_MAX_SELECTIONS)
        return xs_sfail(c, "limit: more than %d selections", XS_SIGMA_MAX_SELECTIONS);
    xs_ssel *sel = xs_arena_alloc(c->a, (n ? n : 1) * sizeof *sel);
    if (!sel)
        return !(c->oom = true);
    size_t i = 0;
    for (const xs_ynode *k = det->first; k && k->next; k = k->next->next) {
        if (!strcmp(k->s, "condition") || !strcmp(k->s, "timeframe"))
            continue;
        if (!xs_sigma_compile_sel(c, k->s, k->next, &sel[i++]))
            return false;
    }
    r->sel = sel;
    r->nsel = n;
    xs_cnode *nodes;
    if (!xs_sigma_compile_cond(c, cond, sel, n, &nodes, &r->root))
        return false;
    r->cond = nodes;
    return true;
}

/* One YAML document: a rule kept, or a skip entry. -1 only when out of memory. */
static int load_doc(xs_sigma_set *s, const char *file, const xs_ynode *doc)
{
    if (doc->kind != XS_Y_MAP)
        return xs_ynull(doc) ? 0 : skip(s, file, NULL, NULL, "rule: the document is not a map");
    const char *id = scalar(doc, "id"), *title = scalar(doc, "title");
    xs_sctx c = {.a = &s->a, .ph = s->ph, .res = &s->re, .nres = &s->nre, .capres = &s->capre};
    const char *action = scalar(doc, "action");
    if (s->nrule >= s->max_rules) {
        xs_sfail(&c, "limit: more than %zu rules", s->max_rules);
        return skip(s, file, id, title, c.reason);
    }
    if (action) {
        xs_sfail(&c, "rule collection: action '%.20s' (not supported)", action);
        return skip(s, file, id, title, c.reason);
    }
    if (id && xs_strmap_get(s->ids, id))
        return skip(s, file, id, title, "rule: an id already loaded");
    xs_sigma_rule *r = xs_arena_alloc(&s->a, sizeof *r);
    if (!r)
        return -1;
    memset(r, 0, sizeof *r);
    xs_sigma_meta *m = &r->meta;
    const xs_ynode *ls = xs_ymap_get(doc, "logsource"), *corr = xs_ymap_get(doc, "correlation");
    m->file = xs_arena_strdup(&s->a, file);
    m->id = id;
    m->title = title;
    m->name = scalar(doc, "name");
    m->status = scalar(doc, "status");
    m->level = scalar(doc, "level");
    m->description = scalar(doc, "description");
    m->product = scalar(ls, "product");
    m->category = scalar(ls, "category");
    m->service = scalar(ls, "service");
    if (!m->file || !strings(&s->a, xs_ymap_get(doc, "tags"), &m->tags, &m->ntags) ||
        !strings(&s->a, xs_ymap_get(doc, "references"), &m->references, &m->nreferences))
        return -1;
    bool ok;
    if (corr) {
        xs_sigma_corr *k = NULL;
        ok = compile_corr(&c, corr, &k);
        if (ok) /* generate: in the correlation section, or beside it as the spec shows it */
            k->generate = k->generate || truth(scalar(doc, "generate"));
        m->correlation = k;
    } else if (xs_ymap_get(doc, "filter") && !xs_ymap_get(doc, "detection"))
        ok = xs_sfail(&c, "filter rule: Sigma filters (not supported)");
    else if (!title)
        ok = xs_sfail(&c, "rule: no title");
    else
        ok = compile_detection(&c, xs_ymap_get(doc, "detection"), r);
    if (c.oom)
        return -1;
    if (!ok)
        return skip(s, file, id, title, c.reason);
    if (!xs_grow((void **)&s->rule, &s->caprule, s->nrule + 1, sizeof *s->rule))
        return -1;
    if (id && !xs_strmap_put(s->ids, id, r, NULL))
        return -1;
    xs_sigma_win_resolve(r);
    s->rule[s->nrule++] = r;
    s->ncorr += m->correlation != NULL;
    return 0;
}

int xs_sigma_load_buffer(xs_sigma_set *s, const char *name, const char *buf, size_t n)
{
    char err[200];
    if (n > XS_SIGMA_MAX_FILE) {
        snprintf(err, sizeof err, "limit: a file of more than %u bytes", XS_SIGMA_MAX_FILE);
        return skip(s, name, NULL, NULL, err);
    }
    xs_ynode *docs = xs_yaml_parse(buf, n, &s->a, err, sizeof err);
    if (!docs)
        return strcmp(err, "out of memory") == 0 ? -1 : skip(s, name, NULL, NULL, err);
    for (const xs_ynode *d = docs->first; d; d = d->next)
        if (load_doc(s, name, d) < 0)
            return -1;
    return 0;
}

static int skip_errno(xs_sigma_set *s, const char *file, const char *what, int e)
{
    char why[200];
    snprintf(why, sizeof why, "file: %s (%s)", what, strerror(e));
    return skip(s, file, NULL, NULL, why);
}

/* Reads the regular file fd (closed here) named file. */
static int load_fd(xs_sigma_set *s, const char *file, int fd)
{
    struct stat st;
    int rc = 0;
    char *buf = NULL;
    if (fstat(fd, &st) != 0) {
        rc = skip_errno(s, file, "cannot stat", errno);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = skip(s, file, NULL, NULL, "file: not a regular file");
        goto out;
    }
    if ((unsigned long long)st.st_size > XS_SIGMA_MAX_FILE) {
        char why[100];
        snprintf(why, sizeof why, "limit: a file of more than %u bytes", XS_SIGMA_MAX_FILE);
        rc = skip(s, file, NULL, NULL, why);
        goto out;
    }
    size_t size = (size_t)st.st_size, got = 0;
    buf = malloc(size ? size : 1);
    if (!buf) {
        rc = -1;
        goto out;
    }
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = skip_errno(s, file, "cannot read", errno);
            goto out;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    rc = xs_sigma_load_buffer(s, file, buf, got);
out:
    free(buf);
    close(fd);
    return rc;
}

static bool rule_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".yaml") == 0);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folder fd (closed here) called path, depth folders below the root. */
static int walk(xs_sigma_set *s, int fd, const char *path, int depth)
{
    DIR *d = fdopendir(fd);
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    if (!d) {
        close(fd);
        return skip_errno(s, path, "cannot list", errno);
    }
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *copy = strdup(e->d_name);
        if (!copy || !xs_grow((void **)&names, &cap, n + 1, sizeof *names)) {
            free(copy);
            rc = -1;
            goto out;
        }
        names[n++] = copy;
    }
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char sub[XS_MAX_PATH];
        struct stat st;
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, names[i]) >= sizeof sub) {
            rc = skip(s, path, NULL, NULL, "limit: a path too long under this folder");
            continue;
        }
        if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
            rc = skip_errno(s, sub, "cannot stat", errno);
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            rc = skip(s, sub, NULL, NULL, "file: a symbolic link (not followed)");
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (depth + 1 > XS_MAX_DEPTH) {
                rc = skip(s, sub, NULL, NULL, "limit: folders nested too deep");
                continue;
            }
            int sfd = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            rc = sfd < 0 ? skip_errno(s, sub, "cannot open", errno) : walk(s, sfd, sub, depth + 1);
            continue;
        }
        if (!S_ISREG(st.st_mode) || !rule_name(names[i]))
            continue;
        int ffd = openat(dirfd(d), names[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
        rc = ffd < 0 ? skip_errno(s, sub, "cannot open", errno) : load_fd(s, sub, ffd);
    }
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

int xs_sigma_load_path(xs_sigma_set *s, const char *path)
{
    /* the root is the caller's own choice: it may itself be a link */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    if (fd < 0) {
        skip_errno(s, path, "cannot open", errno);
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        skip_errno(s, path, "cannot stat", e);
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return walk(s, fd, path, 0);
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        skip(s, path, NULL, NULL, "file: not a regular file or folder");
        return -1;
    }
    return load_fd(s, path, fd);
}

void xs_sigma_summary(const xs_sigma_set *s, char *buf, size_t cap)
{
    size_t o = 0;
    xs_appendf(buf, cap, &o, "sigma: %zu rules loaded, %zu skipped", s->nrule, s->nskip);
    if (s->ncorr)
        xs_appendf(buf, cap, &o, " (%zu correlation rules among them)", s->ncorr);
}

static void json_field(FILE *f, const char *key, const char *v, bool comma)
{
    fprintf(f, "%s\"%s\":", comma ? "," : "", key);
    if (!v) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    xs_esc_json(f, v, strlen(v));
    fputc('"', f);
}

int xs_sigma_skip_line(const xs_sigma_skip *k, FILE *out)
{
    fputc('{', out);
    json_field(out, "file", k->file, false);
    json_field(out, "id", k->id, true);
    json_field(out, "title", k->title, true);
    json_field(out, "reason", k->reason, true);
    fputs("}\n", out);
    return ferror(out) ? -1 : 0;
}

int xs_sigma_skip_report(const xs_sigma_set *s, FILE *out)
{
    for (size_t i = 0; i < s->nskip; i++)
        if (xs_sigma_skip_line(&s->skip[i], out) != 0)
            return -1;
    return ferror(out) ? -1 : 0;
}
