/* Messages on standard error, usage errors, and the end of standard output. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exsweep/exsweep.h"

static void vmsg(const char *fmt, va_list ap)
{
    char buf[4096];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    exs_escape_term(stderr, buf, len);
    fputc('\n', stderr);
}

void xs_cli_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
}

int xs_cli_usage(const char *verb, const char *fmt, ...)
{
    char head[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    xs_cli_msg("exsweep%s%s: %s", verb ? " " : "", verb ? verb : "", head);
    fprintf(stderr, "Try 'exsweep%s%s --help'.\n", verb ? " " : "", verb ? verb : "");
    return 2;
}

/* The long option whose val is v, or NULL. */
static const struct option *by_val(const struct option *o, int v)
{
    for (; o->name; o++)
        if (!o->flag && o->val == v)
            return o;
    return NULL;
}

int xs_cli_bad_option(const char *verb, int c, const struct option *longopts, char **argv)
{
    /* getopt_long has moved optind past a long option, and past a short one when it was the
     * last of its cluster: argv[optind - 1] is the word it complained about in those cases. */
    const char *word = optind > 0 ? argv[optind - 1] : "";
    size_t wl = strcspn(word, "=");
    int is_long = strncmp(word, "--", 2) == 0 && wl > 2;
    if (c != '?' && c != ':') /* in the table (documented) but without a case: a bug */
        return xs_cli_usage(verb, "option '%.*s' is not handled", (int)wl, word);
    if (c == ':') {
        /* a missing value is always at the end of the line, so word is the option */
        if (is_long)
            return xs_cli_usage(verb, "option '%.*s' needs a value", (int)wl, word);
        return xs_cli_usage(verb, "option '-%c' needs a value", optopt);
    }
    if (optopt == 0) {
        /* an unknown long option, or an abbreviation of several */
        int matches = 0;
        for (const struct option *o = longopts; o->name; o++)
            if (wl > 2 && strncmp(o->name, word + 2, wl - 2) == 0)
                matches++;
        return xs_cli_usage(verb, "%s option '%.*s'", matches > 1 ? "ambiguous" : "unknown",
                             (int)wl, word);
    }
    const struct option *o = by_val(longopts, optopt);
    if (is_long && o && word[wl] == '=')
        return xs_cli_usage(verb, "option '--%s' takes no value", o->name);
    if (optopt > 0 && optopt < 128)
        return xs_cli_usage(verb, "unknown option '-%c'", optopt);
    return xs_cli_usage(verb, "unknown option '%s'", word);
}

int xs_cli_stdout_text(const char *verb, const char *text, int status)
{
    errno = 0;
    if (fputs(text, stdout) == EOF) {
        int e = errno;
        xs_cli_msg("exsweep%s%s: writing to standard output failed: %s", verb ? " " : "",
                    verb ? verb : "", e ? strerror(e) : "write error");
        return 2;
    }
    return xs_cli_stdout_done(verb, status);
}

int xs_cli_stdout_done(const char *verb, int status)
{
    int e = fflush(stdout) != 0 ? errno : 0;
    if (e || ferror(stdout)) {
        xs_cli_msg("exsweep%s%s: writing to standard output failed: %s", verb ? " " : "",
                    verb ? verb : "", e ? strerror(e) : "write error");
        return 2;
    }
    return status;
}
