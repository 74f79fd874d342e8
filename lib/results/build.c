/* Building a finding from a hit: one allocation per finding holding its groups, facts,
 * member chain, related ids and strings; and its stable id. */
#include <openssl/evp.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/timeparse.h"
#include "results/hit.h"

void xs_hit_init(xs_hit *h, const exs_rule *rule, exs_verdict v, exs_severity s,
                  int64_t time_ms)
{
    memset(h, 0, offsetof(xs_hit, numbuf));
    h->rule = rule;
    h->verdict = v;
    h->severity = s;
    h->time_ms = time_ms;
    h->offset = -1;
    h->proc.pid = h->proc.ppid = -1;
    h->file.size = -1;
    h->file.mtime_ms = h->file.atime_ms = h->file.ctime_ms = EXS_TIME_NONE;
}

void xs_hit_fact(xs_hit *h, const char *key, xs_str value)
{
    if (!value.p || !value.n || h->nfacts >= XS_MAX_FACTS)
        return;
    h->facts[h->nfacts++] = (xs_hit_kv){key, value};
}

void xs_hit_fact_cstr(xs_hit *h, const char *key, const char *value)
{
    xs_hit_fact(h, key, xs_str_cstr(value));
}

void xs_hit_fact_u64(xs_hit *h, const char *key, uint64_t value)
{
    if (h->nfacts >= XS_MAX_FACTS)
        return;
    char *b = h->numbuf[h->nfacts];
    int n = snprintf(b, sizeof h->numbuf[0], "%llu", (unsigned long long)value);
    xs_hit_fact(h, key, xs_str_make(b, (size_t)n));
}

void xs_hit_fact_time(xs_hit *h, const char *key, int64_t ms)
{
    if (!xs_time_formattable(ms) || h->nfacts >= XS_MAX_FACTS)
        return;
    char *b = h->numbuf[h->nfacts];
    char t[32];
    xs_time_format(ms, t);
    snprintf(b, sizeof h->numbuf[0], "%s", t);
    xs_hit_fact(h, key, xs_str_cstr(b));
}

bool xs_hit_relate(xs_hit *h, const char *id)
{
    if (!id || !*id)
        return true;
    for (size_t i = 0; i < h->nrelated; i++)
        if (xs_str_eq(h->related[i], id))
            return true;
    if (h->nrelated >= XS_MAX_RELATED)
        return false;
    h->related[h->nrelated++] = xs_str_cstr(id);
    return true;
}

/* ---------------------------------------------------------------- identity */

static void feed(EVP_MD_CTX *m, int *ok, const void *p, size_t n)
{
    static const unsigned char sep = 0;
    if (*ok && n)
        *ok = EVP_DigestUpdate(m, p, n);
    if (*ok)
        *ok = EVP_DigestUpdate(m, &sep, 1);
}

static void feed_u64(EVP_MD_CTX *m, int *ok, uint64_t v)
{
    char b[24];
    int n = snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    feed(m, ok, b, (size_t)n);
}

bool xs_finding_id(const xs_hit *h, const xs_hit_origin *o, unsigned dup, char out[EXS_ID_LEN])
{
    static const char hexd[] = "0123456789abcdef";
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    int ok = m && EVP_DigestInit_ex(m, EVP_sha256(), NULL);
    feed(m, &ok, "exsweep-finding-1", 17);
    feed(m, &ok, o->label ? o->label : "", o->label ? strlen(o->label) : 0);
    feed(m, &ok, o->path.p, o->path.n);
    feed_u64(m, &ok, o->nmembers);
    for (size_t i = 0; i < o->nmembers; i++)
        feed(m, &ok, o->members[i].p, o->members[i].n);
    feed_u64(m, &ok, h->line);
    feed_u64(m, &ok, h->record);
    feed_u64(m, &ok, (uint64_t)(h->offset >= 0 ? h->offset : o->offset));
    feed(m, &ok, h->rule->id, strlen(h->rule->id));
    feed(m, &ok, h->reason ? h->reason : "", h->reason ? strlen(h->reason) : 0);
    feed(m, &ok, h->key.p, h->key.n);
    feed_u64(m, &ok, dup);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    if (ok)
        ok = EVP_DigestFinal_ex(m, md, &len) && len >= 16;
    EVP_MD_CTX_free(m);
    if (!ok) {
        out[0] = 0;
        return false;
    }
    for (int i = 0; i < 16; i++) {
        out[2 * i] = hexd[md[i] >> 4];
        out[2 * i + 1] = hexd[md[i] & 15];
    }
    out[32] = 0;
    return true;
}

/* ---------------------------------------------------------------- the block */

/* A bump allocator over one block: measure with base NULL, then fill. */
typedef struct bump {
    char *base;
    size_t used;
    xs_build_notes notes;
} bump;

static void *take(bump *b, size_t n, size_t align)
{
    b->used = (b->used + align - 1) & ~(align - 1);
    void *p = b->base ? b->base + b->used : NULL;
    b->used += n;
    return p;
}

/* A copy of v capped at cap bytes and cut at a NUL, or NULL when that leaves nothing. */
static const char *str(bump *b, xs_str v, size_t cap)
{
    if (!v.p || !v.n)
        return NULL;
    size_t n = v.n < cap ? v.n : cap;
    const char *nul = memchr(v.p, 0, n); /* strings of the model end at their first NUL */
    if (nul)
        n = (size_t)(nul - v.p);
    else if (v.n > cap)
        b->notes.cut = true;
    if (!n)
        return NULL;
    char *p = take(b, n + 1, 1);
    if (p) {
        memcpy(p, v.p, n);
        p[n] = 0;
        if (!xs_utf8_valid(p, n))
            b->notes.bad_utf8 = true;
    }
    return p;
}

static xs_str undash(xs_str v)
{
    return v.n == 1 && v.p[0] == '-' ? XS_STR_NULL : v;
}

#define F XS_MAX_FINDING_FIELD

static bool any(xs_str a)
{
    return a.p && a.n;
}

static bool http_set(const xs_hit_http *x)
{
    return any(x->method) || any(x->path) || any(x->query) || any(undash(x->client)) ||
           any(undash(x->ua)) || any(undash(x->user)) || any(undash(x->host)) || x->status ||
           x->client_port || x->backend;
}

static bool proc_set(const xs_hit_proc *x)
{
    return any(x->image) || any(x->cmd) || any(x->parent) || any(x->user) || any(x->target) ||
           x->pid >= 0 || x->ppid >= 0;
}

static bool event_set(const xs_hit_event *x)
{
    return any(x->channel) || any(x->provider) || any(x->computer) || x->id || x->recovered;
}

static bool cmdlet_set(const xs_hit_cmdlet *x)
{
    return any(x->name) || any(x->params) || any(x->user) || any(x->client) || x->failed;
}

static bool file_set(const xs_hit_file *x)
{
    return any(x->path) || any(x->sha256) || any(x->sha1) || any(x->md5) || any(x->attributes) ||
           any(x->url) || x->size >= 0 || xs_time_formattable(x->mtime_ms) || x->inode;
}

/* Lays out the finding over b (measure when b->base is NULL). */
static void layout(bump *b, const xs_hit *h, const xs_hit_origin *o, exs_finding *f)
{
    f->origin.path = str(b, o->path, XS_MAX_PATH);
    if (!f->origin.path)
        f->origin.path = "";
    f->origin.kind = str(b, xs_str_cstr(o->kind), 64);
    if (!f->origin.kind)
        f->origin.kind = "";
    if (o->nmembers) {
        const char **m = take(b, o->nmembers * sizeof *m, alignof(const char *));
        for (size_t i = 0; i < o->nmembers; i++) {
            const char *s = str(b, o->members[i], XS_MAX_PATH);
            if (m)
                m[i] = s ? s : "";
        }
        f->origin.members = m;
        f->origin.nmembers = o->nmembers;
    }
    if (http_set(&h->http)) {
        exs_http_facts *x = take(b, sizeof *x, alignof(exs_http_facts));
        const xs_hit_http *s = &h->http;
        exs_http_facts v = {
            .method = str(b, s->method, 64),
            .path = str(b, s->path, F),
            .query = str(b, s->query, F),
            .status = s->status,
            .client = str(b, undash(s->client), XS_MAX_FINDING_SHORT),
            .client_port = s->client_port,
            .user_agent = str(b, undash(s->ua), F),
            .user = str(b, undash(s->user), XS_MAX_FINDING_NAME),
            .host = str(b, undash(s->host), XS_MAX_FINDING_NAME),
            .backend = s->backend,
        };
        if (x)
            *x = v;
        f->http = x;
    }
    if (proc_set(&h->proc)) {
        exs_process_facts *x = take(b, sizeof *x, alignof(exs_process_facts));
        const xs_hit_proc *s = &h->proc;
        exs_process_facts v = {
            .executable = str(b, s->image, F),
            .command_line = str(b, s->cmd, F),
            .pid = s->pid,
            .parent_executable = str(b, s->parent, F),
            .parent_pid = s->ppid,
            .user = str(b, s->user, XS_MAX_FINDING_NAME),
            .target_executable = str(b, s->target, F),
        };
        if (x)
            *x = v;
        f->process = x;
    }
    if (event_set(&h->event)) {
        exs_event_facts *x = take(b, sizeof *x, alignof(exs_event_facts));
        const xs_hit_event *s = &h->event;
        exs_event_facts v = {
            .channel = str(b, s->channel, XS_MAX_FINDING_NAME),
            .provider = str(b, s->provider, XS_MAX_FINDING_NAME),
            .id = s->id,
            .computer = str(b, s->computer, XS_MAX_FINDING_NAME),
            .recovered = s->recovered,
        };
        if (x)
            *x = v;
        f->event = x;
    }
    if (cmdlet_set(&h->cmdlet)) {
        exs_cmdlet_facts *x = take(b, sizeof *x, alignof(exs_cmdlet_facts));
        const xs_hit_cmdlet *s = &h->cmdlet;
        exs_cmdlet_facts v = {
            .name = str(b, s->name, XS_MAX_FINDING_SHORT),
            .parameters = str(b, s->params, F),
            .user = str(b, undash(s->user), XS_MAX_FINDING_NAME),
            .client = str(b, undash(s->client), XS_MAX_FINDING_SHORT),
            .failed = s->failed,
        };
        if (x)
            *x = v;
        f->cmdlet = x;
    }
    if (file_set(&h->file)) {
        exs_file_facts *x = take(b, sizeof *x, alignof(exs_file_facts));
        const xs_hit_file *s = &h->file;
        exs_file_facts v = {
            .path = str(b, s->path, XS_MAX_PATH),
            .size = s->size,
            .sha256 = str(b, s->sha256, 64),
            .sha1 = str(b, s->sha1, 40),
            .md5 = str(b, s->md5, 32),
            .mtime_ms = xs_time_or_none(s->mtime_ms),
            .atime_ms = xs_time_or_none(s->atime_ms),
            .ctime_ms = xs_time_or_none(s->ctime_ms),
            .attributes = str(b, s->attributes, XS_MAX_FINDING_SHORT),
            .url = str(b, s->url, F),
            .site = str(b, s->site, XS_MAX_FINDING_NAME),
            .device = s->inode ? s->device : 0,
            .inode = s->inode,
        };
        if (x)
            *x = v;
        f->file = x;
    }
    if (h->nfacts) {
        exs_fact *x = take(b, h->nfacts * sizeof *x, alignof(exs_fact));
        size_t n = 0;
        for (size_t i = 0; i < h->nfacts; i++) {
            const char *k = str(b, xs_str_cstr(h->facts[i].key), 64);
            const char *v = str(b, h->facts[i].value, F);
            if (x && k && v)
                x[n++] = (exs_fact){k, v};
        }
        f->facts = x;
        f->nfacts = b->base ? n : h->nfacts;
    }
    if (h->nrelated) {
        const char **x = take(b, h->nrelated * sizeof *x, alignof(const char *));
        for (size_t i = 0; i < h->nrelated; i++) {
            const char *v = str(b, h->related[i], EXS_ID_LEN - 1);
            if (x)
                x[i] = v ? v : "";
        }
        f->related = x;
        f->nrelated = h->nrelated;
    }
    f->reason = h->reason ? str(b, xs_str_cstr(h->reason), F) : NULL;
    f->target = str(b, h->target, F);
    f->evidence = str(b, h->evidence, XS_MAX_EVIDENCE);
}

exs_rc xs_finding_build(const xs_hit *h, const xs_hit_origin *o, const char *id,
                         unsigned dup, exs_finding *out, void **block, xs_build_notes *notes)
{
    exs_finding f;
    memset(&f, 0, sizeof f);
    bump b = {NULL, 0, {false, false}};
    layout(&b, h, o, &f);
    memset(&f, 0, sizeof f);
    b.base = malloc(b.used ? b.used : 1);
    if (!b.base)
        return EXS_ENOMEM;
    b.used = 0;
    layout(&b, h, o, &f);
    if (id) {
        snprintf(f.id, sizeof f.id, "%s", id);
    } else if (!xs_finding_id(h, o, dup, f.id)) {
        free(b.base);
        return EXS_EIO;
    }
    f.rule = h->rule;
    f.verdict = h->verdict;
    f.severity = h->severity;
    f.time_ms = xs_time_or_none(h->time_ms); /* a time no writer can write is no time */
    f.origin.root = o->root;
    f.origin.line = h->line;
    f.origin.record = h->record;
    f.origin.offset = h->offset >= 0 ? h->offset : o->offset;
    *out = f;
    *block = b.base;
    if (notes)
        *notes = b.notes;
    return EXS_OK;
}
