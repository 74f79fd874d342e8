/* Windows log sources for Sigma rules, after SigmaHQ's THOR mapping: the categories are Sysmon
 * event ids (process_creation also Security 4688, whose NewProcessName and ParentProcessName
 * are the rules' Image and ParentImage), PowerShell's and Defender's; the services are event
 * log channels. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "sigma/internal.h"
#include "sigma/winlog.h"

typedef struct fieldmap {
    const char *sigma, *event;
} fieldmap;

typedef struct service {
    const char *name;
    const char *channel[5];
} service;

/* The services the categories name, by their index in services[] (test-sigma checks them). */
enum { SV_SECURITY = 1, SV_SYSMON = 3, SV_POWERSHELL = 4, SV_PS_CLASSIC = 5, SV_WINDEFEND = 7 };

static const service services[] = {
    {"application", {"Application"}},
    {"security", {"Security"}},
    {"system", {"System"}},
    {"sysmon", {"Microsoft-Windows-Sysmon/Operational"}},
    {"powershell", {"Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"}},
    {"powershell-classic", {"Windows PowerShell"}},
    {"msexchange-management", {"MSExchange Management"}},
    {"windefend", {"Microsoft-Windows-Windows Defender/Operational"}},
    {"ntlm", {"Microsoft-Windows-NTLM/Operational"}},
    {"taskscheduler", {"Microsoft-Windows-TaskScheduler/Operational"}},
    {"wmi", {"Microsoft-Windows-WMI-Activity/Operational"}},
    {"dhcp", {"Microsoft-Windows-DHCP-Server/Operational"}},
    {"printservice-admin", {"Microsoft-Windows-PrintService/Admin"}},
    {"printservice-operational", {"Microsoft-Windows-PrintService/Operational"}},
    {"smbclient-security", {"Microsoft-Windows-SmbClient/Security"}},
    {"smbclient-connectivity", {"Microsoft-Windows-SmbClient/Connectivity"}},
    {"smbserver-connectivity", {"Microsoft-Windows-SMBServer/Connectivity"}},
    {"terminalservices-localsessionmanager",
     {"Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"}},
    {"codeintegrity-operational", {"Microsoft-Windows-CodeIntegrity/Operational"}},
    {"applocker",
     {"Microsoft-Windows-AppLocker/MSI and Script", "Microsoft-Windows-AppLocker/EXE and DLL",
      "Microsoft-Windows-AppLocker/Packaged app-Deployment",
      "Microsoft-Windows-AppLocker/Packaged app-Execution"}},
    {"firewall-as", {"Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"}},
    {"bits-client", {"Microsoft-Windows-Bits-Client/Operational"}},
    {"security-mitigations",
     {"Microsoft-Windows-Security-Mitigations/Kernel Mode",
      "Microsoft-Windows-Security-Mitigations/User Mode"}},
    {"diagnosis-scripted", {"Microsoft-Windows-Diagnosis-Scripted/Operational"}},
    {"shell-core", {"Microsoft-Windows-Shell-Core/Operational"}},
    {"openssh", {"OpenSSH/Operational"}},
    {"ldap", {"Microsoft-Windows-LDAP-Client/Debug"}},
    {"bitlocker", {"Microsoft-Windows-BitLocker/BitLocker Management"}},
    {"vhdmp", {"Microsoft-Windows-VHDMP/Operational"}},
    {"appxdeployment-server", {"Microsoft-Windows-AppXDeploymentServer/Operational"}},
    {"lsa-server", {"Microsoft-Windows-LSA/Operational"}},
    {"appxpackaging-om", {"Microsoft-Windows-AppxPackaging/Operational"}},
    {"dns-client", {"Microsoft-Windows-DNS Client Events/Operational"}},
    {"appmodel-runtime", {"Microsoft-Windows-AppModel-Runtime/Admin"}},
    {"capi2", {"Microsoft-Windows-CAPI2/Operational"}},
    {"certificateservicesclient-lifecycle-system",
     {"Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational"}},
    {"kernel-shimengine",
     {"Microsoft-Windows-Kernel-ShimEngine/Operational",
      "Microsoft-Windows-Kernel-ShimEngine/Diagnostic"}},
    {"application-experience",
     {"Microsoft-Windows-Application-Experience/Program-Telemetry",
      "Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant"}},
    {"ntfs", {"Microsoft-Windows-Ntfs/Operational"}},
    {"hyper-v-worker", {"Microsoft-Windows-Hyper-V-Worker"}},
    {"kernel-event-tracing", {"Microsoft-Windows-Kernel-EventTracing"}},
    {"sense", {"Microsoft-Windows-SENSE/Operational"}},
    {"servicebus-client",
     {"Microsoft-ServiceBus-Client/Admin", "Microsoft-ServiceBus-Client/Operational"}},
    {"iis-configuration", {"Microsoft-IIS-Configuration/Operational"}},
};

static const fieldmap r4688[] = {{"Image", "NewProcessName"},
                               {"ParentImage", "ParentProcessName"},
                               {NULL, NULL}};
static const fieldmap rdefender[] = {{"Signature", "ThreatName"}, {"Filename", "Path"},
                                   {NULL, NULL}};

typedef struct category {
    const char *name;
    int service;             /* SV_* */
    uint16_t eid[13];        /* 0 ends it */
    const char *field, *value; /* a further condition, or NULL */
    const fieldmap *ren;
} category;

static const category categories[] = {
    {"process_creation", SV_SYSMON, {1}, NULL, NULL, NULL},
    {"process_creation", SV_SECURITY, {4688}, NULL, NULL, r4688},
    {"file_change", SV_SYSMON, {2}, NULL, NULL, NULL},
    {"network_connection", SV_SYSMON, {3}, NULL, NULL, NULL},
    {"sysmon_status", SV_SYSMON, {4, 16}, NULL, NULL, NULL},
    {"process_termination", SV_SYSMON, {5}, NULL, NULL, NULL},
    {"driver_load", SV_SYSMON, {6}, NULL, NULL, NULL},
    {"image_load", SV_SYSMON, {7}, NULL, NULL, NULL},
    {"create_remote_thread", SV_SYSMON, {8}, NULL, NULL, NULL},
    {"raw_access_thread", SV_SYSMON, {9}, NULL, NULL, NULL},
    {"process_access", SV_SYSMON, {10}, NULL, NULL, NULL},
    {"file_event", SV_SYSMON, {11}, NULL, NULL, NULL},
    {"registry_event", SV_SYSMON, {12, 13, 14}, NULL, NULL, NULL},
    {"registry_add", SV_SYSMON, {12}, "EventType", "CreateKey", NULL},
    {"registry_delete", SV_SYSMON, {12}, "EventType", "DeleteKey", NULL},
    {"registry_delete", SV_SYSMON, {12}, "EventType", "DeleteValue", NULL},
    {"registry_set", SV_SYSMON, {13}, NULL, NULL, NULL},
    {"registry_rename", SV_SYSMON, {14}, NULL, NULL, NULL},
    {"create_stream_hash", SV_SYSMON, {15}, NULL, NULL, NULL},
    {"pipe_created", SV_SYSMON, {17, 18}, NULL, NULL, NULL},
    {"wmi_event", SV_SYSMON, {19, 20, 21}, NULL, NULL, NULL},
    {"dns_query", SV_SYSMON, {22}, NULL, NULL, NULL},
    {"file_delete", SV_SYSMON, {23}, NULL, NULL, NULL},
    {"clipboard_change", SV_SYSMON, {24}, NULL, NULL, NULL},
    {"process_tampering", SV_SYSMON, {25}, NULL, NULL, NULL},
    {"file_delete_detected", SV_SYSMON, {26}, NULL, NULL, NULL},
    {"file_block_executable", SV_SYSMON, {27}, NULL, NULL, NULL},
    {"file_block_shredding", SV_SYSMON, {28}, NULL, NULL, NULL},
    {"file_executable_detected", SV_SYSMON, {29}, NULL, NULL, NULL},
    {"sysmon_error", SV_SYSMON, {255}, NULL, NULL, NULL},
    {"ps_module", SV_POWERSHELL, {4103}, NULL, NULL, NULL},
    {"ps_script", SV_POWERSHELL, {4104}, NULL, NULL, NULL},
    {"ps_classic_start", SV_PS_CLASSIC, {400}, NULL, NULL, NULL},
    {"ps_classic_provider_start", SV_PS_CLASSIC, {600}, NULL, NULL, NULL},
    {"ps_classic_script", SV_PS_CLASSIC, {800}, NULL, NULL, NULL},
    {"antivirus", SV_WINDEFEND,
     {1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116}, NULL, NULL,
     rdefender},
};

#define NSERVICES (sizeof services / sizeof *services)
#define NCATEGORIES (sizeof categories / sizeof *categories)

static bool ieq(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

static int find_service(const char *name)
{
    for (size_t i = 0; i < NSERVICES; i++)
        if (ieq(services[i].name, name))
            return (int)i;
    return -1;
}

enum { WK_UNMAPPED, WK_PRODUCT, WK_SERVICE, WK_CATEGORY };

void xs_sigma_win_resolve(xs_sigma_rule *r)
{
    const xs_sigma_meta *m = &r->meta;
    r->wkind = WK_UNMAPPED;
    r->wsvc = -1;
    if (!ieq(m->product, "windows"))
        return;
    int svc = m->service ? find_service(m->service) : -1;
    if (m->service && svc < 0)
        return;
    r->wsvc = (int8_t)svc;
    if (!m->category) {
        r->wkind = m->service ? WK_SERVICE : WK_PRODUCT;
        return;
    }
    for (size_t i = 0; i < NCATEGORIES; i++) /* a category's entries are adjacent */
        if (ieq(categories[i].name, m->category)) {
            if (!r->wncat)
                r->wcat = (uint8_t)i;
            r->wncat++;
        }
    if (r->wncat)
        r->wkind = WK_CATEGORY;
}

/* The first value of a field, or an empty span. */
static xs_str first(const xs_sigma_event *ev, const char *name)
{
    xs_str v[XS_SIGMA_MAX_EVENT_VALUES];
    return ev->field(ev->ctx, name, v, XS_SIGMA_MAX_EVENT_VALUES) ? v[0] : XS_STR_NULL;
}

void xs_sigma_win_source(const xs_sigma_event *ev, xs_sigma_winsrc *src)
{
    xs_str channel = first(ev, "Channel");
    src->service = -1;
    for (size_t i = 0; i < NSERVICES && src->service < 0; i++)
        for (size_t k = 0; k < 5 && services[i].channel[k]; k++)
            if (xs_str_ieq(channel, services[i].channel[k])) {
                src->service = (int)i;
                break;
            }
    src->eid = xs_str_uint(xs_str_trim(first(ev, "EventID")), 65535);
    src->event_type = xs_str_trim(first(ev, "EventType"));
}

/* Whether entry c covers the event of src (covers() checks the same for one rule). */
static bool entry_covers(const category *c, const xs_sigma_winsrc *src)
{
    if (src->service != c->service)
        return false;
    bool id = false;
    for (size_t k = 0; k < 13 && c->eid[k] && !id; k++)
        id = c->eid[k] == src->eid;
    return id && (!c->field || xs_str_ieq(src->event_type, c->value));
}

static xs_swin covers(const xs_sigma_rule *r, const xs_sigma_winsrc *src, const fieldmap **ren)
{
    *ren = NULL;
    switch (r->wkind) {
    case WK_PRODUCT:
        return XS_SWIN_COVERS;
    case WK_SERVICE:
        return src->service == r->wsvc ? XS_SWIN_COVERS : XS_SWIN_OTHER;
    case WK_CATEGORY:
        break;
    default:
        return XS_SWIN_UNMAPPED;
    }
    xs_swin got = XS_SWIN_UNMAPPED;
    for (size_t i = r->wcat; i < (size_t)r->wcat + r->wncat; i++) {
        const category *c = &categories[i];
        if (r->wsvc >= 0 && r->wsvc != c->service)
            continue;
        got = XS_SWIN_OTHER;
        if (!entry_covers(c, src))
            continue;
        *ren = c->ren;
        return XS_SWIN_COVERS;
    }
    return got;
}

xs_swin xs_sigma_win_covers(const xs_sigma_rule *r, const xs_sigma_winsrc *src)
{
    const fieldmap *ren;
    return covers(r, src, &ren);
}

typedef struct renamed {
    const xs_sigma_event *inner;
    const fieldmap *ren;
} renamed;

static size_t renamed_field(void *ctx, const char *name, xs_str *out, size_t cap)
{
    const renamed *r = ctx;
    for (const fieldmap *n = r->ren; n->sigma; n++)
        if (strcasecmp(n->sigma, name) == 0) {
            name = n->event;
            break;
        }
    return r->inner->field(r->inner->ctx, name, out, cap);
}

static bool renamed_each(void *ctx, bool (*fn)(void *arg, xs_str value), void *arg)
{
    const renamed *r = ctx;
    return r->inner->each(r->inner->ctx, fn, arg);
}

bool xs_sigma_win_match_src(const xs_sigma_rule *r, const xs_sigma_winsrc *src,
                            const xs_sigma_event *ev, xs_sigma_scratch *sc)
{
    const fieldmap *ren;
    if (covers(r, src, &ren) != XS_SWIN_COVERS)
        return false;
    if (!ren)
        return xs_sigma_match(r, ev, sc);
    renamed w = {ev, ren};
    xs_sigma_event wev = {&w, renamed_field, renamed_each};
    return xs_sigma_match(r, &wev, sc);
}

bool xs_sigma_win_match(const xs_sigma_rule *r, const xs_sigma_event *ev, xs_sigma_scratch *sc)
{
    xs_sigma_winsrc src;
    xs_sigma_win_source(ev, &src);
    return xs_sigma_win_match_src(r, &src, ev, sc);
}

bool xs_sigma_win_mapped(const xs_sigma_rule *r)
{
    return r->wkind != WK_UNMAPPED;
}

size_t xs_sigma_win_nservices(void)
{
    return NSERVICES;
}

bool xs_sigma_win_serves(const xs_sigma_rule *r, int svc)
{
    switch (r->wkind) {
    case WK_PRODUCT:
        return true;
    case WK_SERVICE:
        return svc == r->wsvc;
    case WK_CATEGORY:
        for (size_t i = r->wcat; i < (size_t)r->wcat + r->wncat; i++)
            if ((r->wsvc < 0 || r->wsvc == categories[i].service) &&
                categories[i].service == svc)
                return true;
        return false;
    default:
        return false;
    }
}

size_t xs_sigma_win_nentries(void)
{
    return NCATEGORIES;
}

bool xs_sigma_win_is_category(const xs_sigma_rule *r)
{
    return r->wkind == WK_CATEGORY;
}

bool xs_sigma_win_in_entry(const xs_sigma_rule *r, size_t e)
{
    return r->wkind == WK_CATEGORY && e >= r->wcat && e < (size_t)r->wcat + r->wncat &&
           (r->wsvc < 0 || r->wsvc == categories[e].service);
}

size_t xs_sigma_win_entries_of(const xs_sigma_winsrc *src, size_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < NCATEGORIES && src->service >= 0; i++)
        if (entry_covers(&categories[i], src)) {
            if (n < cap)
                out[n] = i;
            n++;
        }
    return n;
}

const char *xs_sigma_win_field(const xs_sigma_rule *r, const xs_sigma_winsrc *src,
                               const char *name)
{
    const fieldmap *ren;
    if (covers(r, src, &ren) == XS_SWIN_COVERS && ren)
        for (const fieldmap *n = ren; n->sigma; n++)
            if (strcasecmp(n->sigma, name) == 0)
                return n->event;
    return name;
}

int xs_sigma_win_selfcheck(void)
{
    return strcmp(services[SV_SECURITY].name, "security") | strcmp(services[SV_SYSMON].name, "sysmon") |
           strcmp(services[SV_POWERSHELL].name, "powershell") |
           strcmp(services[SV_PS_CLASSIC].name, "powershell-classic") |
           strcmp(services[SV_WINDEFEND].name, "windefend");
}

/* ---- the event of an EVTX record ---- */

static bool system_field(const xs_sigma_evtx *x, const char *name, xs_str *v)
{
    const xs_evtx_record *rec = x->rec;
    char c0 = xs_lower(name[0]);
    if (c0 != 'e' && c0 != 'c' && c0 != 'p' && c0 != 'l')
        return false; /* most lookups: none of these names */
    if (strcasecmp(name, "EventID") == 0)
        *v = xs_str_cstr(x->eid);
    else if (strcasecmp(name, "Channel") == 0)
        *v = xs_str_make(rec->channel, rec->channel_len);
    else if (strcasecmp(name, "Provider_Name") == 0)
        *v = xs_str_make(rec->provider, rec->provider_len);
    else if (strcasecmp(name, "Computer") == 0)
        *v = xs_str_make(rec->computer, rec->computer_len);
    else if (strcasecmp(name, "Level") == 0)
        *v = xs_str_cstr(x->level);
    else
        return false;
    return true;
}

static size_t evtx_field(void *ctx, const char *name, xs_str *out, size_t cap)
{
    const xs_sigma_evtx *x = ctx;
    xs_str v;
    if (system_field(x, name, &v)) {
        if (cap)
            out[0] = v;
        return 1;
    }
    size_t len = strlen(name), n = 0;
    for (size_t i = 0; i < x->rec->nfields; i++) {
        const xs_evtx_field *f = &x->rec->fields[i];
        if (f->name_len == len && xs_mem_ieq(f->name, name, len)) {
            if (n < cap)
                out[n] = xs_str_make(f->value, f->value_len);
            n++;
        }
    }
    return n;
}

static bool evtx_each(void *ctx, bool (*fn)(void *arg, xs_str value), void *arg)
{
    const xs_sigma_evtx *x = ctx;
    static const char *const sys[] = {"EventID", "Channel", "Provider_Name", "Computer"};
    for (size_t i = 0; i < x->rec->nfields; i++)
        if (fn(arg, xs_str_make(x->rec->fields[i].value, x->rec->fields[i].value_len)))
            return true;
    for (size_t i = 0; i < sizeof sys / sizeof *sys; i++) {
        xs_str v;
        if (system_field(x, sys[i], &v) && fn(arg, v))
            return true;
    }
    return false;
}

/* v in decimal into out (cap bytes, at least 11 for any 32-bit v): snprintf's "%u" without its
 * cost, which was a tenth of the Sigma time per EVTX record. */
static void decimal(char *out, size_t cap, uint32_t v)
{
    char t[10];
    size_t n = 0;
    do
        t[n++] = (char)('0' + v % 10);
    while ((v /= 10) && n < sizeof t);
    size_t k = 0;
    while (n && k + 1 < cap)
        out[k++] = t[--n];
    out[k] = '\0';
}

xs_sigma_event xs_sigma_evtx_event(xs_sigma_evtx *ctx, const xs_evtx_record *rec)
{
    ctx->rec = rec;
    decimal(ctx->eid, sizeof ctx->eid, rec->event_id);
    decimal(ctx->level, sizeof ctx->level, rec->level);
    return (xs_sigma_event){ctx, evtx_field, evtx_each};
}
