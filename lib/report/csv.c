/* CSV: a header, then one row per kept finding. Every field is quoted and escaped
 * (xs_esc_csv: doubled quotes, controls, spreadsheet formula prefixes). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/limits.h"
#include "core/timeparse.h"
#include "report/render.h"
#include "report/report_int.h"

static void field(FILE *f, const char *v, int last)
{
    xs_esc_csv(f, v ? v : "", v ? strlen(v) : 0);
    fputc(last ? '\n' : ',', f);
}

static exs_rc csv_begin(FILE *f, const exs_results *r, const exs_report_opts *o)
{
    (void)r;
    (void)o;
    fputs("time,verdict,severity,rule_id,cve,rule_name,id,root,path,line,record,kind,client,"
          "method,url_path,url_query,http_status,user_agent,user,host,process,command_line,"
          "parent,event_id,computer,cmdlet,parameters,file,sha256,size,target,message,related,"
          "evidence\n",
          f);
    return EXS_OK;
}

static exs_rc csv_finding(FILE *f, const exs_results *r, const exs_finding *x)
{
    const exs_http_facts *h = x->http;
    const exs_process_facts *p = x->process;
    const exs_event_facts *e = x->event;
    const exs_cmdlet_facts *c = x->cmdlet;
    const exs_file_facts *fl = x->file;
    const exs_sweep_info *sw = exs_results_sweep(r);
    char ts[32], n1[32], n2[32], st[16], ev[16], sz[32], where[XS_MAX_WHERE], words[4096],
        rel[XS_MAX_RELATED * EXS_ID_LEN];
    xs_time_format(x->time_ms, ts);
    snprintf(n1, sizeof n1, "%" PRIu64, x->origin.line);
    snprintf(n2, sizeof n2, "%" PRIu64, x->origin.record);
    snprintf(st, sizeof st, "%d", h ? h->status : 0);
    snprintf(ev, sizeof ev, "%u", e ? (unsigned)e->id : 0u);
    snprintf(sz, sizeof sz, "%" PRId64, fl ? fl->size : -1);
    size_t o = 0;
    xs_render_where(r, x, false, where, sizeof where);
    xs_render_words(x, words, sizeof words);
    rel[0] = 0;
    for (size_t i = 0; i < x->nrelated; i++)
        xs_appendf(rel, sizeof rel, &o, "%s%s", i ? " " : "", x->related[i]);
    const char *user = h && h->user ? h->user : c && c->user ? c->user : p ? p->user : NULL;
    field(f, xs_time_formattable(x->time_ms) ? ts : "", 0);
    field(f, exs_verdict_name(x->verdict), 0);
    field(f, exs_severity_name(x->severity), 0);
    field(f, x->rule->id, 0);
    field(f, x->rule->cves, 0);
    field(f, x->rule->name, 0);
    field(f, x->id, 0);
    field(f, x->origin.root < sw->nroots ? sw->roots[x->origin.root].label : "", 0);
    field(f, where, 0);
    field(f, x->origin.line ? n1 : "", 0);
    field(f, x->origin.record ? n2 : "", 0);
    field(f, x->origin.kind, 0);
    field(f, h ? h->client : NULL, 0);
    field(f, h ? h->method : NULL, 0);
    field(f, h ? h->path : NULL, 0);
    field(f, h ? h->query : NULL, 0);
    field(f, h && h->status ? st : "", 0);
    field(f, h ? h->user_agent : NULL, 0);
    field(f, user, 0);
    field(f, h ? h->host : NULL, 0);
    field(f, p ? p->executable : NULL, 0);
    field(f, p ? p->command_line : NULL, 0);
    field(f, p ? p->parent_executable : NULL, 0);
    field(f, e && e->id ? ev : "", 0);
    field(f, e ? e->computer : NULL, 0);
    field(f, c ? c->name : NULL, 0);
    field(f, c ? c->parameters : NULL, 0);
    field(f, fl ? fl->path : NULL, 0);
    field(f, fl ? fl->sha256 : NULL, 0);
    field(f, fl && fl->size >= 0 ? sz : "", 0);
    field(f, x->target, 0);
    field(f, words, 0);
    field(f, rel, 0);
    field(f, x->evidence, 1);
    return EXS_OK;
}

const xs_writer xs_writer_csv = {"csv", csv_begin, csv_finding, NULL};
