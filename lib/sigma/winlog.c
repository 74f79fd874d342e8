/* Windows log sources for Sigma rules, after SigmaHQ's THOR mapping: the categories are Sysmon
 * event ids (process_creation also Security 4688, whose NewProcessName and ParentProcessName
 * are the rules' Image and ParentImage), PowerShell's and Defender's; the services are event
 * log channels. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "sigma/winlog.h"

typedef struct fieldmap {
    const char *sigma, *event;
} fieldmap;

typedef struct service {
    const char *name;
    const char *channel[5];
} service;

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
    const char *service;
    uint16_t eid[13];        /* 0 ends it */
    const char *field, *value; /* a further condition, or NULL */
    const fieldmap *ren;
} category;

static const category categories[] = {
    {"process_creation", "sysmon", {1}, NULL, NULL, NULL},
    {"process_creation", "security", {4688}, NULL, NULL, r4688},
    {"file_change", "sysmon", {2}, NULL, NULL, NULL},
    {"network_connection", "sysmon", {3}, NULL, NULL, NULL},
    {"sysmon_status", "sysmon", {4, 16}, NULL, NULL, NULL},
    {"process_termination", "sysmon", {5}, NULL, NULL, NULL},
    {"driver_load", "sysmon", {6}, NULL, NULL, NULL},
    {"image_load", "sysmon", {7}, NULL, NULL, NULL},
    {"create_remote_thread", "sysmon", {8}, NULL, NULL, NULL},
    {"raw_access_thread", "sysmon", {9}, NULL, NULL, NULL},
    {"process_access", "sysmon", {10}, NULL, NULL, NULL},
    {"file_event", "sysmon", {11}, NULL, NULL, NULL},
    {"registry_event", "sysmon", {12, 13, 14}, NULL, NULL, NULL},
    {"registry_add", "sysmon", {12}, "EventType", "CreateKey", NULL},
    {"registry_delete", "sysmon", {12}, "EventType", "DeleteKey", NULL},
    {"registry_delete", "sysmon", {12}, "EventType", "DeleteValue", NULL},
    {"registry_set", "sysmon", {13}, NULL, NULL, NULL},
    {"registry_rename", "sysmon", {14}, NULL, NULL, NULL},
    {"create_stream_hash", "sysmon", {15}, NULL, NULL, NULL},
    {"pipe_created", "sysmon", {17, 18}, NULL, NULL, NULL},
    {"wmi_event", "sysmon", {19, 20, 21}, NULL, NULL, NULL},
    {"dns_query", "sysmon", {22}, NULL, NULL, NULL},
    {"file_delete", "sysmon", {23}, NULL, NULL, NULL},
    {"clipboard_change", "sysmon", {24}, NULL, NULL, NULL},
    {"process_tampering", "sysmon", {25}, NULL, NULL, NULL},
    {"file_delete_detected", "sysmon", {26}, NULL, NULL, NULL},
    {"file_block_executable", "sysmon", {27}, NULL, NULL, NULL},
    {"file_block_shredding", "sysmon", {28}, NULL, NULL, NULL},
    {"file_executable_detected", "sysmon", {29}, NULL, NULL, NULL},
    {"sysmon_error", "sysmon", {255}, NULL, NULL, NULL},
    {"ps_module", "powershell", {4103}, NULL, NULL, NULL},
    {"ps_script", "powershell", {4104}, NULL, NULL, NULL},
    {"ps_classic_start", "powershell-classic", {400}, NULL, NULL, NULL},
    {"ps_classic_provider_start", "powershell-classic", {600}, NULL, NULL, NULL},
    {"ps_classic_script", "powershell-classic", {800}, NULL, NULL, NULL},
    {"antivirus", "windefend",
     {1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116}, NULL, NULL,
     rdefender},
};

static bool ieq(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

static const service *find_service(const char *name)
{
    for (size_t i = 0; i < sizeof services / sizeof *services; i++)
        if (ieq(services[i].name, name))
            return &services[i];
    return NULL;
}

static bool on_channel(const service *s, xs_str channel)
{
    for (size_t i = 0; s && i < 5 && s->channel[i]; i++)
        if (xs_str_ieq(channel, s->channel[i]))
            return true;
    return false;
}

/* The first value of a field, or an empty span. */
static xs_str first(const xs_sigma_event *ev, const char *name)
{
    xs_str v[XS_SIGMA_MAX_EVENT_VALUES];
    return ev->field(ev->ctx, name, v, XS_SIGMA_MAX_EVENT_VALUES) ? v[0] : XS_STR_NULL;
}

static xs_swin covers(const xs_sigma_meta *m, const xs_sigma_event *ev, const fieldmap **ren)
{
    *ren = NULL;
    if (!ieq(m->product, "windows"))
        return XS_SWIN_UNMAPPED;
    xs_str channel = first(ev, "Channel");
    long eid = xs_str_uint(xs_str_trim(first(ev, "EventID")), 65535);
    if (m->category) {
        xs_swin got = XS_SWIN_UNMAPPED;
        for (size_t i = 0; i < sizeof categories / sizeof *categories; i++) {
            const category *c = &categories[i];
            if (!ieq(c->name, m->category) || (m->service && !ieq(m->service, c->service)))
                continue;
            got = XS_SWIN_OTHER;
            bool id = false;
            for (size_t k = 0; k < 13 && c->eid[k] && !id; k++)
                id = c->eid[k] == eid;
            if (!id || !on_channel(find_service(c->service), channel))
                continue;
            if (c->field && !xs_str_ieq(xs_str_trim(first(ev, c->field)), c->value))
                continue;
            *ren = c->ren;
            return XS_SWIN_COVERS;
        }
        return got;
    }
    if (m->service) {
        const service *s = find_service(m->service);
        return !s ? XS_SWIN_UNMAPPED : on_channel(s, channel) ? XS_SWIN_COVERS : XS_SWIN_OTHER;
    }
    return XS_SWIN_COVERS;
}

xs_swin xs_sigma_win_covers(const xs_sigma_meta *m, const xs_sigma_event *ev)
{
    const fieldmap *ren;
    return covers(m, ev, &ren);
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

bool xs_sigma_win_match(const xs_sigma_rule *r, const xs_sigma_event *ev, xs_sigma_scratch *sc)
{
    const fieldmap *ren;
    if (covers(xs_sigma_rule_meta(r), ev, &ren) != XS_SWIN_COVERS)
        return false;
    if (!ren)
        return xs_sigma_match(r, ev, sc);
    renamed w = {ev, ren};
    xs_sigma_event wev = {&w, renamed_field, renamed_each};
    return xs_sigma_match(r, &wev, sc);
}

/* ---- the event of an EVTX record ---- */

static bool system_field(const xs_sigma_evtx *x, const char *name, xs_str *v)
{
    const xs_evtx_record *rec = x->rec;
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

xs_sigma_event xs_sigma_evtx_event(xs_sigma_evtx *ctx, const xs_evtx_record *rec)
{
    ctx->rec = rec;
    snprintf(ctx->eid, sizeof ctx->eid, "%u", (unsigned)rec->event_id);
    snprintf(ctx->level, sizeof ctx->level, "%u", (unsigned)rec->level);
    return (xs_sigma_event){ctx, evtx_field, evtx_each};
}
