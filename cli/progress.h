/* The progress line of a running sweep: one line on standard error, redrawn in place four
 * times a second, erased when the sweep ends. Only on a terminal (nothing is written when
 * standard error is not one), and not with --quiet. */
#ifndef XS_CLI_PROGRESS_H
#define XS_CLI_PROGRESS_H

#include <stdbool.h>

#include "exsweep/exsweep.h"

typedef struct xs_progress xs_progress;

/* Starts drawing the progress of s (NULL when not on a terminal, when enabled is false or
 * when the thread could not start: the sweep runs the same without it). */
xs_progress *xs_progress_start(exs_scan *s, bool enabled);
/* Stops and erases the line. Accepts NULL. */
void xs_progress_stop(xs_progress *p);

/* The line for a snapshot p after seconds (at most cap bytes): files, bytes, rate, ETA once
 * the walk has ended, findings. Exposed for tests. */
void xs_progress_line(const exs_progress *p, double seconds, char *out, size_t cap);

#endif
