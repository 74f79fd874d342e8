/* Windows events: what the web shells and the post-exploitation left in the event logs
 * (catalogue 2.2, 2.4, 2.5, 4, 5.5). Works on xs_event, the reader-independent view of a
 * record, so EVTX files and event exports go through the same predicates. */
#include <stdio.h>
#include <stdlib.h>

#include "detectors/dumpcmd.h"
#include "detectors/internal.h"
#include "detectors/logclear.h"
#include "detectors/patterns.h"
#include "exsweep/finding.h"

xs_str xs_event_get(const xs_event *e, const char *name)
{
    for (size_t i = 0; i < e->nfields; i++)
        if (xs_str_ieq(e->fields[i].name, name))
            return e->fields[i].value.p ? e->fields[i].value : XS_LIT("");
    return XS_LIT("");
}

/* The n-th positional value (unnamed <Data>, or <string> items), skipping empty ones; ""
 * (never a NULL pointer, as xs_event_get) when there is none. */
static xs_str positional(const xs_event *e, size_t n)
{
    for (size_t i = 0; i < e->nfields; i++) {
        xs_str nm = e->fields[i].name;
        if (!(nm.n == 0 || xs_str_ieq(nm, "Data") || xs_str_ieq(nm, "string")))
            continue;
        if (e->fields[i].value.n == 0)
            continue;
        if (n-- == 0)
            return e->fields[i].value;
    }
    return XS_LIT("");
}

/* The last component of path; never a NULL pointer (an absent path gives ""). */
static xs_str base_of(xs_str path)
{
    for (size_t i = path.n; i > 0; i--)
        if (path.p[i - 1] == '\\' || path.p[i - 1] == '/')
            return xs_str_make(path.p + i, path.n - i);
    return path.p ? path : XS_LIT("");
}

static bool base_is(xs_str path, const char *name)
{
    return xs_str_ieq(xs_str_trim(base_of(xs_str_trim(path))), name);
}

static bool base_in(xs_str path, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (base_is(path, names[i]))
            return true;
    return false;
}

static bool is_lsass_pid(const xs_event_state *st, uint64_t pid)
{
    for (size_t i = 0; i < st->nlsass; i++)
        if (st->lsass_pids[i] == pid)
            return true;
    return false;
}

static void note_lsass_pid(xs_event_state *st, uint64_t pid)
{
    if (pid && !is_lsass_pid(st, pid) && st->nlsass < XS_EVENT_PIDS)
        st->lsass_pids[st->nlsass++] = pid;
}

/* A finding from event e: its event group (a recovered record says so there: it lies outside
 * the live record chain, which matters to whoever reads the timeline), the record as its
 * origin and the rendered record as evidence. The caller adds the subject. */
static void ev_init(xs_hit *h, const xs_event *e, int rule, exs_verdict v, exs_severity s,
                    const char *reason)
{
    xs_hit_init(h, RULE(rule), v, s, e->time_ms);
    xs_hit_event_of(h, e);
    h->reason = reason;
    h->evidence = e->text;
}

/* The process group of a finding about the process p of an event. */
typedef struct proc proc;
static void ev_proc(xs_hit *h, const proc *p);

static bool provider_is(const xs_event *e, const char *p)
{
    return xs_str_ieq(xs_str_trim(e->provider), p);
}

static bool is_sysmon(const xs_event *e)
{
    return xs_str_istarts(e->provider, "Microsoft-Windows-Sysmon");
}

static bool is_security(const xs_event *e)
{
    return provider_is(e, "Microsoft-Windows-Security-Auditing") ||
           xs_str_ieq(e->channel, "Security");
}

/* ---------------------------------------------------------------- process creation */

struct proc {
    xs_str image, cmd, parent, user;
    uint64_t pid, ppid;
};

static void ev_proc(xs_hit *h, const proc *p)
{
    h->proc.image = p->image;
    h->proc.cmd = p->cmd;
    h->proc.parent = p->parent;
    h->proc.user = p->user;
    h->proc.pid = p->pid ? (int64_t)p->pid : -1;
    h->proc.ppid = p->ppid ? (int64_t)p->ppid : -1;
}

static bool as_process(const xs_event *e, proc *p)
{
    memset(p, 0, sizeof *p);
    if (is_sysmon(e) && e->event_id == 1) {
        p->image = xs_event_get(e, "Image");
        p->cmd = xs_event_get(e, "CommandLine");
        p->parent = xs_event_get(e, "ParentImage");
        p->user = xs_event_get(e, "User");
        p->pid = xs_parse_pid(xs_event_get(e, "ProcessId"));
        p->ppid = xs_parse_pid(xs_event_get(e, "ParentProcessId"));
        return true;
    }
    if (is_security(e) && e->event_id == 4688) {
        p->image = xs_event_get(e, "NewProcessName");
        p->cmd = xs_event_get(e, "CommandLine");
        p->parent = xs_event_get(e, "ParentProcessName");
        p->user = xs_event_get(e, "SubjectUserName");
        p->pid = xs_parse_pid(xs_event_get(e, "NewProcessId"));
        p->ppid = xs_parse_pid(xs_event_get(e, "ProcessId"));
        return true;
    }
    return false;
}

static const char *const chopper_fragments[] = {
    "&ipconfig&echo", "&quser&echo", "&whoami&echo", "&c:&echo",
    "&cd&echo",       "&dir&echo",   "&echo [e]",    "&echo [s]",
};

static void span_copy(char *dst, size_t cap, xs_str v)
{
    snprintf(dst, cap, "%.*s", (int)(v.n < cap - 1 ? v.n : cap - 1), v.p ? v.p : "");
}

/* A dump command line: the process (cmd, user) from the caller's event, the tool and the
 * target pid as facts. */
static void dump_found(xs_ctx *c, xs_event_state *st, const xs_event *e, xs_str cmd,
                       const xs_dump_cmd *d0, xs_str user)
{
    xs_hit h;
    const char *tool = d0->tool;
    uint64_t pid = d0->pid;
    if (d0->lsass_only && !(pid && is_lsass_pid(st, pid)))
        return; /* WerFault's report of a crash: only lsass's is a dump to tell; its pid must
                   be known by now (the form is Windows's own for every crashing process) */
    if (d0->lsass_named || (pid && is_lsass_pid(st, pid))) {
        ev_init(&h, e, R_EV_LSASS_DUMP, EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL,
                "a dump of lsass.exe");
    } else if (pid && st->ndumps < sizeof st->dumps / sizeof st->dumps[0]) {
        /* the target may turn out to be lsass later in the log (Sysmon 10) */
        xs_event_dump *d = &st->dumps[st->ndumps++];
        d->pid = pid;
        d->time_ms = e->time_ms;
        d->record = e->record;
        d->line = e->line;
        /* the position the finding has at once (xs_hit_event_of), kept for it at the end */
        d->offset = xs_ctx_offset(c, e->line, e->offset > 0 ? e->offset : -1);
        xs_emit_hold(c, d->line, d->record, d->offset);
        d->event_id = e->event_id;
        d->recovered = e->recovered;
        snprintf(d->tool, sizeof d->tool, "%s", tool);
        span_copy(d->cmd, sizeof d->cmd, cmd);
        span_copy(d->user, sizeof d->user, user);
        span_copy(d->provider, sizeof d->provider, e->provider);
        span_copy(d->channel, sizeof d->channel, e->channel);
        span_copy(d->computer, sizeof d->computer, e->computer);
        return;
    } else {
        ev_init(&h, e, R_EV_PROC_DUMP, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                "a memory dump; its target is not identified as lsass");
    }
    h.proc.cmd = cmd;
    h.proc.user = user;
    xs_hit_fact_cstr(&h, "dump_tool", tool);
    if (pid)
        xs_hit_fact_u64(&h, "dump_pid", pid);
    xs_emit(c, &h);
}

/* Memory-dump, staging and snap-in command lines; also used on script blocks. */
static void command_checks(xs_ctx *c, xs_event_state *st, const xs_event *e, xs_str cmd,
                           xs_str parent, xs_str user)
{
    xs_dump_cmd d;
    if (xs_dump_command(cmd, &d))
        dump_found(c, st, e, cmd, &d, user);
    bool sevenzip = (xs_str_icontains(cmd, "7z.exe") || xs_str_icontains(cmd, "7za.exe") ||
                     xs_str_istarts(xs_str_trim(cmd), "7z ")) &&
                    (xs_str_icontains(cmd, " a ") || xs_str_icontains(cmd, "-t7z"));
    xs_hit h;
    if (sevenzip || (xs_str_icontains(cmd, "makecab") && (xs_str_icontains(cmd, ".dmp") ||
                                                           xs_str_icontains(cmd, "inetpub") ||
                                                           xs_str_icontains(cmd, "exchange server"))) ||
        (xs_str_icontains(cmd, "vssadmin") && xs_str_icontains(cmd, "shadow"))) {
        ev_init(&h, e, R_EV_STAGING, EXS_VERDICT_SUSPICIOUS, EXS_SEV_MEDIUM,
                "an archiving or shadow-copy command");
        h.proc.cmd = cmd;
        h.proc.parent = parent;
        h.proc.user = user;
        xs_emit(c, &h);
    }
    xs_str log;
    const char *clear = xs_log_clear_command(cmd, &log);
    if (clear) {
        ev_init(&h, e, R_EV_LOG_CLEARED, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH, clear);
        h.target = log;
        h.proc.cmd = cmd;
        h.proc.parent = parent;
        h.proc.user = user;
        xs_emit(c, &h);
    }
    if (xs_str_icontains(cmd, "add-pssnapin") && xs_str_icontains(cmd, "microsoft.exchange") &&
        !base_is(parent, "msiexec.exe")) {
        ev_init(&h, e, R_EV_EXCH_SNAPIN, EXS_VERDICT_SUSPICIOUS, EXS_SEV_MEDIUM,
                "the Exchange snap-in loaded outside the management shell");
        h.proc.cmd = cmd;
        h.proc.parent = parent;
        h.proc.user = user;
        xs_emit(c, &h);
    }
}

static void process_checks(xs_ctx *c, xs_event_state *st, const xs_event *e, const proc *p)
{
    static const char *const workers[] = {"w3wp.exe", "umworkerprocess.exe"};
    static const char *const benign_children[] = {"csc.exe", "cvtres.exe", "werfault.exe",
                                                  "wermgr.exe"};
    xs_hit h;
    if (base_is(p->image, "lsass.exe"))
        note_lsass_pid(st, p->pid);
    if (base_in(p->parent, workers, 2) && p->image.n && !base_in(p->image, benign_children, 4)) {
        ev_init(&h, e, R_EV_W3WP_CHILD, EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL,
                base_is(p->parent, "w3wp.exe") ? "the IIS worker started a process"
                                               : "the UM worker started a process");
        ev_proc(&h, p);
        xs_emit(c, &h);
    }
    for (size_t i = 0; i < sizeof chopper_fragments / sizeof chopper_fragments[0]; i++)
        if (xs_str_icontains(p->cmd, chopper_fragments[i])) {
            ev_init(&h, e, R_EV_CHOPPER, EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL,
                    "China Chopper command fragments");
            ev_proc(&h, p);
            xs_hit_fact_cstr(&h, "keyword", chopper_fragments[i]);
            xs_emit(c, &h);
            break;
        }
    command_checks(c, st, e, p->cmd, p->parent, p->user);
}

/* ---------------------------------------------------------------- Sysmon 3, 8, 10, 11 */

static const char *const dump_tools[] = {
    "procdump.exe",   "procdump64.exe", "procdump64a.exe", "rundll32.exe",   "taskmgr.exe",
    "rdrleakdiag.exe", "mimikatz.exe",  "sqldumper.exe",   "dumpert.exe",    "nanodump.exe",
    "powershell.exe", "pwsh.exe",       "cscript.exe",     "wscript.exe",    "cmd.exe",
    "comsvcs.exe",    "ppldump.exe",    "pplblade.exe",    "handlekatz.exe", "createdump.exe",
    "tttracer.exe",   "werfaultsecure.exe",
};

/* Accessors that open lsass all day long: the system's own, Sysinternals' process monitors,
 * backup agents and the EDR and antivirus services. A dump by any of them still shows in the
 * call trace (dbgcore/dbghelp), which is checked for every accessor. */
static const char *const lsass_readers[] = {
    "msmpeng.exe",      "csrss.exe",        "wininit.exe",      "services.exe",
    "svchost.exe",      "lsm.exe",          "wmiprvse.exe",     "vmtoolsd.exe",
    "mssense.exe",      "senseir.exe",      "sensendr.exe",     "nissrv.exe",
    "mpdefendercoreservice.exe",            "procmon.exe",      "procmon64.exe",
    "procmon64a.exe",   "procexp.exe",      "procexp64.exe",    "wbengine.exe",
    "vssvc.exe",        "veeamagent.exe",   "veeamguesthelper.exe",
    "cvd.exe",          "beremote.exe",     "csfalconservice.exe",
    "sentinelagent.exe", "cyserver.exe",    "xagt.exe",         "taniumclient.exe",
    "elastic-endpoint.exe",                 "ccsvchst.exe",     "ekrn.exe",
    "avp.exe",          "sophosfilescanner.exe",                "sedservice.exe",
    "bdservicehost.exe", "repmgr.exe",      "cb.exe",           "mcshield.exe",
};
#define N_READERS (sizeof lsass_readers / sizeof lsass_readers[0])

/* A call trace through the minidump writers (MiniDumpWriteDump lives in dbghelp and dbgcore;
 * comsvcs wraps it): the process was dumped, whatever opened it. */
static bool dump_trace(xs_str trace)
{
    return xs_str_icontains(trace, "dbgcore.dll") || xs_str_icontains(trace, "dbghelp.dll") ||
           xs_str_icontains(trace, "comsvcs.dll");
}

static bool dump_mask(xs_str m)
{
    static const char *const masks[] = {"0x1fffff", "0x001fffff", "0x1f3fff", "0x1010",
                                        "0x1410",   "0x143a",     "0x1438",   "0x1f0fff"};
    m = xs_str_trim(m);
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++)
        if (xs_str_ieq(m, masks[i]))
            return true;
    return false;
}

static const char *const script_ext[] = {".aspx", ".ashx", ".asmx", ".asp", ".asa", ".cer",
                                         ".php",  ".jsp",  ".cshtml"};

/* An Exchange or IIS web folder where a script is a shell drop (catalogue 3.1). */
static bool web_folder(xs_str path)
{
    static const char *const dirs[] = {"\\frontend\\httpproxy\\owa\\auth\\",
                                       "\\frontend\\httpproxy\\ecp\\auth\\",
                                       "\\frontend\\httpproxy\\oab\\",
                                       "\\inetpub\\wwwroot\\aspnet_client\\",
                                       "\\clientaccess\\owa\\auth\\",
                                       "\\clientaccess\\ecp\\",
                                       "\\programdata\\com",
                                       "\\users\\all users\\"};
    char norm[1024];
    size_t n = path.n < sizeof norm - 1 ? path.n : sizeof norm - 1;
    for (size_t i = 0; i < n; i++)
        norm[i] = path.p[i] == '/' ? '\\' : xs_lower(path.p[i]);
    norm[n] = 0;
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        if (strstr(norm, dirs[i]))
            return true;
    return false;
}

/* Any Sysmon event naming lsass.exe with a process id teaches us lsass's pid: process
 * creation (Image or ParentImage), access and thread creation (TargetImage). */
static void learn_lsass(xs_event_state *st, const xs_event *e)
{
    static const char *const pairs[][2] = {{"Image", "ProcessId"},
                                           {"ParentImage", "ParentProcessId"},
                                           {"TargetImage", "TargetProcessId"},
                                           {"SourceImage", "SourceProcessId"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (base_is(xs_event_get(e, pairs[i][0]), "lsass.exe"))
            note_lsass_pid(st, xs_parse_pid(xs_event_get(e, pairs[i][1])));
}

static void sysmon_checks(xs_ctx *c, xs_event_state *st, const xs_event *e)
{
    xs_hit h;
    xs_str user = xs_event_get(e, "User");
    switch (e->event_id) {
    case 3: {
        xs_str image = xs_event_get(e, "Image");
        long port = xs_str_uint(xs_str_trim(xs_event_get(e, "DestinationPort")), 65535);
        if (base_is(image, "w3wp.exe") &&
            (port == 22 || port == 135 || port == 445 || port == 3389 || port == 5985 || port == 5986)) {
            ev_init(&h, e, R_EV_W3WP_TUNNEL, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                    "the IIS worker connected to an administration port");
            h.proc.image = image;
            h.proc.user = user;
            h.proc.pid = (int64_t)xs_parse_pid(xs_event_get(e, "ProcessId"));
            xs_hit_fact(&h, "destination_ip", xs_str_trim(xs_event_get(e, "DestinationIp")));
            xs_hit_fact_u64(&h, "destination_port", (uint64_t)port);
            xs_emit(c, &h);
        }
        break;
    }
    case 8: {
        xs_str src = xs_event_get(e, "SourceImage"), dst = xs_event_get(e, "TargetImage");
        if (base_is(dst, "lsass.exe") && !base_is(src, "csrss.exe")) {
            bool tool = base_in(src, dump_tools, sizeof dump_tools / sizeof dump_tools[0]) ||
                        base_is(src, "rdrleakdiag.exe");
            ev_init(&h, e, R_EV_LSASS_ACCESS,
                    tool ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS,
                    tool ? EXS_SEV_CRITICAL : EXS_SEV_HIGH, "a thread created in lsass.exe");
            h.proc.image = src;
            h.proc.target = dst;
            h.proc.user = user;
            xs_emit(c, &h);
        } else if (base_is(src, "w3wp.exe")) {
            ev_init(&h, e, R_EV_W3WP_THREAD, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                    "the IIS worker created a thread in another process");
            h.proc.image = src;
            h.proc.target = dst;
            h.proc.user = user;
            xs_emit(c, &h);
        }
        break;
    }
    case 10: {
        xs_str src = xs_event_get(e, "SourceImage"), dst = xs_event_get(e, "TargetImage");
        if (!base_is(dst, "lsass.exe"))
            break;
        note_lsass_pid(st, xs_parse_pid(xs_event_get(e, "TargetProcessId")));
        xs_str mask = xs_event_get(e, "GrantedAccess");
        bool dumping = dump_trace(xs_event_get(e, "CallTrace"));
        /* Task Manager lists lsass with query rights; its "Create dump file" asks for more */
        bool tool = base_in(src, dump_tools, sizeof dump_tools / sizeof dump_tools[0]) &&
                    (!base_is(src, "taskmgr.exe") || dump_mask(mask));
        bool reader = base_in(src, lsass_readers, N_READERS);
        if (dumping || tool || (dump_mask(mask) && !reader)) {
            bool bad = dumping || tool;
            ev_init(&h, e, R_EV_LSASS_ACCESS, bad ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS,
                    bad ? EXS_SEV_CRITICAL : EXS_SEV_HIGH,
                    dumping ? "lsass.exe opened by a minidump writer (dbghelp, dbgcore or comsvcs "
                              "in the call trace)"
                            : "lsass.exe opened for reading");
            h.proc.image = src;
            h.proc.target = dst;
            h.proc.user = user;
            xs_hit_fact(&h, "access_mask", xs_str_trim(mask));
            xs_emit(c, &h);
        }
        break;
    }
    case 11: {
        xs_str f = xs_event_get(e, "TargetFilename"), image = xs_event_get(e, "Image");
        xs_str b = base_of(f);
        if (xs_str_iends(f, ".dmp")) {
            bool lsass = xs_str_icontains(b, "lsass");
            ev_init(&h, e, lsass ? R_EV_LSASS_DUMP : R_EV_DUMP_FILE,
                    lsass ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS,
                    lsass ? EXS_SEV_CRITICAL : EXS_SEV_MEDIUM,
                    lsass ? "an LSASS dump file written" : "a memory dump file written");
            h.proc.image = image;
            h.proc.user = user;
            h.file.path = f;
            xs_emit(c, &h);
        } else if (xs_str_ieq(b, "agents.config") &&
                   xs_str_icontains(f, "transportroles")) {
            ev_init(&h, e, R_EV_AGENTS_CONFIG, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                    "the transport agents configuration written");
            h.proc.image = image;
            h.proc.user = user;
            h.file.path = f;
            xs_emit(c, &h);
        } else {
            static const char *const setup[] = {"msiexec.exe", "exsetup.exe", "exsetupui.exe",
                                                "setup.exe",   "tiworker.exe",
                                                "trustedinstaller.exe"};
            bool script = false;
            for (size_t i = 0; i < sizeof script_ext / sizeof script_ext[0] && !script; i++)
                script = xs_str_iends(f, script_ext[i]);
            if (script && web_folder(f) && !base_in(image, setup, sizeof setup / sizeof setup[0])) {
                ev_init(&h, e, R_EV_ASPX_WRITE, EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL,
                        "a script written into a web folder");
                h.proc.image = image;
                h.proc.user = user;
                h.file.path = f;
                xs_emit(c, &h);
            }
        }
        break;
    }
    default: break;
    }
}

/* ---------------------------------------------------------------- the rest */

static const char *const defender_exchange_names[] = {
    "exmann",     "chopper",   "secchecker", "webshell", "dumplsass", "doejocrypt",
    "twoface",    "iisexchg",  "cve-2021-",  "suspexchg", "proxyshell", "proxylogon",
    "hafnium",    "blackkingdom", "sportsball", "simpleseesharp",
};

/* Microsoft-Windows-Windows Defender/Operational: what each detection and remediation event
 * says happened to the threat, and how much weight it adds (learn.microsoft.com, "Microsoft
 * Defender Antivirus event IDs"). */
static const struct {
    uint32_t id;
    const char *reason;
    int weight; /* added to the severity: an action that failed leaves the threat there */
} defender_events[] = {
    {1006, "Defender detected malware", 0},
    {1007, "Defender acted on malware", 0},
    {1008, "Defender failed to act on malware: it may still be there", 1},
    {1009, "a file was restored from Defender's quarantine", 1},
    {1015, "Defender detected suspicious behaviour", 0},
    {1116, "Defender detected malware", 0},
    {1117, "Defender acted on malware", 0},
    {1118, "Defender failed to remediate malware: it may still be there", 1},
    {1119, "Defender's remediation failed critically: the threat is still there", 1},
    {1160, "Defender detected potentially unwanted software", -1},
};

static bool defender_event(const xs_event *e, size_t *i)
{
    if (!xs_str_istarts(e->provider, "Microsoft-Windows-Windows Defender"))
        return false;
    for (*i = 0; *i < sizeof defender_events / sizeof defender_events[0]; (*i)++)
        if (defender_events[*i].id == e->event_id)
            return true;
    return false;
}

static void defender_check(xs_ctx *c, const xs_event *e, size_t k)
{
    xs_str name = xs_event_get(e, "Threat Name");
    if (!name.n)
        name = xs_event_get(e, "ThreatName");
    xs_str path = xs_event_get(e, "Path");
    bool exch = false;
    for (size_t i = 0; i < sizeof defender_exchange_names / sizeof defender_exchange_names[0]; i++)
        exch |= xs_str_icontains(name, defender_exchange_names[i]);
    int sev = (exch ? EXS_SEV_HIGH : EXS_SEV_MEDIUM) + defender_events[k].weight;
    if (sev > EXS_SEV_CRITICAL)
        sev = EXS_SEV_CRITICAL;
    if (sev < EXS_SEV_LOW)
        sev = EXS_SEV_LOW;
    xs_hit h;
    ev_init(&h, e, R_EV_DEFENDER, exch ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS,
            (exs_severity)sev, defender_events[k].reason);
    xs_hit_fact(&h, "threat_name", xs_str_trim(name));
    xs_hit_fact(&h, "threat_action", xs_str_trim(xs_event_get(e, "Action Name")));
    h.file.path = path;
    h.proc.user = xs_event_get(e, "Detection User");
    if (!h.proc.user.n)
        h.proc.user = xs_event_get(e, "User");
    xs_emit(c, &h);
}

/* Defender weakened: protection turned off (5001, 5010, 5012), real-time protection
 * reconfigured (5004), a setting changed (5007) that adds an exclusion or turns a protection
 * off. Other 5007 changes (signature and cloud settings) are routine and not reported. */
static void defender_tamper(xs_ctx *c, const xs_event *e)
{
    const char *reason = NULL;
    exs_severity sev = EXS_SEV_HIGH;
    xs_str nv = xs_event_get(e, "New Value");
    switch (e->event_id) {
    case 5001: reason = "Defender real-time protection disabled"; break;
    case 5010: reason = "Defender scanning for malware and unwanted software disabled"; break;
    case 5012: reason = "Defender virus scanning disabled"; break;
    case 5004:
        reason = "Defender real-time protection configuration changed";
        sev = EXS_SEV_MEDIUM;
        break;
    case 5007:
        if (xs_str_icontains(nv, "\\Exclusions\\"))
            reason = "a Defender exclusion added";
        else if (xs_str_icontains(nv, "\\Disable") && xs_str_iends(xs_str_trim(nv), "0x1"))
            reason = "a Defender protection turned off";
        break;
    default: break;
    }
    if (!reason)
        return;
    xs_hit h;
    ev_init(&h, e, R_EV_DEFENDER_TAMPER, EXS_VERDICT_SUSPICIOUS, sev, reason);
    h.target = xs_str_trim(nv);
    h.proc.user = xs_event_get(e, "User");
    xs_emit(c, &h);
}

static void script_checks(xs_ctx *c, xs_event_state *st, const xs_event *e)
{
    xs_str t = e->text;
    xs_hit h;
    bool hit = true;
    if (xs_str_icontains(t, "minidumpwritedump")) {
        bool lsass = xs_str_icontains(t, "lsass");
        ev_init(&h, e, lsass ? R_EV_LSASS_DUMP : R_EV_PS_SCRIPT,
                lsass ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS,
                lsass ? EXS_SEV_CRITICAL : EXS_SEV_HIGH,
                lsass ? "PowerShell MiniDumpWriteDump of lsass" : "PowerShell MiniDumpWriteDump");
    } else if (xs_str_icontains(t, "invoke-powershelltcp") ||
               (xs_str_icontains(t, "net.sockets.tcpclient(") && xs_str_icontains(t, "getstream()"))) {
        ev_init(&h, e, R_EV_PS_SCRIPT, EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL,
                "a Nishang reverse shell");
    } else if (xs_str_icontains(t, "powercat")) {
        ev_init(&h, e, R_EV_PS_SCRIPT, EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH, "PowerCat");
    } else {
        hit = false;
    }
    if (hit)
        xs_emit(c, &h);
    command_checks(c, st, e, t, XS_STR_NULL, XS_STR_NULL);
}

static void cmdlet_event(xs_ctx *c, const xs_event *e)
{
    xs_cmdlet cm;
    memset(&cm, 0, sizeof cm);
    cm.time_ms = e->time_ms;
    cm.line = e->line;
    cm.event = e;
    cm.name = xs_str_trim(positional(e, 0));
    cm.params = positional(e, 1);
    cm.user = positional(e, 2);
    if (!cm.name.n) {
        /* exports keep the rendered message: "Cmdlet suceeded. Cmdlet X, parameters ..." */
        xs_str t = e->text;
        long k = xs_str_ifind(t, ". Cmdlet ");
        if (k >= 0) {
            xs_str rest = xs_str_make(t.p + k + 9, t.n - (size_t)k - 9);
            long comma = xs_str_ifind(rest, ", parameters ");
            cm.name = xs_str_trim(comma >= 0 ? xs_str_make(rest.p, (size_t)comma) : rest);
            if (comma >= 0)
                cm.params = xs_str_make(rest.p + comma + 13, rest.n - (size_t)comma - 13);
        }
    }
    cm.client = xs_event_get(e, "ClientApplication");
    cm.result = e->event_id == 6 ? XS_LIT("Error") : XS_LIT("Success");
    cm.raw = e->text;
    xs_detect_cmdlet(c, &cm);
}

static const char *const replication_guids[] = {
    "1131f6aa-9c07-11d1-f79f-00c04fc2dcd2", "1131f6ad-9c07-11d1-f79f-00c04fc2dcd2",
    "89e95b76-444d-4c62-991a-0facbeda640c",
};

static void security_checks(xs_ctx *c, const xs_event *e)
{
    xs_hit h;
    switch (e->event_id) {
    case 4648: {
        xs_str p = xs_event_get(e, "ProcessName");
        if (base_is(p, "w3wp.exe")) {
            ev_init(&h, e, R_EV_W3WP_LOGON, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                    "an explicit-credential logon from the IIS worker");
            h.proc.image = p;
            h.proc.user = xs_event_get(e, "SubjectUserName");
            h.target = xs_event_get(e, "TargetUserName");
            xs_emit(c, &h);
        }
        break;
    }
    case 4656:
    case 4663: {
        xs_str obj = xs_event_get(e, "ObjectName"), p = xs_event_get(e, "ProcessName");
        if (base_is(obj, "lsass.exe") &&
            !base_in(p, lsass_readers, N_READERS)) {
            ev_init(&h, e, R_EV_LSASS_HANDLE, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                    "a handle to lsass.exe asked for");
            h.proc.image = p;
            h.proc.target = obj;
            h.proc.user = xs_event_get(e, "SubjectUserName");
            xs_emit(c, &h);
        }
        break;
    }
    case 4662: {
        xs_str props = xs_event_get(e, "Properties"), u = xs_event_get(e, "SubjectUserName");
        bool repl = false;
        for (size_t i = 0; i < sizeof replication_guids / sizeof replication_guids[0]; i++)
            repl |= xs_str_icontains(props, replication_guids[i]);
        if (repl && !xs_str_iends(xs_str_trim(u), "$")) {
            ev_init(&h, e, R_EV_DS_CHANGE, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                    "directory replication rights used by a user account (DCSync)");
            h.proc.user = u;
            h.target = xs_event_get(e, "ObjectName");
            xs_emit(c, &h);
        }
        break;
    }
    case 5136: {
        xs_str attr = xs_event_get(e, "AttributeLDAPDisplayName");
        xs_str dn = xs_str_trim(xs_event_get(e, "ObjectDN"));
        if (xs_str_ieq(xs_str_trim(attr), "nTSecurityDescriptor") && xs_str_istarts(dn, "DC=")) {
            ev_init(&h, e, R_EV_DS_CHANGE, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                    "the domain object's permissions changed (PrivExchange grants DCSync so)");
            h.proc.user = xs_event_get(e, "SubjectUserName");
            h.target = dn;
            xs_emit(c, &h);
        }
        break;
    }
    case 4728:
    case 4732:
    case 4756: {
        xs_str g = xs_str_trim(xs_event_get(e, "TargetUserName"));
        if (xs_str_icontains(g, "exchange") || xs_str_ieq(g, "Organization Management") ||
            xs_str_ieq(g, "Domain Admins") || xs_str_ieq(g, "Enterprise Admins") ||
            xs_str_ieq(g, "Administrators")) {
            xs_str m = xs_event_get(e, "MemberName");
            ev_init(&h, e, R_EV_GROUP_ADD, EXS_VERDICT_SUSPICIOUS, EXS_SEV_MEDIUM,
                    "a member added to a privileged group");
            xs_hit_fact(&h, "group", g);
            h.target = m.n ? m : xs_event_get(e, "MemberSid");
            h.proc.user = xs_event_get(e, "SubjectUserName");
            xs_emit(c, &h);
        }
        break;
    }
    default: break;
    }
}

void xs_detect_event(xs_ctx *c, xs_event_state *st, const xs_event *e)
{
    proc p;
    xs_hit h;
    if (is_sysmon(e))
        learn_lsass(st, e);
    if (as_process(e, &p)) {
        process_checks(c, st, e, &p);
        return;
    }
    if (is_sysmon(e)) {
        sysmon_checks(c, st, e);
        return;
    }
    if (provider_is(e, "MSExchange Unified Messaging") && e->level == 2 &&
        xs_str_icontains(e->text, "System.InvalidCastException")) {
        ev_init(&h, e, R_EV_26857_UM, EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL,
                "a UM deserialisation error (InvalidCastException)");
        xs_emit(c, &h);
        return;
    }
    if (xs_str_istarts(e->provider, "MSExchange") && e->level == 2 &&
        xs_str_icontains(e->text, "umworkerprocess") &&
        xs_str_icontains(e->text, "TextFormattingRunProperties")) {
        ev_init(&h, e, R_EV_UM_CRASH, EXS_VERDICT_ATTEMPT, EXS_SEV_HIGH,
                "the UM worker crashed on a deserialisation gadget");
        xs_emit(c, &h);
        return;
    }
    if (provider_is(e, "MSExchange CmdletLogs") && (e->event_id == 1 || e->event_id == 6)) {
        cmdlet_event(c, e);
        return;
    }
    size_t dk;
    if (defender_event(e, &dk)) {
        defender_check(c, e, dk);
        return;
    }
    if (xs_str_istarts(e->provider, "Microsoft-Windows-Windows Defender") && e->event_id >= 5001 &&
        e->event_id <= 5012) {
        defender_tamper(c, e);
        return;
    }
    if ((e->event_id == 1102 && (provider_is(e, "Microsoft-Windows-Eventlog") || is_security(e))) ||
        (e->event_id == 104 && provider_is(e, "Microsoft-Windows-Eventlog"))) {
        /* both events name who cleared the log in UserData/LogFileCleared/SubjectUserName;
         * 104 also names the log (Channel) */
        ev_init(&h, e, R_EV_LOG_CLEARED, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                e->event_id == 1102 ? "the Security log cleared" : "an event log cleared");
        h.target = xs_event_get(e, "Channel");
        h.proc.user = xs_event_get(e, "SubjectUserName");
        xs_emit(c, &h);
        return;
    }
    if ((xs_str_icontains(e->provider, "PowerShell") &&
         (e->event_id == 4104 || e->event_id == 4103 || e->event_id == 800)) ||
        (e->event_id == 800 && xs_str_ieq(e->channel, "Windows PowerShell"))) {
        script_checks(c, st, e);
        return;
    }
    if (e->event_id == 3001 && xs_str_icontains(e->text, "lsass")) {
        ev_init(&h, e, R_EV_SILENT_EXIT, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                "silent process exit monitoring set on lsass.exe");
        xs_emit(c, &h);
        return;
    }
    if (is_security(e))
        security_checks(c, e);
}

void xs_detect_events_end(xs_ctx *c, xs_event_state *st)
{
    for (size_t i = 0; i < st->ndumps; i++) {
        const xs_event_dump *d = &st->dumps[i];
        bool lsass = is_lsass_pid(st, d->pid);
        xs_hit h;
        xs_hit_init(&h, RULE(lsass ? R_EV_LSASS_DUMP : R_EV_PROC_DUMP),
                     lsass ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS,
                     lsass ? EXS_SEV_CRITICAL : EXS_SEV_HIGH, d->time_ms);
        h.record = d->record;
        h.line = d->line;
        h.offset = d->offset;
        h.event.id = d->event_id;
        h.event.provider = xs_str_fixed(d->provider, sizeof d->provider);
        h.event.channel = xs_str_fixed(d->channel, sizeof d->channel);
        h.event.computer = xs_str_fixed(d->computer, sizeof d->computer);
        h.event.recovered = d->recovered;
        h.reason = lsass ? "a dump of a process this log shows to be lsass.exe"
                         : "a memory dump; its target is not identified as lsass";
        h.proc.cmd = xs_str_fixed(d->cmd, sizeof d->cmd);
        h.proc.user = xs_str_fixed(d->user, sizeof d->user);
        xs_hit_fact(&h, "dump_tool", xs_str_fixed(d->tool, sizeof d->tool));
        xs_hit_fact_u64(&h, "dump_pid", d->pid);
        h.evidence = h.proc.cmd;
        xs_emit(c, &h);
    }
    st->ndumps = 0;
}

/* ---------------------------------------------------------------- prefilter */

/* Event exports: every object is an event the event detectors look at. */
const xs_pattern xs_pat_jsonl[] = {{"^[ \\t]*\\{", 0}, {NULL, 0}};
