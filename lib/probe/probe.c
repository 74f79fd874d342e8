/* A saved scan read and classified (include/exsweep/probe.h): lines, targets folded, the
 * verdicts, the warnings. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/grow.h"
#include "core/limits.h"
#include "core/lines.h"
#include "core/strmap.h"
#include "exsweep/probe.h"
#include "probe/fold.h"
#include "probe/shadowserver.h"
#include "probe/verdict.h"
#include "probe/zgrab2.h"

typedef struct tgt {
    const char *key, *host, *name, *seen, *tag;
    unsigned port;
    uint64_t line;
    uint32_t records;
    xs_fingerprint fp;
    exs_probe_tls tls; /* live targets */
    exs_probe_net net;
    const exs_probe_shell *shells;
    size_t nshells;
    uint32_t shells_checked;
    exs_probe_active active[EXS_FAMILIES];
    int nactive;
    size_t order;      /* live targets: their place in the target list */
} tgt;

struct exs_probe {
    xs_arena a;
    tgt *t;
    size_t nt, capt;
    xs_strmap *map; /* key -> index + 1 */
    exs_probe_target *out;
    exs_probe_warning *w;
    size_t nw, capw;
    exs_probe_counts st;
    exs_probe_input kind;
    xs_zgrab2 *zg;
    xs_shadowserver *ss;
    bool header_seen, nomem;
    uint64_t cut_bodies;
    uint64_t nonblank, parsed; /* lines with content; ZGrab2 lines that were records */
};

static void vwarn(exs_probe *p, uint64_t line, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void vwarn(exs_probe *p, uint64_t line, const char *fmt, va_list ap)
{
    p->st.warnings++;
    if (p->nw >= XS_PROBE_MAX_WARNINGS)
        return;
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    const char *m = xs_arena_strdup(&p->a, buf);
    if (!m || !xs_grow((void **)&p->w, &p->capw, p->nw + 1, sizeof *p->w)) {
        p->nomem = true;
        return;
    }
    p->w[p->nw++] = (exs_probe_warning){line, m};
}

__attribute__((format(printf, 3, 4))) static void warn(exs_probe *p, uint64_t line,
                                                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(p, line, fmt, ap);
    va_end(ap);
}

void xs_probe_warn(exs_probe *p, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(p, line, fmt, ap);
    va_end(ap);
}

/* A copy of s cut to XS_PROBE_MAX_TEXT bytes, at a character. */
static const char *keep(exs_probe *p, xs_str s)
{
    size_t n = s.n;
    if (n > XS_PROBE_MAX_TEXT) {
        n = XS_PROBE_MAX_TEXT;
        while (n && ((unsigned char)s.p[n] & 0xC0) == 0x80)
            n--;
    }
    const char *c = xs_arena_strndup(&p->a, s.p ? s.p : "", s.p ? n : 0);
    if (!c)
        p->nomem = true;
    return c ? c : "";
}

static void add(exs_probe *p, const xs_probe_rec *r, uint64_t line)
{
    char key[XS_PROBE_MAX_HOST + 16], host[XS_PROBE_MAX_HOST + 1];
    const char *why;
    if (!xs_probe_target_key(r->host, r->port, key, sizeof key, host, sizeof host, &why)) {
        warn(p, line, "skipped: %s", why);
        return;
    }
    p->st.records++;
    if (r->fp.body_cut)
        p->cut_bodies++;
    void *at = xs_strmap_get(p->map, key);
    if (at) {
        tgt *t = &p->t[(uintptr_t)at - 1];
        xs_fp_merge(&t->fp, &r->fp);
        t->records++;
        if (!t->name[0] && r->name.n)
            t->name = keep(p, r->name);
        if (!t->tag[0] && r->tag.n)
            t->tag = keep(p, r->tag);
        return;
    }
    if (p->nt >= XS_PROBE_MAX_TARGETS) {
        warn(p, line, "skipped: more than %u targets, %s is not classified",
             (unsigned)XS_PROBE_MAX_TARGETS, key);
        p->st.records--;
        return;
    }
    if (!xs_grow((void **)&p->t, &p->capt, p->nt + 1, sizeof *p->t)) {
        p->nomem = true;
        return;
    }
    tgt *t = &p->t[p->nt];
    memset(t, 0, sizeof *t);
    t->key = xs_arena_strdup(&p->a, key);
    t->host = xs_arena_strdup(&p->a, host);
    t->name = keep(p, r->name);
    t->seen = keep(p, r->seen);
    t->tag = keep(p, r->tag);
    t->port = r->port;
    t->line = line;
    t->records = 1;
    t->fp = r->fp;
    if (!t->key || !t->host || !xs_strmap_put(p->map, t->key, (void *)(uintptr_t)(p->nt + 1), NULL)) {
        p->nomem = true;
        return;
    }
    p->nt++;
}

static void line_zgrab2(exs_probe *p, const char *s, size_t n, uint64_t line)
{
    xs_probe_rec recs[XS_PROBE_MAX_MODULES];
    size_t nr;
    const char *why = "", *note;
    if (xs_zgrab2_line(p->zg, s, n, recs, &nr, &p->st.no_response, &why, &note) < 0) {
        warn(p, line, "skipped: %s", why);
        return;
    }
    p->parsed++;
    if (note)
        warn(p, line, "%s", note);
    for (size_t i = 0; i < nr; i++)
        add(p, &recs[i], line);
}

static int line_shadowserver(exs_probe *p, const char *s, size_t n, uint64_t line,
                             char *err, size_t errlen)
{
    const char *why = "", *note;
    if (!p->header_seen) {
        if (xs_shadowserver_header(p->ss, s, n, &why) < 0) {
            snprintf(err, errlen, "line %llu: %s", (unsigned long long)line, why);
            return -1;
        }
        p->header_seen = true;
        return 0;
    }
    xs_probe_rec rec;
    if (xs_shadowserver_row(p->ss, s, n, &rec, &why, &note) < 0) {
        warn(p, line, "skipped: %s", why);
        return 0;
    }
    if (note)
        warn(p, line, "%s", note);
    add(p, &rec, line);
    return 0;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* One line (without its '\n'); -1 stops the read (err says why). */
static int one_line(exs_probe *p, const char *s, size_t n, uint64_t line, char *err,
                    size_t errlen)
{
    p->st.lines++;
    if (n && s[n - 1] == '\r')
        n--;
    if (blank(s, n))
        return 0;
    p->nonblank++;
    if (p->kind == EXS_PROBE_SHADOWSERVER)
        return line_shadowserver(p, s, n, line, err, errlen);
    line_zgrab2(p, s, n, line);
    return 0;
}

static void too_long(exs_probe *p, uint64_t line)
{
    p->st.lines++;
    p->nonblank++;
    warn(p, line, "skipped: a line longer than %u MiB", (unsigned)(XS_PROBE_MAX_LINE >> 20));
}

static exs_probe *create(exs_probe_input kind)
{
    exs_probe *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->kind = kind;
    p->map = xs_strmap_create();
    if (kind == EXS_PROBE_ZGRAB2)
        p->zg = xs_zgrab2_create();
    else if (kind == EXS_PROBE_SHADOWSERVER)
        p->ss = xs_shadowserver_create();
    if (!p->map || (kind != EXS_PROBE_LIVE && !p->zg && !p->ss)) {
        exs_probe_destroy(p);
        return NULL;
    }
    return p;
}

static void fam_copy(exs_probe *p, const xs_fverdict *v, xs_family f, exs_probe_family *o)
{
    o->family = xs_family_name(f);
    o->cves = xs_family_cves(f);
    o->state = v->state == XS_FS_PATCHED      ? EXS_EXPOSURE_PATCHED
               : v->state == XS_FS_VULNERABLE ? EXS_EXPOSURE_VULNERABLE
                                              : EXS_EXPOSURE_UNKNOWN;
    o->reason = keep(p, xs_str_fixed(v->reason, sizeof v->reason));
    o->fixed_by = v->fix ? v->fix->build : "";
}

/* The targets decided, the counts, the end of the read's own warnings. */
static exs_rc finish(exs_probe *p, const char *name, char *err, size_t errlen)
{
    if (p->kind == EXS_PROBE_SHADOWSERVER && !p->header_seen)
        return EXS_EFORMAT;
    if (p->kind == EXS_PROBE_ZGRAB2 && p->nonblank && !p->parsed) {
        /* not one record: another tool's output, not a scan with some bad lines */
        snprintf(err, errlen, "%s: no line is a ZGrab2 http record (%llu lines; line %llu: %s)",
                 name, (unsigned long long)p->nonblank,
                 p->nw ? (unsigned long long)p->w[0].line : 0ull,
                 p->nw ? p->w[0].message : "");
        return EXS_EFORMAT;
    }
    if (p->cut_bodies)
        warn(p, 0, "%llu response bodies longer than %u KiB: their first %u KiB were looked at",
             (unsigned long long)p->cut_bodies, (unsigned)(XS_PROBE_MAX_BODY >> 10),
             (unsigned)(XS_PROBE_MAX_BODY >> 10));
    p->out = calloc(p->nt ? p->nt : 1, sizeof *p->out);
    if (!p->out)
        return EXS_ENOMEM;
    for (size_t i = 0; i < p->nt; i++) {
        const tgt *t = &p->t[i];
        exs_probe_target *o = &p->out[i];
        xs_probe_verdict v;
        xs_probe_decide(&t->fp, &v);
        char bt[XS_BUILD_TEXT];
        *o = (exs_probe_target){
            .target = t->key, .host = t->host, .port = t->port, .name = t->name,
            .seen = t->seen, .tag = t->tag, .line = t->line, .records = t->records,
            .exchange = t->fp.exchange, .exchange_why = t->fp.why,
            .build = keep(p, xs_str_cstr(xs_build_text(&t->fp.build, bt))),
            .build_parts = t->fp.build.nparts, .build_from = xs_fp_src_name(t->fp.src),
            .product = v.product, .cu = v.cu, .update = v.update, .finding = v.finding,
            .tls = t->tls, .net = t->net, .shells = t->shells, .nshells = t->nshells,
            .shells_checked = t->shells_checked, .nactive = t->nactive,
        };
        memcpy(o->active, t->active, sizeof o->active);
        bool hit = false;
        for (int k = 0; k < o->nactive; k++)
            hit = hit || o->active[k].result == 1;
        if (hit) { /* an active check's sign is a finding, labelled as the check's */
            o->finding = 1;
            p->st.active_hits++;
        }
        if (o->nshells) { /* a possible backdoor is a finding whatever the build says */
            o->finding = 1;
            p->st.backdoors++;
        }
        for (int f = 0; f < EXS_FAMILIES; f++)
            fam_copy(p, &v.fam[f], (xs_family)f, &o->families[f]);
        p->st.targets++;
        p->st.exchange += o->exchange;
        p->st.findings += o->finding;
        bool vuln = false, unk = false;
        for (int f = 0; o->exchange && f < EXS_FAMILIES; f++) {
            vuln = vuln || o->families[f].state == EXS_EXPOSURE_VULNERABLE;
            unk = unk || o->families[f].state == EXS_EXPOSURE_UNKNOWN;
        }
        p->st.vulnerable += vuln;
        p->st.unknown += unk && !vuln;
    }
    return p->nomem ? EXS_ENOMEM : EXS_OK;
}

static exs_rc done(exs_probe *p, exs_rc rc, exs_probe **out, const char *name, char *err,
                   size_t errlen)
{
    if (rc == EXS_OK)
        rc = finish(p, name, err, errlen);
    if (rc == EXS_EFORMAT && !err[0])
        snprintf(err, errlen, "%s: no header line: not a Shadowserver scan_exchange CSV", name);
    else if (rc == EXS_ENOMEM && !err[0])
        snprintf(err, errlen, "%s: out of memory", name);
    if (rc != EXS_OK) {
        exs_probe_destroy(p);
        return rc;
    }
    *out = p;
    return EXS_OK;
}

exs_rc exs_probe_read_mem(exs_probe **out, exs_probe_input kind, const char *name,
                          const char *s, size_t n, char *err, size_t errlen)
{
    char dummy[8];
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    if (!out || (kind != EXS_PROBE_ZGRAB2 && kind != EXS_PROBE_SHADOWSERVER) || (!s && n))
        return EXS_EINVAL;
    *out = NULL;
    exs_probe *p = create(kind);
    if (!p)
        return EXS_ENOMEM;
    exs_rc rc = EXS_OK;
    uint64_t line = 0;
    char msg[512] = "";
    for (size_t at = 0; at < n && rc == EXS_OK;) {
        const char *nl = memchr(s + at, '\n', n - at);
        size_t end = nl ? (size_t)(nl - s) : n;
        line++;
        if (end - at >= XS_PROBE_MAX_LINE) /* as the file reader, whose buffer holds less */
            too_long(p, line);
        else if (one_line(p, s + at, end - at, line, msg, sizeof msg) < 0) {
            snprintf(err, errlen, "%s: %s", name, msg);
            rc = EXS_EFORMAT;
        }
        at = end + 1;
    }
    return done(p, rc, out, name, err, errlen);
}

exs_rc exs_probe_read(exs_probe **out, exs_probe_input kind, const char *path, char *err,
                      size_t errlen)
{
    char dummy[8];
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    if (!out || !path || (kind != EXS_PROBE_ZGRAB2 && kind != EXS_PROBE_SHADOWSERVER))
        return EXS_EINVAL;
    *out = NULL;
    const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return e == ENOENT ? EXS_ENOENT : e == EACCES ? EXS_EACCES : EXS_EIO;
    }
    exs_probe *p = create(kind);
    char *buf = malloc(XS_PROBE_MAX_LINE);
    exs_rc rc = p && buf ? EXS_OK : EXS_ENOMEM;
    xs_lines lines;
    xs_lines_init(&lines, fd, buf, XS_PROBE_MAX_LINE);
    char msg[512] = "";
    while (rc == EXS_OK) {
        char *s;
        size_t n;
        bool toolong;
        int k = xs_lines_next(&lines, &s, &n, &toolong);
        if (k < 0) {
            snprintf(err, errlen, "%s: %s", name, strerror(errno));
            rc = EXS_EIO;
        } else if (k == 0) {
            break;
        } else if (toolong) {
            too_long(p, lines.line);
        } else if (one_line(p, s, n, lines.line, msg, sizeof msg) < 0) {
            snprintf(err, errlen, "%s: %s", name, msg);
            rc = EXS_EFORMAT;
        }
    }
    free(buf);
    if (fd != STDIN_FILENO)
        close(fd);
    if (!p)
        return EXS_ENOMEM;
    return done(p, rc, out, name, err, errlen);
}

exs_probe *xs_probe_live_create(void)
{
    return create(EXS_PROBE_LIVE);
}

static const char *keep_c(exs_probe *p, const char *s)
{
    return keep(p, xs_str_cstr(s ? s : ""));
}

bool xs_probe_live_put(exs_probe *p, const xs_live_rec *r)
{
    void *at = xs_strmap_get(p->map, r->t->key);
    tgt *t;
    p->st.records += r->records;
    p->st.requests += r->net.requests;
    p->st.no_response += r->records ? 0 : 1;
    if (r->fp.body_cut)
        p->cut_bodies++;
    if (at) { /* the same target named twice reaches here only through a merge */
        t = &p->t[(uintptr_t)at - 1];
        xs_fp_merge(&t->fp, &r->fp);
        t->records += r->records;
        return !p->nomem;
    }
    if (!xs_grow((void **)&p->t, &p->capt, p->nt + 1, sizeof *p->t))
        return false;
    t = &p->t[p->nt];
    memset(t, 0, sizeof *t);
    t->key = xs_arena_strdup(&p->a, r->t->key);
    t->host = xs_arena_strdup(&p->a, r->t->host);
    t->name = "";
    t->tag = "";
    t->seen = keep_c(p, r->seen);
    t->port = r->t->port;
    t->line = r->t->line;
    t->records = r->records;
    t->fp = r->fp;
    t->net = r->net;
    t->order = r->order;
    t->tls.subject = keep_c(p, r->subject);
    t->tls.issuer = keep_c(p, r->issuer);
    t->tls.not_after = keep_c(p, r->not_after);
    t->shells_checked = r->shells_checked;
    memcpy(t->active, r->active, sizeof t->active);
    t->nactive = r->nactive;
    if (r->nshells) {
        exs_probe_shell *sh = xs_arena_alloc(&p->a, r->nshells * sizeof *sh);
        if (!sh)
            return false;
        memcpy(sh, r->shells, r->nshells * sizeof *sh);
        t->shells = sh;
        t->nshells = r->nshells;
    }
    if (r->nnames) {
        const char **nm = xs_arena_alloc(&p->a, r->nnames * sizeof *nm);
        if (!nm)
            return false;
        for (size_t i = 0; i < r->nnames; i++)
            nm[i] = keep_c(p, r->names[i]);
        t->tls.names = nm;
        t->tls.nnames = r->nnames;
    }
    if (!t->key || !t->host ||
        !xs_strmap_put(p->map, t->key, (void *)(uintptr_t)(p->nt + 1), NULL))
        return false;
    p->nt++;
    return !p->nomem;
}

static int by_order(const void *a, const void *b)
{
    size_t x = ((const tgt *)a)->order, y = ((const tgt *)b)->order;
    return x < y ? -1 : x > y;
}

exs_rc xs_probe_live_finish(exs_probe *p, uint64_t excluded, uint64_t repeated,
                            double seconds, uint64_t shell_paths, bool active)
{
    p->st.shell_paths = shell_paths;
    p->st.active = active;
    char err[8];
    if (p->nt > 1) /* in the order they were named, not the order they answered */
        qsort(p->t, p->nt, sizeof *p->t, by_order);
    p->st.excluded = excluded;
    p->st.repeated = repeated;
    p->st.seconds = seconds;
    return finish(p, "live", err, sizeof err);
}

exs_probe_input exs_probe_kind(const exs_probe *p)
{
    return p ? p->kind : EXS_PROBE_ZGRAB2;
}

const exs_probe_target *exs_probe_targets(const exs_probe *p, size_t *n)
{
    *n = p ? p->nt : 0;
    return p ? p->out : NULL;
}

const exs_probe_warning *exs_probe_warnings(const exs_probe *p, size_t *n)
{
    *n = p ? p->nw : 0;
    return p ? p->w : NULL;
}

const exs_probe_counts *exs_probe_stats(const exs_probe *p)
{
    return &p->st;
}

int exs_probe_format_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "text") == 0)
        return EXS_PROBE_TEXT;
    if (strcmp(s, "jsonl") == 0)
        return EXS_PROBE_JSONL;
    if (strcmp(s, "csv") == 0)
        return EXS_PROBE_CSV;
    return -1;
}

void exs_probe_destroy(exs_probe *p)
{
    if (!p)
        return;
    xs_zgrab2_destroy(p->zg);
    xs_shadowserver_destroy(p->ss);
    xs_strmap_destroy(p->map);
    free(p->t);
    free(p->w);
    free(p->out);
    xs_arena_free(&p->a);
    free(p);
}
