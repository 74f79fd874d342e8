/* exsweep: what to collect for it. A collection spec for Velociraptor (an artifact) or KAPE
 * (a target) that gathers exactly what exsweep reads from an Exchange server: its log
 * places (from the log readers' own location table), event logs, hives, web folders, setup
 * logs, IIS configuration and the usual drop folders.
 */
#ifndef EXSWEEP_COLLECT_H
#define EXSWEEP_COLLECT_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum exs_collect_format {
    EXS_COLLECT_VELOCIRAPTOR = 0, /* a CLIENT artifact (YAML, VQL glob + upload) */
    EXS_COLLECT_KAPE = 1,         /* a target (.tkape YAML) */
} exs_collect_format;

typedef struct exs_collect_opts {
    const char *exchange_root; /* the install folder, NULL: C:\Program Files\Microsoft\Exchange
                                  Server\V15; no control characters */
    uint64_t max_size;         /* files up to this many bytes; 0: 1 GiB */
    const char *logs_after;    /* Velociraptor: only logs modified after (ISO 8601), NULL: all */
} exs_collect_opts;

/* Writes the spec to out. EXS_EINVAL for a bad option (a root with a control character, a
 * date that does not parse), EXS_EIO when out fails. */
exs_rc exs_collect_write(FILE *out, exs_collect_format f, const exs_collect_opts *o);

#ifdef __cplusplus
}
#endif
#endif
