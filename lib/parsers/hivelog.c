/* New-format transaction logs of registry hives (hivelog.h).
 *
 *   the log     0x000  512  a copy of the base block's first sector, file type 6
 *               0x200  ...  log entries, each at an offset divisible by 512
 *   log entry   0x00  4  "HvLE"             0x14  4  dirty pages count
 *               0x04  4  size (of the entry) 0x18  8  Hash-1: Marvin32 of bytes 0x28..size
 *               0x08  4  flags              0x20  8  Hash-2: Marvin32 of bytes 0x00..0x20
 *               0x0C  4  sequence number    0x28  ...  page references (offset from the hive
 *               0x10  4  hive bins size              bins, size), 8 bytes each, then the pages
 *
 * Rules followed: entries older than the primary file's secondary sequence number are skipped;
 * the first applied must carry it, each next one the number after; a damaged entry (signature,
 * size, hashes, a hive bins size not a multiple of 4096, a page outside the entry or the bins)
 * stops the replay there, the entries before it stay applied.
 */
#include <string.h>

#include "parsers/hivelog.h"

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t rotl(uint32_t x, int r)
{
    return x << r | x >> (32 - r);
}

static void marvin_block(uint32_t *p0, uint32_t *p1)
{
    *p1 ^= *p0;
    *p0 = rotl(*p0, 20);
    *p0 += *p1;
    *p1 = rotl(*p1, 9);
    *p1 ^= *p0;
    *p0 = rotl(*p0, 27);
    *p0 += *p1;
    *p1 = rotl(*p1, 19);
}

uint64_t xs_marvin32(const unsigned char *p, size_t n, uint64_t seed)
{
    uint32_t p0 = (uint32_t)seed, p1 = (uint32_t)(seed >> 32);
    for (; n >= 4; p += 4, n -= 4) {
        p0 += rd32(p);
        marvin_block(&p0, &p1);
    }
    uint32_t final = 0x80;
    for (size_t i = n; i > 0; i--)
        final = final << 8 | p[i - 1];
    p0 += final;
    marvin_block(&p0, &p1);
    marvin_block(&p0, &p1);
    return (uint64_t)p1 << 32 | p0;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

bool xs_hivelog_begin(const xs_hive_image *im, xs_hivelog_state *st)
{
    memset(st, 0, sizeof *st);
    unsigned char b[512];
    if (xs_hive_image_pread(im, 0, b, sizeof b) != (long)sizeof b || memcmp(b, "regf", 4) != 0 ||
        xs_hive_checksum(b) != rd32(b + 0x1FC))
        return false;
    st->next = rd32(b + 8);
    st->flags = rd32(b + 0x90);
    return true;
}

/* The entry at e (room bytes to the log's end) is sound: its size, hashes and pages. */
static bool entry_ok(const unsigned char *e, size_t room, uint32_t *size, uint32_t *count)
{
    if (room < 40 || memcmp(e, "HvLE", 4) != 0)
        return false;
    uint32_t sz = rd32(e + 4), bins = rd32(e + 16), n = rd32(e + 20);
    if (sz < 40 || sz % 512 != 0 || sz > room || bins % 4096 != 0 || bins == 0 ||
        n > (sz - 40) / 8)
        return false;
    if (xs_marvin32(e + 40, sz - 40, XS_HIVELOG_SEED) != rd64(e + 24) ||
        xs_marvin32(e, 32, XS_HIVELOG_SEED) != rd64(e + 32))
        return false;
    uint64_t pages = 40 + 8ull * n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t off = rd32(e + 40 + 8 * i), len = rd32(e + 44 + 8 * i);
        if ((uint64_t)off + len > bins || pages + len > sz)
            return false;
        pages += len;
    }
    *size = sz;
    *count = n;
    return true;
}

exs_rc xs_hivelog_apply(xs_hive_image *im, const unsigned char *log, size_t n,
                        xs_hivelog_state *st)
{
    if (n < 512 || memcmp(log, "regf", 4) != 0 || rd32(log + 0x1C) != 6)
        return EXS_EFORMAT;
    for (size_t off = 512; off + 40 <= n && !st->stopped;) {
        uint32_t size, count;
        if (!entry_ok(log + off, n - off, &size, &count)) {
            /* past the last entry Windows wrote the rest is zeros or old bytes: stop there;
             * a damaged entry where the sequence should go on is the same stop */
            if (memcmp(log + off, "HvLE", 4) == 0)
                st->stopped = true;
            break;
        }
        const unsigned char *e = log + off;
        uint32_t seq = rd32(e + 12);
        off += size;
        if (st->applied == 0 && seq < st->next)
            continue; /* applied before the hive was last written */
        if (seq != st->next) {
            st->stopped = true;
            break;
        }
        uint32_t bins = rd32(e + 16);
        /* the hive grows to the entry's bins size: its last byte makes the image that long */
        uint64_t have = xs_hive_image_size(im);
        if (have < 4096ull + bins) {
            unsigned char zero = 0;
            exs_rc rc = xs_hive_image_pwrite(im, 4096ull + bins - 1, &zero, 1);
            if (rc == EXS_ELIMIT) { /* an entry that would grow the hive past the image cap:
                                       the replay stops here, the entries before it stand */
                st->stopped = true;
                break;
            }
            if (rc != EXS_OK)
                return rc;
        }
        const unsigned char *page = e + 40 + 8ull * count;
        for (uint32_t i = 0; i < count; i++) {
            uint32_t poff = rd32(e + 40 + 8 * i), len = rd32(e + 44 + 8 * i);
            exs_rc rc = xs_hive_image_pwrite(im, 4096ull + poff, page, len);
            if (rc != EXS_OK)
                return rc;
            page += len;
        }
        st->flags = rd32(e + 8);
        st->bins = bins;
        st->applied++;
        st->next = seq + 1;
    }
    return EXS_OK;
}

exs_rc xs_hivelog_end(xs_hive_image *im, const xs_hivelog_state *st)
{
    if (st->applied == 0)
        return EXS_OK;
    unsigned char b[512];
    if (xs_hive_image_pread(im, 0, b, sizeof b) != (long)sizeof b)
        return EXS_EIO;
    wr32(b + 4, st->next - 1);
    wr32(b + 8, st->next - 1);
    wr32(b + 0x28, st->bins);
    wr32(b + 0x90, st->flags);
    wr32(b + 0x1FC, xs_hive_checksum(b));
    return xs_hive_image_pwrite(im, 0, b, sizeof b);
}
