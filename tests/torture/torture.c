/* torture: every allocation and every read of a sweep failed in turn, as curl's torture tests
 * and sqlite's fault injection do it. The rule it checks: a failure is loud, never silent. A
 * sweep whose Nth allocation or read fails either ends with the same findings, coverage and
 * warning counts as the sweep without the fault, or it reports the failure: a non-zero code
 * (ENOMEM for memory, EIO for reads, EENGINE for an engine) and, from exs_scan_run and
 * exs_scan_add_iocs, a message in exs_scan_error. A crash, a hang, or a changed result with EXS_OK is a failure.
 *
 *   torture [-w WORK] [-m MODES] [-e K] [-n A[-B]] [-s] [-d [-j N]] [-S] [-v] [-k]
 *
 *   -w WORK   what is run under the faults: sweep (default: a sweep of the fixture tree, as
 *             above) or notify (exsweep notify's run: a CSV and an RPSL contacts file with
 *             probe results read, the letters and lists written into a folder; its result is
 *             every file of the folder, byte for byte). Always -d: a fork in the middle of a
 *             write would share the folder being written
 *   -m MODES  comma-separated, in order (default alloc,eio,short):
 *               alloc  the Nth call that can fail for lack of a resource fails (malloc and
 *                      friends, fopen/opendir, open with EMFILE, and the third-party calls
 *                      that allocate: libarchive, OpenSSL, libyara, Vectorscan, PCRE2)
 *               eio    the Nth read (read, readdir, fstat, fstatat) fails with EIO
 *               short  the Nth read (read, archive_read_data) returns half of what it asked
 *             build/torture-libs has the alloc mode only, and counts every allocation of the
 *             process, libraries' own included (tests/torture/fault_libs.c).
 *   -e K      only every Kth N (1, K+1, 2K+1, ...); default 1 (every N)
 *   -n A[-B]  only N from A to B (one N: prints the faulted sweep's output and its stack)
 *   -s        sites: only the first call from each distinct stack (its six innermost frames),
 *             for the runs that count every allocation of the process (torture-libs)
 *   -d        direct: a fresh process per N that fails its Nth call itself, instead of the fork
 *             at the call (slower; for checking that a result is not an artefact of the fork)
 *   -j N      with -d: sweep with N worker threads (which call is the Nth then varies from
 *             run to run; the rule holds all the same)
 *   -S        strict: failures in code being rewritten (TORTURE_KNOWN) count too
 *   -v        one line per N
 *   -k        keep the fixture folder
 *
 * How: the fixture tree (built in a temporary folder before any library code runs in this
 * process) is swept once in a child to get the baseline output and the number of faultable
 * calls. Then a second child sweeps it again and, at each counted call N, forks: the
 * grandchild fails call N, finishes the sweep and judges its own result; the child waits for
 * it and goes on with the call succeeding. So each faulted sweep shares the work before N
 * instead of redoing it (the shipped rules compile once for every N after them), which keeps
 * every N of every mode within seconds. One job: the sweep runs in the calling thread, so the
 * order of calls is the same every time and the fork is safe. The grandchild shares the
 * child's open file descriptions, so the child puts their offsets back after each one.
 *
 * Failures whose stack goes through code another change is rewriting are reported as known,
 * not failed: TORTURE_KNOWN (space-separated; default below) lists source paths ("lib/report/")
 * and functions ("fn:exs_scan_add_root"). Stacks are symbolised with addr2line.
 *
 * Exit status: 0 when no N failed, 1 otherwise, 2 on usage or set-up errors.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "evtxwriter.h"
#include "exsweep/exsweep.h"
#include "exsweep/notify.h"
#include "notify/letter.h"
#include "report/render.h"
#include "fault.h"
#include "fixfiles.h"
#include "fixhives.h"
#include "fixlogs.h"
#include "mkarchive.h"

/* Nothing of ours is known to fail today: TORTURE_KNOWN names code being rewritten in a branch
 * whose failures are then reported as known, not failed. */
#define DEFAULT_KNOWN ""

/* Libraries that crash when one of their own allocations fails (found by torture-libs and
 * confirmed in fresh processes; nothing of ours is on the way): libyara's yr_scanner_create and
 * compiler, libarchive's archive_read_new (archive_entry_new2) and
 * archive_read_set_callback_data2. A crash whose failed allocation was asked for by one of
 * them is reported as a library defect, not failed. TORTURE_LIB_DEFECTS overrides the list. */
#define DEFAULT_LIB_DEFECTS "libyara.so libarchive.so"
/* And libraries that report their own failed allocation as damaged data, which nothing can
 * tell apart: libarchive's bidders decline ("Unrecognized archive format"), zlib's inflate
 * Z_MEM_ERROR mid-stream is "gzip decompression failed". A silent result whose failed
 * allocation was asked for by one of them is reported as such (TORTURE_LIB_SILENT). */
#define DEFAULT_LIB_SILENT "libarchive.so libz.so"

/* ------------------------------------------------------------------ state */

enum { ROLE_NONE, ROLE_COUNT, ROLE_SERVER, ROLE_CHILD, ROLE_DIRECT };
enum { O_NONE, O_SAME, O_LOUD, O_SILENT, O_BADRC, O_CRASH, O_HANG, O__N };
static const char *const outcome_name[O__N] = {"?", "same", "loud", "SILENT", "BAD-RC", "CRASH",
                                                "HANG"};

#define MAX_FRAMES 48

/* One faulted sweep's report, written by the grandchild into memory shared with its parent. */
typedef struct rec {
    uint64_t count; /* the baseline's number of counted calls */
    char what[48];  /* the call that was failed */
    int nframes;
    void *frames[MAX_FRAMES];
    int outcome;
    int rc;
    char step[16];
    char msg[512];
    char diff[512];
} rec;

static struct {
    int role;
    int ev;     /* class counted in this mode */
    int action; /* T_FAIL or T_SHORTEN */
    uint64_t count, every, lo, hi, target;
    int in_hook;
    bool verbose, strict, single, direct, sites;
    unsigned jobs; /* worker threads of the sweep (-j, with -d only) */
    unsigned timeout;
} g = {.every = 1, .hi = UINT64_MAX, .timeout = 20};

static rec *g_rec;

/* Shared between the processes: the calls a sites run faults (a bit per N, set by the
 * baseline child), and the N whose faulted sweep hung in the fork server, re-run fresh. */
#define SEL_BITS (1u << 24)
#define MAX_PROB 2048
typedef struct problem {
    uint64_t k;
    int outcome;
    rec r;
} problem;
typedef struct shared {
    uint64_t tried, n[O__N]; /* the fork server's verdicts other than problems */
    unsigned nprob;          /* its problems, settled by the parent */
    uint64_t prob_dropped;
    problem prob[MAX_PROB];
    uint64_t nsel;
    unsigned char sel[SEL_BITS / 8];
} shared;
static shared *g_sh;
static char g_dir[512], g_root[600], g_rules[600], g_iocs[600], g_exe[4096];
static bool g_notify; /* -w notify */
static char *g_baseline;
static uintptr_t g_base; /* load address of this executable */
static const char *g_known, *g_lib_defects, *g_lib_silent;

/* ------------------------------------------------------------------ the fixture */

#define LOGGING "C/Program Files/Microsoft/Exchange Server/V15/Logging/"
#define HTTPPROXY "C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/"

static int die_setup(const char *what)
{
    fprintf(stderr, "torture: %s: %s\n", what, errno ? strerror(errno) : "failed");
    return -1;
}

/* The first max_lines lines of the file src (all when 0), or NULL. */
static char *read_lines(const char *src, unsigned max_lines, size_t *len)
{
    FILE *f = fopen(src, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    unsigned lines = 0;
    int c;
    while (b && (c = fgetc(f)) != EOF) {
        if (n + 1 >= cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
        }
        b[n++] = (char)c;
        if (c == '\n' && max_lines && ++lines == max_lines)
            break;
    }
    fclose(f);
    *len = n;
    return b;
}

static int copy_lines(const char *gen, const char *rel, const char *to, unsigned max_lines)
{
    char src[1024];
    snprintf(src, sizeof src, "%s/%s", gen, rel);
    size_t n;
    char *b = read_lines(src, max_lines, &n);
    if (!b)
        return die_setup(src);
    int rc = t_fix_write(g_root, to ? to : rel, b, n);
    free(b);
    return rc;
}

static int put_fix(const char *name, const char *rel)
{
    t_fix *f = t_fix_make(name);
    if (!f)
        return die_setup(name);
    int rc = t_fix_write(g_root, rel, f->data, f->len);
    t_fix_free(f);
    return rc;
}

#define S(x) {XS_EVTXW_STRING, (x), 0, NULL, 0}

static int put_evtx(void)
{
    static const xs_evtxw_field shell[] = {
        {"Image", S("System")},
        {"TargetFilename", S("C:\\Program Files\\Microsoft\\Exchange "
                             "Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\errorEE.aspx")},
    };
    xs_evtxw *w = xs_evtxw_create();
    if (!w)
        return -1;
    xs_evtxw_event e = fix_sysmon_event(1, 1614755000000LL, fix_sysmon_benign, 3);
    int rc = xs_evtxw_add(w, &e);
    e.time_ms = 1614755420000LL;
    e.data = fix_sysmon_child;
    e.ndata = 5;
    rc |= xs_evtxw_add(w, &e);
    e.event_id = 11;
    e.time_ms = 1614755421000LL;
    e.data = shell;
    e.ndata = 2;
    rc |= xs_evtxw_add(w, &e);
    char path[1024];
    snprintf(path, sizeof path, "%s/C/Windows/System32/winevt/Logs", g_root);
    if (rc == 0 && t_fix_write(g_root, "C/Windows/System32/winevt/Logs/.keep", "", 0) == 0) {
        snprintf(path, sizeof path,
                 "%s/C/Windows/System32/winevt/Logs/Microsoft-Windows-Sysmon%%4Operational.evtx",
                 g_root);
        rc = xs_evtxw_write_file(w, path);
    } else {
        rc = -1;
    }
    xs_evtxw_destroy(w);
    return rc;
}

/* A small zip (read whole, from memory) with a shell and a tar.gz inside, and a larger one
 * (over the 32 KiB size limit: streamed, with seeks) with an IIS log. */
static int put_archives(const char *gen)
{
    char path[1024], inner[1024];
    size_t nlog, nhist;
    char src[1024];
    snprintf(src, sizeof src, "%s/C/inetpub/logs/LogFiles/W3SVC2/u_ex210303.log", gen);
    char *log = read_lines(src, 32, &nlog);
    t_fix *sh = t_fix_make("ws-eval"), *nish = t_fix_make("px-nishang");
    int rc = -1;
    if (!log || !sh || !nish)
        goto out;
    /* tar.gz with a PowerShell history holding a Nishang trace */
    const char *tn[] = {"Users/admin/AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine/"
                        "ConsoleHost_history.txt",
                        NULL};
    const char *td[] = {(const char *)nish->data};
    size_t tl[] = {nish->len};
    snprintf(inner, sizeof inner, "%s/inner.tar.gz", g_dir);
    if (t_write_archive(inner, "tar.gz", tn, td, tl) != 0)
        goto out;
    size_t ntar;
    char *tar = read_lines(inner, 0, &ntar);
    if (!tar)
        goto out;
    const char *zn[] = {"inetpub/wwwroot/aspnet_client/system_web/qxwzmpaf.aspx", "home.tar.gz",
                        NULL};
    const char *zd[] = {(const char *)sh->data, tar};
    size_t zl[] = {sh->len, ntar};
    if (t_fix_write(g_root, "C/triage/.keep", "", 0) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/C/triage/web.zip", g_root);
    rc = t_write_archive(path, "zip", zn, zd, zl);
    free(tar);
    if (rc != 0)
        goto out;
    /* filler that does not compress, so the archive is larger than the size limit */
    static char filler[40000];
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < sizeof filler; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        filler[i] = (char)x;
    }
    const char *bn[] = {"C/inetpub/logs/LogFiles/W3SVC2/u_ex210303.log", "filler.bin", NULL};
    const char *bd[] = {log, filler};
    size_t bl[] = {nlog, sizeof filler};
    snprintf(path, sizeof path, "%s/C/triage/collect.zip", g_root);
    rc = t_write_archive(path, "zip", bn, bd, bl);
    nhist = 0;
    (void)nhist;
out:
    free(log);
    t_fix_free(sh);
    t_fix_free(nish);
    return rc;
}

/* exsweep notify's inputs: contacts as CSV and as RPSL, probe results with a bad line. */
static int build_notify_fixture(void)
{
    static const char csv[] = "network,organisation,email\n"
                              "192.0.2.64/26,Big Org,abuse@big.example\n"
                              "192.0.2.0/28,Example Org,abuse@example.org; cert@example.org\n"
                              "192.0.2.16/28,Example Org,abuse@example.org; cert@example.org\n"
                              "*.example.net,Example Net,noc@example.net\n"
                              "2001:db8::/32,Six,six@example.org\n"
                              "not a network,Bad,bad@example.org\n";
    static const char rpsl[] = "inetnum: 192.0.2.0 - 192.0.2.31\nnetname: EXAMPLE\n"
                               "org: ORG-EX1\nabuse-c: AR1\n\n"
                               "inetnum: 192.0.2.64 - 192.0.2.191\nnetname: BIG\nabuse-c: AR1\n\n"
                               "inet6num: 2001:db8::/32\nnetname: SIX\nmnt-irt: IRT-SIX\n\n"
                               "organisation: ORG-EX1\norg-name: Example Org\n\n"
                               "role: Abuse\nnic-hdl: AR1\nabuse-mailbox: abuse@example.org\n\n"
                               "irt: IRT-SIX\nabuse-mailbox: irt@six.example\n";
    FILE *f = NULL;
    char path[700];
    snprintf(path, sizeof path, "%s/results.jsonl", g_dir);
    if (t_fix_write(g_dir, "contacts.csv", csv, sizeof csv - 1) ||
        t_fix_write(g_dir, "ripe.db", rpsl, sizeof rpsl - 1) || !(f = fopen(path, "w")))
        return die_setup("notify fixture");
    static const char *const hosts[][3] = {
        {"192.0.2.10", "443", ""},  {"192.0.2.20", "8443", "mail.example.net"},
        {"198.51.100.7", "443", "owa.example.net"}, {"2001:db8::5", "443", ""},
        {"203.0.113.9", "443", ""}, {"192.0.2.10", "443", ""}};
    for (size_t i = 0; i < sizeof hosts / sizeof *hosts; i++) {
        bool v6 = strchr(hosts[i][0], ':') != NULL;
        fprintf(f,
                "{\"exsweep.record\":\"probe\",\"target\":\"%s%s%s:%s\",\"host\":\"%s\","
                "\"port\":%s,\"name\":\"%s\",\"seen\":\"2021-03-05T10:00:0%zuZ\","
                "\"exchange\":true,\"build\":\"15.1.2176.2\",\"build_parts\":4,"
                "\"build_from\":\"X-OWA-Version header\",\"product\":\"Exchange Server 2016\","
                "\"cu\":\"CU19\",\"update\":\"\",\"finding\":true,\"families\":["
                "{\"family\":\"ProxyLogon\",\"cves\":\"CVE-2021-26855\",\"state\":"
                "\"vulnerable\",\"reason\":\"below 15.1.2176.9\",\"fixed_by\":\"15.1.2176.9\"},"
                "{\"family\":\"ProxyShell\",\"cves\":\"CVE-2021-34473\",\"state\":\"unknown\","
                "\"reason\":\"the revision decides\",\"fixed_by\":\"15.1.2176.14\"}]}\n",
                v6 ? "[" : "", hosts[i][0], v6 ? "]" : "", hosts[i][1], hosts[i][0],
                hosts[i][1], hosts[i][2], i);
        if (i == 2)
            fputs("not json\n{\"exsweep.record\":\"summary\"}\n", f);
    }
    /* 40 servers of one network: a letter past the memory streams' first 8 KiB, with its list
     * attached (the torture lowers the servers a letter lists to 5) */
    for (int i = 0; i < 40; i++)
        fprintf(f,
                "{\"exsweep.record\":\"probe\",\"target\":\"192.0.2.%d:443\",\"host\":"
                "\"192.0.2.%d\",\"port\":443,\"name\":\"\",\"exchange\":true,\"finding\":true,"
                "\"build\":\"\",\"families\":[{\"family\":\"ProxyLogon\",\"state\":\"unknown\","
                "\"reason\":\"the response names no build\"}]}\n",
                100 + i, 100 + i);
    return fclose(f) == 0 ? 0 : die_setup("notify fixture");
}

static int build_fixture(void)
{
    if (t_tmpdir_create(g_dir, sizeof g_dir, "exs-torture") != 0)
        return die_setup("temporary folder");
    if (g_notify)
        return build_notify_fixture();
    snprintf(g_root, sizeof g_root, "%s/ev", g_dir);
    snprintf(g_rules, sizeof g_rules, "%s/rules.yar", g_dir);
    snprintf(g_iocs, sizeof g_iocs, "%s/iocs.txt", g_dir);
    /* the log lines come from the fixture generator, cut to the planted rows */
    char gen[600], cmd[8192], tool[4096];
    snprintf(gen, sizeof gen, "%s/gen", g_dir);
    snprintf(tool, sizeof tool, "%s", g_exe);
    char *slash = strrchr(tool, '/');
    if (!slash)
        return die_setup("own path");
    snprintf(slash + 1, sizeof tool - (size_t)(slash + 1 - tool), "gentree");
    snprintf(cmd, sizeof cmd, "'%s' '%s' >/dev/null", tool, gen);
    if (system(cmd) != 0)
        return die_setup(cmd);
    if (copy_lines(gen, LOGGING "HttpProxy/Ecp/HttpProxy_2021030307-1.LOG", NULL, 0) ||
        copy_lines(gen, LOGGING "ECP/Server/ECPServer20210303-1.LOG", NULL, 0) ||
        copy_lines(gen, LOGGING "CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_2021030414-1.LOG",
                   NULL, 0) ||
        copy_lines(gen, LOGGING "OABGeneratorLog/OABGeneratorLog_20210303-1.LOG", NULL, 0) ||
        copy_lines(gen, "C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", NULL, 40))
        return -1;
    if (put_archives(gen) || put_evtx() || put_fix("ws-process", HTTPPROXY "owa/auth/errorEE.aspx") ||
        put_fix("ws-upload", "C/ProgramData/COM1/help.aspx") ||
        put_fix("rogue-apphost", "C/Windows/System32/inetsrv/config/applicationHost.config"))
        return -1;
    static const char tool_bin[] = "exsweep torture: a tool the attackers dropped\n";
    static const char notes[] = "meeting notes\nTORTURE-MARKER-7f3a\n";
    size_t dl;
    unsigned char *dmp = t_fix_minidump("C:\\Windows\\System32\\lsass.exe", 612, &dl);
    if (!dmp)
        return -1;
    /* past the size limit: the dump's directory is read with seeks */
    unsigned char *big = calloc(1, 40000);
    if (!big) {
        free(dmp);
        return -1;
    }
    memcpy(big, dmp, dl < 40000 ? dl : 40000);
    free(dmp);
    int rc = t_fix_write(g_root, "C/ProgramData/svc/update.bin", tool_bin, sizeof tool_bin - 1) |
             t_fix_write(g_root, "C/Users/Public/notes.txt", notes, sizeof notes - 1) |
             t_fix_write(g_root, "C/ProgramData/lsass.dmp", big, 40000);
    free(big);
    static const char rules[] =
        "rule torture_marker\n{\n    strings:\n        $a = \"TORTURE-MARKER-7f3a\"\n"
        "    condition:\n        $a\n}\n";
    static const char iocs[] =
        "# the torture fixture's IOCs\n"
        "2edff2e1107b9d324726b5f47bf05951b15ee964771a1aafcfe849f296af81a3;dropped tool\n"
        "203.0.113.21\n"
        "C:\\Users\\Public\\notes.txt\n"
        "\\\\inetpub\\\\wwwroot\\\\aspnet_client\\\\system_web\\\\[a-z]{8}\\.aspx;75\n";
    /* an event export, one JSON object a line (Security-Datasets' layout) */
    static const char jsonl[] =
        "{\"SourceName\":\"Microsoft-Windows-Sysmon\",\"EventID\":1,\"Image\":"
        "\"C:\\\\Windows\\\\System32\\\\cmd.exe\",\"ParentImage\":"
        "\"c:\\\\windows\\\\system32\\\\inetsrv\\\\w3wp.exe\",\"CommandLine\":\"cmd /c whoami\","
        "\"@timestamp\":\"2021-03-14T01:40:15.000Z\"}\n"
        "{\"SourceName\":\"MSExchange Front End HTTP Proxy\",\"EventID\":1001,\"Message\":\"started\"}\n";
    rc |= t_fix_write(g_root, "C/export/events.json", jsonl, sizeof jsonl - 1);
    /* an MSERT log, UTF-16LE as the scanner writes it */
    static const char msert[] =
        "Microsoft Safety Scanner v1.333, (build 1.333.519.0)\r\n"
        "Started On Sat Mar 13 18:24:42 2021\r\n\r\nQuick Scan Results:\r\n"
        "Threat Detected: Backdoor:ASP/Chopper.F!dha, not removed.\r\n"
        "    file://C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\gone.aspx\r\n";
    unsigned char w16[2 * sizeof msert + 2] = {0xFF, 0xFE};
    for (size_t i = 0; i + 1 < sizeof msert; i++)
        w16[2 + 2 * i] = (unsigned char)msert[i];
    rc |= t_fix_write(g_root, "C/Windows/debug/msert.log", w16, 2 + 2 * (sizeof msert - 1));
    rc |= t_fix_write(g_dir, "rules.yar", rules, sizeof rules - 1);
    rc |= t_fix_write(g_dir, "iocs.txt", iocs, sizeof iocs - 1);
    /* a SYSTEM hive with an attacker's service and WDigest on (read through libregf) */
    t_hw *hv = t_hive_system(2);
    size_t hn = 0;
    unsigned char *hb = NULL;
    if (hv) {
        t_hive_system_changes(hv);
        hb = t_hw_build(hv, NULL, &hn);
    }
    t_hw_free(hv);
    rc |= hb ? t_fix_write(g_root, "C/Windows/System32/config/SYSTEM", hb, hn) : -1;
    free(hb);
    /* a single gzip-compressed log (libarchive's raw format) */
    snprintf(cmd, sizeof cmd,
             "head -n 82 '%s/C/inetpub/logs/LogFiles/W3SVC1/u_ex210304.log' | gzip -n -c "
             ">'%s/C/inetpub/logs/LogFiles/W3SVC1/u_ex210304.log.gz'",
             gen, g_root);
    if (system(cmd) != 0)
        rc = -1;
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s/inner.tar.gz'", gen, g_dir);
    if (system(cmd) != 0)
        rc = -1;
    return rc;
}

/* ------------------------------------------------------------------ one sweep */

typedef struct result {
    exs_rc rc;
    const char *step;
    char msg[512];
    char *text; /* findings, coverage and warning counts, one per line, sorted */
} result;

static void put_esc(FILE *f, const char *s)
{
    if (!s || !*s) {
        fputc('-', f);
        return;
    }
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if (*u == '\t')
            fputs("\\t", f);
        else if (*u == '\n')
            fputs("\\n", f);
        else if (*u == '\\')
            fputs("\\\\", f);
        else if (*u < 0x20 || *u == 0x7f)
            fprintf(f, "\\x%02x", *u);
        else
            fputc(*u, f);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted lines of a text (in place). */
static char *sort_lines(char *t)
{
    size_t n = 0, cap = 256;
    char **v = malloc(cap * sizeof *v);
    for (char *p = t; v && *p;) {
        char *e = strchr(p, '\n');
        if (!e)
            break;
        *e = 0;
        if (n == cap) {
            char **nv = realloc(v, (cap *= 2) * sizeof *v);
            if (!nv)
                break;
            v = nv;
        }
        v[n++] = p;
        p = e + 1;
    }
    char *out = NULL;
    size_t ol = 0;
    FILE *f = open_memstream(&out, &ol);
    if (v && f) {
        qsort(v, n, sizeof *v, cmp_str);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s\n", v[i]);
    }
    if (f)
        fclose(f);
    free(v);
    free(t);
    return out;
}

/* Everything a report shows but the sweep's own times: each finding (id, rule, verdict, time,
 * where, its words, its evidence), the exact counts, the coverage, the warning counts. */
static char *render(const exs_scan *s)
{
    char *t = NULL;
    size_t tl = 0;
    FILE *f = open_memstream(&t, &tl);
    if (!f)
        return NULL;
    const exs_results *r = exs_scan_results(s);
    size_t n;
    const exs_finding *fd = exs_results_findings(r, &n);
    for (size_t i = 0; i < n; i++) {
        char words[4096];
        xs_render_words(&fd[i], words, sizeof words);
        fprintf(f, "%s\t%s\t%s\t%lld\t", fd[i].id, fd[i].rule->id,
                exs_verdict_name(fd[i].verdict), (long long)fd[i].time_ms);
        put_esc(f, fd[i].origin.path);
        for (size_t k = 0; k < fd[i].origin.nmembers; k++) {
            fputs("!/", f);
            put_esc(f, fd[i].origin.members[k]);
        }
        fprintf(f, ":%llu#%llu\t", (unsigned long long)fd[i].origin.line,
                (unsigned long long)fd[i].origin.record);
        put_esc(f, words);
        fputc('\t', f);
        put_esc(f, fd[i].evidence);
        for (size_t k = 0; k < fd[i].nrelated; k++)
            fprintf(f, "\t%s", fd[i].related[k]);
        fputc('\n', f);
    }
    for (int k = 0; k < EXS_COUNT__N; k++) {
        const exs_count *c = exs_results_counts(r, (exs_count_kind)k, &n);
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "~count\t%d\t", k);
            put_esc(f, c[i].key);
            fprintf(f, "\t%llu\n", (unsigned long long)c[i].n);
        }
    }
    const exs_sweep_stats *st = exs_results_stats(r);
    fprintf(f, "~findings\t%llu\t%llu\n", (unsigned long long)st->findings,
            (unsigned long long)st->findings_dropped);
    const exs_coverage *cv = exs_results_coverage(r, &n);
    for (size_t i = 0; i < n; i++) {
        fputs("~coverage\t", f);
        put_esc(f, cv[i].family);
        fprintf(f, "\t%llu read\t%llu skipped\t%llu bytes\t%llu lines\t%llu bad\n",
                (unsigned long long)cv[i].files_read, (unsigned long long)cv[i].files_skipped,
                (unsigned long long)cv[i].bytes, (unsigned long long)cv[i].lines,
                (unsigned long long)cv[i].rows_bad);
    }
    if (g.single) { /* one N looked at closely: the warnings' words too */
        const exs_warning *we = exs_results_warnings(r, &n);
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "~example\t%s\t", we[i].kind);
            put_esc(f, we[i].file);
            fputc('\t', f);
            put_esc(f, we[i].message);
            fputc('\n', f);
        }
    }
    const exs_warning_count *wc = exs_results_warning_counts(r, &n);
    for (size_t i = 0; i < n; i++)
        if (wc[i].count)
            fprintf(f, "~warning\t%s\t%llu\n", wc[i].kind, (unsigned long long)wc[i].count);
    fclose(f);
    return sort_lines(t);
}

/* Every file of folder d, sorted by name: "== NAME" and its bytes. The driver's. */
static char *render_folder(const char *d, FILE *f)
{
    struct dirent **v;
    int n = scandir(d, &v, NULL, alphasort);
    if (n < 0)
        return NULL;
    for (int i = 0; i < n; i++) { /* dot-files too: a temporary left behind shows */
        if (strcmp(v[i]->d_name, ".") && strcmp(v[i]->d_name, "..")) {
            char p[2048];
            snprintf(p, sizeof p, "%s/%s", d, v[i]->d_name);
            FILE *in = fopen(p, "rb");
            fprintf(f, "== %s\n", v[i]->d_name);
            int c;
            while (in && (c = getc(in)) != EOF)
                fputc(c, f);
            if (in)
                fclose(in);
            fputc('\n', f);
        }
        free(v[i]);
    }
    free(v);
    return "";
}

/* exsweep notify's run, twice (CSV contacts, then RPSL), under the faults. */
static void notify_work(result *r)
{
    memset(r, 0, sizeof *r);
    xs_notify_letter_hosts = 5;
    char contacts[2][700], res[700], out[2][700];
    snprintf(contacts[0], sizeof contacts[0], "%s/contacts.csv", g_dir);
    snprintf(contacts[1], sizeof contacts[1], "%s/ripe.db", g_dir);
    snprintf(res, sizeof res, "%s/results.jsonl", g_dir);
    for (int i = 0; i < 2; i++)
        snprintf(out[i], sizeof out[i], "%s/out-%ld-%d", g_dir, (long)getpid(), i);
    exs_notify_opts o = {.from = "csirt@cert.example", .sender = "CERT", .ja = 0,
                         .date = 1700000000};
    exs_notify *n[2] = {NULL, NULL};
    r->rc = EXS_OK;
    for (int i = 0; i < 2 && r->rc == EXS_OK; i++) {
        o.ja = i;
        if ((r->step = "open", r->rc = exs_notify_open(&n[i], contacts[i], r->msg,
                                                        sizeof r->msg)) == EXS_OK &&
            (r->step = "results", r->rc = exs_notify_results(n[i], res, r->msg,
                                                              sizeof r->msg)) == EXS_OK)
            r->step = "write", r->rc = exs_notify_write(n[i], out[i], &o, r->msg, sizeof r->msg);
    }
    int role = g.role;
    g.role = ROLE_NONE; /* what follows is the driver's */
    if (r->rc == EXS_OK) {
        char *t = NULL;
        size_t tn = 0;
        FILE *f = open_memstream(&t, &tn);
        for (int i = 0; f && i < 2; i++) {
            const exs_notify_stats *st = exs_notify_get_stats(n[i]);
            fprintf(f, "~stats %zu %llu %llu %llu %zu %zu %zu %zu %llu\n", st->contacts,
                    (unsigned long long)st->records, (unsigned long long)st->ignored,
                    (unsigned long long)st->duplicates, st->hosts, st->matched, st->unmatched,
                    st->letters, (unsigned long long)st->warnings);
            if (!render_folder(out[i], f))
                fputs("~no folder\n", f);
        }
        if (f && fclose(f) == 0)
            r->text = t;
        else
            free(t);
    }
    for (int i = 0; i < 2; i++) {
        exs_notify_destroy(n[i]);
        t_tmpdir_remove(out[i]);
    }
    g.role = role;
}

static void sweep(result *r)
{
    if (g_notify) {
        notify_work(r);
        return;
    }
    memset(r, 0, sizeof *r);
    exs_scan *s = NULL;
    exs_scan_opts o = {.jobs = g.jobs ? g.jobs : 1, .max_file_size = 32768};
    r->step = "create";
    r->rc = exs_scan_create(&s, &o);
    if (r->rc == EXS_OK && (r->step = "add_root", r->rc = exs_scan_add_root(s, g_root)) == EXS_OK &&
        (r->step = "add_rules", r->rc = exs_scan_add_rules(s, g_rules)) == EXS_OK &&
        (r->step = "add_iocs", r->rc = exs_scan_add_iocs(s, g_iocs)) == EXS_OK) {
        r->step = "run";
        r->rc = exs_scan_run(s);
    }
    int role = g.role;
    g.role = ROLE_NONE; /* what follows is the driver's */
    if (s)
        snprintf(r->msg, sizeof r->msg, "%s", exs_scan_error(s));
    if (r->rc == EXS_OK)
        r->text = render(s);
    exs_scan_destroy(s);
    g.role = role;
}

/* ------------------------------------------------------------------ judging (grandchild) */

static bool engine_call(const char *w)
{
    static const char *const p[] = {"archive_", "hs_", "yr_", "pcre2_", "EVP_", "OPENSSL_"};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        if (strncmp(w, p[i], strlen(p[i])) == 0)
            return true;
    return false;
}

/* The codes a loud failure may carry for the call that was failed. */
static bool expected_rc(exs_rc rc, const char *what)
{
    if (g.ev != T_EV_ALLOC)
        return rc == EXS_EIO;
    if (rc == EXS_ENOMEM)
        return true;
    if (strncmp(what, "open", 4) == 0)
        return rc == EXS_EIO; /* out of descriptors */
    return engine_call(what) && rc == EXS_EENGINE;
}

static void first_diff(const char *a, const char *b, char *out, size_t cap)
{
    /* the first line of the baseline missing from the result, or the first one added */
    const char *pa = a, *pb = b;
    while (*pa && *pb) {
        const char *ea = strchr(pa, '\n'), *eb = strchr(pb, '\n');
        size_t la = ea ? (size_t)(ea - pa) : strlen(pa), lb = eb ? (size_t)(eb - pb) : strlen(pb);
        if (la != lb || memcmp(pa, pb, la) != 0) {
            int c = la == lb ? memcmp(pa, pb, la) : strncmp(pa, pb, la < lb ? la : lb);
            if (c == 0)
                c = la < lb ? -1 : 1;
            if (c < 0)
                snprintf(out, cap, "missing: %.*s", (int)la, pa);
            else
                snprintf(out, cap, "added: %.*s", (int)lb, pb);
            return;
        }
        pa += la + (ea ? 1 : 0);
        pb += lb + (eb ? 1 : 0);
    }
    if (*pa)
        snprintf(out, cap, "missing: %.*s", (int)strcspn(pa, "\n"), pa);
    else
        snprintf(out, cap, "added: %.*s", (int)strcspn(pb, "\n"), pb);
}

static void judge(const result *r)
{
    rec *x = g_rec;
    x->rc = r->rc;
    snprintf(x->step, sizeof x->step, "%s", r->step);
    snprintf(x->msg, sizeof x->msg, "%s", r->msg);
    if (r->rc != EXS_OK) {
        /* exs_scan_run and exs_scan_add_iocs say what failed in exs_scan_error (add_root and
         * add_rules leave it empty for a failed allocation) */
        bool said = g_notify || strcmp(r->step, "run") == 0 || strcmp(r->step, "add_iocs") == 0;
        bool msg_ok = !said || r->msg[0];
        x->outcome = msg_ok && expected_rc(r->rc, x->what) ? O_LOUD : O_BADRC;
        if (!msg_ok)
            snprintf(x->diff, sizeof x->diff, "no message in exs_scan_error");
        else if (x->outcome == O_BADRC)
            snprintf(x->diff, sizeof x->diff, "code %s", exs_strerror(r->rc));
    } else if (!r->text) {
        x->outcome = O_BADRC;
        snprintf(x->diff, sizeof x->diff, "driver could not render the result");
    } else if (strcmp(r->text, g_baseline) == 0) {
        x->outcome = O_SAME;
    } else {
        x->outcome = O_SILENT;
        first_diff(g_baseline, r->text, x->diff, sizeof x->diff);
        if (g.single)
            fprintf(stderr, "---- faulted output\n%s----\n", r->text);
    }
}

/* ------------------------------------------------------------------ stacks */

typedef struct sym {
    uintptr_t addr;
    char *text; /* "func file:line" for each inlined level, '\n'-separated */
} sym;

static sym g_syms[8192];
static size_t g_nsyms;

static int find_base(struct dl_phdr_info *info, size_t size, void *ctx)
{
    (void)size;
    *(uintptr_t *)ctx = (uintptr_t)info->dlpi_addr;
    return 1; /* the first entry is the executable */
}

static const char *lookup(uintptr_t a)
{
    for (size_t i = 0; i < g_nsyms; i++)
        if (g_syms[i].addr == a)
            return g_syms[i].text;
    return NULL;
}

/* Resolves the frames of r not yet known (one addr2line run for all of them). */
static void resolve(const rec *r)
{
    char cmd[8192];
    int o = snprintf(cmd, sizeof cmd, "addr2line -a -f -i -e '%s'", g_exe);
    int k = 0;
    for (int i = 0; i < r->nframes && o < (int)sizeof cmd - 40; i++) {
        Dl_info di;
        uintptr_t a = (uintptr_t)r->frames[i];
        if (lookup(a) || !dladdr(r->frames[i], &di) || (uintptr_t)di.dli_fbase != g_base)
            continue;
        o += snprintf(cmd + o, sizeof cmd - (size_t)o, " 0x%lx", (unsigned long)(a - g_base - 1));
        k++;
    }
    if (!k)
        return;
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    char line[2048], text[4096] = "";
    uintptr_t cur = 0;
    bool fn = true;
    size_t tl = 0;
    for (;;) {
        bool more = fgets(line, sizeof line, p) != NULL;
        if (!more || strncmp(line, "0x", 2) == 0) {
            if (cur && g_nsyms < sizeof g_syms / sizeof g_syms[0]) {
                g_syms[g_nsyms].addr = cur + g_base + 1;
                g_syms[g_nsyms].text = strdup(text);
                g_nsyms++;
            }
            if (!more)
                break;
            cur = (uintptr_t)strtoull(line, NULL, 16);
            text[0] = 0;
            tl = 0;
            fn = true;
            continue;
        }
        line[strcspn(line, "\n")] = 0;
        const char *shown = line;
        if (!fn) { /* keep the path from the project's top folder on */
            const char *q = strstr(line, "lib/");
            q = q ? q : strstr(line, "tests/");
            q = q ? q : strstr(line, "include/");
            shown = q ? q : line;
        }
        tl += (size_t)snprintf(text + tl, tl < sizeof text ? sizeof text - tl : 0, "%s%s",
                               fn ? (tl ? "\n" : "") : " ", shown);
        if (tl >= sizeof text)
            tl = sizeof text - 1;
        fn = !fn;
    }
    pclose(p);
}

/* True when a pattern of TORTURE_KNOWN matches the level "func file:line". */
static bool known_level(const char *lvl, size_t n)
{
    const char *p = g_known;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        if (!k)
            break;
        if (k > 3 && strncmp(p, "fn:", 3) == 0) {
            size_t fl = strcspn(lvl, " ");
            if (fl < n && fl == k - 3 && strncmp(lvl, p + 3, k - 3) == 0)
                return true;
        } else if (memmem(lvl, n, p, k)) {
            return true;
        }
        p += k;
    }
    return false;
}

/* Prints the project frames of r (skipping the driver and the wrappers); returns whether one of
 * them is in known code, and writes the innermost known level to site. */
static bool show_stack(const rec *r, FILE *f, char *site, size_t cap)
{
    resolve(r);
    bool known = false;
    site[0] = 0;
    int shown = 0;
    for (int i = 0; i < r->nframes; i++) {
        const char *t = lookup((uintptr_t)r->frames[i]);
        if (!t) {
            Dl_info di;
            if (f && shown < 12 && dladdr(r->frames[i], &di) && di.dli_fname &&
                (uintptr_t)di.dli_fbase != g_base) {
                const char *b = strrchr(di.dli_fname, '/');
                fprintf(f, "      in %s %s\n", di.dli_sname ? di.dli_sname : "?",
                        b ? b + 1 : di.dli_fname);
                shown++;
            }
            continue;
        }
        if (strstr(t, "tests/torture/") && !strstr(t, "main"))
            continue; /* the wrapper and the hook */
        if (strstr(t, "tests/torture/torture.c"))
            break; /* the driver's sweep(): the rest is ours */
        for (const char *lv = t; *lv;) {
            size_t n = strcspn(lv, "\n");
            if (known_level(lv, n)) {
                if (!known)
                    snprintf(site, cap, "%.*s", (int)n, lv);
                known = true;
            }
            if (f && shown++ < 14)
                fprintf(f, "      at %.*s\n", (int)n, lv);
            lv += n + (lv[n] == '\n');
        }
    }
    return known;
}

/* ------------------------------------------------------------------ verdicts */

/* Kept by the parent, which settles every problem. */
static struct {
    uint64_t n[O__N], known, failed, tried, artefacts;
    struct {
        char site[256];
        uint64_t count;
        int outcome;
    } sites[256];
    size_t nsites;
} g_tally;

static void note_known(const char *site, int outcome)
{
    for (size_t i = 0; i < g_tally.nsites; i++)
        if (strcmp(g_tally.sites[i].site, site) == 0 && g_tally.sites[i].outcome == outcome) {
            g_tally.sites[i].count++;
            return;
        }
    if (g_tally.nsites < sizeof g_tally.sites / sizeof g_tally.sites[0]) {
        snprintf(g_tally.sites[g_tally.nsites].site, sizeof g_tally.sites[0].site, "%s", site);
        g_tally.sites[g_tally.nsites].count = 1;
        g_tally.sites[g_tally.nsites].outcome = outcome;
        g_tally.nsites++;
    }
}

static const char *mode_name(void)
{
    return g.ev == T_EV_ALLOC ? "alloc" : g.ev == T_EV_READ ? "eio" : "short";
}

static bool problem_outcome(int o)
{
    return o != O_SAME && o != O_LOUD;
}

/* The verdict of a faulted sweep from its report and its exit status. */
static int status_outcome(rec *x, int status)
{
    int o = x->outcome;
    if (WIFSIGNALED(status)) {
        o = WTERMSIG(status) == SIGALRM ? O_HANG : O_CRASH;
        snprintf(x->diff, sizeof x->diff, "signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 2 && o == O_NONE) {
        /* the library's exit guard: something ended the process mid-sweep, status 2 */
        o = O_LOUD;
        snprintf(x->diff, sizeof x->diff, "the process was ended mid-sweep: exit status 2");
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || o == O_NONE) {
        o = O_CRASH;
        snprintf(x->diff, sizeof x->diff, "exit status %d without a verdict",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    return o;
}

static void print_verdict(uint64_t k, const rec *x, int o)
{
    fprintf(stderr, "torture %s #%llu %s: %s", mode_name(), (unsigned long long)k, x->what,
            outcome_name[o]);
    if (o == O_LOUD || o == O_BADRC)
        fprintf(stderr, " (%s: %s%s%s)", x->step, exs_strerror((exs_rc)x->rc),
                x->msg[0] ? ": " : "", x->msg);
    if (x->diff[0])
        fprintf(stderr, " [%s]", x->diff);
    fputc('\n', stderr);
}

static bool listed(const char *list, const char *lib)
{
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        if (k && strncmp(lib, p, k) == 0)
            return true;
        p += k;
    }
    return false;
}

/* The shared library whose own allocation was failed (the first frame past the fault module
 * and libc), or NULL when our code asked for it. */
static const char *asked_by(const rec *x)
{
    for (int i = 0; i < x->nframes; i++) {
        Dl_info di;
        if (!dladdr(x->frames[i], &di) || !di.dli_fname)
            return NULL;
        if ((uintptr_t)di.dli_fbase == g_base) {
            const char *t = lookup((uintptr_t)x->frames[i]);
            if (t && strstr(t, "tests/torture/"))
                continue; /* the hook and the malloc replacement */
            return NULL;  /* ours asked for it */
        }
        const char *b = strrchr(di.dli_fname, '/');
        b = b ? b + 1 : di.dli_fname;
        if (strncmp(b, "libc.so", 7) == 0)
            continue; /* strdup and friends: who called them? */
        return b;
    }
    return NULL;
}

/* Counts a final verdict; a problem is printed with its stack, and is known or failed. */
static void settle(uint64_t k, rec *x, int o)
{
    g_tally.tried++;
    bool bad = problem_outcome(o);
    if (!bad)
        g_tally.n[o]++;
    if (g.verbose || g.single || bad)
        print_verdict(k, x, o);
    if (!bad && !g.single)
        return;
    char site[256];
    bool known = show_stack(x, stderr, site, sizeof site);
    if (!bad)
        return;
    const char *lib = asked_by(x);
    if (o == O_BADRC && lib && (x->rc == EXS_EENGINE || x->rc == EXS_ERULE) && x->msg[0]) {
        /* loud all the same: the library's own words for running out (libyara's "internal
         * fatal error") decide the code; counted loud */
        g_tally.n[O_LOUD]++;
        return;
    }
    if (o == O_CRASH && !(lib && listed(g_lib_defects, lib)))
        lib = NULL;
    else if (o == O_SILENT && !(lib && listed(g_lib_silent, lib)))
        lib = NULL;
    else if (o != O_CRASH && o != O_SILENT)
        lib = NULL;
    if (known && !g.strict) {
        g_tally.known++;
        note_known(site, o);
        fprintf(stderr, "      = known: in code being rewritten (%s)\n", site);
    } else if (lib && !g.strict) {
        char what[256];
        snprintf(what, sizeof what,
                 o == O_CRASH ? "a defect of %s (it crashes on its own failed allocation)"
                              : "%s takes its own failed allocation for damaged data",
                 lib);
        g_tally.known++;
        note_known(what, o);
        fprintf(stderr, "      = known: %s\n", what);
    } else {
        g_tally.failed++;
    }
}

static void summary(double secs)
{
    fprintf(stderr,
            "torture %s: %llu faults in %.1f s: %llu same, %llu loud, %llu known, %llu failed\n",
            mode_name(), (unsigned long long)g_tally.tried, secs,
            (unsigned long long)g_tally.n[O_SAME], (unsigned long long)g_tally.n[O_LOUD],
            (unsigned long long)g_tally.known, (unsigned long long)g_tally.failed);
    if (g_tally.artefacts)
        fprintf(stderr, "  %llu problems of the fork server were not confirmed by a fresh run "
                        "(a fork inside an initialisation)\n",
                (unsigned long long)g_tally.artefacts);
    for (size_t i = 0; i < g_tally.nsites; i++)
        fprintf(stderr, "  known %s x%llu at %s\n", outcome_name[g_tally.sites[i].outcome],
                (unsigned long long)g_tally.sites[i].count, g_tally.sites[i].site);
}

/* ------------------------------------------------------------------ the fork server */

/* The grandchild shares the child's open file descriptions: its reads (read, getdents) would
 * move the child's offsets. The child puts them back once the grandchild is gone. */
#define MAX_FDS 1024
static off_t g_offsets[MAX_FDS];

static void save_offsets(void)
{
    for (int fd = 0; fd < MAX_FDS; fd++)
        g_offsets[fd] = lseek(fd, 0, SEEK_CUR);
}

static void restore_offsets(void)
{
    for (int fd = 0; fd < MAX_FDS; fd++)
        if (g_offsets[fd] >= 0)
            lseek(fd, g_offsets[fd], SEEK_SET);
}

/* In the fork server, after a grandchild: its verdict is counted, or kept as a problem for
 * the parent. Nothing here allocates or symbolises: the server's own sweep must make the same
 * calls in the same order as a fresh one, so that a problem can be re-run fresh by its N. */
static void server_note(uint64_t k, int status)
{
    int o = status_outcome(g_rec, status);
    if (g.verbose)
        print_verdict(k, g_rec, o);
    if (!problem_outcome(o)) {
        g_sh->tried++;
        g_sh->n[o]++;
    } else if (g_sh->nprob < MAX_PROB) {
        problem *p = &g_sh->prob[g_sh->nprob++];
        p->k = k;
        p->outcome = o;
        p->r = *g_rec;
    } else {
        g_sh->prob_dropped++;
    }
}

static bool selected(uint64_t k)
{
    if (k < g.lo || k > g.hi || (k - g.lo) % g.every != 0)
        return false;
    return !g.sites || (k < SEL_BITS && (g_sh->sel[k / 8] & (1u << (k % 8))));
}

/* Sites: the baseline marks the first call from each distinct stack (its innermost frames
 * above the fault module), so that a sample covers every way in, not the busiest loop. */
#define SITE_DEPTH 6
#define SITE_SLOTS (1u << 18)
static uint64_t g_site_seen[SITE_SLOTS];

static void note_site(uint64_t k)
{
    void *fr[SITE_DEPTH + 3];
    int n = backtrace(fr, SITE_DEPTH + 3);
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 2; i < n; i++) /* past this function and t_fault */
        h = (h ^ (uint64_t)(uintptr_t)fr[i]) * 0x100000001b3ull;
    h |= 1;
    for (uint64_t j = h % SITE_SLOTS;; j = (j + 1) % SITE_SLOTS) {
        if (g_site_seen[j] == h)
            return;
        if (!g_site_seen[j]) {
            g_site_seen[j] = h;
            break;
        }
    }
    if (k < SEL_BITS) {
        g_sh->sel[k / 8] |= (unsigned char)(1u << (k % 8));
        g_sh->nsel++;
    }
}

int t_fault(int ev, const char *what)
{
    if (g.role == ROLE_NONE || g.role == ROLE_CHILD || g.in_hook || !(ev & g.ev))
        return T_GO;
    uint64_t k = ++g.count;
    if (g.role == ROLE_COUNT && g.sites) {
        int saved = errno;
        g.in_hook = 1;
        note_site(k);
        g.in_hook = 0;
        errno = saved;
        return T_GO;
    }
    if (g.role == ROLE_DIRECT) { /* a fresh process failing call target itself */
        if (k != g.target)
            return T_GO;
        g.role = ROLE_CHILD;
        snprintf(g_rec->what, sizeof g_rec->what, "%s", what);
        g_rec->nframes = backtrace(g_rec->frames, MAX_FRAMES);
        alarm(g.timeout);
        return g.action;
    }
    if (g.role != ROLE_SERVER || !selected(k))
        return T_GO;
    int saved_errno = errno; /* callers such as readdir's read errno after an unfailed call */
    g.in_hook = 1;
    memset(g_rec, 0, sizeof *g_rec);
    snprintf(g_rec->what, sizeof g_rec->what, "%s", what);
    save_offsets();
    pid_t pid = fork();
    if (pid == 0) {
        g.role = ROLE_CHILD;
        g_rec->nframes = backtrace(g_rec->frames, MAX_FRAMES);
        alarm(g.timeout);
        g.in_hook = 0;
        return g.action;
    }
    int status = 0;
    if (pid < 0) {
        g_rec->outcome = O_CRASH;
        snprintf(g_rec->diff, sizeof g_rec->diff, "fork: %s", strerror(errno));
        server_note(k, 1 << 8);
    } else {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        restore_offsets();
        server_note(k, status);
    }
    g.in_hook = 0;
    errno = saved_errno;
    return T_GO;
}

/* ------------------------------------------------------------------ modes */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* N faulted in a fresh process (a child of this one, in which no sweep ran): its verdict and
 * report in *x, or -1. */
static int direct_run(uint64_t k, rec *x)
{
    memset(g_rec, 0, sizeof *g_rec);
    fflush(NULL);
    pid_t c = fork();
    if (c == 0) {
        g.role = ROLE_DIRECT;
        g.target = k;
        g.count = 0;
        result r;
        sweep(&r);
        if (g.role != ROLE_CHILD) { /* the call never came: nothing was faulted */
            g_rec->outcome = O_SAME;
            snprintf(g_rec->what, sizeof g_rec->what, "(none)");
            _exit(0);
        }
        judge(&r);
        _exit(0);
    }
    int st;
    if (c < 0 || waitpid(c, &st, 0) < 0)
        return -1;
    int o = status_outcome(g_rec, st);
    *x = *g_rec;
    return o;
}

/* The sweep without faults, in a child: the baseline output and the number of calls. */
static pid_t spawn_baseline(void)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    g.role = ROLE_COUNT;
    g.count = 0;
    result r;
    sweep(&r);
    g_rec->count = g.count;
    g_rec->rc = r.rc;
    snprintf(g_rec->msg, sizeof g_rec->msg, "%s", r.msg);
    if (r.rc != EXS_OK || !r.text)
        _exit(4);
    _exit(t_fix_write(g_dir, "baseline.txt", r.text, strlen(r.text)) ? 3 : 0);
}

/* The baseline must hold findings of each part of the fixture, or the faults prove little. */
static int check_baseline(void)
{
    if (g_notify) { /* both folders, with letters and both lists, and the warnings counted */
        const char *a = strstr(g_baseline, "== letters.csv"), *e = strstr(g_baseline, ".eml\n");
        if (!a || !e || !strstr(a + 1, "== letters.csv") || !strstr(g_baseline, "== unmatched.csv") ||
            !strstr(g_baseline, "Dear Example Org") || !strstr(g_baseline, "multipart/mixed") ||
            !strstr(g_baseline, "BIG ご担当者様")) {
            fprintf(stderr, "torture: the notify baseline lacks letters or lists\n%s", g_baseline);
            return 1;
        }
        return 0;
    }
    static const char *const want[] = {
        "EXS-PL-26855-SSRF",  /* HttpProxy */
        "EXS-PL-27065-ECP",   /* ECP Server log */
        "EXS-CMD-MBXEXPORT",  /* Remote PowerShell cmdlets */
        "EXS-PL-26858-OABGEN", "EXS-PL-IIS-CARRIER", /* IIS, on disk */
        "C/triage/collect.zip!/C/inetpub", /* the streamed archive */
        "C/triage/web.zip!/inetpub/wwwroot", /* the archive read whole */
        "home.tar.gz!/",     /* the nested one */
        "Sysmon",            /* EVTX */
        "errorEE.aspx",      /* a web shell on disk */
        "update.bin",        /* the IOC hash */
        "torture_marker",    /* the user rule */
        "lsass.dmp",         /* a dump larger than the size limit */
        "msert.log",         /* an MSERT log (UTF-16) */
        "events.json",       /* an event export */
        "u_ex210304.log:",   /* a gzip'd log */
        "EXS-REG-WDIGEST",   /* a registry hive */
        "~coverage",
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(g_baseline, want[i])) {
            fprintf(stderr, "torture: the baseline has nothing for '%s'\n", want[i]);
            bad = 1;
        }
    if (bad)
        fprintf(stderr, "%s", g_baseline);
    return bad;
}

static int run_mode(int ev, int action, bool check)
{
    g.ev = ev;
    g.action = action;
    /* baseline: no fault, counted (and, for -s, the first call of each site marked) */
    memset(g_rec, 0, sizeof *g_rec);
    memset(g_sh, 0, sizeof *g_sh);
    int st;
    pid_t b = spawn_baseline();
    if (b < 0 || waitpid(b, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "torture %s: the sweep without faults failed (%s)\n", mode_name(),
                g_rec->msg[0] ? g_rec->msg : "status");
        return 2;
    }
    uint64_t count = g_rec->count;
    char path[700];
    snprintf(path, sizeof path, "%s/baseline.txt", g_dir);
    size_t bl;
    free(g_baseline);
    g_baseline = read_lines(path, 0, &bl);
    if (!g_baseline)
        return 2;
    char *nb = realloc(g_baseline, bl + 1);
    if (!nb)
        return 2;
    g_baseline = nb;
    g_baseline[bl] = 0;
    if (check && check_baseline())
        return 2;
    if (g.sites)
        fprintf(stderr, "torture %s: %llu calls from %llu distinct stacks\n", mode_name(),
                (unsigned long long)count, (unsigned long long)g_sh->nsel);
    fprintf(stderr, "torture %s: %llu calls to fault%s\n", mode_name(),
            (unsigned long long)(g.sites ? g_sh->nsel : count),
            g.every > 1 ? " (a sample)" : "");
    double t0 = now();
    memset(&g_tally, 0, sizeof g_tally);
    if (g.direct) { /* one fresh process per N: slower, nothing shared with a parent sweep */
        for (uint64_t k = g.lo; k <= count && k <= g.hi; k += g.every) {
            if (!selected(k))
                continue;
            rec x;
            int o = direct_run(k, &x);
            if (o < 0)
                return 2;
            settle(k, &x, o);
        }
        summary(now() - t0);
        return g_tally.failed ? 1 : 0;
    }
    /* the fork server */
    fflush(NULL);
    pid_t s = fork();
    if (s == 0) {
        g.role = ROLE_SERVER;
        g.count = 0;
        result r;
        sweep(&r);
        if (g.role == ROLE_CHILD) { /* a faulted sweep: judge it */
            judge(&r);
            _exit(0);
        }
        g.role = ROLE_NONE;
        /* the server's own sweep must be the baseline: a fault leaking from a grandchild
         * (shared state) would make every later N meaningless */
        int bad = r.rc != EXS_OK || !r.text || strcmp(r.text, g_baseline) != 0;
        if (bad)
            fprintf(stderr, "torture %s: the unfaulted sweep of the fault server differs from the "
                            "baseline (%s%s%s); %llu calls instead of %llu\n",
                    mode_name(), exs_strerror(r.rc), r.msg[0] ? ": " : "", r.msg,
                    (unsigned long long)g.count, (unsigned long long)count);
        _exit(bad);
    }
    if (s < 0 || waitpid(s, &st, 0) < 0)
        return 2;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "torture %s: the fault server failed (%s %d)\n", mode_name(),
                WIFSIGNALED(st) ? "signal" : "status",
                WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
        return 1;
    }
    g_tally.tried = g_sh->tried;
    g_tally.n[O_SAME] = g_sh->n[O_SAME];
    g_tally.n[O_LOUD] = g_sh->n[O_LOUD];
    /* Its problems: known ones as they are; the others confirmed by a fresh run of the same N
     * (a fork inside an initialisation, as OpenSSL's pthread_once, can hang or crash the
     * grandchild for that alone), whose verdict is the one kept. */
    for (unsigned i = 0; i < g_sh->nprob; i++) {
        problem *p = &g_sh->prob[i];
        char site[256];
        if (!g.strict && show_stack(&p->r, NULL, site, sizeof site)) {
            settle(p->k, &p->r, p->outcome);
            continue;
        }
        rec x;
        int o = direct_run(p->k, &x);
        if (o < 0)
            return 2;
        if (!problem_outcome(o) && strcmp(x.what, p->r.what) == 0) {
            g_tally.artefacts++;
            if (g.verbose)
                fprintf(stderr, "torture %s #%llu %s: %s in the fork server, %s fresh\n",
                        mode_name(), (unsigned long long)p->k, p->r.what,
                        outcome_name[p->outcome], outcome_name[o]);
        }
        settle(p->k, &x, o);
    }
    if (g_sh->prob_dropped) {
        fprintf(stderr, "torture %s: %llu more problems not kept\n", mode_name(),
                (unsigned long long)g_sh->prob_dropped);
        g_tally.failed += g_sh->prob_dropped;
    }
    summary(now() - t0);
    return g_tally.failed ? 1 : 0;
}

static void usage(void)
{
    fputs("usage: torture [-w sweep|notify] [-m alloc,eio,short] [-e K] [-n A[-B]] [-s] [-d [-j N]] [-S] [-v] [-k]\n", stderr);
}

int main(int argc, char **argv)
{
    const char *modes = NULL;
    bool keep = false;
    int c;
    while ((c = getopt(argc, argv, "w:m:e:n:j:Svkdsh")) != -1) {
        switch (c) {
        case 'w':
            if (strcmp(optarg, "notify") == 0)
                g_notify = g.direct = true; /* a fresh process per N: a fork in the middle of a
                                               write would share the folder being written */
            else if (strcmp(optarg, "sweep") != 0) {
                usage();
                return 2;
            }
            break;
        case 'j':
            g.jobs = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'd':
            g.direct = true;
            break;
        case 's':
            g.sites = true;
            break;
        case 'm':
            modes = optarg;
            break;
        case 'e':
            g.every = strtoull(optarg, NULL, 10);
            if (!g.every)
                g.every = 1;
            break;
        case 'n': {
            char *e;
            g.lo = strtoull(optarg, &e, 10);
            g.hi = *e == '-' ? strtoull(e + 1, NULL, 10) : g.lo;
            g.single = g.lo == g.hi;
            break;
        }
        case 'S':
            g.strict = true;
            break;
        case 'v':
            g.verbose = true;
            break;
        case 'k':
            keep = true;
            break;
        default:
            usage();
            return 2;
        }
    }
    if (!modes)
        modes = (t_fault_caps & T_EV_READ) ? "alloc,eio,short" : "alloc";
    if (g.jobs > 1 && !g.direct) {
        fputs("torture: -j needs -d (the fork server needs one thread)\n", stderr);
        return 2;
    }
    if (g.lo == 0)
        g.lo = 1;
    g_known = getenv("TORTURE_KNOWN");
    if (!g_known)
        g_known = DEFAULT_KNOWN;
    g_lib_defects = getenv("TORTURE_LIB_DEFECTS");
    if (!g_lib_defects)
        g_lib_defects = DEFAULT_LIB_DEFECTS;
    g_lib_silent = getenv("TORTURE_LIB_SILENT");
    if (!g_lib_silent)
        g_lib_silent = DEFAULT_LIB_SILENT;
    if (getenv("TORTURE_TIMEOUT"))
        g.timeout = (unsigned)strtoul(getenv("TORTURE_TIMEOUT"), NULL, 10);
    ssize_t el = readlink("/proc/self/exe", g_exe, sizeof g_exe - 1);
    if (el <= 0)
        return 2;
    g_exe[el] = 0;
    dl_iterate_phdr(find_base, &g_base);
    void *warm[4];
    backtrace(warm, 4); /* loads the unwinder now, not inside a wrapper */
    g_rec = mmap(NULL, sizeof *g_rec, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    g_sh = mmap(NULL, sizeof *g_sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (g_rec == MAP_FAILED || g_sh == MAP_FAILED)
        return 2;
    if (!(t_fault_caps & T_EV_READ)) {
        /* torture-libs: OpenSSL initialises itself on first use under write locks; a fork while
         * one is held hangs the child for that alone (a pthread_rwlock knows its writer by
         * thread id, which a forked child does not share). So its first use happens here, before
         * any sweep: the sweeps' fetches then only read. (Its own first use under a lack of
         * memory was checked with -d, fresh processes: survived, same results.) */
        OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL);
        const char *const md[] = {"SHA256", "SHA1", "MD5"};
        for (size_t i = 0; i < 3; i++)
            EVP_MD_free(EVP_MD_fetch(NULL, md[i], NULL));
    }
    if (build_fixture() != 0)
        return 2;
    int status = 0;
    bool checked = false;
    for (const char *m = modes; *m;) {
        size_t n = strcspn(m, ",");
        int ev = 0, action = T_FAIL;
        if (n == 5 && strncmp(m, "alloc", 5) == 0)
            ev = T_EV_ALLOC;
        else if (n == 3 && strncmp(m, "eio", 3) == 0)
            ev = T_EV_READ;
        else if (n == 5 && strncmp(m, "short", 5) == 0)
            ev = T_EV_SHORT, action = T_SHORTEN;
        if (!ev || !(t_fault_caps & ev)) {
            fprintf(stderr, "torture: mode '%.*s' not available in this build\n", (int)n, m);
            status = 2;
            break;
        }
        int r = run_mode(ev, action, !checked);
        checked = true;
        if (r > status)
            status = r;
        if (r == 2)
            break;
        m += n;
        if (*m == ',')
            m++;
    }
    if (keep)
        fprintf(stderr, "torture: fixture kept in %s\n", g_dir);
    else
        t_tmpdir_remove(g_dir);
    return status;
}
