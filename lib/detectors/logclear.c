/* Event-log clearing commands (logclear.h). */
#include <string.h>

#include "detectors/internal.h"
#include "detectors/logclear.h"

static bool space(char c)
{
    return c == ' ' || c == '\t';
}

/* The word at p (up to end): a quoted string's inside, or up to a space. *next is past it. */
static xs_str word_at(const char *p, const char *end, const char **next)
{
    while (p < end && space(*p))
        p++;
    if (p < end && (*p == '"' || *p == '\'')) {
        char q = *p++;
        const char *e = memchr(p, q, (size_t)(end - p));
        if (!e)
            e = end;
        *next = e < end ? e + 1 : end;
        return xs_str_make(p, (size_t)(e - p));
    }
    const char *e = p;
    while (e < end && !space(*e) && *e != '"' && *e != '\'' && *e != ')' && *e != ';' && *e != '&' &&
           *e != '|')
        e++;
    *next = e;
    return xs_str_make(p, (size_t)(e - p));
}

/* "wevtutil[.exe]["] cl|clear-log <log>": each wevtutil of the line is looked at (a loop over
 * "wevtutil el" names it twice). */
static bool wevtutil_clear(xs_str cmd, xs_str *log)
{
    const char *end = cmd.p + cmd.n;
    for (size_t from = 0; from < cmd.n;) {
        long k = xs_str_ifind(xs_str_make(cmd.p + from, cmd.n - from), "wevtutil");
        if (k < 0)
            return false;
        const char *p = cmd.p + from + (size_t)k + 8;
        if (end - p >= 4 && xs_str_ieq(xs_str_make(p, 4), ".exe"))
            p += 4;
        if (p < end && (*p == '"' || *p == '\''))
            p++;
        const char *next;
        xs_str verb = word_at(p, end, &next);
        if (xs_str_ieq(verb, "cl") || xs_str_ieq(verb, "clear-log")) {
            *log = word_at(next, end, &next);
            return true;
        }
        from = (size_t)(p - cmd.p);
    }
    return false;
}

/* The value of "-LogName <log>" (or the first word after the cmdlet when it has no name). */
static xs_str logname_after(xs_str cmd, size_t at)
{
    const char *end = cmd.p + cmd.n, *next;
    xs_str rest = xs_str_make(cmd.p + at, cmd.n - at);
    long k = xs_str_ifind(rest, "-logname");
    if (k >= 0)
        return word_at(rest.p + k + 8, end, &next);
    xs_str w = word_at(rest.p, end, &next);
    return w.n && w.p[0] != '-' ? w : XS_STR_NULL;
}

static bool quote_before(xs_str s, size_t i)
{
    return i > 0 && (s.p[i - 1] == '"' || s.p[i - 1] == '\'' ||
                     (i >= 6 && xs_str_ieq(xs_str_make(s.p + i - 6, 6), "&quot;")));
}

static bool quote_at(xs_str s, size_t i)
{
    return i < s.n && (s.p[i] == '"' || s.p[i] == '\'' ||
                       (i + 6 <= s.n && xs_str_ieq(xs_str_make(s.p + i, 6), "&quot;")));
}

/* Not a quoted string of its own: a module manifest's CmdletsToExport lists
 * "Clear-EventLog" among the cmdlets it exports. */
static bool not_quoted(xs_str s, size_t i, size_t n)
{
    return !(quote_before(s, i) && quote_at(s, i + n));
}

const char *xs_log_clear_command(xs_str cmd, xs_str *log)
{
    *log = XS_STR_NULL;
    if (wevtutil_clear(cmd, log))
        return "an event log cleared with wevtutil";
    static const struct {
        const char *needle, *reason;
    } ps[] = {
        {"clear-eventlog", "an event log cleared with Clear-EventLog"},
        {"remove-eventlog", "an event log removed with Remove-EventLog"},
    };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        long k = xs_find_where(cmd, 0, ps[i].needle, not_quoted);
        if (k >= 0) {
            *log = logname_after(cmd, (size_t)k + strlen(ps[i].needle));
            return ps[i].reason;
        }
    }
    long k = xs_str_ifind(cmd, ".clearlog(");
    if (k >= 0 && xs_str_icontains(cmd, "eventlogsession")) {
        const char *next;
        *log = word_at(cmd.p + k + 10, cmd.p + cmd.n, &next);
        return "an event log cleared through EventLogSession.ClearLog";
    }
    if (xs_str_icontains(cmd, "cleareventlog"))
        return "an event log cleared through WMI (Win32_NTEventlogFile.ClearEventLog)";
    return NULL;
}
