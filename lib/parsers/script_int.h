/* Server-side script reader, internal: what its three parts share. script.c finds the code
 * regions of a page; script_tok.c tokenises a region; script_fold.c folds a region's
 * obfuscations and hands decoded code back to the tokeniser. */
#ifndef XS_PARSERS_SCRIPT_INT_H
#define XS_PARSERS_SCRIPT_INT_H

#include "parsers/script.h"

/* Appends p[0..n) plus a NUL to s->text; *off receives where. False past XS_SCRIPT_MAX_TEXT
 * (s->truncated) or out of memory (s->failed). */
bool xs_stext_add(xs_script *s, const char *p, size_t n, uint32_t *off);
/* Appends a token; false past XS_SCRIPT_MAX_TOKENS (s->truncated) or out of memory. */
bool xs_stok_push(xs_script *s, const xs_tok *t);

/* Tokenises code p[0..n) of language lang, first line `line`, decoded `layer` times by `how`,
 * appends the tokens and an XS_TK_END, then folds them (xs_sfold_region). False when the reader
 * must stop (a cap or out of memory). */
bool xs_stok_region(xs_script *s, const char *p, size_t n, xs_slang lang, uint32_t line,
                    uint8_t layer, uint16_t how);

/* Folds tokens [from, s->ntok) (one region) in place, then tokenises the code it decoded as
 * regions one layer deeper. False when the reader must stop. */
bool xs_sfold_region(xs_script *s, size_t from);

/* UTF-8 of code point c (U+FFFD past U+10FFFF) into out (4 bytes); returns the length. */
size_t xs_sutf8(unsigned long c, char *out);
/* The value of hex digit c, or -1. */
int xs_shex(int c);
/* The value of base64 character c, or -1; urlsafe also takes '-' and '_' for 62 and 63 (not
 * for UTF-7, where '-' ends a run). */
int xs_sb64(int c, bool urlsafe);

/* ASCII case-insensitive equality of a token's text with lit. */
bool xs_stok_eq(const xs_script *s, const xs_tok *t, const char *lit);

#endif
