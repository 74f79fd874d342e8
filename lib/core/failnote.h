/* Failures that code could not report through its interface: a parser called by a detector
 * through a callback-and-count API with no result code. The parser notes the failure for its
 * thread; the worker that owns the thread takes it after each file and fails the sweep with
 * it (xs_scan_fail). The first note wins until taken. */
#ifndef XS_CORE_FAILNOTE_H
#define XS_CORE_FAILNOTE_H

#include "exsweep/error.h"

/* what: a static description ("out of memory decoding an MSERT log"). */
void xs_failnote(exs_rc rc, const char *what);
/* The noted failure (EXS_OK when none) and its description; clears it. */
exs_rc xs_failnote_take(const char **what);

#endif
