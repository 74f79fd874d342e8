/* exsweep: letters to the owners of exposed Exchange servers, from probe results.
 *
 *   exs_notify *n;
 *   exs_notify_open(&n, "contacts.csv", err, errlen);     // CSV or RPSL (RIR dumps)
 *   exs_notify_results(n, "probe.jsonl", err, errlen);    // exsweep probe -f jsonl, repeatable
 *   exs_notify_write(n, "letters", &opts, err, errlen);   // one .eml per organisation
 *   exs_notify_send(n, "letters", &send, &sent, err, errlen);
 *   exs_notify_destroy(n);
 *
 * A server is written about when it is an Exchange server with a family vulnerable or
 * unknown. Its contact is the one of the smallest network holding its address (the longest
 * prefix), else the one of the longest domain its name (or the scan's name for it) is or
 * ends in. The servers of one organisation (the same name and recipients) share one letter.
 * Servers with no contact are listed in DIR/unmatched.csv. docs/notify.md says the rest.
 *
 * Only exs_notify_send connects anywhere: to the one SMTP server it is given.
 *
 * Ownership: exs_notify_open gives an object to destroy (exs_notify_destroy accepts NULL);
 * every string it hands out lives as long as it.
 */
#ifndef EXSWEEP_NOTIFY_H
#define EXSWEEP_NOTIFY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct exs_notify exs_notify;

typedef struct exs_notify_opts {
    const char *from;   /* the From address (a plain mail address: local@domain) */
    const char *sender; /* who signs, in the text; "" or NULL for the From address */
    int ja;             /* 0 English, 1 Japanese */
    time_t date;        /* the Date header */
} exs_notify_opts;

typedef struct exs_notify_stats {
    size_t contacts;     /* networks and domains read */
    int rpsl;            /* the contacts file was RPSL */
    uint64_t records;    /* probe records read */
    uint64_t ignored;    /* not Exchange, or nothing exposed: no letter */
    uint64_t duplicates; /* targets seen again (the first kept) */
    size_t hosts;        /* servers to write about */
    size_t matched, unmatched, letters; /* after exs_notify_write */
    uint64_t warnings;   /* all of them, of every file */
} exs_notify_stats;

/* Reads the contacts file (CSV with the header network,organisation,email, or RPSL).
 * EXS_ENOENT, EXS_EACCES or EXS_EIO when it cannot be read, EXS_EFORMAT when it holds no
 * contact at all, EXS_ENOMEM; err says why and *out is NULL. */
exs_rc exs_notify_open(exs_notify **out, const char *contacts, char *err, size_t errlen);

/* Adds the records of a results file of exsweep probe -f jsonl ("-": standard input). Lines
 * that are not records are warnings; EXS_ENOENT/EXS_EACCES/EXS_EIO when it cannot be read,
 * EXS_ENOMEM. */
exs_rc exs_notify_results(exs_notify *n, const char *path, char *err, size_t errlen);

/* Writes into dir (created, owner-only, when missing): one NAME-ID.eml per organisation
 * (and NAME-ID.csv of its hosts when the letter cannot list them all), letters.csv (file,
 * organisation, recipients, hosts, message_id) and unmatched.csv. Each file is written under
 * a temporary name, synced and renamed over the old one, so that a failure leaves either
 * the old file or the new one, never a part. EXS_EINVAL for a bad From address, EXS_EIO when
 * a write failed, EXS_ENOMEM; err says why. May be called again (after a failure). */
exs_rc exs_notify_write(exs_notify *n, const char *dir, const exs_notify_opts *o, char *err,
                        size_t errlen);

const exs_notify_stats *exs_notify_get_stats(const exs_notify *n);

/* The i-th warning kept (of the contacts file, then of each results file): its file, line
 * (0: about the whole file) and message; 0 past the last. */
int exs_notify_warning(const exs_notify *n, size_t i, const char **file, uint64_t *line,
                       const char **message);

typedef struct exs_notify_send_opts {
    const char *url;    /* "smtp://HOST[:PORT]" (STARTTLS required, except to a loopback
                           relay, where it is used when offered; the certificate is checked)
                           or "smtps://HOST[:PORT]" */
    double per_minute;  /* letters a minute at most (> 0) */
    long timeout;       /* seconds one letter may take, connecting included (> 0) */
    const char *cacert; /* the authorities (PEM file) the server's certificate must be signed
                           by; NULL: the system's */
} exs_notify_send_opts;

typedef struct exs_notify_sent {
    size_t sent;    /* delivered to the server now */
    size_t skipped; /* dir/sent.log says they were sent already */
    size_t failed;  /* refused or not delivered (logged, sent again by a later run) */
    size_t untried; /* left when the server could not be reached three times in a row */
} exs_notify_sent;

/* Sends the letters the last exs_notify_write wrote into dir through the SMTP server, as
 * its From, to its recipients, at most per_minute a minute, and appends one line per letter
 * to dir/sent.log (UTC time, Message-ID, file, recipients, "sent" or "failed: why"), synced
 * before the next letter. A letter the log says was sent (by its Message-ID, which follows
 * from its content) is not sent again. EXS_OK when every letter was sent or skipped;
 * EXS_EIO when one was not (the others are still tried) or the log could not be written (then
 * at once); EXS_EINVAL for a URL that is not smtp:// or smtps://, or before any write. */
exs_rc exs_notify_send(exs_notify *n, const char *dir, const exs_notify_send_opts *o,
                       exs_notify_sent *st, char *err, size_t errlen);

void exs_notify_destroy(exs_notify *n);

#ifdef __cplusplus
}
#endif
#endif
