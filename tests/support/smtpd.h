/* Test support: a small SMTP server (the core of tests/tools/smtpsink.c, also run inside
 * tests/unit/test-notify.c). It listens on 127.0.0.1 only and takes connections one at a
 * time; each message it accepts is saved as DIR/N.eml (the DATA bytes with the dot-stuffing
 * undone) with its envelope in DIR/N.env (MAIL FROM, then one RCPT TO a line), and each
 * connection is counted in DIR/connections, so a test can tell that nothing was sent. With
 * a TLS context each handshake is a line of DIR/tls ("ok" or "failed"), mail is refused
 * (530) until STARTTLS, and each message's DIR/N.tls says "tls" or "plain".
 * Bounded: a command line of 1000 bytes, a data line of 1 MiB, a message of 32 MiB (552 past
 * it), 10 s of silence ends a connection.
 */
#ifndef XS_TEST_SMTPD_H
#define XS_TEST_SMTPD_H

#define T_SMTPD_MAX_REFUSE 16
#define T_SMTPD_MAX_LINE (1u << 20)

typedef struct t_smtpd {
    const char *dir;                          /* where messages go (must exist) */
    const char *refuse[T_SMTPD_MAX_REFUSE];   /* RCPT TO these is refused with 550 */
    int nrefuse;
    int refuse_data;                          /* DATA is refused with 451 */
    void *tls;            /* an SSL_CTX (tlscert.h): STARTTLS offered, or with implicit,
                             TLS from the first byte (smtps); NULL: plain SMTP only */
    int implicit;
    unsigned long msgs, conns;                /* counted by the server */
    char line[T_SMTPD_MAX_LINE];              /* its line buffer */
} t_smtpd;

/* A socket listening on 127.0.0.1 at a port the system picks (*port); -1 on error. */
int t_smtpd_listen(unsigned *port);
/* One connection, to its end. */
void t_smtpd_session(t_smtpd *s, int fd);
/* Accepts connections on lfd, one at a time, for ever (the caller ends the process). */
void t_smtpd_loop(t_smtpd *s, int lfd);

#endif
