/* The file check of registry hives (SOFTWARE, SYSTEM, NTUSER.DAT): the server's own state
 * they hold (the Exchange build and install path, installed updates, EOMT's stages, the
 * Unified Messaging services disabled) and the attackers' changes (rules EXS-REG-*). See
 * docs/files.md, "Registry hives". */
#ifndef XS_DETECTORS_REGISTRY_H
#define XS_DETECTORS_REGISTRY_H

#include "scan/files_int.h"

/* Runs on every file; does nothing unless it starts with a primary hive's base block. The
 * hive is copied into memory (bounded by the scan's hive limits, XS_HIVE_* by default) and
 * read there: the evidence is never written, nor its times touched. */
void xs_detect_registry(xs_fctx *c);

#endif
