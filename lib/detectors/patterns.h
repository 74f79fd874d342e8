/* What the prefilter expressions of the detectors share (internal to lib/detectors/).
 *
 * Each detector file declares, beside its predicates, the expressions a line must match for
 * them to report it (its xs_pat_* lists); the log kinds' prefilter sets are composed from
 * those lists (lib/logs/kinds.c), and tools/prefilter-db.c compiles them at build time. The
 * set of a log kind must pass every line its detectors could report (tests run every fixture
 * and the evaldata with the prefilter off and compare: tests/unit/test-prefilter-off.c,
 * tests/e2e/prefilter-off.sh). The predicates decode %XX and '\', so expressions are written
 * with the encoded forms too; all are compiled caseless and multi-line.
 *
 * Rare indicators are triggers (group 0). Words that benign traffic is full of
 * (autodiscover.json, /owa/, /ews, powershell) are tokens: a line is a candidate only when its
 * tokens cover a conjunction (xs_conj_request). Every token match costs a callback, so a
 * conjunction whose words stand in a fixed order inside one URL path is written as one
 * expression instead (bench/README.md).
 */
#ifndef XS_DETECTORS_PATTERNS_H
#define XS_DETECTORS_PATTERNS_H

#include "engines/prefilter.h"

#define SL "(/|%2f|\\\\|%5c)" /* a path separator, raw or encoded */
#define DOT "(\\.|%2e)"

/* The path bytes between two words of one URL path depend on the log: IIS writes the stem
 * escaped, spaces as '+', the query after a space, so the class stops at a space or '?'; a
 * CSV path column may hold a decoded path (spaces, '?', quoted commas), so there the class runs
 * to the end of the line (bench/README.md: the sweep of the bench tree went from 0.39 to
 * 0.40 s with it). */
#define PATH_W3C "[^ \\n?]*" /* to the end of cs-uri-stem */
#define PATH_CSV "[^\\n]*"   /* to the end of the row */

/* The tokens of request-shaped logs (groups of xs_conj_request, proxyshell.c). */
enum { T_AUTOD = 1, T_BACKEND, T_CONF, T_XA, T_OWA, T_PSHELL };
#define TOKEN_BIT(t) (1u << ((t)-1))

#endif
