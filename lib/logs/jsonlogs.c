/* Reader of event exports with one JSON object per line (Security-Datasets, Winlogbeat,
 * Velociraptor, Chainsaw): each object becomes an xs_event for the event detectors. Exports
 * name the same things differently; the first key found wins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/timeparse.h"
#include "detectors/detect.h"
#include "exsweep/finding.h"
#include "engines/prefilter.h"
#include "logs/kinds.h"
#include "parsers/json.h"
#include "scan/ctx.h"

/* The reader's state (one per worker, reset per file). */
typedef struct jsonl_state {
    char *scratch;             /* the shared room */
    xs_json_pair *pairs;      /* XS_EVTX_MAX_FIELDS */
    xs_event_field *evfields; /* XS_EVTX_MAX_FIELDS */
    xs_event_state ev;        /* the event detectors' state across the file's events */
} jsonl_state;

static bool jsonl_init(void *own)
{
    jsonl_state *st = own;
    st->pairs = calloc(XS_EVTX_MAX_FIELDS, sizeof *st->pairs);
    st->evfields = calloc(XS_EVTX_MAX_FIELDS, sizeof *st->evfields);
    return st->pairs && st->evfields;
}

static void jsonl_fini(void *own)
{
    jsonl_state *st = own;
    free(st->pairs);
    free(st->evfields);
}

static void jsonl_reset(void *own, xs_kind k, char *scratch)
{
    (void)k;
    jsonl_state *st = own;
    st->scratch = scratch;
    memset(&st->ev, 0, sizeof st->ev);
}

static const xs_logstate_type jsonl_state_type = {sizeof(jsonl_state), jsonl_init, jsonl_fini,
                                                   jsonl_reset};

static xs_str pick(const xs_event *e, const char *const *keys)
{
    for (; *keys; keys++) {
        xs_str v = xs_event_get(e, *keys);
        if (v.n)
            return v;
    }
    return XS_STR_NULL;
}

static uint8_t level_of(xs_str v)
{
    long n = xs_str_uint(xs_str_trim(v), 255);
    if (n >= 0)
        return (uint8_t)n;
    if (xs_str_ieq(v, "critical"))
        return 1;
    if (xs_str_ieq(v, "error"))
        return 2;
    if (xs_str_ieq(v, "warning"))
        return 3;
    if (xs_str_istarts(v, "info"))
        return 4;
    return 0;
}

static int64_t time_of(const xs_event *e)
{
    static const char *const keys[] = {"@timestamp", "TimeCreated", "timestamp", "UtcTime",
                                       "EventTime", "SystemTime", NULL};
    for (const char *const *k = keys; *k; k++) {
        xs_str v = xs_str_trim(xs_event_get(e, *k));
        if (!v.n)
            continue;
        int64_t t = xs_time_parse_iso(v);
        if (t == EXS_TIME_NONE)
            t = xs_find_time(v);
        if (t != EXS_TIME_NONE)
            return t;
    }
    return EXS_TIME_NONE;
}

static void jsonl_row(xs_logstate *ls, xs_ctx *c, xs_str line, uint64_t lineno)
{
    jsonl_state *st = ls->own;
    static const char *const provider_keys[] = {"SourceName", "ProviderName", "Provider_Name",
                                                "provider_name", "Provider", "Source", NULL};
    static const char *const id_keys[] = {"EventID", "EventId", "event_id", "EventCode",
                                          "code", NULL};
    static const char *const channel_keys[] = {"Channel", "channel", "log_name", NULL};
    static const char *const record_keys[] = {"EventRecordID", "RecordNumber", "record_id", NULL};
    static const char *const host_keys[] = {"Hostname", "Computer", "computer_name",
                                            "ComputerName", NULL};
    size_t n = 0;
    if (xs_json_flat(line.p, line.n, st->pairs, XS_EVTX_MAX_FIELDS, &n, st->scratch) < 0) {
        c->rows_bad++;
        xs_warn(c->scan, XS_W_BAD_ROW, c->file, lineno, "malformed JSON event");
        if (n == 0)
            return;
    }
    for (size_t i = 0; i < n; i++) {
        st->evfields[i].name = st->pairs[i].key;
        st->evfields[i].value = st->pairs[i].value;
    }
    xs_event e;
    memset(&e, 0, sizeof e);
    e.fields = st->evfields;
    e.nfields = n;
    e.line = lineno;
    e.offset = -1; /* the pipeline gives the line's */
    long rid = xs_str_uint(xs_str_trim(pick(&e, record_keys)), 0x7fffffffL);
    e.record = rid < 0 ? 0 : (uint64_t)rid;
    e.provider = pick(&e, provider_keys);
    long id = xs_str_uint(xs_str_trim(pick(&e, id_keys)), 0xffffffffL);
    e.event_id = id < 0 ? 0 : (uint32_t)id;
    e.level = level_of(xs_event_get(&e, "Level"));
    e.channel = pick(&e, channel_keys);
    e.computer = pick(&e, host_keys);
    e.time_ms = time_of(&e);
    xs_str msg = xs_event_get(&e, "Message");
    e.text = msg.n ? msg : line;
    xs_detect_event(c, &st->ev, &e);
}

static void jsonl_end(xs_logstate *ls, xs_ctx *c)
{
    jsonl_state *st = ls->own;
    xs_detect_events_end(c, &st->ev);
}

static int64_t jsonl_time(xs_logstate *ls, xs_str line)
{
    /* the coverage window: the first timestamp-looking token of the object */
    (void)ls;
    long k = xs_str_ifind(line, "\"@timestamp\"");
    if (k < 0)
        k = xs_str_ifind(line, "\"TimeCreated\"");
    if (k < 0)
        return EXS_TIME_NONE;
    xs_str rest = xs_str_make(line.p + k, line.n - (size_t)k);
    for (size_t i = 0; i + 20 < rest.n && i < 64; i++)
        if (rest.p[i] >= '0' && rest.p[i] <= '9' && rest.p[i + 4] == '-')
            return xs_find_time(xs_str_make(rest.p + i, rest.n - i));
    return EXS_TIME_NONE;
}

/* An event export: the first line is one object with an event key. */
static bool jsonl_first(const xs_head *h)
{
    xs_str f = h->first;
    return f.n && f.p[0] == '{' &&
           (xs_str_icontains(f, "\"EventID\"") || xs_str_icontains(f, "\"event_id\"") ||
            xs_str_icontains(f, "\"EventId\"") || xs_str_icontains(f, "\"winlog\""));
}

static const xs_pattern *const pl_jsonl[] = {xs_pat_jsonl, NULL};
static const xs_pattern_set set_jsonl = {pl_jsonl, NULL};

const xs_logkind xs_logkind_jsonl = {
    .kind = XS_KIND_JSONL, .name = "jsonl", .family = "Events (JSON lines)",
    .flags = XS_KF_PARSED, .sniff = {.first = jsonl_first}, .patterns = &set_jsonl,
    .state = &jsonl_state_type, .row = jsonl_row, .row_time = jsonl_time, .end = jsonl_end};
