/* Fuzz target: IOC lists (lib/parsers/ioclist.c) and the indicator sets built from them
 * (lib/detectors/ioc.c), then lookups with pieces of the input, Loki filename expressions
 * included. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detectors/ioc.h"
#include "engines/pathre.h"
#include "parsers/ioclist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_item(void *ctx, const xs_ioc_item *it)
{
    size_t *n = ctx;
    *n += strlen(it->value) + it->note.n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t sink = 0;
    xs_ioclist_parse((const char *)data, size, on_item, NULL, &sink);
    xs_iocset *s;
    if (xs_iocset_create(&s) != EXS_OK)
        return 0;
    xs_iocset_load_mem(s, "fuzz", (const char *)data, size, NULL, NULL);
    /* lookups with a NUL-terminated slice of the input */
    char q[300];
    size_t n = size < sizeof q - 1 ? size : sizeof q - 1;
    memcpy(q, data, n);
    q[n] = 0;
    (void)xs_iocset_hash(s, q);
    (void)xs_iocset_path(s, q);
    (void)xs_iocset_ip(s, q);
    (void)xs_iocset_domain(s, q);
    char key[512];
    xs_ioc_path_key(q, key, sizeof key);
    /* Loki filename expressions: built, and tried on the slice in Windows form */
    xs_pathre_scratch *scr;
    if (xs_iocset_compile(s, NULL, 0) == EXS_OK && xs_iocset_regexes(s) &&
        xs_pathre_scratch_create(&scr, xs_iocset_regexes(s)) == EXS_OK) {
        char win[700];
        size_t k;
        xs_ioc_winpath(q, q, win, sizeof win);
        (void)xs_iocset_path_regex(s, scr, win, &k);
        xs_pathre_scratch_destroy(scr);
    }
    xs_iocset_destroy(s);
    return 0;
}
