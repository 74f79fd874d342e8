/* The checks of one file: name and location (catalogue 3.1-3.3), attributes, indicators
 * (3.5, 4), page structure (3.4: PST/DER/junk before the directive), dumps, staging, notes,
 * remediation traces (5), IIS configuration, registry hives (detectors/registry.c), ASP.NET
 * compilation records, the YARA rule sets, and the installed build from ExSetup.exe
 * (exsetup.c: state, not findings). Each check reads only what it needs: the name, the first
 * bytes, or the whole content when the size policy kept it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "core/limits.h"
#include "core/timeparse.h"
#include "detectors/registry.h"
#include "detectors/rules.h"
#include "parsers/apphost.h"
#include "parsers/minidump.h"
#include "parsers/msert.h"
#include "parsers/script.h"
#include "detectors/scriptflow.h"
#include "scan/files_int.h"
#include "sources/magic.h"

/* The bytes a content check may look at: everything when kept, else the head. */
static xs_str content(const xs_fctx *c)
{
    if (c->data)
        return xs_str_make((const char *)c->data, c->data_n);
    return xs_str_make((const char *)c->head, c->head_n);
}

static bool has_comp(const char *norm, const char *comp)
{
    size_t n = strlen(comp);
    for (const char *p = strstr(norm, comp); p; p = strstr(p + 1, comp))
        if ((p == norm || p[-1] == '/') && p[n] == '/')
            return true;
    return false;
}

/* A hit on this file (the file is its subject: the record fills the file group). */
static void fh_init(xs_hit *h, const exs_rule *rule, exs_verdict v, exs_severity sev,
                    const char *reason)
{
    xs_hit_init(h, rule, v, sev, EXS_TIME_NONE);
    h->reason = reason;
}

/* ---------------------------------------------------------------- name and location */

static const char *folder_desc(const xs_webloc *l, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s%s", l->name, l->site ? " (" : "", l->site ? l->site : "",
             l->site ? ")" : "");
    return buf;
}

static void check_name(xs_fctx *c)
{
    const xs_webloc *l = &c->loc;
    if (!xs_web_has_allowlist(l->folder) || !xs_web_exchange_folder(l->folder))
        return;
    bool script = xs_web_script_ext(c->base, strlen(c->base));
    bool known = xs_web_known_shell_name(c->base);
    if ((!script && !known) || xs_web_allowlisted(l, c->base))
        return;
    const char *look = xs_web_lookalike(c->base);
    exs_verdict v = EXS_VERDICT_SUSPICIOUS;
    exs_severity sev = EXS_SEV_HIGH;
    if (look || known) {
        v = EXS_VERDICT_EXPLOITATION;
    } else if (l->folder == XS_WF_FRONTEND) {
        sev = EXS_SEV_MEDIUM;
    }
    char where[160];
    xs_hit h;
    fh_init(&h, &xs_rule_table[R_FILE_WS_NONDEFAULT], v, sev,
            script ? "a script a default install does not have in this folder"
                   : "a file a default install does not have in this folder");
    xs_hit_fact_cstr(&h, "web_folder", folder_desc(l, where, sizeof where));
    xs_hit_fact_cstr(&h, "lookalike_of", look);
    if (known)
        xs_hit_fact_cstr(&h, "published_name", "yes");
    if (l->folder == XS_WF_ASPNET_CLIENT)
        xs_fhit_add_exchange(c, &h);
    else
        xs_fhit_add(c, &h);
}

/* ---------------------------------------------------------------- attributes */

/* Windows attributes from the image's extended attributes, or -1 when none is carried:
 * ntfs-3g "system.ntfs_attrib" (32-bit, host order) and "system.ntfs_attrib_be", the ntfs3
 * driver's "system.dos_attrib" (8-bit), Samba's "user.DOSATTRIB" ("0x22" text form). */
static long dos_attributes(int fd)
{
    unsigned char b[64];
    ssize_t n = fgetxattr(fd, "system.ntfs_attrib", b, sizeof b);
    if (n == 4)
        return (long)((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                      (uint32_t)b[3] << 24);
    n = fgetxattr(fd, "system.ntfs_attrib_be", b, sizeof b);
    if (n == 4)
        return (long)((uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 |
                      (uint32_t)b[0] << 24);
    n = fgetxattr(fd, "system.dos_attrib", b, sizeof b);
    if (n == 1)
        return b[0];
    n = fgetxattr(fd, "user.DOSATTRIB", b, sizeof b - 1);
    if (n >= 3 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')) {
        long v = 0;
        for (ssize_t i = 2; i < n && b[i]; i++) {
            int d = b[i] >= '0' && b[i] <= '9'   ? b[i] - '0'
                    : b[i] >= 'a' && b[i] <= 'f' ? b[i] - 'a' + 10
                    : b[i] >= 'A' && b[i] <= 'F' ? b[i] - 'A' + 10
                                                 : -1;
            if (d < 0 || v > 0xFFFFFFF)
                break;
            v = v * 16 + d;
        }
        return v;
    }
    return -1;
}

static void check_attributes(xs_fctx *c)
{
    if (c->meta->fd < 0 || c->loc.folder == XS_WF_NONE ||
        !xs_web_script_ext(c->base, strlen(c->base)))
        return;
    long a = dos_attributes(c->meta->fd);
    if (a < 0 || !(a & 0x6))
        return;
    char where[160];
    bool nondefault = xs_web_exchange_folder(c->loc.folder) && xs_web_has_allowlist(c->loc.folder) &&
                      !xs_web_allowlisted(&c->loc, c->base);
    xs_hit h;
    fh_init(&h, &xs_rule_table[R_FILE_WS_HIDDEN],
            nondefault ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
            "a hidden or system script in a web folder");
    /* the file's own attributes: its record (created by the hit below) carries them */
    snprintf(c->attributes, sizeof c->attributes, "%s",
             (a & 6) == 6 ? "hidden,system" : (a & 2) ? "hidden" : "system");
    xs_hit_fact_cstr(&h, "web_folder", folder_desc(&c->loc, where, sizeof where));
    if (c->loc.folder == XS_WF_ASPNET_CLIENT)
        xs_fhit_add_exchange(c, &h);
    else
        xs_fhit_add(c, &h);
}

/* ---------------------------------------------------------------- indicators */

/* A hit for indicator x: which list and line, what the list says of it. */
static void ioc_hit(xs_fctx *c, const exs_rule *rule, const xs_ioc *x, const char *reason,
                    const char *what, int score, size_t matched)
{
    xs_hit h;
    fh_init(&h, rule, x->verdict, x->severity, reason);
    xs_hit_fact_cstr(&h, "ioc_kind", what);
    xs_hit_fact_cstr(&h, "ioc_list", x->source);
    if (x->line)
        xs_hit_fact_u64(&h, "ioc_line", x->line);
    xs_hit_fact_cstr(&h, "ioc_note", x->note);
    if (score >= 0)
        xs_hit_fact_u64(&h, "ioc_score", (uint64_t)score);
    if (matched > 1)
        xs_hit_fact_u64(&h, "ioc_matched", matched);
    h.target = xs_str_cstr(x->value);
    xs_fhit_add(c, &h);
}

static void check_iocs(xs_fctx *c)
{
    const xs_iocset *set = c->files->iocs;
    /* one finding for the strongest digest that is listed */
    const struct {
        const char *name, *hex;
    } digests[] = {{"SHA-256", c->sha256}, {"SHA-1", c->sha1}, {"MD5", c->md5}};
    for (size_t i = 0; i < sizeof digests / sizeof digests[0]; i++) {
        const xs_ioc *x = xs_iocset_hash(set, digests[i].hex);
        if (x) {
            ioc_hit(c, &xs_rule_table[R_FILE_HASH_IOC], x, "the file's digest is in an IOC list",
                    digests[i].name, -1, 1);
            break;
        }
    }
    const xs_ioc *p = xs_iocset_path(set, c->norm);
    if (p && !p->default_name) {
        ioc_hit(c, &xs_rule_table[R_FILE_PATH_IOC], p, "the file's path is in an IOC list",
                "path", -1, 1);
    } else if (c->iocre) {
        /* Loki/THOR filename IOCs: one finding, for the best-scored expression */
        char win[XS_MAX_PATH * 2 + 4];
        size_t k;
        xs_ioc_winpath(c->norm, c->display, win, sizeof win);
        const xs_ioc *r = xs_iocset_path_regex(set, c->iocre, win, &k);
        if (r)
            ioc_hit(c, &xs_rule_table[R_FILE_PATH_IOC], r,
                    "the file's path matches a filename expression of an IOC list",
                    "filename expression", r->score, k);
    }
}

/* ---------------------------------------------------------------- page structure */

static bool has_page_directive(xs_str s)
{
    return xs_str_ifind(s, "page language=") >= 0 || xs_str_ifind(s, "page  language=") >= 0 ||
           xs_str_ifind(s, "<%@ page") >= 0 || xs_str_ifind(s, "<%@page") >= 0;
}

static void check_structure(xs_fctx *c)
{
    if (c->head_n < 8 || c->loglike)
        return;
    xs_str body = content(c);
    const unsigned char *h = c->head;
    bool pst = memcmp(h, "!BDN", 4) == 0, der = h[0] == 0x30 && h[1] == 0x82;
    if (!pst && !der) {
        /* Generic: a non-printable byte among the first 8 (tab, CR, LF and a UTF-8 BOM are
         * fine) in a file that is not a known container, with a page directive. */
        size_t i = (h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) ? 3 : 0;
        bool junk = false;
        for (; i < 8; i++)
            if ((h[i] < 0x20 && h[i] != '\t' && h[i] != '\r' && h[i] != '\n') || h[i] == 0x7F)
                junk = true;
        if (!junk || xs_magic_is_container(h, c->head_n) || body.n > 512 * 1024)
            return;
    }
    if (!has_page_directive(body) || xs_str_ifind(body, "language=\"java\"") >= 0)
        return;
    bool web = c->loc.folder != XS_WF_NONE;
    long at = xs_str_ifind(body, "language=");
    xs_str ev =
        at >= 0 ? xs_str_make(body.p + at, body.n - (size_t)at < 160 ? body.n - (size_t)at : 160)
                : XS_STR_NULL;
    xs_hit x;
    if (pst)
        fh_init(&x, &xs_rule_table[R_FILE_WS_PST], EXS_VERDICT_EXPLOITATION,
                web ? EXS_SEV_CRITICAL : EXS_SEV_HIGH,
                web ? "a PST header (!BDN) with an ASP.NET page directive inside, in a web folder"
                    : "a PST header (!BDN) with an ASP.NET page directive inside");
    else if (der)
        fh_init(&x, &xs_rule_table[R_FILE_WS_DER], EXS_VERDICT_EXPLOITATION,
                web ? EXS_SEV_CRITICAL : EXS_SEV_HIGH,
                web ? "a DER certificate-request header (30 82) with an ASP.NET page directive "
                      "inside, in a web folder"
                    : "a DER certificate-request header (30 82) with an ASP.NET page directive "
                      "inside");
    else
        fh_init(&x, &xs_rule_table[R_FILE_WS_JUNK],
                web ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                web ? "binary bytes in the first 8, then an ASP.NET page directive, in a web "
                      "folder"
                    : "binary bytes in the first 8, then an ASP.NET page directive");
    x.evidence = ev;
    xs_fhit_add(c, &x);
}

/* ---------------------------------------------------------------- dumps, staging, notes */

typedef struct seek_reader {
    const xs_input *in;
} seek_reader;

static long input_readat(void *ctx, uint64_t off, void *buf, size_t n)
{
    seek_reader *r = ctx;
    if (!r->in->seek || r->in->seek(r->in->ctx, (long long)off, SEEK_SET) < 0)
        return -1;
    size_t got = 0;
    while (got < n) {
        long k = r->in->read(r->in->ctx, (char *)buf + got, n - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    return (long)got;
}

static bool dump_name_lsass(const char *base)
{
    return strncmp(base, "lsass", 5) == 0 && strstr(base, ".dmp") != NULL;
}

static bool odd_dump_place(const xs_fctx *c)
{
    const char *n = c->norm;
    if (has_comp(n, "wer") || has_comp(n, "minidump") || has_comp(n, "crashdumps") ||
        has_comp(n, "livekerneldumps"))
        return false; /* Windows Error Reporting and crash-dump folders */
    return c->loc.folder != XS_WF_NONE || has_comp(n, "temp") || has_comp(n, "tmp") ||
           has_comp(n, "programdata") || has_comp(n, "root") || has_comp(n, "public") ||
           strchr(c->display, '/') == NULL;
}

static void check_dump(xs_fctx *c)
{
    bool mdmp = c->head_n >= 4 && memcmp(c->head, "MDMP", 4) == 0;
    bool named = dump_name_lsass(c->base);
    if (!mdmp && !named)
        return;
    xs_minidump md;
    memset(&md, 0, sizeof md);
    if (mdmp) {
        if (c->data) {
            xs_membuf mb = {c->data, c->data_n};
            xs_minidump_parse(xs_membuf_readat, &mb, &md);
        } else if (c->raw && c->raw->seek) {
            seek_reader r = {c->raw};
            xs_minidump_parse(input_readat, &r, &md);
        } else {
            xs_membuf mb = {c->head, c->head_n};
            xs_minidump_parse(xs_membuf_readat, &mb, &md);
        }
    }
    int64_t t = md.valid ? md.time_ms : EXS_TIME_NONE;
    xs_hit h;
    if (md.valid && md.lsass) {
        fh_init(&h, &xs_rule_table[R_FILE_LSASS_DUMP], EXS_VERDICT_EXPLOITATION,
                EXS_SEV_CRITICAL, "a minidump of lsass.exe");
    } else if (named && !(md.valid && md.process[0])) {
        fh_init(&h, &xs_rule_table[R_FILE_LSASS_DUMP],
                mdmp ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                mdmp ? "a minidump named like an LSASS dump (its module list could not be read)"
                     : "a file named like an LSASS dump (not a minidump as it is: compressed or "
                       "encrypted?)");
    } else if (md.valid && (named || odd_dump_place(c))) {
        fh_init(&h, &xs_rule_table[R_FILE_MINIDUMP], EXS_VERDICT_SUSPICIOUS,
                named ? EXS_SEV_HIGH : EXS_SEV_MEDIUM,
                named ? "a minidump named like an LSASS dump that holds another process"
                      : "a minidump outside the crash-dump folders");
    } else {
        return;
    }
    h.time_ms = t;
    if (md.valid) {
        xs_hit_fact_cstr(&h, "dump_process", md.process[0] ? md.process : NULL);
        if (md.pid)
            xs_hit_fact_u64(&h, "dump_pid", md.pid);
        if (md.full_memory)
            xs_hit_fact_cstr(&h, "dump_full_memory", "yes");
        xs_hit_fact_time(&h, "dump_taken", md.time_ms);
    }
    xs_fhit_add(c, &h);
}

static void check_staging(xs_fctx *c)
{
    static const char *const exts[] = {".zip", ".7z", ".rar", ".pst", ".cab"};
    bool arch = false;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcmp(c->ext, exts[i]) == 0)
            arch = true;
    if (!arch || !has_comp(c->norm, "programdata"))
        return;
    xs_hit h;
    fh_init(&h, &xs_rule_table[R_FILE_STAGING], EXS_VERDICT_SUSPICIOUS, EXS_SEV_MEDIUM,
            "an archive under ProgramData");
    xs_hit_fact_cstr(&h, "file_type", xs_magic_type(c->head, c->head_n));
    xs_fhit_add_deferred(c, &h);
}

static void check_ransomware(xs_fctx *c)
{
    if (c->head_n >= 8 && memcmp(c->head, "DEARCRY!", 8) == 0)
        xs_files_add_dearcry(c->files, c->display, &c->where, c->meta->mtime_ms);
    if (strcmp(c->base, "decrypt_file.txt") == 0) {
        xs_hit h;
        fh_init(&h, &xs_rule_table[R_FILE_RANSOM_NOTE], EXS_VERDICT_EXPLOITATION,
                EXS_SEV_CRITICAL, "the Black Kingdom ransom note name (decrypt_file.TxT)");
        h.evidence = xs_str_make((const char *)c->head, c->head_n < 200 ? c->head_n : 200);
        xs_fhit_add(c, &h);
    }
}

/* ---------------------------------------------------------------- remediation traces */

typedef struct msert_ctx {
    xs_fctx *c;
    unsigned runs, threats;
    int64_t last_run;
    char version[120];
} msert_ctx;

static bool exchange_threat(xs_str name)
{
    static const char *const fam[] = {"exmann",        "chopper",    "secchecker", "webshell",
                                      "twoface",       "doejocrypt", "dumplsass",  "cve-2021-",
                                      "iisexchg",      "suspexchg",  "hafnium",    "sportsball",
                                      "simpleseesharp"};
    for (size_t i = 0; i < sizeof fam / sizeof fam[0]; i++)
        if (xs_str_ifind(name, fam[i]) >= 0)
            return true;
    return false;
}

static void on_msert(void *ctx, const xs_msert_event *e)
{
    msert_ctx *m = ctx;
    if (e->kind == XS_MSERT_RUN) {
        m->runs++;
        if (e->time_ms != EXS_TIME_NONE)
            m->last_run = e->time_ms;
        snprintf(m->version, sizeof m->version, "%.*s",
                 (int)(e->version.n < 100 ? e->version.n : 100), e->version.p ? e->version.p : "");
        return;
    }
    m->threats++;
    char path[600];
    snprintf(path, sizeof path, "%.*s", (int)(e->path.n < 500 ? e->path.n : 500),
             e->path.p ? e->path.p : "");
    bool ex = exchange_threat(e->threat);
    xs_hit h;
    fh_init(&h, &xs_rule_table[R_FILE_MSERT], ex ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS,
            EXS_SEV_HIGH, ex ? "MSERT detected an Exchange-era threat" : "MSERT detected a threat");
    /* the run's start, in server time (msert.log writes local time) */
    h.time_ms = e->time_ms;
    xs_hit_fact(&h, "scanner", e->scan.n ? e->scan : XS_LIT("MSERT"));
    xs_hit_fact(&h, "threat_name", e->threat);
    xs_hit_fact(&h, "threat_action", e->action);
    xs_hit_fact_cstr(&h, "threat_path", path);
    xs_hit_fact_cstr(&h, "time_zone", "server");
    h.evidence = e->threat;
    /* one finding per detection: its line in the log, the threat and the path as its key
     * (a log may list the same threat many times, each with no path) */
    h.line = e->line;
    char idkey[720];
    snprintf(idkey, sizeof idkey, "%.*s|%s", (int)(e->threat.n < 200 ? e->threat.n : 200),
             e->threat.p ? e->threat.p : "", path);
    h.key = xs_str_cstr(idkey);
    xs_fhit_add(m->c, &h);
    if (path[0]) {
        char key[1024];
        xs_ioc_path_key(path, key, sizeof key);
        xs_webloc w;
        xs_webloc_of(key, &w);
        if (w.url[0]) {
            char what[300];
            snprintf(what, sizeof what, "MSERT reported %.*s (%.*s)",
                     (int)(e->threat.n < 120 ? e->threat.n : 120), e->threat.p,
                     (int)(e->action.n < 60 ? e->action.n : 60), e->action.n ? e->action.p : "");
            xs_files_add_hint(m->c->files, m->c->where.root, w.url, what);
        }
    }
}

static void check_remediation(xs_fctx *c)
{
    if (strcmp(c->base, "msert.log") == 0 || strcmp(c->base, "msert.old.log") == 0) {
        xs_str body = content(c);
        msert_ctx m = {c, 0, 0, EXS_TIME_NONE, ""};
        xs_msert_parse((const unsigned char *)body.p, body.n, on_msert, &m);
        if (m.runs && !m.threats) {
            xs_hit h;
            fh_init(&h, &xs_rule_table[R_FILE_MSERT], EXS_VERDICT_SUSPICIOUS, EXS_SEV_LOW,
                    c->data ? "MSERT ran and detected nothing"
                            : "MSERT ran and detected nothing in the part read");
            h.time_ms = m.last_run;
            xs_hit_fact_u64(&h, "runs", m.runs);
            xs_hit_fact_cstr(&h, "scanner_version", m.version);
            xs_hit_fact_cstr(&h, "time_zone", "server");
            xs_fhit_add(c, &h);
        }
        return;
    }
    static const char *const eomt[] = {"eomt.log", "eomtsummary.txt", "eomtv2.log",
                                       "eomtv2summary.txt"};
    for (size_t i = 0; i < sizeof eomt / sizeof eomt[0]; i++) {
        if (strcmp(c->base, eomt[i]) != 0)
            continue;
        /* The summary's first lines say what it found; quote them as evidence. */
        xs_str body = xs_str_make((const char *)c->head, c->head_n < 400 ? c->head_n : 400);
        xs_hit h;
        fh_init(&h, &xs_rule_table[R_FILE_EOMT], EXS_VERDICT_SUSPICIOUS, EXS_SEV_LOW,
                i < 2 ? "EOMT ran on this server (its log or summary)"
                      : "EOMTv2 ran on this server (its log or summary)");
        h.evidence = body;
        xs_fhit_add(c, &h);
    }
}

/* ---------------------------------------------------------------- IIS configuration */

typedef struct vdir_ctx {
    xs_fctx *c;
    xs_str body;
} vdir_ctx;

static const char *const proxyshell_dirs[] = {"com", "com1", "con", "aux",
                                              "who", "xyz",  "zoo", "zing"};

static void on_vdir(void *ctx, const xs_vdir_item *v)
{
    vdir_ctx *vc = ctx;
    xs_fctx *c = vc->c;
    char site[128];
    snprintf(site, sizeof site, "%.*s", (int)(v->site.n < 120 ? v->site.n : 120),
             v->site.p ? v->site.p : "");
    xs_files_add_vdir(c->files, c->where.root, c->display, site, v->url, v->physical);
    char key[1024];
    xs_ioc_path_key(v->physical, key, sizeof key);
    const char *under = NULL;
    if (strncmp(key, "/programdata/", 13) == 0 || strcmp(key, "/programdata") == 0)
        under = "ProgramData";
    else if (strncmp(key, "/users/", 7) == 0)
        under = "Users";
    else if (strncmp(key, "/windows/temp", 13) == 0 || strncmp(key, "/temp/", 6) == 0 ||
             strcmp(key, "/temp") == 0 || strncmp(key, "/perflogs", 9) == 0)
        under = "a temporary folder";
    if (!under)
        return;
    bool drop = false;
    const char *leaf = strncmp(key, "/programdata/", 13) == 0       ? key + 13
                       : strncmp(key, "/users/all users/", 17) == 0 ? key + 17
                                                                    : NULL;
    for (size_t i = 0; leaf && i < sizeof proxyshell_dirs / sizeof proxyshell_dirs[0]; i++) {
        size_t n = strlen(proxyshell_dirs[i]);
        if (strncmp(leaf, proxyshell_dirs[i], n) == 0 && (leaf[n] == 0 || leaf[n] == '/'))
            drop = true;
    }
    xs_str ev = XS_STR_NULL;
    if (v->tag_end > v->tag_start && v->tag_end <= vc->body.n)
        ev = xs_str_make(vc->body.p + v->tag_start, v->tag_end - v->tag_start);
    xs_hit h;
    fh_init(&h, &xs_rule_table[R_FILE_IIS_VDIR],
            drop || strcmp(under, "ProgramData") == 0 ? EXS_VERDICT_EXPLOITATION
                                                      : EXS_VERDICT_SUSPICIOUS,
            drop ? EXS_SEV_CRITICAL : EXS_SEV_HIGH,
            drop ? "a virtual directory served from a ProxyShell drop folder"
                 : "a virtual directory served from outside the web roots");
    xs_hit_fact_cstr(&h, "vdir_site", site);
    xs_hit_fact_cstr(&h, "vdir_url", v->url);
    xs_hit_fact_cstr(&h, "vdir_physical", v->physical);
    xs_hit_fact_cstr(&h, "vdir_under", under);
    h.key = xs_str_cstr(v->url);
    h.target = xs_str_cstr(v->url);
    h.evidence = ev;
    xs_fhit_add(c, &h);
}

static void check_iis_config(xs_fctx *c)
{
    if (!strstr(c->base, "applicationhost") || strcmp(c->ext, ".config") != 0)
        return;
    vdir_ctx vc = {c, content(c)};
    size_t n = xs_apphost_vdirs(vc.body.p, vc.body.n, on_vdir, &vc);
    if (n > XS_MAX_VDIRS)
        xs_warn(c->scan, XS_W_LIMIT, c->display, 0,
                 "%zu virtual directories past %u not read (not checked, not used to map files)",
                 n - XS_MAX_VDIRS, (unsigned)XS_MAX_VDIRS);
}

static void check_compiled(xs_fctx *c)
{
    if (strcmp(c->ext, ".compiled") != 0 || c->loc.folder != XS_WF_TEMP_ASPNET)
        return;
    xs_str body = content(c);
    char vp[1024], url[1024];
    size_t n = xs_aspnet_compiled_vpath(body.p, body.n, vp, sizeof vp);
    if (n == 0)
        return;
    size_t un = 0;
    for (size_t i = 0; i < n && un + 1 < sizeof url; i++) {
        char ch = xs_lower(vp[i] == '\\' ? '/' : vp[i]);
        if (ch == '/' && un && url[un - 1] == '/')
            continue;
        url[un++] = ch;
    }
    url[un] = 0;
    const char *folder = "";
    if (!xs_web_url_nondefault(url, &folder))
        return;
    xs_files_add_compiled(c->files, c->where.root, c->display, url, c->meta->mtime_ms);
    xs_hit h;
    fh_init(&h, &xs_rule_table[R_FILE_WS_COMPILED], EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH,
            "ASP.NET compiled a page a default install does not have: it was requested and ran "
            "at least once");
    xs_hit_fact_cstr(&h, "compiled_page", vp);
    xs_hit_fact_cstr(&h, "compiled_url", url);
    xs_hit_fact_cstr(&h, "web_folder", folder);
    h.target = xs_str_cstr(url);
    h.evidence = xs_str_cstr(vp);
    xs_fhit_add(c, &h);
}

/* ---------------------------------------------------------------- behaviour */

/* The text of line `line` (1-based) of body, cut at 200 bytes. */
static xs_str line_of(xs_str body, uint32_t line)
{
    size_t i = 0;
    for (uint32_t l = 1; l < line && i < body.n; i++)
        if (body.p[i] == '\n')
            l++;
    while (i < body.n && (body.p[i] == ' ' || body.p[i] == '\t'))
        i++;
    size_t e = i;
    while (e < body.n && body.p[e] != '\n' && body.p[e] != '\r' && e - i < 200)
        e++;
    return xs_str_make(body.p + i, e - i);
}

static const char *lang_name(xs_slang l)
{
    switch (l) {
    case XS_SL_CSHARP:
        return "C#";
    case XS_SL_VB:
        return "VB.NET";
    case XS_SL_VBSCRIPT:
        return "VBScript";
    case XS_SL_JSCRIPT:
        return "JScript";
    default:
        return "";
    }
}

/* The code-behind source of a page, handler, service or control ("x.aspx.cs"): other C# and
 * VB files are an application's sources, not server script. */
static bool code_behind(const char *base)
{
    static const char *const pages[] = {".aspx.", ".ascx.", ".ashx.", ".asmx.", ".master.",
                                        ".asax.", ".svc."};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (strstr(base, pages[i]))
            return true;
    return false;
}

/* What the server code does with the request (detectors/scriptflow.h). */
static void check_behaviour(xs_fctx *c)
{
    /* larger files than the size policy reads whole get name, location and header checks */
    if (!c->data || c->loglike || xs_script_ext_lang(c->ext) == XS_SL_NONE ||
        (strcmp(c->ext, ".config") == 0 && strcmp(c->base, "web.config") != 0) ||
        ((strcmp(c->ext, ".cs") == 0 || strcmp(c->ext, ".vb") == 0) && !code_behind(c->base)))
        return;
    xs_str body = xs_str_make((const char *)c->data, c->data_n);
    xs_script sc;
    bool ok = xs_script_read(body.p, body.n, c->ext, &sc);
    xs_wsreport rep;
    unsigned hints = (xs_web_known_shell_name(c->base) ? XS_WSH_KNOWN_NAME : 0) |
                     (xs_web_exchange_folder(c->loc.folder) ? XS_WSH_EXCHANGE : 0);
    ok = ok && xs_scriptflow(&sc, hints, &rep);
    /* aspnet_client is Exchange's only on a site that serves Exchange (the post-pass knows):
     * a verdict that rests on the folder is added as one that holds only there */
    bool folder_made_it = false;
    if (ok && c->loc.folder == XS_WF_ASPNET_CLIENT && rep.score >= XS_WS_SCORE_EXPLOIT) {
        xs_wsreport plain;
        ok = xs_scriptflow(&sc, hints & ~(unsigned)XS_WSH_EXCHANGE, &plain);
        folder_made_it = ok && plain.score < XS_WS_SCORE_EXPLOIT;
    }
    if (!ok) {
        xs_script_free(&sc);
        xs_scan_fail(c->scan, EXS_ENOMEM, "out of memory reading the server code of %s",
                     c->display);
        return;
    }
    if (sc.truncated || rep.truncated)
        xs_warn(c->scan, XS_W_LIMIT, c->display, 0,
                "server code read in part (a cap of the script reader): its behaviour may be "
                "incomplete");
    if (rep.score >= XS_WS_SCORE_SUSPECT) {
        const xs_wsflow *f = &rep.flow[rep.best];
        bool shell = rep.score >= XS_WS_SCORE_EXPLOIT;
        bool exch = xs_web_exchange_folder(c->loc.folder);
        char why[200];
        snprintf(why, sizeof why, "%s: %s",
                 f->source[0] ? "request data reaches a sink in the server code"
                              : "the server code hides or evaluates code",
                 xs_wsk_name(rep.best));
        xs_hit h;
        fh_init(&h, &xs_rule_table[R_FILE_WS_CODE],
                shell ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS,
                shell ? (exch ? EXS_SEV_CRITICAL : EXS_SEV_HIGH)
                      : (rep.score >= 65 ? EXS_SEV_HIGH : EXS_SEV_MEDIUM),
                shell ? "the server code hands request data to a dangerous sink (a web shell)"
                      : "the server code does something web shells do");
        xs_hit_fact_u64(&h, "ws_score", (uint64_t)rep.score);
        xs_hit_fact_cstr(&h, "ws_behaviour", rep.kinds[0] ? rep.kinds : xs_wsk_name(rep.best));
        xs_hit_fact_cstr(&h, "ws_source", f->source[0] ? f->source : NULL);
        xs_hit_fact_cstr(&h, "ws_via", f->via[0] ? f->via : NULL);
        xs_hit_fact_cstr(&h, "ws_sink", f->sink[0] ? f->sink : NULL);
        xs_hit_fact_cstr(&h, "ws_signals", rep.signals[0] ? rep.signals : NULL);
        xs_hit_fact_cstr(&h, "ws_language", lang_name(sc.lang));
        xs_hit_fact_cstr(&h, "ws_summary", why);
        char where[160];
        if (c->loc.folder != XS_WF_NONE)
            xs_hit_fact_cstr(&h, "web_folder", folder_desc(&c->loc, where, sizeof where));
        if (f->sink_line)
            h.line = f->sink_line;
        h.evidence = f->sink_line ? line_of(body, f->sink_line) : XS_STR_NULL;
        if (folder_made_it)
            xs_fhit_add_exchange(c, &h);
        else
            xs_fhit_add(c, &h);
    }
    xs_script_free(&sc);
}

/* ---------------------------------------------------------------- YARA */

static void on_yara(void *ctx, const xs_ymatch *m)
{
    xs_fctx *c = ctx;
    const xs_yrule *r = m->rule;
    if (r->scope == XS_YSCOPE_FILE && c->loglike)
        return; /* a shell quoted in a log line is the log readers' business */
    xs_hit h;
    fh_init(&h, &r->rule, r->verdict, r->severity,
            r->user ? "a user YARA rule matched" : "a shipped YARA rule matched");
    xs_hit_fact_cstr(&h, "yara_rules", r->source);
    xs_hit_fact_cstr(&h, "yara_string", m->string_id);
    if (m->string_id)
        xs_hit_fact_u64(&h, "yara_offset", (uint64_t)m->offset);
    h.evidence = xs_str_make((const char *)m->data, m->len);
    xs_fhit_add(c, &h);
}

/* A YARA or Sigma rule collection (a responder's copy of signature-base, THOR's or Loki's
 * folders left on the server): its own strings would match the shipped rules. */
static bool rule_collection(const xs_fctx *c)
{
    xs_str h = xs_str_make((const char *)c->head, c->head_n);
    bool yara = xs_str_ifind(h, "condition:") >= 0 &&
                (xs_str_ifind(h, "strings:") >= 0 || xs_str_ifind(h, "meta:") >= 0) &&
                xs_str_ifind(h, "rule ") >= 0;
    bool sigma = xs_str_ifind(h, "logsource:") >= 0 && xs_str_ifind(h, "detection:") >= 0;
    return (yara || sigma) && c->loc.folder == XS_WF_NONE;
}

static void check_rules(xs_fctx *c)
{
    if (!c->data)
        return;
    char filepath[XS_MAX_PATH * 2 + 4];
    size_t o = 0;
    if (c->display[0] != '/')
        filepath[o++] = '\\';
    for (const char *p = c->display; *p && o + 1 < sizeof filepath; p++)
        filepath[o++] = *p == '/' ? '\\' : *p;
    filepath[o] = 0;
    const char *slash = strrchr(c->display, '/');
    xs_yvars v = {slash ? slash + 1 : c->display, filepath, c->ext,
                   xs_magic_type(c->head, c->head_n), ""};
    bool ran = false;
    exs_rc rc;
    if (c->yshipped && !rule_collection(c)) {
        rc = xs_yscanner_scan(c->yshipped, c->data, c->data_n, &v, true, on_yara, c, &ran);
        if (ran)
            c->rule_scans++;
        else
            c->rule_gated++;
        if (rc == EXS_ELIMIT)
            xs_warn(c->scan, XS_W_LIMIT, c->display, 0,
                     "shipped rules: scan timed out or too many matches; results may be partial");
        else if (rc != EXS_OK)
            xs_warn(c->scan, XS_W_LIMIT, c->display, 0, "shipped rules: scan failed");
    }
    if (c->yuser) {
        rc = xs_yscanner_scan(c->yuser, c->data, c->data_n, &v, false, on_yara, c, &ran);
        c->rule_scans++;
        if (rc == EXS_ELIMIT)
            xs_warn(c->scan, XS_W_LIMIT, c->display, 0,
                     "user rules: scan timed out or too many matches; results may be partial");
        else if (rc != EXS_OK)
            xs_warn(c->scan, XS_W_LIMIT, c->display, 0, "user rules: scan failed");
    }
}

void xs_detect_file(xs_fctx *c)
{
    check_name(c);
    check_attributes(c);
    check_iocs(c);
    check_structure(c);
    check_dump(c);
    check_staging(c);
    check_ransomware(c);
    check_remediation(c);
    check_iis_config(c);
    xs_detect_registry(c);
    check_compiled(c);
    check_behaviour(c);
    check_rules(c);
    xs_detect_server_state(c);
    xs_detect_exsetup(c);
}
