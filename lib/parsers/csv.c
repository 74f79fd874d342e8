/* Exchange CSV logs: RFC 4180 splitting and column schemas. */
#include <stdio.h>

#include "core/timeparse.h"
#include "exsweep/finding.h"
#include "parsers/csv.h"

xs_str xs_strip_bom(xs_str s)
{
    if (s.n >= 3 && (unsigned char)s.p[0] == 0xEF && (unsigned char)s.p[1] == 0xBB &&
        (unsigned char)s.p[2] == 0xBF) {
        s.p += 3;
        s.n -= 3;
    }
    return s;
}

void xs_csv_split(const char *line, size_t len, xs_csv_row *row, char *scratch)
{
    const char *p = line, *end = line + len;
    char *out = scratch;
    if (len && end[-1] == '\r')
        end--;
    row->n = 0;
    row->merged = false;
    row->bad_quote = false;
    for (;;) {
        if (row->n == XS_MAX_FIELDS) {
            /* Too many fields: fold the rest into the last one, untouched. */
            xs_str *last = &row->f[XS_MAX_FIELDS - 1];
            if (last->p >= line && last->p <= end)
                last->n = (size_t)(end - last->p);
            row->merged = true;
            return;
        }
        xs_str *f = &row->f[row->n++];
        if (p < end && *p == '"') {
            const char *q = ++p;
            /* Fast path: no doubled quote inside, point into the line. */
            const char *close = memchr(q, '"', (size_t)(end - q));
            while (close && close + 1 < end && close[1] == '"') {
                /* Doubled quote: unescape this field into scratch. */
                char *start = out;
                for (;;) {
                    const char *c2 = memchr(q, '"', (size_t)(end - q));
                    if (!c2) {
                        memcpy(out, q, (size_t)(end - q));
                        out += end - q;
                        q = end;
                        row->bad_quote = true;
                        break;
                    }
                    memcpy(out, q, (size_t)(c2 - q));
                    out += c2 - q;
                    if (c2 + 1 < end && c2[1] == '"') {
                        *out++ = '"';
                        q = c2 + 2;
                        continue;
                    }
                    q = c2 + 1;
                    break;
                }
                *f = xs_str_make(start, (size_t)(out - start));
                p = q;
                goto after_quoted;
            }
            if (!close) {
                *f = xs_str_make(q, (size_t)(end - q));
                row->bad_quote = true;
                return;
            }
            *f = xs_str_make(q, (size_t)(close - q));
            p = close + 1;
        after_quoted:
            if (p >= end)
                return;
            if (*p != ',') {
                /* Text after the closing quote: keep it as part of the field's tail. */
                row->bad_quote = true;
                const char *comma = memchr(p, ',', (size_t)(end - p));
                p = comma ? comma : end;
                if (p >= end)
                    return;
            }
            p++; /* the comma */
            continue;
        }
        const char *comma = memchr(p, ',', (size_t)(end - p));
        if (!comma) {
            *f = xs_str_make(p, (size_t)(end - p));
            return;
        }
        *f = xs_str_make(p, (size_t)(comma - p));
        p = comma + 1;
    }
}

static bool span_ieq(xs_str a, xs_str b)
{
    if (a.n != b.n)
        return false;
    for (size_t i = 0; i < a.n; i++)
        if (xs_lower(a.p[i]) != xs_lower(b.p[i]))
            return false;
    return true;
}

static void schema_add(xs_csv_schema *s, xs_str name)
{
    size_t i = s->n;
    char tmp[XS_MAX_FIELD_NAME + 16];
    name = xs_str_trim(name);
    if (name.n > XS_MAX_FIELD_NAME)
        name.n = XS_MAX_FIELD_NAME;
    if (name.n == 0) {
        int k = snprintf(tmp, sizeof tmp, "#%zu", i + 1);
        name = xs_str_make(tmp, (size_t)k);
        s->renamed++;
    } else {
        /* Duplicates: the first keeps the plain name, later ones are numbered. One pass
         * counts the earlier copies, so a hostile header of 512 equal names stays O(n^2). */
        unsigned k = 1;
        for (size_t j = 0; j < i; j++) {
            xs_str o = xs_csv_schema_name(s, j);
            if (o.n >= name.n && span_ieq(xs_str_make(o.p, name.n), name) &&
                (o.n == name.n || o.p[name.n] == '#'))
                k++;
        }
        if (k > 1) {
            int w = snprintf(tmp, sizeof tmp, "%.*s#%u", (int)name.n, name.p, k);
            name = xs_str_make(tmp, (size_t)w);
            s->renamed++;
        }
    }
    /* Room is kept for a positional name ("#512", POS_NAME bytes at most) for every column
     * that may follow, so a header of long names still leaves each column findable. */
    enum { POS_NAME = 4 };
    size_t reserve = (XS_MAX_FIELDS - i - 1) * POS_NAME;
    if (s->used + name.n + reserve > sizeof s->names) {
        int k = snprintf(tmp, sizeof tmp, "#%zu", i + 1);
        name = xs_str_make(tmp, (size_t)k);
    }
    _Static_assert(XS_CSV_NAMES_BYTES >= XS_MAX_FIELDS * POS_NAME, "positional names fit");
    memmove(s->names + s->used, name.p, name.n);
    s->off[i] = (unsigned short)s->used;
    s->len[i] = (unsigned char)name.n;
    s->used += name.n;
    s->n++;
}

void xs_csv_schema_set(xs_csv_schema *s, const xs_csv_row *header)
{
    s->n = 0;
    s->used = 0;
    s->renamed = 0;
    for (size_t i = 0; i < header->n && i < XS_MAX_FIELDS; i++) {
        xs_str f = header->f[i];
        if (i == 0)
            f = xs_strip_bom(f);
        schema_add(s, f);
    }
}

void xs_csv_schema_copy(xs_csv_schema *dst, const xs_csv_schema *src)
{
    dst->n = src->n;
    dst->used = src->used;
    dst->renamed = src->renamed;
    memcpy(dst->off, src->off, src->n * sizeof src->off[0]);
    memcpy(dst->len, src->len, src->n * sizeof src->len[0]);
    memcpy(dst->names, src->names, src->used);
}

void xs_csv_schema_set_list(xs_csv_schema *s, const char *list)
{
    s->n = 0;
    s->used = 0;
    s->renamed = 0;
    for (const char *p = list; s->n < XS_MAX_FIELDS;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        schema_add(s, xs_str_make(p, n));
        if (!c)
            break;
        p = c + 1;
    }
}

int xs_csv_schema_find(const xs_csv_schema *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (xs_str_ieq(xs_csv_schema_name(s, i), name))
            return (int)i;
    return -1;
}

xs_str xs_csv_schema_name(const xs_csv_schema *s, size_t i)
{
    if (i >= s->n)
        return XS_STR_NULL;
    return xs_str_make(s->names + s->off[i], s->len[i]);
}

bool xs_csv_looks_like_header(const xs_csv_row *r)
{
    if (r->n < 2)
        return false;
    size_t named = 0;
    for (size_t i = 0; i < r->n; i++) {
        xs_str f = i == 0 ? xs_strip_bom(r->f[i]) : r->f[i];
        f = xs_str_trim(f);
        if (f.n == 0)
            continue; /* empty names happen in real headers */
        if (f.n > XS_MAX_FIELD_NAME)
            return false;
        if (xs_time_parse_iso(f) != EXS_TIME_NONE)
            return false;
        bool digits_only = true, letter = false;
        for (size_t k = 0; k < f.n; k++) {
            char c = f.p[k];
            bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            bool ok = alpha || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ' ' ||
                      c == '(' || c == ')' || c == '.' || c == '/' || c == '@' || c == '#';
            if (!ok)
                return false;
            letter |= alpha;
            digits_only &= !alpha;
        }
        if (digits_only || !letter)
            return false;
        named++;
    }
    return named >= 2;
}

/* Catalogue 1.3: build 15.01.2375.007, 74 columns. */
const char xs_csv_fields_httpproxy[] =
    "DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,"
    "Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,"
    "AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,"
    "HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,"
    "RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,"
    "ResponseBytes,TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,"
    "CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,"
    "AccountForestLatencyBreakup,TotalAccountForestLatency,ResourceForestLatencyBreakup,"
    "TotalResourceForestLatency,ADLatency,SharedCacheLatencyBreakup,TotalSharedCacheLatency,"
    "ActivityContextLifeTime,ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,"
    "BackendReqInitLatency,BackendReqStreamLatency,BackendProcessingLatency,"
    "BackendRespInitLatency,BackendRespStreamLatency,ClientRespStreamLatency,"
    "KerberosAuthHeaderLatency,HandlerCompletionLatency,RequestHandlerLatency,"
    "HandlerToModuleSwitchingLatency,ProxyTime,CoreLatency,RoutingLatency,HttpProxyOverhead,"
    "TotalRequestTime,RouteRefresherLatency,UrlQuery,BackEndGenericInfo,GenericInfo,"
    "GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,"
    "RoutingStatus";

/* Catalogue 1.4. */
const char xs_csv_fields_ecp[] = "TimeStamp,ServerName,EventId,EventData";

/* Catalogue 1.5: build 15.01.1713.001, 38 columns. */
const char xs_csv_fields_rpshttp[] =
    "DateTime,StartTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,"
    "ClientRequestId,UrlHost,UrlStem,AuthenticationType,IsAuthenticated,AuthenticatedUser,"
    "Organization,ManagedOrganization,ClientIpAddress,ServerHostName,FrontEndServer,HttpStatus,"
    "SubStatus,ErrorCode,Action,CommandId,CommandName,SessionId,ShellId,FailFast,"
    "ContributeToFailFast,RequestBytes,ClientInfo,CPU,Memory,ActivityContextLifeTime,TotalTime,"
    "UrlQuery,GenericLatency,GenericInfo,GenericErrors";

/* Rps_Cmdlet as written by build 15.01.2375.007. */
const char xs_csv_fields_rpscmdlet[] =
    "DateTime,StartTime,RequestId,ClientRequestId,MajorVersion,MinorVersion,BuildVersion,"
    "RevisionVersion,ServerHostName,ProcessId,ProcessName,ThreadId,CultureInfo,Organization,"
    "AuthenticatedUser,ExecutingUserSid,EffectiveOrganization,UserServicePlan,IsAdmin,"
    "ClientApplication,Cmdlet,Parameters,CmdletUniqueId,UserBudgetOnStart,ContributeToFailFast,"
    "RunspaceSettingsCreationHint,ADViewEntireForest,ADRecipientViewRoot,"
    "ADConfigurationDomainControllers,ADPreferredGlobalCatalogs,ADPreferredDomainControllers,"
    "ADUserConfigurationDomainController,ADUserPreferredGlobalCatalog,"
    "ADuserPreferredDomainControllers,ThrottlingInfo,DelayInfo,ThrottlingDelay,"
    "IsOutputObjectRedacted,CmdletProxyStage,CmdletProxyRemoteServer,"
    "CmdletProxyRemoteServerVersion,CmdletProxyMethod,ProxiedObjectCount,CmdletProxyLatency,"
    "OutputObjectCount,ParameterBinding,BeginProcessing,ProcessRecord,EndProcessing,"
    "StopProcessing,BizLogic,PowerShellLatency,UserInteractionLatency,ProvisioningLayerLatency,"
    "ActivityContextLifeTime,TotalTime,ErrorType,ExecutionResult,CacheHitCount,CacheMissCount,"
    "GenericLatency,GenericInfo,GenericErrors,ObjectGuid,ExternalDirectoryOrganizationId,"
    "ExternalDirectoryObjectId,NonPiiParameters";
