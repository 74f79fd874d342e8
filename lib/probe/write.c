/* The probe's records in text, JSON lines and CSV (exs_probe_write), every string escaped
 * for where it goes: the terminal (core/escape.h xs_esc_term), JSON, CSV. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/str.h"
#include "exsweep/probe.h"

static void term(FILE *f, const char *s)
{
    xs_esc_term(f, s, strlen(s), 0);
}

static void jstr(FILE *f, const char *k, const char *v, bool comma)
{
    fprintf(f, "%s\"%s\":\"", comma ? "," : "", k);
    xs_esc_json(f, v, strlen(v));
    fputc('"', f);
}

static void jnum(FILE *f, const char *k, unsigned long long v)
{
    fprintf(f, ",\"%s\":%llu", k, v);
}

/* The error counts of a live target, "2 timeout, 1 reset"; false when there are none. */
typedef struct netcount {
    const char *name;
    uint32_t n;
} netcount;

static size_t net_counts(const exs_probe_net *n, netcount *c)
{
    const netcount all[] = {
        {"timeout", n->timeout},       {"refused", n->refused},
        {"reset", n->reset},           {"tls", n->tls},
        {"protocol", n->protocol},     {"dns", n->dns},
        {"excluded", n->excluded},     {"too_large", n->too_large},
        {"other", n->other},           {"redirect_other_host", n->redirect_other_host},
        {"redirect_limit", n->redirect_limit}, {"not_sent", n->not_sent},
    };
    size_t k = 0;
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        c[k++] = all[i];
    return k;
}

static void text_live(FILE *f, const exs_probe_target *t)
{
    if (t->tls.subject[0] || t->tls.issuer[0]) {
        fputs("    tls            subject ", f);
        term(f, t->tls.subject);
        fputs(", issuer ", f);
        term(f, t->tls.issuer);
        if (t->tls.nnames) {
            fputs(", names ", f);
            for (size_t i = 0; i < t->tls.nnames; i++) {
                if (i)
                    fputc(' ', f);
                term(f, t->tls.names[i]);
            }
        }
        fputs(", not after ", f);
        term(f, t->tls.not_after);
        fputc('\n', f);
    }
    netcount c[16];
    size_t k = net_counts(&t->net, c);
    bool any = false;
    for (size_t i = 0; i < k; i++) {
        if (!c[i].n)
            continue;
        fprintf(f, "%s%s %u", any ? ", " : "    requests       ", c[i].name, c[i].n);
        any = true;
    }
    if (any)
        fprintf(f, " (%u sent, %u answered)\n", t->net.requests, t->net.responses);
    for (int i = 0; i < t->nactive; i++) {
        const exs_probe_active *a = &t->active[i];
        fprintf(f, "    active check   %-14s %s: ", a->family,
                a->result == 1 ? "sign seen" : a->result == 0 ? "not seen" : "no answer");
        term(f, a->evidence);
        fputs(" (", f);
        term(f, a->check);
        fputs(")\n", f);
    }
    for (size_t i = 0; i < t->nshells; i++) {
        const exs_probe_shell *sh = &t->shells[i];
        fputs("    possible shell ", f);
        term(f, sh->path);
        fprintf(f, " answers %ld (%llu bytes) where a name that is not there answers %ld "
                   "(%llu bytes)\n",
                sh->status, (unsigned long long)sh->bytes, sh->base_status,
                (unsigned long long)sh->base_bytes);
    }
}

static void text_target(FILE *f, const exs_probe_target *t, bool live)
{
    term(f, t->target);
    if (t->name[0]) {
        fputs(" (", f);
        term(f, t->name);
        fputc(')', f);
    }
    if (!t->exchange) {
        fputs("  not Exchange (", f);
        term(f, t->exchange_why);
        fputs(")\n", f);
        if (live)
            text_live(f, t);
        return;
    }
    fputs("  Exchange", f);
    if (!t->build[0]) {
        fputs(", no build (", f);
        term(f, t->exchange_why);
        fputs(")\n", f);
    } else {
        fputs("  ", f);
        term(f, t->build);
        fputs(" from ", f);
        term(f, t->build_from);
        if (t->product[0]) {
            fputs("  ", f);
            term(f, t->product);
            fputc(' ', f);
            term(f, t->cu);
            if (t->update[0]) {
                fputs(", ", f);
                term(f, t->update);
            }
        }
        if (t->build_parts == 3)
            fputs(", update level unknown", f);
        fputc('\n', f);
    }
    for (int i = 0; i < EXS_FAMILIES; i++) {
        const exs_probe_family *fm = &t->families[i];
        fprintf(f, "    %-14s %-10s ", fm->family, exs_exposure_name(fm->state));
        term(f, fm->reason);
        fputc('\n', f);
    }
    if (live)
        text_live(f, t);
}

/* "1 target", "2 targets" */
static void count(FILE *f, uint64_t n, const char *one, const char *many)
{
    fprintf(f, "%llu %s", (unsigned long long)n, n == 1 ? one : many);
}

static void counts_line(FILE *f, const exs_probe_counts *s, bool live)
{
    count(f, s->targets, "target", "targets");
    if (live)
        fprintf(f, " in %.1f s", s->seconds);
    fprintf(f, ": %llu Exchange (%llu vulnerable, %llu unknown), %llu not Exchange; ",
            (unsigned long long)s->exchange, (unsigned long long)s->vulnerable,
            (unsigned long long)s->unknown, (unsigned long long)(s->targets - s->exchange));
    if (live) {
        count(f, s->requests, "request", "requests");
        fputs(", ", f);
        count(f, s->records, "response", "responses");
        fputs(" fingerprinted, ", f);
        count(f, s->no_response, "target", "targets");
        fputs(" without a response, ", f);
        count(f, s->excluded, "target", "targets");
        fputs(" excluded, ", f);
        if (s->shell_paths) {
            count(f, s->backdoors, "target", "targets");
            fputs(" with a possible backdoor, ", f);
        }
        if (s->active) {
            count(f, s->active_hits, "target", "targets");
            fputs(" where an active check saw its sign, ", f);
        }
    } else {
        count(f, s->records, "record", "records");
        fputs(" read, ", f);
        count(f, s->no_response, "result", "results");
        fputs(" without a response, ", f);
    }
    count(f, s->warnings, "warning", "warnings");
    fputc('\n', f);
}

static void write_text(const exs_probe *p, FILE *f)
{
    size_t n, nw;
    const exs_probe_target *t = exs_probe_targets(p, &n);
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    bool live = exs_probe_kind(p) == EXS_PROBE_LIVE;
    for (size_t i = 0; i < n; i++)
        text_target(f, &t[i], live);
    if (n)
        fputc('\n', f);
    counts_line(f, exs_probe_stats(p), live);
    for (size_t i = 0; i < nw; i++) {
        if (w[i].line)
            fprintf(f, "  line %llu: ", (unsigned long long)w[i].line);
        else
            fputs("  ", f);
        term(f, w[i].message);
        fputc('\n', f);
    }
    if (exs_probe_stats(p)->warnings > nw)
        fprintf(f, "  (%llu more warnings counted, not kept)\n",
                (unsigned long long)(exs_probe_stats(p)->warnings - nw));
}

static void json_live(FILE *f, const exs_probe_target *t, bool shells, bool active)
{
    fputs(",\"tls\":{", f);
    jstr(f, "subject", t->tls.subject, false);
    jstr(f, "issuer", t->tls.issuer, true);
    fputs(",\"names\":[", f);
    for (size_t i = 0; i < t->tls.nnames; i++) {
        fputs(i ? ",\"" : "\"", f);
        xs_esc_json(f, t->tls.names[i], strlen(t->tls.names[i]));
        fputc('"', f);
    }
    fputc(']', f);
    jstr(f, "not_after", t->tls.not_after, true);
    fprintf(f, "},\"requests\":%u,\"responses\":%u,\"errors\":{", t->net.requests,
            t->net.responses);
    netcount c[16];
    size_t k = net_counts(&t->net, c);
    for (size_t i = 0; i < k; i++)
        fprintf(f, "%s\"%s\":%u", i ? "," : "", c[i].name, c[i].n);
    fputc('}', f);
    if (active) {
        fputs(",\"active\":[", f);
        for (int i = 0; i < t->nactive; i++) {
            const exs_probe_active *a = &t->active[i];
            fputs(i ? ",{" : "{", f);
            jstr(f, "family", a->family, false);
            jstr(f, "check", a->check, true);
            jstr(f, "result", a->result == 1 ? "sign seen" : a->result == 0 ? "not seen"
                                                                           : "no answer",
                 true);
            jstr(f, "evidence", a->evidence, true);
            fputc('}', f);
        }
        fputc(']', f);
    }
    if (!shells)
        return;
    fprintf(f, ",\"shells_checked\":%u,\"possible_backdoors\":[", t->shells_checked);
    for (size_t i = 0; i < t->nshells; i++) {
        const exs_probe_shell *sh = &t->shells[i];
        fputs(i ? ",{" : "{", f);
        jstr(f, "path", sh->path, false);
        fprintf(f, ",\"status\":%ld,\"bytes\":%llu,\"baseline_status\":%ld,"
                   "\"baseline_bytes\":%llu}",
                sh->status, (unsigned long long)sh->bytes, sh->base_status,
                (unsigned long long)sh->base_bytes);
    }
    fputc(']', f);
}

static void write_jsonl(const exs_probe *p, FILE *f)
{
    bool live = exs_probe_kind(p) == EXS_PROBE_LIVE;
    size_t n, nw;
    const exs_probe_target *t = exs_probe_targets(p, &n);
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    const exs_probe_counts *s = exs_probe_stats(p);
    for (size_t i = 0; i < n; i++) {
        fputs("{\"exsweep.record\":\"probe\"", f);
        jstr(f, "target", t[i].target, true);
        jstr(f, "host", t[i].host, true);
        jnum(f, "port", t[i].port);
        jstr(f, "name", t[i].name, true);
        jstr(f, "seen", t[i].seen, true);
        jstr(f, "tag", t[i].tag, true);
        jnum(f, "line", t[i].line);
        jnum(f, "records", t[i].records);
        fprintf(f, ",\"exchange\":%s", t[i].exchange ? "true" : "false");
        jstr(f, "exchange_why", t[i].exchange_why, true);
        jstr(f, "build", t[i].build, true);
        jnum(f, "build_parts", (unsigned)t[i].build_parts);
        jstr(f, "build_from", t[i].build_from, true);
        jstr(f, "product", t[i].product, true);
        jstr(f, "cu", t[i].cu, true);
        jstr(f, "update", t[i].update, true);
        fprintf(f, ",\"finding\":%s,\"families\":[", t[i].finding ? "true" : "false");
        for (int k = 0; t[i].exchange && k < EXS_FAMILIES; k++) {
            const exs_probe_family *fm = &t[i].families[k];
            fputs(k ? ",{" : "{", f);
            jstr(f, "family", fm->family, false);
            jstr(f, "cves", fm->cves, true);
            jstr(f, "state", exs_exposure_name(fm->state), true);
            jstr(f, "reason", fm->reason, true);
            jstr(f, "fixed_by", fm->fixed_by, true);
            fputc('}', f);
        }
        fputc(']', f);
        if (live)
            json_live(f, &t[i], s->shell_paths > 0, s->active > 0);
        fputs("}\n", f);
    }
    for (size_t i = 0; i < nw; i++) {
        fprintf(f, "{\"exsweep.record\":\"warning\",\"line\":%llu", (unsigned long long)w[i].line);
        jstr(f, "message", w[i].message, true);
        fputs("}\n", f);
    }
    fputs("{\"exsweep.record\":\"summary\"", f);
    jnum(f, "lines", s->lines);
    jnum(f, "records", s->records);
    jnum(f, "no_response", s->no_response);
    jnum(f, "targets", s->targets);
    jnum(f, "exchange", s->exchange);
    jnum(f, "vulnerable", s->vulnerable);
    jnum(f, "unknown", s->unknown);
    jnum(f, "findings", s->findings);
    jnum(f, "warnings", s->warnings);
    if (live) {
        jnum(f, "requests", s->requests);
        jnum(f, "excluded", s->excluded);
        jnum(f, "repeated", s->repeated);
        if (s->shell_paths) {
            jnum(f, "shell_paths", s->shell_paths);
            jnum(f, "backdoors", s->backdoors);
        }
        if (s->active)
            jnum(f, "active_hits", s->active_hits);
    }
    fputs("}\n", f);
}

static void cfield(FILE *f, const char *s, bool last)
{
    xs_esc_csv(f, s, strlen(s));
    fputc(last ? '\n' : ',', f);
}

/* names joined by spaces into buf: when one does not fit whole, "..." stands in its place and
 * ends the list, so that no name is cut (32 names of 253 bytes pass any buffer's size). */
static void join_names(char *buf, size_t cap, const char *const *names, size_t n)
{
    static const char more[] = " ...";
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(names[i]) + (i ? 1 : 0);
        if (o + k + (i + 1 < n ? sizeof more - 1 : 0) >= cap) { /* room for the mark after */
            xs_appendf(buf, cap, &o, "%s", i ? more : more + 1);
            return;
        }
        xs_appendf(buf, cap, &o, "%s%s", i ? " " : "", names[i]);
    }
}

/* The live columns: names space-separated, errors "timeout=2 reset=1". */
static void csv_live(FILE *f, const exs_probe_target *t, bool shells, bool active)
{
    cfield(f, t->tls.subject, false);
    cfield(f, t->tls.issuer, false);
    char buf[4096];
    join_names(buf, sizeof buf, t->tls.names, t->tls.nnames);
    cfield(f, buf, false);
    cfield(f, t->tls.not_after, false);
    fprintf(f, "%u,%u,", t->net.requests, t->net.responses);
    netcount c[16];
    size_t k = net_counts(&t->net, c);
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++)
        if (c[i].n)
            xs_appendf(buf, sizeof buf, &o, "%s%s=%u", o ? " " : "", c[i].name, c[i].n);
    cfield(f, buf, !shells && !active);
    if (shells) {
        o = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < t->nshells; i++)
            xs_appendf(buf, sizeof buf, &o, "%s%s", i ? " " : "", t->shells[i].path);
        cfield(f, buf, !active);
    }
    if (active) { /* the families whose active check saw its sign */
        o = 0;
        buf[0] = '\0';
        for (int i = 0; i < t->nactive; i++)
            if (t->active[i].result == 1)
                xs_appendf(buf, sizeof buf, &o, "%s%s", o ? " " : "", t->active[i].family);
        cfield(f, buf, true);
    }
}

static void write_csv(const exs_probe *p, FILE *f)
{
    size_t n;
    const exs_probe_target *t = exs_probe_targets(p, &n);
    fputs("target,host,port,name,seen,tag,exchange,exchange_why,build,build_from,product,cu,"
          "update,proxylogon,proxylogon_reason,proxyshell,proxyshell_reason,proxynotshell,"
          "proxynotshell_reason,finding",
          f);
    bool live = exs_probe_kind(p) == EXS_PROBE_LIVE;
    bool shells = live && exs_probe_stats(p)->shell_paths;
    fputs(live ? ",tls_subject,tls_issuer,tls_names,tls_not_after,requests,responses,errors"
               : "",
          f);
    bool active = live && exs_probe_stats(p)->active;
    fputs(shells ? ",possible_backdoors" : "", f);
    fputs(active ? ",active_signs\n" : "\n", f);
    for (size_t i = 0; i < n; i++) {
        char port[8];
        snprintf(port, sizeof port, "%u", t[i].port);
        cfield(f, t[i].target, false);
        cfield(f, t[i].host, false);
        cfield(f, port, false);
        cfield(f, t[i].name, false);
        cfield(f, t[i].seen, false);
        cfield(f, t[i].tag, false);
        cfield(f, t[i].exchange ? "yes" : "no", false);
        cfield(f, t[i].exchange_why, false);
        cfield(f, t[i].build, false);
        cfield(f, t[i].build_from, false);
        cfield(f, t[i].product, false);
        cfield(f, t[i].cu, false);
        cfield(f, t[i].update, false);
        for (int k = 0; k < EXS_FAMILIES; k++) {
            const exs_probe_family *fm = &t[i].families[k];
            cfield(f, t[i].exchange ? exs_exposure_name(fm->state) : "", false);
            cfield(f, t[i].exchange ? fm->reason : "", false);
        }
        cfield(f, t[i].finding ? "yes" : "no", !live);
        if (live)
            csv_live(f, &t[i], shells, active);
    }
}

exs_rc exs_probe_write(const exs_probe *p, FILE *f, exs_probe_format fmt)
{
    if (!p || !f)
        return EXS_EINVAL;
    switch (fmt) {
    case EXS_PROBE_TEXT: write_text(p, f); break;
    case EXS_PROBE_JSONL: write_jsonl(p, f); break;
    case EXS_PROBE_CSV: write_csv(p, f); break;
    default: return EXS_EINVAL;
    }
    return ferror(f) ? EXS_EIO : EXS_OK;
}
