/* The addresses and hosts of the IOC lists in findings and requests (see iocnet.h). */
#include <pthread.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/limits.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "detectors/internal.h"
#include "detectors/iocnet.h"
#include "results/results_int.h"
#include "scan/pass.h"

/* What the sweep's findings say of one indicator. */
typedef struct tally {
    const xs_ioc *ioc;
    uint64_t findings;
    exs_verdict worst;
    int64_t first, last;
    const char **rules; /* rule ids, sorted (the rules live as long as the scan) */
    size_t nrules, caprules;
    exs_finding at;     /* the first finding in the results' order: its time, origin, rule and
                           id (strings in block) ... */
    const char *what;   /* ... and the address or host as it names it */
    void *block;
} tally;

struct xs_iocnet {
    const xs_iocset *set;
    pthread_mutex_t mu;
    bool closed; /* reporting: the summing findings do not count themselves */
    xs_strmap *by_key; /* "type|value" -> tally */
    tally **v;
    size_t n, cap;
};

exs_rc xs_iocnet_create(xs_iocnet **out, const xs_iocset *set)
{
    *out = NULL;
    if (!xs_iocset_count_user(set, XS_IOC_IP) && !xs_iocset_count_user(set, XS_IOC_DOMAIN))
        return EXS_OK;
    xs_iocnet *n = calloc(1, sizeof *n);
    if (!n)
        return EXS_ENOMEM;
    n->set = set;
    n->by_key = xs_strmap_create();
    if (!n->by_key || pthread_mutex_init(&n->mu, NULL) != 0) {
        xs_strmap_destroy(n->by_key);
        free(n);
        return EXS_ENOMEM;
    }
    *out = n;
    return EXS_OK;
}

void xs_iocnet_destroy(xs_iocnet *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        free(n->v[i]->rules);
        free(n->v[i]->block);
        free(n->v[i]);
    }
    free(n->v);
    xs_strmap_destroy(n->by_key);
    pthread_mutex_destroy(&n->mu);
    free(n);
}

/* ---------------------------------------------------------------- matching */

/* Host names inside a string (ServerInfo~host/..., a@host, http://host/...). */
static const xs_ioc *host_in(const xs_iocset *set, const char *s, char *found, size_t cap)
{
    if (!s)
        return NULL;
    const char *p = s;
    while (*p) {
        while (*p &&
               !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            p++;
        const char *b = p;
        bool dot = false;
        while (*p && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_')) {
            dot |= *p == '.';
            p++;
        }
        size_t n = (size_t)(p - b);
        if (dot && n >= 3 && n < cap) {
            memcpy(found, b, n);
            found[n] = 0;
            const xs_ioc *x = xs_iocset_domain(set, found);
            if (x)
                return x;
        }
    }
    return NULL;
}

/* The indicator f names, or NULL; *what: the address or host as f names it. */
static const xs_ioc *match(const xs_iocset *set, const exs_finding *f, const char **what,
                            char *host, size_t cap)
{
    const char *client = f->http ? f->http->client : NULL;
    const char *vhost = f->http ? f->http->host : NULL;
    const xs_ioc *ioc = xs_iocset_ip(set, client);
    *what = client;
    if (!ioc && (ioc = xs_iocset_domain(set, vhost)) != NULL)
        *what = vhost;
    if (!ioc && (ioc = host_in(set, f->target, host, cap)) != NULL)
        *what = ioc->value;
    return ioc;
}

static const char *ioc_key(const xs_ioc *x, char *buf, size_t cap)
{
    snprintf(buf, cap, "%d|%s", (int)x->type, x->value);
    return buf;
}

/* ---------------------------------------------------------------- the tally */

/* t->at becomes the place of f (its time, origin, rule and id), named what: one block. */
static bool place(tally *t, const exs_finding *f, const char *what)
{
    const exs_origin *o = &f->origin;
    size_t strs = strlen(o->path) + strlen(o->kind) + strlen(what) + 3;
    for (size_t i = 0; i < o->nmembers; i++)
        strs += strlen(o->members[i]) + 1;
    size_t head = o->nmembers * sizeof(char *);
    char *b = malloc(head + strs);
    if (!b)
        return false;
    const char **members = (const char **)(void *)b;
    char *p = b + head;
#define COPY(dst, src)                                                                             \
    do {                                                                                           \
        size_t n_ = strlen(src) + 1;                                                               \
        memcpy(p, (src), n_);                                                                      \
        (dst) = p;                                                                                 \
        p += n_;                                                                                   \
    } while (0)
    exs_finding x;
    memset(&x, 0, sizeof x);
    memcpy(x.id, f->id, EXS_ID_LEN);
    x.rule = f->rule;
    x.verdict = f->verdict;
    x.time_ms = f->time_ms;
    x.origin = *o;
    COPY(x.origin.path, o->path);
    COPY(x.origin.kind, o->kind);
    for (size_t i = 0; i < o->nmembers; i++)
        COPY(members[i], o->members[i]);
    x.origin.members = o->nmembers ? members : NULL;
    COPY(t->what, what);
#undef COPY
    free(t->block);
    t->block = b;
    t->at = x;
    return true;
}

static bool add_rule(tally *t, const char *id)
{
    size_t i = 0;
    while (i < t->nrules && strcmp(t->rules[i], id) < 0)
        i++;
    if (i < t->nrules && strcmp(t->rules[i], id) == 0)
        return true;
    if (!xs_grow((void **)&t->rules, &t->caprules, t->nrules + 1, sizeof *t->rules))
        return false;
    memmove(t->rules + i + 1, t->rules + i, (t->nrules - i) * sizeof *t->rules);
    t->rules[i] = id;
    t->nrules++;
    return true;
}

static tally *tally_get(xs_iocnet *n, const xs_ioc *ioc)
{
    char key[XS_MAX_IOC_LINE + 16];
    ioc_key(ioc, key, sizeof key);
    tally *t = xs_strmap_get(n->by_key, key);
    if (t)
        return t;
    if (!xs_grow((void **)&n->v, &n->cap, n->n + 1, sizeof *n->v))
        return NULL;
    t = calloc(1, sizeof *t);
    if (!t || !xs_strmap_put(n->by_key, key, t, NULL)) {
        free(t);
        return NULL;
    }
    t->ioc = ioc;
    t->first = t->last = EXS_TIME_NONE;
    n->v[n->n++] = t;
    return t;
}

bool xs_iocnet_note(xs_iocnet *n, const exs_finding *f)
{
    if (!n)
        return true;
    char host[256];
    const char *what = NULL;
    const xs_ioc *ioc = match(n->set, f, &what, host, sizeof host);
    if (!ioc)
        return true;
    pthread_mutex_lock(&n->mu);
    if (n->closed) {
        pthread_mutex_unlock(&n->mu);
        return true;
    }
    tally *t = tally_get(n, ioc);
    bool ok = t && add_rule(t, f->rule->id);
    if (ok) {
        t->findings++;
        if (f->verdict > t->worst)
            t->worst = f->verdict;
        xs_time_span_add(&t->first, &t->last, f->time_ms);
        if (!t->block || xs_finding_cmp(f, &t->at) < 0)
            ok = place(t, f, what ? what : ioc->value);
    }
    pthread_mutex_unlock(&n->mu);
    return ok;
}

/* ---------------------------------------------------------------- the report */

typedef struct net_hit {
    const xs_ioc *ioc;
    const tally *t;             /* NULL: named by requests only */
    const char *what;
    uint64_t findings;
    size_t requests;
    exs_verdict worst;
    int64_t first, last;
    const xs_access *access;   /* the first request, for a place when no finding named it */
    const char *ids[XS_MAX_RELATED];
    size_t nids;
} net_hit;

typedef struct hits {
    net_hit *v;
    size_t n, cap;
    xs_strmap *by_key; /* key -> index + 1 */
} hits;

static net_hit *hit_get(hits *h, const xs_ioc *ioc, bool create)
{
    char key[XS_MAX_IOC_LINE + 16];
    ioc_key(ioc, key, sizeof key);
    size_t at = (size_t)(uintptr_t)xs_strmap_get(h->by_key, key);
    if (at)
        return &h->v[at - 1];
    if (!create || !xs_grow((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v) ||
        !xs_strmap_put(h->by_key, key, (void *)(uintptr_t)(h->n + 1), NULL))
        return NULL;
    net_hit *x = &h->v[h->n++];
    memset(x, 0, sizeof *x);
    x->ioc = ioc;
    x->first = x->last = EXS_TIME_NONE;
    return x;
}

/* The heaviest first: verdict, then how much named it, then the indicator. */
static int cmp_hit(const void *pa, const void *pb)
{
    const net_hit *a = pa, *b = pb;
    if (a->worst != b->worst)
        return a->worst > b->worst ? -1 : 1;
    if (a->findings + a->requests != b->findings + b->requests)
        return a->findings + a->requests > b->findings + b->requests ? -1 : 1;
    if (a->ioc->type != b->ioc->type)
        return a->ioc->type < b->ioc->type ? -1 : 1;
    return strcmp(a->ioc->value, b->ioc->value);
}

size_t xs_iocnet_rules_text(char *buf, size_t cap, const char *const *rules, size_t n)
{
    static const char more[] = ",\xe2\x80\xa6"; /* ",…" (U+2026) */
    size_t total = 0, o = 0, i = 0;
    for (size_t k = 0; k < n; k++)
        total += (k ? 1 : 0) + strlen(rules[k]);
    size_t room = total < cap ? cap : cap - (sizeof more - 1); /* the marker's room kept */
    buf[0] = 0;
    for (; i < n; i++) {
        size_t len = (o ? 1 : 0) + strlen(rules[i]);
        if (o + len >= room)
            break;
        xs_appendf(buf, cap, &o, "%s%s", o ? "," : "", rules[i]);
    }
    if (i < n)
        xs_appendf(buf, cap, &o, "%s", o ? more : more + 1);
    return i;
}

static void emit_hit(const xs_pass_view *pv, const net_hit *h)
{
    xs_ctx c;
    char buf[XS_MAX_WHERE];
    const exs_finding *at = h->t ? &h->t->at : NULL;
    if (at)
        xs_ctx_at_finding(&c, pv, at, buf);
    else
        xs_ctx_at_access(&c, pv, h->access);
    exs_verdict vd = h->worst ? h->worst : EXS_VERDICT_SUSPICIOUS;
    if (vd < EXS_VERDICT_SUSPICIOUS && h->requests)
        vd = EXS_VERDICT_SUSPICIOUS;
    xs_hit e;
    xs_hit_init(&e, &xs_rule_table[R_IOC_NET], vd, EXS_SEV_HIGH, h->first);
    e.reason = h->ioc->type == XS_IOC_IP ? "an address in an IOC list" : "a host name in an IOC list";
    e.line = at ? at->origin.line : h->access->line;
    e.record = at ? at->origin.record : 0;
    e.key = xs_str_cstr(h->ioc->value);
    if (h->ioc->type == XS_IOC_IP)
        e.http.client = xs_str_cstr(h->what);
    else
        e.http.host = xs_str_cstr(h->what);
    e.target = xs_str_cstr(h->ioc->value);
    xs_hit_fact_cstr(&e, "ioc_list", h->ioc->source);
    if (h->ioc->line)
        xs_hit_fact_u64(&e, "ioc_line", h->ioc->line);
    xs_hit_fact_cstr(&e, "ioc_note", h->ioc->note);
    xs_hit_fact_u64(&e, "findings", h->findings);
    char rules[XS_MAX_FINDING_FIELD + 1]; /* what a fact keeps */
    size_t nrules = h->t ? h->t->nrules : 0;
    xs_iocnet_rules_text(rules, sizeof rules, h->t ? h->t->rules : NULL, nrules);
    xs_hit_fact_cstr(&e, "findings_rules", rules);
    xs_hit_fact_u64(&e, "findings_rules_count", nrules);
    xs_hit_fact_u64(&e, "requests", h->requests);
    xs_hit_fact_time(&e, "seen_first", h->first);
    xs_hit_fact_time(&e, "seen_last", h->last);
    for (size_t k = 0; k < h->nids; k++)
        xs_hit_relate(&e, h->ids[k]);
    xs_emit(&c, &e);
    xs_ctx_release(&c);
}

void xs_iocnet_report(const xs_pass_view *pv, xs_iocnet *n)
{
    if (!n)
        return;
    hits h = {NULL, 0, 0, xs_strmap_create()};
    bool ok = h.by_key != NULL;
    /* the findings of the whole sweep (the workers are done: the tally is complete) */
    pthread_mutex_lock(&n->mu);
    n->closed = true;
    for (size_t i = 0; ok && i < n->n; i++) {
        const tally *t = n->v[i];
        net_hit *x = hit_get(&h, t->ioc, true);
        if (!(ok = x != NULL))
            break;
        x->t = t;
        x->what = t->what;
        x->findings = t->findings;
        x->worst = t->worst;
        x->first = t->first;
        x->last = t->last;
    }
    pthread_mutex_unlock(&n->mu);
    /* the requests from listed addresses */
    for (size_t i = 0; ok && i < pv->naccess; i++) {
        const xs_access *a = &pv->access[i];
        const xs_ioc *ioc = xs_iocset_ip(n->set, a->ip);
        if (!ioc)
            continue;
        net_hit *x = hit_get(&h, ioc, true);
        if (!(ok = x != NULL))
            break;
        if (!x->what)
            x->what = a->ip;
        x->requests++;
        xs_time_span_add(&x->first, &x->last, a->time_ms);
        if (!x->access)
            x->access = a;
    }
    /* the kept findings that name them, related in the results' order */
    char host[256];
    for (size_t i = 0; ok && i < pv->nfindings; i++) {
        const char *what;
        const xs_ioc *ioc = match(n->set, pv->findings[i], &what, host, sizeof host);
        net_hit *x = ioc ? hit_get(&h, ioc, false) : NULL;
        if (x && x->nids < XS_MAX_RELATED)
            x->ids[x->nids++] = pv->findings[i]->id;
    }
    if (!ok) {
        xs_scan_fail(pv->scan, EXS_ENOMEM, "out of memory matching addresses with the IOC lists");
    } else {
        if (h.n > 1)
            qsort(h.v, h.n, sizeof *h.v, cmp_hit);
        size_t shown = h.n < XS_MAX_IOC_NET ? h.n : XS_MAX_IOC_NET;
        for (size_t i = 0; i < shown; i++)
            emit_hit(pv, &h.v[i]);
        if (h.n > shown)
            xs_warn(pv->scan, XS_W_LIMIT, "", 0,
                     "%zu more addresses and hosts of the IOC lists seen past %u not reported "
                     "(EXS-IOC-NET reports the heaviest)",
                     h.n - shown, (unsigned)XS_MAX_IOC_NET);
    }
    free(h.v);
    xs_strmap_destroy(h.by_key);
}
