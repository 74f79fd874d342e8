/* Deciding what a file is, from where it lies and what it starts with.
 *
 * Location alone is never enough (renamed or exported logs exist everywhere in triage
 * collections) and content alone is not either (headerless excerpts): content wins when it is
 * conclusive, location fills in when it is not.
 */
#ifndef XS_SOURCES_CLASSIFY_H
#define XS_SOURCES_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "logs/kinds.h"

typedef struct xs_class {
    xs_kind kind;
    char family[96];          /* coverage family, e.g. "HttpProxy/Ecp", "IIS/W3SVC1" */
    size_t install_root_len;  /* > 0: the display path's first bytes are an Exchange install root */
    int binary_log;           /* located as a log, but NUL bytes in its head (read, counted) */
} xs_class;

/* normpath: lowercased '/'-separated path (xs_path_norm); display: the path shown to the user;
 * p/n: the first bytes of the content. */
void xs_classify(const char *normpath, const char *display, const unsigned char *p, size_t n,
                  xs_class *out);

/* Whether p/n starts like JSON lines of any kind (SIEM and EDR exports: a first line that is
 * one whole object with a quoted key; a pretty-printed document, such as a configuration,
 * starts with a lone '{' and is not a log): structured logs the file side leaves to the log
 * readers and user rules. The event exports xs_classify reads as XS_KIND_JSONL are the
 * subset with event keys. */
bool xs_looks_json_lines(const unsigned char *p, size_t n);

/* Lowercases, maps '\' to '/', decodes %XX (Velociraptor encodes ':' and others), collapses
 * repeated '/'. Writes at most cap-1 bytes and a NUL; returns the length. */
size_t xs_path_norm(const char *in, char *out, size_t cap);

#endif
