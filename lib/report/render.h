/* The words of a finding, rendered from its typed fields, for every writer (internal to
 * lib/report/). The text is raw: it quotes evidence bytes as they are, and each writer escapes
 * it for its own context (terminal, CSV, JSON). */
#ifndef XS_REPORT_RENDER_H
#define XS_REPORT_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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

/* The verdict line of a report: "COMPROMISED - evidence of exploitation or a backdoor", ...;
 * worst 0 (no finding): "NO FINDINGS - ...". */
const char *xs_render_verdict_text(exs_verdict worst);

/* The heaviest verdict a count holds, 0 when none. */
exs_verdict xs_count_worst(const exs_count *c);

/* qsort over const exs_count *: the attacker tables' order (worst verdict, then most
 * findings, then the key). */
int xs_count_cmp_client(const void *a, const void *b);

/* Loopback: never an attacker in a client table. (A root's rows from its own server address
 * are out of the client counts already: the same address may be another root's client, and is
 * listed for it.) */
bool xs_render_loopback(const char *addr);

/* The text summary's width: every line fits it, long facts wrap rather than being cut. */
#define XS_TEXT_WIDTH 100

/* s escaped for the terminal and written from column *col, wrapped at XS_TEXT_WIDTH onto lines
 * that start at column indent (at most half the width): a word that would pass the width
 * starts a new line, a word longer than a line is split; no fact is cut. *col receives the
 * column after the last character. */
void xs_render_wrap(FILE *o, const char *s, size_t indent, size_t *col);
/* The same for several pieces (a NULL-terminated list of strings), wrapped as one text: a
 * space between two pieces never ends a line. */
void xs_render_wrapv(FILE *o, size_t indent, size_t *col, ...);

#endif
