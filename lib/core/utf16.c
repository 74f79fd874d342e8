#include <stdint.h>

#include "core/utf16.h"

#ifdef __SSE2__
#include <emmintrin.h>

/* Eight units that are all ASCII and not NUL: written as eight bytes. Event text is mostly
 * ASCII: 89 % of the units of the evaluation logs take this path (docs/evtx.md). */
static int ascii8(const unsigned char *s, char *o)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i zero = _mm_setzero_si128();
    __m128i ascii = _mm_cmpeq_epi16(_mm_and_si128(v, _mm_set1_epi16((short)0xFF80)), zero);
    __m128i nul = _mm_cmpeq_epi16(v, zero);
    if (_mm_movemask_epi8(_mm_andnot_si128(nul, ascii)) != 0xFFFF)
        return 0;
    _mm_storel_epi64((__m128i *)(void *)o, _mm_packus_epi16(v, v));
    return 1;
}
#endif

static inline uint32_t unit(const unsigned char *s, size_t i)
{
    return (uint32_t)s[2 * i] | (uint32_t)s[2 * i + 1] << 8;
}

/* Encodes one code point (not ASCII); 0 when it does not fit. */
static size_t put_cp(char *o, size_t room, uint32_t cp)
{
    if (cp < 0x800) {
        if (room < 2)
            return 0;
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        if (room < 3)
            return 0;
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (room < 4)
        return 0;
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t xs_utf16le_to_utf8(const unsigned char *s, size_t units, char *out, size_t room,
                           char nul, size_t *used)
{
    size_t i = 0, o = 0;
    while (i < units) {
#ifdef __SSE2__
        if (units - i >= 8 && room - o >= 8 && ascii8(s + 2 * i, out + o)) {
            o += 8;
            i += 8;
            continue;
        }
#endif
        uint32_t u = unit(s, i);
        if (u == 0 && !nul)
            break;
        if (u < 0x80) {
            if (o == room)
                break;
            out[o++] = u ? (char)u : nul;
            i++;
            continue;
        }
        size_t take = 1;
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
            uint32_t lo = unit(s, i + 1);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                take = 2;
            }
        }
        if (take == 1 && u >= 0xD800 && u <= 0xDFFF)
            u = 0xFFFD;
        size_t w = put_cp(out + o, room - o, u);
        if (w == 0)
            break;
        o += w;
        i += take;
    }
    if (used)
        *used = i;
    return o;
}
