/* Results from the JSON lines a sweep wrote (lib/report/jsonl.c): every exsweep record is
 * read back into the model, so that any report of a saved sweep (or of several sweeps, a
 * fleet) is the report the sweep would have printed. Hostile input: lines and counts are
 * bounded (XS_MAX_REPORT_*), a malformed exsweep record stops the read with the file and
 * line named, lines of other tools are counted and skipped, and so is a record with a field
 * longer than a sweep writes (a warning names it): a file's sizes are never a reason to run
 * out of memory, nor cut silently. */
#include <errno.h>
#include <openssl/evp.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/escape.h"
#include "core/grow.h"
#include "core/limits.h"
#include "core/lines.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "parsers/json.h"
#include "results/hit.h"
#include "results/relabel.h"
#include "results/results_int.h"
#include "results/warnkeep.h"

/* A server record holds up to XS_MAX_STATE_OBS sources and periods and XS_MAX_STATE_NOTES
 * notes, of at most 8 fields each. */
#define MAX_PAIRS 4096
#define PATHS_CAP 262144

typedef struct rec {
    xs_json_pair *pairs;
    size_t n;
} rec;

/* The first value at path, or a NULL span. */
static xs_str get(const rec *r, const char *path)
{
    for (size_t i = 0; i < r->n; i++)
        if (xs_str_eq(r->pairs[i].key, path))
            return r->pairs[i].value;
    return XS_STR_NULL;
}

/* A string value as it was written: JSON null never is. */
static xs_str str_of(const rec *r, const char *path)
{
    return get(r, path);
}

static bool num_of(const rec *r, const char *path, int64_t *out)
{
    xs_str v = get(r, path);
    if (!v.p || !v.n || v.n > 20)
        return false;
    char b[24];
    memcpy(b, v.p, v.n);
    b[v.n] = 0;
    char *end;
    errno = 0;
    long long x = strtoll(b, &end, 10);
    if (errno || *end)
        return false;
    *out = x;
    return true;
}

static uint64_t u64_of(const rec *r, const char *path)
{
    int64_t v;
    return num_of(r, path, &v) && v > 0 ? (uint64_t)v : 0;
}

/* A decimal keyword ("file.inode": "1234"): 0 when absent or not only digits. */
static uint64_t dec_of(const rec *r, const char *path)
{
    xs_str v = get(r, path);
    uint64_t x = 0;
    if (!v.p || !v.n || v.n > 20)
        return 0;
    for (size_t i = 0; i < v.n; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return 0;
        unsigned d = (unsigned)(v.p[i] - '0');
        if (x > (UINT64_MAX - d) / 10)
            return 0;
        x = x * 10 + d;
    }
    return x;
}

static bool bool_of(const rec *r, const char *path)
{
    return xs_str_eq(get(r, path), "true");
}

static int64_t time_of(const rec *r, const char *path)
{
    xs_str v = get(r, path);
    return v.n ? xs_time_parse_iso(v) : EXS_TIME_NONE;
}

/* A NUL-terminated copy of v into the results' arena ("" for an absent value). */
static const char *keep(exs_results *res, xs_str v)
{
    return xs_arena_strndup(&res->arena, v.p ? v.p : "", v.p ? v.n : 0);
}

typedef struct reader {
    exs_results *res;
    uint32_t root_base;   /* roots of the files read before this one */
    uint32_t nroots_file; /* roots of this file's sweep record */
    bool have_sweep;
    size_t capfind, capcov, capwarn, capcount[EXS_COUNT__N];
    uint64_t foreign;     /* lines that are not exsweep records */
    uint64_t skipped;     /* exsweep records with a field longer than a sweep writes */
    xs_strmap *rules;    /* rule id -> the results' copy, for rules not built in */
    xs_warnkeep *warnings; /* the warning examples read */
    /* key -> index + 1 into res->counts[k] and res->cov: several sweeps merge by key, and a
     * file of many records reads in linear time */
    xs_strmap *count_at[EXS_COUNT__N], *cov_at;
    char *kbuf;           /* a NUL-terminated copy of the key looked up */
    size_t kcap;
    xs_relabel relabel;  /* renamed roots: their findings get new ids (relabel.h) */
    xs_strmap *labels;     /* every root label of res -> (void *)1 */
    xs_strmap *label_next; /* a label read more than once -> the next "-N" to try for it */
    char *err;
    size_t errlen;
    const char *file;
    uint64_t line;
} reader;

static exs_rc bad(reader *rd, const char *what)
{
    snprintf(rd->err, rd->errlen, "%s:%llu: %s", rd->file, (unsigned long long)rd->line, what);
    return EXS_EFORMAT;
}

/* A record with a field longer than any a sweep writes: skipped, counted, and an example
 * says which. Returns EXS_ENOMEM when the example could not be kept. */
static exs_rc skip(reader *rd, const char *what)
{
    char msg[160];
    snprintf(msg, sizeof msg, "record skipped: %s", what);
    rd->skipped++;
    return xs_warnkeep_add(rd->warnings, XS_LIT("report"), xs_str_cstr(rd->file), rd->line,
                            xs_str_cstr(msg))
               ? EXS_OK
               : EXS_ENOMEM;
}

/* EXS_ELIMIT from the readers of records: skip it. */
#define OVERSIZE EXS_ELIMIT

/* The longest rule id read (a sweep's are shorter: the table's, YARA identifiers). */
#define RULE_ID_MAX 255
/* The longest warning strings read: a kind, a display path as the workers build it (a root's
 * label, a path, archive members), a message (xs_warn's are shorter). */
#define WARN_KIND_MAX 64
#define WARN_FILE_MAX XS_MAX_WHERE
#define WARN_MESSAGE_MAX 1024

static exs_verdict verdict_of(xs_str v)
{
    char b[24];
    snprintf(b, sizeof b, "%.*s", (int)(v.n < 20 ? v.n : 20), v.p ? v.p : "");
    return exs_verdict_parse(b);
}

/* ---------------------------------------------------------------- sweep */

/* Adds n to the warning count of kind (the kinds of several sweeps merged). */
static exs_rc wcount_add(reader *rd, xs_str kind, uint64_t n)
{
    exs_results *res = rd->res;
    size_t j = 0;
    while (j < res->nwcounts && !xs_str_eq(kind, res->wcounts[j].kind))
        j++;
    if (j == res->nwcounts) {
        if (res->nwcounts >= 64)
            return bad(rd, "too many warning kinds");
        exs_warning_count *w = realloc(res->wcounts, (res->nwcounts + 1) * sizeof *w);
        if (!w)
            return EXS_ENOMEM;
        res->wcounts = w;
        const char *kk = keep(res, kind);
        if (!kk)
            return EXS_ENOMEM;
        w[res->nwcounts++] = (exs_warning_count){kk, 0};
    }
    res->wcounts[j].count += n;
    return EXS_OK;
}

static exs_rc read_sweep(reader *rd, const rec *r)
{
    exs_results *res = rd->res;
    bool first = res->nroots == 0 && !rd->root_base && res->sweep.start_ms == EXS_TIME_NONE;
    rd->root_base = (uint32_t)res->nroots;
    rd->nroots_file = 0;
    rd->have_sweep = true;
    /* roots: path and label pairs in order */
    xs_str path = XS_STR_NULL;
    for (size_t i = 0; i < r->n; i++) {
        xs_str k = r->pairs[i].key, v = r->pairs[i].value;
        if (xs_str_eq(k, "exsweep.roots.path")) {
            path = v;
        } else if (xs_str_eq(k, "exsweep.roots.label")) {
            /* a sweep's labels: XS_MAX_LABEL and a "-N" that made them unique */
            char lab[XS_MAX_LABEL + 12];
            if (v.n >= sizeof lab)
                return bad(rd, "a root label longer than a sweep writes (XS_MAX_LABEL)");
            snprintf(lab, sizeof lab, "%.*s", (int)v.n, v.p);
            /* labels stay unique over the sweeps read together: the first of lab, lab-2,
             * lab-3, ... not taken. Names are only added, so the search for a label goes on
             * from where the last one for it stopped: every name is passed over once. */
            char uniq[sizeof lab + 12];
            snprintf(uniq, sizeof uniq, "%s", lab);
            if (xs_strmap_get(rd->labels, lab)) {
                uintptr_t k2 = (uintptr_t)xs_strmap_get(rd->label_next, lab);
                for (k2 = k2 ? k2 : 2;; k2++) {
                    snprintf(uniq, sizeof uniq, "%s-%lu", lab, (unsigned long)k2);
                    if (!xs_strmap_get(rd->labels, uniq))
                        break;
                }
                if (!xs_strmap_put(rd->label_next, lab, (void *)(k2 + 1), NULL))
                    return EXS_ENOMEM;
            }
            const char *p = keep(res, path);
            if (!p || !xs_results_add_root(res, p, uniq) ||
                !xs_strmap_put(rd->labels, uniq, (void *)1, NULL) ||
                !xs_relabel_root(&rd->relabel, strcmp(uniq, lab) != 0))
                return EXS_ENOMEM;
            rd->nroots_file++;
            path = XS_STR_NULL;
        } else if (xs_str_eq(k, "exsweep.options")) {
            const char *o = keep(res, v);
            if (!o || !xs_results_add_option(res, o))
                return EXS_ENOMEM;
        } else if (xs_str_eq(k, "exsweep.server_addresses")) {
            const char *o = keep(res, v);
            if (!o || !xs_results_add_server_address(res, o))
                return EXS_ENOMEM;
        } else if (xs_str_eq(k, "exsweep.install_roots")) {
            const char *o = keep(res, v);
            if (!o || !xs_results_add_install(res, o))
                return EXS_ENOMEM;
        }
    }
    if (res->nroots > XS_MAX_REPORT_ROOTS)
        return bad(rd, "too many roots");
    xs_str ver = str_of(r, "exsweep.version");
    if (first) {
        if (!(res->sweep.version = keep(res, ver)))
            return EXS_ENOMEM;
    }
    int64_t a = time_of(r, "event.start"), b = time_of(r, "event.end");
    if (a != EXS_TIME_NONE && (res->sweep.start_ms == EXS_TIME_NONE || a < res->sweep.start_ms))
        res->sweep.start_ms = a;
    if (b != EXS_TIME_NONE && (res->sweep.end_ms == EXS_TIME_NONE || b > res->sweep.end_ms))
        res->sweep.end_ms = b;
    int64_t status = 0;
    num_of(r, "exsweep.status", &status);
    if (status && res->sweep.status == EXS_OK) {
        const char *e = keep(res, str_of(r, "exsweep.error"));
        if (!e || !xs_results_set_error(res, (exs_rc)status, e))
            return EXS_ENOMEM;
    }
    res->sweep.unread += u64_of(r, "exsweep.unread");
    exs_sweep_stats *st = &res->stats;
    st->files_seen += u64_of(r, "exsweep.stats.files_seen");
    st->files_read += u64_of(r, "exsweep.stats.files_read");
    st->files_ignored += u64_of(r, "exsweep.stats.files_ignored");
    st->bytes_read += u64_of(r, "exsweep.stats.bytes_read");
    st->archives += u64_of(r, "exsweep.stats.archives");
    st->candidates += u64_of(r, "exsweep.stats.candidates");
    st->findings += u64_of(r, "exsweep.stats.findings");
    st->findings_dropped += u64_of(r, "exsweep.stats.findings_dropped");
    static const char *const vk[] = {"", "probe", "attempt", "suspicious", "exploitation"};
    for (int k = EXS_VERDICT_PROBE; k <= EXS_VERDICT__MAX; k++) {
        char key[64];
        snprintf(key, sizeof key, "exsweep.stats.verdicts.%s", vk[k]);
        st->verdicts[k] += u64_of(r, key);
    }
    st->files_hashed += u64_of(r, "exsweep.stats.files_hashed");
    st->files_large += u64_of(r, "exsweep.stats.files_large");
    st->files_skipped_ext += u64_of(r, "exsweep.stats.files_skipped_ext");
    st->logs_parsed_only += u64_of(r, "exsweep.stats.logs_parsed_only");
    st->rule_scans += u64_of(r, "exsweep.stats.rule_scans");
    st->rule_gated += u64_of(r, "exsweep.stats.rule_gated");
    st->counts_dropped += u64_of(r, "exsweep.stats.counts_dropped");
    st->own_findings += u64_of(r, "exsweep.stats.own_findings");
    st->own_addresses += u64_of(r, "exsweep.stats.own_addresses");
    uint64_t jobs = u64_of(r, "exsweep.stats.jobs");
    if (jobs > st->jobs && jobs <= 4096)
        st->jobs = (unsigned)jobs;
    xs_str secs = get(r, "exsweep.stats.seconds");
    if (secs.n && secs.n < 32) {
        char sb[32];
        memcpy(sb, secs.p, secs.n);
        sb[secs.n] = 0;
        double d = strtod(sb, NULL);
        if (d >= 0 && d < 1e9)
            st->seconds += d;
    }
    /* warning counts: kind and count pairs */
    xs_str kind = XS_STR_NULL;
    for (size_t i = 0; i < r->n; i++) {
        xs_str k = r->pairs[i].key, v = r->pairs[i].value;
        if (xs_str_eq(k, "exsweep.warnings.kind")) {
            kind = v;
        } else if (xs_str_eq(k, "exsweep.warnings.count") && kind.p) {
            int64_t c = 0;
            char nb[24];
            snprintf(nb, sizeof nb, "%.*s", (int)(v.n < 20 ? v.n : 20), v.p);
            c = strtoll(nb, NULL, 10);
            exs_rc rc = wcount_add(rd, kind, c > 0 ? (uint64_t)c : 0);
            if (rc != EXS_OK)
                return rc;
            kind = XS_STR_NULL;
        }
    }
    return EXS_OK;
}

/* ---------------------------------------------------------------- findings */

/* The rule of a finding record into *out (NULL when it names none). EXS_ENOMEM, or OVERSIZE
 * for an id longer than RULE_ID_MAX. */
static exs_rc rule_of(reader *rd, const rec *r, const exs_rule **out)
{
    char id[RULE_ID_MAX + 1];
    xs_str v = str_of(r, "rule.id");
    *out = NULL;
    if (v.n > RULE_ID_MAX)
        return OVERSIZE;
    if (!v.n)
        return EXS_OK;
    memcpy(id, v.p, v.n);
    id[v.n] = 0;
    if ((*out = exs_rule_find(id)) != NULL)
        return EXS_OK;
    /* a user rule, or one this version does not have: the record says what it is */
    if ((*out = xs_strmap_get(rd->rules, id)) != NULL)
        return EXS_OK;
    exs_results *res = rd->res;
    exs_rule x = {keep(res, v),
                  keep(res, str_of(r, "rule.name")),
                  keep(res, str_of(r, "exsweep.rule.cves")),
                  keep(res, str_of(r, "rule.category")),
                  keep(res, str_of(r, "rule.description")),
                  keep(res, str_of(r, "exsweep.rule.techniques")),
                  bool_of(r, "exsweep.rule.backdoor")};
    if (!x.id || !x.name || !x.cves || !x.family || !x.description || !x.techniques)
        return EXS_ENOMEM;
    const exs_rule *own = xs_results_own_rule(res, &x);
    if (!own || !xs_strmap_put(rd->rules, id, (void *)own, NULL))
        return EXS_ENOMEM;
    *out = own;
    return EXS_OK;
}

static exs_rc read_finding(reader *rd, const rec *r)
{
    exs_results *res = rd->res;
    if (!rd->have_sweep)
        return bad(rd, "a finding before its sweep record");
    if (res->nfindings >= XS_MAX_REPORT_FINDINGS)
        return bad(rd, "more findings than exsweep report reads (XS_MAX_REPORT_FINDINGS)");
    const exs_rule *rule;
    exs_rc rrc = rule_of(rd, r, &rule);
    if (rrc == OVERSIZE)
        return skip(rd, "a rule.id longer than a sweep writes");
    if (rrc != EXS_OK)
        return rrc;
    exs_verdict v = verdict_of(str_of(r, "exsweep.verdict"));
    char sv[24];
    xs_str svs = str_of(r, "exsweep.severity");
    snprintf(sv, sizeof sv, "%.*s", (int)(svs.n < 20 ? svs.n : 20), svs.p ? svs.p : "");
    exs_severity sev = exs_severity_parse(sv);
    xs_str id = str_of(r, "event.id");
    if (!rule)
        return bad(rd, "a finding without rule.id");
    if (!v || !sev)
        return bad(rd, "a finding without a valid verdict and severity");
    bool hex = id.n == EXS_ID_LEN - 1;
    for (size_t i = 0; hex && i < id.n; i++)
        hex = (id.p[i] >= '0' && id.p[i] <= '9') || (id.p[i] >= 'a' && id.p[i] <= 'f');
    if (!hex)
        return bad(rd, "a finding without a valid event.id (32 lowercase hex digits)");
    int64_t t = bool_of(r, "exsweep.time_unknown") ? EXS_TIME_NONE : time_of(r, "@timestamp");
    xs_hit h;
    xs_hit_init(&h, rule, v, sev, t);
    char reason[XS_MAX_FINDING_FIELD + 1];
    xs_str rs = str_of(r, "event.reason");
    if (rs.n > XS_MAX_FINDING_FIELD)
        return skip(rd, "an event.reason longer than a sweep writes");
    if (rs.p) {
        memcpy(reason, rs.p, rs.n);
        reason[rs.n] = 0;
        h.reason = reason;
    }
    h.line = u64_of(r, "exsweep.origin.line");
    h.record = u64_of(r, "exsweep.origin.record");
    int64_t off;
    if (num_of(r, "exsweep.origin.offset", &off) && off >= 0)
        h.offset = off;
    /* HTTP */
    h.http.method = str_of(r, "http.request.method");
    h.http.path = str_of(r, "url.path");
    h.http.query = str_of(r, "url.query");
    int64_t n;
    if (num_of(r, "http.response.status_code", &n) && n > 0 && n < 1000)
        h.http.status = (int)n;
    h.http.client = str_of(r, "source.address");
    if (num_of(r, "source.port", &n) && n > 0 && n < 65536)
        h.http.client_port = (int)n;
    h.http.ua = str_of(r, "user_agent.original");
    h.http.user = str_of(r, "exsweep.http.user");
    h.http.host = str_of(r, "url.domain");
    h.http.backend = bool_of(r, "exsweep.http.backend");
    /* process */
    h.proc.image = str_of(r, "process.executable");
    h.proc.cmd = str_of(r, "process.command_line");
    if (num_of(r, "process.pid", &n) && n >= 0)
        h.proc.pid = n;
    h.proc.parent = str_of(r, "process.parent.executable");
    if (num_of(r, "process.parent.pid", &n) && n >= 0)
        h.proc.ppid = n;
    h.proc.user = str_of(r, "exsweep.process.user");
    h.proc.target = str_of(r, "exsweep.process.target");
    /* event */
    if (num_of(r, "event.code", &n) && n > 0 && n <= 0xffffffffLL)
        h.event.id = (uint32_t)n;
    xs_str code = get(r, "event.code");
    if (code.n && !h.event.id) { /* written as a string */
        char cb[16];
        snprintf(cb, sizeof cb, "%.*s", (int)(code.n < 12 ? code.n : 12), code.p);
        long long c = strtoll(cb, NULL, 10);
        if (c > 0 && c <= 0xffffffffLL)
            h.event.id = (uint32_t)c;
    }
    h.event.provider = str_of(r, "event.provider");
    h.event.computer = str_of(r, "host.name");
    h.event.channel = str_of(r, "exsweep.event.channel");
    h.event.recovered = bool_of(r, "exsweep.event.recovered");
    /* cmdlet */
    h.cmdlet.name = str_of(r, "exsweep.cmdlet.name");
    h.cmdlet.params = str_of(r, "exsweep.cmdlet.parameters");
    h.cmdlet.user = str_of(r, "exsweep.cmdlet.user");
    h.cmdlet.client = str_of(r, "exsweep.cmdlet.client");
    h.cmdlet.failed = bool_of(r, "exsweep.cmdlet.failed");
    /* file */
    h.file.path = str_of(r, "file.path");
    if (num_of(r, "file.size", &n) && n >= 0)
        h.file.size = n;
    h.file.sha256 = str_of(r, "file.hash.sha256");
    h.file.sha1 = str_of(r, "file.hash.sha1");
    h.file.md5 = str_of(r, "file.hash.md5");
    h.file.mtime_ms = time_of(r, "file.mtime");
    h.file.atime_ms = time_of(r, "file.accessed");
    h.file.ctime_ms = time_of(r, "file.ctime");
    h.file.inode = dec_of(r, "file.inode");
    h.file.device = h.file.inode ? dec_of(r, "file.device") : 0;
    h.file.url = str_of(r, "exsweep.file.url");
    h.file.site = str_of(r, "exsweep.file.site");
    char attrs[XS_MAX_FINDING_SHORT + 1]; /* the names joined as a sweep keeps them */
    size_t ao = 0;
    attrs[0] = 0;
    char factkeys[XS_MAX_FACTS][64];
    xs_hit_origin o;
    memset(&o, 0, sizeof o);
    o.offset = -1;
    for (size_t i = 0; i < r->n; i++) {
        xs_str k = r->pairs[i].key, val = r->pairs[i].value;
        if (xs_str_eq(k, "file.attributes")) {
            if (ao + (ao != 0) + val.n > XS_MAX_FINDING_SHORT ||
                !xs_appendf(attrs, sizeof attrs, &ao, "%s%.*s", ao ? "," : "", (int)val.n, val.p))
                return skip(rd, "file.attributes longer than a sweep writes");
        } else if (xs_str_istarts(k, "exsweep.facts.")) {
            if (h.nfacts >= XS_MAX_FACTS)
                return skip(rd, "more exsweep.facts than a finding has");
            size_t kn = k.n - 14;
            bool ok = kn > 0 && kn < sizeof factkeys[0];
            for (size_t j = 0; ok && j < kn; j++) {
                char ch = k.p[14 + j];
                ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
            }
            if (!ok) /* keys are the library's names: [a-z0-9_] */
                return bad(rd, "a fact with a bad key");
            memcpy(factkeys[h.nfacts], k.p + 14, kn);
            factkeys[h.nfacts][kn] = 0;
            xs_hit_fact(&h, factkeys[h.nfacts], val);
        } else if (xs_str_eq(k, "exsweep.related")) {
            if (h.nrelated >= XS_MAX_RELATED)
                return skip(rd, "more exsweep.related than a finding has");
            h.related[h.nrelated++] = val;
        } else if (xs_str_eq(k, "exsweep.origin.members")) {
            if (o.nmembers >= XS_MAX_ARCHIVE_DEPTH + 1)
                return bad(rd, "an archive member chain too deep");
            o.members[o.nmembers++] = val;
        }
    }
    if (ao)
        h.file.attributes = xs_str_make(attrs, ao);
    h.target = str_of(r, "exsweep.target");
    h.evidence = str_of(r, "exsweep.evidence");
    int64_t root = 0;
    num_of(r, "exsweep.origin.root", &root);
    /* a sweep of evidence held in memory (tests, fuzzing) names no root: root 0 then, when it
     * is the only sweep read so far (after another's roots, its root 0 would be none) */
    if (root < 0 || ((uint64_t)root >= rd->nroots_file &&
                     !(root == 0 && rd->nroots_file == 0 && rd->root_base == 0)))
        return bad(rd, "a finding of a root its sweep record does not name");
    o.root = rd->root_base + (uint32_t)root;
    o.label = o.root < res->nroots ? res->roots[o.root].label : "";
    o.path = str_of(r, "exsweep.origin.path");
    char kind[64];
    xs_str ks = str_of(r, "exsweep.origin.kind");
    if (ks.n >= sizeof kind)
        return skip(rd, "an exsweep.origin.kind longer than a sweep writes");
    snprintf(kind, sizeof kind, "%.*s", (int)ks.n, ks.p ? ks.p : "");
    o.kind = kind;
    char idc[EXS_ID_LEN];
    memcpy(idc, id.p, EXS_ID_LEN - 1);
    idc[EXS_ID_LEN - 1] = 0;
    exs_finding f;
    void *block;
    xs_build_notes notes;
    exs_rc rc = xs_finding_build(&h, &o, idc, 0, &f, &block, &notes);
    if (rc != EXS_OK)
        return rc;
    if (notes.cut) { /* a string longer than a finding keeps: not what a sweep wrote */
        free(block);
        return skip(rd, "a finding field longer than a sweep writes");
    }
    if (!xs_grow((void **)&res->findings, &rd->capfind, res->nfindings + 1, sizeof *res->findings)) {
        free(block);
        return EXS_ENOMEM;
    }
    size_t capb = rd->capfind;
    void **bl = realloc(res->blocks, capb * sizeof *bl);
    if (!bl) {
        free(block);
        return EXS_ENOMEM;
    }
    res->blocks = bl;
    res->findings[res->nfindings] = f;
    res->blocks[res->nfindings++] = block;
    return EXS_OK;
}

/* ---------------------------------------------------------------- counts, coverage, warnings */

/* The index that key has in map, SIZE_MAX when it has none; *ok false when out of memory. */
static size_t index_of(reader *rd, xs_strmap *m, xs_str key, bool *ok)
{
    *ok = xs_grow((void **)&rd->kbuf, &rd->kcap, key.n + 1, 1);
    if (!*ok)
        return SIZE_MAX;
    if (key.n)
        memcpy(rd->kbuf, key.p, key.n);
    rd->kbuf[key.n] = 0;
    void *v = xs_strmap_get(m, rd->kbuf);
    return v ? (size_t)((uintptr_t)v - 1) : SIZE_MAX;
}

/* Files the key of rd->kbuf (index_of's) at index i of map. */
static bool index_put(reader *rd, xs_strmap *m, size_t i)
{
    return xs_strmap_put(m, rd->kbuf, (void *)(uintptr_t)(i + 1), NULL);
}

static exs_rc read_count(reader *rd, const rec *r)
{
    static const char *const kinds[EXS_COUNT__N] = {"rule", "family", "client", "host"};
    exs_results *res = rd->res;
    xs_str kind = str_of(r, "exsweep.count.kind"), key = str_of(r, "exsweep.count.key");
    int k = 0;
    while (k < EXS_COUNT__N && !xs_str_eq(kind, kinds[k]))
        k++;
    if (k == EXS_COUNT__N || !key.p)
        return bad(rd, "a count without a known kind and a key");
    if (key.n > XS_MAX_FINDING_FIELD)
        return skip(rd, "a count key longer than a sweep writes");
    bool ok;
    size_t at = index_of(rd, rd->count_at[k], key, &ok); /* several sweeps: merge by key */
    if (!ok)
        return EXS_ENOMEM;
    exs_count *c = at != SIZE_MAX ? &res->counts[k][at] : NULL;
    if (!c) {
        if (res->ncounts[k] >= EXS_MAX_COUNT_KEYS)
            return bad(rd, "more count keys than EXS_MAX_COUNT_KEYS");
        if (!xs_grow((void **)&res->counts[k], &rd->capcount[k], res->ncounts[k] + 1,
                      sizeof *res->counts[k]))
            return EXS_ENOMEM;
        c = &res->counts[k][res->ncounts[k]];
        memset(c, 0, sizeof *c);
        c->first_ms = c->last_ms = EXS_TIME_NONE;
        if (!(c->key = keep(res, key)) || !index_put(rd, rd->count_at[k], res->ncounts[k]))
            return EXS_ENOMEM;
        res->ncounts[k]++;
    }
    c->n += u64_of(r, "exsweep.count.n");
    static const char *const vk[] = {"", "probe", "attempt", "suspicious", "exploitation"};
    for (int v = EXS_VERDICT_PROBE; v <= EXS_VERDICT__MAX; v++) {
        char p[64];
        snprintf(p, sizeof p, "exsweep.count.verdicts.%s", vk[v]);
        c->by_verdict[v] += u64_of(r, p);
    }
    xs_time_span_add(&c->first_ms, &c->last_ms, time_of(r, "exsweep.count.first"));
    xs_time_span_add(&c->first_ms, &c->last_ms, time_of(r, "exsweep.count.last"));
    return EXS_OK;
}

static exs_rc read_coverage(reader *rd, const rec *r)
{
    exs_results *res = rd->res;
    xs_str fam = str_of(r, "exsweep.coverage.family");
    if (!fam.p)
        return bad(rd, "a coverage record without a family");
    if (fam.n > XS_MAX_FINDING_FIELD)
        return skip(rd, "a coverage family longer than a sweep writes");
    bool ok;
    size_t at = index_of(rd, rd->cov_at, fam, &ok);
    if (!ok)
        return EXS_ENOMEM;
    exs_coverage *c = at != SIZE_MAX ? &res->cov[at] : NULL;
    if (!c) {
        if (res->ncov >= XS_MAX_REPORT_COVERAGE)
            return bad(rd, "more coverage families than XS_MAX_REPORT_COVERAGE");
        if (!xs_grow((void **)&res->cov, &rd->capcov, res->ncov + 1, sizeof *res->cov))
            return EXS_ENOMEM;
        c = &res->cov[res->ncov];
        memset(c, 0, sizeof *c);
        c->first_ms = c->last_ms = EXS_TIME_NONE;
        if (!(c->family = keep(res, fam)) || !index_put(rd, rd->cov_at, res->ncov))
            return EXS_ENOMEM;
        res->ncov++;
    }
    c->files_read += u64_of(r, "exsweep.coverage.files_read");
    c->files_skipped += u64_of(r, "exsweep.coverage.files_skipped");
    c->bytes += u64_of(r, "exsweep.coverage.bytes");
    c->lines += u64_of(r, "exsweep.coverage.lines");
    c->rows_bad += u64_of(r, "exsweep.coverage.rows_bad");
    xs_time_span_add(&c->first_ms, &c->last_ms, time_of(r, "exsweep.coverage.first"));
    xs_time_span_add(&c->first_ms, &c->last_ms, time_of(r, "exsweep.coverage.last"));
    return EXS_OK;
}

/* The examples of several sweeps together: the smallest, as a sweep keeps them (the counts
 * say how many there were). */
static exs_rc read_warning(reader *rd, const rec *r)
{
    xs_str kind = str_of(r, "exsweep.warning.kind"), file = str_of(r, "exsweep.warning.file"),
            msg = str_of(r, "exsweep.warning.message");
    if (kind.n > WARN_KIND_MAX || file.n > WARN_FILE_MAX || msg.n > WARN_MESSAGE_MAX)
        return skip(rd, "a warning longer than a sweep writes");
    return xs_warnkeep_add(rd->warnings, kind, file, u64_of(r, "exsweep.warning.line"), msg)
               ? EXS_OK
               : EXS_ENOMEM;
}

static uint64_t u64_val(xs_str v)
{
    char b[24];
    if (!v.p || !v.n || v.n > 20)
        return 0;
    memcpy(b, v.p, v.n);
    b[v.n] = 0;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(b, &end, 10);
    return errno || *end || b[0] == '-' ? 0 : x;
}

/* A server's state record (lib/report/jsonl.c jsonl_servers). Array members come in order,
 * each object's first key starting a new element. */
#define SV "exsweep.server."
static exs_rc read_server(reader *rd, const rec *r)
{
    int64_t root;
    if (!num_of(r, "exsweep.root", &root) || root < 0 || root >= rd->nroots_file)
        return bad(rd, "a server record without a root of its sweep");
    exs_server sv;
    memset(&sv, 0, sizeof sv);
    sv.root = rd->root_base + (uint32_t)root;
    for (int f = 0; f < EXS_FAMILIES; f++) { /* a family the record lacks: no times */
        sv.families[f].fixed_ms = sv.families[f].exploited_ms = EXS_TIME_NONE;
        sv.families[f].exposed_ms = -1;
    }
    exs_build_source src[XS_MAX_STATE_OBS];
    exs_build_period per[XS_MAX_STATE_OBS];
    exs_state_note nt[XS_MAX_STATE_NOTES];
    xs_arena a = {0};
    bool ok = true;
#define K(v) (ok = ok && (((v) = xs_arena_strndup(&a, val.p ? val.p : "", val.n)) != NULL))
    int fam = -1;
    for (size_t i = 0; i < r->n; i++) {
        xs_str k = r->pairs[i].key, val = r->pairs[i].value;
        if (!xs_str_istarts(k, SV))
            continue;
        k = xs_str_make(k.p + sizeof SV - 1, k.n - (sizeof SV - 1));
        if (xs_str_eq(k, "build")) K(sv.build);
        else if (xs_str_eq(k, "product")) K(sv.product);
        else if (xs_str_eq(k, "cu")) K(sv.cu);
        else if (xs_str_eq(k, "update")) K(sv.update);
        else if (xs_str_eq(k, "build_source")) K(sv.build_source);
        else if (xs_str_eq(k, "why_unknown")) K(sv.why_unknown);
        else if (xs_str_eq(k, "families.family")) {
            if (++fam >= EXS_FAMILIES)
                return xs_arena_free(&a), bad(rd, "a server record with too many families");
            K(sv.families[fam].family);
            sv.families[fam].fixed_ms = sv.families[fam].exploited_ms = EXS_TIME_NONE;
            sv.families[fam].exposed_ms = -1;
        } else if (fam >= 0 && xs_str_istarts(k, "families.")) {
            exs_family_state *fs = &sv.families[fam];
            xs_str m = xs_str_make(k.p + 9, k.n - 9);
            if (xs_str_eq(m, "state")) {
                char b[16];
                snprintf(b, sizeof b, "%.*s", (int)(val.n < 12 ? val.n : 12), val.p ? val.p : "");
                int e = exs_exposure_parse(b);
                if (e < 0)
                    return xs_arena_free(&a), bad(rd, "a server record with an unknown state");
                fs->state = (exs_exposure)e;
            } else if (xs_str_eq(m, "cves")) K(fs->cves);
            else if (xs_str_eq(m, "open_cves")) K(fs->open_cves);
            else if (xs_str_eq(m, "reason")) K(fs->reason);
            else if (xs_str_eq(m, "sources")) K(fs->sources);
            else if (xs_str_eq(m, "fixed_by")) K(fs->fixed_by);
            else if (xs_str_eq(m, "fixed")) fs->fixed_ms = xs_time_parse_iso(val);
            else if (xs_str_eq(m, "exploited")) fs->exploited_ms = xs_time_parse_iso(val);
            else if (xs_str_eq(m, "exposed_ms")) {
                uint64_t x = u64_val(val);
                fs->exposed_ms = x && x <= INT64_MAX ? (int64_t)x : -1;
            }
        } else if (xs_str_eq(k, "sources.source")) {
            if (sv.nsources >= XS_MAX_STATE_OBS)
                return xs_arena_free(&a), skip(rd, "a server record with more sources than a sweep writes");
            exs_build_source *b = &src[sv.nsources++];
            memset(b, 0, sizeof *b);
            b->first_ms = b->last_ms = EXS_TIME_NONE;
            b->build = b->file = b->detail = "";
            K(b->source);
        } else if (sv.nsources && xs_str_istarts(k, "sources.")) {
            exs_build_source *b = &src[sv.nsources - 1];
            xs_str m = xs_str_make(k.p + 8, k.n - 8);
            if (xs_str_eq(m, "build")) K(b->build);
            else if (xs_str_eq(m, "file")) K(b->file);
            else if (xs_str_eq(m, "detail")) K(b->detail);
            else if (xs_str_eq(m, "line")) b->line = u64_val(val);
            else if (xs_str_eq(m, "files")) b->files = u64_val(val);
            else if (xs_str_eq(m, "first")) b->first_ms = xs_time_parse_iso(val);
            else if (xs_str_eq(m, "last")) b->last_ms = xs_time_parse_iso(val);
        } else if (xs_str_eq(k, "periods.build")) {
            if (sv.nperiods >= XS_MAX_STATE_OBS)
                return xs_arena_free(&a), skip(rd, "a server record with more periods than a sweep writes");
            exs_build_period *p = &per[sv.nperiods++];
            p->from_ms = p->to_ms = EXS_TIME_NONE;
            K(p->build);
        } else if (sv.nperiods && xs_str_eq(k, "periods.from")) {
            per[sv.nperiods - 1].from_ms = xs_time_parse_iso(val);
        } else if (sv.nperiods && xs_str_eq(k, "periods.to")) {
            per[sv.nperiods - 1].to_ms = xs_time_parse_iso(val);
        } else if (xs_str_eq(k, "notes.kind")) {
            if (sv.nnotes >= XS_MAX_STATE_NOTES)
                return xs_arena_free(&a), skip(rd, "a server record with more notes than a sweep writes");
            exs_state_note *n = &nt[sv.nnotes++];
            memset(n, 0, sizeof *n);
            n->time_ms = EXS_TIME_NONE;
            n->family = n->what = n->build = n->file = "";
            K(n->kind);
        } else if (sv.nnotes && xs_str_istarts(k, "notes.")) {
            exs_state_note *n = &nt[sv.nnotes - 1];
            xs_str m = xs_str_make(k.p + 6, k.n - 6);
            if (xs_str_eq(m, "family")) K(n->family);
            else if (xs_str_eq(m, "what")) K(n->what);
            else if (xs_str_eq(m, "build")) K(n->build);
            else if (xs_str_eq(m, "file")) K(n->file);
            else if (xs_str_eq(m, "line")) n->line = u64_val(val);
            else if (xs_str_eq(m, "time")) n->time_ms = xs_time_parse_iso(val);
        }
    }
#undef K
    sv.sources = src;
    sv.periods = per;
    sv.notes = nt;
    exs_rc rc = ok && xs_results_add_server(rd->res, &sv) ? EXS_OK : EXS_ENOMEM;
    xs_arena_free(&a);
    return rc;
}

/* ---------------------------------------------------------------- lines */

/* exsweep.raw: the exact bytes of strings that were not valid UTF-8 (lib/report/jsonl.c),
 * put back in place of their U+FFFD text. raw receives the decoded bytes (cap bytes). */
static int apply_raw(rec *r, unsigned char *raw, size_t cap)
{
    size_t used = 0;
    for (size_t i = 0; i + 2 < r->n; i++) {
        if (!xs_str_eq(r->pairs[i].key, "exsweep.raw.field"))
            continue;
        if (!xs_str_eq(r->pairs[i + 1].key, "exsweep.raw.n") ||
            !xs_str_eq(r->pairs[i + 2].key, "exsweep.raw.b64"))
            return -1;
        xs_str field = r->pairs[i].value, b64 = r->pairs[i + 2].value;
        char nb[16];
        snprintf(nb, sizeof nb, "%.*s", (int)(r->pairs[i + 1].value.n < 12 ? r->pairs[i + 1].value.n : 12),
                 r->pairs[i + 1].value.p);
        long nth = strtol(nb, NULL, 10);
        if (b64.n % 4 || b64.n / 4 * 3 > cap - used || nth < 0)
            return -1;
        int m = b64.n ? EVP_DecodeBlock(raw + used, (const unsigned char *)b64.p, (int)b64.n) : 0;
        if (m < 0)
            return -1;
        size_t len = (size_t)m;
        for (size_t k = b64.n; k > 0 && b64.p[k - 1] == '=' && len; k--)
            len--;
        for (size_t k = 0; k < r->n; k++)
            if (r->pairs[k].key.n == field.n &&
                memcmp(r->pairs[k].key.p, field.p, field.n) == 0 && nth-- == 0) {
                r->pairs[k].value = xs_str_make((const char *)raw + used, len);
                break;
            }
        used += len;
        i += 2;
    }
    return 0;
}

static exs_rc read_line(reader *rd, const char *p, size_t n, xs_json_pair *pairs,
                        char *scratch, char *paths, unsigned char *raw)
{
    size_t cnt;
    while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n == 0)
        return EXS_OK;
    int ok = xs_json_paths(p, n, pairs, MAX_PAIRS, &cnt, scratch, paths, PATHS_CAP);
    rec r = {pairs, cnt};
    xs_str kind = ok == 0 ? get(&r, "exsweep.record") : XS_STR_NULL;
    if (!kind.p) {
        /* not ours (another tool's line, a broken line): counted */
        rd->foreign++;
        return EXS_OK;
    }
    if (cnt >= MAX_PAIRS)
        return bad(rd, "a record with too many fields");
    if (apply_raw(&r, raw, XS_MAX_REPORT_LINE) < 0)
        return bad(rd, "a malformed exsweep.raw entry");
    /* the model's strings end at their first NUL (\u0000 in the JSON): cut them here, so
     * that keys compare as they will print */
    for (size_t i = 0; i < r.n; i++) {
        const char *z = r.pairs[i].value.n ? memchr(r.pairs[i].value.p, 0, r.pairs[i].value.n) : NULL;
        if (z)
            r.pairs[i].value.n = (size_t)(z - r.pairs[i].value.p);
    }
    if (xs_str_eq(kind, "sweep"))
        return read_sweep(rd, &r);
    if (!rd->have_sweep)
        return bad(rd, "an exsweep record before its sweep record");
    if (xs_str_eq(kind, "finding"))
        return read_finding(rd, &r);
    if (xs_str_eq(kind, "count"))
        return read_count(rd, &r);
    if (xs_str_eq(kind, "coverage"))
        return read_coverage(rd, &r);
    if (xs_str_eq(kind, "warning"))
        return read_warning(rd, &r);
    if (xs_str_eq(kind, "server"))
        return read_server(rd, &r);
    rd->foreign++; /* a record of a newer exsweep */
    return EXS_OK;
}

/* A warning of the read itself, of no file and line (after the examples were moved). */
static exs_rc report_warning(reader *rd, const char *msg)
{
    exs_results *res = rd->res;
    const char *m = keep(res, xs_str_cstr(msg));
    if (!m || !xs_grow((void **)&res->warnings, &rd->capwarn, res->nwarnings + 1,
                        sizeof *res->warnings))
        return EXS_ENOMEM;
    res->warnings[res->nwarnings++] = (exs_warning){"report", "", 0, m};
    return EXS_OK;
}

exs_rc exs_results_read_jsonl(exs_results **out, const char *const *paths, size_t npaths,
                              char *err, size_t errlen)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = 0;
    if (!out || !paths)
        return EXS_EINVAL;
    *out = NULL;
    exs_results *res = xs_results_new();
    char *buf = malloc(XS_MAX_REPORT_LINE + 1), *scratch = malloc(XS_MAX_REPORT_LINE + 1);
    char *pbuf = malloc(PATHS_CAP);
    unsigned char *raw = malloc(XS_MAX_REPORT_LINE);
    xs_json_pair *pairs = malloc(MAX_PAIRS * sizeof *pairs);
    exs_rc rc = res && buf && scratch && pbuf && pairs && raw ? EXS_OK : EXS_ENOMEM;
    reader rd;
    memset(&rd, 0, sizeof rd);
    rd.res = res;
    rd.rules = xs_strmap_create();
    rd.warnings = xs_warnkeep_create(XS_MAX_WARNING_EXAMPLES);
    rd.cov_at = xs_strmap_create();
    rd.labels = xs_strmap_create();
    rd.label_next = xs_strmap_create();
    bool maps = rd.cov_at && rd.labels && rd.label_next;
    for (int k = 0; k < EXS_COUNT__N; k++)
        maps = maps && (rd.count_at[k] = xs_strmap_create()) != NULL;
    if (!rd.rules || !rd.warnings || !maps)
        rc = EXS_ENOMEM;
    rd.err = err;
    rd.errlen = errlen;
    for (size_t i = 0; rc == EXS_OK && i < npaths; i++) {
        rd.file = paths[i];
        rd.line = 0;
        rd.have_sweep = false;
        if (!xs_relabel_file(&rd.relabel, res->nfindings)) {
            rc = EXS_ENOMEM;
            break;
        }
        int fd = strcmp(paths[i], "-") == 0 ? STDIN_FILENO : open(paths[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            snprintf(err, errlen, "%s: %s", paths[i], strerror(errno));
            rc = errno == ENOENT ? EXS_ENOENT : EXS_EIO;
            break;
        }
        xs_lines lines;
        xs_lines_init(&lines, fd, buf, XS_MAX_REPORT_LINE);
        while (rc == EXS_OK) {
            char *s;
            size_t n;
            bool toolong;
            int k = xs_lines_next(&lines, &s, &n, &toolong);
            if (k < 0) {
                snprintf(err, errlen, "%s: %s", paths[i], strerror(errno));
                rc = EXS_EIO;
                break;
            }
            if (k == 0)
                break;
            rd.line = lines.line;
            if (toolong) /* a line longer than any we write */
                rd.foreign++;
            else
                rc = read_line(&rd, s, n, pairs, scratch, pbuf, raw);
        }
        if (fd != STDIN_FILENO)
            close(fd);
        if (rc == EXS_OK && !rd.have_sweep) {
            snprintf(err, errlen, "%s: no exsweep sweep record (not a sweep's -f jsonl output)",
                     paths[i]);
            rc = EXS_EFORMAT;
        }
    }
    if (rc == EXS_OK && !xs_warnkeep_move(rd.warnings, res, &rd.capwarn))
        rc = EXS_ENOMEM;
    /* a sweep writes at most XS_MAX_SERVER_ADDRS per root (a sweep of no root, as the tests
     * make, one root's): past that for the roots read, the smallest are kept, whatever the
     * order of the files */
    size_t roots = res->nroots > npaths ? res->nroots : npaths;
    size_t cut = rc == EXS_OK ? xs_results_cut_servers(res, XS_MAX_SERVER_ADDRS * roots) : 0;
    /* what the read itself left out, counted with the sweeps' warnings ("report") */
    if (rc == EXS_OK && (rd.foreign || rd.skipped || cut))
        rc = wcount_add(&rd, XS_LIT("report"), rd.foreign + rd.skipped + cut);
    if (rc == EXS_OK && rd.foreign) {
        char msg[128];
        snprintf(msg, sizeof msg, "%llu lines that are not exsweep records were skipped",
                 (unsigned long long)rd.foreign);
        rc = report_warning(&rd, msg);
    }
    if (rc == EXS_OK && cut) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "%zu server addresses past %u per root read (%zu roots) left out: the "
                 "smallest kept",
                 cut, (unsigned)XS_MAX_SERVER_ADDRS, roots);
        rc = report_warning(&rd, msg);
    }
    if (rc == EXS_OK)
        rc = xs_relabel_apply(&rd.relabel, res);
    if (rc == EXS_OK && !xs_results_sort(res))
        rc = EXS_ENOMEM;
    xs_relabel_free(&rd.relabel);
    free(buf);
    free(scratch);
    free(pbuf);
    free(raw);
    free(pairs);
    xs_strmap_destroy(rd.rules);
    xs_warnkeep_destroy(rd.warnings);
    xs_strmap_destroy(rd.cov_at);
    xs_strmap_destroy(rd.labels);
    xs_strmap_destroy(rd.label_next);
    for (int k = 0; k < EXS_COUNT__N; k++)
        xs_strmap_destroy(rd.count_at[k]);
    free(rd.kbuf);
    if (rc != EXS_OK) {
        if (rc == EXS_ENOMEM && !err[0])
            snprintf(err, errlen, "out of memory");
        exs_results_destroy(res);
        return rc;
    }
    *out = res;
    return EXS_OK;
}
