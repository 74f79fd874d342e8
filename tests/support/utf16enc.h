/* Test support: UTF-8 to UTF-16 code units, for the writers of Windows formats (EVTX, PE). The
 * library only decodes UTF-16 (lib/core/utf16.h); encoding is the tests' business. */
#ifndef XS_TEST_UTF16ENC_H
#define XS_TEST_UTF16ENC_H

#include <stddef.h>
#include <stdint.h>

/* UTF-8 to UTF-16 units (no NUL); invalid bytes become U+FFFD, code points past U+FFFF a
 * surrogate pair. Returns the unit count; out may be NULL to count. */
size_t t_utf16_units(const char *s, uint16_t *out);

#endif
