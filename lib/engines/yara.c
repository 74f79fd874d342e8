/* libyara rule sets, per-thread scanners and the Vectorscan literal gate. */
#include <errno.h>
#include <hs/hs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yara.h>

#include "core/limits.h"
#include "engines/yara.h"

struct xs_yrules {
    YR_RULES *yr;
    xs_yrule *rules; /* indexed like yr->rules_table */
    size_t n;
    bool user;
    hs_database_t *gate; /* NULL: no complete gate */
};

struct xs_yscanner {
    const xs_yrules *r;
    YR_SCANNER *yr;
    hs_scratch_t *scratch;
    exs_rc failed; /* first failure since xs_yscanner_failure */
};

/* libyara's codes as ours: memory, or any other failure of the engine. */
static exs_rc yr_rc(int e)
{
    return e == ERROR_SUCCESS ? EXS_OK : e == ERROR_INSUFFICIENT_MEMORY ? EXS_ENOMEM : EXS_EENGINE;
}

static pthread_mutex_t init_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned init_count;

exs_rc xs_yara_init(void)
{
    exs_rc rc = EXS_OK;
    pthread_mutex_lock(&init_mu);
    if (init_count == 0)
        rc = yr_rc(yr_initialize());
    if (rc == EXS_OK)
        init_count++;
    pthread_mutex_unlock(&init_mu);
    return rc;
}

void xs_yara_fini(void)
{
    pthread_mutex_lock(&init_mu);
    if (init_count && --init_count == 0)
        yr_finalize();
    pthread_mutex_unlock(&init_mu);
}

/* The external variables, defined at compile time as "" (Loki's convention). */
static const char *const ext_vars[] = {"filename", "filepath", "extension", "filetype", "owner"};

typedef struct cerr {
    char *buf;
    size_t len;
    const char *source; /* name of the source being added (for add_string) */
    int errors;
    bool wordless; /* the first error came with no message */
} cerr;

static void on_compile(int level, const char *file, int line, const YR_RULE *rule, const char *msg,
                       void *ctx)
{
    (void)rule;
    cerr *e = ctx;
    if (level != YARA_ERROR_LEVEL_ERROR)
        return; /* warnings (slow strings and the like) do not stop a sweep */
    if (e->errors++ != 0)
        return;
    e->wordless = !msg || !*msg;
    if (e->buf && e->len)
        snprintf(e->buf, e->len, "%s:%d: %s", file ? file : (e->source ? e->source : "?"), line,
                 e->wordless ? "(libyara gave no message)" : msg);
}

static const char *meta_str(const YR_RULE *rule, const char *key)
{
    const YR_META *m;
    yr_rule_metas_foreach(rule, m)
    {
        if (m->type == META_TYPE_STRING && strcmp(m->identifier, key) == 0)
            return m->string;
    }
    return NULL;
}

static bool meta_int(const YR_RULE *rule, const char *key, int64_t *v)
{
    const YR_META *m;
    yr_rule_metas_foreach(rule, m)
    {
        if (strcmp(m->identifier, key) != 0)
            continue;
        if (m->type == META_TYPE_INTEGER) {
            *v = m->integer;
            return true;
        }
        if (m->type == META_TYPE_STRING && m->string) {
            char *end;
            long long x = strtoll(m->string, &end, 10);
            if (end != m->string && *end == 0) {
                *v = x;
                return true;
            }
        }
    }
    return false;
}

/* Rule metadata names are the report's names (exs_verdict_name, exs_severity_name). */
static int parse_verdict(const char *s)
{
    for (int v = EXS_VERDICT_PROBE; s && v <= EXS_VERDICT_EXPLOITATION; v++)
        if (strcmp(s, exs_verdict_name((exs_verdict)v)) == 0)
            return v;
    return -1;
}

static int parse_severity(const char *s)
{
    for (int v = EXS_SEV_LOW; s && v <= EXS_SEV_CRITICAL; v++)
        if (strcmp(s, exs_severity_name((exs_severity)v)) == 0)
            return v;
    return -1;
}

/* Literal variants of one string for the gate. */
typedef struct lits {
    char **pat;
    size_t *len;
    unsigned *flags;
    size_t n, cap;
} lits;

static bool lits_add(lits *l, const uint8_t *p, size_t n, bool wide, bool nocase)
{
    if (n == 0)
        return true;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        char **a = realloc(l->pat, nc * sizeof *a);
        if (!a)
            return false;
        l->pat = a;
        size_t *b = realloc(l->len, nc * sizeof *b);
        if (!b)
            return false;
        l->len = b;
        unsigned *c = realloc(l->flags, nc * sizeof *c);
        if (!c)
            return false;
        l->flags = c;
        l->cap = nc;
    }
    size_t m = wide ? n * 2 : n;
    char *d = malloc(m);
    if (!d)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (wide) {
            d[2 * i] = (char)p[i];
            d[2 * i + 1] = 0;
        } else {
            d[i] = (char)p[i];
        }
    }
    l->pat[l->n] = d;
    l->len[l->n] = m;
    l->flags[l->n] = HS_FLAG_SINGLEMATCH | (nocase ? HS_FLAG_CASELESS : 0);
    l->n++;
    return true;
}

static void lits_free(lits *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->pat[i]);
    free(l->pat);
    free(l->len);
    free(l->flags);
}

/* True when the string identifier id is named by the meta gate list ("$a $b*": exact names,
 * or prefixes ending in '*'). */
static bool gate_names(const char *list, const char *id)
{
    size_t idn = strlen(id);
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *q = p;
        while (*q && *q != ' ' && *q != ',')
            q++;
        size_t n = (size_t)(q - p);
        if (n && p[n - 1] == '*') {
            if (idn >= n - 1 && strncmp(p, id, n - 1) == 0)
                return true;
        } else if (n && n == idn && strncmp(p, id, n) == 0) {
            return true;
        }
        p = q;
    }
    return false;
}

/* Gate of a shipped set: every literal string of every rule. Incomplete (no gate) when a rule
 * opts out or has a string kind the gate cannot represent. */
static exs_rc build_gate(xs_yrules *r, char *err, size_t errlen)
{
    lits l = {0};
    bool complete = true;
    exs_rc rc = EXS_OK;
    for (size_t i = 0; i < r->n; i++) {
        const YR_RULE *rule = &r->yr->rules_table[i];
        xs_yrule *x = &r->rules[i];
        if (RULE_IS_PRIVATE(rule))
            continue; /* helpers: the reporting rules that use them carry their own gate */
        const char *only = meta_str(rule, "gate");
        const YR_STRING *s;
        yr_rule_strings_foreach(rule, s)
        {
            if (only && !gate_names(only, s->identifier))
                continue;
            if (s->flags & (STRING_FLAGS_XOR | STRING_FLAGS_BASE64 | STRING_FLAGS_BASE64_WIDE)) {
                x->gate_unsupported = true;
                continue;
            }
            if (!(s->flags & STRING_FLAGS_LITERAL) || s->length <= 0)
                continue;
            bool nocase = s->flags & STRING_FLAGS_NO_CASE;
            bool wide = s->flags & STRING_FLAGS_WIDE;
            bool ascii = (s->flags & STRING_FLAGS_ASCII) || !wide;
            if ((ascii && !lits_add(&l, s->string, (size_t)s->length, false, nocase)) ||
                (wide && !lits_add(&l, s->string, (size_t)s->length, true, nocase))) {
                rc = EXS_ENOMEM;
                goto out;
            }
            x->gate_literals++;
            if (x->gate_minlen == 0 || (unsigned)s->length < x->gate_minlen)
                x->gate_minlen = (unsigned)s->length;
        }
        if (x->gate_off || x->gate_unsupported || x->gate_literals == 0)
            complete = false;
    }
    if (!complete || l.n == 0)
        goto out; /* no gate: YARA runs on every buffer */
    unsigned *ids = calloc(l.n, sizeof *ids);
    if (!ids) {
        rc = EXS_ENOMEM;
        goto out;
    }
    hs_compile_error_t *ce = NULL;
    if (hs_compile_lit_multi((const char *const *)l.pat, l.flags, ids, l.len, (unsigned)l.n,
                             HS_MODE_BLOCK, NULL, &r->gate, &ce) != HS_SUCCESS) {
        snprintf(err, errlen, "literal gate: %s", ce ? ce->message : "compile failed");
        /* the compiler's word for running out of memory (hs_compile.h) */
        rc = ce && ce->message && strstr(ce->message, "allocate memory")
                 ? EXS_ENOMEM
                 : EXS_EENGINE;
        hs_free_compile_error(ce);
        r->gate = NULL;
    }
    free(ids);
out:
    lits_free(&l);
    return rc;
}

static exs_rc fill_rules(xs_yrules *r, char *err, size_t errlen)
{
    size_t n = 0;
    const YR_RULE *rule;
    yr_rules_foreach(r->yr, rule) n++;
    r->rules = calloc(n ? n : 1, sizeof *r->rules);
    if (!r->rules)
        return EXS_ENOMEM;
    r->n = n;
    for (size_t i = 0; i < n; i++) {
        rule = &r->yr->rules_table[i];
        xs_yrule *x = &r->rules[i];
        const char *ns = rule->ns && rule->ns->name ? rule->ns->name : "";
        x->source = ns;
        x->user = r->user;
        x->is_private = RULE_IS_PRIVATE(rule);
        const char *desc = meta_str(rule, "description");
        if (r->user) {
            x->rule.id = rule->identifier;
            x->rule.name = desc ? desc : rule->identifier;
            x->rule.cves = "";
            x->rule.family = "YARA";
            x->rule.description = desc ? desc : "";
            x->rule.techniques = "";
            x->verdict = EXS_VERDICT_SUSPICIOUS;
            int64_t score;
            x->severity = EXS_SEV_HIGH;
            if (meta_int(rule, "score", &score))
                x->severity = score >= 85   ? EXS_SEV_CRITICAL
                              : score >= 70 ? EXS_SEV_HIGH
                              : score >= 50 ? EXS_SEV_MEDIUM
                                            : EXS_SEV_LOW;
            x->scope = XS_YSCOPE_ANY;
            continue;
        }
        if (x->is_private) {
            x->rule.id = rule->identifier;
            x->rule.name = x->rule.cves = x->rule.family = x->rule.description = "";
            x->rule.techniques = "";
            continue;
        }
        const char *id = meta_str(rule, "id"), *name = meta_str(rule, "name"),
                   *fam = meta_str(rule, "family"), *cves = meta_str(rule, "cves"),
                   *scope = meta_str(rule, "scope"), *pf = meta_str(rule, "prefilter");
        int v = parse_verdict(meta_str(rule, "verdict"));
        int sv = parse_severity(meta_str(rule, "severity"));
        if (!id || strncmp(id, "EXS-", 4) != 0 || !name || !fam || !desc || v < 0 || sv < 0 ||
            (scope && strcmp(scope, "file") && strcmp(scope, "any")) || (pf && strcmp(pf, "off"))) {
            snprintf(err, errlen,
                     "%s: rule %s: meta id (EXS-...), name, family, description, verdict, "
                     "severity required; scope is file|any, prefilter only \"off\"",
                     ns, rule->identifier);
            return EXS_ERULE;
        }
        x->rule.id = id;
        x->rule.name = name;
        x->rule.family = fam;
        x->rule.cves = cves ? cves : "";
        x->rule.description = desc;
        /* meta techniques, else the family's: web shells are backdoors (always kept) */
        const char *tech = meta_str(rule, "techniques");
        x->rule.backdoor = strcmp(fam, "WebShell") == 0;
        x->rule.techniques = tech                              ? tech
                             : x->rule.backdoor                ? "T1505.003"
                             : strcmp(fam, "Ransomware") == 0 ? "T1486"
                             : strcmp(fam, "Miner") == 0      ? "T1496"
                                                               : "";
        x->verdict = (exs_verdict)v;
        x->severity = (exs_severity)sv;
        x->scope = scope && strcmp(scope, "any") == 0 ? XS_YSCOPE_ANY : XS_YSCOPE_FILE;
        x->gate_off = pf != NULL;
    }
    return EXS_OK;
}

static exs_rc compiler_new(YR_COMPILER **c, cerr *e)
{
    exs_rc rc = yr_rc(yr_compiler_create(c));
    if (rc != EXS_OK) {
        *c = NULL;
        snprintf(e->buf, e->len, "creating the YARA compiler: %s", exs_strerror(rc));
        return rc;
    }
    yr_compiler_set_callback(*c, on_compile, e);
    for (size_t i = 0; i < sizeof ext_vars / sizeof ext_vars[0]; i++)
        if ((rc = yr_rc(yr_compiler_define_string_variable(*c, ext_vars[i], ""))) != EXS_OK) {
            yr_compiler_destroy(*c);
            *c = NULL;
            snprintf(e->buf, e->len, "defining the YARA variable %s: %s", ext_vars[i],
                     exs_strerror(rc));
            return rc;
        }
    return EXS_OK;
}

/* After yr_compiler_add_*: a rule error the callback described, or a failure of libyara
 * itself (memory) that no callback described. Out of memory is libyara's code for it, or an
 * error it could not put in words; any other error is the rule's, whatever its words say (a
 * rule may include a file named "not enough memory"). */
static exs_rc added(YR_COMPILER *c, int bad, cerr *e, const char *source)
{
    if (!bad && !e->errors)
        return EXS_OK;
    bool nomem = c->last_error == ERROR_INSUFFICIENT_MEMORY || (e->errors && e->wordless);
    if (e->errors)
        return nomem ? EXS_ENOMEM : EXS_ERULE; /* the message names the file and line */
    exs_rc rc = nomem ? EXS_ENOMEM : EXS_EENGINE;
    snprintf(e->buf, e->len, "%s: libyara failed to compile it: %s", source, exs_strerror(rc));
    return rc;
}

static exs_rc finish(xs_yrules **out, YR_COMPILER *c, bool user, char *err, size_t errlen)
{
    xs_yrules *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory for a rule set");
        return EXS_ENOMEM;
    }
    r->user = user;
    exs_rc rc = yr_rc(yr_compiler_get_rules(c, &r->yr));
    if (rc != EXS_OK) {
        free(r);
        snprintf(err, errlen, "libyara could not build the rule set: %s", exs_strerror(rc));
        return rc;
    }
    rc = fill_rules(r, err, errlen);
    if (rc == EXS_OK && !user)
        rc = build_gate(r, err, errlen);
    if (rc == EXS_ENOMEM && !(err && err[0] && strstr(err, "memory")))
        snprintf(err, errlen, "out of memory indexing the rule set");
    if (rc != EXS_OK) {
        yr_rules_destroy(r->yr); /* the caller drops the libyara reference */
        r->yr = NULL;
        xs_yrules_destroy(r);
        return rc;
    }
    *out = r;
    return EXS_OK;
}

exs_rc xs_yrules_from_sources(xs_yrules **out, const xs_embedded_rules_file *files, char *err,
                               size_t errlen)
{
    cerr e = {err, errlen, NULL, 0};
    YR_COMPILER *c = NULL;
    exs_rc rc = xs_yara_init();
    if (rc != EXS_OK) {
        snprintf(err, errlen, "libyara could not start: %s", exs_strerror(rc));
        return rc;
    }
    rc = compiler_new(&c, &e);
    if (rc != EXS_OK)
        goto out;
    for (const xs_embedded_rules_file *f = files; f->name; f++) {
        e.source = f->name;
        rc = added(c, yr_compiler_add_string(c, f->text, f->name), &e, f->name);
        if (rc != EXS_OK)
            goto out;
    }
    rc = finish(out, c, false, err, errlen);
out:
    if (c)
        yr_compiler_destroy(c);
    if (rc != EXS_OK)
        xs_yara_fini(); /* on success the set keeps the reference until destroyed */
    return rc;
}

exs_rc xs_yrules_embedded(xs_yrules **out, char *err, size_t errlen)
{
    return xs_yrules_from_sources(out, xs_embedded_rules, err, errlen);
}

/* Compiled on first use. A failure is not kept: out of memory now may pass, so the next call
 * tries again (a rule that does not compile is a build defect the tests catch). */
static pthread_mutex_t shipped_mu = PTHREAD_MUTEX_INITIALIZER;
static xs_yrules *shipped;

exs_rc xs_yrules_shipped_get(const xs_yrules **out, char *err, size_t errlen)
{
    char e[512] = "";
    exs_rc rc = EXS_OK;
    pthread_mutex_lock(&shipped_mu);
    if (!shipped) {
        rc = xs_yrules_embedded(&shipped, e, sizeof e);
        if (rc != EXS_OK)
            shipped = NULL;
    }
    *out = shipped;
    pthread_mutex_unlock(&shipped_mu);
    if (rc != EXS_OK && err && errlen)
        snprintf(err, errlen, "shipped rules: %s", e[0] ? e : exs_strerror(rc));
    return rc;
}

const xs_yrules *xs_yrules_shipped(char *err, size_t errlen)
{
    const xs_yrules *r;
    return xs_yrules_shipped_get(&r, err, errlen) == EXS_OK ? r : NULL;
}

exs_rc xs_yrules_from_files(xs_yrules **out, const char *const *paths, size_t n, char *err,
                             size_t errlen)
{
    cerr e = {err, errlen, NULL, 0};
    YR_COMPILER *c = NULL;
    exs_rc rc = xs_yara_init();
    if (rc != EXS_OK) {
        snprintf(err, errlen, "libyara could not start: %s", exs_strerror(rc));
        return rc;
    }
    rc = compiler_new(&c, &e);
    if (rc != EXS_OK)
        goto out;
    for (size_t i = 0; i < n; i++) {
        FILE *f = fopen(paths[i], "r");
        if (!f) {
            int en = errno;
            snprintf(err, errlen, "%s: %s", paths[i], strerror(en));
            /* a file gone or forbidden is the user's to fix; memory or descriptors are not */
            rc = en == ENOMEM ? EXS_ENOMEM : en == EMFILE || en == ENFILE || en == EIO ? EXS_EIO
                                                                                       : EXS_ERULE;
            goto out;
        }
        e.source = paths[i];
        int bad = yr_compiler_add_file(c, f, paths[i], paths[i]);
        bool rerr = ferror(f);
        fclose(f);
        if (rerr) { /* libyara reads with stdio: a read error would look like a short file */
            snprintf(err, errlen, "%s: read error", paths[i]);
            rc = EXS_EIO;
            goto out;
        }
        rc = added(c, bad, &e, paths[i]);
        if (rc != EXS_OK)
            goto out;
    }
    rc = finish(out, c, true, err, errlen);
out:
    if (c)
        yr_compiler_destroy(c);
    if (rc != EXS_OK)
        xs_yara_fini();
    return rc;
}

void xs_yrules_destroy(xs_yrules *r)
{
    if (!r)
        return;
    if (r->yr) {
        yr_rules_destroy(r->yr);
        xs_yara_fini();
    }
    hs_free_database(r->gate);
    free(r->rules);
    free(r);
}

size_t xs_yrules_count(const xs_yrules *r)
{
    return r ? r->n : 0;
}

bool xs_yrules_holds(const xs_yrules *set, const exs_rule *rule)
{
    if (!set || !set->n)
        return false;
    uintptr_t p = (uintptr_t)rule, a = (uintptr_t)set->rules,
              b = (uintptr_t)(set->rules + set->n);
    return p >= a && p < b;
}

const xs_yrule *xs_yrules_get(const xs_yrules *r, size_t i)
{
    return r && i < r->n ? &r->rules[i] : NULL;
}

bool xs_yrules_gated(const xs_yrules *r)
{
    return r && r->gate;
}

exs_rc xs_yscanner_create(xs_yscanner **out, const xs_yrules *r, int timeout_s)
{
    xs_yscanner *s = calloc(1, sizeof *s);
    if (!s)
        return EXS_ENOMEM;
    s->r = r;
    exs_rc rc = yr_rc(yr_scanner_create(r->yr, &s->yr));
    if (rc != EXS_OK) {
        free(s);
        return rc;
    }
    yr_scanner_set_timeout(s->yr, timeout_s > 0 ? timeout_s : XS_YARA_TIMEOUT_S);
    hs_error_t e = r->gate ? hs_alloc_scratch(r->gate, &s->scratch) : HS_SUCCESS;
    if (e != HS_SUCCESS) {
        yr_scanner_destroy(s->yr);
        free(s);
        return e == HS_NOMEM ? EXS_ENOMEM : EXS_EENGINE;
    }
    *out = s;
    return EXS_OK;
}

exs_rc xs_yscanner_failure(xs_yscanner *s)
{
    if (!s)
        return EXS_OK;
    exs_rc rc = s->failed;
    s->failed = EXS_OK;
    return rc;
}

void xs_yscanner_destroy(xs_yscanner *s)
{
    if (!s)
        return;
    if (s->yr)
        yr_scanner_destroy(s->yr);
    hs_free_scratch(s->scratch);
    free(s);
}

static int on_gate(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                   void *ctx)
{
    (void)id;
    (void)from;
    (void)to;
    (void)flags;
    *(bool *)ctx = true;
    return 1; /* one literal is enough */
}

typedef struct scan_ctx {
    const xs_yrules *r;
    xs_ymatch_fn fn;
    void *ctx;
    bool too_many;
} scan_ctx;

static int on_scan(YR_SCAN_CONTEXT *context, int msg, void *data, void *user)
{
    scan_ctx *sc = user;
    if (msg == CALLBACK_MSG_TOO_MANY_MATCHES) {
        sc->too_many = true;
        return CALLBACK_CONTINUE;
    }
    if (msg != CALLBACK_MSG_RULE_MATCHING)
        return CALLBACK_CONTINUE;
    YR_RULE *rule = data;
    if (RULE_IS_PRIVATE(rule))
        return CALLBACK_CONTINUE;
    ptrdiff_t idx = rule - sc->r->yr->rules_table;
    if (idx < 0 || (size_t)idx >= sc->r->n)
        return CALLBACK_CONTINUE;
    xs_ymatch m = {&sc->r->rules[idx], NULL, 0, NULL, 0};
    /* The earliest match of any (non-private) string, for the evidence excerpt. libyara keeps
     * matches in a notebook without alignment guarantees: copy each before reading it. */
    YR_STRING *s;
    YR_MATCH best;
    bool have = false;
    const char *best_id = NULL;
    yr_rule_strings_foreach(rule, s)
    {
        for (YR_MATCH *p = context->matches[s->idx].head; p;) {
            YR_MATCH mt;
            memcpy(&mt, p, sizeof mt);
            p = mt.next;
            if (mt.is_private)
                continue;
            if (!have || mt.base + mt.offset < best.base + best.offset) {
                best = mt;
                best_id = s->identifier;
                have = true;
            }
            break; /* matches of one string are in offset order */
        }
    }
    if (have) {
        m.string_id = best_id;
        m.offset = (uint64_t)(best.base + best.offset);
        m.data = best.data;
        m.len = best.data_length > 0 ? (size_t)best.data_length : 0;
    }
    sc->fn(sc->ctx, &m);
    return CALLBACK_CONTINUE;
}

/* A failure of the engine (not a timeout or a match cap): kept for xs_yscanner_failure. */
static exs_rc scan_failed(xs_yscanner *s, exs_rc rc)
{
    if (s->failed == EXS_OK)
        s->failed = rc;
    return rc;
}

exs_rc xs_yscanner_scan(xs_yscanner *s, const unsigned char *buf, size_t n, const xs_yvars *vars,
                         bool use_gate, xs_ymatch_fn fn, void *ctx, bool *ran)
{
    if (ran)
        *ran = false;
    if (use_gate && s->r->gate) {
        bool hit = false;
        /* Vectorscan takes an unsigned length; buffers are capped by XS_MAX_FILE_SIZE_CAP. */
        hs_error_t e =
            hs_scan(s->r->gate, (const char *)buf, (unsigned)n, 0, s->scratch, on_gate, &hit);
        if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED)
            return scan_failed(s, EXS_EENGINE);
        if (!hit)
            return EXS_OK;
    }
    if (ran)
        *ran = true;
    const char *vals[5] = {vars ? vars->filename : NULL, vars ? vars->filepath : NULL,
                           vars ? vars->extension : NULL, vars ? vars->filetype : NULL,
                           vars ? vars->owner : NULL};
    for (size_t i = 0; i < 5; i++) {
        exs_rc rc = yr_rc(
            yr_scanner_define_string_variable(s->yr, ext_vars[i], vals[i] ? vals[i] : ""));
        if (rc != EXS_OK)
            return scan_failed(s, rc);
    }
    scan_ctx sc = {s->r, fn, ctx, false};
    yr_scanner_set_callback(s->yr, on_scan, &sc);
    int e = yr_scanner_scan_mem(s->yr, buf, n);
    if (e == ERROR_SCAN_TIMEOUT || e == ERROR_TOO_MANY_MATCHES)
        return EXS_ELIMIT;
    if (e != ERROR_SUCCESS)
        return scan_failed(s, yr_rc(e));
    return sc.too_many ? EXS_ELIMIT : EXS_OK;
}
