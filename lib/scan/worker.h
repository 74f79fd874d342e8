/* A worker thread's tools: reader state, buffers, engine scratch, local counters. */
#ifndef XS_SCAN_WORKER_H
#define XS_SCAN_WORKER_H

#include "detectors/detect.h"
#include "exsweep/scan.h"
#include "logs/pipeline.h"
#include "parsers/evtx/evtx.h"
#include "sources/archive.h"
#include "sources/walk.h"

struct xs_fworker;

typedef struct xs_worker {
    exs_scan *scan;
    xs_logstate *st;
    xs_pipeline_mem mem;
    unsigned scratch_kinds; /* kinds whose prefilter the scratch has been grown for */
    xs_evtx_reader *evtx;  /* created at the first event log */
    xs_event_state evstate;
    exs_sweep_stats stats;
    struct xs_fworker *fw; /* file checks (hash, rules, heuristics) */
    struct xs_sigrun *sigma; /* NULL without --sigma */
    xs_archive_budget abudget; /* of the top-level archive being read */
} xs_worker;

exs_rc xs_worker_init(xs_worker *w, exs_scan *s);
void xs_worker_fini(xs_worker *w);

/* Reads one evidence file (and, for archives, its members). Consumes it. */
void xs_worker_process(xs_worker *w, xs_item *it);

/* Reads evidence held in memory as if it were a file at display (normalised path norm):
 * for tests and fuzz targets, which exercise classification, readers and detectors without
 * touching a disk. */
void xs_worker_process_memory(xs_worker *w, const char *display, const char *norm,
                               const void *data, size_t len);

#endif
