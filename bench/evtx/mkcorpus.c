/* Seed corpus for fuzz/fuzz_evtx.c, from the test writer (never from third-party logs).
 *
 *   mkcorpus DIR
 *
 * Build (from the worktree root, after make build/libexsweep.a):
 *   cc -std=c17 -O1 -D_GNU_SOURCE -Iinclude -Ilib bench/evtx/mkcorpus.c \
 *      tests/support/evtxwriter.c -o build/mkcorpus && build/mkcorpus fuzz/corpus/fuzz_evtx
 *
 * Seeds are kept small: most are a file header plus only the used part of one chunk (the
 * reader handles a short last chunk), so the fuzzer spends its time in BinXML, not zeros.
 * Variants cover every token type, value types and arrays, nested BinXML, UserData, slack
 * records, a bare chunk, and damaged copies (sizes, offsets, truncations). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tests/support/evtxwriter.h"

#define HDR 4096u
#define CHUNK 65536u
#define T0 1615000000000LL

static const char *dir;

static void save(const char *name, const uint8_t *p, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
        perror(path);
        exit(1);
    }
}

static uint32_t u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The file up to the end of the used part of its first chunk. */
static size_t used(const uint8_t *f, size_t len)
{
    if (len < HDR + 512)
        return len;
    size_t n = HDR + u32(f + HDR + 48);
    return n < len ? n : len;
}

static uint8_t *finish(xs_evtxw *w, size_t *len)
{
    uint8_t *f;
    if (xs_evtxw_finish(w, &f, len)) {
        fprintf(stderr, "writer failed\n");
        exit(1);
    }
    xs_evtxw_destroy(w);
    return f;
}

static void save_used(const char *name, xs_evtxw *w)
{
    size_t len;
    uint8_t *f = finish(w, &len);
    save(name, f, used(f, len));
    free(f);
}

static xs_evtxw_event event(int i, const xs_evtxw_field *d, size_t nd)
{
    xs_evtxw_event ev = {
        .provider = "Microsoft-Windows-Sysmon",
        .channel = "Microsoft-Windows-Sysmon/Operational",
        .computer = "EXCH01",
        .event_id = 1,
        .level = 4,
        .time_ms = T0 + i,
        .data = d,
        .ndata = nd,
    };
    return ev;
}

static const xs_evtxw_field proc[] = {
    {"Image", {.str = "C:\\Windows\\System32\\cmd.exe"}},
    {"CommandLine", {.str = "cmd /c whoami"}},
    {"ParentImage", {.str = "w3wp.exe"}},
    {"ProcessId", {.type = XS_EVTXW_UINT32, .num = 42}},
};

static void seed_mixed(void)
{
    static const xs_evtxw_field ud[] = {{"SubjectUserName", {.str = "admin"}}};
    xs_evtxw *w = xs_evtxw_create();
    for (int i = 0; i < 6; i++) {
        xs_evtxw_event ev = event(i, proc, 4);
        if (i % 3 == 2) {
            ev.event_id = 1102;
            ev.has_qualifiers = 1;
            ev.qualifiers = 16384;
            ev.data = NULL;
            ev.ndata = 0;
            ev.user_root = "LogFileCleared";
            ev.user = ud;
            ev.nuser = 1;
        }
        xs_evtxw_add(w, &ev);
    }
    size_t len;
    uint8_t *f = finish(w, &len);
    size_t n = used(f, len);
    save("mixed", f, n);
    save("mixed-bare-chunk", f + HDR, n - HDR);
    save("mixed-full-chunk", f, len);
    save("mixed-cut-record", f, n - 37);
    uint8_t *g = malloc(n);
    memcpy(g, f, n);
    memcpy(g + HDR + 48, (uint8_t[]){0x00, 0x03, 0, 0}, 4); /* free space inside record 1 */
    xs_evtxw_fix_crcs(g, n);
    save("mixed-slack", g, n);
    memcpy(g, f, n);
    g[HDR + 512 + 4] ^= 0x40; /* record 1 size */
    save("mixed-bad-size", g, n);
    memcpy(g, f, n);
    g[HDR + 512 + 24 + 4 + 6] ^= 0x10; /* record 1 template definition offset */
    save("mixed-bad-template-offset", g, n);
    memcpy(g, f, n);
    memset(g + HDR, 0x41, 512); /* chunk header gone */
    save("mixed-bad-chunk-header", g, n);
    free(g);
    free(f);
}

static void seed_types(void)
{
    static const uint8_t sid[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0};
    static const uint8_t guid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    static const uint8_t st[16] = {0xE5, 0x07, 3, 0, 6, 0, 6, 0, 3, 0, 6, 0, 40, 0, 1, 0};
    static const uint8_t sarr[] = {'a', 0, 0, 0, 'b', 0, 0, 0};
    static const uint8_t u16arr[] = {1, 0, 2, 0, 3, 0};
    static const uint8_t sidarr[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,
                                     1, 1, 0, 0, 0, 0, 0, 5, 19, 0, 0, 0};
    static const uint8_t bad16[] = {0x00, 0xD8, 'x', 0, 0x00, 0xDC};
    const xs_evtxw_field d[] = {
        {"i8", {.type = XS_EVTXW_INT8, .num = 0x80}},
        {"i16", {.type = XS_EVTXW_INT16, .num = 0x8000}},
        {"i32", {.type = XS_EVTXW_INT32, .num = 0x80000000u}},
        {"i64", {.type = XS_EVTXW_INT64, .num = 1ull << 63}},
        {"u8", {.type = XS_EVTXW_UINT8, .num = 255}},
        {"u64", {.type = XS_EVTXW_UINT64, .num = UINT64_MAX}},
        {"r32", {.type = XS_EVTXW_REAL32, .num = 0x3FC00000u}},
        {"r64", {.type = XS_EVTXW_REAL64, .num = 0x4002000000000000ull}},
        {"b", {.type = XS_EVTXW_BOOL, .num = 1}},
        {"bin", {.type = XS_EVTXW_BINARY, .raw = "\xDE\xAD", .raw_len = 2}},
        {"guid", {.type = XS_EVTXW_GUID, .raw = guid, .raw_len = 16}},
        {"sz", {.type = XS_EVTXW_SIZET, .num = 0x1000}},
        {"ft", {.type = XS_EVTXW_FILETIME, .num = 132672697079821281ull}},
        {"st", {.type = XS_EVTXW_SYSTEMTIME, .raw = st, .raw_len = 16}},
        {"sid", {.type = XS_EVTXW_SID, .raw = sid, .raw_len = sizeof sid}},
        {"h32", {.type = XS_EVTXW_HEXINT32, .num = 0x1010}},
        {"h64", {.type = XS_EVTXW_HEXINT64, .num = 0x8000000000000000ull}},
        {"ansi", {.type = XS_EVTXW_ANSI, .str = "ans\xe9"}},
        {"sarr", {.type = XS_EVTXW_STRING | XS_EVTXW_ARRAY, .raw = sarr, .raw_len = sizeof sarr}},
        {"uarr", {.type = XS_EVTXW_UINT16 | XS_EVTXW_ARRAY, .raw = u16arr, .raw_len = 6}},
        {"sidarr", {.type = XS_EVTXW_SID | XS_EVTXW_ARRAY, .raw = sidarr, .raw_len = 24}},
        {"bad16", {.type = XS_EVTXW_STRING, .raw = bad16, .raw_len = sizeof bad16}},
        {"null", {.type = XS_EVTXW_NULL}},
        {NULL, {.str = "unnamed"}},
    };
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_event ev = event(0, d, sizeof d / sizeof d[0]);
    xs_evtxw_add(w, &ev);
    xs_evtxw_add(w, &ev);
    save_used("types", w);
}

static void seed_raw(void)
{
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_raw_begin(w, 1, 1, 4096);
    xs_evtxw_bx_open(w, "Event", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "System", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "Provider", 1);
    xs_evtxw_bx_attr(w, "Name");
    xs_evtxw_bx_text(w, "P");
    xs_evtxw_bx_attr(w, "EventSourceName");
    xs_evtxw_bx_text(w, "S");
    xs_evtxw_bx_close_empty(w);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_open(w, "EventData", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "Data", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_text(w, "t");
    xs_evtxw_bx_bytes(w, "\x08\x41\x00", 3); /* char ref */
    uint32_t at = xs_evtxw_pos(w) + 5;
    xs_evtxw_bx_bytes(w, "\x09", 1); /* entity ref, inline name */
    xs_evtxw_bx_bytes(w, &at, 4);
    xs_evtxw_bx_bytes(w, "\0\0\0\0\0\0\2\0l\0t\0\0\0", 14);
    xs_evtxw_bx_bytes(w, "\x07\x01\0c\0", 5); /* CDATA */
    at = xs_evtxw_pos(w) + 5;
    xs_evtxw_bx_bytes(w, "\x0a", 1); /* PI target + data */
    xs_evtxw_bx_bytes(w, &at, 4);
    xs_evtxw_bx_bytes(w, "\0\0\0\0\0\0\2\0p\0i\0\0\0", 14);
    xs_evtxw_bx_bytes(w, "\x0b\x01\0d\0", 5);
    xs_evtxw_bx_bytes(w, "\x05\x04\x07", 3); /* typed value token */
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    xs_evtxw_raw_end(w);
    save_used("raw-tokens", w);
}

static void seed_nested(void)
{
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_raw_begin(w, 1, 1, 4096);
    uint32_t def = xs_evtxw_bx_template_begin(w);
    xs_evtxw_bx_open(w, "Event", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "EventData", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_subst(w, 0, XS_EVTXW_BINXML, 1);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_template_end(w);
    uint8_t in[64] = {0x0f, 1, 1, 0, 0x0c, 1, 0, 0, 0, 0};
    memcpy(in + 10, &def, 4);
    memcpy(in + 14, "\1\0\0\0\4\0\1\0x\0y\0\0", 13);
    uint32_t one = 1;
    uint16_t sz = 27;
    xs_evtxw_bx_bytes(w, &one, 4);
    xs_evtxw_bx_bytes(w, &sz, 2);
    xs_evtxw_bx_bytes(w, "\x21\0", 2);
    xs_evtxw_bx_bytes(w, in, 27);
    xs_evtxw_raw_end(w);
    save_used("nested-binxml", w);
}

static void seed_deep(void)
{
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_raw_begin(w, 1, 1, 4096);
    for (int i = 0; i < 70; i++) {
        xs_evtxw_bx_open(w, "E", 0);
        xs_evtxw_bx_close_start(w);
    }
    for (int i = 0; i < 70; i++)
        xs_evtxw_bx_end(w);
    xs_evtxw_raw_end(w);
    save_used("deep", w);
}

static void seed_two_chunks(void)
{
    xs_evtxw *w = xs_evtxw_create();
    for (int i = 0; i < 3; i++) {
        xs_evtxw_event ev = event(i, proc, 4);
        xs_evtxw_add(w, &ev);
    }
    xs_evtxw_new_chunk(w);
    for (int i = 3; i < 5; i++) {
        xs_evtxw_event ev = event(i, proc, 2);
        xs_evtxw_add(w, &ev);
    }
    size_t len;
    uint8_t *f = finish(w, &len);
    size_t n = HDR + CHUNK + u32(f + HDR + CHUNK + 48);
    save("two-chunks", f, n);
    f[42] = 1; /* stale chunk count */
    f[120] = 1;
    xs_evtxw_fix_crcs(f, len);
    save("two-chunks-dirty", f, n);
    free(f);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkcorpus DIR\n");
        return 2;
    }
    dir = argv[1];
    seed_mixed();
    seed_types();
    seed_raw();
    seed_nested();
    seed_deep();
    seed_two_chunks();
    save("empty", (const uint8_t *)"", 0);
    save("header-only", (const uint8_t *)"ElfFile", 8);
    return 0;
}
