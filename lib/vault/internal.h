/* The vault layer's own declarations: the vault object, its files, the fault-injection hook.
 * The public API is include/exsweep/vault.h. */
#ifndef XS_VAULT_INTERNAL_H
#define XS_VAULT_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "exsweep/vault.h"

/* File names inside a vault. */
#define XS_VAULT_MANIFEST "manifest.jsonl"
#define XS_VAULT_JOURNAL "journal.jsonl"
#define XS_VAULT_LOCK ".lock"
/* The name an original takes in its own folder between its check and its removal. */
#define XS_VAULT_PRIVATE ".exsweep-quarantine-"
#define XS_VAULT_PASSWORD "infected"
#define XS_VAULT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

struct exs_vault {
    int dfd;                 /* the vault folder */
    int lockfd;
    char *dir;               /* resolved */
    char err[1024];
    size_t completed, rolled_back;
    size_t restores_finished; /* restores a run began and the opening finished */
    size_t stuck;            /* unfinished items the opening could not carry on */
    char stuck_msg[1024];    /* what the first said */
    char prev[65];           /* SHA-256 of the manifest's last line (the chain's head) */
    uint64_t manifest_lines;
    uint64_t manifest_bytes; /* its size, as read at open and appended since */
    uint64_t journal_lines, journal_bytes; /* the journal's, likewise */
    bool head_unknown;       /* a failed append left the head unread: no more appends */
    /* the manifest as last read (exs_vault_entries) */
    char *mbuf;
    exs_vault_entry *ents;
    size_t nents;
    uint64_t chain_broken;   /* first manifest line whose prev is not the line before's */
    uint64_t bad_line;       /* first line that does not parse, 0 when none */
};

/* Fault injection (tests only; inert unless set): xs_vault_fault_step > 0 ends the process
 * with _exit(77) right after the Nth step of the items' sequences or the Nth file an export
 * put in place (a kill -9 there), counted over the process; xs_vault_fault_io > 0 makes the
 * Nth write, fsync or rename of the vault or of an export fail with EIO (or
 * xs_vault_fault_errno when set: a full disk, a read-only filesystem).
 * EXSWEEP_VAULT_FAULT="step:N", "io:N" or "io:N:ENOSPC" (EROFS, EACCES, EBUSY) sets them when a
 * vault is opened. */
extern long xs_vault_fault_step;
extern long xs_vault_fault_io;
extern int xs_vault_fault_errno;
/* How many calls from the Nth fail (tests; 1, and 1 again after xs_vault_fault_set). */
extern long xs_vault_fault_span;
/* Tests: called (when set) in step 7 after the original's name was checked and before it is
 * renamed to its private name, as another process could act there; and, when set,
 * xs_vault_rename_noreplace takes the way of a filesystem without RENAME_NOREPLACE. */
extern void (*xs_vault_before_rename)(int dfd, const char *name);
extern bool xs_vault_no_renameat2;
/* Sets the three and starts counting anew. */
void xs_vault_fault_set(long step, long io, int err);
void xs_vault_fault_env(void);
/* Called after each step of an item's sequence. */
void xs_vault_step(void);
/* Called before each write, fsync and rename: false (errno EIO) when it is to fail. */
bool xs_vault_io_ok(void);

/* The fsyncs xs_vault_fsync made, counted (tests: the group commit's syncs). */
extern atomic_long xs_vault_fsyncs;
/* I/O with the hook: each returns 0, or -1 with errno set. */
int xs_vault_write_all(int fd, const void *p, size_t n);
int xs_vault_fsync(int fd);
int xs_vault_renameat(int dfd, const char *from, int tdfd, const char *to);
/* A file time in ns since 1970 (negative before); INT64_MAX or INT64_MIN when it does not fit
 * (past 2262 or before 1678), and then xs_vault_time_of gives false: not set back. */
struct timespec;
int64_t xs_vault_time_ns(const struct timespec *t);
bool xs_vault_time_of(int64_t ns, struct timespec *t);
/* Renames dfd/from to dfd/to unless to exists (EEXIST then); with the hook (each try); a
 * busy file tried again (XS_VAULT_BUSY_TRIES). 0, or -1. */
int xs_vault_rename_noreplace(int dfd, const char *from, const char *to);
/* Removes dfd/name (a file); with the hook (each try); a busy file tried again. 0, or -1. */
int xs_vault_unlinkat(int dfd, const char *name);
/* strerror(e) with what the operator can do about it (a full disk, a read-only filesystem, a
 * locked file, permissions, a share gone). Thread-local buffer, valid until the next call. */
const char *xs_vault_strerror(int e);
/* fsyncs the folder at dfd, or the parent folder of path (opened read-only) */
int xs_vault_fsync_parent(const char *path);

/* SHA-256 of the regular file fd (from its start) to hex; at most XS_VAULT_MAX_ITEM bytes.
 * -1 with errno on a read error, -2 when larger. */
int xs_vault_sha256_fd(int fd, char hex[65], uint64_t *size);
/* The same with another cap: -2 when the file is larger than max bytes. */
int xs_vault_sha256_fd_max(int fd, char hex[65], uint64_t *size, uint64_t max);
/* 32 bytes of a digest as lowercase hex. */
void xs_vault_hex(const unsigned char md[32], char hex[65]);
/* Cuts the torn last line of dfd/name (buf[0..n) its content): an append that never
 * completed, so never acknowledged. 0, or -1 with v->err filled. */
int xs_vault_cut_torn(exs_vault *v, const char *name, const char *buf, size_t n);
/* Is the resolved path p at or under the resolved folder root? (The vault refused inside an
 * evidence root, an export refused inside the vault.) */
bool xs_vault_inside(const char *p, const char *root);
/* "2026-12-03T00:55:00.123456789Z" */
void xs_vault_utc_now(char out[40]);

/* Reads the whole of dfd/name (at most XS_VAULT_MAX_LOG bytes) into a NUL-terminated
 * malloc'd buffer; a missing file reads as empty. 0, or -1 with errno (EFBIG past the cap). */
int xs_vault_slurp(int dfd, const char *name, char **out, size_t *n);

/* The JSON lines of a manifest or journal in p[0..n): calls fn for each line (without its
 * newline) with its flat fields. Returns 0, or the 1-based number of the first line that is
 * too long, not a JSON object, or past XS_VAULT_MAX_ENTRIES (fn not called for it or
 * after). A last line without its newline (a torn append) is reported through *torn and not
 * handed to fn. */
typedef int (*xs_vault_line_fn)(void *ctx, xs_str line, const xs_str *keys, const xs_str *vals,
                                size_t nfields);
uint64_t xs_vault_lines(const char *p, size_t n, xs_vault_line_fn fn, void *ctx, bool *torn);
/* The field named key among keys[0..n), or XS_STR_NULL. */
xs_str xs_vault_field(const xs_str *keys, const xs_str *vals, size_t n, const char *key);

/* The zip of one item: a single member, encrypted (AES-256 when libarchive has it,
 * ZipCrypto otherwise: *encryption says "aes256" or "traditional"), written from the open
 * file src to dfd/tmpname, synced. 0, or -1 with err filled. */
int xs_vault_zip_write(int dfd, const char *tmpname, const char *member, int src,
                       const char **encryption, char *err, size_t errlen);
/* Set by tests: write ZipCrypto as a libarchive without AES would (the fallback, tested). */
extern bool xs_vault_zipcrypto_only;
/* Reads the zip dfd/name back with the password: its single member's SHA-256 and size.
 * With out >= 0 the member's bytes are also written there. 0, or -1 with err filled. */
int xs_vault_zip_read(int dfd, const char *name, char hex[65], uint64_t *size, int out,
                      char *err, size_t errlen);

/* Appends one manifest line (the JSON object body without braces in body, the "prev" field is
 * added first) and syncs it; v->prev moves on. 0, or -1 with v->err filled. */
int xs_vault_manifest_append(exs_vault *v, const char *body, size_t n);
/* What the manifest may hold (XS_VAULT_MAX_LOG bytes, XS_VAULT_MAX_ENTRIES lines: past them
 * the reader refuses it, and the vault could not be opened); tests lower them. Quarantine
 * leaves XS_VAULT_FULL_RESERVE of both for restores. */
extern long long xs_vault_manifest_cap;
extern long long xs_vault_manifest_max_lines;
/* Would k more entries of about n bytes each fit (reserve: keep the room for restores)? */
bool xs_vault_manifest_room(const exs_vault *v, size_t k, size_t n, bool reserve);
/* The same for k entries at once, chained in order, with one sync (a failed append is cut off
 * again, and the head read back). */
int xs_vault_manifest_append_many(exs_vault *v, const char *const *body, const size_t *n,
                                  size_t k);
/* Appends whole journal lines (each "{...}\n") and syncs them once. */
int xs_vault_journal_append_lines(exs_vault *v, const char *lines, size_t n);
/* Would lines more lines of bytes more fit the journal, leaving XS_VAULT_FULL_RESERVE of its
 * reader's caps (XS_VAULT_MAX_ENTRIES, XS_VAULT_MAX_LOG) for the items' later steps? */
bool xs_vault_journal_room(const exs_vault *v, uint64_t lines, uint64_t bytes);
extern long long xs_vault_journal_max_lines; /* XS_VAULT_MAX_ENTRIES; tests lower it */
/* Reads the manifest: sets v->prev to its head. 0, or -1 with v->err filled. */
int xs_vault_manifest_head(exs_vault *v);
/* Appends one journal line (object body without braces) and syncs it. */
int xs_vault_journal_append(exs_vault *v, const char *body, size_t n);

/* Finishes or rolls back every unfinished item of the journal (at open). When the journal is
 * over xs_vault_journal_rotate_at bytes (XS_VAULT_JOURNAL_ROTATE; tests lower it), it is put
 * aside (journal-TIME.jsonl) and a new one begins, holding the lines of the items still stuck. */
extern long long xs_vault_journal_rotate_at;
int xs_vault_recover(exs_vault *v);

/* A JSON string (with its quotes) of p into a memory stream (xs_memopen). */
void xs_vault_jstr(FILE *f, const char *key, const char *p, bool comma);

#endif
