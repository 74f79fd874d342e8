/* Command lines that dump a process's memory (dumpcmd.h). The shapes are the public methods:
 * comsvcs.dll MiniDump through rundll32, procdump (renamed too: its switches stay), rdrleakdiag,
 * WerFaultSecure's "/h /pid ... /file" form (the PPL dumpers built on it) and WerFault's
 * crash-report and silent-exit forms, SQLDumper, .NET's createdump, Time Travel Debugging's
 * tttracer, and the dumpers published as tools (PPLdump, PPLBlade, nanodump, Dumpert,
 * HandleKatz, PowerSploit's Out-Minidump). */
#include <string.h>

#include "detectors/dumpcmd.h"
#include "detectors/internal.h"

uint64_t xs_parse_pid(xs_str s)
{
    s = xs_str_trim(s);
    uint64_t v = 0;
    if (s.n > 2 && s.p[0] == '0' && (s.p[1] == 'x' || s.p[1] == 'X')) {
        for (size_t i = 2; i < s.n && i < 18; i++) {
            char c = xs_lower(s.p[i]);
            int d = c >= '0' && c <= '9' ? c - '0' : (c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1);
            if (d < 0)
                return 0;
            v = v * 16 + (uint64_t)d;
        }
        return v;
    }
    long d = xs_str_uint(s, 0x7fffffffL);
    return d < 0 ? 0 : (uint64_t)d;
}

static bool sep(char c)
{
    return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == ',';
}

static bool is_word(xs_str cmd, size_t i, size_t n)
{
    size_t e = i + n;
    return (i == 0 || sep(cmd.p[i - 1])) &&
           (e == cmd.n || sep(cmd.p[e]) || cmd.p[e] == ':' || cmd.p[e] == '=');
}

/* The offset just past the switch w standing as a word of cmd (case-insensitive: "-ma",
 * "/pid"), followed by a separator, ':' , '=' or the end; -1 when absent. */
static long word_end(xs_str cmd, const char *w)
{
    long i = xs_find_where(cmd, 0, w, is_word);
    return i < 0 ? -1 : i + (long)strlen(w);
}

static bool has_word(xs_str cmd, const char *w)
{
    return word_end(cmd, w) >= 0;
}

/* The number right after the switch w ("-ma 624", "/pid 680", "--pid:512"), or 0. */
static uint64_t pid_after_word(xs_str cmd, const char *w)
{
    long e = word_end(cmd, w);
    if (e < 0)
        return 0;
    size_t i = (size_t)e;
    while (i < cmd.n && (sep(cmd.p[i]) || cmd.p[i] == ':' || cmd.p[i] == '='))
        i++;
    size_t j = i;
    while (j < cmd.n && cmd.p[j] >= '0' && cmd.p[j] <= '9')
        j++;
    return j > i && (j == cmd.n || sep(cmd.p[j])) ? xs_parse_pid(xs_str_make(cmd.p + i, j - i))
                                                   : 0;
}

/* The number after a keyword inside a word ("MiniDump 624", "#24 512"), or 0. */
static uint64_t pid_after(xs_str cmd, const char *kw)
{
    long k = xs_str_ifind(cmd, kw);
    if (k < 0)
        return 0;
    size_t i = (size_t)k + strlen(kw);
    while (i < cmd.n && sep(cmd.p[i]))
        i++;
    size_t j = i;
    while (j < cmd.n && cmd.p[j] >= '0' && cmd.p[j] <= '9')
        j++;
    return j > i ? xs_parse_pid(xs_str_make(cmd.p + i, j - i)) : 0;
}

/* The first word made of digits only after the keyword ("sqldumper.exe 540 0 0x01100",
 * "createdump -f x.dmp 624"), or 0. */
static uint64_t first_number_after(xs_str cmd, const char *kw)
{
    long k = xs_str_ifind(cmd, kw);
    if (k < 0)
        return 0;
    for (size_t i = (size_t)k + strlen(kw); i < cmd.n;) {
        while (i < cmd.n && sep(cmd.p[i]))
            i++;
        size_t j = i;
        while (j < cmd.n && !sep(cmd.p[j]))
            j++;
        bool digits = j > i;
        for (size_t m = i; m < j && digits; m++)
            digits = cmd.p[m] >= '0' && cmd.p[m] <= '9';
        if (digits)
            return xs_parse_pid(xs_str_make(cmd.p + i, j - i));
        i = j;
    }
    return 0;
}

static bool is(xs_dump_cmd *out, const char *tool, uint64_t pid)
{
    out->tool = tool;
    out->pid = pid;
    return true;
}

/* procdump's dump switches: full (-ma), mini plus (-mp), mini (-mm). */
static uint64_t procdump_pid(xs_str cmd, bool *any)
{
    static const char *const sw[] = {"-ma", "-mp", "-mm", "/ma", "/mp", "/mm"};
    *any = false;
    for (size_t i = 0; i < sizeof sw / sizeof sw[0]; i++)
        if (has_word(cmd, sw[i])) {
            *any = true;
            uint64_t pid = pid_after_word(cmd, sw[i]);
            if (pid)
                return pid;
        }
    return 0;
}

bool xs_dump_command(xs_str cmd, xs_dump_cmd *out)
{
    memset(out, 0, sizeof *out);
    out->lsass_named = xs_str_icontains(cmd, "lsass");
    bool pd_switch;
    uint64_t pd_pid = procdump_pid(cmd, &pd_switch);

    if (xs_str_icontains(cmd, "comsvcs") &&
        (xs_str_icontains(cmd, "minidump") || xs_str_icontains(cmd, "#24"))) {
        uint64_t pid = pid_after(cmd, "minidump");
        return is(out, "comsvcs MiniDump", pid ? pid : pid_after(cmd, "#24"));
    }
    /* procdump by name, or renamed: its -accepteula beside a dump switch */
    if ((xs_str_icontains(cmd, "procdump") && (out->lsass_named || pd_switch)) ||
        (has_word(cmd, "-accepteula") && pd_switch))
        return is(out, "procdump", pd_pid);
    if (xs_str_icontains(cmd, "rdrleakdiag") && xs_str_icontains(cmd, "fullmemdmp"))
        return is(out, "rdrleakdiag", pid_after_word(cmd, "/p"));
    if (xs_str_icontains(cmd, "werfault")) {
        /* WerFaultSecure /h /pid <pid> /tid <tid> /file <h> /encfile <h>: a (PPL) process
         * dumped into a file handle; Windows's own hang reports say /p, not /pid */
        if (has_word(cmd, "/h") && has_word(cmd, "/pid") &&
            (has_word(cmd, "/file") || has_word(cmd, "/encfile")))
            return is(out, xs_str_icontains(cmd, "werfaultsecure") ? "WerFaultSecure" : "WerFault",
                      pid_after_word(cmd, "/pid"));
        /* -u -p <pid> (a crash report) and -pss -p <pid> (silent process exit) */
        if (has_word(cmd, "-p") && (has_word(cmd, "-u") || has_word(cmd, "-pss"))) {
            out->lsass_only = true;
            return is(out, "WerFault", pid_after_word(cmd, "-p"));
        }
        return false;
    }
    if (xs_str_icontains(cmd, "sqldumper")) {
        uint64_t pid = first_number_after(cmd, "sqldumper");
        return pid || out->lsass_named ? is(out, "SQLDumper", pid) : false;
    }
    if (xs_str_icontains(cmd, "createdump")) {
        uint64_t pid = first_number_after(cmd, "createdump");
        return pid || out->lsass_named ? is(out, "createdump", pid) : false;
    }
    if (xs_str_icontains(cmd, "tttracer") && xs_str_icontains(cmd, "-dumpfull"))
        return is(out, "tttracer", pid_after_word(cmd, "-attach"));
    static const struct {
        const char *needle, *tool;
    } tools[] = {
        {"ppldump", "PPLdump"},     {"pplblade", "PPLBlade"},     {"nanodump", "nanodump"},
        {"dumpert", "Dumpert"},     {"handlekatz", "HandleKatz"}, {"out-minidump", "Out-Minidump"},
    };
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        if (xs_str_icontains(cmd, tools[i].needle)) {
            uint64_t pid = pid_after_word(cmd, "--pid");
            if (!pid)
                pid = pid_after_word(cmd, "-p");
            if (!pid)
                pid = pid_after_word(cmd, "-v"); /* PPLdump -v <pid> <file> */
            if (!pid)
                pid = first_number_after(cmd, tools[i].needle);
            return is(out, tools[i].tool, pid);
        }
    return false;
}
