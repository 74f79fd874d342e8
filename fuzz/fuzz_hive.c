/* Fuzz target: registry hives. The input after its first byte is opened with the hive reader
 * (lib/parsers/hive.c over libregf) and walked whole within lowered caps, every value read;
 * then the whole input is swept as one file (fuzz_sweep_one: the first byte picks where it
 * lies), so that the hive check (lib/detectors/registry.c) reads it as a SOFTWARE, SYSTEM or
 * user hive. */
#include <stdint.h>

#include "parsers/hive.h"
#include "sweep_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const places[] = {
    "c/windows/system32/config/software",
    "c/windows/system32/config/system",
    "c/users/admin/ntuser.dat",
};

static void walk(xs_hkey *k, unsigned depth)
{
    volatile size_t sink = 0;
    sink += xs_hkey_name(k)[0] + (size_t)(xs_hkey_written_ms(k) & 1);
    for (size_t i = 0; i < xs_hkey_nvalues(k); i++) {
        xs_hval v;
        bool oom = false;
        if (xs_hkey_value(k, i, &v, &oom)) {
            sink += v.data_n + (v.data ? (unsigned char)v.data[0] : 0);
            xs_hval_clear(&v);
        }
    }
    for (size_t i = 0; i < xs_hkey_nsubkeys(k) && depth < 16; i++) {
        xs_hkey *s = xs_hkey_subkey(k, i);
        if (s)
            walk(s, depth + 1);
        xs_hkey_free(s);
    }
    (void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    xs_hive_head hd;
    xs_hive_head_read(data + 1, size - 1, &hd);
    xs_hive_limits lim;
    xs_hive_limits_default(&lim);
    lim.max_subkeys = lim.max_values = 256;
    lim.max_keys = 4096;
    lim.max_data = 65536;
    xs_hive *h;
    if (xs_hive_open(data + 1, size - 1, &lim, &h, NULL, 0) == EXS_OK) {
        xs_hkey *root = xs_hive_root(h);
        if (root)
            walk(root, 0);
        xs_hkey_free(root);
        xs_hive_close(h);
    }
    exs_scan_opts o = {1, 0, 0, NULL, 0};
    return fuzz_sweep_one(places, sizeof places / sizeof places[0], &o, data, size);
}
