/* exs_notify_send (include/exsweep/notify.h): the letters of the last write delivered
 * through one SMTP server with libcurl, paced, each one logged in DIR/sent.log before the
 * next. This is the only code of exsweep notify that connects anywhere. */
#include <arpa/inet.h>
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

#include "core/digest.h"
#include "core/limits.h"
#include "core/lines.h"
#include "core/strmap.h"
#include "notify/internal.h"

#define LOG "sent.log"

long xs_notify_max_letter_bytes = XS_NOTIFY_MAX_LETTER_BYTES;

/* A letter's key in the log: the 32 hex digits of its Message-ID, which follow from the
 * letter's content, without the From's domain (a run with another --from knows it again). */
static bool msgid_key(const char *m, char id[40])
{
    if (m[0] != '<')
        return false;
    size_t i = 0;
    for (; i < 32 && ((m[1 + i] >= '0' && m[1 + i] <= '9') || (m[1 + i] >= 'a' && m[1 + i] <= 'f'));
         i++)
        id[i] = m[1 + i];
    id[i] = '\0';
    return i == 32 && m[33] == '.';
}

/* Opens name in the folder: a regular file, never a link or a FIFO (O_NONBLOCK: a FIFO
 * would block the open). -1 with errno set (EINVAL: not a regular file). */
static int open_regular(int dfd, const char *name, int flags)
{
    int fd = openat(dfd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}

/* The Message-IDs sent.log says were sent: lines "TIME\tID\tFILE\tTO\tsent". *partial is
 * set when its last line has no line end (a crash or a full disk while it was written). */
static int read_log(int dfd, xs_strmap *sent, bool *partial)
{
    *partial = false;
    int fd = open_regular(dfd, LOG, O_RDONLY);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    off_t end = lseek(fd, 0, SEEK_END);
    char last = '\n';
    if (end > 0 && pread(fd, &last, 1, end - 1) == 1 && last != '\n')
        *partial = true;
    if (lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
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
        char id[40];
        if (nf == 5 && !strcmp(f[4], "sent") && msgid_key(f[1], id) &&
            !xs_strmap_put(sent, id, sent, NULL)) {
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
    int fd = open_regular(dfd, file, O_RDONLY);
    struct stat st;
    char *p = NULL;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(why, whylen, "cannot read the letter: %s",
                 errno == EINVAL ? "not a regular file" : strerror(errno));
        goto out;
    }
    if (st.st_size > xs_notify_max_letter_bytes) {
        snprintf(why, whylen, "the letter is larger than %ld bytes",
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

static bool put_all(int fd, const char *p, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t w = xs_notify_io_ok() ? write(fd, p + done, len - done) : -1;
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return false;
        }
        done += (size_t)w;
    }
    return true;
}

bool xs_notify_loopback_clear = true;

bool xs_notify_url_loopback(const char *url)
{
    const char *h = strstr(url, "://");
    if (!h)
        return false;
    h += 3;
    const char *end = h + strcspn(h, "/?#");
    const char *at = memchr(h, '@', (size_t)(end - h)); /* user:password@ */
    while (at) {
        h = at + 1;
        at = memchr(h, '@', (size_t)(end - h));
    }
    char host[300];
    size_t n;
    if (*h == '[') {
        const char *rb = memchr(h, ']', (size_t)(end - h));
        if (!rb)
            return false;
        n = (size_t)(rb - h - 1);
        if (n >= sizeof host)
            return false;
        memcpy(host, h + 1, n);
    } else {
        n = strcspn(h, ":/?#");
        if (h + n > end)
            n = (size_t)(end - h);
        if (n >= sizeof host)
            return false;
        memcpy(host, h, n);
    }
    host[n] = '\0';
    if (!strcasecmp(host, "localhost") || !strcmp(host, "::1"))
        return true;
    struct in_addr a4;
    return inet_pton(AF_INET, host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
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
    if (!put_all(fd, line, len))
        goto bad;
    if (xs_notify_io_ok() && fsync(fd) == 0)
        return true;
bad:
    snprintf(err, errlen, "cannot write %s: %s (the letter %s was %s)", LOG, strerror(errno),
             L->file, what);
    return false;
}

/* why (the server's words among them), with tabs, line breaks and other controls as spaces
 * and bytes past ASCII as '?': it goes into the log. */
static void clean(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            *s = (unsigned char)*s >= 0x80 ? '?' : ' ';
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
    struct stat dst;
    if (!xs_notify_dir_ok(dfd, dir, &dst, err, errlen)) {
        exs_rc rc = errno == EACCES ? EXS_EACCES : EXS_EIO;
        close(dfd);
        return rc;
    }
    if (dst.st_dev != n->dir_dev || dst.st_ino != n->dir_ino) {
        snprintf(err, errlen, "%s is not the folder this run wrote the letters into", dir);
        close(dfd);
        return EXS_EINVAL;
    }
    long tls = xs_notify_loopback_clear && xs_notify_url_loopback(o->url) ? CURLUSESSL_TRY
                                                                          : CURLUSESSL_ALL;
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
    bool partial;
    if (read_log(dfd, sent, &partial) != 0) {
        snprintf(err, errlen, "cannot read %s/%s: %s", dir, LOG,
                 errno == EINVAL ? "not a regular file" : strerror(errno));
        rc = errno == ENOMEM ? EXS_ENOMEM : EXS_EIO;
        goto out;
    }
    lfd = xs_notify_io_ok() ? open_regular(dfd, LOG, O_WRONLY | O_APPEND | O_CREAT) : -1;
    if (lfd < 0 || (partial && !put_all(lfd, "\n", 1))) { /* a cut line stays one line */
        snprintf(err, errlen, "cannot open %s/%s: %s", dir, LOG,
                 errno == EINVAL ? "not a regular file" : strerror(errno));
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
        char key[40];
        if (msgid_key(L->msgid, key) && xs_strmap_get(sent, key)) {
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
        char sha[65] = "";
        if (msg && (!xs_sha256_hex(msg, len, sha) || strcmp(sha, L->sha))) {
            snprintf(why, sizeof why, sha[0] ? "the letter changed after this run wrote it"
                                             : "out of memory");
            free(msg);
            msg = NULL;
        }
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
                /* what must hold, or nothing is sent: the one server, its protocols, TLS */
                if (curl_easy_setopt(c, CURLOPT_URL, o->url) != CURLE_OK ||
                    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps") != CURLE_OK ||
                    curl_easy_setopt(c, CURLOPT_PROXY, "") != CURLE_OK ||
                    curl_easy_setopt(c, CURLOPT_USE_SSL, tls) != CURLE_OK ||
                    (o->cacert && (curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert) != CURLE_OK ||
                                   /* instead of the system's: no folder of them either */
                                   curl_easy_setopt(c, CURLOPT_CAPATH, NULL) != CURLE_OK))) {
                    snprintf(err, errlen, "this libcurl cannot be held to the one SMTP server "
                                          "and its TLS: nothing sent");
                    curl_slist_free_all(rcpt);
                    free(msg);
                    rc = EXS_EINVAL;
                    goto out;
                }
                curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
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
