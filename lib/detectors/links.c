/* After everything else: one finding per web shell that ties together what the sweep saw of
 * it from each side (issue 4, correlation):
 *
 *   disk      a file finding of a served script (or a removed shell), with its URL
 *   written   a Sysmon 11 event that created a script in a web folder, mapped to its URL
 *   used      requests to that URL in IIS or HttpProxy logs (the kept access events)
 *   commands  processes the IIS worker started (w3wp children, Chopper command lines) within
 *             LINK_WINDOW_MS of the shell's first and last use (or of its creation)
 *
 * A shell seen from at least two sides, one of them an event (its creation or the commands
 * around its use), gets an EXS-LINK-SHELL finding: the facts of each side, and the ids of the
 * findings it ties (related), which a report turns into the shell's timeline. An after-sweep
 * pass: the view's findings stay valid while it emits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/timeparse.h"
#include "detectors/internal.h"
#include "detectors/webfolders.h"
#include "exsweep/finding.h"
#include "scan/pass.h"
#include "sources/classify.h"

#define LINK_MAX_SHELLS 128
#define LINK_WINDOW_MS (10 * 60 * 1000)

/* The sides of one shell; findings are the view's (valid during the pass). */
typedef struct shell {
    uint32_t root; /* a shell is of one evidence root (server): its file, events and requests */
    char url[XS_URL_MAX];
    const exs_finding *disk;    /* a file finding of it (the first in the results' order) */
    bool removed;
    const exs_finding *written; /* the earliest Sysmon 11 that created it */
    size_t nreq, nok;
    int64_t first_use, last_use;
    struct {
        char ip[64];
        unsigned n;
    } ips[8];          /* clients of the requests (not back-end rows), the first eight */
    size_t nips, ips_more;
    const exs_finding *uses[16]; /* request findings to it */
    size_t nuses;
    size_t ncmd;
    const exs_finding *cmds[16]; /* processes the IIS worker started meanwhile */
    size_t ncmds_kept;
} shell;

static shell *shell_get(shell *v, size_t *n, uint32_t root, const char *url)
{
    for (size_t i = 0; i < *n; i++)
        if (v[i].root == root && strcmp(v[i].url, url) == 0)
            return &v[i];
    if (*n == LINK_MAX_SHELLS)
        return NULL;
    shell *s = &v[(*n)++];
    memset(s, 0, sizeof *s);
    s->root = root;
    snprintf(s->url, sizeof s->url, "%s", url);
    s->first_use = s->last_use = EXS_TIME_NONE;
    return s;
}

static bool starts(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* URL of a Windows path (as Sysmon writes it), through the same layout the file side uses. */
static void url_of_path(const char *path, char *url, size_t cap)
{
    char norm[XS_MAX_PATH];
    xs_path_norm(path, norm, sizeof norm);
    xs_webloc loc;
    xs_webloc_of(norm, &loc);
    snprintf(url, cap, "%s", loc.url);
}

/* Counts a client of the shell's requests (whole addresses compared). */
static void note_ip(shell *s, const char *ip)
{
    if (!ip || !*ip)
        return;
    for (size_t i = 0; i < s->nips; i++)
        if (strcmp(s->ips[i].ip, ip) == 0) {
            s->ips[i].n++;
            return;
        }
    if (s->nips == sizeof s->ips / sizeof s->ips[0] || strlen(ip) >= sizeof s->ips[0].ip) {
        s->ips_more++;
        return;
    }
    snprintf(s->ips[s->nips].ip, sizeof s->ips[0].ip, "%s", ip);
    s->ips[s->nips++].n = 1;
}

/* "ip=count,..." by count, then address (the file side's requests_clients form). */
static void ips_text(shell *s, char *out, size_t cap)
{
    for (size_t i = 1; i < s->nips; i++)
        for (size_t j = i; j > 0 && (s->ips[j].n > s->ips[j - 1].n ||
                                     (s->ips[j].n == s->ips[j - 1].n &&
                                      strcmp(s->ips[j].ip, s->ips[j - 1].ip) < 0));
             j--) {
            __typeof__(s->ips[0]) t = s->ips[j];
            s->ips[j] = s->ips[j - 1];
            s->ips[j - 1] = t;
        }
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < s->nips; i++)
        xs_appendf(out, cap, &o, "%s%s=%u", i ? "," : "", s->ips[i].ip, s->ips[i].n);
    if (s->ips_more)
        xs_appendf(out, cap, &o, ",+%zu", s->ips_more);
}

static int64_t earliest(int64_t a, int64_t b)
{
    return a == EXS_TIME_NONE || (b != EXS_TIME_NONE && b < a) ? b : a;
}

void xs_pass_links(const xs_pass_view *v)
{
    shell *sh = calloc(LINK_MAX_SHELLS, sizeof *sh);
    size_t nsh = 0, ncmds = 0;
    const exs_finding **cmds = malloc((v->nfindings ? v->nfindings : 1) * sizeof *cmds);
    if (!sh || !cmds) {
        xs_scan_fail(v->scan, EXS_ENOMEM, "out of memory tying web shells together");
        goto out;
    }

    /* 1. Shells and commands from the findings so far (in the results' order). */
    for (size_t i = 0; i < v->nfindings; i++) {
        const exs_finding *f = v->findings[i];
        const char *id = f->rule->id;
        char url[XS_URL_MAX];
        url[0] = 0;
        const char *furl = f->file ? f->file->url : NULL;
        if ((starts(id, "EXS-FILE-WS-") || starts(id, "EXS-Y-WS-")) && furl) {
            xs_url_norm(xs_str_cstr(furl), url, sizeof url);
            shell *x = url[0] ? shell_get(sh, &nsh, f->origin.root, url) : NULL;
            if (x && !x->disk)
                x->disk = f;
            if (x)
                x->removed |= strcmp(id, "EXS-FILE-WS-REMOVED") == 0;
        } else if (f->rule == RULE(R_EV_ASPX_WRITE) && f->file && f->file->path) {
            url_of_path(f->file->path, url, sizeof url);
            shell *x = url[0] ? shell_get(sh, &nsh, f->origin.root, url) : NULL;
            if (x && (!x->written || (f->time_ms != EXS_TIME_NONE &&
                                      (x->written->time_ms == EXS_TIME_NONE ||
                                       f->time_ms < x->written->time_ms))))
                x->written = f;
        } else if (f->rule == RULE(R_WS_ACCESS) && f->verdict == EXS_VERDICT_EXPLOITATION &&
                   f->http && f->http->path) {
            xs_url_norm(xs_str_cstr(f->http->path), url, sizeof url);
            shell *x = url[0] ? shell_get(sh, &nsh, f->origin.root, url) : NULL;
            if (x && x->nuses < sizeof x->uses / sizeof x->uses[0])
                x->uses[x->nuses++] = f;
        } else if ((f->rule == RULE(R_EV_W3WP_CHILD) || f->rule == RULE(R_EV_CHOPPER)) &&
                   f->time_ms != EXS_TIME_NONE) {
            cmds[ncmds++] = f;
        }
    }
    if (nsh == 0)
        goto out;

    /* 2. Requests to each shell. */
    for (size_t i = 0; i < v->naccess; i++) {
        const xs_access *a = &v->access[i];
        for (size_t k = 0; k < nsh; k++) {
            if (sh[k].root != a->where.root || strcmp(sh[k].url, a->norm) != 0)
                continue;
            shell *x = &sh[k];
            x->nreq++;
            x->nok += a->status >= 200 && a->status < 300;
            xs_time_span_add(&x->first_use, &x->last_use, a->time_ms);
            if (!a->backend)
                note_ip(x, a->ip);
        }
    }

    /* 3. Worker commands around each shell's life. */
    for (size_t k = 0; k < nsh; k++) {
        shell *x = &sh[k];
        int64_t wt = x->written ? x->written->time_ms : EXS_TIME_NONE;
        int64_t from = x->first_use != EXS_TIME_NONE ? x->first_use : wt;
        int64_t to = x->last_use != EXS_TIME_NONE ? x->last_use : wt;
        if (from == EXS_TIME_NONE)
            continue;
        from = earliest(from, wt);
        for (size_t i = 0; i < ncmds; i++) {
            if (cmds[i]->origin.root != x->root || cmds[i]->time_ms < from - LINK_WINDOW_MS ||
                cmds[i]->time_ms > to + LINK_WINDOW_MS)
                continue;
            x->ncmd++;
            if (x->ncmds_kept < sizeof x->cmds / sizeof x->cmds[0])
                x->cmds[x->ncmds_kept++] = cmds[i];
        }
    }

    /* 4. One finding per shell seen from two sides or more. */
    for (size_t k = 0; k < nsh; k++) {
        shell *x = &sh[k];
        int sides = (x->disk != NULL) + (x->written != NULL) + (x->nok > 0) + (x->ncmd > 0);
        /* a file and its requests alone are already one finding (the file side's "used");
         * what this pass adds is the event side: who wrote it, what it ran */
        if (sides < 2 || (!x->written && x->ncmd == 0))
            continue;
        int64_t t = x->written ? x->written->time_ms : EXS_TIME_NONE;
        t = earliest(t, x->first_use);
        if (x->ncmds_kept)
            t = earliest(t, x->cmds[0]->time_ms);
        const exs_finding *at = x->disk ? x->disk : x->written ? x->written : x->cmds[0];
        xs_ctx c;
        char buf[XS_MAX_WHERE];
        xs_ctx_at_finding(&c, v, at, buf);
        c.source = "correlation";
        xs_hit h;
        xs_hit_init(&h, RULE(R_LINK_SHELL), EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL, t);
        h.line = at->origin.line;
        h.record = at->origin.record;
        h.key = xs_str_cstr(x->url);
        h.reason = x->removed ? "a removed web shell seen from several sides"
                              : "a web shell seen from several sides";
        h.file.url = xs_str_cstr(x->url);
        /* the file on disk; for a removed shell (a finding with a URL and no path), the path
         * its creation named */
        if (x->disk && x->disk->file && x->disk->file->path)
            h.file.path = xs_str_cstr(x->disk->file->path);
        else if (x->written)
            h.file.path = xs_str_cstr(x->written->file->path);
        if (x->written) {
            xs_hit_fact_time(&h, "created", x->written->time_ms);
            if (x->written->process)
                xs_hit_fact_cstr(&h, "created_by", x->written->process->executable);
        }
        xs_hit_fact_u64(&h, "requests", x->nreq);
        xs_hit_fact_u64(&h, "requests_answered", x->nok);
        xs_hit_fact_time(&h, "requests_first", x->first_use);
        xs_hit_fact_time(&h, "requests_last", x->last_use);
        char ips[700];
        ips_text(x, ips, sizeof ips);
        xs_hit_fact_cstr(&h, "requests_clients", ips);
        xs_hit_fact_u64(&h, "commands", x->ncmd);
        if (x->ncmds_kept) {
            const exs_process_facts *p = x->cmds[0]->process;
            xs_hit_fact_time(&h, "commands_first", x->cmds[0]->time_ms);
            if (p)
                xs_hit_fact_cstr(&h, "commands_first_command_line",
                                  p->command_line ? p->command_line : p->executable);
        }
        /* related: the file, its creation, the commands, then the requests */
        if (x->disk)
            xs_hit_relate(&h, x->disk->id);
        if (x->written)
            xs_hit_relate(&h, x->written->id);
        for (size_t i = 0; i < x->ncmds_kept; i++)
            xs_hit_relate(&h, x->cmds[i]->id);
        for (size_t i = 0; i < x->nuses; i++)
            xs_hit_relate(&h, x->uses[i]->id);
        xs_emit(&c, &h);
        xs_ctx_release(&c);
    }
out:
    free(sh);
    free(cmds);
}
