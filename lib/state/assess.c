/* The server's state record from the observations (assess.h). */
#include "state/assess.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/timeparse.h"
#include "state/buildtab.h"

int xs_state_finding_family(const exs_finding *f)
{
    const char *fam = f->rule ? f->rule->family : NULL;
    if (!fam)
        return -1;
    for (int i = 0; i < XS_FAM__N; i++)
        if (strcmp(fam, xs_family_name((xs_family)i)) == 0)
            return i;
    return strcmp(fam, "OWASSRF") == 0 ? XS_FAM_PROXYNOTSHELL : -1;
}

/* A build observation of root, by index into the store. */
typedef struct view {
    const xs_sbuild *b[XS_MAX_STATE_OBS];
    size_t n;
    const xs_snote *notes[XS_MAX_STATE_NOTES];
    size_t nnotes;
} view;

static const char *text(xs_arena *a, const char *s, bool *ok)
{
    const char *d = xs_arena_strdup(a, s ? s : "");
    if (!d)
        *ok = false;
    return d ? d : "";
}

static const char *bstr(xs_arena *a, const xs_build *b, bool *ok)
{
    char t[XS_BUILD_TEXT];
    return text(a, xs_build_text(b, t), ok);
}

/* Whether o ends later than the best so far (the build in force last). */
static bool later(const xs_sbuild *o, const xs_sbuild *best)
{
    if (o->o.last_ms != best->o.last_ms)
        return o->o.last_ms > best->o.last_ms; /* EXS_TIME_NONE is the smallest */
    return xs_build_cmp(&o->o.build, &best->o.build) > 0;
}

static bool is_log(xs_bsrc s)
{
    return s == XS_BSRC_LOGHEADER || s == XS_BSRC_LOGROW || s == XS_BSRC_ECPBLD;
}

/* Trust: the installed binary, the registry, the logs (together), the setup logs and a tool's
 * export, the owa folders. */
static const int rank[XS_BSRC__N] = {
    [XS_BSRC_EXSETUP] = 0, [XS_BSRC_REGISTRY] = 1, [XS_BSRC_LOGHEADER] = 2,
    [XS_BSRC_LOGROW] = 2,  [XS_BSRC_ECPBLD] = 2,   [XS_BSRC_SETUPLOG] = 3,
    [XS_BSRC_EXPORT] = 3,  [XS_BSRC_OWAFOLDER] = 4};

static int strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* The order sources are listed in: trust, source, build, file (the store's order depends on
 * the workers). */
static int source_cmp(const void *x, const void *y)
{
    const xs_sbuild *a = *(const xs_sbuild *const *)x, *b = *(const xs_sbuild *const *)y;
    if (rank[a->o.source] != rank[b->o.source])
        return rank[a->o.source] < rank[b->o.source] ? -1 : 1;
    if (a->o.source != b->o.source)
        return a->o.source < b->o.source ? -1 : 1;
    int c = xs_build_cmp(&a->o.build, &b->o.build);
    return c ? c : strcmp0(a->file, b->file);
}

static int note_cmp(const void *x, const void *y)
{
    const xs_snote *a = *(const xs_snote *const *)x, *b = *(const xs_snote *const *)y;
    if (a->o.kind != b->o.kind)
        return a->o.kind < b->o.kind ? -1 : 1;
    if (a->o.family != b->o.family)
        return a->o.family < b->o.family ? -1 : 1;
    int c = xs_build_cmp(&a->o.build, &b->o.build);
    if (c)
        return c;
    c = strcmp0(a->o.what, b->o.what);
    return c ? c : strcmp0(a->file, b->file);
}

/* The build now: the most trusted source's. */
static const xs_sbuild *current(const view *v)
{
    const xs_sbuild *best = NULL;
    for (size_t i = 0; i < v->n; i++) {
        const xs_sbuild *o = v->b[i];
        if (!best || rank[o->o.source] < rank[best->o.source]) {
            best = o;
            continue;
        }
        if (rank[o->o.source] > rank[best->o.source])
            continue;
        if (is_log(o->o.source) ? later(o, best)
                                : xs_build_cmp(&o->o.build, &best->o.build) > 0)
            best = o;
    }
    return best;
}

static int period_cmp(const void *x, const void *y)
{
    const exs_build_period *a = x, *b = y;
    if (a->from_ms != b->from_ms)
        return a->from_ms < b->from_ms ? -1 : 1;
    if (a->to_ms != b->to_ms)
        return a->to_ms < b->to_ms ? -1 : 1;
    return strcmp(a->build, b->build);
}

/* Log periods: one per distinct 4-part build the logs show, with its time window. */
static bool periods(const view *v, xs_arena *a, exs_server *out, xs_build *pb)
{
    bool ok = true;
    size_t n = 0;
    exs_build_period *p = xs_arena_alloc(a, (v->n ? v->n : 1) * sizeof *p);
    if (!p)
        return false;
    for (size_t i = 0; i < v->n; i++) {
        const xs_sbuild *o = v->b[i];
        if (!is_log(o->o.source) || o->o.build.nparts != 4 || o->o.first_ms == EXS_TIME_NONE)
            continue;
        size_t j = 0;
        while (j < n && xs_build_cmp(&pb[j], &o->o.build) != 0)
            j++;
        if (j == n) {
            pb[n] = o->o.build;
            p[n++] = (exs_build_period){bstr(a, &o->o.build, &ok), o->o.first_ms, o->o.last_ms};
        } else {
            xs_time_span_add(&p[j].from_ms, &p[j].to_ms, o->o.first_ms);
            xs_time_span_add(&p[j].from_ms, &p[j].to_ms, o->o.last_ms);
        }
    }
    /* sort periods and their builds together */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && period_cmp(&p[j - 1], &p[j]) > 0; j--) {
            exs_build_period t = p[j];
            p[j] = p[j - 1];
            p[j - 1] = t;
            xs_build tb = pb[j];
            pb[j] = pb[j - 1];
            pb[j - 1] = tb;
        }
    out->periods = p;
    out->nperiods = n;
    return ok;
}

/* The KB number in an update note's text ("KB5000871 ..."), 0 when none. */
static unsigned long note_kb(const char *what)
{
    const char *k = strstr(what, "KB");
    return k ? strtoul(k + 2, NULL, 10) : 0;
}

/* The row of an update the note names, for the server's CU. */
static const xs_build_row *note_row(const xs_snote *n, const xs_build *now)
{
    if (n->o.build.nparts == 4) /* an update of another CU is not this server's */
        return !now || xs_build_same_cu(&n->o.build, now) ? xs_build_find(&n->o.build) : NULL;
    unsigned long kb = note_kb(n->o.what);
    if (!kb || !now)
        return NULL;
    size_t nrows;
    const xs_build_row *rows = xs_buildtab(&nrows);
    for (size_t i = 0; i < nrows; i++) {
        xs_build b;
        if (rows[i].kb[0] && strtoul(rows[i].kb + 2, NULL, 10) == kb &&
            xs_build_parse(rows[i].build, strlen(rows[i].build), false, &b) &&
            xs_build_same_cu(&b, now))
            return &rows[i];
    }
    return NULL;
}

static bool notes(const view *v, const xs_build *now, xs_arena *a, exs_server *out)
{
    bool ok = true;
    exs_state_note *ns = xs_arena_alloc(a, (v->nnotes ? v->nnotes : 1) * sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i < v->nnotes; i++) {
        const xs_snote *n = v->notes[i];
        const xs_build_row *row = n->o.kind == XS_NOTE_UPDATE ? note_row(n, now) : NULL;
        ns[i] = (exs_state_note){
            .kind = xs_nkind_name(n->o.kind),
            .family = n->o.family >= 0 ? xs_family_name((xs_family)n->o.family) : "",
            .what = text(a, n->o.what, &ok),
            .build = row ? row->build : n->o.build.nparts ? bstr(a, &n->o.build, &ok) : "",
            .file = text(a, n->file, &ok),
            .line = n->o.line,
            .time_ms = n->o.time_ms,
        };
    }
    out->notes = ns;
    out->nnotes = v->nnotes;
    return ok;
}

/* When the fix for f went on: the first log row under a fixed build that follows one under a
 * vulnerable build, else the install time of an update that brings the fix, else, when an
 * earlier build was vulnerable, the earliest of the Setup run that installed a fixed build and
 * the modification time of the ExSetup.exe that holds one. */
static int64_t fixed_when(const view *v, const exs_server *out, const xs_build *pb,
                          xs_family f, const xs_build *now, const char **how)
{
    bool vuln_before = false;
    for (size_t i = 0; i < out->nperiods; i++) {
        xs_fverdict fv;
        xs_build_family(&pb[i], f, &fv);
        if (fv.state == XS_FS_VULNERABLE)
            vuln_before = true;
        else if (fv.state == XS_FS_PATCHED && vuln_before) {
            *how = "the first log row under the fixed build";
            return out->periods[i].from_ms;
        }
    }
    int64_t best = EXS_TIME_NONE;
    /* an update counts only when the CU itself lacked the fix (the bits are cumulative) */
    const xs_build_row *cu = now ? xs_build_cu(now) : NULL;
    for (size_t i = 0; i < v->nnotes && !(cu && (cu->fixed & (1u << f))); i++) {
        const xs_snote *n = v->notes[i];
        const xs_build_row *row = n->o.kind == XS_NOTE_UPDATE ? note_row(n, now) : NULL;
        if (row && (row->fixed & (1u << f)) && n->o.time_ms != EXS_TIME_NONE &&
            (best == EXS_TIME_NONE || n->o.time_ms < best)) {
            best = n->o.time_ms;
            *how = "the install date of the update";
        }
    }
    if (best != EXS_TIME_NONE)
        return best;
    for (size_t i = 0; i < v->n; i++) {
        xs_fverdict fv;
        xs_build_family(&v->b[i]->o.build, f, &fv);
        if (fv.state == XS_FS_VULNERABLE)
            vuln_before = true;
    }
    for (size_t i = 0; vuln_before && i < v->n; i++) {
        const xs_sbuild *o = v->b[i];
        xs_fverdict fv;
        xs_build_family(&o->o.build, f, &fv);
        if ((o->o.source == XS_BSRC_EXSETUP || o->o.source == XS_BSRC_SETUPLOG) &&
            fv.state == XS_FS_PATCHED && o->o.first_ms != EXS_TIME_NONE &&
            (best == EXS_TIME_NONE || o->o.first_ms < best)) {
            best = o->o.first_ms;
            *how = o->o.source == XS_BSRC_SETUPLOG ? "the Setup run that installed the fixed build"
                                                   : "the modification time of ExSetup.exe";
        }
    }
    return best;
}

void xs_state_exploited(const exs_finding *fs, size_t n, uint32_t nroots,
                         int64_t (*out)[EXS_FAMILIES])
{
    for (uint32_t r = 0; r < nroots; r++)
        for (int f = 0; f < EXS_FAMILIES; f++)
            out[r][f] = EXS_TIME_NONE;
    for (size_t i = 0; i < n; i++) {
        int f = xs_state_finding_family(&fs[i]);
        uint32_t r = fs[i].origin.root;
        if (f < 0 || r >= nroots || fs[i].verdict != EXS_VERDICT_EXPLOITATION ||
            fs[i].time_ms == EXS_TIME_NONE)
            continue;
        if (out[r][f] == EXS_TIME_NONE || fs[i].time_ms < out[r][f])
            out[r][f] = fs[i].time_ms;
    }
}

/* The mitigation note for f, the earliest in place, or NULL. */
static const xs_snote *mitigation(const view *v, xs_family f)
{
    const xs_snote *m = NULL;
    for (size_t i = 0; i < v->nnotes; i++) {
        const xs_snote *n = v->notes[i];
        if (n->o.kind == XS_NOTE_MITIGATION && n->o.family == (int)f &&
            (!m || (n->o.time_ms != EXS_TIME_NONE &&
                    (m->o.time_ms == EXS_TIME_NONE || n->o.time_ms < m->o.time_ms))))
            m = n;
    }
    return m;
}

/* ProxyShell on a build with April 2021's update but not May's: CVE-2021-34473 and -34523 are
 * fixed, CVE-2021-31207 is not. */
static bool proxyshell_april(const xs_build *b)
{
    size_t n;
    const xs_build_row *rows = xs_buildtab(&n);
    for (size_t i = 0; i < n; i++) {
        xs_build r;
        if (strncmp(rows[i].update, "Apr21SU", 7) == 0 &&
            xs_build_parse(rows[i].build, strlen(rows[i].build), false, &r) &&
            xs_build_same_cu(&r, b) && b->nparts == 4 && xs_build_cmp(b, &r) >= 0)
            return true;
    }
    return false;
}

static bool family(const view *v, const xs_sbuild *now, const xs_build *pb,
                   const int64_t *exploited, xs_family f, xs_arena *a, exs_server *out)
{
    bool ok = true;
    exs_family_state *st = &out->families[f];
    char reason[512], src[256];
    st->family = xs_family_name(f);
    st->cves = xs_family_cves(f);
    st->open_cves = "";
    st->fixed_by = "";
    st->fixed_ms = EXS_TIME_NONE;
    st->exploited_ms = exploited ? exploited[f] : EXS_TIME_NONE;
    st->exposed_ms = -1;
    st->state = EXS_EXPOSURE_UNKNOWN;
    src[0] = '\0';
    if (!now) {
        snprintf(reason, sizeof reason, "no source in the evidence tells the build");
    } else {
        xs_fverdict fv;
        xs_build_family(&now->o.build, f, &fv);
        snprintf(src, sizeof src, "%s", xs_bsrc_name(now->o.source));
        snprintf(reason, sizeof reason, "%s", fv.reason);
        if (fv.fix)
            st->fixed_by = fv.fix->build;
        if (fv.state == XS_FS_PATCHED) {
            st->state = EXS_EXPOSURE_PATCHED;
            const char *how = "";
            st->fixed_ms = fixed_when(v, out, pb, f, &now->o.build, &how);
            if (st->fixed_ms != EXS_TIME_NONE && how[0]) {
                size_t l = strlen(src);
                snprintf(src + l, sizeof src - l, ", fixed at %s", how);
            }
        } else if (fv.state == XS_FS_VULNERABLE) {
            st->open_cves = f == XS_FAM_PROXYSHELL && proxyshell_april(&now->o.build)
                                ? "CVE-2021-31207"
                                : st->cves;
            const xs_snote *m = mitigation(v, f);
            if (m && f == XS_FAM_PROXYNOTSHELL) {
                /* the Autodiscover rule blocks CVE-2022-41040's path; OWASSRF (CVE-2022-41080)
                 * reaches the same PowerShell through /owa/ and was made to get around it */
                st->state = EXS_EXPOSURE_VULNERABLE;
                size_t l = strlen(reason);
                snprintf(reason + l, sizeof reason - l,
                         "; %s (%s) blocks the Autodiscover path only, not OWASSRF's through /owa/",
                         m->o.what, m->file);
            } else if (m) {
                st->state = EXS_EXPOSURE_MITIGATED;
                size_t l = strlen(reason);
                snprintf(reason + l, sizeof reason - l, "; mitigated by %s (%s)", m->o.what,
                         m->file);
                l = strlen(src);
                snprintf(src + l, sizeof src - l, ", %s", m->file);
            } else {
                st->state = EXS_EXPOSURE_VULNERABLE;
            }
        }
    }
    if (st->fixed_ms != EXS_TIME_NONE && st->exploited_ms != EXS_TIME_NONE &&
        st->fixed_ms > st->exploited_ms)
        st->exposed_ms = st->fixed_ms - st->exploited_ms;
    st->reason = text(a, reason, &ok);
    st->sources = text(a, src, &ok);
    return ok;
}

bool xs_state_assess(const xs_state *stt, uint32_t root, const int64_t *exploited,
                      xs_arena *a, exs_server *out)
{
    view v; /* 3 KiB of pointers */
    v.n = v.nnotes = 0;
    memset(out, 0, sizeof *out);
    out->root = root;
    if (stt) {
        size_t nb, nn;
        const xs_sbuild *bs = xs_state_root_builds(stt, root, &nb);
        const xs_snote *ns = xs_state_root_notes(stt, root, &nn);
        for (size_t i = 0; i < nb && v.n < XS_MAX_STATE_OBS; i++)
            v.b[v.n++] = &bs[i];
        for (size_t i = 0; i < nn && v.nnotes < XS_MAX_STATE_NOTES; i++)
            v.notes[v.nnotes++] = &ns[i];
        qsort(v.b, v.n, sizeof v.b[0], source_cmp);
        qsort(v.notes, v.nnotes, sizeof v.notes[0], note_cmp);
    }
    bool ok = true;
    exs_build_source *srcs = xs_arena_alloc(a, (v.n ? v.n : 1) * sizeof *srcs);
    xs_build *pb = xs_arena_alloc(a, (v.n ? v.n : 1) * sizeof *pb);
    if (!srcs || !pb)
        return false;
    for (size_t i = 0; i < v.n; i++) {
        const xs_sbuild *o = v.b[i];
        srcs[i] = (exs_build_source){xs_bsrc_name(o->o.source), bstr(a, &o->o.build, &ok),
                                     text(a, o->file, &ok), o->o.line, o->files,
                                     o->o.first_ms, o->o.last_ms, text(a, o->o.detail, &ok)};
    }
    out->sources = srcs;
    out->nsources = v.n;
    const xs_sbuild *now = current(&v);
    /* The Setup key names the CU; security updates do not rewrite it, they are Uninstall
     * entries of their own (EOMT reads the KBs for that reason): the build is then the
     * highest update of the CU installed. */
    xs_sbuild upd;
    if (now && now->o.source == XS_BSRC_REGISTRY) {
        const xs_snote *best = NULL;
        xs_build bb = now->o.build;
        for (size_t i = 0; i < v.nnotes; i++) {
            const xs_build_row *row = v.notes[i]->o.kind == XS_NOTE_UPDATE
                                          ? note_row(v.notes[i], &now->o.build)
                                          : NULL;
            xs_build rb;
            if (row && xs_build_parse(row->build, strlen(row->build), false, &rb) &&
                xs_build_cmp(&rb, &bb) > 0) {
                bb = rb;
                best = v.notes[i];
            }
        }
        if (best) {
            upd = *now;
            upd.o.build = bb;
            upd.o.first_ms = best->o.time_ms;
            upd.o.detail = best->o.what;
            upd.file = best->file;
            now = &upd;
        }
    }
    ok = periods(&v, a, out, pb) && ok;
    ok = notes(&v, now ? &now->o.build : NULL, a, out) && ok;
    out->build = out->product = out->cu = out->update = out->build_source = "";
    out->why_unknown = "";
    if (now) {
        out->build = bstr(a, &now->o.build, &ok);
        out->build_source = now == &upd ? "registry (Setup key and installed updates)"
                                         : xs_bsrc_name(now->o.source);
        const xs_build_row *row = xs_build_find(&now->o.build);
        const xs_build_row *cu = row ? row : xs_build_cu(&now->o.build);
        if (cu) {
            out->product = cu->product;
            out->cu = cu->cu;
            out->update = row ? row->update : "";
        }
    } else {
        out->why_unknown = "no ExSetup.exe, SOFTWARE hive, setup log, Exchange log header or "
                           "owa\\auth build folder in the evidence names the build";
    }
    for (int f = 0; f < XS_FAM__N; f++)
        ok = family(&v, now, pb, exploited, (xs_family)f, a, out) && ok;
    /* builds of another product as trusted as the one chosen: the root holds more than one
     * server's evidence (a DAG's logs together, exports of several servers): no verdict */
    for (size_t i = 0; now && i < v.n; i++) {
        const xs_sbuild *o = v.b[i];
        if (rank[o->o.source] != rank[now->o.source] ||
            (o->o.build.part[0] == now->o.build.part[0] &&
             o->o.build.part[1] == now->o.build.part[1]))
            continue;
        char why[512], t1[XS_BUILD_TEXT], t2[XS_BUILD_TEXT];
        snprintf(why, sizeof why,
                 "the evidence holds builds of different products as trustworthy as each other "
                 "(%s in %s, %s in %s): sweep each server as its own root",
                 xs_build_text(&now->o.build, t1), now->file, xs_build_text(&o->o.build, t2),
                 o->file);
        const char *w = text(a, why, &ok);
        for (int f = 0; f < XS_FAM__N; f++) {
            out->families[f].state = EXS_EXPOSURE_UNKNOWN;
            out->families[f].reason = w;
            out->families[f].open_cves = "";
            out->families[f].fixed_ms = EXS_TIME_NONE;
            out->families[f].exposed_ms = -1;
        }
        break;
    }
    return ok;
}
