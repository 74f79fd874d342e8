/* Fuzz target: the EVTX reader over arbitrary bytes, fed through the read callback.
 *
 * The input size picks the reader flags and the read size, so that short reads and every
 * flag combination get exercised without spending input bytes on them. Every delivered
 * record is checked against the reader's promises (caps, NUL-terminated valid UTF-8, lengths
 * that match); a broken promise traps like a memory error would.
 * Corpus (fuzz/corpus/fuzz_evtx/): seeds made by bench/evtx/mkcorpus.c from the test writer,
 * found-* (small inputs the fuzzer grew from them that widen coverage) and regress-* (every
 * crasher, kept). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/limits.h"
#include "parsers/evtx/evtx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
    const uint8_t *p;
    size_t n, off, step;
};

static long input_read(void *ctx, void *buf, size_t n)
{
    struct input *in = ctx;
    size_t k = in->n - in->off;
    if (k > n)
        k = n;
    if (k > in->step)
        k = in->step;
    memcpy(buf, in->p + in->off, k);
    in->off += k;
    return (long)k;
}

static void check_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[n] != '\0')
        __builtin_trap();
    for (size_t i = 0; i < n;) {
        size_t k = p[i] < 0x80             ? 1
                   : (p[i] & 0xE0) == 0xC0 ? 2
                   : (p[i] & 0xF0) == 0xE0 ? 3
                   : (p[i] & 0xF8) == 0xF0 ? 4
                                           : 0;
        if (!k || i + k > n)
            __builtin_trap();
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xC0) != 0x80)
                __builtin_trap();
        i += k;
    }
}

static exs_rc on_record(void *ctx, const xs_evtx_record *rec)
{
    (void)ctx;
    if (rec->text_len > XS_EVTX_MAX_TEXT || rec->nfields > XS_EVTX_MAX_FIELDS)
        __builtin_trap();
    check_utf8(rec->text, rec->text_len);
    check_utf8(rec->provider, rec->provider_len);
    check_utf8(rec->channel, rec->channel_len);
    check_utf8(rec->computer, rec->computer_len);
    if (strlen(rec->provider) > rec->provider_len || strlen(rec->channel) > rec->channel_len ||
        strlen(rec->computer) > rec->computer_len)
        __builtin_trap();
    for (size_t i = 0; i < rec->nfields; i++) {
        check_utf8(rec->fields[i].name, rec->fields[i].name_len);
        check_utf8(rec->fields[i].value, rec->fields[i].value_len);
        if (strlen(rec->fields[i].value) > rec->fields[i].value_len ||
            rec->fields[i].value_len > XS_EVTX_MAX_VALUE)
            __builtin_trap();
    }
    if (rec->chunk_offset >= XS_EVTX_CHUNK_SIZE)
        __builtin_trap();
    return EXS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* One reader per flag set, kept across inputs: reuse is what the scanner does. */
    static xs_evtx_reader *readers[8];
    unsigned flags = (unsigned)(size % 8);
    if (!readers[flags] && xs_evtx_reader_create(&readers[flags], flags) != EXS_OK)
        return 0;
    struct input in = {data, size, 0, size % 3 == 0 ? 1 + size % 4099 : (size_t)-1};
    xs_evtx_stats st;
    exs_rc rc = xs_evtx_reader_run(readers[flags], input_read, &in, on_record, NULL, &st);
    if ((rc == EXS_OK && st.bytes != size) || st.records < st.recovered)
        __builtin_trap();
    return 0;
}
