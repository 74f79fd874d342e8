/* The file side of a sweep: every file's bytes go once through the same read as the log
 * readers (a tee on the input), then through hashing, the YARA rule sets and the file
 * heuristics; hits are kept per file and reported after the workers, when the URL each file is
 * served under and the requests made to it are known.
 *
 *   worker:  begin(first bytes, class) -> input tee (log pipeline or archive walk reads through
 *            it) -> end: drain the rest (files up to max_file_size), hash, gate + YARA,
 *            heuristics -> per-file record (only files with hits) and the web-script inventory
 *   after:   xs_pass_files (lib/detectors/shells.c): URLs from the Exchange layout and applicationHost.config vdirs,
 *            requests attached, removed shells, IOC addresses, deferred verdicts; then emit.
 *
 * Size and type policy (documented in docs/files.md, overridable from the CLI): files larger
 * than max_file_size, and files whose extension is in the skip list, get the name, location,
 * attribute and header checks only (no hash, no rules, no content heuristics).
 */
#ifndef XS_SCAN_FILES_H
#define XS_SCAN_FILES_H

#include <stdbool.h>
#include <stdint.h>

#include "detectors/webfolders.h"
#include "exsweep/scan.h"
#include "scan/ctx.h"
#include "sources/classify.h"
#include "sources/input.h"

struct xs_yrules;
struct xs_yscanner;
struct xs_iocset;

typedef struct xs_files xs_files;
typedef struct xs_fworker xs_fworker;

/* Scan-wide state. Created with the scan (policy from opts, which may be NULL); rules and
 * IOC lists are added before the run. */
exs_rc xs_files_create(xs_files **out, const exs_scan_opts *opts);
void xs_files_destroy(xs_files *f);
/* Records a rule file or folder (*.yar, *.yara in it, sorted; not recursive). */
exs_rc xs_files_add_rules(xs_files *f, const char *path, char *err, size_t errlen);
/* Loads an IOC list now (unusable lines become warnings of the scan). */
exs_rc xs_files_add_iocs(xs_files *f, exs_scan *s, const char *path, char *err, size_t errlen);
/* Compiles the rule sets and fixes the policy; called by exs_scan_run before any worker. */
exs_rc xs_files_prepare(exs_scan *s, char *err, size_t errlen);

exs_rc xs_fworker_create(xs_fworker **out, exs_scan *s);
void xs_fworker_destroy(xs_fworker *w);

/* What the walker or archive reader knows about a file besides its bytes. */
typedef struct xs_fmeta {
    int fd;           /* open descriptor of a file on disk, -1 for archive members */
    int64_t size;     /* -1 when unknown */
    int64_t mtime_ms; /* EXS_TIME_NONE when unknown */
    uint64_t dev, ino; /* of a file on disk, 0 for archive members */
} xs_fmeta;

/* Starts the checks of a file at archive depth `depth`: head[0..have) are its first bytes,
 * already read from raw. Returns the input the readers must use from now on (the tee over raw),
 * valid until xs_file_end. */
const xs_input *xs_file_begin(xs_fworker *w, int depth, const char *display, const char *norm,
                                const xs_where *where, const xs_class *cls,
                                const xs_fmeta *meta, const unsigned char *head, size_t have,
                                const xs_input *raw);
/* True when the file checks copy this file's bytes (within the size policy): its readers
 * must then hand them over as they are (holes of a sparse file read as zeros). */
bool xs_file_copies(const xs_fworker *w, int depth);
/* For an archive: when the file checks want its bytes, reads it whole (once) and returns an
 * input over the copy in memory, positioned after the head; otherwise returns in. */
const xs_input *xs_file_slurp(xs_fworker *w, int depth, const xs_input *in);
/* Finishes the file: reads what the readers left (within the policy), runs the checks. An
 * allocation or engine failure on the way (a copy that could not grow, a digest or a rule
 * scan that failed) fails the sweep: the file would otherwise pass unchecked. */
void xs_file_end(xs_fworker *w, int depth);

/* Moves the file side's counters into st (they restart from zero). */
void xs_fworker_stats(xs_fworker *w, exs_sweep_stats *st);

/* Notes a finding as it is emitted (the IOC address tally, lib/detectors/iocnet.h); f may be
 * NULL. Thread-safe. Returns false when out of memory. */
bool xs_files_note_finding(xs_files *f, const exs_finding *x);

/* True when rule is one of the user's rules (--rules): it lives as long as the scan. */
bool xs_files_user_rule(const xs_files *f, const exs_rule *rule);

/* Before the pass: the sampled records join the list in a fixed order. */
void xs_files_settle(xs_files *f);

#endif
