/* EVTX stream, chunks and records.
 *
 * File header (4096 bytes; little-endian)
 *   off  size
 *   0    8    "ElfFile\0"
 *   8    8    first chunk number
 *   16   8    last chunk number
 *   24   8    next record identifier
 *   32   4    header size (128)
 *   36   2    minor version (1 or 2)
 *   38   2    major version (3)
 *   40   2    header block size (4096)
 *   42   2    chunk count (stale when the log was copied while open: "dirty")
 *   44   76   unused
 *   120  4    flags: 0x1 dirty, 0x2 full
 *   124  4    CRC-32 of bytes 0-119
 *   128  3968 unused
 *
 * Chunk (65536 bytes, right after the file header, back to back)
 *   off  size
 *   0    8    "ElfChnk\0"
 *   8    8    first record number      24   8    first record identifier
 *   16   8    last record number       32   8    last record identifier
 *   40   4    header size (128)
 *   44   4    offset of the last record
 *   48   4    free space offset: records lie in [512, this)
 *   52   4    CRC-32 of the record data [512, free space offset)
 *   56   64   unused
 *   120  4    flags
 *   124  4    CRC-32 of bytes 0-119 and 128-511
 *   128  256  string table: 64 name offsets (hash buckets)
 *   384  128  template table: 32 template definition offsets
 *   512  ...  records
 *
 * Record
 *   off    size
 *   0      4    "**\0\0"
 *   4      4    size of the whole record
 *   8      8    record identifier
 *   16     8    written time, FILETIME
 *   24     n    BinXML fragment (evtx_binxml.c), n = size - 28
 *   size-4 4    copy of the size
 *
 * The string and template tables only speed up Windows' own writer: names and templates are
 * reached through the offsets inside the BinXML, so the tables are not read.
 *
 * Damage handling: checksums are verified and counted, never fatal. Chunks are read until the
 * stream ends, whatever the header says. A record with a bad size is skipped and the chunk is
 * searched for the next signature. Past the free space offset (and in chunks whose header is
 * gone) old records survive; they are looked for by signature, size copy and fragment header
 * and delivered flagged XS_EVTX_REC_RECOVERED.
 */
#include "parsers/evtx/evtx_int.h"

#include <stdlib.h>
#include <string.h>

#define FILE_HDR 4096u
#define REC_HDR 24u
#define REC_MIN 32u /* header, a 4-byte fragment header, size copy */

static const uint8_t file_magic[8] = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};
static const uint8_t chunk_magic[8] = {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};

int xs_evtx_sniff(const void *p, size_t n)
{
    return n >= 8 && (memcmp(p, file_magic, 8) == 0 || memcmp(p, chunk_magic, 8) == 0);
}

exs_rc xs_evtx_reader_create(xs_evtx_reader **out, unsigned flags)
{
    if (!out)
        return EXS_EINVAL;
    *out = NULL;
    xs_evtx_reader *r = calloc(1, sizeof *r);
    if (!r)
        return EXS_ENOMEM;
    r->flags = flags;
    r->max_chunks = XS_EVTX_MAX_CHUNKS;
    r->gen = 1;
    r->chunk = malloc(XS_EVTX_CHUNK_SIZE);
    r->cmem = (struct evtx_arena){malloc(XS_EVTX_MAX_CHUNK_MEM), 0, XS_EVTX_MAX_CHUNK_MEM};
    r->scratch = (struct evtx_arena){malloc(XS_EVTX_MAX_SCRATCH), 0, XS_EVTX_MAX_SCRATCH};
    r->rmem = (struct evtx_arena){malloc(XS_EVTX_MAX_RECORD_MEM), 0, XS_EVTX_MAX_RECORD_MEM};
    r->names = calloc(EVTX_NAME_SLOTS, sizeof *r->names);
    r->tpls = calloc(EVTX_TPL_SLOTS, sizeof *r->tpls);
    r->vals = malloc(EVTX_MAX_VALS * sizeof *r->vals);
    exs_rc rc = evtx_out_init(&r->out);
    if (rc || !r->chunk || !r->cmem.base || !r->scratch.base || !r->rmem.base || !r->names ||
        !r->tpls || !r->vals) {
        xs_evtx_reader_destroy(r);
        return EXS_ENOMEM;
    }
    *out = r;
    return EXS_OK;
}

void xs_evtx_reader_set_max_chunks(xs_evtx_reader *r, uint64_t max_chunks)
{
    r->max_chunks = max_chunks ? max_chunks : XS_EVTX_MAX_CHUNKS;
}

void xs_evtx_reader_destroy(xs_evtx_reader *r)
{
    if (!r)
        return;
    evtx_out_free(&r->out);
    free(r->chunk);
    free(r->cmem.base);
    free(r->scratch.base);
    free(r->rmem.base);
    free(r->names);
    free(r->tpls);
    free(r->vals);
    free(r);
}

/* Fills buf with up to n bytes, looping over short reads; *got < n only at end of stream. */
static exs_rc read_full(xs_evtx_read_fn fn, void *ctx, uint8_t *buf, size_t n, size_t *got)
{
    size_t have = 0;
    while (have < n) {
        long k = fn(ctx, buf + have, n - have);
        if (k < 0) {
            *got = have;
            return EXS_EIO;
        }
        if (k == 0)
            break;
        have += (size_t)k > n - have ? n - have : (size_t)k;
    }
    *got = have;
    return EXS_OK;
}

struct run {
    xs_evtx_reader *r;
    xs_evtx_record_fn cb;
    void *cb_ctx;
    uint64_t chunk_index;
    uint32_t rec_flags; /* flags every record of the current chunk gets */
};

static void count_crc(xs_evtx_stats *st, uint64_t *which)
{
    (*which)++;
    st->checksum_errors++;
}

static void file_header(xs_evtx_reader *r, size_t got)
{
    xs_evtx_stats *st = r->st;
    const uint8_t *h = r->chunk;
    st->has_header = 1;
    if (got < 128)
        return;
    st->minor_version = evtx_u16(h + 36);
    st->major_version = evtx_u16(h + 38);
    st->header_chunks = evtx_u16(h + 42);
    uint32_t flags = evtx_u32(h + 120);
    st->dirty = (flags & 1u) != 0;
    st->full = (flags & 2u) != 0;
    if (!(r->flags & XS_EVTX_NO_CRC) && xs_evtx_crc32(0, h, 120) != evtx_u32(h + 124))
        count_crc(st, &st->header_crc_errors);
}

/* Size of a well-formed record at off, else 0. */
static uint32_t record_at(const xs_evtx_reader *r, uint32_t off)
{
    const uint8_t *p = r->chunk + off;
    if (r->clen - off < REC_MIN || memcmp(p, "**\0\0", 4) != 0)
        return 0;
    uint32_t size = evtx_u32(p + 4);
    if (size < REC_MIN || size > r->clen - off || evtx_u32(p + size - 4) != size)
        return 0;
    return size;
}

/* Stricter test for slack space, where leftovers of any kind lie around. */
static uint32_t slack_record_at(const xs_evtx_reader *r, uint32_t off)
{
    uint32_t size = record_at(r, off);
    const uint8_t *b = r->chunk + off + REC_HDR;
    if (!size || b[0] != 0x0f || b[1] != 0x01 || b[2] != 0x01)
        return 0;
    return size;
}

static exs_rc deliver(struct run *ru, uint32_t off, uint32_t size, uint32_t flags)
{
    xs_evtx_reader *r = ru->r;
    xs_evtx_stats *st = r->st;
    int recovered = (flags & XS_EVTX_REC_RECOVERED) != 0;
    if (r->chunk_work == 0) {
        st->limit_hits++;
        return EXS_OK;
    }
    r->rec_off = off;
    r->recovering = (uint8_t)recovered;
    int rc = evtx_render_record(r, r->chunk + off + REC_HDR, r->chunk + off + size - 4);
    if (rc) {
        /* Slack leftovers that do not decode are noise, not damage. */
        if (!recovered) {
            if (rc == EVTX_ELIMIT)
                st->limit_hits++;
            else if (rc == EVTX_ETEMPLATE)
                st->missing_templates++;
            else
                st->bad_records++;
        }
        return EXS_OK;
    }
    xs_evtx_record *rec = &r->out.rec;
    rec->record_id = evtx_u64(r->chunk + off + 8);
    rec->written_ms = xs_evtx_filetime_to_ms(evtx_u64(r->chunk + off + 16));
    if (rec->time_ms == INT64_MIN)
        rec->time_ms = rec->written_ms;
    rec->flags |= flags | ru->rec_flags;
    rec->chunk_index = ru->chunk_index;
    rec->chunk_offset = off;
    st->records++;
    st->recovered += recovered;
    st->truncated_records += (rec->flags & XS_EVTX_REC_TRUNCATED) != 0;
    return ru->cb(ru->cb_ctx, rec);
}

/* Next record signature at or after off that passes test, else clen. */
static uint32_t find_record(const xs_evtx_reader *r, uint32_t off, uint32_t *size,
                            uint32_t (*test)(const xs_evtx_reader *, uint32_t))
{
    while (off + REC_MIN <= r->clen) {
        const uint8_t *q = memchr(r->chunk + off, '*', r->clen - off - REC_MIN + 1);
        if (!q)
            break;
        off = (uint32_t)(q - r->chunk);
        if ((*size = test(r, off)) != 0)
            return off;
        off++;
    }
    return r->clen;
}

static exs_rc scan_slack(struct run *ru, uint32_t off)
{
    xs_evtx_reader *r = ru->r;
    if (r->flags & XS_EVTX_NO_RECOVERY)
        return EXS_OK;
    uint32_t size;
    while ((off = find_record(r, off, &size, slack_record_at)) < r->clen) {
        exs_rc rc = deliver(ru, off, size, XS_EVTX_REC_RECOVERED);
        if (rc)
            return rc;
        off += size;
    }
    return EXS_OK;
}

static int all_zero(const uint8_t *p, size_t n)
{
    return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

static void chunk_begin(struct run *ru, uint32_t len)
{
    xs_evtx_reader *r = ru->r;
    r->clen = len;
    evtx_chunk_caches_reset(r);
    r->chunk_work = XS_EVTX_MAX_CHUNK_WORK;
    ru->rec_flags = 0;
}

static void chunk_checksums(struct run *ru)
{
    xs_evtx_reader *r = ru->r;
    xs_evtx_stats *st = r->st;
    const uint8_t *c = r->chunk;
    if (r->flags & XS_EVTX_NO_CRC)
        return;
    uint32_t h = xs_evtx_crc32(xs_evtx_crc32(0, c, 120), c + 128, EVTX_CHUNK_HDR - 128);
    if (h != evtx_u32(c + 124)) {
        count_crc(st, &st->chunk_crc_errors);
        ru->rec_flags |= XS_EVTX_REC_BAD_CRC;
    }
    uint32_t free_off = evtx_u32(c + 48);
    if (free_off < EVTX_CHUNK_HDR || free_off > r->clen)
        return; /* cut short or nonsense: nothing to compare against */
    if (xs_evtx_crc32(0, c + EVTX_CHUNK_HDR, free_off - EVTX_CHUNK_HDR) != evtx_u32(c + 52)) {
        count_crc(st, &st->data_crc_errors);
        ru->rec_flags |= XS_EVTX_REC_BAD_CRC;
    }
}

static exs_rc chunk_records(struct run *ru)
{
    xs_evtx_reader *r = ru->r;
    uint32_t free_off = evtx_u32(r->chunk + 48);
    uint32_t limit = free_off >= EVTX_CHUNK_HDR && free_off <= r->clen ? free_off : r->clen;
    uint32_t off = EVTX_CHUNK_HDR;
    while (off + REC_MIN <= limit) {
        uint32_t size = record_at(r, off);
        if (!size) {
            /* Nothing but zeros up to the limit is a stale free space offset, not damage. */
            if (all_zero(r->chunk + off, limit - off))
                break;
            uint32_t next = find_record(r, off + 1, &size, record_at);
            /* A record running into the end of a cut-short chunk, with nothing valid after
             * it, is the cut, not damage. */
            if (next >= limit && r->clen < XS_EVTX_CHUNK_SIZE &&
                memcmp(r->chunk + off, "**\0\0", 4) == 0)
                break;
            r->st->bad_records++;
            off = next;
            if (off >= limit)
                break;
        }
        exs_rc rc = deliver(ru, off, size, 0);
        if (rc)
            return rc;
        off += size;
    }
    return scan_slack(ru, off < limit ? limit : off);
}

static exs_rc chunk(struct run *ru, uint32_t len)
{
    xs_evtx_reader *r = ru->r;
    xs_evtx_stats *st = r->st;
    chunk_begin(ru, len);
    if (len < 8 || memcmp(r->chunk, chunk_magic, 8) != 0) {
        if (all_zero(r->chunk, len)) {
            st->chunks_empty++;
            return EXS_OK;
        }
        st->chunks_bad++;
        return len > EVTX_CHUNK_HDR ? scan_slack(ru, EVTX_CHUNK_HDR) : EXS_OK;
    }
    st->chunks++;
    if (st->has_header && ru->chunk_index >= st->header_chunks)
        st->chunks_past_header++;
    if (len < EVTX_CHUNK_HDR)
        return EXS_OK;
    chunk_checksums(ru);
    return chunk_records(ru);
}

exs_rc xs_evtx_reader_run(xs_evtx_reader *r, xs_evtx_read_fn read, void *read_ctx,
                           xs_evtx_record_fn cb, void *cb_ctx, xs_evtx_stats *stats)
{
    xs_evtx_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    if (!r || !read || !cb)
        return EXS_EINVAL;
    r->st = stats;
    struct run ru = {r, cb, cb_ctx, 0, 0};
    size_t got, have = 0;
    exs_rc rc = read_full(read, read_ctx, r->chunk, FILE_HDR, &got);
    stats->bytes += got;
    if (rc)
        return rc;
    if (got >= 8 && memcmp(r->chunk, file_magic, 8) == 0) {
        file_header(r, got);
        if (got < FILE_HDR) {
            stats->truncated = 1;
            return EXS_OK;
        }
    } else if (got >= 8 && memcmp(r->chunk, chunk_magic, 8) == 0) {
        have = got; /* a bare chunk: what was read is its start */
    } else {
        return EXS_EFORMAT;
    }
    for (;; ru.chunk_index++) {
        if (ru.chunk_index >= r->max_chunks) {
            /* a stream that ends right at the cap lost nothing: look for one more byte */
            rc = read_full(read, read_ctx, r->chunk, 1, &got);
            stats->bytes += got;
            if (rc)
                return rc;
            stats->chunk_cap_hit = got != 0;
            break;
        }
        rc = read_full(read, read_ctx, r->chunk + have, XS_EVTX_CHUNK_SIZE - have, &got);
        stats->bytes += got;
        if (rc)
            return rc;
        size_t len = have + got;
        have = 0;
        if (len == 0)
            break;
        if (len < XS_EVTX_CHUNK_SIZE)
            stats->truncated = 1;
        rc = chunk(&ru, (uint32_t)len);
        if (rc)
            return rc;
        if (len < XS_EVTX_CHUNK_SIZE)
            break;
    }
    return EXS_OK;
}
