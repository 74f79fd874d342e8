/* Minidump header, stream directory, module list and misc info, bounded. */
#include <string.h>

#include "core/limits.h"
#include "core/utf16.h"
#include "parsers/minidump.h"

long xs_membuf_readat(void *ctx, uint64_t off, void *buf, size_t n)
{
    const xs_membuf *m = ctx;
    if (off >= m->n)
        return 0;
    size_t k = m->n - (size_t)off < n ? m->n - (size_t)off : n;
    memcpy(buf, m->p + off, k);
    return (long)k;
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool read_exact(xs_readat_fn rd, void *ctx, uint64_t off, void *buf, size_t n)
{
    return rd(ctx, off, buf, n) == (long)n;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (k > n)
        return false;
    for (size_t i = 0; i < k; i++) {
        char a = s[n - k + i], b = suffix[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if (a != b)
            return false;
    }
    return n == k || s[n - k - 1] == '\\' || s[n - k - 1] == '/';
}

void xs_minidump_parse(xs_readat_fn rd, void *ctx, xs_minidump *out)
{
    memset(out, 0, sizeof *out);
    out->time_ms = EXS_TIME_NONE;
    unsigned char h[32];
    if (!read_exact(rd, ctx, 0, h, sizeof h) || memcmp(h, "MDMP", 4) != 0)
        return;
    uint32_t version = u32(h + 4);
    if ((version & 0xFFFF) != 0xA793)
        return;
    out->valid = true;
    out->streams = u32(h + 8);
    uint32_t dir = u32(h + 12);
    uint32_t ts = u32(h + 20);
    if (ts)
        out->time_ms = (int64_t)ts * 1000;
    uint32_t mod_rva = 0, mod_size = 0, misc_rva = 0, misc_size = 0;
    uint32_t ns = out->streams < XS_MAX_MDMP_STREAMS ? out->streams : XS_MAX_MDMP_STREAMS;
    for (uint32_t i = 0; i < ns; i++) {
        unsigned char d[12];
        if (!read_exact(rd, ctx, (uint64_t)dir + 12ull * i, d, sizeof d))
            break;
        uint32_t type = u32(d), size = u32(d + 4), rva = u32(d + 8);
        if (type == 4 && !mod_rva) {
            mod_rva = rva;
            mod_size = size;
        } else if (type == 15 && !misc_rva) {
            misc_rva = rva;
            misc_size = size;
        } else if (type == 9) {
            out->full_memory = true;
        }
    }
    if (misc_rva && misc_size >= 12) {
        unsigned char m[12];
        if (read_exact(rd, ctx, misc_rva, m, sizeof m) && (u32(m + 4) & 1))
            out->pid = u32(m + 8);
    }
    if (!mod_rva || mod_size < 4)
        return;
    unsigned char c[4];
    if (!read_exact(rd, ctx, mod_rva, c, sizeof c))
        return;
    out->modules = u32(c);
    if (out->modules == 0 || out->modules > XS_MAX_MDMP_MODULES ||
        4ull + 108ull * out->modules > mod_size)
        return;
    unsigned char m[108];
    if (!read_exact(rd, ctx, (uint64_t)mod_rva + 4, m, sizeof m))
        return;
    uint32_t name_rva = u32(m + 20);
    unsigned char len[4];
    if (!read_exact(rd, ctx, name_rva, len, sizeof len))
        return;
    uint32_t bytes = u32(len);
    if (bytes > 1024)
        bytes = 1024; /* MAX_PATH-ish; longer names are cut */
    bytes &= ~1u;
    unsigned char name[1024];
    long got = rd(ctx, (uint64_t)name_rva + 4, name, bytes);
    if (got <= 0)
        return;
    size_t w = xs_utf16le_to_utf8(name, (size_t)got / 2, out->process,
                                   sizeof out->process - 1, 0, NULL);
    out->process[w] = 0;
    out->lsass = ends_with_ci(out->process, "lsass.exe");
}
