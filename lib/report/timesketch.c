/* Timesketch JSON lines: one flat JSON object per line, each with the four fields Timesketch
 * requires first (message, datetime, timestamp, timestamp_desc), then fields of this writer's
 * own names (never names from the evidence): no nested object, no array. docs/timesketch.md
 * lists them.
 *
 *   state     the server's own state as events on the timeline (record "state"): the first
 *             and last log row of each build period, the moment each family's fix went on,
 *             each note with a time (an update installed, a mitigation in place); written
 *             first, per root
 *   finding   one per kept finding (record "finding"); a finding without a time takes the
 *             sweep's start, with timestamp_desc "Time unknown (sweep start)" and
 *             time_unknown true, so that none is left off the timeline
 *
 * Lists are joined with ',' where their items are the library's own names (CVE and
 * technique ids, related finding ids, file attributes, as the model keeps them); the archive
 * member chain, evidence bytes, takes numbered keys (origin_member_1, ...). Strings are
 * escaped as the ECS JSON lines escape them (xs_esc_json: controls as \uXXXX, invalid UTF-8
 * as U+FFFD); nothing of the evidence can end a string or the line.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/limits.h"
#include "core/str.h"
#include "core/timeparse.h"
#include "report/render.h"
#include "report/report_int.h"

/* ---------------------------------------------------------------- a flat record */

typedef struct tw {
    FILE *f;
    bool first;
} tw;

/* k is always one of the writer's own names: written as it is. */
static void tw_key(tw *w, const char *k)
{
    fputs(w->first ? "{\"" : ",\"", w->f);
    w->first = false;
    fputs(k, w->f);
    fputs("\":", w->f);
}

static void tw_strn(tw *w, const char *k, const char *v, size_t n)
{
    tw_key(w, k);
    fputc('"', w->f);
    xs_esc_json(w->f, v, n);
    fputc('"', w->f);
}

/* A string field, left out when there is no value. */
static void tw_str(tw *w, const char *k, const char *v)
{
    if (v)
        tw_strn(w, k, v, strlen(v));
}

/* Same, left out when empty too. */
static void tw_text(tw *w, const char *k, const char *v)
{
    if (v && *v)
        tw_strn(w, k, v, strlen(v));
}

static void tw_i64(tw *w, const char *k, int64_t v)
{
    tw_key(w, k);
    fprintf(w->f, "%" PRId64, v);
}

static void tw_bool(tw *w, const char *k, bool v)
{
    tw_key(w, k);
    fputs(v ? "true" : "false", w->f);
}

/* ISO 8601 with its zone as Timesketch's own examples write it: "2021-03-03T06:49:42.162+00:00".
 * ms must be formattable. */
static void iso_time(int64_t ms, char out[40])
{
    char t[32];
    xs_time_format(ms, t);
    size_t n = strlen(t);
    if (n && t[n - 1] == 'Z')
        t[--n] = 0;
    snprintf(out, 40, "%s+00:00", t);
}

/* A date field, left out when there is no date. */
static void tw_time(tw *w, const char *k, int64_t ms)
{
    if (!xs_time_formattable(ms))
        return;
    char t[40];
    iso_time(ms, t);
    tw_str(w, k, t);
}

/* Opens a record with the fields Timesketch requires: message, datetime, timestamp
 * (microseconds since the epoch), timestamp_desc. ms must be formattable (years 0 to 9999:
 * the microseconds fit an int64). */
static void tw_begin(tw *w, FILE *f, int64_t ms, const char *desc, const char *message)
{
    w->f = f;
    w->first = true;
    char t[40];
    iso_time(ms, t);
    tw_str(w, "message", message);
    tw_str(w, "datetime", t);
    tw_i64(w, "timestamp", ms * 1000);
    tw_str(w, "timestamp_desc", desc);
}

static void tw_end(tw *w)
{
    fputs("}\n", w->f);
}

/* The fields every record has after the four: what it is, and which root. */
static void tw_common(tw *w, const exs_results *r, const char *record, uint32_t root)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    tw_str(w, "data_type", strcmp(record, "state") == 0 ? "exsweep:server:state"
                                                          : "exsweep:finding");
    tw_str(w, "record", record);
    tw_i64(w, "root_index", root);
    if (root < sw->nroots)
        tw_str(w, "root", sw->roots[root].label);
}

/* ---------------------------------------------------------------- the servers' state */

static void state_server(tw *w, const exs_server *sv)
{
    tw_text(w, "server_build", sv->build);
    tw_text(w, "server_product", sv->product);
    tw_text(w, "server_cu", sv->cu);
    tw_text(w, "server_update", sv->update);
}

static void state_period(FILE *f, const exs_results *r, const exs_server *sv,
                           const exs_build_period *p)
{
    const int64_t at[2] = {p->from_ms, p->to_ms};
    for (int end = 0; end < 2; end++) {
        if (!xs_time_formattable(at[end]) || (end && at[1] == at[0]))
            continue;
        bool both = !end && at[1] == at[0];
        char msg[256];
        snprintf(msg, sizeof msg, "Build %.64s in force: %s log row under it", p->build,
                 both ? "the only" : end ? "the last" : "the first");
        tw w;
        tw_begin(&w, f, at[end], both ? "Build first and last seen"
                                  : end ? "Build last seen"
                                        : "Build first seen",
                 msg);
        tw_common(&w, r, "state", sv->root);
        tw_str(&w, "state_kind", end ? "build_period_end" : "build_period_start");
        tw_str(&w, "build", p->build);
        tw_time(&w, "period_from", p->from_ms);
        tw_time(&w, "period_to", p->to_ms);
        state_server(&w, sv);
        tw_end(&w);
    }
}

static void state_fix(FILE *f, const exs_results *r, const exs_server *sv,
                      const exs_family_state *fs)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%.32s fix in place%s%.64s", fs->family,
             *fs->fixed_by ? ": " : "", fs->fixed_by);
    tw w;
    tw_begin(&w, f, fs->fixed_ms, "Fix went on", msg);
    tw_common(&w, r, "state", sv->root);
    tw_str(&w, "state_kind", "fix");
    tw_str(&w, "family", fs->family);
    tw_str(&w, "exposure", exs_exposure_name(fs->state));
    tw_text(&w, "cves", fs->cves);
    tw_text(&w, "open_cves", fs->open_cves);
    tw_text(&w, "fixed_by", fs->fixed_by);
    tw_text(&w, "reason", fs->reason);
    tw_text(&w, "sources", fs->sources);
    tw_time(&w, "exploited", fs->exploited_ms);
    if (fs->exposed_ms >= 0)
        tw_i64(&w, "exposed_ms", fs->exposed_ms);
    state_server(&w, sv);
    tw_end(&w);
}

static const struct {
    const char *kind, *desc, *words;
} note_kinds[] = {
    {"update", "Update installed", "Update installed"},
    {"mitigation", "Mitigation seen in place", "Mitigation in place"},
    {"eomt", "EOMT record time", "EOMT record"},
    {"service", "Service state seen", "Service state"},
    {"install", "Install time", "Installed"},
};

static void state_note(FILE *f, const exs_results *r, const exs_server *sv,
                       const exs_state_note *n)
{
    const char *desc = "State note time", *words = "Server note";
    for (size_t i = 0; i < sizeof note_kinds / sizeof note_kinds[0]; i++)
        if (n->kind && strcmp(n->kind, note_kinds[i].kind) == 0) {
            desc = note_kinds[i].desc;
            words = note_kinds[i].words;
        }
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: %s", words, n->what ? n->what : "");
    tw w;
    tw_begin(&w, f, n->time_ms, desc, msg);
    tw_common(&w, r, "state", sv->root);
    tw_str(&w, "state_kind", "note");
    tw_str(&w, "note_kind", n->kind);
    tw_text(&w, "family", n->family);
    tw_str(&w, "note", n->what);
    tw_text(&w, "build", n->build);
    tw_text(&w, "note_file", n->file);
    if (n->line)
        tw_i64(&w, "note_line", (int64_t)n->line);
    state_server(&w, sv);
    tw_end(&w);
}

static exs_rc ts_begin(FILE *f, const exs_results *r, const exs_report_opts *o)
{
    (void)o;
    size_t n;
    const exs_server *sv = exs_results_servers(r, &n);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < sv[i].nperiods; k++)
            state_period(f, r, &sv[i], &sv[i].periods[k]);
        for (int k = 0; k < EXS_FAMILIES; k++)
            if (xs_time_formattable(sv[i].families[k].fixed_ms))
                state_fix(f, r, &sv[i], &sv[i].families[k]);
        for (size_t k = 0; k < sv[i].nnotes; k++)
            if (xs_time_formattable(sv[i].notes[k].time_ms))
                state_note(f, r, &sv[i], &sv[i].notes[k]);
    }
    return EXS_OK;
}

/* ---------------------------------------------------------------- findings */

/* What the time of a finding is. */
static const char *time_desc(const exs_finding *x)
{
    const char *k = x->origin.kind ? x->origin.kind : "";
    if (strcmp(k, "file") == 0)
        return x->file && x->file->mtime_ms == x->time_ms ? "File modified" : "Finding time";
    if (strcmp(k, "evtx") == 0 || strcmp(k, "jsonl") == 0 || strcmp(k, "export") == 0)
        return "Event time";
    if (strcmp(k, "correlation") == 0)
        return "Correlated event time";
    return *k ? "Log row time" : "Finding time";
}

/* A fact key is the library's name ([a-z0-9_], docs/findings.md); one that is not (a saved
 * sweep's lines are read back with the same rule, but the writer does not lean on it) is
 * left out rather than become a field name. */
static bool fact_key_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n == 0 || n > 48)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
            return false;
    return true;
}

static void finding_subject(tw *w, const exs_finding *x)
{
    const exs_http_facts *h = x->http;
    const exs_process_facts *p = x->process;
    const exs_event_facts *e = x->event;
    const exs_cmdlet_facts *cm = x->cmdlet;
    const exs_file_facts *fl = x->file;
    if (h) {
        tw_str(w, "http_method", h->method);
        tw_str(w, "http_path", h->path);
        tw_str(w, "http_query", h->query);
        if (h->status)
            tw_i64(w, "http_status", h->status);
        tw_str(w, "http_client", h->client);
        if (h->client_port)
            tw_i64(w, "http_client_port", h->client_port);
        tw_str(w, "http_user_agent", h->user_agent);
        tw_str(w, "http_user", h->user);
        tw_str(w, "http_host", h->host);
        tw_bool(w, "http_backend", h->backend);
    }
    if (p) {
        tw_str(w, "process_executable", p->executable);
        tw_str(w, "process_command_line", p->command_line);
        if (p->pid >= 0)
            tw_i64(w, "process_pid", p->pid);
        tw_str(w, "process_parent_executable", p->parent_executable);
        if (p->parent_pid >= 0)
            tw_i64(w, "process_parent_pid", p->parent_pid);
        tw_str(w, "process_user", p->user);
        tw_str(w, "process_target", p->target_executable);
    }
    if (e) {
        tw_str(w, "event_channel", e->channel);
        tw_str(w, "event_provider", e->provider);
        if (e->id)
            tw_i64(w, "event_id", e->id);
        tw_str(w, "event_computer", e->computer);
        if (e->recovered)
            tw_bool(w, "event_recovered", true);
    }
    if (cm) {
        tw_str(w, "cmdlet_name", cm->name);
        tw_str(w, "cmdlet_parameters", cm->parameters);
        tw_str(w, "cmdlet_user", cm->user);
        tw_str(w, "cmdlet_client", cm->client);
        if (cm->failed)
            tw_bool(w, "cmdlet_failed", true);
    }
    if (fl) {
        tw_str(w, "file_path", fl->path);
        if (fl->size >= 0)
            tw_i64(w, "file_size", fl->size);
        tw_str(w, "file_sha256", fl->sha256);
        tw_str(w, "file_sha1", fl->sha1);
        tw_str(w, "file_md5", fl->md5);
        tw_time(w, "file_mtime", fl->mtime_ms);
        tw_time(w, "file_atime", fl->atime_ms);
        tw_time(w, "file_ctime", fl->ctime_ms);
        tw_str(w, "file_attributes", fl->attributes);
        tw_str(w, "file_url", fl->url);
        tw_str(w, "file_site", fl->site);
    }
}

static exs_rc ts_finding(FILE *f, const exs_results *r, const exs_finding *x)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    bool known = xs_time_formattable(x->time_ms);
    int64_t at = known                               ? x->time_ms
                 : xs_time_formattable(sw->start_ms) ? sw->start_ms
                                                     : 0;
    char words[4096], msg[4096 + 128];
    xs_render_words(x, words, sizeof words);
    snprintf(msg, sizeof msg, "[%s] %s: %s", exs_verdict_name(x->verdict), x->rule->id, words);
    tw w;
    tw_begin(&w, f, at, known ? time_desc(x) : "Time unknown (sweep start)", msg);
    tw_common(&w, r, "finding", x->origin.root);
    if (!known)
        tw_bool(&w, "time_unknown", true);
    tw_str(&w, "finding_id", x->id);
    tw_str(&w, "rule_id", x->rule->id);
    tw_str(&w, "rule_name", x->rule->name);
    tw_text(&w, "family", x->rule->family);
    tw_text(&w, "cves", x->rule->cves);
    tw_text(&w, "techniques", x->rule->techniques);
    tw_bool(&w, "backdoor", x->rule->backdoor);
    tw_str(&w, "verdict", exs_verdict_name(x->verdict));
    tw_str(&w, "severity", exs_severity_name(x->severity));
    tw_str(&w, "reason", x->reason);
    char where[XS_MAX_WHERE];
    xs_render_where(r, x, true, where, sizeof where);
    tw_str(&w, "location", where);
    tw_str(&w, "origin_path", x->origin.path);
    for (size_t i = 0; i < x->origin.nmembers; i++) {
        char k[48];
        snprintf(k, sizeof k, "origin_member_%zu", i + 1);
        tw_str(&w, k, x->origin.members[i]);
    }
    tw_text(&w, "origin_kind", x->origin.kind);
    if (x->origin.line)
        tw_i64(&w, "origin_line", (int64_t)x->origin.line);
    if (x->origin.record)
        tw_i64(&w, "origin_record", (int64_t)x->origin.record);
    if (x->origin.offset >= 0)
        tw_i64(&w, "origin_offset", x->origin.offset);
    finding_subject(&w, x);
    for (size_t i = 0; i < x->nfacts; i++) {
        const char *k = x->facts[i].key;
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++)
            dup = strcmp(x->facts[j].key, k) == 0;
        if (dup || !fact_key_ok(k))
            continue;
        char key[64];
        snprintf(key, sizeof key, "fact_%s", k);
        tw_str(&w, key, x->facts[i].value);
    }
    tw_str(&w, "target", x->target);
    if (x->nrelated) {
        char rel[XS_MAX_RELATED * EXS_ID_LEN + 1];
        size_t o = 0;
        rel[0] = 0;
        for (size_t i = 0; i < x->nrelated; i++)
            xs_appendf(rel, sizeof rel, &o, "%s%s", i ? "," : "", x->related[i]);
        tw_str(&w, "related", rel);
    }
    tw_str(&w, "evidence", x->evidence);
    tw_end(&w);
    return EXS_OK;
}

const xs_writer xs_writer_timesketch = {"timesketch", ts_begin, ts_finding, NULL};
