/* Words of findings. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/memstream.h"
#include "core/escape.h"
#include "core/str.h"
#include "report/render.h"

const char *xs_render_base(const char *path)
{
    const char *b = path;
    for (const char *p = path; p && *p; p++)
        if (*p == '\\' || *p == '/')
            b = p + 1;
    return b ? b : "";
}

/* Friendlier names for the facts a reader meets most; the rest print as "key value". */
static const struct {
    const char *key, *label;
} labels[] = {
    {"web_folder", "in"},
    {"lookalike_of", "look-alike of"},
    {"published_name", "a published web-shell name:"},
    {"ssrf_host", "routed to"},
    {"ssrf_path", "back-end path"},
    {"backend_server", "served by"},
    {"ecp_canary", "ECP canary"},
    {"keyword", "keyword"},
    {"dump_tool", "by"},
    {"dump_process", "of"},
    {"dump_pid", "pid"},
    {"threat_name", "threat"},
    {"threat_action", "action"},
    {"ioc_list", "listed in"},
    {"ioc_note", "noted"},
    {"created", "created"},
    {"created_by", "by"},
    {"commands", "worker processes meanwhile:"},
    {"commands_first_command_line", "first:"},
    {"reported_because", "reported because"},
};

static const char *label_of(const char *key)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].key, key) == 0)
            return labels[i].label;
    return NULL;
}

/* The words did not fit in buf: the end says so ("…", on a UTF-8 character boundary). */
static size_t mark_cut(char *buf, size_t cap, size_t o)
{
    static const char ell[] = "\xe2\x80\xa6"; /* U+2026 */
    if (cap < sizeof ell)
        return o;
    size_t at = o + sizeof ell <= cap ? o : cap - sizeof ell;
    while (at > 0 && ((unsigned char)buf[at] & 0xc0) == 0x80)
        at--;
    memcpy(buf + at, ell, sizeof ell);
    return at + sizeof ell - 1;
}

size_t xs_render_words(const exs_finding *f, char *buf, size_t cap)
{
    size_t o = 0;
    bool whole = true;
    buf[0] = 0;
#define ADD(...) (whole &= xs_appendf(buf, cap, &o, __VA_ARGS__))
    ADD("%s", f->reason ? f->reason : f->rule->name);
    const char *sep = ": ";
#define PART(...)                                                                                  \
    do {                                                                                           \
        ADD("%s", sep);                                                                            \
        ADD(__VA_ARGS__);                                                                          \
        sep = "; ";                                                                                \
    } while (0)
    if (f->process) {
        const exs_process_facts *p = f->process;
        const char *what = p->command_line ? p->command_line : p->executable;
        if (what || p->target_executable) {
            PART("%s", what ? what : "a process");
            if (p->target_executable)
                ADD(" on %s", xs_render_base(p->target_executable));
            if (p->parent_executable)
                ADD(" (parent %s)", xs_render_base(p->parent_executable));
        }
        if (p->user)
            PART("user %s", p->user);
        if (p->pid >= 0)
            PART("pid %" PRId64, p->pid);
    }
    if (f->cmdlet) {
        const exs_cmdlet_facts *c = f->cmdlet;
        PART("%s%s%s", c->name ? c->name : "cmdlet", c->parameters ? " " : "",
             c->parameters ? c->parameters : "");
        if (c->user)
            ADD(" (by %s)", c->user);
        if (c->failed)
            ADD(", which failed");
    }
    if (f->file) {
        const exs_file_facts *x = f->file;
        bool self = f->origin.kind && strcmp(f->origin.kind, "file") == 0;
        if (x->path && !self)
            PART("file %s", x->path);
        if (x->url)
            PART("served as %s%s%s%s", x->url, x->site ? " (" : "", x->site ? x->site : "",
                 x->site ? ")" : "");
    }
    if (f->target)
        PART("target %s", f->target);
    /* requests: one phrase instead of seven facts */
    const char *nreq = exs_finding_fact(f, "requests");
    for (size_t i = 0; i < f->nfacts; i++) {
        const char *k = f->facts[i].key, *v = f->facts[i].value;
        if (strncmp(k, "requests", 8) == 0)
            continue;
        const char *l = label_of(k);
        if (l)
            PART("%s %s", l, v);
        else
            PART("%s %s", k, v);
    }
    if (nreq) {
        const char *ok = exs_finding_fact(f, "requests_answered");
        const char *a = exs_finding_fact(f, "requests_first");
        const char *b = exs_finding_fact(f, "requests_last");
        const char *cl = exs_finding_fact(f, "requests_clients");
        if (strcmp(nreq, "0") == 0) {
            PART("no request to it in the logs read");
        } else {
            PART("used: %s request%s (%s answered with success)", nreq,
                 strcmp(nreq, "1") == 0 ? "" : "s", ok ? ok : "0");
            if (a && b)
                ADD(", first %s, last %s", a, b);
            if (cl)
                ADD(", clients %s", cl);
        }
    }
    if (f->event) {
        const exs_event_facts *e = f->event;
        if (e->id || e->provider)
            PART("event %u%s%s", (unsigned)e->id, e->provider ? " of " : "",
                 e->provider ? e->provider : "");
        if (e->recovered)
            PART("a record recovered from free space or a damaged chunk (outside the live "
                 "records)");
    }
#undef PART
#undef ADD
    return whole ? o : mark_cut(buf, cap, o);
}

size_t xs_render_where(const exs_results *r, const exs_finding *f, bool pos, char *buf,
                        size_t cap)
{
    size_t o = 0, nroots;
    buf[0] = 0;
    const exs_root_info *roots = exs_results_sweep(r)->roots;
    nroots = exs_results_sweep(r)->nroots;
    if (nroots > 1 && f->origin.root < nroots)
        xs_appendf(buf, cap, &o, "%s/", roots[f->origin.root].label);
    xs_appendf(buf, cap, &o, "%s", f->origin.path);
    for (size_t i = 0; i < f->origin.nmembers; i++)
        xs_appendf(buf, cap, &o, "!/%s", f->origin.members[i]);
    if (pos && f->origin.line)
        xs_appendf(buf, cap, &o, ":%llu", (unsigned long long)f->origin.line);
    else if (pos && f->origin.record)
        xs_appendf(buf, cap, &o, "#%llu", (unsigned long long)f->origin.record);
    return o;
}

const char *xs_render_verdict_text(exs_verdict worst)
{
    switch (worst) {
    case EXS_VERDICT_EXPLOITATION: return "COMPROMISED - evidence of exploitation or a backdoor";
    case EXS_VERDICT_SUSPICIOUS: return "SUSPICIOUS - activity that needs a closer look";
    case EXS_VERDICT_ATTEMPT: return "ATTACKED - exploitation attempts, none seen to succeed";
    case EXS_VERDICT_PROBE: return "PROBED - vulnerability scans only";
    }
    return "NO FINDINGS - in the evidence read (check the coverage below)";
}

exs_verdict xs_count_worst(const exs_count *c)
{
    for (int v = EXS_VERDICT__MAX; v >= EXS_VERDICT_PROBE; v--)
        if (c->by_verdict[v])
            return (exs_verdict)v;
    return 0;
}

int xs_count_cmp_client(const void *pa, const void *pb)
{
    const exs_count *a = *(const exs_count *const *)pa, *b = *(const exs_count *const *)pb;
    exs_verdict wa = xs_count_worst(a), wb = xs_count_worst(b);
    if (wa != wb)
        return wa > wb ? -1 : 1;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->key, b->key);
}

bool xs_render_loopback(const char *a)
{
    return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0;
}

static void wrap_pieces(FILE *o, size_t indent, size_t *col, const char *first, va_list ap)
{
    if (indent > XS_TEXT_WIDTH / 2) /* a line keeps at least half the width for its text */
        indent = XS_TEXT_WIDTH / 2;
    char *buf = NULL;
    size_t len = 0;
    va_list again;
    va_copy(again, ap);
    FILE *m = xs_memopen(&buf, &len);
    if (m) {
        for (const char *p = first; p; p = va_arg(ap, const char *))
            xs_esc_term(m, p, strlen(p), 0);
        (void)xs_memclose(m, &buf); /* NULL when it failed */
    }
    if (!buf) { /* no room to wrap: the whole text on one line */
        for (const char *p = first; p; p = va_arg(again, const char *))
            *col += xs_esc_term(o, p, strlen(p), 0);
        va_end(again);
        return;
    }
    va_end(again);
    /* buf is valid UTF-8 without controls: code points are columns. Word by word: a word
     * that would pass the width starts a new line, one longer than a line is split. */
    size_t i = 0, spaces = 0; /* spaces wait for the word after them: none ends a line */
    while (i < len) {
        if (buf[i] == ' ') {
            spaces++;
            i++;
            continue;
        }
        size_t j = i, cols = 0;
        while (j < len && buf[j] != ' ') {
            j++;
            while (j < len && ((unsigned char)buf[j] & 0xC0) == 0x80)
                j++;
            cols++;
        }
        if (*col + spaces + cols > XS_TEXT_WIDTH && *col > indent) {
            fprintf(o, "\n%*s", (int)indent, "");
            *col = indent;
        } else {
            fprintf(o, "%*s", (int)spaces, "");
            *col += spaces;
        }
        spaces = 0;
        while (cols && *col + cols > XS_TEXT_WIDTH) {
            size_t room = *col < XS_TEXT_WIDTH ? XS_TEXT_WIDTH - *col : 1, k = i;
            if (room > cols)
                room = cols;
            for (size_t c = 0; c < room && k < j; c++) {
                k++;
                while (k < j && ((unsigned char)buf[k] & 0xC0) == 0x80)
                    k++;
            }
            fwrite(buf + i, 1, k - i, o);
            cols -= room;
            i = k;
            fprintf(o, "\n%*s", (int)indent, "");
            *col = indent;
        }
        fwrite(buf + i, 1, j - i, o);
        *col += cols;
        i = j;
    }
    if (spaces && *col + spaces < XS_TEXT_WIDTH) { /* before the next call's first word */
        fprintf(o, "%*s", (int)spaces, "");
        *col += spaces;
    }
    free(buf);
}

void xs_render_wrapv(FILE *o, size_t indent, size_t *col, ...)
{
    va_list ap;
    va_start(ap, col);
    const char *first = va_arg(ap, const char *);
    if (first)
        wrap_pieces(o, indent, col, first, ap);
    va_end(ap);
}

void xs_render_wrap(FILE *o, const char *s, size_t indent, size_t *col)
{
    xs_render_wrapv(o, indent, col, s, (const char *)NULL);
}
