/* UTF-16LE to UTF-8, said once for every reader of Windows text (EVTX, minidumps, MSERT logs).
 *
 * Surrogate pairs become their code point; a lone surrogate becomes U+FFFD. A NUL unit ends
 * the text when nul is 0, and is written as the byte nul otherwise. The output is never cut
 * inside a character: when out is full the decoding stops before the character that does not
 * fit. Returns the bytes written (no terminator); *used, when not NULL, gets the units read
 * (at a NUL that ended the text, its index).
 */
#ifndef XS_CORE_UTF16_H
#define XS_CORE_UTF16_H

#include <stddef.h>

size_t xs_utf16le_to_utf8(const unsigned char *s, size_t units, char *out, size_t room,
                           char nul, size_t *used);

#endif
