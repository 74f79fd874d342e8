/* An Exchange build number (15.1.2176.9): parsed from any of the ways the evidence writes it,
 * compared, printed. No table here: lib/state/buildtab.h says what a build is.
 */
#ifndef XS_STATE_BUILD_H
#define XS_STATE_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct xs_build {
    uint16_t part[4]; /* major, minor, build, revision */
    uint8_t nparts;   /* 3 (an owa\auth\15.1.2176 folder: the revision is not known) or 4 */
} xs_build;

/* Parses "15.1.2176.9", "15.01.2176.009", "15,1,2176,9" (separator '.' or ','; parts of at most
 * five digits and 65535; leading zeros allowed), with optional spaces around separators. Three
 * parts are accepted only when three is true. The whole of p/n must be the build. */
bool xs_build_parse(const char *p, size_t n, bool three, xs_build *out);

/* Whether b can be an Exchange build: major version 8, 14 or 15 and a build part above 0
 * (some logs write "#Version: 15.0.0.0" as a placeholder). */
bool xs_build_plausible(const xs_build *b);

/* Order of builds: by parts; a 3-part build sorts before every 4-part build of its first three
 * parts. */
int xs_build_cmp(const xs_build *a, const xs_build *b);

/* True when a and b have the same first three parts. */
bool xs_build_same_cu(const xs_build *a, const xs_build *b);

/* "15.1.2176.9" (unpadded, as Microsoft's tables write it), or "15.1.2176" for 3 parts. */
#define XS_BUILD_TEXT 24
const char *xs_build_text(const xs_build *b, char out[XS_BUILD_TEXT]);

#endif
