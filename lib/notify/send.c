/* exs_notify_send (include/exsweep/notify.h): the letters of the last write delivered
 * through one SMTP server with libcurl, paced, each one logged in DIR/sent.log before the
 * next. This is the only code of exsweep notify that connects anywhere. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/lines.h"
#include "core/strmap.h"
#include "notify/internal.h"

#define LOG "sent.log"

long xs_notify_max_letter_bytes = XS_NOTIFY_MAX_LETTER_BYTES;

/* The Message-IDs sent.log says were sent: lines "TIME\tID\tFILE\tTO\tsent". */
static int read_log(int dfd, xs_strmap *sent)
{
    int fd = openat(dfd, LOG, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    char buf[XS_NOTIFY_MAX_LINE + 1];
    xs_lines l;
    xs_lines_init(&l, fd, buf, sizeof buf);
    char *p;
    size_t n;
    bool big;
    int r;
    while ((r = xs_lines_next(&l, &p, &n, &big)) > 0) {
        if (big)
            continue; /* no line of ours is this long */
        p[n] = '\0';
        char *f[6] = {0};
        size_t nf = 0;
        for (char *s = p, *t; nf < 6 && (t = strsep(&s, "\t"));)
            f[nf++] = t;
        if (nf == 5 && !strcmp(f[4], "sent") && f[1][0] == '<' &&
            !xs_strmap_put(sent, f[1], sent, NULL)) {
            close(fd);
            errno = ENOMEM;
            return -1;
        }
    }
    int e = errno;
    close(fd);
    errno = e;
    return r < 0 ? -1 : 0;
}

/* The letter's bytes (a regular file, at most XS_NOTIFY_MAX_LETTER_BYTES). */
static char *read_letter(int dfd, const char *file, size_t *len, char *why, size_t whylen)
{
    int fd = openat(dfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    char *p = NULL;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(why, whylen, "cannot read the letter: %s", strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > xs_notify_max_letter_bytes) {
        snprintf(why, whylen, "the letter is not a regular file of at most %ld bytes",
                 xs_notify_max_letter_bytes);
        goto out;
    }
    size_t want = (size_t)st.st_size, got = 0;
    if (!(p = malloc(want + 1))) {
        snprintf(why, whylen, "out of memory");
        goto out;
    }
    while (got < want) {
        ssize_t r = read(fd, p + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            snprintf(why, whylen, "cannot read the letter: %s",
                     r < 0 ? strerror(errno) : "it got shorter");
            free(p);
            p = NULL;
            goto out;
        }
        got += (size_t)r;
    }
    *len = got;
out:
    if (fd >= 0)
        close(fd);
    return p;
}

typedef struct upload {
    const char *p;
    size_t n, off;
} upload;

static size_t feed(char *buf, size_t size, size_t nitems, void *v)
{
    upload *u = v;
    size_t room = size * nitems, left = u->n - u->off;
    size_t k = left < room ? left : room;
    memcpy(buf, u->p + u->off, k);
    u->off += k;
    return k;
}

/* Appends one line to the log and syncs it; false with err set. */
static bool log_line(int fd, const xs_nletter *L, const char *what, char *err, size_t errlen)
{
    char when[32], line[XS_NOTIFY_MAX_LINE];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int k = snprintf(line, sizeof line, "%s\t%s\t%s\t%s\t%s\n", when, L->msgid, L->file, L->to,
                     what);
    size_t len = k < 0 ? 0 : (size_t)k < sizeof line ? (size_t)k : sizeof line - 1;
    if (len && line[len - 1] != '\n')
        line[len - 1] = '\n';
    size_t done = 0;
    while (done < len) {
        ssize_t w = xs_notify_io_ok() ? write(fd, line + done, len - done) : -1;
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            goto bad;
        done += (size_t)w;
    }
    if (xs_notify_io_ok() && fsync(fd) == 0)
        return true;
bad:
    snprintf(err, errlen, "cannot write %s: %s (the letter %s was %s)", LOG, strerror(errno),
             L->file, what);
    return false;
}

/* why, with tabs, line breaks and other controls as spaces (it goes into the log). */
static void clean(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = ' ';
}

static bool url_ok(const char *u)
{
    if (strncasecmp(u, "smtp://", 7) && strncasecmp(u, "smtps://", 8))
        return false;
    for (const char *p = u; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f)
            return false;
    return true;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
    double d;
    while ((d = t - now_s()) > 0) {
        struct timespec ts = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

static bool unreachable(CURLcode c)
{
    return c == CURLE_COULDNT_CONNECT || c == CURLE_COULDNT_RESOLVE_HOST ||
           c == CURLE_OPERATION_TIMEDOUT;
}

exs_rc exs_notify_send(exs_notify *n, const char *dir, const exs_notify_send_opts *o,
                       exs_notify_sent *st, char *err, size_t errlen)
{
    memset(st, 0, sizeof *st);
    if (errlen)
        err[0] = '\0';
    if (!n->dir || strcmp(n->dir, dir)) {
        snprintf(err, errlen, "no letters were written into %s by this run", dir);
        return EXS_EINVAL;
    }
    if (!o->url || !url_ok(o->url)) {
        snprintf(err, errlen, "the server must be smtp://HOST[:PORT] or smtps://HOST[:PORT]");
        return EXS_EINVAL;
    }
    if (!(o->per_minute > 0) || o->timeout <= 0) {
        snprintf(err, errlen, "the rate and the timeout must be above 0");
        return EXS_EINVAL;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        snprintf(err, errlen, "cannot open the folder %s: %s", dir, strerror(errno));
        return EXS_EIO;
    }
    exs_rc rc = EXS_OK;
    int lfd = -1;
    CURL *c = NULL;
    bool global = false;
    xs_strmap *sent = xs_strmap_create();
    if (!sent) {
        snprintf(err, errlen, "out of memory");
        rc = EXS_ENOMEM;
        goto out;
    }
    if (read_log(dfd, sent) != 0) {
        snprintf(err, errlen, "cannot read %s/%s: %s", dir, LOG, strerror(errno));
        rc = errno == ENOMEM ? EXS_ENOMEM : EXS_EIO;
        goto out;
    }
    lfd = xs_notify_io_ok()
              ? openat(dfd, LOG, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)
              : -1;
    if (lfd < 0) {
        snprintf(err, errlen, "cannot open %s/%s: %s", dir, LOG, strerror(errno));
        rc = EXS_EIO;
        goto out;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "libcurl could not be set up");
        rc = EXS_ENOMEM;
        goto out;
    }
    global = true;
    if (!(c = curl_easy_init())) {
        snprintf(err, errlen, "libcurl could not be set up");
        rc = EXS_ENOMEM;
        goto out;
    }
    char from[300], cerr[CURL_ERROR_SIZE];
    snprintf(from, sizeof from, "<%s>", n->from);
    double gap = 60.0 / o->per_minute, next = 0;
    int down = 0;
    for (size_t i = 0; i < n->nletters; i++) {
        const xs_nletter *L = &n->letters[i];
        if (xs_strmap_get(sent, L->msgid)) {
            st->skipped++;
            continue;
        }
        if (down >= 3) {
            st->untried++;
            continue;
        }
        char why[512] = "";
        size_t len = 0;
        char *msg = read_letter(dfd, L->file, &len, why, sizeof why);
        struct curl_slist *rcpt = NULL;
        CURLcode cc = CURLE_OK;
        if (msg) {
            char *to = strdup(L->to);
            bool ok = to != NULL;
            for (char *s = to, *t; ok && (t = strsep(&s, ", "));) {
                if (!*t)
                    continue;
                char a[300];
                snprintf(a, sizeof a, "<%s>", t);
                struct curl_slist *r2 = curl_slist_append(rcpt, a);
                ok = r2 != NULL;
                if (ok)
                    rcpt = r2;
            }
            free(to);
            if (!ok)
                snprintf(why, sizeof why, "out of memory");
            else {
                sleep_until(next);
                next = now_s() + gap;
                upload u = {msg, len, 0};
                cerr[0] = '\0';
                curl_easy_reset(c);
                curl_easy_setopt(c, CURLOPT_URL, o->url);
                curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
                curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
                curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
                curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
                curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
                curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
                curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
                curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
                curl_easy_setopt(c, CURLOPT_READDATA, &u);
                curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout);
                curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
                curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
                cc = curl_easy_perform(c);
                if (cc != CURLE_OK)
                    snprintf(why, sizeof why, "%s%s%s", curl_easy_strerror(cc),
                             cerr[0] ? ": " : "", cerr);
            }
            curl_slist_free_all(rcpt);
            free(msg);
        }
        char what[600];
        if (!why[0]) {
            snprintf(what, sizeof what, "sent");
            st->sent++;
            down = 0;
        } else {
            clean(why);
            snprintf(what, sizeof what, "failed: %s", why);
            st->failed++;
            down = unreachable(cc) ? down + 1 : 0;
            rc = EXS_EIO;
        }
        if (!log_line(lfd, L, what, err, errlen)) {
            rc = EXS_EIO;
            goto out;
        }
    }
    if (rc != EXS_OK)
        snprintf(err, errlen, "%zu letter%s not sent%s (%s/%s says why; a later run sends them)",
                 st->failed + st->untried, st->failed + st->untried == 1 ? "" : "s",
                 st->untried ? ": the server could not be reached three times in a row" : "",
                 dir, LOG);
out:
    if (c)
        curl_easy_cleanup(c);
    if (global)
        curl_global_cleanup();
    if (lfd >= 0 && close(lfd) != 0 && rc == EXS_OK) {
        snprintf(err, errlen, "cannot close %s/%s: %s", dir, LOG, strerror(errno));
        rc = EXS_EIO;
    }
    xs_strmap_destroy(sent);
    close(dfd);
    return rc;
}
