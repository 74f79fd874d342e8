/* Registry hives (registry.h): which hive a file is, by its root key's content and then its
 * name; what it says of the server (state notes, lib/state/observe.h); what attackers
 * changed (EXS-REG-*). Catalogue 1.1, 4, 5.1, 5.2, 6.5; docs/files.md "Registry hives".
 *
 * Every name and datum is the server's: read through the bounded hive reader, matched on a
 * lowercase copy of at most PATH_CAP bytes, quoted in facts at most DATA_CAP bytes.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/str.h"
#include "core/timeparse.h"
#include "detectors/registry.h"
#include "detectors/rules.h"
#include "parsers/hive.h"
#include "parsers/hivelog.h"
#include "scan/scan_int.h"
#include "sources/walk.h"
#include "state/buildtab.h"
#include "state/observe.h"

#define DATA_CAP 1024 /* bytes of a value's data quoted in a finding's facts */
#define PATH_CAP 2048 /* bytes of a path or command matched (the rest is not looked at) */

typedef enum hv_kind { HV_OTHER, HV_SOFTWARE, HV_SYSTEM, HV_USER } hv_kind;

static const char *const kind_names[] = {"other", "SOFTWARE", "SYSTEM", "NTUSER.DAT"};

typedef struct reg {
    xs_fctx *c;
    xs_hive *h;
    hv_kind kind;
    bool oom;
    char install[PATH_CAP]; /* MsiInstallPath, lowercase, '\\'-terminated; "" when unknown */
} reg;

/* ---------------------------------------------------------------- helpers */

/* A lowercase copy of s with '/' as '\\', doubled '\\' and surrounding quotes kept as they are,
 * cut at cap - 1 bytes. */
static void lower_path(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; s && *s && o + 1 < cap; s++)
        out[o++] = *s == '/' ? '\\' : xs_lower(*s);
    out[o] = 0;
}

static bool starts_with_ci(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return strlen(s) >= n && xs_mem_ieq(s, prefix, n);
}

/* "a<sep>b" into out (cap bytes), cut at a character boundary when longer. */
static void join_cut(char *out, size_t cap, const char *a, const char *sep, const char *b)
{
    size_t o = 0;
    const char *parts[3] = {a, sep, b};
    for (int i = 0; i < 3; i++)
        for (const char *p = parts[i]; p && *p; p++) {
            if (o + 1 >= cap) {
                if (((unsigned char)*p & 0xC0) == 0x80) { /* inside a character: drop it */
                    while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
                        o--;
                    if (o > 0 && (unsigned char)out[o - 1] >= 0xC0)
                        o--;
                }
                out[o] = 0;
                return;
            }
            out[o++] = *p;
        }
    out[o] = 0;
}

/* A finding on the hive: the key path, value name and data as facts, the key's last-written
 * time as the finding's time. */
static void reg_hit(reg *r, int rule, exs_verdict v, exs_severity sev, const char *reason,
                    const char *key, const char *value, const char *data, int64_t written,
                    const char *trait)
{
    xs_hit h;
    xs_hit_init(&h, &xs_rule_table[rule], v, sev, written);
    h.reason = reason;
    char cut[DATA_CAP + 1];
    join_cut(cut, sizeof cut, data, "", NULL);
    xs_hit_fact_cstr(&h, "reg_hive", kind_names[r->kind]);
    xs_hit_fact_cstr(&h, "reg_key", key);
    xs_hit_fact_cstr(&h, "reg_value", value ? (value[0] ? value : "(default)") : NULL);
    xs_hit_fact_cstr(&h, "reg_data", data ? cut : NULL);
    xs_hit_fact_time(&h, "reg_written", written);
    xs_hit_fact_cstr(&h, "reg_trait", trait);
    char idkey[PATH_CAP + XS_HIVE_MAX_NAME + 2];
    snprintf(idkey, sizeof idkey, "%s|%s", key, value ? value : "");
    h.key = xs_str_cstr(idkey);
    h.evidence = data ? xs_str_cstr(cut) : XS_STR_NULL;
    xs_fhit_add(r->c, &h);
}

/* The text of value name of k as a malloc'd string (numbers in decimal), or NULL. */
static char *value_text(reg *r, xs_hkey *k, const char *name)
{
    xs_hval v;
    if (!xs_hkey_value_by_name(k, name, &v, &r->oom))
        return NULL;
    char *s = NULL;
    if (v.has_num) {
        char num[24];
        snprintf(num, sizeof num, "%llu", (unsigned long long)v.num);
        s = strdup(num);
        if (!s)
            r->oom = true;
    } else if (v.data && (v.type == XS_REG_SZ || v.type == XS_REG_EXPAND_SZ ||
                          v.type == XS_REG_MULTI_SZ)) {
        s = v.data;
        v.data = NULL;
    }
    xs_hval_clear(&v);
    return s;
}

/* ---------------------------------------------------------------- traits of a command */

typedef struct trait {
    const char *needle; /* in the lowercase path or command */
    const char *what;
    bool web;
} trait;

static const trait places[] = {
    {"\\inetpub\\", "a web folder (inetpub)", true},
    {"\\aspnet_client", "a web folder (aspnet_client)", true},
    {"\\frontend\\httpproxy", "an Exchange web folder (FrontEnd\\HttpProxy)", true},
    {"\\programdata\\", "ProgramData", false},
    {"%programdata%", "ProgramData", false},
    {"\\users\\public\\", "Users\\Public", false},
    {"%public%", "Users\\Public", false},
    {"\\windows\\temp\\", "Windows\\Temp", false},
    {"\\appdata\\", "a profile's AppData", false},
    {"%appdata%", "a profile's AppData", false},
    {"%localappdata%", "a profile's AppData", false},
    {"\\temp\\", "a Temp folder", false},
    {"%temp%", "a Temp folder", false},
    {"%tmp%", "a Temp folder", false},
};

/* Software that lives in those folders by design. */
static const char *const benign_places[] = {
    "\\programdata\\microsoft\\windows defender\\", /* Platform, Definition Updates (MpKsl) */
    "\\programdata\\microsoft\\windows defender advanced threat protection\\",
    "\\appdata\\local\\microsoft\\onedrive\\",
    "%localappdata%\\microsoft\\onedrive\\",
    "\\appdata\\local\\microsoft\\teams\\",
    "%localappdata%\\microsoft\\teams\\",
};

static const char *const hosts[] = {"cmd",     "powershell", "pwsh",     "mshta",
                                    "rundll32", "wscript",    "cscript",  "regsvr32",
                                    "%comspec%"};

/* What a script host's arguments hold that makes it run a script or a command, and (strong)
 * what only a payload does: encoded commands, downloads, script URLs, comsvcs' MiniDump. */
static const char *const script_args[] = {".ps1", ".vbs", ".vbe", ".js",  ".jse",    ".hta",
                                          ".bat", ".cmd", ".sct", "/c ",  "/k ",     "-command",
                                          "-c ",  "-file", "iex",  "invoke-expression"};
static const char *const strong_args[] = {"-enc",        "-e ",        "-ec ",
                                          "frombase64string", "downloadstring", "downloadfile",
                                          "invoke-webrequest", "net.webclient", "http:",
                                          "https:",      "javascript:", "vbscript:",
                                          "comsvcs"};

typedef struct cmd_traits {
    const char *what; /* the first trait, NULL when none */
    bool web, host, strong;
    char hostname[16];
} cmd_traits;

static bool any_of(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(s, list[i]))
            return true;
    return false;
}

/* The traits of a service's ImagePath or a Run value's command line. */
static void traits_of(const char *cmdline, cmd_traits *t)
{
    memset(t, 0, sizeof *t);
    char s[PATH_CAP];
    lower_path(cmdline, s, sizeof s);
    bool benign = any_of(s, benign_places, sizeof benign_places / sizeof benign_places[0]);
    for (size_t i = 0; i < sizeof places / sizeof places[0] && !benign; i++)
        if (strstr(s, places[i].needle)) {
            t->what = places[i].what;
            t->web = places[i].web;
            break;
        }
    /* the program: the first token (quoted, or up to ".exe", or up to a space) */
    const char *p = s;
    while (*p == ' ')
        p++;
    bool quoted = *p == '"';
    p += quoted;
    const char *end = quoted ? strchr(p, '"') : NULL;
    const char *exe = strstr(p, ".exe");
    if (!end)
        end = exe ? exe + 4 : p + strcspn(p, " ");
    const char *base = end;
    while (base > p && base[-1] != '\\' && base[-1] != ' ')
        base--;
    size_t bn = (size_t)(end - base);
    if (bn > 4 && strncmp(end - 4, ".exe", 4) == 0)
        bn -= 4;
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
        if (bn == strlen(hosts[i]) && strncmp(base, hosts[i], bn) == 0) {
            const char *args = *end == '"' ? end + 1 : end;
            bool strong = any_of(args, strong_args, sizeof strong_args / sizeof strong_args[0]);
            bool script =
                strong || any_of(args, script_args, sizeof script_args / sizeof script_args[0]);
            /* rundll32 and regsvr32 run DLLs all day: only a script or a payload counts */
            if (script && ((i != 4 && i != 7) || strong || t->what)) {
                t->host = true;
                t->strong = strong;
                snprintf(t->hostname, sizeof t->hostname, "%s", i == 8 ? "cmd" : hosts[i]);
            }
            break;
        }
}

/* A verdict for a command with these traits: false when it has none. */
static bool command_verdict(const cmd_traits *t, exs_verdict *v, exs_severity *sev, char *why,
                            size_t cap)
{
    if (!t->what && !t->host)
        return false;
    *v = t->web || t->strong ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS;
    *sev = EXS_SEV_HIGH;
    if (t->host && t->what)
        snprintf(why, cap, "%s runs a script or command, in %s%s", t->hostname, t->what,
                 t->strong ? " (encoded or downloading)" : "");
    else if (t->host)
        snprintf(why, cap, "%s runs a script or command%s", t->hostname,
                 t->strong ? " (encoded or downloading)" : "");
    else
        snprintf(why, cap, "runs from %s", t->what);
    return true;
}

/* ---------------------------------------------------------------- SYSTEM */

/* The control set in use: Select\Current, else Default, else 1. */
static xs_hkey *control_set(reg *r)
{
    xs_hkey *sel = xs_hive_key(r->h, NULL, "Select");
    uint64_t n = 0;
    bool ok = sel && (xs_hkey_number(sel, "Current", &n) || xs_hkey_number(sel, "Default", &n));
    xs_hkey_free(sel);
    char name[32];
    xs_hkey *cs = NULL;
    if (ok && n > 0 && n < 1000) {
        snprintf(name, sizeof name, "ControlSet%03u", (unsigned)n);
        cs = xs_hive_key(r->h, NULL, name);
    }
    return cs ? cs : xs_hive_key(r->h, NULL, "ControlSet001");
}

static void service_state(reg *r, xs_hkey *svc, const char *name)
{
    static const char *const um[] = {"MSExchangeUM", "MSExchangeUMCR"};
    for (size_t i = 0; i < 2; i++) {
        uint64_t start = 0;
        if (strcasecmp(name, um[i]) != 0 || !xs_hkey_number(svc, "Start", &start) || start != 4)
            continue;
        char what[96];
        snprintf(what, sizeof what, "%s disabled (Start=4)", um[i]);
        xs_obs_note o = {XS_NOTE_SERVICE, XS_FAM_PROXYLOGON, what, xs_hkey_written_ms(svc), 0,
                         {{0}, 0}};
        xs_fnote_state(r->c, &o);
    }
}

static void check_service(reg *r, xs_hkey *svc, const char *cs_name)
{
    const char *name = xs_hkey_name(svc);
    service_state(r, svc, name);
    char *image = value_text(r, svc, "ImagePath");
    char key[PATH_CAP];
    snprintf(key, sizeof key, "%s\\Services\\%s", cs_name, name);
    int64_t t = xs_hkey_written_ms(svc);
    cmd_traits tr;
    traits_of(image, &tr);
    exs_verdict v;
    exs_severity sev;
    char why[160];
    bool flagged = image && command_verdict(&tr, &v, &sev, why, sizeof why);
    if (strcasecmp(name, "msupdate") == 0) {
        char low[PATH_CAP];
        lower_path(image ? image : "", low, sizeof low);
        /* where Windows and installers put services: anything else is DearCry's way */
        bool usual = strstr(low, "\\windows\\system32\\") || strstr(low, "%systemroot%\\system32\\") ||
                     strncmp(low, "system32\\", 9) == 0 || strstr(low, "\\program files");
        bool traits = flagged || (image && !usual);
        reg_hit(r, R_REG_DEARCRY, traits ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS,
                traits ? EXS_SEV_CRITICAL : EXS_SEV_HIGH,
                traits ? "a service named msupdate that runs from where DearCry puts itself"
                       : "a service named msupdate, as DearCry names its own",
                key, "ImagePath", image, t, flagged ? why : NULL);
    } else if (flagged) {
        reg_hit(r, R_REG_SERVICE, v, sev,
                tr.web ? "a service that runs a program from the web folders"
                       : tr.host ? "a service that runs a script host"
                                 : "a service that runs from a user-writable folder",
                key, "ImagePath", image, t, why);
    }
    free(image);
    /* a service svchost hosts runs its Parameters\ServiceDll */
    xs_hkey *par = xs_hive_key(r->h, svc, "Parameters");
    char *dll = par ? value_text(r, par, "ServiceDll") : NULL;
    traits_of(dll, &tr);
    if (dll && command_verdict(&tr, &v, &sev, why, sizeof why)) {
        snprintf(key, sizeof key, "%s\\Services\\%s\\Parameters", cs_name, name);
        reg_hit(r, R_REG_SERVICE, v, sev,
                tr.web ? "a service DLL in the web folders" : "a service DLL in a user-writable folder",
                key, "ServiceDll", dll, xs_hkey_written_ms(par), why);
    }
    free(dll);
    xs_hkey_free(par);
}

static void check_wdigest(reg *r, xs_hkey *cs, const char *cs_name)
{
    xs_hkey *k = xs_hive_key(r->h, cs, "Control\\SecurityProviders\\WDigest");
    uint64_t on = 0;
    if (k && xs_hkey_number(k, "UseLogonCredential", &on) && on == 1) {
        char key[PATH_CAP];
        snprintf(key, sizeof key, "%s\\Control\\SecurityProviders\\WDigest", cs_name);
        reg_hit(r, R_REG_WDIGEST, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                "LSASS is told to keep clear-text passwords (WDigest UseLogonCredential=1)", key,
                "UseLogonCredential", "1", xs_hkey_written_ms(k), NULL);
    }
    xs_hkey_free(k);
}

static void check_system(reg *r)
{
    xs_hkey *cs = control_set(r);
    if (!cs)
        return;
    char cs_name[64];
    snprintf(cs_name, sizeof cs_name, "%s", xs_hkey_name(cs));
    xs_hkey *svcs = xs_hive_key(r->h, cs, "Services");
    size_t n = svcs ? xs_hkey_nsubkeys(svcs) : 0;
    for (size_t i = 0; i < n && !r->oom; i++) {
        xs_hkey *svc = xs_hkey_subkey(svcs, i);
        if (svc)
            check_service(r, svc, cs_name);
        xs_hkey_free(svc);
    }
    xs_hkey_free(svcs);
    check_wdigest(r, cs, cs_name);
    xs_hkey_free(cs);
}

/* ---------------------------------------------------------------- Run keys */

typedef void value_fn(reg *r, xs_hkey *k, const char *path, const xs_hval *v, void *arg);

/* fn on each value of the key at path (at most the per-key cap), while memory lasts. */
static void each_value(reg *r, const char *path, value_fn *fn, void *arg)
{
    xs_hkey *k = xs_hive_key(r->h, NULL, path);
    size_t n = k ? xs_hkey_nvalues(k) : 0;
    for (size_t i = 0; i < n && !r->oom; i++) {
        xs_hval v;
        if (!xs_hkey_value(k, i, &v, &r->oom))
            continue;
        fn(r, k, path, &v, arg);
        xs_hval_clear(&v);
    }
    xs_hkey_free(k);
}

static void on_run(reg *r, xs_hkey *k, const char *path, const xs_hval *v, void *arg)
{
    (void)arg;
    cmd_traits tr;
    exs_verdict vd;
    exs_severity sev;
    char why[160];
    if (!v->data || (v->type != XS_REG_SZ && v->type != XS_REG_EXPAND_SZ))
        return;
    traits_of(v->data, &tr);
    if (command_verdict(&tr, &vd, &sev, why, sizeof why))
        reg_hit(r, R_REG_RUN, vd, sev,
                tr.web    ? "an autorun that starts a program from the web folders"
                : tr.host ? "an autorun that runs a script host"
                          : "an autorun that starts a program from a user-writable folder",
                path, v->name, v->data, xs_hkey_written_ms(k), why);
}

static void check_run(reg *r, const char *path)
{
    each_value(r, path, on_run, NULL);
}

/* ---------------------------------------------------------------- SOFTWARE: Defender */

/* Folders of Microsoft's recommended Exchange exclusions, under the install path
 * (CSS-Exchange Shared/Get-ExchAVExclusions.ps1), and outside it. */
static const char *const ms_exch_folders[] = {
    "clientaccess\\oab", "fip-fs", "groupmetrics", "logging", "mailbox", "transportroles",
    "working\\oleconverter", "unifiedmessaging\\grammars", "unifiedmessaging\\prompts",
    "unifiedmessaging\\temp", "unifiedmessaging\\voicemail", "bin\\search",
};
static const char *const ms_other_folders[] = {
    "\\inetpub\\temp\\", "\\inetpub\\logs\\", "\\windows\\cluster\\",
    "\\windows\\temp\\oice_", "\\windows\\temp\\exchangesetup", "temporary asp.net files",
    "\\system32\\inetsrv",
};
static const char *const web_parts[] = {"\\inetpub", "\\aspnet_client", "\\frontend\\httpproxy",
                                        "\\clientaccess\\owa", "\\clientaccess\\ecp"};

/* The part of path p below the Exchange install (the hive's MsiInstallPath, or the default
 * "...\exchange server\v15\"), or NULL. */
static const char *under_exchange(const reg *r, const char *p)
{
    if (starts_with_ci(p, "%exchangeinstallpath%"))
        return p + 21 + (p[21] == '\\');
    size_t n = strlen(r->install);
    if (n && strncmp(p, r->install, n) == 0)
        return p + n;
    if (n && n - 1 == strlen(p) && strncmp(p, r->install, n - 1) == 0)
        return p + n - 1;
    const char *e = strstr(p, "\\exchange server\\v15");
    if (e)
        return e[20] == '\\' ? e + 21 : e + 20;
    e = strstr(p, "\\exchange server");
    if (e && (e[16] == 0 || e[16] == '\\'))
        return e + 16 + (e[16] == '\\');
    return NULL;
}

/* Why exclusion path p (lowercase) is reported, or NULL; *web set when it hides web folders. */
static const char *excl_path_why(const reg *r, const char *p, bool *web)
{
    *web = false;
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == '\\' || p[n - 1] == '*'))
        n--;
    if (n == 0 || (n == 2 && p[1] == ':'))
        return "a whole drive";
    const char *rest = under_exchange(r, p);
    if (rest) {
        for (size_t i = 0; i < sizeof ms_exch_folders / sizeof ms_exch_folders[0]; i++) {
            size_t k = strlen(ms_exch_folders[i]);
            if (strncmp(rest, ms_exch_folders[i], k) == 0 && (rest[k] == 0 || rest[k] == '\\'))
                return NULL; /* Microsoft's list */
        }
        if (strncmp(rest, "frontend\\httpproxy", 18) == 0 || strncmp(rest, "clientaccess", 12) == 0) {
            *web = true;
            return "the Exchange web folders";
        }
        if (rest[0] == 0 || strncmp(rest, "frontend", 8) == 0) {
            *web = strncmp(rest, "frontend", 8) == 0;
            return *web ? "the Exchange web folders" : "the whole Exchange install (web folders included)";
        }
        if (strstr(rest, "\\owa") || strstr(rest, "\\ecp"))
            *web = true;
        return *web ? "the Exchange web folders" : NULL;
    }
    /* matched on the path without its trailing '\' or '*', ended by one '\': "C:\inetpub\logs"
     * is the logs folder as "C:\inetpub\logs\*" is */
    char whole[1024];
    if (n + 2 <= sizeof whole) {
        memcpy(whole, p, n);
        whole[n] = '\\';
        whole[n + 1] = 0;
        for (size_t i = 0; i < sizeof ms_other_folders / sizeof ms_other_folders[0]; i++)
            if (strstr(whole, ms_other_folders[i]))
                return NULL;
    }
    for (size_t i = 0; i < sizeof web_parts / sizeof web_parts[0]; i++)
        if (strstr(p, web_parts[i])) {
            *web = true;
            return "the IIS or Exchange web folders";
        }
    return NULL;
}

static bool script_ext(const char *e)
{
    static const char *const exts[] = {"aspx", "ashx", "asp", "asmx"};
    while (*e == '*' || *e == '.')
        e++;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcmp(e, exts[i]) == 0)
            return true;
    return false;
}

static const char *const excl_kinds[] = {"Paths", "Extensions", "Processes"};

static void on_exclusion(reg *r, xs_hkey *k, const char *path, const xs_hval *v, void *arg)
{
    size_t kd = *(const size_t *)arg;
    char low[PATH_CAP];
    lower_path(v->name, low, sizeof low);
    const char *why = NULL;
    bool web = false;
    if (kd == 0) {
        why = excl_path_why(r, low, &web);
    } else if (kd == 1) {
        web = script_ext(low);
        why = web ? "server scripts by extension"
              : strcmp(low, "*") == 0 || strcmp(low, "*.*") == 0 || strcmp(low, ".") == 0
                  ? "every extension"
                  : NULL;
    } else {
        cmd_traits tr;
        traits_of(v->name, &tr);
        why = tr.what;
        web = tr.web;
    }
    if (!why)
        return;
    char what[160];
    snprintf(what, sizeof what, "%s exclusion of %s", excl_kinds[kd], why);
    reg_hit(r, R_REG_DEFENDER_EXCL, web ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS,
            EXS_SEV_HIGH,
            web ? "Defender is told not to scan the web folders or their scripts"
                : "Defender is told not to scan a whole drive, every extension, the Exchange "
                  "install or a user-writable folder",
            path, v->name, NULL, xs_hkey_written_ms(k), what);
}

static void check_exclusions(reg *r, const char *base)
{
    for (size_t kd = 0; kd < 3 && !r->oom; kd++) {
        char path[256];
        snprintf(path, sizeof path, "%s\\%s", base, excl_kinds[kd]);
        each_value(r, path, on_exclusion, &kd);
    }
}

/* ---------------------------------------------------------------- SOFTWARE: LSASS */

static void check_lsass(reg *r)
{
    static const char ifeo[] =
        "Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\lsass.exe";
    static const char spe[] = "Microsoft\\Windows NT\\CurrentVersion\\SilentProcessExit\\lsass.exe";
    xs_hkey *k = xs_hive_key(r->h, NULL, ifeo);
    uint64_t flag = 0;
    bool monitored = k && xs_hkey_number(k, "GlobalFlag", &flag) && (flag & 0x200);
    int64_t t_ifeo = k ? xs_hkey_written_ms(k) : EXS_TIME_NONE;
    xs_hkey_free(k);
    k = xs_hive_key(r->h, NULL, spe);
    uint64_t mode = 0;
    bool has_mode = k && xs_hkey_number(k, "ReportingMode", &mode);
    char *folder = k ? value_text(r, k, "LocalDumpFolder") : NULL;
    char *dtype = k ? value_text(r, k, "DumpType") : NULL;
    bool dump = k && ((has_mode && (mode & 2)) || folder);
    char data[PATH_CAP + 96];
    snprintf(data, sizeof data, "GlobalFlag=0x%llx ReportingMode=%s%llu LocalDumpFolder=%s DumpType=%s",
             (unsigned long long)flag, has_mode ? "" : "(none) ", (unsigned long long)mode,
             folder ? folder : "(none)", dtype ? dtype : "(none)");
    if (dump) {
        reg_hit(r, R_REG_LSASS_SPE, EXS_VERDICT_EXPLOITATION,
                monitored ? EXS_SEV_CRITICAL : EXS_SEV_HIGH,
                monitored ? "LSASS is set to be dumped when it exits (SilentProcessExit)"
                          : "a dump of LSASS on exit is configured (SilentProcessExit; the "
                            "GlobalFlag that arms it is not set)",
                spe, "LocalDumpFolder", data, xs_hkey_written_ms(k), NULL);
    } else if (monitored) {
        reg_hit(r, R_REG_LSASS_SPE, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                "LSASS's silent exit is monitored (GlobalFlag 0x200), no dump configured", ifeo,
                "GlobalFlag", data, t_ifeo, NULL);
    }
    free(folder);
    free(dtype);
    xs_hkey_free(k);
}

/* ---------------------------------------------------------------- SOFTWARE: state */

static void note_setup(reg *r)
{
    static const char path[] = "Microsoft\\ExchangeServer\\v15\\Setup";
    xs_hkey *k = xs_hive_key(r->h, NULL, path);
    if (!k)
        return;
    int64_t t = xs_hkey_written_ms(k);
    static const char *const names[] = {"MsiProductMajor", "MsiProductMinor", "MsiBuildMajor",
                                        "MsiBuildMinor"};
    uint64_t part[4] = {15, 0, 0, 0};
    bool have[4] = {false, false, false, false};
    for (size_t i = 0; i < 4; i++)
        have[i] = xs_hkey_number(k, names[i], &part[i]) && part[i] <= 65535;
    if (have[1] && have[2] && have[3] && (!have[0] || part[0] == 15)) {
        xs_obs_build b;
        memset(&b, 0, sizeof b);
        for (size_t i = 0; i < 4; i++)
            b.build.part[i] = (uint16_t)(have[i] || i == 0 ? part[i] : 0);
        b.build.nparts = 4;
        b.source = XS_BSRC_REGISTRY;
        b.first_ms = t;
        b.last_ms = EXS_TIME_NONE;
        char detail[160];
        snprintf(detail, sizeof detail, "%s\\MsiProductMajor %s, MsiProductMinor %u, "
                 "MsiBuildMajor %u, MsiBuildMinor %u", path,
                 have[0] ? "15" : "(absent)", (unsigned)part[1], (unsigned)part[2],
                 (unsigned)part[3]);
        b.detail = detail;
        xs_fnote_build(r->c, &b);
    }
    char *install = value_text(r, k, "MsiInstallPath");
    if (install && install[0]) {
        xs_obs_note o = {XS_NOTE_INSTALL, -1, install, t, 0, {{0}, 0}};
        xs_fnote_state(r->c, &o);
        lower_path(install, r->install, sizeof r->install - 1);
        size_t n = strlen(r->install);
        if (n && r->install[n - 1] != '\\') {
            r->install[n] = '\\';
            r->install[n + 1] = 0;
        }
    }
    free(install);
    xs_hkey_free(k);
}

/* "KB5000871" from s into kb (cap 16), or false. */
static bool kb_of(const char *s, char kb[16])
{
    for (const char *p = s; p && *p; p++) {
        if ((p[0] != 'K' && p[0] != 'k') || (p[1] != 'B' && p[1] != 'b'))
            continue;
        size_t d = 0;
        while (p[2 + d] >= '0' && p[2 + d] <= '9' && d < 9)
            d++;
        if (d >= 6 && d <= 8 && !(p[2 + d] >= '0' && p[2 + d] <= '9')) {
            snprintf(kb, 16, "KB%.*s", (int)d, p + 2);
            return true;
        }
    }
    return false;
}

/* "YYYYMMDD" as midnight UTC, or EXS_TIME_NONE. */
static int64_t install_date(const char *s)
{
    if (!s || strlen(s) != 8)
        return EXS_TIME_NONE;
    int v[3] = {0, 0, 0};
    static const int w[3] = {4, 2, 2};
    const char *p = s;
    for (int f = 0; f < 3; f++)
        for (int i = 0; i < w[f]; i++, p++) {
            if (*p < '0' || *p > '9')
                return EXS_TIME_NONE;
            v[f] = v[f] * 10 + (*p - '0');
        }
    if (v[0] < 1990 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
        return EXS_TIME_NONE;
    return xs_days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]) * 86400000LL;
}

static bool exchange_update(const char *name)
{
    static const char *const prefixes[] = {"Security Update for Exchange Server",
                                           "Update for Exchange Server", "Hotfix"};
    for (size_t i = 0; i < 3; i++)
        if (starts_with_ci(name, prefixes[i]))
            return i < 2 || strstr(name, "Exchange") != NULL;
    return false;
}

static void note_updates(reg *r, const char *path)
{
    xs_hkey *un = xs_hive_key(r->h, NULL, path);
    size_t n = un ? xs_hkey_nsubkeys(un) : 0;
    for (size_t i = 0; i < n && !r->oom; i++) {
        xs_hkey *k = xs_hkey_subkey(un, i);
        char *name = k ? value_text(r, k, "DisplayName") : NULL;
        if (name && exchange_update(name)) {
            char kb[16] = "";
            if (!kb_of(name, kb))
                kb_of(xs_hkey_name(k), kb);
            char what[XS_MAX_NOTE_TEXT];
            join_cut(what, sizeof what, kb, kb[0] ? " " : "", name);
            char *date = value_text(r, k, "InstallDate");
            int64_t t = install_date(date);
            free(date);
            xs_obs_note o = {XS_NOTE_UPDATE, -1, what,
                             t != EXS_TIME_NONE ? t : xs_hkey_written_ms(k), 0, {{0}, 0}};
            xs_fnote_state(r->c, &o);
        }
        free(name);
        xs_hkey_free(k);
    }
    xs_hkey_free(un);
}

/* EOMT's stages. EOMT writes Timestamp as local time on a 12-hour clock with no AM/PM
 * ("MM/dd/yyyy hh:mm:ss"), right before each stage's value: the key's last-written time (UTC)
 * says the same moment without the doubt, and is used when known. */
static int64_t eomt_time(reg *r, xs_hkey *k)
{
    int64_t t = xs_hkey_written_ms(k);
    if (t != EXS_TIME_NONE)
        return t;
    char *ts = value_text(r, k, "Timestamp");
    /* "MM/dd/yyyy hh:mm:ss": six fields of fixed widths and separators */
    static const struct {
        unsigned at, width;
        char after;
    } f[6] = {{0, 2, '/'}, {3, 2, '/'}, {6, 4, ' '}, {11, 2, ':'}, {14, 2, ':'}, {17, 2, 0}};
    unsigned v[6] = {0};
    bool ok = ts && strlen(ts) == 19;
    for (int i = 0; ok && i < 6; i++) {
        for (unsigned j = 0; ok && j < f[i].width; j++) {
            char ch = ts[f[i].at + j];
            ok = ch >= '0' && ch <= '9';
            v[i] = v[i] * 10 + (unsigned)(ch - '0');
        }
        ok = ok && ts[f[i].at + f[i].width] == f[i].after;
    }
    if (ok && v[0] >= 1 && v[0] <= 12 && v[1] >= 1 && v[1] <= 31 && v[2] >= 2021 && v[3] < 24 &&
        v[4] < 60 && v[5] < 62)
        t = xs_days_from_civil((int)v[2], v[0], v[1]) * 86400000LL +
            ((int64_t)v[3] * 3600 + v[4] * 60 + v[5]) * 1000;
    free(ts);
    return t;
}

static void on_eomt(reg *r, xs_hkey *k, const char *path, const xs_hval *v, void *arg)
{
    (void)path;
    (void)arg;
    char what[XS_MAX_NOTE_TEXT], num[24];
    snprintf(num, sizeof num, "%llu", (unsigned long long)v->num);
    join_cut(what, sizeof what, v->name[0] ? v->name : "(default)", ": ",
             v->has_num ? num : v->data && v->type != XS_REG_BINARY ? v->data : "");
    xs_obs_note o = {XS_NOTE_EOMT, XS_FAM_PROXYLOGON, what, eomt_time(r, k), 0, {{0}, 0}};
    xs_fnote_state(r->c, &o);
}

static void note_eomt(reg *r)
{
    each_value(r, "MSERTBootstrap\\PatchState", on_eomt, NULL);
}

static void check_software(reg *r)
{
    note_setup(r);
    note_updates(r, "Microsoft\\Windows\\CurrentVersion\\Uninstall");
    note_updates(r, "Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall");
    note_eomt(r);
    static const char *const runs[] = {
        "Microsoft\\Windows\\CurrentVersion\\Run",
        "Microsoft\\Windows\\CurrentVersion\\RunOnce",
        "Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run",
        "Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        check_run(r, runs[i]);
    check_exclusions(r, "Microsoft\\Windows Defender\\Exclusions");
    check_exclusions(r, "Policies\\Microsoft\\Windows Defender\\Exclusions");
    check_lsass(r);
}

/* ---------------------------------------------------------------- which hive */

static bool has_key(reg *r, const char *path)
{
    xs_hkey *k = xs_hive_key(r->h, NULL, path);
    xs_hkey_free(k);
    return k != NULL;
}

static hv_kind kind_of(reg *r, const xs_hive_head *hd, const char *base)
{
    if (has_key(r, "Select") && has_key(r, "ControlSet001"))
        return HV_SYSTEM;
    if (has_key(r, "Microsoft\\Windows NT\\CurrentVersion"))
        return HV_SOFTWARE;
    if (has_key(r, "Software\\Microsoft"))
        return HV_USER;
    /* by name: the base block's file name, then the file's own */
    char name[256];
    lower_path(hd->name[0] ? hd->name : base, name, sizeof name);
    const char *leaf = strrchr(name, '\\');
    leaf = leaf ? leaf + 1 : name;
    if (strcmp(leaf, "system") == 0 || strcmp(base, "system") == 0)
        return has_key(r, "Select") ? HV_SYSTEM : HV_OTHER;
    if (strcmp(leaf, "software") == 0 || strcmp(base, "software") == 0)
        return HV_SOFTWARE;
    if (strcmp(leaf, "ntuser.dat") == 0 || strcmp(base, "ntuser.dat") == 0)
        return HV_USER;
    return HV_OTHER;
}

/* ---------------------------------------------------------------- the copy */

/* Copies the hive's bytes into a memory image: the whole content when at hand, else the
 * stream from its start. NULL when it cannot (said in a warning, or the sweep failed). */
static xs_hive_image *copy_hive(xs_fctx *c, const xs_hive_limits *lim)
{
    if (c->meta->size >= 0 && (uint64_t)c->meta->size > lim->max_bytes) {
        xs_warn(c->scan, XS_W_LIMIT, c->display, 0,
                "registry hive of %lld bytes past the %llu-byte cap: not read",
                (long long)c->meta->size, (unsigned long long)lim->max_bytes);
        return NULL;
    }
    if (!c->data && !(c->raw && c->raw->seek)) {
        xs_warn(c->scan, XS_W_LIMIT, c->display, 0,
                "registry hive larger than the file checks read in an archive: not read");
        return NULL;
    }
    xs_hive_image *im;
    exs_rc rc = xs_hive_image_new(&im, lim->max_bytes);
    if (rc != EXS_OK) {
        xs_scan_fail(c->scan, rc, "no memory file for the registry hive %s", c->display);
        return NULL;
    }
    if (c->data) {
        rc = xs_hive_image_append(im, c->data, c->data_n);
    } else if (c->raw->seek(c->raw->ctx, 0, SEEK_SET) != 0) {
        rc = EXS_EIO;
    } else {
        static __thread unsigned char buf[1 << 16];
        long k;
        while (rc == EXS_OK && (k = c->raw->read(c->raw->ctx, buf, sizeof buf)) > 0)
            rc = xs_hive_image_append(im, buf, (size_t)k);
        if (rc == EXS_OK && k < 0)
            rc = EXS_EIO;
    }
    if (rc == EXS_ELIMIT) {
        xs_warn(c->scan, XS_W_LIMIT, c->display, 0,
                "registry hive past the %llu-byte cap: not read", (unsigned long long)lim->max_bytes);
    } else if (rc == EXS_EIO) {
        xs_warn(c->scan, XS_W_UNREADABLE, c->display, 0, "registry hive could not be read again");
    } else if (rc != EXS_OK) {
        xs_scan_fail(c->scan, rc, "out of memory copying the registry hive %s", c->display);
    }
    if (rc != EXS_OK) {
        xs_hive_image_free(im);
        return NULL;
    }
    return im;
}

/* ---------------------------------------------------------------- transaction logs */

/* The log at path (next to the hive on disk), read whole within XS_HIVE_MAX_LOG_BYTES: its
 * bytes (malloc'd) and *n, or NULL when there is none or it cannot be used (warned). */
static unsigned char *read_log(xs_fctx *c, const char *path, size_t *n)
{
    int fd = xs_open_evidence(AT_FDCWD, path, 0);
    if (fd < 0)
        return NULL;
    struct stat st;
    unsigned char *buf = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 512) {
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > XS_HIVE_MAX_LOG_BYTES) {
        xs_warn(c->scan, XS_W_LIMIT, c->display, 0,
                "transaction log of %lld bytes past the %u-byte cap: not applied",
                (long long)st.st_size, (unsigned)XS_HIVE_MAX_LOG_BYTES);
    } else if ((buf = malloc((size_t)st.st_size)) == NULL) {
        xs_scan_fail(c->scan, EXS_ENOMEM, "out of memory reading the transaction log of %s",
                     c->display);
    } else {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
            if (k <= 0)
                break;
            got += (size_t)k;
        }
        *n = got;
    }
    close(fd);
    return buf;
}

/* Applies the new-format .LOG1 and then .LOG2 that lie beside a dirty hive on disk (archive
 * members have no reachable siblings) to its copy. Returns the entries applied; *stopped when
 * a damaged or out-of-sequence entry ended the replay. */
static unsigned replay_logs(xs_fctx *c, xs_hive_image *im, bool *stopped)
{
    *stopped = false;
    char self[64], path[PATH_MAX];
    snprintf(self, sizeof self, "/proc/self/fd/%d", c->meta->fd);
    ssize_t pn = c->meta->fd >= 0 ? readlink(self, path, sizeof path - 8) : -1;
    xs_hivelog_state st;
    if (pn <= 0 || (size_t)pn >= sizeof path - 8 || !xs_hivelog_begin(im, &st))
        return 0;
    static const char *const sfx[2][2] = {{".LOG1", ".log1"}, {".LOG2", ".log2"}};
    for (int i = 0; i < 2 && !st.stopped; i++) {
        unsigned char *log = NULL;
        size_t n = 0;
        for (int v = 0; v < 2 && !log; v++) {
            memcpy(path + pn, sfx[i][v], 6);
            log = read_log(c, path, &n);
        }
        if (!log)
            continue;
        exs_rc rc = xs_hivelog_apply(im, log, n, &st);
        free(log);
        if (rc == EXS_ELIMIT) {
            st.stopped = true;
        } else if (rc == EXS_ENOMEM || rc == EXS_EIO) {
            xs_scan_fail(c->scan, rc, "out of memory applying the transaction log of %s",
                         c->display);
            return 0;
        }
    }
    path[pn] = 0;
    exs_rc rc = xs_hivelog_end(im, &st);
    if (rc == EXS_ELIMIT) {
        st.stopped = true; /* said by the caller's warning; the sweep goes on */
    } else if (rc != EXS_OK) {
        xs_scan_fail(c->scan, rc, "out of memory applying the transaction log of %s",
                     c->display);
        return 0;
    }
    *stopped = st.stopped;
    return st.applied;
}

static void warn_overs(xs_fctx *c, const xs_hive_over *o)
{
    if (!o->any)
        return;
    const struct {
        uint64_t n;
        const char *what;
    } parts[] = {
        {o->subkeys, "subkeys past the per-key cap"},
        {o->values, "values past the per-key cap"},
        {o->depth, "keys too deep"},
        {o->keys, "keys past the per-hive cap"},
        {o->data, "values whose data is too large to read"},
        {o->fixed, "damaged key counts trimmed to their lists"},
    };
    char msg[400];
    size_t m = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i].n && m < sizeof msg)
            m += (size_t)snprintf(msg + m, sizeof msg - m, "%s%llu %s", m ? ", " : "",
                                  (unsigned long long)parts[i].n, parts[i].what);
    xs_warn(c->scan, XS_W_LIMIT, c->display, 0,
            "registry hive read in part (caps of the hive reader): %s", msg);
}

void xs_detect_registry(xs_fctx *c)
{
    xs_hive_head hd;
    if (!xs_hive_head_read(c->head, c->head_n, &hd) || hd.type != 0)
        return; /* not a hive, or a transaction log's copy of a base block */
    const xs_hive_limits *lim = &c->scan->hive_limits;
    xs_hive_image *im = copy_hive(c, lim);
    if (!im)
        return;
    if (xs_hive_dirty(&hd)) {
        bool stopped;
        unsigned applied = replay_logs(c, im, &stopped);
        if (applied == 0)
            xs_warn(c->scan, XS_W_UNREADABLE, c->display, 0,
                    "dirty hive: its transaction logs were not applied; recent changes may be "
                    "missing");
        else if (stopped)
            xs_warn(c->scan, XS_W_UNREADABLE, c->display, 0,
                    "dirty hive: %u transaction log entries applied, then a damaged or "
                    "out-of-sequence entry stopped the replay; later changes may be missing",
                    applied);
    }
    reg r;
    memset(&r, 0, sizeof r);
    r.c = c;
    char err[256];
    exs_rc rc = xs_hive_open_image(im, lim, &r.h, err, sizeof err);
    if (rc == EXS_ENOMEM) {
        xs_scan_fail(c->scan, rc, "out of memory opening the registry hive %s", c->display);
        return;
    }
    if (rc == EXS_ELIMIT) {
        xs_warn(c->scan, XS_W_LIMIT, c->display, 0, "registry hive not read: %s", err);
        return;
    }
    if (rc != EXS_OK) {
        xs_warn(c->scan, XS_W_UNREADABLE, c->display, 0, "registry hive not readable: %s",
                err[0] ? err : "damaged");
        return;
    }
    xs_hkey *top = xs_hive_root(r.h);
    if (!top) { /* libregf reads bins as it needs them: the root's may be the damaged one */
        if (xs_hive_failed(r.h))
            xs_scan_fail(c->scan, EXS_ENOMEM, "out of memory reading the registry hive %s",
                         c->display);
        else
            xs_warn(c->scan, XS_W_UNREADABLE, c->display, 0,
                    "registry hive not readable: its root key is damaged");
        warn_overs(c, xs_hive_overs(r.h));
        xs_hive_close(r.h);
        return;
    }
    xs_hkey_free(top);
    r.kind = kind_of(&r, &hd, c->base);
    if (r.kind == HV_SYSTEM) {
        check_system(&r);
    } else if (r.kind == HV_SOFTWARE) {
        check_software(&r);
    } else if (r.kind == HV_USER) {
        check_run(&r, "Software\\Microsoft\\Windows\\CurrentVersion\\Run");
        check_run(&r, "Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce");
    }
    if (r.oom || xs_hive_failed(r.h))
        xs_scan_fail(c->scan, EXS_ENOMEM, "out of memory reading the registry hive %s",
                     c->display);
    warn_overs(c, xs_hive_overs(r.h));
    xs_hive_close(r.h);
}
