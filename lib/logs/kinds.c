/* The registry of evidence kinds and their log readers. */
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "detectors/detect.h"
#include "logs/state.h"

extern const exs_logkind exs_logkind_httpproxy, exs_logkind_export, exs_logkind_rpshttp,
    exs_logkind_rpscmdlet, exs_logkind_ecp, exs_logkind_exchange, exs_logkind_iis,
    exs_logkind_oabgen, exs_logkind_text, exs_logkind_jsonl;

const char *exs_kind_name(exs_kind k)
{
    switch (k) {
    case EXS_KIND_NONE: return "none";
    case EXS_KIND_HTTPPROXY: return "httpproxy";
    case EXS_KIND_ECP: return "ecp";
    case EXS_KIND_OABGEN: return "oabgen";
    case EXS_KIND_RPSHTTP: return "rps_http";
    case EXS_KIND_RPSCMDLET: return "rps_cmdlet";
    case EXS_KIND_EXCHANGE: return "exchange";
    case EXS_KIND_IIS: return "iis";
    case EXS_KIND_EXPORT: return "export";
    case EXS_KIND_TEXT: return "text";
    case EXS_KIND_EVTX: return "evtx";
    case EXS_KIND_JSONL: return "jsonl";
    case EXS_KIND_ARCHIVE: return "archive";
    case EXS_KIND__COUNT: break;
    }
    return "unknown";
}

const exs_logkind *exs_logkind_get(exs_kind k)
{
    switch (k) {
    case EXS_KIND_HTTPPROXY: return &exs_logkind_httpproxy;
    case EXS_KIND_ECP: return &exs_logkind_ecp;
    case EXS_KIND_OABGEN: return &exs_logkind_oabgen;
    case EXS_KIND_RPSHTTP: return &exs_logkind_rpshttp;
    case EXS_KIND_RPSCMDLET: return &exs_logkind_rpscmdlet;
    case EXS_KIND_EXCHANGE: return &exs_logkind_exchange;
    case EXS_KIND_IIS: return &exs_logkind_iis;
    case EXS_KIND_EXPORT: return &exs_logkind_export;
    case EXS_KIND_TEXT: return &exs_logkind_text;
    case EXS_KIND_JSONL: return &exs_logkind_jsonl;
    default: return NULL;
    }
}

static const exs_pattern *const pl_request[] = {exs_pat_directive, exs_pat_request, NULL};
static const exs_pattern *const pl_ecp[] = {exs_pat_directive, exs_pat_ecp, NULL};
static const exs_pattern *const pl_oabgen[] = {exs_pat_oabgen, NULL};
static const exs_pattern *const pl_rpshttp[] = {exs_pat_directive, exs_pat_rpshttp, NULL};
static const exs_pattern *const pl_cmdlet[] = {exs_pat_directive, exs_pat_cmdlet, NULL};
static const exs_pattern *const pl_exchange[] = {exs_pat_directive, NULL};
static const exs_pattern *const pl_text[] = {exs_pat_text, NULL};
static const exs_pattern *const pl_jsonl[] = {exs_pat_jsonl, NULL};

static const exs_pattern_set set_request = {pl_request, exs_conj_request};
static const exs_pattern_set set_ecp = {pl_ecp, NULL};
static const exs_pattern_set set_oabgen = {pl_oabgen, NULL};
static const exs_pattern_set set_rpshttp = {pl_rpshttp, NULL};
static const exs_pattern_set set_cmdlet = {pl_cmdlet, NULL};
static const exs_pattern_set set_exchange = {pl_exchange, NULL};
static const exs_pattern_set set_text = {pl_text, NULL};
static const exs_pattern_set set_jsonl = {pl_jsonl, NULL};

const exs_pattern_set *exs_kind_patterns(exs_kind k)
{
    switch (k) {
    case EXS_KIND_HTTPPROXY:
    case EXS_KIND_EXPORT:
    case EXS_KIND_IIS: return &set_request;
    case EXS_KIND_ECP: return &set_ecp;
    case EXS_KIND_OABGEN: return &set_oabgen;
    case EXS_KIND_RPSHTTP: return &set_rpshttp;
    case EXS_KIND_RPSCMDLET: return &set_cmdlet;
    case EXS_KIND_EXCHANGE: return &set_exchange;
    case EXS_KIND_TEXT: return &set_text;
    case EXS_KIND_JSONL: return &set_jsonl;
    default: return NULL;
    }
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
    for (int i = 0; i < W3C__COUNT; i++)
        st->w3c.idx[i] = -1;
    for (int i = 0; i < C__COUNT; i++)
        st->col[i] = -1;
}
