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
 * around its use), gets an EXS-LINK-SHELL finding whose detail reads as a short timeline.
 * Inputs are copied first: emitting grows the findings array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/timeparse.h"
#include "detectors/internal.h"
#include "detectors/webfolders.h"
#include "exsweep/finding.h"
#include "scan/scan_int.h"
#include "sources/classify.h"

#define LINK_MAX_SHELLS 128
#define LINK_WINDOW_MS (10 * 60 * 1000)

typedef struct shell {
    char url[EXS_URL_MAX];
    /* disk */
    char disk_file[512];
    bool removed;
    /* written */
    int64_t written_ms;
    char written_by[160];
    char written_file[512];
    uint64_t written_line;
    /* used */
    size_t nreq, nok;
    int64_t first_use, last_use;
    char ips[160];
    /* commands */
    size_t ncmd;
    int64_t first_cmd_ms;
    char first_cmd[200];
    char cmd_file[512];
    uint64_t cmd_line;
} shell;

typedef struct event_ref {
    int64_t time_ms;
    char what[200];
    char file[512];
    uint64_t line;
} event_ref;

static shell *shell_get(shell *v, size_t *n, const char *url)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(v[i].url, url) == 0)
            return &v[i];
    if (*n == LINK_MAX_SHELLS)
        return NULL;
    shell *s = &v[(*n)++];
    memset(s, 0, sizeof *s);
    snprintf(s->url, sizeof s->url, "%s", url);
    s->written_ms = s->first_use = s->last_use = s->first_cmd_ms = EXS_TIME_NONE;
    return s;
}

static bool starts(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* URL of a Windows path (as Sysmon writes it), through the same layout the file side uses. */
static void url_of_path(const char *path, char *url, size_t cap)
{
    char norm[EXS_MAX_PATH];
    exs_path_norm(path, norm, sizeof norm);
    exs_webloc loc;
    exs_webloc_of(norm, &loc);
    snprintf(url, cap, "%s", loc.url);
}

/* s->ips: "a, b, c"; an address is added once (whole entries compared: 10.0.0.1 is not
 * 10.0.0.12), while it fits. */
static void note_ip(shell *s, const char *ip)
{
    if (!ip || !*ip)
        return;
    size_t n = strlen(ip);
    for (const char *p = s->ips; *p;) {
        const char *e = strstr(p, ", ");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, ip, n) == 0)
            return;
        p += len + (e ? 2 : 0);
    }
    size_t o = strlen(s->ips);
    if (o + n + 3 < sizeof s->ips)
        exs_appendf(s->ips, sizeof s->ips, &o, "%s%s", o ? ", " : "", ip);
}

static void fmt_time(int64_t ms, char out[32])
{
    exs_time_format(ms, out);
    if (ms != EXS_TIME_NONE)
        out[19] = 0, out[10] = ' '; /* "2021-03-03 06:49:42" */
}

void exs_detect_links(exs_scan *s)
{
    shell *sh = calloc(LINK_MAX_SHELLS, sizeof *sh);
    size_t nfind = s->nfindings, nsh = 0, ncmds = 0, capcmds = 64;
    event_ref *cmds = malloc(capcmds * sizeof *cmds);
    if (!sh || !cmds)
        goto out;

    /* 1. Shells and commands from the findings so far. */
    for (size_t i = 0; i < nfind; i++) {
        const exs_finding *f = &s->findings[i];
        const char *id = f->rule->id;
        char url[EXS_URL_MAX];
        url[0] = 0;
        if ((starts(id, "EXS-FILE-WS-") || starts(id, "EXS-Y-WS-")) && f->url_path) {
            exs_url_norm(exs_str_cstr(f->url_path), url, sizeof url);
            shell *x = url[0] ? shell_get(sh, &nsh, url) : NULL;
            if (x) {
                snprintf(x->disk_file, sizeof x->disk_file, "%s", f->file);
                x->removed |= strcmp(id, "EXS-FILE-WS-REMOVED") == 0;
            }
        } else if (f->rule == RULE(R_EV_ASPX_WRITE) && f->target) {
            url_of_path(f->target, url, sizeof url);
            shell *x = url[0] ? shell_get(sh, &nsh, url) : NULL;
            if (x && (x->written_ms == EXS_TIME_NONE || f->time_ms < x->written_ms)) {
                x->written_ms = f->time_ms;
                snprintf(x->written_by, sizeof x->written_by, "%s", f->detail ? f->detail : "");
                snprintf(x->written_file, sizeof x->written_file, "%s", f->file);
                x->written_line = f->line;
            }
        } else if (f->rule == RULE(R_WS_ACCESS) && f->verdict == EXS_VERDICT_EXPLOITATION &&
                   f->url_path) {
            exs_url_norm(exs_str_cstr(f->url_path), url, sizeof url);
            if (url[0])
                shell_get(sh, &nsh, url);
        } else if ((f->rule == RULE(R_EV_W3WP_CHILD) || f->rule == RULE(R_EV_CHOPPER)) &&
                   f->time_ms != EXS_TIME_NONE) {
            if (ncmds == capcmds) {
                event_ref *g = realloc(cmds, 2 * capcmds * sizeof *g);
                if (!g)
                    continue;
                cmds = g;
                capcmds *= 2;
            }
            event_ref *c = &cmds[ncmds++];
            c->time_ms = f->time_ms;
            snprintf(c->what, sizeof c->what, "%s", f->target ? f->target : f->detail);
            snprintf(c->file, sizeof c->file, "%s", f->file);
            c->line = f->line;
        }
    }
    if (nsh == 0)
        goto out;

    /* 2. Requests to each shell. */
    for (size_t i = 0; i < s->naccess; i++) {
        const exs_access *a = &s->access[i];
        for (size_t k = 0; k < nsh; k++) {
            if (strcmp(sh[k].url, a->norm) != 0)
                continue;
            shell *x = &sh[k];
            x->nreq++;
            x->nok += a->status >= 200 && a->status < 300;
            if (a->time_ms != EXS_TIME_NONE) {
                if (x->first_use == EXS_TIME_NONE || a->time_ms < x->first_use)
                    x->first_use = a->time_ms;
                if (x->last_use == EXS_TIME_NONE || a->time_ms > x->last_use)
                    x->last_use = a->time_ms;
            }
            note_ip(x, a->ip);
        }
    }

    /* 3. Worker commands around each shell's life. */
    for (size_t k = 0; k < nsh; k++) {
        shell *x = &sh[k];
        int64_t from = x->first_use != EXS_TIME_NONE ? x->first_use : x->written_ms;
        int64_t to = x->last_use != EXS_TIME_NONE ? x->last_use : x->written_ms;
        if (from == EXS_TIME_NONE)
            continue;
        if (x->written_ms != EXS_TIME_NONE && x->written_ms < from)
            from = x->written_ms;
        for (size_t i = 0; i < ncmds; i++) {
            if (cmds[i].time_ms < from - LINK_WINDOW_MS || cmds[i].time_ms > to + LINK_WINDOW_MS)
                continue;
            if (x->ncmd++ == 0 || cmds[i].time_ms < x->first_cmd_ms) {
                x->first_cmd_ms = cmds[i].time_ms;
                snprintf(x->first_cmd, sizeof x->first_cmd, "%s", cmds[i].what);
                snprintf(x->cmd_file, sizeof x->cmd_file, "%s", cmds[i].file);
                x->cmd_line = cmds[i].line;
            }
        }
    }

    /* 4. One finding per shell seen from two sides or more. */
    for (size_t k = 0; k < nsh; k++) {
        shell *x = &sh[k];
        int sides = (x->disk_file[0] != 0) + (x->written_ms != EXS_TIME_NONE) + (x->nok > 0) +
                    (x->ncmd > 0);
        /* a file and its requests alone are already one finding (the file side's "used:");
         * what this pass adds is the event side: who wrote it, what it ran */
        if (sides < 2 || (x->written_ms == EXS_TIME_NONE && x->ncmd == 0))
            continue;
        char detail[1600], t1[32], t2[32];
        size_t o = 0;
        exs_appendf(detail, sizeof detail, &o, "%s", x->url);
        if (x->disk_file[0])
            exs_appendf(detail, sizeof detail, &o, "; %s %s",
                        x->removed ? "removed from" : "on disk as", x->disk_file);
        if (x->written_ms != EXS_TIME_NONE) {
            fmt_time(x->written_ms, t1);
            exs_appendf(detail, sizeof detail, &o, "; created %s (%s, %s:%llu)", t1,
                        x->written_by, x->written_file, (unsigned long long)x->written_line);
        }
        if (x->nreq) {
            fmt_time(x->first_use, t1);
            fmt_time(x->last_use, t2);
            exs_appendf(detail, sizeof detail, &o, "; %zu requests (%zu answered) %s .. %s from %s",
                        x->nreq, x->nok, t1, t2, x->ips[0] ? x->ips : "-");
        }
        if (x->ncmd) {
            fmt_time(x->first_cmd_ms, t1);
            exs_appendf(detail, sizeof detail, &o,
                        "; the IIS worker started %zu process(es) meanwhile, first %s: %s (%s:%llu)",
                        x->ncmd, t1, x->first_cmd, x->cmd_file, (unsigned long long)x->cmd_line);
        }
        int64_t t = x->written_ms;
        if (x->first_use != EXS_TIME_NONE && (t == EXS_TIME_NONE || x->first_use < t))
            t = x->first_use;
        if (x->ncmd && (t == EXS_TIME_NONE || x->first_cmd_ms < t))
            t = x->first_cmd_ms;
        exs_ctx c;
        memset(&c, 0, sizeof c);
        c.scan = s;
        c.source = "correlation";
        uint64_t line = 0;
        if (x->disk_file[0]) {
            c.file = x->disk_file;
        } else if (x->written_file[0]) {
            c.file = x->written_file;
            line = x->written_line;
        } else {
            c.file = x->cmd_file;
            line = x->cmd_line;
        }
        exs_hit h;
        memset(&h, 0, sizeof h);
        h.rule = RULE(R_LINK_SHELL);
        h.verdict = EXS_VERDICT_EXPLOITATION;
        h.severity = EXS_SEV_CRITICAL;
        h.time_ms = t;
        h.line = line;
        h.path = exs_str_cstr(x->url);
        h.target = exs_str_cstr(x->url);
        char first_ip[64];
        snprintf(first_ip, sizeof first_ip, "%.*s", (int)strcspn(x->ips, ","), x->ips);
        h.ip = exs_str_cstr(first_ip);
        h.detail = exs_str_cstr(detail);
        exs_emit(&c, &h);
    }
out:
    free(sh);
    free(cmds);
}
