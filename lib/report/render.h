/* The words of a finding, rendered from its typed fields, for every writer (internal to
 * lib/report/). The text is raw: it quotes evidence bytes as they are, and each writer escapes
 * it for its own context (terminal, CSV, JSON). */
#ifndef XS_REPORT_RENDER_H
#define XS_REPORT_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "exsweep/results.h"

/* One line: the case of the rule that matched and the facts that say what was hit ("the IIS
 * worker started a process: cmd /c whoami (parent w3wp.exe, user IIS APPPOOL\\MSExchange)").
 * Written into buf (NUL-terminated); returns the length. Words that do not fit are cut and
 * end in "…" (U+2026): every fact is in its own field too. */
size_t xs_render_words(const exs_finding *f, char *buf, size_t cap);

/* Where the evidence lies: "label/" when the results have several roots, the path, "!/member"
 * for each archive member, then ":line" or "#record" when pos is set. Returns the length. A
 * buffer of XS_MAX_WHERE bytes holds it whole. */
size_t xs_render_where(const exs_results *r, const exs_finding *f, bool pos, char *buf,
                        size_t cap);

/* The part of a Windows path or URL after its last '\\' or '/'. */
const char *xs_render_base(const char *path);

#endif
