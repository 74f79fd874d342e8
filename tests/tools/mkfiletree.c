/* mkfiletree: writes an evidence tree for the file side's end-to-end cases and benchmark.
 *
 *   mkfiletree [--benign] [--pad MIB] DIR
 *
 * The planted tree holds every fixture of tests/support/fixfiles.c (web shells, artefacts,
 * ransomware and miner traces, assembled from fragments) at the places intruders use, next to
 * the benign Exchange-like files they hide among, and IIS logs that use some of the shells.
 * --benign writes the same layout with only the benign twins and benign traffic. --pad adds
 * that many MiB of benign filler (binaries, pages, scripts, logs) for benchmarks.
 * Exit status 0, or 2 on usage or write errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixfiles.h"

#define EX "Program Files/Microsoft/Exchange Server/V15/"
#define OWA EX "FrontEnd/HttpProxy/owa/auth/"
#define WWW "inetpub/wwwroot/"

static const struct {
    const char *path, *fixture;
} planted[] = {
    {OWA "RedirSuiteServerProxy.aspx", "ws-eval"},
    {WWW "aspnet_client/system_web/k3Bd8Vq2.aspx", "ws-upload"},
    {OWA "Current/themes/resources/errorFS.aspx", "ws-process"},
    {EX "FrontEnd/HttpProxy/ecp/auth/help.aspx", "ws-assembly"},
    {WWW "aspnet_client/supp0rt.aspx", "ws-obfuscated"},
    {EX "FrontEnd/HttpProxy/OAB/log.aspx", "ws-oab-dump"},
    {"Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET "
     "Files/owa/5b1c/9e0d/App_Web_a1b2c3d4.dll",
     "ws-compiled-dll"},
    {EX "ClientAccess/ecp/conn.aspx", "ws-tunnel"},
    {OWA "OutlookEN.aspx", "ws-seccheck"},
    {WWW "aspnet_client/files.aspx", "ws-filemgr"},
    {WWW "aspnet_client/web.config", "ws-webconfig"},
    {"ProgramData/net.cab", "px-recon-cab"},
    {"Users/Public/run.ps1", "px-nishang"},
    {"Windows/Temp/pc.ps1", "px-powercat"},
    {"Users/admin/AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine/ConsoleHost_history.txt",
     "px-cleanup"},
    {"Windows/Temp/d.bat", "px-lsass-cmd"},
    {"Windows/Temp/m.bat", "px-minidump-cmd"},
    {"Windows/Temp/z.bat", "px-staging-cmd"},
    {"Windows/Temp/export.ps1", "px-mbxexport"},
    {"Windows/Temp/notes.txt", "px-lsass-dumpfile"},
    {"Users/Administrator/Desktop/readme.txt", "rw-dearcry-note"},
    {"Windows/Temp/msupdate.exe", "rw-dearcry-bin"},
    {"Windows/Temp/0xfff.exe", "rw-blackkingdom"},
    {"ProgramData/sys/config.json", "mn-xmrig-config"},
    {"ProgramData/sys/start.cmd", "mn-stratum"},
    {"ProgramData/sys/svchost", "mn-xmrig-bin"},
};

static const struct {
    const char *path, *fixture;
} benign[] = {
    {OWA "logon.aspx", "benign-logon"},
    {OWA "errorFE.aspx", "benign-logon"},
    {OWA "15.1.2176/scripts/premium/flogon.js", "benign-js-eval"},
    {EX "FrontEnd/HttpProxy/ecp/auth/TimeoutLogout.aspx", "benign-logon"},
    {WWW "web.config", "benign-webconfig"},
    {"Windows/System32/inetsrv/config/applicationHost.config", "benign-apphost"},
    {"Program Files/Vendor/setup.cab", "benign-cab"},
    {"Scripts/mailboxes.ps1", "benign-ps1"},
    {"Program Files/Vendor/package.json", "benign-json"},
    {EX "Bin/ExSetup.exe", "benign-exe"},
    {"Users/admin/oab.txt", "benign-oab-config"},
};

#define IIS_HEAD                                                                                   \
    "#Software: Microsoft Internet Information Services 10.0\n"                                    \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "          \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n"

static const char planted_log[] =
    IIS_HEAD "2021-03-03 06:49:53 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 192.0.2.44 Mozilla/5.0 "
             "- 200 0 0 12\n"
             "2021-03-05 03:06:27 10.0.0.5 GET /owa/auth/RedirSuiteServerProxy.aspx - 443 - "
             "203.0.113.9 Mozilla/5.0 - 200 0 0 133\n"
             "2021-03-05 03:07:27 10.0.0.5 POST /owa/auth/RedirSuiteServerProxy.aspx - 443 - "
             "203.0.113.9 Mozilla/5.0 - 200 0 0 133\n"
             "2021-03-06 03:07:27 10.0.0.5 POST /aspnet_client/system_web/k3Bd8Vq2.aspx - 443 - "
             "198.51.100.7 Mozilla/5.0 - 200 0 0 90\n"
             "2021-03-06 03:08:27 10.0.0.5 POST /aspnet_client/system_web/gone.aspx - 443 - "
             "198.51.100.7 Mozilla/5.0 - 200 0 0 90\n"
             "2021-03-07 11:00:00 10.0.0.5 GET /owa/auth/probe.aspx - 443 - 192.0.2.5 Mozilla/5.0 "
             "- 302 0 0 1\n";

static const char benign_log[] = IIS_HEAD
    "2021-03-03 06:49:53 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 192.0.2.44 Mozilla/5.0 - 200 0 "
    "0 12\n"
    "2021-03-03 06:50:01 10.0.0.5 POST /owa/auth.owa - 443 - 192.0.2.44 Mozilla/5.0 - 302 0 0 40\n"
    "2021-03-03 06:50:02 10.0.0.5 POST /EWS/Exchange.asmx - 443 CONTOSO\\u1 192.0.2.45 Outlook - "
    "200 0 0 31\n";

/* Fixed modification times, so reports are reproducible: the shells of early March 2021, the
 * benign files of an install in September 2020. */
#define T_PLANTED 1614823800LL /* 2021-03-04T02:10:00Z */
#define T_BENIGN 1600128000LL  /* 2020-09-15T00:00:00Z */

static int put_fix(const char *dir, const char *rel, const char *name, long long mtime)
{
    t_fix *f = t_fix_make(name);
    if (!f) {
        fprintf(stderr, "mkfiletree: no fixture %s\n", name);
        return -1;
    }
    int rc = t_fix_write_at(dir, rel, f->data, f->len, mtime);
    t_fix_free(f);
    if (rc)
        fprintf(stderr, "mkfiletree: cannot write %s/%s\n", dir, rel);
    return rc;
}

/* Benign filler for benchmarks: deterministic pseudo-random binaries, pages and logs. */
static int pad(const char *dir, unsigned mib)
{
    unsigned seed = 7;
    size_t chunk = 1u << 20;
    unsigned char *b = malloc(chunk);
    char rel[256];
    if (!b)
        return -1;
    for (unsigned i = 0; i < mib; i++) {
        int kind = (int)(i % 4);
        for (size_t k = 0; k < chunk; k++) {
            seed = seed * 1103515245u + 12345u;
            if (kind == 0)
                b[k] = (unsigned char)(seed >> 16); /* binary */
            else
                b[k] = (unsigned char)("abcdefghijklmnopqrstuvwxyz <>=\"/.;\n"[(seed >> 16) % 36]);
        }
        if (kind == 0)
            memcpy(b, "MZ", 2);
        if (kind == 3) {
            size_t hl = strlen(IIS_HEAD);
            memcpy(b, IIS_HEAD, hl);
        }
        static const char *const where[] = {
            "Program Files/Vendor/bin/lib", EX "ClientAccess/owa/prem/page",
            "Program Files/Vendor/scripts/s", "inetpub/logs/LogFiles/W3SVC2/u_ex21"};
        static const char *const ext[] = {".dll", ".htm", ".js", ".log"};
        snprintf(rel, sizeof rel, "%s%04u%s", where[kind], i, ext[kind]);
        if (t_fix_write(dir, rel, b, chunk) != 0) {
            free(b);
            return -1;
        }
    }
    free(b);
    return 0;
}

int main(int argc, char **argv)
{
    int ben = 0;
    unsigned mib = 0;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--benign") == 0)
            ben = 1;
        else if (strcmp(argv[i], "--pad") == 0 && i + 1 < argc)
            mib = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!dir && argv[i][0] != '-')
            dir = argv[i];
        else
            dir = NULL, i = argc;
    }
    if (!dir) {
        fputs("usage: mkfiletree [--benign] [--pad MIB] DIR\n", stderr);
        return 2;
    }
    for (size_t i = 0; i < sizeof benign / sizeof benign[0]; i++)
        if (put_fix(dir, benign[i].path, benign[i].fixture, T_BENIGN))
            return 2;
    if (!ben)
        for (size_t i = 0; i < sizeof planted / sizeof planted[0]; i++)
            if (put_fix(dir, planted[i].path, planted[i].fixture, T_PLANTED))
                return 2;
    const char *log = ben ? benign_log : planted_log;
    if (t_fix_write_at(dir, "inetpub/logs/LogFiles/W3SVC1/u_ex210305.log", log, strlen(log),
                       1615075200LL))
        return 2;
    if (!ben) {
        size_t n;
        unsigned char *d = t_fix_minidump("C:\\Windows\\System32\\lsass.exe", 668, &n);
        if (!d || t_fix_write_at(dir, "Windows/Temp/76nivOxA.dmp", d, n, T_PLANTED))
            return 2;
        free(d);
    }
    if (mib && pad(dir, mib))
        return 2;
    return 0;
}
