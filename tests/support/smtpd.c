/* Test support: a small SMTP server (smtpd.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "smtpd.h"

#define MAX_MSG (32u << 20)

typedef struct conn {
    int fd;
    SSL *ssl;
    char buf[65536];
    size_t have, off;
} conn;

/* One line (with its CRLF cut) into out; -1 at the end or on error, 1 when too long. */
static int get_line(conn *c, char *out, size_t cap, size_t *len)
{
    size_t n = 0;
    int toolong = 0;
    for (;;) {
        if (c->off == c->have) {
            ssize_t r = c->ssl ? SSL_read(c->ssl, c->buf, (int)sizeof c->buf)
                               : read(c->fd, c->buf, sizeof c->buf);
            if (r <= 0)
                return -1;
            c->have = (size_t)r;
            c->off = 0;
        }
        char ch = c->buf[c->off++];
        if (ch == '\n') {
            if (n && out[n - 1] == '\r')
                n--;
            *len = n;
            return toolong;
        }
        if (n + 1 < cap)
            out[n++] = ch;
        else
            toolong = 1;
    }
}

static void say(conn *c, const char *s)
{
    size_t n = strlen(s), o = 0;
    while (o < n) {
        ssize_t w = c->ssl ? SSL_write(c->ssl, s + o, (int)(n - o)) : write(c->fd, s + o, n - o);
        if (w <= 0)
            return;
        o += (size_t)w;
    }
}

static int refused(const t_smtpd *s, const char *cmd)
{
    const char *lt = strchr(cmd, '<'), *gt = lt ? strchr(lt, '>') : NULL;
    if (!gt)
        return 0;
    for (int i = 0; i < s->nrefuse; i++)
        if (strlen(s->refuse[i]) == (size_t)(gt - lt - 1) &&
            !strncasecmp(lt + 1, s->refuse[i], (size_t)(gt - lt - 1)))
            return 1;
    return 0;
}

/* The TLS handshake on c, noted as a line of DIR/tls. 0, or -1 when it failed. */
static int handshake(t_smtpd *s, conn *c)
{
    c->ssl = SSL_new((SSL_CTX *)s->tls);
    int ok = c->ssl && SSL_set_fd(c->ssl, c->fd) == 1 && SSL_accept(c->ssl) == 1;
    char p[4096];
    snprintf(p, sizeof p, "%s/tls", s->dir);
    FILE *f = fopen(p, "a");
    if (f) {
        fputs(ok ? "ok\n" : "failed\n", f);
        fclose(f);
    }
    if (!ok) {
        SSL_free(c->ssl);
        c->ssl = NULL;
        return -1;
    }
    return 0;
}

void t_smtpd_session(t_smtpd *s, int fd)
{
    conn *c = calloc(1, sizeof *c);
    char *env = malloc(65536), *msg = malloc(MAX_MSG + 1000), line[1001];
    if (!c || !env || !msg)
        goto out;
    c->fd = fd;
    size_t envn = 0, len;
    int rcpts = 0;
    if (s->tls && s->implicit && handshake(s, c) != 0)
        goto out;
    say(c, "220 localhost smtpsink\r\n");
    for (;;) {
        int r = get_line(c, line, sizeof line, &len);
        if (r < 0)
            break;
        line[len] = '\0';
        if (r > 0) {
            say(c, "500 line too long\r\n");
            continue;
        }
        if (!strncasecmp(line, "EHLO", 4) || !strncasecmp(line, "HELO", 4))
            say(c, s->tls && !c->ssl ? "250-localhost\r\n250-STARTTLS\r\n250 SIZE 33554432\r\n"
                                     : "250-localhost\r\n250 SIZE 33554432\r\n");
        else if (!strcasecmp(line, "STARTTLS") && s->tls && !c->ssl) {
            say(c, "220 2.0.0 ready to start TLS\r\n");
            c->have = c->off = 0; /* nothing sent before the handshake counts after it */
            envn = 0;
            rcpts = 0;
            if (handshake(s, c) != 0)
                break;
        } else if (s->tls && !c->ssl &&
                   (!strncasecmp(line, "MAIL", 4) || !strncasecmp(line, "RCPT", 4) ||
                    !strcasecmp(line, "DATA"))) {
            say(c, "530 5.7.0 must issue a STARTTLS command first\r\n");
        } else if (!strncasecmp(line, "MAIL FROM:", 10)) {
            envn = (size_t)snprintf(env, 65536, "%s\n", line + 10);
            rcpts = 0;
            say(c, "250 sender ok\r\n");
        } else if (!strncasecmp(line, "RCPT TO:", 8)) {
            if (refused(s, line + 8))
                say(c, "550 5.1.1 no such mailbox here\r\n");
            else {
                if (envn < 60000)
                    envn += (size_t)snprintf(env + envn, 65536 - envn, "%s\n", line + 8);
                rcpts++;
                say(c, "250 recipient ok\r\n");
            }
        } else if (!strcasecmp(line, "DATA")) {
            if (!rcpts) {
                say(c, "503 no recipients\r\n");
                continue;
            }
            if (s->refuse_data) {
                say(c, "451 4.3.0 try again later\r\n");
                continue;
            }
            say(c, "354 go ahead\r\n");
            size_t mn = 0;
            int big = 0, end = 0;
            char *l2 = s->line;
            for (;;) {
                int rr = get_line(c, l2, T_SMTPD_MAX_LINE, &len);
                if (rr < 0)
                    break;
                if (len == 1 && l2[0] == '.') {
                    end = 1;
                    break;
                }
                const char *p = l2;
                if (len && l2[0] == '.') {
                    p++;
                    len--;
                }
                if (mn + len + 2 > MAX_MSG || rr > 0)
                    big = 1;
                else {
                    memcpy(msg + mn, p, len);
                    memcpy(msg + mn + len, "\r\n", 2);
                    mn += len + 2;
                }
            }
            if (!end)
                break;
            if (big) {
                say(c, "552 message too big\r\n");
                continue;
            }
            char path[4096];
            s->msgs++;
            snprintf(path, sizeof path, "%s/%lu.eml", s->dir, s->msgs);
            FILE *f = fopen(path, "wb");
            if (f) {
                fwrite(msg, 1, mn, f);
                fclose(f);
            }
            snprintf(path, sizeof path, "%s/%lu.tls", s->dir, s->msgs);
            if ((f = fopen(path, "wb"))) {
                fputs(c->ssl ? "tls\n" : "plain\n", f);
                fclose(f);
            }
            snprintf(path, sizeof path, "%s/%lu.env", s->dir, s->msgs);
            if ((f = fopen(path, "wb"))) {
                fwrite(env, 1, envn, f);
                fclose(f);
            }
            say(c, "250 queued\r\n");
        } else if (!strcasecmp(line, "RSET")) {
            envn = 0;
            rcpts = 0;
            say(c, "250 ok\r\n");
        } else if (!strcasecmp(line, "NOOP"))
            say(c, "250 ok\r\n");
        else if (!strcasecmp(line, "QUIT")) {
            say(c, "221 bye\r\n");
            break;
        } else
            say(c, "500 unknown command\r\n");
    }
out:
    if (c && c->ssl) {
        SSL_shutdown(c->ssl);
        SSL_free(c->ssl);
    }
    free(c);
    free(env);
    free(msg);
}


int t_smtpd_listen(unsigned *port)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 16) ||
        getsockname(s, (struct sockaddr *)&a, &al)) {
        if (s >= 0)
            close(s);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return s;
}

void t_smtpd_loop(t_smtpd *s, int lfd)
{
    char tmp[4096];
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        struct timeval tv = {10, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        s->conns++;
        snprintf(tmp, sizeof tmp, "%s/connections", s->dir);
        FILE *cf = fopen(tmp, "w");
        if (cf) {
            fprintf(cf, "%lu\n", s->conns);
            fclose(cf);
        }
        t_smtpd_session(s, fd);
        close(fd);
    }
}
