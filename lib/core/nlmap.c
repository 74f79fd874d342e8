#include <string.h>

#include "core/nlmap.h"

#if defined(__x86_64__)
#include <immintrin.h>

/* Sixty-four bytes at a time: their '\n' bits; the smallest byte seen is kept, so a NUL shows
 * as a zero byte of *low at the end. SSE2 is the x86-64 baseline; AVX2, when the CPU has it,
 * halves the instructions (perf shares in bench/README.md, "Where the time goes"). */
static size_t blocks_sse2(uint64_t *bits, const char *p, size_t n, int *nul)
{
    const __m128i nl = _mm_set1_epi8('\n');
    __m128i low = _mm_set1_epi8(-1);
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        uint64_t m = 0;
        for (int k = 0; k < 4; k++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16 * k));
            m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)) << (16 * k);
            low = _mm_min_epu8(low, v);
        }
        bits[i / 64] = m;
    }
    *nul = _mm_movemask_epi8(_mm_cmpeq_epi8(low, _mm_setzero_si128())) != 0;
    return i;
}

__attribute__((target("avx2"))) static size_t blocks_avx2(uint64_t *bits, const char *p,
                                                           size_t n, int *nul)
{
    const __m256i nl = _mm256_set1_epi8('\n');
    __m256i low = _mm256_set1_epi8(-1);
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 32));
        uint64_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, nl));
        uint64_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, nl));
        bits[i / 64] = lo | hi << 32;
        low = _mm256_min_epu8(low, _mm256_min_epu8(a, b));
    }
    *nul = _mm256_movemask_epi8(_mm256_cmpeq_epi8(low, _mm256_setzero_si256())) != 0;
    return i;
}

enum { HAVE_AVX2 = 1, HAVE_POPCNT = 2, KNOWN = 4 };

static int cpu(void)
{
    static int f; /* every thread that finds it unset stores the same answer */
    int v = __atomic_load_n(&f, __ATOMIC_RELAXED);
    if (!v) {
        __builtin_cpu_init();
        v = KNOWN | (__builtin_cpu_supports("avx2") ? HAVE_AVX2 : 0) |
            (__builtin_cpu_supports("popcnt") ? HAVE_POPCNT : 0);
        __atomic_store_n(&f, v, __ATOMIC_RELAXED);
    }
    return v;
}

static size_t blocks(uint64_t *bits, const char *p, size_t n, int *nul)
{
    return cpu() & HAVE_AVX2 ? blocks_avx2(bits, p, n, nul) : blocks_sse2(bits, p, n, nul);
}

/* Bits set in words [a, b): the POPCNT instruction when the CPU has one; the baseline's
 * libgcc call was a visible share of a sweep (bench/README.md, "Where the time goes"). */
__attribute__((target("popcnt"))) static uint64_t ones_popcnt(const uint64_t *w, size_t a,
                                                             size_t b)
{
    uint64_t c = 0;
    for (size_t i = a; i < b; i++)
        c += (uint64_t)__builtin_popcountll(w[i]);
    return c;
}
#define HAVE_ONES_POPCNT 1
#else
static size_t blocks(uint64_t *bits, const char *p, size_t n, int *nul)
{
    (void)bits;
    (void)p;
    (void)n;
    *nul = 0;
    return 0;
}
#endif

/* Bits set in x (no POPCNT in the x86-64 baseline; libgcc's fallback is a call). */
static inline unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555u);
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return (unsigned)((x * 0x0101010101010101u) >> 56);
}

static uint64_t ones(const uint64_t *w, size_t a, size_t b)
{
#ifdef HAVE_ONES_POPCNT
    if (cpu() & HAVE_POPCNT)
        return ones_popcnt(w, a, b);
#endif
    uint64_t c = 0;
    for (size_t i = a; i < b; i++)
        c += popcount64(w[i]);
    return c;
}

size_t xs_nlmap_build(uint64_t *bits, const char *p, size_t n)
{
    int nul = 0;
    size_t i = blocks(bits, p, n, &nul);
    size_t w = i / 64;
    /* the rest (everything on other CPUs), a byte at a time */
    for (; i < n; i += 64) {
        uint64_t m = 0;
        size_t e = n - i < 64 ? n - i : 64;
        for (size_t k = 0; k < e; k++) {
            m |= (uint64_t)(p[i + k] == '\n') << k;
            nul |= p[i + k] == 0;
        }
        bits[w++] = m;
    }
    if (!nul)
        return n;
    const char *z = memchr(p, 0, n); /* rare: find where */
    return z ? (size_t)(z - p) : n;
}

size_t xs_nlmap_next(const xs_nlmap *m, size_t i)
{
    if (i >= m->n)
        return m->n;
    size_t a = m->base + i, end = m->base + m->n;
    size_t w = a / 64;
    uint64_t word = m->bits[w] & (~(uint64_t)0 << (a % 64));
    for (;;) {
        if (word) {
            size_t at = w * 64 + (size_t)__builtin_ctzll(word);
            return at < end ? at - m->base : m->n;
        }
        if (++w * 64 >= end)
            return m->n;
        word = m->bits[w];
    }
}

size_t xs_nlmap_line_start(const xs_nlmap *m, size_t i)
{
    if (i > m->n)
        i = m->n;
    if (i == 0)
        return 0;
    size_t a = m->base + i; /* look at bits [base, a) */
    size_t w = (a - 1) / 64;
    unsigned r = (unsigned)(a - w * 64); /* bits of word w below a: 1..64 */
    uint64_t word = m->bits[w] & (r == 64 ? ~(uint64_t)0 : (((uint64_t)1 << r) - 1));
    for (;;) {
        if (word) {
            size_t at = w * 64 + 63 - (size_t)__builtin_clzll(word);
            return at >= m->base ? at - m->base + 1 : 0;
        }
        if (w * 64 <= m->base)
            return 0;
        word = m->bits[--w];
    }
}

static inline uint64_t below(size_t k) /* the low k bits, k in 0..63 */
{
    return ((uint64_t)1 << k) - 1;
}

uint64_t xs_nlmap_count(const xs_nlmap *m, size_t i, size_t j)
{
    if (j > m->n)
        j = m->n;
    if (i >= j)
        return 0;
    size_t a = m->base + i, b = m->base + j; /* bits [a, b) */
    size_t wa = a / 64, wb = b / 64;
    if (wa == wb)
        return (uint64_t)popcount64(m->bits[wa] & below(b % 64) & ~below(a % 64));
    uint64_t c = popcount64(m->bits[wa] & ~below(a % 64)) + ones(m->bits, wa + 1, wb);
    if (b % 64)
        c += (uint64_t)popcount64(m->bits[wb] & below(b % 64));
    return c;
}
