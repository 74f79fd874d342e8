/* One item of the vault: what the journal's intent records and the manifest entry carries. */
#ifndef XS_VAULT_ITEM_H
#define XS_VAULT_ITEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vault/internal.h"

typedef enum xs_item_state {
    XS_ITEM_INTENT = 1,   /* recorded, nothing copied for sure */
    XS_ITEM_COPIED = 2,   /* the zip is in place and was read back equal */
    XS_ITEM_MANIFEST = 3, /* the manifest holds its entry */
    XS_ITEM_UNLINKED = 4, /* the original is removed (or was left, changed) */
    XS_ITEM_DONE = 5,
    XS_ITEM_ROLLEDBACK = 6,
} xs_item_state;

typedef struct xs_item {
    char id[EXS_VAULT_ID_LEN];
    char *root_path, *root, *path, *sha256, *findings, *rules;
    char zip[EXS_VAULT_ID_LEN + 8];
    char enc[16];
    uint64_t size, dev, ino;
    int64_t mtime_ns, atime_ns;
    unsigned mode, uid, gid;
    xs_item_state state;
    bool fresh; /* made by this run: no manifest entry can exist yet (none is looked for) */
    bool removed; /* this run removed the original (a failure after it leaves the file only in
                     the vault, and the next opening finishes the item) */
} xs_item;

/* Opens the folder that holds root_path/path (each folder under the root opened with
 * O_NOFOLLOW, so no symlink is followed) and points *base at its last component (in path,
 * or in root_path when the root is the file itself). Returns the folder's descriptor, or -1
 * with errno. */
int xs_vault_open_parent(const char *root_path, const char *path, const char **base);

/* Why the file base of folder dfd (st: its lstat or fstat) may not be quarantined (a symlink,
 * not regular, hard-linked, on a read-only filesystem), or NULL. Static phrases. */
struct stat;
const char *xs_vault_refusal(int dfd, const char *base, const struct stat *st);
/* Holds the file of c to what the sweep saw: 0 the same (*dfd its folder, *fd the file open,
 * st its fstat, hex and size its SHA-256 and length), 1 refused and 2 changed (*why says why,
 * static), -1 a read error (errno). The caller closes *dfd and *fd when >= 0, whatever the
 * result. */
struct stat;
int xs_vault_check(const exs_vault_cand *c, int *dfd, int *fd, const char **base,
                   struct stat *st, char hex[65], uint64_t *size, const char **why);
/* Appends ",s" to the comma-separated *list unless s is already one of its items; past max
 * items the list ends in ",+N more" instead (a duplicate past max is counted too: the count is
 * of the additions past it). 0, or -1 out of memory. */
int xs_vault_list_add(char **list, size_t max, const char *s);
/* Why path may not be quarantined because it is a configuration file (*.config), or NULL. */
const char *xs_vault_config_file(const char *path);
/* Why root_path/path may not be quarantined because a default Exchange install has a file at
 * that path with that name (the web folders' allowlists), or NULL. */
const char *xs_vault_default_file(const char *root_path, const char *path);

/* What advancing one item of a batch gave. */
typedef struct xs_vault_res {
    int rc;                    /* 0, or -1: it failed where its state says (err says why) */
    exs_vault_outcome outcome; /* MOVED, or CHANGED (rolled back at 4, or left at 7) */
    char err[1024];
} xs_vault_res;

/* Carries each of its[0..n) (n <= XS_VAULT_BATCH) from its state to done, or to rolled back
 * when it changed while it was copied: the one sequence both a run and the recovery at open
 * follow (batch.c). The items go through each step together, which is synced once for all of
 * them before the next starts; an item that fails drops out where it is (res[i].rc -1), the
 * others go on. Items in state INTENT must be fresh (made by this run). */
void xs_vault_advance_many(exs_vault *v, xs_item *const *its, size_t n, xs_vault_res *res);

/* The per-item parts of the sequence (sequence.c). */
/* One journal line {"step":step,"item":id,"encryption":enc}, appended and synced. */
int xs_vault_journal_step(exs_vault *v, const xs_item *it, const char *step);
/* The manifest entry's body (no braces, no "prev") into a malloc'd *out of *len bytes. */
int xs_vault_manifest_body(exs_vault *v, const xs_item *it, const char *action, char **out,
                           size_t *len);
/* Does the manifest hold an entry of the item with that action? (read from the file) */
bool xs_vault_manifest_has(exs_vault *v, const char *id, const char *action);
/* Step 7 on the original in folder dfd (or dfd < 0 with dfd_errno why it could not be
 * opened): renamed to its private name, held to the intent, unlinked; with sync its folder is
 * synced then (else the caller syncs it, and on failure says so with xs_vault_unsynced).
 * 1 removed (or already gone), 2 left (not the intent's file: back at its name), -1 a failure
 * (v->err says what and where the file is). */
int xs_vault_remove_original(exs_vault *v, xs_item *it, int dfd, int dfd_errno,
                             const char *base, bool sync);
void xs_vault_unsynced(exs_vault *v, const xs_item *it, int e);

/* The journal read back: its items, each with its last state. */
typedef struct xs_vault_journal {
    xs_item *items;
    size_t n, cap;
    /* restores begun ("restoring": id, root_path, path, sha256; state INTENT) and ended
     * ("restored": state DONE), in the order begun */
    xs_item *restores;
    size_t nr, rcap;
    struct xs_strmap *ids, *rids; /* id -> index + 1 of items, of the last restore */
    int oom; /* set when out of memory */
} xs_vault_journal;
/* Parses a journal's lines into j (zeroed first by the caller): 0, or the first line that is
 * not a journal entry (xs_vault_lines); free j with xs_vault_journal_free either way. */
uint64_t xs_vault_journal_parse(const char *p, size_t n, xs_vault_journal *j, bool *torn);
void xs_vault_journal_free(xs_vault_journal *j);
/* Parses a manifest's lines into v's entries (v->chain_broken, v->bad_line set). */
exs_rc xs_vault_manifest_parse(exs_vault *v, const char *buf, size_t len);

/* Finishes a restore the journal began and did not end (r: state INTENT): its temporary file
 * removed, the restore recorded when the file is in place with its bytes and the manifest
 * does not say so yet, "restored" journaled. 0, or -1 with v->err filled (kept for the next
 * opening). */
int xs_vault_restore_recover(exs_vault *v, xs_item *r);

/* Removes an unfinished item's zip (temporary or not) and records the rollback. */
int xs_vault_rollback(exs_vault *v, xs_item *it);
/* The manifest entry of the item: action "quarantine", or "left" (changed, not removed). */
int xs_vault_manifest_item(exs_vault *v, const xs_item *it, const char *action);

#endif
