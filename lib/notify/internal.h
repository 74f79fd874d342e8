/* The notify layer's own declarations: the exs_notify object shared by notify.c (reading,
 * grouping, writing) and send.c (SMTP), and the files it writes (files.c) with their
 * fault-injection hook. */
#ifndef XS_NOTIFY_INTERNAL_H
#define XS_NOTIFY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "exsweep/notify.h"
#include "notify/contacts.h"
#include "notify/hosts.h"

/* One letter written by the last exs_notify_write. */
typedef struct xs_nletter {
    char *file;   /* NAME-ID.eml, in the folder */
    char *org;
    char *to;     /* checked addresses, ", "-separated */
    char *msgid;  /* "<ID.exsweep@DOMAIN>" */
    size_t hosts;
    char sha[65]; /* of the file as written: --send sends only those bytes */
} xs_nletter;

struct exs_notify {
    xs_contacts *c;
    char *contacts_path;
    bool rpsl;
    xs_nhosts h;
    char **files;        /* results files, by index */
    size_t *warn_end;    /* per results file: h.nwarn after it was read */
    size_t nfiles;
    xs_nletter *letters;
    size_t nletters;
    char *from;          /* of the last write */
    char *dir;           /* of the last write */
    dev_t dir_dev;       /* ... and the folder it opened */
    ino_t dir_ino;
    exs_notify_stats st;
};

/* Writes n bytes as dir/name: a temporary name in dir, written, synced, renamed over name;
 * the folder is synced by the caller (xs_notify_sync_dir). false with err set (the temporary
 * removed) when a call failed. */
bool xs_notify_put_file(int dfd, const char *name, const char *p, size_t n, char *err,
                        size_t errlen);
/* The folder exsweep notify writes into and sends from must be the user's own and nobody
 * else's to write: a letter someone could change between its writing and its sending would
 * go out under the user's From. Its stat to *st (may be NULL); false with err and errno set
 * (EACCES: not the user's, or others may write it; else fstat's). */
bool xs_notify_dir_ok(int dfd, const char *dir, struct stat *st, char *err, size_t errlen);
/* fsync of the folder; false with err set. */
bool xs_notify_sync_dir(int dfd, char *err, size_t errlen);

/* XS_NOTIFY_MAX_LETTER_BYTES, XS_NOTIFY_MAX_ATTACH; tests lower them. */
extern long xs_notify_max_letter_bytes;
extern size_t xs_notify_max_attach;
/* Whether a loopback relay may be spoken to in clear (STARTTLS used when offered): true; the
 * tests set it false to hold a loopback relay to the rule every other relay has. */
extern bool xs_notify_loopback_clear;

/* Is the SMTP URL's host a loopback one (localhost, 127.0.0.0/8, ::1)? There a relay
 * without STARTTLS is taken in clear (the letters never leave the machine); to any other
 * host --send sends only over TLS (STARTTLS required, or smtps://). */
bool xs_notify_url_loopback(const char *url);

/* Fault injection (tests only; inert unless set): xs_notify_fault_io > 0 makes the Nth file
 * call of the writers (open, write, fsync, rename, close) from now on fail with EIO (or
 * xs_notify_fault_errno when set). xs_notify_io_ok counts one call. */
extern long xs_notify_fault_io;
extern int xs_notify_fault_errno;
void xs_notify_fault_set(long io, int err);
bool xs_notify_io_ok(void);

#endif
