/* exsweep: the vault, where quarantined backdoors are kept as evidence.
 *
 * A vault is a folder (owner-only, never inside an evidence root) holding one zip per item
 * (encrypted with the password "infected"), a manifest (JSON lines, each hash-chained to the
 * one before) and a journal that makes every item's sequence resumable:
 *
 *   exs_vault *v;
 *   exs_vault_open(&v, "/srv/vault", roots, nroots, EXS_VAULT_CREATE, err, errlen);
 *                                                      // finishes what a crash left
 *   exs_vault_plan(results, &plan, &n);                // the backdoor files a sweep found
 *   exs_vault_quarantine(v, &plan[i], &out, id);       // copy, verify, record, remove
 *   exs_vault_quarantine_many(v, cands, n, results);   // the same, many synced together
 *   exs_vault_close(v);
 *
 * At no moment is a file both gone from its tree and absent from the vault: the original is
 * removed only after its zip member was written, synced, read back with its SHA-256 equal to
 * the original's, and the manifest entry synced. docs/vault.md says what is preserved.
 *
 * Ownership: exs_vault_open gives a vault to close (exs_vault_close accepts NULL); a plan
 * from exs_vault_plan is the caller's to free with exs_vault_plan_free; every string in a
 * plan or in an exs_vault_entry belongs to the plan or to the vault and lives as long as it.
 */
#ifndef EXSWEEP_VAULT_H
#define EXSWEEP_VAULT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "results.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct exs_vault exs_vault;

/* A file a sweep found to be a backdoor, and whether it may be quarantined. */
typedef struct exs_vault_cand {
    const char *root_path;  /* the evidence root, absolute and resolved */
    const char *root_label;
    const char *path;       /* relative to the root */
    const char *findings;   /* the finding ids, comma-separated */
    const char *rules;      /* the rule ids, comma-separated */
    const char *sha256;     /* as the sweep saw it; NULL when not hashed */
    int64_t size;           /* as the sweep saw it, -1 when unknown */
    const char *refused;    /* NULL when it may be quarantined, else why not ("a symbolic
                               link", "hard-linked", "not a regular file", "a file a default
                               Exchange install has", "on read-only media", ...): static */
    uint64_t device, inode; /* of the file the sweep opened, 0 when unknown: quarantine leaves
                               a file that is another inode now (EXS_VAULT_CHANGED) */
    const char *changed;    /* NULL, or how the file differs now from what the sweep saw (its
                               device and inode, size, SHA-256): static; quarantine leaves it */
} exs_vault_cand;

/* The backdoor files of a sweep: kept findings whose rule is a backdoor and whose subject is
 * a file under a root (origin kind "file"), one candidate per file, sorted by root and path.
 * Logs and event logs are never candidates. Each is checked now, and refused (with why) when
 * it is a member of an archive (a collection, not the live tree), a file a default Exchange
 * install has at that path with that name (lib/detectors/webfolders.h: replace it from the
 * install media instead), on a read-only filesystem, a symlink, hard-linked, not a regular
 * file, or gone. The sweep's results may be read back from its JSON lines
 * (exs_results_read_jsonl: quarantine --from); its roots are resolved from the current
 * folder. On success *out owns the plan (exs_vault_plan_free) and *n is its length. */
exs_rc exs_vault_plan(const exs_results *r, exs_vault_cand **out, size_t *n);
void exs_vault_plan_free(exs_vault_cand *plan, size_t n);

/* Opens the vault at dir; with EXS_VAULT_CREATE in flags it is created (mode 0700) when
 * missing, without it a missing vault is EXS_ENOENT. Refused with EXS_EEVIDENCE
 * when dir is inside (or is) one of the roots (absolute or relative paths; may be NULL when
 * nroots is 0), EXS_EACCES when it exists but is not owner-only or not the caller's, EXS_EIO
 * when it cannot be created or locked (another run holds it). Then every unfinished item of
 * the journal is completed or rolled back (see exs_vault_recovered). The message is in
 * err. On success *out owns the vault. */
#define EXS_VAULT_CREATE 1u
exs_rc exs_vault_open(exs_vault **out, const char *dir, const char *const *roots,
                      size_t nroots, unsigned flags, char *err, size_t errlen);
void exs_vault_close(exs_vault *v);

/* What the last failed call on v said, or "": after an exs_vault_quarantine that gave
 * EXS_VAULT_CHANGED or EXS_VAULT_REFUSED, why. */
const char *exs_vault_error(const exs_vault *v);

/* Items the opening completed (moved into the vault) and rolled back (left in the tree). */
void exs_vault_recovered(const exs_vault *v, size_t *completed, size_t *rolled_back);
/* Restores an interrupted run began that the opening finished: their temporary files
 * removed from the tree, and the restore recorded when the file was in place. */
size_t exs_vault_restores_finished(const exs_vault *v);
/* Unfinished items the opening could not carry on (a folder that cannot be opened, a zip
 * damaged before its original was removed, an I/O failure): they stay in the journal, each
 * retried at every opening, and block nothing else. Returns how many; *first (may be NULL)
 * receives what the first one said, valid as long as v. */
size_t exs_vault_stuck(const exs_vault *v, const char **first);

typedef enum exs_vault_outcome {
    EXS_VAULT_MOVED = 0,     /* in the vault, gone from the tree */
    EXS_VAULT_CHANGED = 1,   /* the file is not what the sweep saw (size or SHA-256) or
                                changed while copied: left in place, nothing recorded */
    EXS_VAULT_REFUSED = 2,   /* a symlink, hard-linked, not a regular file, or gone */
} exs_vault_outcome;

/* Quarantines one candidate. EXS_OK with *outcome saying what happened; any other code is a
 * failure of the vault's machine (write, sync, rename, read-back), with the file left in its
 * tree and exs_vault_error saying what. id (EXS_VAULT_ID_LEN) receives the item id. */
#define EXS_VAULT_ID_LEN 17
exs_rc exs_vault_quarantine(exs_vault *v, const exs_vault_cand *c, exs_vault_outcome *outcome,
                            char id[EXS_VAULT_ID_LEN]);

/* What quarantining one candidate of many gave. */
typedef struct exs_vault_result {
    exs_rc rc;                 /* EXS_OK, or the failure of the vault's machine (msg says what
                                  and where the file is) */
    exs_vault_outcome outcome; /* with EXS_OK */
    char id[EXS_VAULT_ID_LEN]; /* the item id, "" when none was recorded */
    char msg[1024];            /* why CHANGED or REFUSED, or what failed; "" when MOVED */
} exs_vault_result;

/* Quarantines c[0..n) as exs_vault_quarantine would each, res[i] saying what happened to c[i],
 * but together, exs_vault_batch_size() candidates at a time: each step of the sequence is done
 * for all of a batch and synced once for them (group commit), and the zips are written and read
 * back on the processors online. Every item is at every moment in a state the journal records,
 * as if it had been alone. Returns EXS_OK when no item failed, else the first failure's code
 * (exs_vault_error says it). A caller that reports as it goes passes a batch at a time. */
exs_rc exs_vault_quarantine_many(exs_vault *v, const exs_vault_cand *const *c, size_t n,
                                 exs_vault_result *res);
size_t exs_vault_batch_size(void);

/* One manifest line, as read back. */
typedef struct exs_vault_entry {
    const char *item, *action; /* "quarantine" or "restore" */
    const char *root, *root_path, *path;
    const char *sha256, *zip, *encryption;
    const char *findings, *rules, *user, *host, *time, *version;
    uint64_t size;
    int64_t mtime_ns, atime_ns;
    unsigned mode, uid, gid;
} exs_vault_entry;

/* The manifest's entries, valid until the next call on v. EXS_EFORMAT when a line does not
 * parse or breaks the hash chain (err says which line). */
exs_rc exs_vault_entries(exs_vault *v, const exs_vault_entry **out, size_t *n);

/* Re-reads every quarantined member and compares its SHA-256 with the manifest's, and checks
 * the hash chain. Each problem is one line on report; *bad counts them. EXS_OK when the check
 * ran (bad or not), else why it could not. */
exs_rc exs_vault_verify(exs_vault *v, FILE *report, size_t *bad);

/* The manifest's chain head, as the vault knows it since it was opened (and its own appends):
 * the SHA-256, as 64 lowercase hex digits, of its last line without the newline (64 zeros when
 * it is empty), and in *lines (may be NULL) its number of lines. The string belongs to v and
 * changes with the next append. Recorded apart from the vault, it shows a manifest cut short
 * or whose last line was edited, which the chain alone cannot. */
const char *exs_vault_head(const exs_vault *v, uint64_t *lines);

/* Finds a head recorded earlier (64 hex digits) in the manifest as it is now: EXS_OK with *line
 * the 1-based line whose SHA-256 it is (the manifest up to there is what it was when the head
 * was recorded; later lines are later actions; 0 for the head of an empty manifest, 64 zeros), EXS_ENOENT when no line has it (the manifest was
 * cut short below it, or rewritten), EXS_EINVAL when head is not 64 hex digits, EXS_EIO (and
 * others) when the manifest cannot be read. */
exs_rc exs_vault_find_head(exs_vault *v, const char *head, uint64_t *line);

/* Exports the vault, to hand to a CSIRT, into the new folder out (it must not exist; created
 * owner-only, 0700): a byte-for-byte copy of every item zip the manifest names and of the
 * manifest, a README.txt (what the export is, the password, how to check it, the manifest's
 * entry count and chain head, the exsweep version and the UTC time) and SHA256SUMS (in
 * sha256sum's format, of the copies read back from out, the README included). Each file is
 * written under a temporary name, synced and renamed, SHA256SUMS last, then out is synced: a
 * crash leaves no SHA256SUMS naming a file not all written. The vault is verified first (as
 * exs_vault_verify; nothing is created when it does not verify), and the copies after, as a
 * vault of their own, with the vault's chain head. Nothing is written in the vault.
 * On success *nfiles is the number of item zips copied. EXS_EINVAL when out exists,
 * EXS_EEVIDENCE when it would be inside the vault, EXS_ENOENT when the manifest has no entry,
 * EXS_EFORMAT when the vault does not verify or its manifest names a zip that is not one of the
 * vault's own names (nothing created), EXS_ELIMIT when a zip is larger than an item's can be,
 * EXS_EIO when a write, sync, rename or read fails or a copy does not read back as its source:
 * what was created in out, and out, are removed again. exs_vault_error says what, and whether
 * out could not be removed. */
exs_rc exs_vault_export(exs_vault *v, const char *out, size_t *nfiles);

/* Puts item id back where it was, byte-identical, with its mode and modification and access
 * times, and records the restore. EXS_EEVIDENCE when a different file is at the path (nothing
 * changed), EXS_ENOENT when no quarantined item has that id, EXS_EFORMAT when the member's
 * SHA-256 is not the manifest's. A file already in place and identical is recorded as
 * restored. After EXS_OK, exs_vault_error is "" or says what could not be set back (the owner,
 * on a mount that does not keep owners; a time out of range). */
exs_rc exs_vault_restore(exs_vault *v, const char *id);

#ifdef __cplusplus
}
#endif
#endif
