/* exsweep: escaping for the tool's own messages.
 *
 * The report writers escape everything they print from the evidence. Programs built on the
 * library print other strings that came from outside (paths a user gave, exs_scan_error,
 * which may quote evidence): this is the same terminal escaping, for them.
 */
#ifndef EXSWEEP_ESCAPE_H
#define EXSWEEP_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the n bytes at p to f for a terminal: printable UTF-8 passes; C0 and C1 controls,
 * DEL, bidi controls and invalid bytes are shown as \xNN or \u{XXXX}, so no byte of p can
 * move the cursor, retitle the window or reorder the line. */
void exs_escape_term(FILE *f, const char *p, size_t n);

#ifdef __cplusplus
}
#endif
#endif
