/* Escaping attacker bytes for every output we write.
 *
 * Every function takes raw bytes (any value, any length) and writes a form that cannot
 * change the meaning of the surrounding output: no terminal control sequences, no bidi
 * overrides, no unbalanced quotes, no spreadsheet formulas, no invalid UTF-8.
 */
#ifndef XS_ESCAPE_H
#define XS_ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Decodes one UTF-8 sequence at p (n > 0 bytes available). Returns its length (1-4) and the
 * code point in *cp, or 0 for an invalid, overlong, surrogate or truncated sequence. */
size_t xs_utf8_next(const unsigned char *p, size_t n, uint32_t *cp);

/* True when every byte of p forms valid UTF-8. */
int xs_utf8_valid(const char *p, size_t n);

/* JSON string body (no surrounding quotes): \" \\ \uXXXX for controls, C1, U+2028/9;
 * invalid UTF-8 becomes U+FFFD. */
void xs_esc_json(FILE *f, const char *p, size_t n);

/* The same for JSON inside an HTML <script type="application/json"> block: < > & as \u003c
 * \u003e \u0026 too, so that no "</script>" or "<!--" can end or change the block (U+2028/9
 * are escaped by both). JSON.parse reads back the same string. */
void xs_esc_json_html(FILE *f, const char *p, size_t n);

/* Terminal: printable UTF-8 passes; C0/C1 controls, DEL, bidi controls and invalid bytes
 * are shown as \xNN or \u{XXXX}. Output is at most max_cols characters (0 = unlimited),
 * ending in "..." when cut. Returns the columns printed (an escape counts its length, "..."
 * three), so callers can pad. */
size_t xs_esc_term(FILE *f, const char *p, size_t n, size_t max_cols);

/* One CSV field, always quoted: doubled quotes, controls as \xNN, invalid UTF-8 as U+FFFD,
 * and a leading ' before = + - @ TAB CR (also after leading spaces) so spreadsheets do not
 * run it as a formula. */
void xs_esc_csv(FILE *f, const char *p, size_t n);

/* HTML text or attribute value: & < > " ' escaped, controls as U+FFFD, invalid UTF-8 too. */
void xs_esc_html(FILE *f, const char *p, size_t n);

#endif
