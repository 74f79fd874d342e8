/* The file side of a sweep: every file's bytes go once through the same read as the log
 * readers (a tee on the input), then through hashing, the YARA rule sets and the file
 * heuristics; hits are kept per file and reported after the workers, when the URL each file is
 * served under and the requests made to it are known.
 *
 *   worker:  begin(first bytes, class) -> input tee (log pipeline or archive walk reads through
 *            it) -> end: drain the rest (files up to max_file_size), hash, gate + YARA,
 *            heuristics -> per-file record (only files with hits) and the web-script inventory
 *   after:   exs_pass_files (lib/detectors/shells.c): URLs from the Exchange layout and applicationHost.config vdirs,
 *            requests attached, removed shells, IOC addresses, deferred verdicts; then emit.
 *
 * Size and type policy (documented in docs/files.md, overridable from the CLI): files larger
 * than max_file_size, and files whose extension is in the skip list, get the name, location,
 * attribute and header checks only (no hash, no rules, no content heuristics).
 */
#ifndef EXS_SCAN_FILES_H
#define EXS_SCAN_FILES_H

#include <stdbool.h>
#include <stdint.h>

#include "detectors/webfolders.h"
#include "exsweep/scan.h"
#include "scan/ctx.h"
#include "sources/classify.h"
#include "sources/input.h"

struct exs_yrules;
struct exs_yscanner;
struct exs_iocset;

typedef struct exs_files exs_files;
typedef struct exs_fworker exs_fworker;

/* Scan-wide state. Created with the scan (policy from opts, which may be NULL); rules and
 * IOC lists are added before the run. */
exs_rc exs_files_create(exs_files **out, const exs_scan_opts *opts);
void exs_files_destroy(exs_files *f);
/* Records a rule file or folder (*.yar, *.yara in it, sorted; not recursive). */
exs_rc exs_files_add_rules(exs_files *f, const char *path, char *err, size_t errlen);
/* Loads an IOC list now (unusable lines become warnings of the scan). */
exs_rc exs_files_add_iocs(exs_files *f, exs_scan *s, const char *path, char *err, size_t errlen);
/* Compiles the rule sets and fixes the policy; called by exs_scan_run before any worker. */
exs_rc exs_files_prepare(exs_scan *s, char *err, size_t errlen);

exs_rc exs_fworker_create(exs_fworker **out, exs_scan *s);
void exs_fworker_destroy(exs_fworker *w);

/* What the walker or archive reader knows about a file besides its bytes. */
typedef struct exs_fmeta {
    int fd;           /* open descriptor of a file on disk, -1 for archive members */
    int64_t size;     /* -1 when unknown */
    int64_t mtime_ms; /* EXS_TIME_NONE when unknown */
} exs_fmeta;

/* Starts the checks of a file at archive depth `depth`: head[0..have) are its first bytes,
 * already read from raw. Returns the input the readers must use from now on (the tee over raw),
 * valid until exs_file_end. */
const exs_input *exs_file_begin(exs_fworker *w, int depth, const char *display, const char *norm,
                                const exs_where *where, const exs_class *cls,
                                const exs_fmeta *meta, const unsigned char *head, size_t have,
                                const exs_input *raw);
/* True when the file checks copy this file's bytes (within the size policy): its readers
 * must then hand them over as they are (holes of a sparse file read as zeros). */
bool exs_file_copies(const exs_fworker *w, int depth);
/* For an archive: when the file checks want its bytes, reads it whole (once) and returns an
 * input over the copy in memory, positioned after the head; otherwise returns in. */
const exs_input *exs_file_slurp(exs_fworker *w, int depth, const exs_input *in);
/* Finishes the file: reads what the readers left (within the policy), runs the checks. An
 * allocation or engine failure on the way (a copy that could not grow, a digest or a rule
 * scan that failed) fails the sweep: the file would otherwise pass unchecked. */
void exs_file_end(exs_fworker *w, int depth);

/* Moves the file side's counters into st (they restart from zero). */
void exs_fworker_stats(exs_fworker *w, exs_sweep_stats *st);

/* Notes a finding as it is emitted (the IOC address tally, lib/detectors/iocnet.h); f may be
 * NULL. Thread-safe. Returns false when out of memory. */
bool exs_files_note_finding(exs_files *f, const exs_finding *x);

/* True when rule is one of the user's rules (--rules): it lives as long as the scan. */
bool exs_files_user_rule(const exs_files *f, const exs_rule *rule);

/* Before the pass: the sampled records join the list in a fixed order. */
void exs_files_settle(exs_files *f);

#endif
