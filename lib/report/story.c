/* The intrusion story (story.h). */
#include "report/story.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/escape.h"
#include "core/limits.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "report/render.h"

#define NAMES_SHOW 12   /* accounts, and mailboxes, printed; the rest counted */
#define ROOTS_SHOW 8    /* servers whose chain is printed; the rest counted */
#define PARAM_MAX 256   /* bytes of a cmdlet parameter's value kept as a mailbox or account */
#define AMBIGUOUS ((size_t)-1)
#define KEY_MAX 512     /* bytes of an account's or mailbox's key compared; longer ones are cut */

/* ---- building ---------------------------------------------------------------------------- */

typedef struct build {
    const exs_results *r;
    xs_story *s;
    xs_strmap *actor_ix;   /* address -> index + 1 */
    xs_strmap *account_ix; /* normalised account -> index + 1 */
    xs_strmap *mailbox_ix;
    xs_strmap *allowed;    /* the addresses given details, when not all are; NULL: all */
    xs_strmap *tie;        /* a person's account key -> the actor index + 1 that used it, or
                              AMBIGUOUS when several did */
    size_t cap_actors, cap_accounts, cap_mailboxes, cap_owned;
    const char *const *own;/* the servers' own addresses, sorted */
    size_t nown;
} build;

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    void *g = realloc(*p, nc * size);
    if (!g)
        return false;
    *p = g;
    *cap = nc;
    return true;
}

static char *own_copy(build *b, const char *p, size_t n)
{
    xs_story *s = b->s;
    if (!grow((void **)&s->owned, &b->cap_owned, s->nowned + 1, sizeof *s->owned))
        return NULL;
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    memcpy(c, p, n);
    c[n] = 0;
    s->owned[s->nowned++] = c;
    return c;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* An attacker's address: a request's client, not a back end's forwarded row, not loopback, not
 * one of the servers' own addresses (rows a server forwarded to itself). */
static const char *actor_addr(const build *b, const exs_finding *f)
{
    const exs_http_facts *h = f->http;
    if (!h || !h->client || !h->client[0] || strcmp(h->client, "-") == 0 || h->backend)
        return NULL;
    if (xs_render_loopback(h->client))
        return NULL;
    if (b->nown && bsearch(&h->client, b->own, b->nown, sizeof *b->own, cmp_str))
        return NULL;
    return h->client;
}

/* An account's key: lowercase, without "DOMAIN\" and "@domain", so that "CONTOSO\Admin",
 * "admin@contoso.test" and "admin" are one account. Empty for "-" and "". */
static void account_key(const char *name, char *key, size_t cap)
{
    const char *p = name, *bs = strrchr(name, '\\');
    if (bs)
        p = bs + 1;
    size_t n = strcspn(p, "@");
    if (strcmp(name, "-") == 0)
        n = 0;
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        key[i] = (char)tolower((unsigned char)p[i]);
    key[n] = 0;
}

/* Accounts that say nothing of who the intruder was: the server's own and the system's. */
static bool generic_account(const char *key)
{
    size_t n = strlen(key);
    return n == 0 || key[n - 1] == '$' || strcmp(key, "system") == 0 ||
           strcmp(key, "anonymous") == 0 || strcmp(key, "local service") == 0 ||
           strcmp(key, "network service") == 0;
}

/* User agents as IIS and HttpProxy log them: IIS writes a space as '+', and some writers drop
 * or keep the commas; the same client's agent is one. */
static bool same_agent(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ' || *a == '+' || *a == ',')
            a++;
        while (*b == ' ' || *b == '+' || *b == ',')
            b++;
        if (*a != *b)
            return false;
        if (!*a)
            return true;
        a++;
        b++;
    }
}

/* An account no person has: the system's, a service's, an application pool's, a computer's. */
bool xs_story_system_account(const char *name)
{
    static const char *const domains[] = {"NT AUTHORITY\\", "NT SERVICE\\", "IIS APPPOOL\\",
                                          "Window Manager\\", "Font Driver Host\\"};
    for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++)
        if (strncasecmp(name, domains[i], strlen(domains[i])) == 0)
            return true;
    char k[KEY_MAX];
    account_key(name, k, sizeof k);
    return generic_account(k);
}

static void tally(xs_story_tally *t, size_t *n, size_t *more, size_t cap, const char *key,
                  bool agent)
{
    for (size_t i = 0; i < *n; i++)
        if (agent ? same_agent(t[i].key, key) : strcmp(t[i].key, key) == 0) {
            t[i].n++;
            return;
        }
    if (*n < cap)
        t[(*n)++] = (xs_story_tally){key, 1};
    else
        (*more)++;
}

static int cmp_tally(const void *x, const void *y)
{
    const xs_story_tally *a = x, *b = y;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->key, b->key);
}

static void span(int64_t *first, int64_t *last, int64_t t)
{
    if (t == EXS_TIME_NONE)
        return;
    if (*first == EXS_TIME_NONE || t < *first)
        *first = t;
    if (*last == EXS_TIME_NONE || t > *last)
        *last = t;
}

static uint64_t root_bit(uint32_t root)
{
    return root < 64 ? (uint64_t)1 << root : 0;
}

static bool add_actor(build *b, const exs_finding *f, const char *addr)
{
    xs_story *s = b->s;
    size_t ix = (size_t)(uintptr_t)xs_strmap_get(b->actor_ix, addr);
    xs_story_actor *a;
    if (ix) {
        a = &s->actors[ix - 1];
    } else {
        if ((b->allowed && !xs_strmap_get(b->allowed, addr)) || s->nactors >= XS_STORY_MAX_ACTORS)
            return true; /* not one of the addresses the reports detail (actors_more counts) */
        if (!grow((void **)&s->actors, &b->cap_actors, s->nactors + 1, sizeof *s->actors))
            return false;
        a = &s->actors[s->nactors];
        memset(a, 0, sizeof *a);
        a->addr = addr;
        a->first_ms = a->last_ms = EXS_TIME_NONE;
        if (!xs_strmap_put(b->actor_ix, addr, (void *)(uintptr_t)(s->nactors + 1), NULL))
            return false;
        s->nactors++;
    }
    a->n++;
    if (f->verdict > a->worst)
        a->worst = f->verdict;
    span(&a->first_ms, &a->last_ms, f->time_ms);
    a->steps |= 1u << exs_finding_stage(f);
    a->roots |= root_bit(f->origin.root);
    tally(a->kinds, &a->nkinds, &a->kinds_more, XS_STORY_KINDS,
          f->origin.kind && *f->origin.kind ? f->origin.kind : "-", false);
    const char *ua = f->http->user_agent;
    if (ua && ua[0] && strcmp(ua, "-") != 0)
        tally(a->agents, &a->nagents, &a->agents_more, XS_STORY_AGENTS, ua, true);
    const char *u = f->http->user;
    if (u && u[0] && strcmp(u, "-") != 0) {
        char k[KEY_MAX], k2[KEY_MAX];
        account_key(u, k, sizeof k);
        if (k[0] && !xs_story_system_account(u)) { /* every account it used ties its cmdlets */
            size_t me = (size_t)(a - s->actors) + 1,
                   at = (size_t)(uintptr_t)xs_strmap_get(b->tie, k);
            if (at != me && at != AMBIGUOUS &&
                !xs_strmap_put(b->tie, k, (void *)(uintptr_t)(at ? AMBIGUOUS : me), NULL))
                return false;
        }
        bool have = false;
        for (size_t i = 0; i < a->naccounts && !have; i++) {
            account_key(a->accounts[i], k2, sizeof k2);
            have = strcmp(k, k2) == 0;
        }
        if (!have && k[0]) {
            if (a->naccounts < XS_STORY_ACCOUNTS)
                a->accounts[a->naccounts++] = u;
            else
                a->accounts_more++;
        }
    }
    return true;
}

static bool add_name(build *b, xs_strmap *ix, xs_story_name **arr, size_t *n, size_t *cap,
                     size_t *more, const exs_finding *f, const char *name, unsigned how)
{
    char k[KEY_MAX];
    account_key(name, k, sizeof k);
    if (!k[0])
        return true;
    /* a mailbox keeps its whole address: two domains' "admin" are two mailboxes */
    if (ix == b->mailbox_ix) {
        size_t l = strlen(name) < sizeof k - 1 ? strlen(name) : sizeof k - 1;
        for (size_t i = 0; i < l; i++)
            k[i] = (char)tolower((unsigned char)name[i]);
        k[l] = 0;
    }
    size_t at = (size_t)(uintptr_t)xs_strmap_get(ix, k);
    xs_story_name *x;
    if (at) {
        x = &(*arr)[at - 1];
    } else {
        if (*n >= XS_STORY_MAX_NAMES) {
            (*more)++;
            return true;
        }
        if (!grow((void **)arr, cap, *n + 1, sizeof **arr))
            return false;
        x = &(*arr)[*n];
        memset(x, 0, sizeof *x);
        x->name = name;
        x->first_ms = EXS_TIME_NONE;
        if (!xs_strmap_put(ix, k, (void *)(uintptr_t)(*n + 1), NULL))
            return false;
        (*n)++;
    }
    x->how |= how;
    x->n++;
    int64_t last = EXS_TIME_NONE;
    span(&x->first_ms, &last, f->time_ms);
    x->roots |= root_bit(f->origin.root);
    return true;
}

static bool account(build *b, const exs_finding *f, const char *name, unsigned how)
{
    xs_story *s = b->s;
    return add_name(b, b->account_ix, &s->accounts, &s->naccounts, &b->cap_accounts,
                    &s->accounts_more, f, name, how);
}

static bool mailbox(build *b, const exs_finding *f, const char *name, unsigned how)
{
    xs_story *s = b->s;
    return add_name(b, b->mailbox_ix, &s->mailboxes, &s->nmailboxes, &b->cap_mailboxes,
                    &s->mailboxes_more, f, name, how);
}

/* The value of a cmdlet parameter (-Mailbox "x@y", -Mailbox:x, -Mailbox x), copied, or NULL
 * (absent, a variable, or out of memory: *oom set). The parameters are read as tokens: a
 * "-Name" inside a quoted value is that value's text, not a parameter. */
static const char *param(build *b, const char *params, const char *name, bool *oom)
{
    size_t nl = strlen(name);
    const char *p = params;
    while (p && *p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '"' || *p == '\'') { /* a quoted value: skipped whole */
            const char *e = strchr(p + 1, *p);
            if (!e)
                return NULL; /* unterminated: nothing after it can be told apart */
            p = e + 1;
            continue;
        }
        const char *tok = p;
        p += strcspn(p, " \t:\"'");
        bool hit = tok[0] == '-' && (size_t)(p - tok - 1) == nl && strncasecmp(tok + 1, name, nl) == 0;
        if (!hit) {
            if (*p == ':')
                p++;
            continue;
        }
        while (*p == ' ' || *p == ':' || *p == '\t')
            p++;
        const char *v = p;
        size_t n;
        if (*v == '"' || *v == '\'') {
            const char *e = strchr(v + 1, *v);
            if (!e)
                return NULL;
            v++;
            n = (size_t)(e - v);
            p = e + 1;
        } else {
            n = strcspn(v, " \t");
            p = v + n;
        }
        if (n == 0 || n > PARAM_MAX || *v == '$' || *v == '-')
            continue; /* empty, too long, a variable, or the next parameter: not a name */
        const char *c = own_copy(b, v, n);
        if (!c)
            *oom = true;
        return c;
    }
    return NULL;
}

/* What a cmdlet's parameters name: the mailboxes it exported or opened, the accounts given
 * rights. */
static bool cmdlet_names(build *b, const exs_finding *f)
{
    const exs_cmdlet_facts *c = f->cmdlet;
    if (!c->name || !c->parameters)
        return true;
    static const struct {
        const char *cmdlet, *param;
        bool is_mailbox;
        unsigned how;
    } map[] = {
        {"New-MailboxExportRequest", "Mailbox", true, XS_TOUCH_EXPORT},
        {"Search-Mailbox", "Identity", true, XS_TOUCH_SEARCH},
        {"Add-MailboxPermission", "Identity", true, XS_TOUCH_SEARCH},
        {"Add-MailboxFolderPermission", "Identity", true, XS_TOUCH_SEARCH},
        {"New-MailboxSearch", "SourceMailboxes", true, XS_TOUCH_SEARCH},
        {"Add-MailboxPermission", "User", false, XS_TOUCH_ROLE},
        {"Add-MailboxFolderPermission", "User", false, XS_TOUCH_ROLE},
        {"New-ManagementRoleAssignment", "User", false, XS_TOUCH_ROLE},
        {"Add-RoleGroupMember", "Member", false, XS_TOUCH_ROLE},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcasecmp(c->name, map[i].cmdlet) != 0)
            continue;
        bool oom = false;
        const char *v = param(b, c->parameters, map[i].param, &oom);
        if (oom)
            return false;
        if (v && !(map[i].is_mailbox ? mailbox(b, f, v, map[i].how) : account(b, f, v, map[i].how)))
            return false;
    }
    return true;
}

static void step(xs_story_step *st, const exs_finding *f)
{
    if (st->n == 0) {
        st->first_ms = st->last_ms = EXS_TIME_NONE;
        st->first = f;
    } else if (st->first->time_ms == EXS_TIME_NONE && f->time_ms != EXS_TIME_NONE) {
        st->first = f;
    }
    st->n++;
    if (f->verdict > st->worst)
        st->worst = f->verdict;
    span(&st->first_ms, &st->last_ms, f->time_ms);
}

/* Cmdlets run as a person's account one actor used (and no other): that actor's. */
static void tie_cmdlets(build *b, const exs_finding *f, size_t n)
{
    xs_story *s = b->s;
    char k[KEY_MAX];
    for (size_t i = 0; i < n; i++) {
        const exs_finding *x = &f[i];
        if (!x->cmdlet || !x->cmdlet->user)
            continue;
        account_key(x->cmdlet->user, k, sizeof k);
        size_t at = (size_t)(uintptr_t)xs_strmap_get(b->tie, k);
        if (!at || at == AMBIGUOUS)
            continue;
        xs_story_actor *a = &s->actors[at - 1];
        if (a->cmdlets++ == 0)
            a->cmdlet_account = x->cmdlet->user;
        a->steps |= 1u << exs_finding_stage(x);
    }
}

static int cmp_name(const void *x, const void *y)
{
    const xs_story_name *a = x, *b = y;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* People's accounts first (theirs are the passwords to reset), then by findings. */
static int cmp_account(const void *x, const void *y)
{
    const xs_story_name *a = x, *b = y;
    bool sa = xs_story_system_account(a->name), sb = xs_story_system_account(b->name);
    if (sa != sb)
        return sa ? 1 : -1;
    return cmp_name(x, y);
}

static bool fill(build *b)
{
    const exs_results *r = b->r;
    xs_story *s = b->s;
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    for (size_t i = 0; i < n; i++) {
        const exs_finding *x = &f[i];
        if (x->origin.root < s->nroots)
            step(&s->steps[x->origin.root][exs_finding_stage(x)], x);
        const char *addr = actor_addr(b, x);
        if (addr && !add_actor(b, x, addr))
            return false;
        /* accounts: what the intruder ran as (a probe's user says nothing) */
        if (x->verdict == EXS_VERDICT_PROBE)
            continue;
        if (x->http && x->http->user && strcmp(x->http->user, "-") != 0 &&
            !account(b, x, x->http->user, XS_TOUCH_HTTP))
            return false;
        if (x->cmdlet && x->cmdlet->user && !account(b, x, x->cmdlet->user, XS_TOUCH_CMDLET))
            return false;
        if (x->process && x->process->user && !account(b, x, x->process->user, XS_TOUCH_PROCESS))
            return false;
        if (x->cmdlet && !cmdlet_names(b, x))
            return false;
    }
    tie_cmdlets(b, f, n);
    for (size_t i = 0; i < s->nactors; i++) {
        xs_story_actor *a = &s->actors[i];
        qsort(a->kinds, a->nkinds, sizeof *a->kinds, cmp_tally);
        qsort(a->agents, a->nagents, sizeof *a->agents, cmp_tally);
    }
    if (s->naccounts > 1)
        qsort(s->accounts, s->naccounts, sizeof *s->accounts, cmp_account);
    if (s->nmailboxes > 1)
        qsort(s->mailboxes, s->nmailboxes, sizeof *s->mailboxes, cmp_name);
    return true;
}

/* Past XS_STORY_MAX_ACTORS client addresses, the details go to the ones the reports list
 * first (the exact counts' order: worst verdict, most findings), not to the first met: on a
 * week of internet-facing logs, thousands of scanners come before the intruder. */
static bool allow(build *b)
{
    size_t nc, n = 0;
    const exs_count *c = exs_results_counts(b->r, EXS_COUNT_CLIENT, &nc);
    if (nc <= XS_STORY_MAX_ACTORS)
        return true;
    const exs_count **v = malloc(nc * sizeof *v);
    if (!v || !(b->allowed = xs_strmap_create())) {
        free(v);
        return false;
    }
    for (size_t i = 0; i < nc; i++)
        if (!xs_render_loopback(c[i].key))
            v[n++] = &c[i];
    qsort(v, n, sizeof *v, xs_count_cmp_client);
    bool ok = true;
    for (size_t i = 0; i < n && i < XS_STORY_MAX_ACTORS && ok; i++)
        ok = xs_strmap_put(b->allowed, v[i]->key, (void *)1, NULL);
    b->s->actors_more = n > XS_STORY_MAX_ACTORS ? n - XS_STORY_MAX_ACTORS : 0;
    free(v);
    return ok;
}

bool xs_story_build(const exs_results *r, xs_story *s)
{
    memset(s, 0, sizeof *s);
    build b = {.r = r, .s = s};
    s->nroots = exs_results_sweep(r)->nroots;
    if (s->nroots == 0)
        s->nroots = 1; /* findings made outside a sweep (tests) are root 0's */
    b.own = exs_results_server_addresses(r, &b.nown);
    s->steps = calloc(s->nroots, sizeof *s->steps);
    b.actor_ix = xs_strmap_create();
    b.account_ix = xs_strmap_create();
    b.mailbox_ix = xs_strmap_create();
    b.tie = xs_strmap_create();
    bool ok = s->steps && b.actor_ix && b.account_ix && b.mailbox_ix && b.tie && allow(&b) &&
              fill(&b);
    xs_strmap_destroy(b.actor_ix);
    xs_strmap_destroy(b.account_ix);
    xs_strmap_destroy(b.mailbox_ix);
    xs_strmap_destroy(b.tie);
    xs_strmap_destroy(b.allowed);
    if (!ok) {
        xs_story_free(s);
        memset(s, 0, sizeof *s);
    }
    return ok;
}

void xs_story_free(xs_story *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nowned; i++)
        free(s->owned[i]);
    free(s->owned);
    free(s->steps);
    free(s->actors);
    free(s->accounts);
    free(s->mailboxes);
    memset(s, 0, sizeof *s);
}

const xs_story_actor *xs_story_actor_of(const xs_story *s, const char *addr)
{
    /* the actors are few next to the findings; the summary asks for at most 15 */
    for (size_t i = 0; addr && i < s->nactors; i++)
        if (strcmp(s->actors[i].addr, addr) == 0)
            return &s->actors[i];
    return NULL;
}

size_t xs_story_subject(const exs_finding *f, const char *part[2])
{
    if (f->file && f->file->path) {
        part[0] = f->file->path;
        return 1;
    }
    if (f->process && f->process->command_line) {
        part[0] = f->process->command_line;
        return 1;
    }
    if (f->cmdlet && f->cmdlet->name) {
        part[0] = f->cmdlet->name;
        part[1] = f->cmdlet->parameters;
        return part[1] && part[1][0] ? 2 : 1;
    }
    if (f->http && f->http->path) {
        part[0] = f->http->method ? f->http->method : "-";
        part[1] = f->http->path;
        return 2;
    }
    if (f->target) {
        part[0] = f->target;
        return 1;
    }
    return 0;
}

/* ---- writing ----------------------------------------------------------------------------- */

static void text(FILE *o, const char *s, size_t indent, size_t *col)
{
    xs_render_wrap(o, s ? s : "-", indent, col);
}

/* The library's own words, wrapped as the evidence is (onto lines at indent): every line of
 * the summary fits. */
static void lit(FILE *o, const char *s, size_t indent, size_t *col)
{
    xs_render_wrap(o, s, indent, col);
}

static void when(FILE *o, int64_t ms, size_t indent, size_t *col)
{
    char t[32];
    xs_time_format(ms, t);
    t[10] = ' ';
    t[19] = 0;
    lit(o, xs_time_formattable(ms) ? t : "-", indent, col);
}

/* What a step's first finding is about, in one phrase of evidence. */
static void what(FILE *o, const exs_finding *f, size_t indent, size_t *col)
{
    const char *part[2];
    size_t np = xs_story_subject(f, part);
    if (!np)
        return;
    char st[16] = "";
    if (!f->file && !f->process && !f->cmdlet && f->http && f->http->path && f->http->status)
        snprintf(st, sizeof st, " %d", f->http->status);
    bool from = f->http && f->http->client && !f->http->backend;
    xs_render_wrapv(o, indent, col, part[0], np > 1 ? " " : "", np > 1 ? part[1] : "", st,
                    from ? ", from " : "", from ? f->http->client : "", (const char *)NULL);
}

const exs_stage xs_story_chain[XS_STORY_STEPS] = {
    EXS_STAGE_RECON, EXS_STAGE_EXPLOIT, EXS_STAGE_WRITE,   EXS_STAGE_USE,
    EXS_STAGE_POST,  EXS_STAGE_CLEANUP, EXS_STAGE_RESPONSE};
#define chain_order xs_story_chain
#define NCHAIN XS_STORY_STEPS

static void chain_of(FILE *o, const exs_results *r, const xs_story *s, size_t root, bool color)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    const xs_story_step *st = s->steps[root];
    fprintf(o, "\n%sHow it happened%s", color ? "\033[1m" : "", color ? "\033[0m" : "");
    if (sw->nroots > 1) {
        fputs(" on ", o);
        xs_esc_term(o, sw->roots[root].label, strlen(sw->roots[root].label), 0);
    }
    fputs(" (UTC; the steps of an intrusion, each from its first finding)\n", o);
    size_t missing = 0;
    for (size_t k = 0; k < NCHAIN; k++) {
        const xs_story_step *x = &st[chain_order[k]];
        if (!x->n) {
            missing++;
            continue;
        }
        size_t col = 21;
        fprintf(o, "  %-18s ", exs_stage_title(chain_order[k]));
        when(o, x->first_ms, 21, &col);
        if (x->last_ms != x->first_ms && xs_time_formattable(x->last_ms)) {
            lit(o, " .. ", 21, &col);
            when(o, x->last_ms, 21, &col);
        } else {
            fprintf(o, "%23s", "");
        }
        fprintf(o, " %5zu %s, worst %s\n", x->n, x->n == 1 ? "finding" : "findings",
                exs_verdict_name(x->worst));
        fputs("      first  ", o);
        col = 13;
        /* the rule's id and name: a saved sweep's, from a file: escaped */
        xs_render_wrapv(o, 13, &col, x->first->rule->id, " ", x->first->rule->name,
                        (const char *)NULL);
        fputc('\n', o);
        col = 13;
        fputs("             ", o);
        size_t before = col;
        what(o, x->first, 13, &col);
        if (col == before) {
            char where[XS_MAX_WHERE];
            xs_render_where(r, x->first, true, where, sizeof where);
            text(o, where, 13, &col);
        }
        fputc('\n', o);
    }
    if (missing && missing < NCHAIN) {
        fputs("  not seen           ", o);
        size_t col = 21;
        bool first = true;
        for (size_t k = 0; k < NCHAIN; k++)
            if (!st[chain_order[k]].n) {
                xs_render_wrapv(o, 21, &col, first ? "" : ", ", exs_stage_title(chain_order[k]),
                                (const char *)NULL);
                first = false;
            }
        lit(o, " (in the evidence read)", 21, &col);
        fputc('\n', o);
    }
}

void xs_report_chain(FILE *o, const exs_results *r, const xs_story *s, bool color)
{
    size_t shown = 0, more = 0;
    for (size_t root = 0; root < s->nroots; root++) {
        size_t any = 0;
        for (size_t k = 0; k < NCHAIN; k++)
            any += s->steps[root][chain_order[k]].n;
        /* a server with only probes and nothing else has no story to tell */
        if (!any || any == s->steps[root][EXS_STAGE_RECON].n)
            continue;
        if (shown++ < ROOTS_SHOW)
            chain_of(o, r, s, root, color);
        else
            more++;
    }
    if (more)
        fprintf(o, "  ... and %zu more servers with a story: exsweep report -f html, or the "
                   "report of each saved sweep\n", more);
}

const char *xs_story_touch_words(unsigned bit)
{
    switch (bit) {
    case XS_TOUCH_HTTP: return "web requests ran as it";
    case XS_TOUCH_CMDLET: return "cmdlets ran as it";
    case XS_TOUCH_PROCESS: return "processes ran as it";
    case XS_TOUCH_ROLE: return "given a role or permission";
    case XS_TOUCH_EXPORT: return "exported";
    case XS_TOUCH_SEARCH: return "searched or opened to another";
    }
    return NULL;
}

static void hows(FILE *o, unsigned how, size_t *col)
{
    bool first = true;
    for (unsigned bit = 1; bit <= XS_TOUCH_SEARCH; bit <<= 1)
        if (how & bit) {
            lit(o, first ? "" : ", ", 15, col);
            lit(o, xs_story_touch_words(bit), 15, col);
            first = false;
        }
}

static void names(FILE *o, const exs_results *r, const char *label, const xs_story_name *v,
                  size_t n, size_t more, bool is_account)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    for (size_t i = 0; i < n && i < NAMES_SHOW; i++) {
        fprintf(o, "  %-10s ", i ? "" : label);
        size_t col = 13;
        char cnt[48], t[32] = "";
        snprintf(cnt, sizeof cnt, "  %zu %s", v[i].n, v[i].n == 1 ? "finding" : "findings");
        if (xs_time_formattable(v[i].first_ms)) {
            xs_time_format(v[i].first_ms, t);
            t[10] = ' ';
            t[19] = 0;
        }
        xs_render_wrapv(o, 15, &col, v[i].name, cnt, *t ? ", first " : "", t, (const char *)NULL);
        fputs("\n               ", o);
        col = 15;
        hows(o, v[i].how, &col);
        if (is_account && xs_story_system_account(v[i].name))
            lit(o, "; a system account, no person's", 15, &col);
        if (sw->nroots > 1) {
            lit(o, "; on ", 15, &col);
            bool first = true;
            for (size_t k = 0; k < sw->nroots && k < 64; k++)
                if (v[i].roots & ((uint64_t)1 << k)) {
                    lit(o, first ? "" : ", ", 15, &col);
                    text(o, sw->roots[k].label, 15, &col);
                    first = false;
                }
        }
        fputc('\n', o);
    }
    if (n > NAMES_SHOW)
        fprintf(o, "  %-10s ... and %zu more %s (-f jsonl: user.name, exsweep.cmdlet.*)\n", "",
                n - NAMES_SHOW, label);
    if (more)
        fprintf(o, "  %-10s (%zu %s name %s past the %d kept: in the totals only)\n", "", more,
                more == 1 ? "finding" : "findings", label, XS_STORY_MAX_NAMES);
}

void xs_report_touched(FILE *o, const exs_results *r, const xs_story *s, bool color)
{
    if (!s->naccounts && !s->nmailboxes)
        return;
    fprintf(o, "\n%sAccounts and mailboxes touched%s (by the findings above probes: reset the "
               "people's passwords)\n",
            color ? "\033[1m" : "", color ? "\033[0m" : "");
    names(o, r, "accounts", s->accounts, s->naccounts, s->accounts_more, true);
    names(o, r, "mailboxes", s->mailboxes, s->nmailboxes, s->mailboxes_more, false);
}

/* "key N, key N" or "key (N); key (N)", wrapped under column 15. */
static void tallies(FILE *o, const xs_story_tally *t, size_t n, bool paren, const char *sep,
                    size_t *col)
{
    for (size_t i = 0; i < n; i++) {
        char c[32];
        snprintf(c, sizeof c, paren ? " (%zu)" : " %zu", t[i].n);
        lit(o, i ? sep : "", 15, col);
        text(o, t[i].key, 15, col);
        lit(o, c, 15, col);
    }
}

void xs_report_actor(FILE *o, const exs_results *r, const xs_story_actor *a)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    size_t col;
    fputs("      steps    ", o);
    col = 15;
    bool first = true;
    for (size_t k = 0; k < NCHAIN; k++)
        if (a->steps & (1u << chain_order[k])) {
            lit(o, first ? "" : ", ", 15, &col);
            lit(o, exs_stage_title(chain_order[k]), 15, &col);
            first = false;
        }
    fputc('\n', o);
    fputs("      logs     ", o);
    col = 15;
    tallies(o, a->kinds, a->nkinds, false, ", ", &col);
    if (a->kinds_more) {
        char c[64];
        snprintf(c, sizeof c, ", %zu %s of other kinds", a->kinds_more,
                 a->kinds_more == 1 ? "finding" : "findings");
        lit(o, c, 15, &col);
    }
    if (a->cmdlets) {
        char c[96];
        snprintf(c, sizeof c, "; %zu %s as ", a->cmdlets, a->cmdlets == 1 ? "cmdlet" : "cmdlets");
        lit(o, c, 15, &col);
        text(o, a->cmdlet_account, 15, &col);
    }
    fputc('\n', o);
    if (a->nagents) {
        fputs("      agents   ", o);
        col = 15;
        tallies(o, a->agents, a->nagents, true, "; ", &col);
        if (a->agents_more) {
            char c[64];
            snprintf(c, sizeof c, "; %zu %s with other agents", a->agents_more,
                     a->agents_more == 1 ? "finding" : "findings");
            lit(o, c, 15, &col);
        }
        fputc('\n', o);
    }
    if (a->naccounts) {
        fputs("      as       ", o);
        col = 15;
        for (size_t i = 0; i < a->naccounts; i++) {
            lit(o, i ? ", " : "", 15, &col);
            text(o, a->accounts[i], 15, &col);
        }
        if (a->accounts_more) {
            char c[80];
            snprintf(c, sizeof c, "; %zu more %s as other accounts", a->accounts_more,
                     a->accounts_more == 1 ? "finding" : "findings");
            lit(o, c, 15, &col);
        }
        fputc('\n', o);
    }
    if (sw->nroots > 1) {
        fputs("      on       ", o);
        col = 15;
        bool f1 = true;
        for (size_t k = 0; k < sw->nroots && k < 64; k++)
            if (a->roots & ((uint64_t)1 << k)) {
                lit(o, f1 ? "" : ", ", 15, &col);
                text(o, sw->roots[k].label, 15, &col);
                f1 = false;
            }
        fputc('\n', o);
    }
}
