/* A worker thread's tools: reader state, buffers, engine scratch, local counters. */
#ifndef EXS_SCAN_WORKER_H
#define EXS_SCAN_WORKER_H

#include "detectors/detect.h"
#include "exsweep/scan.h"
#include "logs/pipeline.h"
#include "parsers/evtx/evtx.h"
#include "sources/archive.h"
#include "sources/walk.h"

struct exs_fworker;

typedef struct exs_worker {
    exs_scan *scan;
    exs_logstate *st;
    exs_pipeline_mem mem;
    unsigned scratch_kinds; /* kinds whose prefilter the scratch has been grown for */
    exs_evtx_reader *evtx;  /* created at the first event log */
    exs_event_state evstate;
    exs_sweep_stats stats;
    struct exs_fworker *fw; /* file checks (hash, rules, heuristics) */
    exs_archive_budget abudget; /* of the top-level archive being read */
} exs_worker;

exs_rc exs_worker_init(exs_worker *w, exs_scan *s);
void exs_worker_fini(exs_worker *w);

/* Reads one evidence file (and, for archives, its members). Consumes it. */
void exs_worker_process(exs_worker *w, exs_item *it);

/* Reads evidence held in memory as if it were a file at display (normalised path norm):
 * for tests and fuzz targets, which exercise classification, readers and detectors without
 * touching a disk. */
void exs_worker_process_memory(exs_worker *w, const char *display, const char *norm,
                               const void *data, size_t len);

#endif
