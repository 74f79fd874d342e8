/* The registry of evidence kinds and their log readers. */
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "detectors/detect.h"
#include "logs/state.h"

extern const exs_logkind exs_logkind_httpproxy, exs_logkind_export, exs_logkind_rpshttp,
    exs_logkind_rpscmdlet, exs_logkind_ecp, exs_logkind_exchange, exs_logkind_iis,
    exs_logkind_oabgen, exs_logkind_text, exs_logkind_jsonl;

/* Request-shaped logs call the ProxyLogon, ProxyShell and web-shell detectors: theirs. */
static const exs_pattern *const pl_request_w3c[] = {
    exs_pat_directive, exs_pat_proxylogon, exs_pat_webshell, exs_pat_proxyshell,
    exs_pat_decoded,   exs_pat_paths_w3c,  NULL};
static const exs_pattern *const pl_request_csv[] = {
    exs_pat_directive, exs_pat_proxylogon, exs_pat_webshell, exs_pat_proxyshell,
    exs_pat_decoded,   exs_pat_paths_csv,  NULL};
static const exs_pattern *const pl_ecp[] = {exs_pat_directive, exs_pat_ecp, NULL};
static const exs_pattern *const pl_oabgen[] = {exs_pat_oabgen, NULL};
static const exs_pattern *const pl_rpshttp[] = {exs_pat_directive, exs_pat_rpshttp, NULL};
static const exs_pattern *const pl_cmdlet[] = {exs_pat_directive, exs_pat_cmdlet, NULL};
static const exs_pattern *const pl_exchange[] = {exs_pat_directive, NULL};
static const exs_pattern *const pl_text[] = {exs_pat_text, NULL};
static const exs_pattern *const pl_jsonl[] = {exs_pat_jsonl, NULL};

static const exs_pattern_set set_request_w3c = {pl_request_w3c, exs_conj_request};
static const exs_pattern_set set_request_csv = {pl_request_csv, exs_conj_request};
static const exs_pattern_set set_ecp = {pl_ecp, NULL};
static const exs_pattern_set set_oabgen = {pl_oabgen, NULL};
static const exs_pattern_set set_rpshttp = {pl_rpshttp, NULL};
static const exs_pattern_set set_cmdlet = {pl_cmdlet, NULL};
static const exs_pattern_set set_exchange = {pl_exchange, NULL};
static const exs_pattern_set set_text = {pl_text, NULL};
static const exs_pattern_set set_jsonl = {pl_jsonl, NULL};

/* Every kind once: its name, its reader (log kinds), its prefilter set. Request-shaped logs
 * share their triggers and tokens; their path expressions differ by format (patterns.c), so
 * CSV logs (HttpProxy, exports) share one database and IIS has its own. */
static const struct {
    const char *name;
    const exs_logkind *reader;
    const exs_pattern_set *set;
} kinds[EXS_KIND__COUNT] = {
    [EXS_KIND_NONE] = {"none", NULL, NULL},
    [EXS_KIND_HTTPPROXY] = {"httpproxy", &exs_logkind_httpproxy, &set_request_csv},
    [EXS_KIND_ECP] = {"ecp", &exs_logkind_ecp, &set_ecp},
    [EXS_KIND_OABGEN] = {"oabgen", &exs_logkind_oabgen, &set_oabgen},
    [EXS_KIND_RPSHTTP] = {"rps_http", &exs_logkind_rpshttp, &set_rpshttp},
    [EXS_KIND_RPSCMDLET] = {"rps_cmdlet", &exs_logkind_rpscmdlet, &set_cmdlet},
    [EXS_KIND_EXCHANGE] = {"exchange", &exs_logkind_exchange, &set_exchange},
    [EXS_KIND_IIS] = {"iis", &exs_logkind_iis, &set_request_w3c},
    [EXS_KIND_EXPORT] = {"export", &exs_logkind_export, &set_request_csv},
    [EXS_KIND_TEXT] = {"text", &exs_logkind_text, &set_text},
    [EXS_KIND_EVTX] = {"evtx", NULL, NULL},
    [EXS_KIND_JSONL] = {"jsonl", &exs_logkind_jsonl, &set_jsonl},
    [EXS_KIND_ARCHIVE] = {"archive", NULL, NULL},
};

static bool known(exs_kind k)
{
    return (int)k >= 0 && k < EXS_KIND__COUNT && kinds[k].name;
}

const char *exs_kind_name(exs_kind k)
{
    return known(k) ? kinds[k].name : "unknown";
}

const exs_logkind *exs_logkind_get(exs_kind k)
{
    return known(k) ? kinds[k].reader : NULL;
}

const exs_pattern_set *exs_kind_patterns(exs_kind k)
{
    return known(k) ? kinds[k].set : NULL;
}

exs_logstate *exs_logstate_create(void)
{
    exs_logstate *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->scratch = malloc(2 * (size_t)EXS_MAX_LINE + 16);
    st->pairs = calloc(EXS_EVTX_MAX_FIELDS, sizeof *st->pairs);
    st->evfields = calloc(EXS_EVTX_MAX_FIELDS, sizeof *st->evfields);
    if (!st->scratch || !st->pairs || !st->evfields) {
        exs_logstate_destroy(st);
        return NULL;
    }
    return st;
}

void exs_logstate_destroy(exs_logstate *st)
{
    if (!st)
        return;
    free(st->scratch);
    free(st->pairs);
    free(st->evfields);
    free(st);
}

void exs_logstate_reset(exs_logstate *st, exs_kind k)
{
    st->kind = k;
    st->have_schema = false;
    st->fields_directive = false;
    st->schema_changes = 0;
    memset(&st->ev, 0, sizeof st->ev);
    st->schema_renamed = 0;
    st->warned_names = false;
    st->warned_wide = false;
    st->fields_hash = 0;
    st->schema.n = 0;
    st->w3c.n = 0;
    st->w3c.date[0] = 0;
    st->last_sip[0] = 0;
    for (int i = 0; i < W3C__COUNT; i++)
        st->w3c.idx[i] = -1;
    for (int i = 0; i < C__COUNT; i++)
        st->col[i] = -1;
}
