/* The notify layer's own declarations: the exs_notify object shared by notify.c (reading,
 * grouping, writing) and send.c (SMTP), and the files it writes (files.c) with their
 * fault-injection hook. */
#ifndef XS_NOTIFY_INTERNAL_H
#define XS_NOTIFY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
    exs_notify_stats st;
};

/* Writes n bytes as dir/name: a temporary name in dir, written, synced, renamed over name;
 * the folder is synced by the caller (xs_notify_sync_dir). false with err set (the temporary
 * removed) when a call failed. */
bool xs_notify_put_file(int dfd, const char *name, const char *p, size_t n, char *err,
                        size_t errlen);
/* fsync of the folder; false with err set. */
bool xs_notify_sync_dir(int dfd, char *err, size_t errlen);

/* XS_NOTIFY_MAX_LETTER_BYTES; tests lower it. */
extern long xs_notify_max_letter_bytes;

/* Fault injection (tests only; inert unless set): xs_notify_fault_io > 0 makes the Nth file
 * call of the writers (open, write, fsync, rename, close) from now on fail with EIO (or
 * xs_notify_fault_errno when set). xs_notify_io_ok counts one call. */
extern long xs_notify_fault_io;
extern int xs_notify_fault_errno;
void xs_notify_fault_set(long io, int err);
bool xs_notify_io_ok(void);

#endif
