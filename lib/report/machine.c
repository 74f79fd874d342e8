/* Machine-readable reports: JSON lines with ECS field names, and CSV. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/timeparse.h"
#include "report/report_int.h"

static void json_str(FILE *f, const char *key, const char *v, int *first)
{
    if (!v)
        return;
    fprintf(f, "%s\"%s\":\"", *first ? "" : ",", key);
    exs_esc_json(f, v, strlen(v));
    fputc('"', f);
    *first = 0;
}

static bool is_ip(const char *s)
{
    unsigned char buf[16];
    return s && (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1);
}

static void json_cves(FILE *f, const char *cves)
{
    fputs("\"vulnerability\":{\"id\":[", f);
    const char *p = cves;
    int first = 1;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        fprintf(f, "%s\"%.*s\"", first ? "" : ",", (int)n, p);
        first = 0;
        if (!c)
            break;
        p = c + 1;
    }
    fputs("]},", f);
}

void exs_report_jsonl_one(FILE *f, const exs_finding *x)
{
    char ts[32];
    fputc('{', f);
    if (x->time_ms != EXS_TIME_NONE) {
        exs_time_format(x->time_ms, ts);
        fprintf(f, "\"@timestamp\":\"%s\",", ts);
    }
    fprintf(f,
            "\"event\":{\"kind\":\"alert\",\"category\":[\"intrusion_detection\"],"
            "\"type\":[\"indicator\"],\"module\":\"exsweep\",\"dataset\":\"exsweep.%s\","
            "\"severity\":%d},",
            x->source ? x->source : "scan", (int)x->severity);
    fputs("\"rule\":{", f);
    int first = 1;
    json_str(f, "id", x->rule->id, &first);
    json_str(f, "name", x->rule->name, &first);
    json_str(f, "category", x->rule->family, &first);
    json_str(f, "ruleset", "exsweep", &first);
    fputs("},", f);
    if (x->rule->cves[0])
        json_cves(f, x->rule->cves);
    if (x->client_ip) {
        fputs("\"source\":{", f);
        first = 1;
        json_str(f, "address", x->client_ip, &first);
        if (is_ip(x->client_ip))
            json_str(f, "ip", x->client_ip, &first);
        fputs("},", f);
    }
    if (x->user_agent) {
        first = 1;
        fputs("\"user_agent\":{", f);
        json_str(f, "original", x->user_agent, &first);
        fputs("},", f);
    }
    if (x->method || x->http_status) {
        fputs("\"http\":{", f);
        if (x->method) {
            first = 1;
            fputs("\"request\":{", f);
            json_str(f, "method", x->method, &first);
            fputc('}', f);
        }
        if (x->http_status)
            fprintf(f, "%s\"response\":{\"status_code\":%d}", x->method ? "," : "",
                    x->http_status);
        fputs("},", f);
    }
    if (x->url_path || x->url_query || x->host) {
        first = 1;
        fputs("\"url\":{", f);
        json_str(f, "path", x->url_path, &first);
        json_str(f, "query", x->url_query, &first);
        json_str(f, "domain", x->host, &first);
        fputs("},", f);
    }
    if (x->user) {
        first = 1;
        fputs("\"user\":{", f);
        json_str(f, "name", x->user, &first);
        fputs("},", f);
    }
    first = 1;
    fputs("\"file\":{", f);
    json_str(f, "path", x->file, &first);
    if (x->file_size >= 0)
        fprintf(f, ",\"size\":%lld", (long long)x->file_size);
    if (x->sha256) {
        fputs(",\"hash\":{", f);
        first = 1;
        json_str(f, "sha256", x->sha256, &first);
        fputc('}', f);
    }
    fputs("},", f);
    fprintf(f, "\"exsweep\":{\"verdict\":\"%s\",\"severity\":\"%s\",\"line\":%llu",
            exs_verdict_name(x->verdict), exs_severity_name(x->severity),
            (unsigned long long)x->line);
    first = 0;
    json_str(f, "target", x->target, &first);
    json_str(f, "detail", x->detail, &first);
    json_str(f, "evidence", x->evidence, &first);
    fputs("}}\n", f);
}

void exs_report_jsonl(const exs_scan *s, FILE *f)
{
    size_t n;
    const exs_finding *v = exs_scan_findings(s, &n);
    for (size_t i = 0; i < n; i++)
        exs_report_jsonl_one(f, &v[i]);
}

static void csv_field(FILE *f, const char *v, int last)
{
    exs_esc_csv(f, v ? v : "", v ? strlen(v) : 0);
    fputc(last ? '\n' : ',', f);
}

void exs_report_csv(const exs_scan *s, FILE *f)
{
    fputs("time,verdict,severity,rule_id,cve,rule_name,source,client_ip,method,url_path,"
          "url_query,http_status,user_agent,user,host,target,file,line,sha256,detail,evidence\n",
          f);
    size_t n;
    const exs_finding *v = exs_scan_findings(s, &n);
    for (size_t i = 0; i < n; i++) {
        const exs_finding *x = &v[i];
        char ts[32], st[16], ln[32];
        exs_time_format(x->time_ms, ts);
        snprintf(st, sizeof st, "%d", x->http_status);
        snprintf(ln, sizeof ln, "%llu", (unsigned long long)x->line);
        csv_field(f, x->time_ms == EXS_TIME_NONE ? "" : ts, 0);
        csv_field(f, exs_verdict_name(x->verdict), 0);
        csv_field(f, exs_severity_name(x->severity), 0);
        csv_field(f, x->rule->id, 0);
        csv_field(f, x->rule->cves, 0);
        csv_field(f, x->rule->name, 0);
        csv_field(f, x->source, 0);
        csv_field(f, x->client_ip, 0);
        csv_field(f, x->method, 0);
        csv_field(f, x->url_path, 0);
        csv_field(f, x->url_query, 0);
        csv_field(f, x->http_status ? st : "", 0);
        csv_field(f, x->user_agent, 0);
        csv_field(f, x->user, 0);
        csv_field(f, x->host, 0);
        csv_field(f, x->target, 0);
        csv_field(f, x->file, 0);
        csv_field(f, x->line ? ln : "", 0);
        csv_field(f, x->sha256, 0);
        csv_field(f, x->detail, 0);
        csv_field(f, x->evidence, 1);
    }
}
