/* One JSON object per line (event exports: Security-Datasets, Winlogbeat, Velociraptor,
 * Chainsaw), flattened to (name, value) pairs.
 *
 * Nested objects are walked and each leaf keeps its own key (winlog.event_data.CommandLine
 * becomes "CommandLine"), which is how the exports differ; arrays keep their scalar items
 * under the array's key. Strings are unescaped (\uXXXX and surrogate pairs to UTF-8, lone
 * surrogates to U+FFFD) into a scratch buffer; numbers, true, false and null keep their text.
 * Depth, pair count and scratch use are capped; malformed input returns -1 with what parsed
 * so far kept.
 */
#ifndef XS_PARSERS_JSON_H
#define XS_PARSERS_JSON_H

#include <stddef.h>

#include "core/limits.h"
#include "core/str.h"

typedef struct xs_json_pair {
    xs_str key;
    xs_str value;
} xs_json_pair;

/* Parses the object in p[0..n) (leading and trailing white space allowed). Writes at most
 * max pairs to out and their count to *count; scratch (at least n bytes) receives unescaped
 * text. Returns 0 for a well-formed object, -1 otherwise. */
int xs_json_flat(const char *p, size_t n, xs_json_pair *out, size_t max, size_t *count,
                  char *scratch);

/* The same, but each key is the leaf's full dotted path ("event.kind"; array items keep the
 * array's path, objects in arrays give "a.b" per member, in order). paths (pcap bytes)
 * receives the path texts; when they do not fit the line is malformed (-1). */
int xs_json_paths(const char *p, size_t n, xs_json_pair *out, size_t max, size_t *count,
                   char *scratch, char *paths, size_t pcap);

/* xs_json_paths with a nesting cap of the caller's instead of XS_JSON_MAX_DEPTH (a ZGrab2
 * line's TLS log nests deeper than an event export: XS_PROBE_JSON_DEPTH). */
int xs_json_paths_depth(const char *p, size_t n, xs_json_pair *out, size_t max, size_t *count,
                         char *scratch, char *paths, size_t pcap, int maxdepth);

#endif
