/* EVTX reader: exact expectations on files from tests/support/evtxwriter, damage of every
 * kind, and the caps themselves. Third-party logs are never used here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/limits.h"
#include "../support/evtxwriter.h"
#include "parsers/evtx/evtx.h"
#include "parsers/evtx/evtx_int.h"

#define T0 1615000000000LL /* 2021-03-06T03:06:40Z */
#define FILE_HDR 4096u
#define CHUNK 65536u

/* ---- input ---- */

struct mem {
    const uint8_t *p;
    size_t n, off, step;
    long fail_at; /* -1: never */
};

static long mem_read(void *ctx, void *buf, size_t n)
{
    struct mem *m = ctx;
    if (m->fail_at >= 0 && m->off >= (size_t)m->fail_at)
        return -1;
    size_t k = m->n - m->off;
    if (k > n)
        k = n;
    if (m->step && k > m->step)
        k = m->step;
    memcpy(buf, m->p + m->off, k);
    m->off += k;
    return (long)k;
}

/* ---- output ---- */

struct rec {
    xs_evtx_record r; /* strings below replace the callback-lifetime pointers */
    char *prov, *chan, *comp, *text;
    char **names, **vals;
};

struct coll {
    struct rec *v;
    size_t n, cap;
    size_t stop_at; /* 0: never stop */
};

static char *sdup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    assert_non_null(d);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static exs_rc collect(void *ctx, const xs_evtx_record *rec)
{
    struct coll *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        assert_non_null(c->v);
    }
    struct rec *x = &c->v[c->n++];
    x->r = *rec;
    assert_int_equal(strlen(rec->provider), rec->provider_len);
    assert_int_equal(strlen(rec->channel), rec->channel_len);
    assert_int_equal(strlen(rec->computer), rec->computer_len);
    x->prov = sdup(rec->provider, rec->provider_len);
    x->chan = sdup(rec->channel, rec->channel_len);
    x->comp = sdup(rec->computer, rec->computer_len);
    x->text = sdup(rec->text, rec->text_len);
    x->names = calloc(rec->nfields + 1, sizeof *x->names);
    x->vals = calloc(rec->nfields + 1, sizeof *x->vals);
    assert_non_null(x->names);
    assert_non_null(x->vals);
    for (size_t i = 0; i < rec->nfields; i++) {
        assert_int_equal(strlen(rec->fields[i].name), rec->fields[i].name_len);
        assert_int_equal(strlen(rec->fields[i].value), rec->fields[i].value_len);
        x->names[i] = sdup(rec->fields[i].name, rec->fields[i].name_len);
        x->vals[i] = sdup(rec->fields[i].value, rec->fields[i].value_len);
    }
    if (c->stop_at && c->n == c->stop_at)
        return EXS_ELIMIT;
    return EXS_OK;
}

static void coll_free(struct coll *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct rec *x = &c->v[i];
        for (size_t k = 0; k < x->r.nfields; k++) {
            free(x->names[k]);
            free(x->vals[k]);
        }
        free(x->names);
        free(x->vals);
        free(x->prov);
        free(x->chan);
        free(x->comp);
        free(x->text);
    }
    free(c->v);
    memset(c, 0, sizeof *c);
}

static const char *field(const struct rec *x, const char *name)
{
    for (size_t i = 0; i < x->r.nfields; i++)
        if (strcmp(x->names[i], name) == 0)
            return x->vals[i];
    return NULL;
}

static exs_rc run_with(xs_evtx_reader *r, const uint8_t *p, size_t n, struct coll *c,
                       xs_evtx_stats *st)
{
    struct mem m = {p, n, 0, 0, -1};
    return xs_evtx_reader_run(r, mem_read, &m, collect, c, st);
}

static exs_rc run_mem(const uint8_t *p, size_t n, unsigned flags, struct coll *c,
                      xs_evtx_stats *st)
{
    xs_evtx_reader *r;
    assert_int_equal(xs_evtx_reader_create(&r, flags), EXS_OK);
    exs_rc rc = run_with(r, p, n, c, st);
    xs_evtx_reader_destroy(r);
    return rc;
}

static int valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = p[i] < 0x80             ? 1
                   : (p[i] & 0xE0) == 0xC0 ? 2
                   : (p[i] & 0xF0) == 0xE0 ? 3
                   : (p[i] & 0xF8) == 0xF0 ? 4
                                           : 0;
        if (!k || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}

/* ---- files ---- */

/* Starts a raw record (no template) and opens <Event><System>. */
static void raw_system_begin(xs_evtxw *w, uint64_t record_id, uint64_t filetime)
{
    assert_int_equal(xs_evtxw_raw_begin(w, record_id, filetime, 4096), 0);
    xs_evtxw_bx_open(w, "Event", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "System", 0);
    xs_evtxw_bx_close_start(w);
}

/* <TimeCreated SystemTime="text"/>: the time as text, not as a FILETIME value. */
static void bx_time_created(xs_evtxw *w, const char *text)
{
    xs_evtxw_bx_open(w, "TimeCreated", 1);
    xs_evtxw_bx_attr(w, "SystemTime");
    xs_evtxw_bx_text(w, text);
    xs_evtxw_bx_close_empty(w);
}

static const xs_evtxw_field proc_fields[] = {
    {"RuleName", {.str = ""}},
    {"Image", {.str = "C:\\Windows\\System32\\cmd.exe"}},
    {"CommandLine", {.str = "cmd.exe /c whoami"}},
    {"ParentImage", {.str = "C:\\Windows\\System32\\inetsrv\\w3wp.exe"}},
    {"ProcessId", {.type = XS_EVTXW_UINT32, .num = 4242}},
};

static xs_evtxw_event proc_event(int i)
{
    xs_evtxw_event ev = {
        .provider = "Microsoft-Windows-Sysmon",
        .channel = "Microsoft-Windows-Sysmon/Operational",
        .computer = "EXCH01.corp.local",
        .event_id = 1,
        .level = 4,
        .time_ms = T0 + i * 1000LL,
        .data = proc_fields,
        .ndata = sizeof proc_fields / sizeof proc_fields[0],
    };
    return ev;
}

/* n process events (and every 3rd a log-clear with UserData when mixed). */
static uint8_t *make_file(int n, int mixed, size_t *len)
{
    static const xs_evtxw_field ud[] = {
        {"SubjectUserName", {.str = "admin"}},
        {"SubjectDomainName", {.str = "CORP"}},
    };
    xs_evtxw *w = xs_evtxw_create();
    assert_non_null(w);
    for (int i = 0; i < n; i++) {
        xs_evtxw_event ev = proc_event(i);
        if (mixed && i % 3 == 2) {
            ev.provider = "Microsoft-Windows-Eventlog";
            ev.channel = "Security";
            ev.event_id = 1102;
            ev.data = NULL;
            ev.ndata = 0;
            ev.user_root = "LogFileCleared";
            ev.user = ud;
            ev.nuser = 2;
        }
        assert_int_equal(xs_evtxw_add(w, &ev), 0);
    }
    uint8_t *f;
    assert_int_equal(xs_evtxw_finish(w, &f, len), 0);
    xs_evtxw_destroy(w);
    return f;
}

static uint8_t *finish(xs_evtxw *w, size_t *len)
{
    uint8_t *f = xs_evtxw_take(w, len);
    assert_non_null(f);
    return f;
}

/* File offsets just past each record, in file order, from the chunks' own bookkeeping. */
static size_t record_ends(const uint8_t *f, size_t len, size_t *ends, size_t max)
{
    size_t n = 0;
    for (size_t c = FILE_HDR; c + CHUNK <= len; c += CHUNK) {
        uint32_t free_off = evtx_u32(f + c + 48);
        for (uint32_t off = 512; off < free_off && n < max; off += evtx_u32(f + c + off + 4))
            ends[n++] = c + off + evtx_u32(f + c + off + 4);
    }
    return n;
}

/* ---- tests ---- */

static void test_sniff(void **state)
{
    (void)state;
    assert_true(xs_evtx_sniff("ElfFile\0xyz", 11));
    assert_true(xs_evtx_sniff("ElfChnk\0", 8));
    assert_false(xs_evtx_sniff("ElfFile", 7));
    assert_false(xs_evtx_sniff("ElfFilE\0", 8));
    assert_false(xs_evtx_sniff("", 0));
    assert_false(xs_evtx_sniff("MZ\x90\0\3\0\0\0\4\0", 10));
}

static void test_filetime_and_crc(void **state)
{
    (void)state;
    assert_int_equal(xs_evtx_filetime_to_ms(116444736000000000ull), 0);
    assert_int_equal(xs_evtx_filetime_to_ms(xs_evtxw_filetime(T0)), T0);
    assert_int_equal(xs_evtx_filetime_to_ms(0), INT64_MIN); /* no time */
    assert_int_equal(xs_evtx_filetime_to_ms(1), -11644473600000LL);
    assert_int_equal(xs_evtx_crc32(0, "123456789", 9), 0xCBF43926u);
    uint8_t buf[5000];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 131 + (i >> 7));
    for (size_t n = 0; n < 700; n += 3)
        for (size_t o = 0; o < 3; o++)
            assert_int_equal(xs_evtx_crc32(0, buf + o, n), evtx_crc32_portable(0, buf + o, n));
    uint32_t c = xs_evtx_crc32(xs_evtx_crc32(0, buf, 1234), buf + 1234, sizeof buf - 1234);
    assert_int_equal(c, evtx_crc32_portable(0, buf, sizeof buf));
}

static void test_fields_exact(void **state)
{
    (void)state;
    size_t len;
    uint8_t *f = make_file(3, 1, &len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(c.n, 3);
    assert_int_equal(st.records, 3);
    assert_int_equal(st.chunks, 1);
    assert_int_equal(st.checksum_errors, 0);
    assert_int_equal(st.bad_records + st.missing_templates + st.limit_hits, 0);
    assert_int_equal(st.name_hash_errors, 0); /* the writer hashes names as Windows does */
    assert_int_equal(st.has_header, 1);
    assert_int_equal(st.major_version, 3);
    assert_int_equal(st.minor_version, 1);

    struct rec *x = &c.v[0];
    assert_int_equal(x->r.record_id, 1);
    assert_int_equal(x->r.event_record_id, 1);
    assert_int_equal(x->r.time_ms, T0);
    assert_int_equal(x->r.written_ms, T0);
    assert_int_equal(x->r.event_id, 1);
    assert_int_equal(x->r.has_qualifiers, 0);
    assert_int_equal(x->r.level, 4);
    assert_int_equal(x->r.flags, 0);
    assert_int_equal(x->r.chunk_index, 0);
    assert_int_equal(x->r.chunk_offset, 512);
    assert_string_equal(x->prov, "Microsoft-Windows-Sysmon");
    assert_string_equal(x->chan, "Microsoft-Windows-Sysmon/Operational");
    assert_string_equal(x->comp, "EXCH01.corp.local");
    assert_int_equal(x->r.nfields, 5);
    assert_string_equal(x->names[0], "RuleName");
    assert_string_equal(x->vals[0], "");
    assert_string_equal(x->names[2], "CommandLine");
    assert_string_equal(x->vals[2], "cmd.exe /c whoami");
    assert_string_equal(field(x, "ParentImage"), "C:\\Windows\\System32\\inetsrv\\w3wp.exe");
    assert_string_equal(field(x, "ProcessId"), "4242");
    assert_string_equal(
        x->text, "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
                 "<Provider Name=\"Microsoft-Windows-Sysmon\"/><EventID>1</EventID><Level>4</Level>"
                 "<TimeCreated SystemTime=\"2021-03-06T03:06:40.0000000Z\"/>"
                 "<EventRecordID>1</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational"
                 "</Channel><Computer>EXCH01.corp.local</Computer></System><EventData>"
                 "<Data Name=\"RuleName\"></Data>"
                 "<Data Name=\"Image\">C:\\Windows\\System32\\cmd.exe</Data>"
                 "<Data Name=\"CommandLine\">cmd.exe /c whoami</Data>"
                 "<Data Name=\"ParentImage\">C:\\Windows\\System32\\inetsrv\\w3wp.exe</Data>"
                 "<Data Name=\"ProcessId\">4242</Data></EventData></Event>");
    assert_int_equal(c.v[1].r.time_ms, T0 + 1000);
    assert_int_equal(c.v[1].r.record_id, 2);

    x = &c.v[2]; /* UserData, through a nested BinXML value holding its own template */
    assert_int_equal(x->r.event_id, 1102);
    assert_string_equal(x->prov, "Microsoft-Windows-Eventlog");
    assert_string_equal(x->chan, "Security");
    assert_int_equal(x->r.nfields, 2);
    assert_string_equal(x->names[0], "SubjectUserName");
    assert_string_equal(x->vals[0], "admin");
    assert_string_equal(x->names[1], "SubjectDomainName");
    assert_string_equal(x->vals[1], "CORP");
    assert_non_null(strstr(x->text, "<UserData><LogFileCleared xmlns=\""));
    assert_non_null(strstr(x->text, "<SubjectUserName>admin</SubjectUserName>"));
    coll_free(&c);
    free(f);
}

static void test_qualifiers_and_times(void **state)
{
    (void)state;
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_event ev = proc_event(0);
    ev.provider = "MSExchange CmdletLogs";
    ev.channel = "MSExchange Management";
    ev.event_id = 6;
    ev.has_qualifiers = 1;
    ev.qualifiers = 49152;
    ev.level = 2;
    ev.filetime = 132672697079821281ull; /* 2021-06-04T08:41:47.9821281Z */
    ev.record_id = 7184;
    assert_int_equal(xs_evtxw_add(w, &ev), 0);
    /* FILETIME 0 in TimeCreated and in the record header: no time at all */
    ev.filetime = 0;
    ev.time_ms = -11644473600000LL;
    assert_int_equal(xs_evtxw_add(w, &ev), 0);
    /* a zero TimeCreated written as text: the header's written time stands in */
    raw_system_begin(w, 0, xs_evtxw_filetime(T0));
    bx_time_created(w, "1601-01-01T00:00:00.0000000Z");
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
    size_t len;
    uint8_t *f = finish(w, &len);
    struct coll c = {0};
    assert_int_equal(run_mem(f, len, 0, &c, NULL), EXS_OK);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.v[1].r.time_ms, INT64_MIN);
    assert_int_equal(c.v[1].r.written_ms, INT64_MIN);
    assert_non_null(strstr(c.v[1].text, "SystemTime=\"1601-01-01T00:00:00.0000000Z\""));
    assert_int_equal(c.v[2].r.time_ms, T0);
    assert_int_equal(c.v[0].r.event_id, 6);
    assert_int_equal(c.v[0].r.has_qualifiers, 1);
    assert_int_equal(c.v[0].r.qualifiers, 49152);
    assert_int_equal(c.v[0].r.level, 2);
    assert_int_equal(c.v[0].r.record_id, 7184);
    assert_int_equal(c.v[0].r.event_record_id, 7184);
    assert_int_equal(c.v[0].r.time_ms, 1622796107982LL);
    assert_non_null(strstr(c.v[0].text, "<EventID Qualifiers=\"49152\">6</EventID>"));
    assert_non_null(strstr(c.v[0].text, "SystemTime=\"2021-06-04T08:41:47.9821281Z\""));
    coll_free(&c);
    free(f);
}

static void test_value_types(void **state)
{
    (void)state;
    static const uint8_t sid[] = {1,    5, 0, 0, 0, 0, 0, 5, 21, 0, 0,    0, 0x56, 0x34,
                                  0x12, 0, 1, 0, 0, 0, 2, 0, 0,  0, 0xF4, 1, 0,    0};
    static const uint8_t guid[] = {0x5F, 0x38, 0x70, 0x57, 0x2A, 0xC2, 0xE0, 0x43,
                                   0xBF, 0x4C, 0x06, 0xF5, 0x69, 0x8F, 0xFB, 0xD9};
    static const uint8_t bin[] = {0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01};
    static const uint8_t st[] = {0xE5, 0x07, 3, 0, 6, 0, 6, 0, 3, 0, 6, 0, 40, 0, 0x7B, 0};
    static const uint8_t sarr[] = {'a', 0, 0, 0, 'b', 0, 0, 0, 'c', 0, 0, 0, 0, 0}; /* a b c "" */
    static const uint8_t uarr[] = {1, 0, 0, 0, 2, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF};
    static const uint8_t bad16[] = {'A',  0,    0x00, 0xD8, 'B',  0,   0x3D,
                                    0xD8, 0x00, 0xDE, 0x00, 0xDC, 'C', 0};
    static const uint8_t nul16[] = {'x', 0, 0, 0, 'y', 0};
    double d = 2.25;
    float fl = 1.5f;
    uint64_t dbits;
    uint32_t fbits;
    memcpy(&dbits, &d, 8);
    memcpy(&fbits, &fl, 4);
    const xs_evtxw_field data[] = {
        {"i8", {.type = XS_EVTXW_INT8, .num = (uint8_t)-5}},
        {"u8", {.type = XS_EVTXW_UINT8, .num = 250}},
        {"i16", {.type = XS_EVTXW_INT16, .num = (uint16_t)-300}},
        {"u16", {.type = XS_EVTXW_UINT16, .num = 65535}},
        {"i32", {.type = XS_EVTXW_INT32, .num = (uint32_t)-70000}},
        {"u32", {.type = XS_EVTXW_UINT32, .num = 4000000000u}},
        {"i64", {.type = XS_EVTXW_INT64, .num = (uint64_t)-5000000000000LL}},
        {"u64", {.type = XS_EVTXW_UINT64, .num = UINT64_MAX}},
        {"r32", {.type = XS_EVTXW_REAL32, .num = fbits}},
        {"r64", {.type = XS_EVTXW_REAL64, .num = dbits}},
        {"bt", {.type = XS_EVTXW_BOOL, .num = 1}},
        {"bf", {.type = XS_EVTXW_BOOL, .num = 0}},
        {"bin", {.type = XS_EVTXW_BINARY, .raw = bin, .raw_len = sizeof bin}},
        {"guid", {.type = XS_EVTXW_GUID, .raw = guid, .raw_len = sizeof guid}},
        {"size", {.type = XS_EVTXW_SIZET, .num = 0x7ffe0000}},
        {"ft", {.type = XS_EVTXW_FILETIME, .num = 132672697079821281ull}},
        {"st", {.type = XS_EVTXW_SYSTEMTIME, .raw = st, .raw_len = sizeof st}},
        {"sid", {.type = XS_EVTXW_SID, .raw = sid, .raw_len = sizeof sid}},
        {"h32", {.type = XS_EVTXW_HEXINT32, .num = 0x1fffff}},
        {"h64", {.type = XS_EVTXW_HEXINT64, .num = 0x8020000000000000ull}},
        {"ansi", {.type = XS_EVTXW_ANSI, .str = "caf\xe9"}},
        {"utf", {.str = "日本語 \xF0\x9F\x98\x80 é"}},
        {"bad16", {.type = XS_EVTXW_STRING, .raw = bad16, .raw_len = sizeof bad16}},
        {"nul16", {.type = XS_EVTXW_STRING, .raw = nul16, .raw_len = sizeof nul16}},
        {"sarr", {.type = XS_EVTXW_STRING | XS_EVTXW_ARRAY, .raw = sarr, .raw_len = sizeof sarr}},
        {"uarr", {.type = XS_EVTXW_UINT32 | XS_EVTXW_ARRAY, .raw = uarr, .raw_len = sizeof uarr}},
        {"null", {.type = XS_EVTXW_NULL}},
        {NULL, {.str = "unnamed"}},
        {"last", {.str = "end"}},
    };
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_event ev = proc_event(0);
    ev.data = data;
    ev.ndata = sizeof data / sizeof data[0];
    assert_int_equal(xs_evtxw_add(w, &ev), 0);
    size_t len;
    uint8_t *f = finish(w, &len);
    struct coll c = {0};
    assert_int_equal(run_mem(f, len, 0, &c, NULL), EXS_OK);
    assert_int_equal(c.n, 1);
    struct rec *x = &c.v[0];
    static const char *const want[][2] = {
        {"i8", "-5"},
        {"u8", "250"},
        {"i16", "-300"},
        {"u16", "65535"},
        {"i32", "-70000"},
        {"u32", "4000000000"},
        {"i64", "-5000000000000"},
        {"u64", "18446744073709551615"},
        {"r32", "1.5"},
        {"r64", "2.25"},
        {"bt", "true"},
        {"bf", "false"},
        {"bin", "DEADBEEF0001"},
        {"guid", "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"},
        {"size", "0x7ffe0000"},
        {"ft", "2021-06-04T08:41:47.9821281Z"},
        {"st", "2021-03-06T03:06:40.123Z"},
        {"sid", "S-1-5-21-1193046-1-2-500"},
        {"h32", "0x1fffff"},
        {"h64", "0x8020000000000000"},
        {"ansi", "caf\xc3\xa9"},
        {"utf", "日本語 \xF0\x9F\x98\x80 é"},
        {"bad16", "A\xEF\xBF\xBD"
                  "B\xF0\x9F\x98\x80\xEF\xBF\xBD"
                  "C"},
        {"nul16", "x"},
        {"null", ""},
        {"Data", "unnamed"},
        {"last", "end"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *v = field(x, want[i][0]);
        if (!v || strcmp(v, want[i][1]) != 0)
            fail_msg("field %s: got \"%s\", want \"%s\"", want[i][0], v ? v : "(none)", want[i][1]);
    }
    /* Arrays in element content: one element (and one field) per item, as Windows renders. */
    size_t ns = 0, nu = 0;
    const char *sv[4] = {0}, *uv[4] = {0};
    for (size_t i = 0; i < x->r.nfields; i++) {
        if (strcmp(x->names[i], "sarr") == 0 && ns < 4)
            sv[ns++] = x->vals[i];
        if (strcmp(x->names[i], "uarr") == 0 && nu < 4)
            uv[nu++] = x->vals[i];
    }
    assert_int_equal(ns, 4);
    assert_string_equal(sv[0], "a");
    assert_string_equal(sv[1], "b");
    assert_string_equal(sv[2], "c");
    assert_string_equal(sv[3], "");
    assert_int_equal(nu, 3);
    assert_string_equal(uv[2], "4294967295");
    assert_non_null(strstr(x->text, "<Data Name=\"sarr\">a</Data><Data Name=\"sarr\">b</Data>"));
    assert_true(valid_utf8(x->text, x->r.text_len));
    coll_free(&c);
    free(f);
}

static void test_template_reuse(void **state)
{
    (void)state;
    size_t len;
    uint8_t *f = make_file(100, 0, &len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 100);
    assert_int_equal(st.chunks, 1);
    assert_int_equal(st.templates, 1); /* defined by the first record, reused by 99 */
    for (size_t i = 0; i < c.n; i++) {
        assert_int_equal(c.v[i].r.record_id, i + 1);
        assert_string_equal(field(&c.v[i], "CommandLine"), "cmd.exe /c whoami");
    }
    /* the first record carries the definition, so it is the longest */
    assert_true(c.v[1].r.chunk_offset - c.v[0].r.chunk_offset >
                c.v[2].r.chunk_offset - c.v[1].r.chunk_offset);
    coll_free(&c);
    free(f);

    f = make_file(30, 1, &len); /* two event shapes + the UserData inner template */
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 30);
    assert_int_equal(st.templates, 3);
    coll_free(&c);
    free(f);
}

static void test_many_chunks(void **state)
{
    (void)state;
    size_t len;
    uint8_t *f = make_file(3000, 1, &len);
    assert_true(len > FILE_HDR + 5 * CHUNK);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 3000);
    assert_int_equal(st.chunks, (len - FILE_HDR) / CHUNK);
    assert_int_equal(st.header_chunks, st.chunks);
    assert_int_equal(st.chunks_past_header, 0);
    assert_int_equal(st.templates, 3 * st.chunks); /* templates are per chunk */
    for (size_t i = 0; i < c.n; i++) {
        assert_int_equal(c.v[i].r.record_id, i + 1);
        assert_int_equal(c.v[i].r.time_ms, T0 + (int64_t)i * 1000);
    }
    assert_int_equal(c.v[2999].r.chunk_index, st.chunks - 1);
    coll_free(&c);

    /* Short reads of every size give the same records. */
    xs_evtx_reader *r;
    assert_int_equal(xs_evtx_reader_create(&r, 0), EXS_OK);
    static const size_t steps[] = {1, 7, 4095, 65537};
    for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
        struct mem m = {f, len, 0, steps[s], -1};
        assert_int_equal(xs_evtx_reader_run(r, mem_read, &m, collect, &c, &st), EXS_OK);
        assert_int_equal(c.n, 3000);
        assert_string_equal(field(&c.v[2998], "Image"), "C:\\Windows\\System32\\cmd.exe");
        coll_free(&c);
    }
    /* A read error stops the run with EXS_EIO and keeps what was read. */
    struct mem m = {f, len, 0, 0, (long)(FILE_HDR + 2 * CHUNK + 100)};
    assert_int_equal(xs_evtx_reader_run(r, mem_read, &m, collect, &c, &st), EXS_EIO);
    assert_true(c.n > 0 && c.n < 3000);
    coll_free(&c);
    /* The callback can stop the run. */
    c.stop_at = 5;
    assert_int_equal(run_with(r, f, len, &c, &st), EXS_ELIMIT);
    assert_int_equal(c.n, 5);
    coll_free(&c);
    xs_evtx_reader_destroy(r);
    free(f);
}

static void test_checksums(void **state)
{
    (void)state;
    size_t len;
    uint8_t *f = make_file(400, 0, &len); /* 2+ chunks */
    uint8_t *g = malloc(len);
    assert_non_null(g);
    struct coll c = {0};
    xs_evtx_stats st;

    memcpy(g, f, len);
    g[100] ^= 1; /* file header, inside the checksummed 120 bytes */
    assert_int_equal(run_mem(g, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.header_crc_errors, 1);
    assert_int_equal(st.checksum_errors, 1);
    assert_int_equal(st.records, 400);
    coll_free(&c);

    memcpy(g, f, len);
    g[FILE_HDR + 124] ^= 0xFF; /* chunk 0 header CRC */
    assert_int_equal(run_mem(g, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.chunk_crc_errors, 1);
    assert_int_equal(st.records, 400);
    assert_true(c.v[0].r.flags & XS_EVTX_REC_BAD_CRC);
    assert_false(c.v[399].r.flags & XS_EVTX_REC_BAD_CRC);
    coll_free(&c);

    /* A changed character in a value: data CRC fails, the (changed) data is still used. */
    memcpy(g, f, len);
    uint8_t *hit = memmem(g + FILE_HDR + 2000, CHUNK, "w\0h\0o\0a\0m\0i\0", 12);
    assert_non_null(hit);
    hit[0] = 'W';
    assert_int_equal(run_mem(g, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.data_crc_errors, 1);
    assert_int_equal(st.checksum_errors, 1);
    assert_int_equal(st.records, 400);
    size_t changed = 0;
    for (size_t i = 0; i < c.n; i++)
        changed += strcmp(field(&c.v[i], "CommandLine"), "cmd.exe /c Whoami") == 0;
    assert_int_equal(changed, 1);
    coll_free(&c);

    /* NO_CRC skips the checks altogether. */
    assert_int_equal(run_mem(g, len, XS_EVTX_NO_CRC, &c, &st), EXS_OK);
    assert_int_equal(st.checksum_errors, 0);
    assert_int_equal(st.records, 400);
    coll_free(&c);
    free(g);
    free(f);
}

static void test_dirty_header(void **state)
{
    (void)state;
    size_t len;
    uint8_t *f = make_file(1200, 0, &len);
    uint32_t nchunks = (uint32_t)((len - FILE_HDR) / CHUNK);
    assert_true(nchunks >= 3);
    f[42] = 1; /* stale chunk count, as in a log copied while open */
    f[43] = 0;
    f[120] |= 1; /* dirty */
    xs_evtxw_fix_crcs(f, len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.dirty, 1);
    assert_int_equal(st.header_chunks, 1);
    assert_int_equal(st.chunks, nchunks);
    assert_int_equal(st.chunks_past_header, nchunks - 1);
    assert_int_equal(st.records, 1200);
    assert_int_equal(st.checksum_errors, 0);
    coll_free(&c);

    /* Pre-allocated zero chunks at the end are counted, not errors. */
    uint8_t *g = calloc(1, len + 2 * CHUNK);
    assert_non_null(g);
    memcpy(g, f, len);
    assert_int_equal(run_mem(g, len + 2 * CHUNK, 0, &c, &st), EXS_OK);
    assert_int_equal(st.chunks_empty, 2);
    assert_int_equal(st.records, 1200);
    assert_int_equal(st.truncated, 0);
    coll_free(&c);

    /* A stream that is only chunks (no file header) reads the same. */
    assert_int_equal(run_mem(f + FILE_HDR, len - FILE_HDR, 0, &c, &st), EXS_OK);
    assert_int_equal(st.has_header, 0);
    assert_int_equal(st.records, 1200);
    coll_free(&c);
    free(g);
    free(f);
}

static void test_truncated_everywhere(void **state)
{
    (void)state;
    size_t len;
    uint8_t *f = make_file(500, 1, &len);
    size_t ends[600];
    size_t nrec = record_ends(f, len, ends, 600);
    assert_int_equal(nrec, 500);
    xs_evtx_reader *r;
    assert_int_equal(xs_evtx_reader_create(&r, 0), EXS_OK);
    struct coll c = {0};
    xs_evtx_stats st;
    for (size_t cut = 0; cut <= len; cut += cut < FILE_HDR + 1024 ? 37 : 211) {
        exs_rc rc = run_with(r, f, cut, &c, &st);
        if (cut < 8) {
            assert_int_equal(rc, EXS_EFORMAT);
        } else {
            assert_int_equal(rc, EXS_OK);
            size_t want = 0;
            while (want < nrec && ends[want] <= cut)
                want++;
            if (c.n != want)
                fail_msg("cut at %zu: %zu records, want %zu", cut, c.n, want);
            assert_int_equal(st.truncated, cut != len && (cut - FILE_HDR) % CHUNK != 0);
            assert_int_equal(st.bad_records + st.missing_templates + st.limit_hits, 0);
            assert_int_equal(st.checksum_errors, 0);
        }
        for (size_t i = 0; i < c.n; i++)
            assert_int_equal(c.v[i].r.record_id, i + 1);
        coll_free(&c);
    }
    xs_evtx_reader_destroy(r);
    free(f);
}

static void test_bad_record_size(void **state)
{
    (void)state;
    size_t len;
    uint8_t *f = make_file(10, 0, &len);
    size_t ends[10];
    assert_int_equal(record_ends(f, len, ends, 10), 10);
    /* record 5 starts where record 4 ends: break its size (and its size copy check) */
    uint8_t *r5 = f + ends[3];
    assert_memory_equal(r5, "**\0\0", 4);
    r5[4] = 0xFF;
    r5[5] = 0xFF;
    xs_evtxw_fix_crcs(f, len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.bad_records, 1);
    assert_int_equal(st.records, 9);
    for (size_t i = 0; i < c.n; i++)
        assert_int_equal(c.v[i].r.record_id, i < 4 ? i + 1 : i + 2);
    coll_free(&c);
    free(f);
}

static void test_slack_recovery(void **state)
{
    (void)state;
    size_t len;
    uint8_t *f = make_file(5, 0, &len);
    size_t ends[5];
    assert_int_equal(record_ends(f, len, ends, 5), 5);
    /* Records 4 and 5 become free space: what a reused or cleared chunk leaves behind. */
    uint8_t *ch = f + FILE_HDR;
    uint32_t r4 = (uint32_t)(ends[2] - FILE_HDR);
    memcpy(ch + 48, &r4, 4);
    uint32_t r3 = (uint32_t)(ends[1] - FILE_HDR);
    memcpy(ch + 44, &r3, 4);
    xs_evtxw_fix_crcs(f, len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 5);
    assert_int_equal(st.recovered, 2);
    assert_int_equal(st.checksum_errors, 0);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(c.v[i].r.record_id, i + 1);
        assert_int_equal((c.v[i].r.flags & XS_EVTX_REC_RECOVERED) != 0, i >= 3);
        assert_string_equal(field(&c.v[i], "CommandLine"), "cmd.exe /c whoami");
    }
    coll_free(&c);
    assert_int_equal(run_mem(f, len, XS_EVTX_NO_RECOVERY, &c, &st), EXS_OK);
    assert_int_equal(st.records, 3);
    coll_free(&c);

    /* A name whose stored hash is wrong: live records use it, slack records (where names
     * are often other bytes by now) are dropped. */
    uint8_t *g = malloc(len);
    assert_non_null(g);
    memcpy(g, f, len);
    /* the element name Computer (Data names are attribute values, not names) */
    uint8_t *nm = memmem(g + FILE_HDR, CHUNK, "\x08\0C\0o\0m\0p\0u\0t\0e\0r\0", 18);
    assert_non_null(nm);
    nm[-2] ^= 0x5A;
    xs_evtxw_fix_crcs(g, len);
    assert_int_equal(run_mem(g, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.name_hash_errors, 1);
    assert_int_equal(st.records, 3);
    assert_int_equal(st.recovered, 0);
    assert_string_equal(c.v[2].comp, "EXCH01.corp.local");
    coll_free(&c);
    free(g);

    /* A chunk whose header is destroyed: its records are still found, flagged recovered. */
    memset(ch, 0x55, 512);
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.chunks_bad, 1);
    assert_int_equal(st.records, 5);
    assert_int_equal(st.recovered, 5);
    coll_free(&c);
    free(f);
}

static void test_garbage(void **state)
{
    (void)state;
    struct coll c = {0};
    xs_evtx_stats st;
    uint8_t *g = malloc(FILE_HDR + 3 * CHUNK);
    assert_non_null(g);
    uint32_t x = 12345;
    for (int round = 0; round < 40; round++) {
        for (size_t i = 0; i < FILE_HDR + 3 * CHUNK; i++) {
            x = x * 1103515245u + 12345u;
            g[i] = (uint8_t)(x >> 16);
        }
        if (round % 4 == 1) /* records-looking bytes everywhere */
            for (size_t i = FILE_HDR + 512; i + 8 < FILE_HDR + 3 * CHUNK; i += 97)
                memcpy(g + i, "**\0\0\x40\0\0\0", 8);
        memcpy(g, round % 2 ? "ElfChnk" : "ElfFile", 8);
        for (size_t k = 0; k < 3; k++)
            memcpy(g + FILE_HDR + k * CHUNK, "ElfChnk", 8);
        assert_int_equal(run_mem(g, FILE_HDR + 3 * CHUNK, 0, &c, &st), EXS_OK);
        for (size_t i = 0; i < c.n; i++)
            assert_true(valid_utf8(c.v[i].text, c.v[i].r.text_len));
        coll_free(&c);
    }
    memset(g, 0, FILE_HDR + CHUNK);
    assert_int_equal(run_mem(g, FILE_HDR + CHUNK, 0, &c, &st), EXS_EFORMAT);
    memcpy(g, "ElfFile", 8);
    assert_int_equal(run_mem(g, FILE_HDR + CHUNK, 0, &c, &st), EXS_OK);
    assert_int_equal(st.chunks_empty, 1);
    assert_int_equal(st.records, 0);
    assert_int_equal(run_mem(g, 0, 0, &c, &st), EXS_EFORMAT);
    assert_int_equal(run_mem(g, 100, 0, &c, &st), EXS_OK);
    assert_int_equal(st.truncated, 1);
    free(g);
}

/* ---- hand-built BinXML ---- */

/* An element with a dependency id outside a template, as some writers produce. */
static void open_with_dep(xs_evtxw *w, const char *ascii_name)
{
    size_t n = strlen(ascii_name);
    uint8_t b[64] = {0x01, 0xFF, 0xFF, 0, 0, 0, 0};
    uint32_t name_off = xs_evtxw_pos(w) + 7 + 4;
    memcpy(b + 7, &name_off, 4);
    size_t o = 11 + 4 + 2; /* next, hash */
    b[o++] = (uint8_t)n;
    b[o++] = 0;
    for (size_t i = 0; i < n; i++) {
        b[o++] = (uint8_t)ascii_name[i];
        b[o++] = 0;
    }
    o += 2;
    xs_evtxw_bx_bytes(w, b, o);
}

static void test_raw_elements(void **state)
{
    (void)state;
    xs_evtxw *w = xs_evtxw_create();
    uint64_t ft = xs_evtxw_filetime(T0);
    /* no template at all: elements and text straight in the record */
    raw_system_begin(w, 1, ft);
    xs_evtxw_bx_open(w, "EventID", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_text(w, "4104");
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_open(w, "Provider", 1);
    xs_evtxw_bx_attr(w, "Name");
    xs_evtxw_bx_text(w, "Raw-Provider");
    xs_evtxw_bx_close_empty(w);
    bx_time_created(w, "2021-03-06T03:06:41.1234567Z");
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_open(w, "EventData", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "Data", 1);
    xs_evtxw_bx_attr(w, "Name");
    xs_evtxw_bx_text(w, "ScriptBlockText");
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_text(w, "a < b & c");
    xs_evtxw_bx_bytes(w, "\x08\x26\x20", 3); /* character reference: U+2026 */
    xs_evtxw_bx_bytes(w, "\x09", 1);         /* entity reference &amp; by name offset */
    uint32_t amp = xs_evtxw_pos(w) + 4;
    xs_evtxw_bx_bytes(w, &amp, 4);
    xs_evtxw_bx_bytes(w, "\0\0\0\0\0\0\3\0a\0m\0p\0\0\0", 16);
    xs_evtxw_bx_bytes(w, "\x07\x02\0x\0y\0", 7); /* CDATA "xy" */
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
    /* elements carrying a dependency id where none is expected */
    assert_int_equal(xs_evtxw_raw_begin(w, 2, ft, 4096), 0);
    open_with_dep(w, "Event");
    xs_evtxw_bx_bytes(w, "\x02", 1);
    open_with_dep(w, "EventData");
    xs_evtxw_bx_bytes(w, "\x02", 1);
    open_with_dep(w, "Data");
    xs_evtxw_bx_bytes(w, "\x02", 1);
    xs_evtxw_bx_text(w, "with dep id");
    xs_evtxw_bx_bytes(w, "\x04\x04\x04", 3);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
    size_t len;
    uint8_t *f = finish(w, &len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 2);
    assert_int_equal(c.v[0].r.event_id, 4104);
    assert_string_equal(c.v[0].prov, "Raw-Provider");
    assert_int_equal(c.v[0].r.time_ms, T0 + 1123);
    assert_int_equal(c.v[0].r.written_ms, T0);
    assert_int_equal(c.v[1].r.time_ms, T0); /* no TimeCreated: the written time */
    assert_string_equal(field(&c.v[0], "ScriptBlockText"), "a < b & c\xE2\x80\xA6&xy");
    assert_string_equal(field(&c.v[1], "Data"), "with dep id");
    coll_free(&c);
    free(f);
}

/* A record whose BinXML nests template instances through BinXML values `levels` deep. */
static void nested_record(xs_evtxw *w, int levels)
{
    uint8_t inner[4096];
    size_t n = 0;
    assert_int_equal(xs_evtxw_raw_begin(w, 0, xs_evtxw_filetime(T0), 8192), 0);
    uint32_t def = xs_evtxw_bx_template_begin(w);
    xs_evtxw_bx_open(w, "Event", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "EventData", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_subst(w, 0, XS_EVTXW_BINXML, 0);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_template_end(w);
    /* innermost: a string; each level around it: fragment, instance of def, one value */
    memcpy(inner, "d\0e\0e\0p\0", 8);
    n = 8;
    uint8_t type = XS_EVTXW_STRING;
    for (int i = 1; i < levels; i++) {
        uint8_t lvl[32] = {0x0f, 1, 1, 0, 0x0c, 1, 0, 0, 0, 0};
        memcpy(lvl + 10, &def, 4);
        uint32_t one = 1;
        memcpy(lvl + 14, &one, 4);
        uint16_t sz = (uint16_t)n;
        memcpy(lvl + 18, &sz, 2);
        lvl[20] = type;
        lvl[21] = 0;
        assert_true(n + 23 <= sizeof inner);
        memmove(inner + 22, inner, n);
        memcpy(inner, lvl, 22);
        inner[22 + n] = 0x00;
        n += 23;
        type = XS_EVTXW_BINXML;
    }
    uint32_t one = 1;
    uint16_t sz = (uint16_t)n;
    xs_evtxw_bx_bytes(w, &one, 4);
    xs_evtxw_bx_bytes(w, &sz, 2);
    xs_evtxw_bx_bytes(w, &type, 1);
    xs_evtxw_bx_bytes(w, "", 1);
    xs_evtxw_bx_bytes(w, inner, n);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
}

static void test_cap_nesting(void **state)
{
    (void)state;
    xs_evtxw *w = xs_evtxw_create();
    /* L levels nest 2L - 1 deep: every inner level is a BinXML value plus an instance */
    nested_record(w, 1);
    nested_record(w, 3);
    nested_record(w, (XS_EVTX_MAX_NEST + 1) / 2);
    nested_record(w, (XS_EVTX_MAX_NEST + 1) / 2 + 1);
    nested_record(w, 100);
    size_t len;
    uint8_t *f = finish(w, &len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 3);
    assert_int_equal(st.limit_hits, 2);
    for (size_t i = 0; i < c.n; i++)
        assert_non_null(strstr(c.v[i].text, "<EventData>deep</EventData>"));
    coll_free(&c);
    free(f);
}

static void deep_record(xs_evtxw *w, int depth)
{
    assert_int_equal(xs_evtxw_raw_begin(w, 0, xs_evtxw_filetime(T0), 8192), 0);
    for (int i = 0; i < depth; i++) {
        xs_evtxw_bx_open(w, i == 1 ? "EventData" : "E", 0);
        xs_evtxw_bx_close_start(w);
    }
    xs_evtxw_bx_text(w, "leaf");
    for (int i = 0; i < depth; i++)
        xs_evtxw_bx_end(w);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
}

static void test_cap_depth(void **state)
{
    (void)state;
    xs_evtxw *w = xs_evtxw_create();
    deep_record(w, XS_EVTX_MAX_DEPTH);
    deep_record(w, XS_EVTX_MAX_DEPTH + 1);
    deep_record(w, 200);
    size_t len;
    uint8_t *f = finish(w, &len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 1);
    assert_int_equal(st.limit_hits, 2);
    assert_string_equal(field(&c.v[0], "E"), "leaf");
    coll_free(&c);
    free(f);
}

static void test_cap_substitutions_and_fields(void **state)
{
    (void)state;
    enum { N = XS_EVTX_MAX_SUBST + 10, F = XS_EVTX_MAX_FIELDS + 50 };
    xs_evtxw_field *d = calloc(N, sizeof *d);
    assert_non_null(d);
    for (size_t i = 0; i < N; i++)
        d[i].v.str = "v";
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_event ev = proc_event(0);
    ev.data = d;
    ev.ndata = F; /* fits the substitution cap, exceeds the field cap */
    assert_int_equal(xs_evtxw_add(w, &ev), 0);
    ev.ndata = XS_EVTX_MAX_SUBST - 8; /* the 8 System values bring it to the cap exactly */
    assert_int_equal(xs_evtxw_add(w, &ev), 0);
    ev.ndata = N; /* past the substitution cap */
    assert_int_equal(xs_evtxw_add(w, &ev), 0);
    size_t len;
    uint8_t *f = finish(w, &len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 2);
    assert_int_equal(st.limit_hits, 1);
    assert_int_equal(st.truncated_records, 2);
    assert_int_equal(c.v[0].r.nfields, XS_EVTX_MAX_FIELDS);
    assert_true(c.v[0].r.flags & XS_EVTX_REC_TRUNCATED);
    assert_string_equal(c.v[0].vals[XS_EVTX_MAX_FIELDS - 1], "v");
    /* the text still holds everything: only the field list is capped */
    assert_int_equal(c.v[0].r.event_id, 1);
    coll_free(&c);
    free(f);
    free(d);
}

/* One record, in a chunk of its own, naming a value of `units` copies of `unit` refs times. */
static void repeated_value_record(xs_evtxw *w, int refs, uint16_t unit, uint16_t units)
{
    xs_evtxw_new_chunk(w);
    assert_int_equal(xs_evtxw_add_repeated(w, xs_evtxw_filetime(T0), refs, unit, units), 0);
}

static void test_cap_work(void **state)
{
    (void)state;
    enum { UNITS = 20000 };
    xs_evtxw *w = xs_evtxw_create();
    repeated_value_record(w, 2, 'A', UNITS);    /* fine: 80 KB of text to make */
    repeated_value_record(w, 3000, 'A', UNITS); /* 120 MB of text to make from 52 KB */
    size_t len;
    uint8_t *f = finish(w, &len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 1);
    assert_int_equal(st.limit_hits, 1);
    assert_int_equal(strlen(field(&c.v[0], "Data")), 2 * UNITS);
    coll_free(&c);
    free(f);
}

/* XS_EVTX_MAX_VALUE: one Data holding four 40 KB substitutions is cut at 128 KiB, on a
 * character boundary, and the record is flagged; the next record is whole. */
static void test_cap_value(void **state)
{
    (void)state;
    enum { UNITS = 20000 };
    xs_evtxw *w = xs_evtxw_create();
    repeated_value_record(w, 4, 0xE9, UNITS); /* U+00E9: 2 bytes in UTF-16 and in UTF-8 */
    repeated_value_record(w, 3, 0xE9, UNITS); /* 120,000 bytes: fits */
    size_t len;
    uint8_t *f = finish(w, &len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, XS_EVTX_NO_TEXT, &c, &st), EXS_OK);
    assert_int_equal(st.records, 2);
    assert_int_equal(st.truncated_records, 1);
    assert_true(c.v[0].r.flags & XS_EVTX_REC_TRUNCATED);
    assert_int_equal(strlen(field(&c.v[0], "Data")), XS_EVTX_MAX_VALUE);
    assert_true(valid_utf8(field(&c.v[0], "Data"), XS_EVTX_MAX_VALUE));
    assert_false(c.v[1].r.flags & XS_EVTX_REC_TRUNCATED);
    assert_int_equal(strlen(field(&c.v[1], "Data")), 3 * 2 * UNITS);
    coll_free(&c);
    free(f);
}

/* The chunk cap, lowered: reading stops after that many chunks, and says so only when
 * something was left. */
static void test_cap_chunks(void **state)
{
    (void)state;
    size_t len;
    uint8_t *f = make_file(700, 0, &len);
    size_t chunks = (len - FILE_HDR) / CHUNK;
    assert_true(chunks >= 3);
    xs_evtx_reader *r;
    assert_int_equal(xs_evtx_reader_create(&r, 0), EXS_OK);
    struct coll c = {0};
    xs_evtx_stats st;
    xs_evtx_reader_set_max_chunks(r, 2);
    assert_int_equal(run_with(r, f, len, &c, &st), EXS_OK);
    assert_int_equal(st.chunk_cap_hit, 1);
    assert_int_equal(st.chunks, 2);
    assert_true(c.n > 0 && c.n < 700);
    assert_int_equal(c.v[c.n - 1].r.chunk_index, 1);
    assert_int_equal(st.bytes, FILE_HDR + 2 * CHUNK + 1); /* one byte past the cap */
    coll_free(&c);
    xs_evtx_reader_set_max_chunks(r, chunks); /* the log ends right at the cap */
    assert_int_equal(run_with(r, f, len, &c, &st), EXS_OK);
    assert_int_equal(st.chunk_cap_hit, 0);
    assert_int_equal(st.records, 700);
    coll_free(&c);
    xs_evtx_reader_set_max_chunks(r, 0); /* back to XS_EVTX_MAX_CHUNKS */
    assert_int_equal(run_with(r, f, len, &c, &st), EXS_OK);
    assert_int_equal(st.chunk_cap_hit, 0);
    assert_int_equal(st.records, 700);
    coll_free(&c);
    xs_evtx_reader_destroy(r);
    free(f);
}

/* Per-chunk tables: names and templates are decoded at most XS_EVTX_MAX_NAMES and
 * XS_EVTX_MAX_TEMPLATES times per chunk, however many offsets records point at. */
static void test_cap_chunk_tables(void **state)
{
    (void)state;
    enum { N = XS_EVTX_MAX_NAMES + 4, T = XS_EVTX_MAX_TEMPLATES + 6 };
    uint64_t ft = xs_evtxw_filetime(T0);
    uint8_t *zeros = calloc(N + 64, 1);
    assert_non_null(zeros);
    xs_evtxw *w = xs_evtxw_create();
    /* a record of zeros: at every one of its offsets sits an empty name (count 0, hash 0) */
    assert_int_equal(xs_evtxw_raw_begin(w, 0, ft, 0), 0);
    uint32_t z = xs_evtxw_pos(w);
    xs_evtxw_bx_bytes(w, zeros, N + 64);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
    assert_int_equal(xs_evtxw_raw_begin(w, 0, ft, 0), 0);
    xs_evtxw_bx_open(w, "E", 0);
    xs_evtxw_bx_close_start(w);
    for (uint32_t i = 0; i < N; i++) {
        uint8_t el[10] = {0x01, 0, 0, 0, 0};
        uint32_t off = z + i;
        memcpy(el + 5, &off, 4);
        el[9] = 0x03;
        xs_evtxw_bx_bytes(w, el, sizeof el);
    }
    xs_evtxw_bx_end(w);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
    /* next chunk: T records naming T different offsets as their template */
    xs_evtxw_new_chunk(w);
    assert_int_equal(xs_evtxw_raw_begin(w, 0, ft, 0), 0);
    z = xs_evtxw_pos(w);
    xs_evtxw_bx_bytes(w, zeros, T + 64);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
    for (uint32_t i = 0; i < T; i++) {
        assert_int_equal(xs_evtxw_raw_begin(w, 0, ft, 0), 0);
        xs_evtxw_bx_template_ref(w, z + i);
        xs_evtxw_bx_bytes(w, "\0\0\0\0", 4);
        assert_int_equal(xs_evtxw_raw_end(w), 0);
    }
    size_t len;
    uint8_t *f = finish(w, &len);
    assert_int_equal(len, FILE_HDR + 2 * CHUNK);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 2); /* the two records of zeros: empty fragments */
    assert_int_equal(st.missing_templates, XS_EVTX_MAX_TEMPLATES);
    assert_int_equal(st.limit_hits, 1 + (T - XS_EVTX_MAX_TEMPLATES));
    coll_free(&c);
    free(f);
    free(zeros);
}

/* Field strings of one record share XS_EVTX_MAX_RECORD_MEM: one 8 KiB binary value named
 * 120 times renders as 120 x 16 KiB of hex, within the work cap but past the memory cap. */
static void test_cap_record_memory(void **state)
{
    (void)state;
    enum { REFS = 120, BIN = 8192 };
    uint8_t *bin = malloc(BIN);
    assert_non_null(bin);
    memset(bin, 0xAB, BIN);
    xs_evtxw *w = xs_evtxw_create();
    assert_int_equal(xs_evtxw_raw_begin(w, 0, xs_evtxw_filetime(T0), 0), 0);
    xs_evtxw_bx_template_begin(w);
    xs_evtxw_bx_open(w, "Event", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "EventData", 0);
    xs_evtxw_bx_close_start(w);
    for (int i = 0; i < REFS; i++) {
        xs_evtxw_bx_open(w, "Data", 0);
        xs_evtxw_bx_close_start(w);
        xs_evtxw_bx_subst(w, 0, XS_EVTXW_BINARY, 0);
        xs_evtxw_bx_end(w);
    }
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_template_end(w);
    uint32_t one = 1;
    uint16_t size = BIN;
    xs_evtxw_bx_bytes(w, &one, 4);
    xs_evtxw_bx_bytes(w, &size, 2);
    xs_evtxw_bx_bytes(w, "\x0e\0", 2);
    xs_evtxw_bx_bytes(w, bin, BIN);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
    size_t len;
    uint8_t *f = finish(w, &len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 1);
    assert_int_equal(st.truncated_records, 1);
    struct rec *x = &c.v[0];
    assert_true(x->r.flags & XS_EVTX_REC_TRUNCATED);
    assert_int_equal(x->r.nfields, REFS);
    assert_int_equal(strlen(x->vals[0]), 2 * BIN);
    assert_int_equal(strncmp(x->vals[0], "ABABAB", 6), 0);
    assert_string_equal(x->vals[REFS - 1], ""); /* past the cap: kept, emptied */
    size_t kept = 0;
    for (size_t i = 0; i < REFS; i++)
        kept += strlen(x->vals[i]);
    assert_true(kept <= XS_EVTX_MAX_RECORD_MEM);
    coll_free(&c);
    free(f);
    free(bin);
}

/* XS_EVTX_MAX_CHUNK_WORK: records that each stay under the record cap still add up. */
static void test_cap_chunk_work(void **state)
{
    (void)state;
    enum { OPS = 30000, RECS = 150 };
    uint8_t *ends = malloc(OPS);
    assert_non_null(ends);
    memset(ends, 0x04, OPS); /* end tags with nothing open: cheap, but each one is work */
    uint64_t ft = xs_evtxw_filetime(T0);
    xs_evtxw *w = xs_evtxw_create();
    assert_int_equal(xs_evtxw_raw_begin(w, 0, ft, 0), 0);
    uint32_t def = xs_evtxw_bx_template_begin(w);
    xs_evtxw_bx_bytes(w, ends, OPS);
    xs_evtxw_bx_template_end(w);
    xs_evtxw_bx_bytes(w, "\0\0\0\0", 4);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
    for (int i = 1; i < RECS; i++) {
        assert_int_equal(xs_evtxw_raw_begin(w, 0, ft, 0), 0);
        xs_evtxw_bx_template_ref(w, def);
        xs_evtxw_bx_bytes(w, "\0\0\0\0", 4);
        assert_int_equal(xs_evtxw_raw_end(w), 0);
    }
    size_t len;
    uint8_t *f = finish(w, &len);
    assert_int_equal(len, FILE_HDR + CHUNK);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records + st.limit_hits, RECS);
    assert_int_equal(st.records, XS_EVTX_MAX_CHUNK_WORK / (OPS + 1));
    coll_free(&c);
    free(f);
    free(ends);
}

/* A template definition costs the work of reading it, once per chunk, even when it fails:
 * here every name new to the chunk is over XS_EVTX_MAX_NAMES, so its compile hits a cap. */
static void test_cap_template_compile(void **state)
{
    (void)state;
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_event ev = proc_event(0);
    assert_int_equal(xs_evtxw_add(w, &ev), 0); /* defines the template inline */
    ev = proc_event(1);
    assert_int_equal(xs_evtxw_add(w, &ev), 0); /* names it by offset */
    size_t len;
    uint8_t *f = finish(w, &len);
    xs_evtx_reader *r;
    assert_int_equal(xs_evtx_reader_create(&r, 0), EXS_OK);
    xs_evtx_stats st = {0};
    r->st = &st;
    memcpy(r->chunk, f + FILE_HDR, CHUNK);
    r->clen = CHUNK;
    evtx_chunk_caches_reset(r);
    r->nnames = XS_EVTX_MAX_NAMES;
    r->chunk_work = XS_EVTX_MAX_CHUNK_WORK;
    const uint8_t *rec = r->chunk + EVTX_CHUNK_HDR;
    for (int i = 0; i < 2; i++) {
        uint32_t size = evtx_u32(rec + 4);
        /* fragment header (4), 0x0c, 1, template id (4), then the definition offset */
        uint32_t def = evtx_u32(rec + 24 + 10);
        uint32_t cost = EVTX_VALUE_COST(evtx_u32(r->chunk + def + 20));
        r->rec_off = (uint32_t)(rec - r->chunk);
        r->work = XS_EVTX_MAX_RECORD_WORK;
        r->scratch.used = 0;
        uint32_t before = r->chunk_work;
        const struct evtx_op *ops;
        uint32_t nops;
        assert_int_equal(evtx_compile(r, rec + 24, rec + size - 4, 0, &ops, &nops), EVTX_ELIMIT);
        /* charged by the first record; the second gets the cached failure for nothing */
        assert_int_equal(before - r->chunk_work, i == 0 ? cost : 0);
        assert_true(cost > 1);
        rec += size;
    }
    assert_int_equal(st.templates, 0);
    xs_evtx_reader_destroy(r);
    free(f);
}

static void test_cap_text(void **state)
{
    (void)state;
    enum { NF = 20, CH = 1500 };
    char *big = malloc(3 * CH + 1); /* CH CJK characters: 2 bytes UTF-16, 3 bytes UTF-8 */
    assert_non_null(big);
    for (size_t i = 0; i < CH; i++)
        memcpy(big + 3 * i, "語", 3);
    big[3 * CH] = '\0';
    xs_evtxw_field d[NF];
    char names[NF][8];
    for (size_t i = 0; i < NF; i++) {
        snprintf(names[i], sizeof names[i], "F%zu", i);
        d[i] = (xs_evtxw_field){names[i], {.str = big}};
    }
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_event ev = proc_event(0);
    ev.data = d;
    ev.ndata = NF;
    assert_int_equal(xs_evtxw_add(w, &ev), 0);
    size_t len;
    uint8_t *f = finish(w, &len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.records, 1);
    assert_int_equal(st.truncated_records, 1);
    struct rec *x = &c.v[0];
    assert_true(x->r.flags & XS_EVTX_REC_TRUNCATED);
    assert_true(x->r.text_len <= XS_EVTX_MAX_TEXT);
    assert_true(x->r.text_len > XS_EVTX_MAX_TEXT - 4);
    assert_true(valid_utf8(x->text, x->r.text_len));
    assert_int_equal(x->r.nfields, NF);
    for (size_t i = 0; i < NF; i++)
        assert_string_equal(x->vals[i], big); /* fields are not cut by the text cap */
    coll_free(&c);
    /* without text, nothing is cut */
    assert_int_equal(run_mem(f, len, XS_EVTX_NO_TEXT, &c, &st), EXS_OK);
    assert_int_equal(st.truncated_records, 0);
    assert_int_equal(c.v[0].r.text_len, 0);
    assert_string_equal(c.v[0].vals[NF - 1], big);
    coll_free(&c);
    free(f);
    free(big);
}

static void test_templates_missing_and_forward(void **state)
{
    (void)state;
    xs_evtxw *w = xs_evtxw_create();
    xs_evtxw_event ev = proc_event(0);
    assert_int_equal(xs_evtxw_add(w, &ev), 0);
    uint64_t ft = xs_evtxw_filetime(T0);
    /* 1: an instance pointing into the middle of record 1: no template there */
    assert_int_equal(xs_evtxw_raw_begin(w, 2, ft, 4096), 0);
    xs_evtxw_bx_template_ref(w, 600);
    xs_evtxw_bx_bytes(w, "\0\0\0\0", 4);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
    /* 2: an instance of a template that the next record defines */
    assert_int_equal(xs_evtxw_raw_begin(w, 3, ft, 4096), 0);
    uint32_t fix = xs_evtxw_pos(w) + 6;
    xs_evtxw_bx_template_ref(w, 0);
    xs_evtxw_bx_bytes(w, "\1\0\0\0\6\0\1\0f\0w\0d\0", 14);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
    assert_int_equal(xs_evtxw_raw_begin(w, 4, ft, 4096), 0);
    uint32_t def = xs_evtxw_bx_template_begin(w);
    xs_evtxw_bx_open(w, "Event", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "EventData", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "Data", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_subst(w, 0, XS_EVTXW_STRING, 0);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_template_end(w);
    xs_evtxw_bx_bytes(w, "\1\0\0\0\6\0\1\0d\0e\0f\0", 14);
    assert_int_equal(xs_evtxw_raw_end(w), 0);
    size_t len;
    uint8_t *f = finish(w, &len);
    memcpy(f + FILE_HDR + fix, &def, 4);
    xs_evtxw_fix_crcs(f, len);
    struct coll c = {0};
    xs_evtx_stats st;
    assert_int_equal(run_mem(f, len, 0, &c, &st), EXS_OK);
    assert_int_equal(st.missing_templates, 1);
    assert_int_equal(st.records, 3);
    assert_int_equal(st.templates_forward, 1);
    assert_int_equal(c.v[1].r.record_id, 3);
    assert_string_equal(field(&c.v[1], "Data"), "fwd");
    assert_string_equal(field(&c.v[2], "Data"), "def");
    coll_free(&c);
    free(f);
}

static void test_reader_reuse(void **state)
{
    (void)state;
    size_t la, lb;
    uint8_t *a = make_file(700, 1, &la);
    uint8_t *b = make_file(5, 0, &lb);
    xs_evtx_reader *r;
    assert_int_equal(xs_evtx_reader_create(&r, 0), EXS_OK);
    struct coll c = {0};
    xs_evtx_stats st;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(run_with(r, a, la, &c, &st), EXS_OK);
        assert_int_equal(st.records, 700);
        assert_string_equal(c.v[698].vals[0], "admin");
        assert_string_equal(c.v[699].vals[2], "cmd.exe /c whoami");
        coll_free(&c);
        assert_int_equal(run_with(r, b, lb, &c, &st), EXS_OK);
        assert_int_equal(st.records, 5);
        assert_int_equal(st.templates, 1);
        coll_free(&c);
    }
    xs_evtx_reader_destroy(r);
    xs_evtx_reader_destroy(NULL);
    assert_int_equal(xs_evtx_reader_create(NULL, 0), EXS_EINVAL);
    free(a);
    free(b);
}

/* evtxexport (libevtx) must read the writer's files the same way. */
static void test_writer_vs_evtxexport(void **state)
{
    (void)state;
    if (system("command -v evtxexport >/dev/null 2>&1") != 0)
        skip();
    static const uint8_t sid[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
    const xs_evtxw_field data[] = {
        {"CommandLine", {.str = "powershell -enc SQBFAFgA"}},
        {"User", {.type = XS_EVTXW_SID, .raw = sid, .raw_len = sizeof sid}},
        {"Count", {.type = XS_EVTXW_UINT32, .num = 77}},
        {"Text", {.str = "Ünïcödé 日本"}},
    };
    char path[] = "/tmp/exsweep-evtx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    xs_evtxw *w = xs_evtxw_create();
    for (int i = 0; i < 1500; i++) {
        xs_evtxw_event ev = proc_event(i);
        if (i % 2) {
            ev.data = data;
            ev.ndata = 4;
            ev.has_qualifiers = 1;
            ev.qualifiers = 16384;
        }
        assert_int_equal(xs_evtxw_add(w, &ev), 0);
    }
    assert_int_equal(xs_evtxw_write_file(w, path), 0);
    xs_evtxw_destroy(w);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "evtxexport -f xml '%s' 2>&1", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[4096];
    size_t events = 0, cmdlines = 0, sids = 0, uni = 0, quals = 0, errors = 0, last_id = 0;
    while (fgets(line, sizeof line, p)) {
        events += strstr(line, "<Event xmlns=") != NULL;
        cmdlines += strstr(line, "<Data Name=\"CommandLine\">cmd.exe /c whoami</Data>") != NULL;
        sids += strstr(line, "<Data Name=\"User\">S-1-5-18</Data>") != NULL;
        uni += strstr(line, "<Data Name=\"Text\">Ünïcödé 日本</Data>") != NULL;
        quals += strstr(line, "<EventID Qualifiers=\"16384\">1</EventID>") != NULL;
        errors += strstr(line, "Unable") != NULL || strstr(line, "unable") != NULL;
        const char *e = strstr(line, "<EventRecordID>");
        if (e)
            last_id = strtoul(e + 15, NULL, 10);
    }
    pclose(p);
    unlink(path);
    assert_int_equal(errors, 0);
    assert_int_equal(events, 1500);
    assert_int_equal(cmdlines, 750);
    assert_int_equal(sids, 750);
    assert_int_equal(uni, 750);
    assert_int_equal(quals, 750);
    assert_int_equal(last_id, 1500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_filetime_and_crc),
        cmocka_unit_test(test_fields_exact),
        cmocka_unit_test(test_qualifiers_and_times),
        cmocka_unit_test(test_value_types),
        cmocka_unit_test(test_template_reuse),
        cmocka_unit_test(test_many_chunks),
        cmocka_unit_test(test_checksums),
        cmocka_unit_test(test_dirty_header),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_bad_record_size),
        cmocka_unit_test(test_slack_recovery),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_raw_elements),
        cmocka_unit_test(test_cap_nesting),
        cmocka_unit_test(test_cap_depth),
        cmocka_unit_test(test_cap_substitutions_and_fields),
        cmocka_unit_test(test_cap_text),
        cmocka_unit_test(test_cap_value),
        cmocka_unit_test(test_cap_chunks),
        cmocka_unit_test(test_cap_template_compile),
        cmocka_unit_test(test_cap_work),
        cmocka_unit_test(test_cap_chunk_tables),
        cmocka_unit_test(test_cap_record_memory),
        cmocka_unit_test(test_cap_chunk_work),
        cmocka_unit_test(test_templates_missing_and_forward),
        cmocka_unit_test(test_reader_reuse),
        cmocka_unit_test(test_writer_vs_evtxexport),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
