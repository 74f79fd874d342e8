/* Fuzz target: a file of the cache of compiled Vectorscan databases (lib/engines/hscache.c).
 * The input is checked as a cache file with the key it names itself (so that the checks past
 * the key are reached), then written in place of the cache's file for a fixed set of
 * literals and loaded through xs_hscache_compile_lit: whatever the file holds, the database
 * that comes back (loaded or compiled) must find exactly what the literals find. */
#include <hs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engines/hscache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const lits[] = {"whoami", "mimikatz"};
static const size_t lens[] = {6, 8};
static const unsigned ids[] = {1, 2};
static const unsigned flags[] = {HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH, HS_FLAG_SINGLEMATCH};
static char dir[64], file[256];

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned fl,
                    void *ctx)
{
    (void)from, (void)to, (void)fl;
    *(unsigned *)ctx |= 1u << id;
    return 0;
}

static void rm_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return;
}

/* The cache folder, and the name of the literals' file in it (from a first compilation). */
static int init(void)
{
    snprintf(dir, sizeof dir, "/tmp/exsweep-fuzz-hscache-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    atexit(rm_dir);
    char why[160];
    xs_hscache *c = xs_hscache_open(dir, NULL, 0, why, sizeof why);
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    if (!c || xs_hscache_compile_lit(c, lits, flags, ids, lens, 2, HS_MODE_BLOCK, &db, &ce) !=
                  HS_SUCCESS)
        return -1;
    hs_free_database(db);
    xs_hscache_close(c);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "ls '%s'/*.hsdb", dir);
    FILE *p = popen(cmd, "r");
    if (!p || !fgets(file, sizeof file, p))
        return -1;
    pclose(p);
    file[strcspn(file, "\n")] = 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready)
        ready = init() == 0 ? 1 : -1;
    if (ready < 0)
        __builtin_trap();
    const unsigned char *p;
    size_t n;
    if (size >= 48 && xs_hscache_check(data, size, data + 16, &p, &n) &&
        (p < data + 88 || p + n != data + size))
        __builtin_trap();
    FILE *f = fopen(file, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        __builtin_trap();
    char why[160];
    xs_hscache *c = xs_hscache_open(dir, NULL, 0, why, sizeof why);
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    if (xs_hscache_compile_lit(c, lits, flags, ids, lens, 2, HS_MODE_BLOCK, &db, &ce) !=
        HS_SUCCESS)
        __builtin_trap();
    hs_scratch_t *scr = NULL;
    unsigned got = 0;
    static const char text[] = "WhoAmI; MIMIKATZ mimikatz";
    if (hs_alloc_scratch(db, &scr) != HS_SUCCESS ||
        hs_scan(db, text, sizeof text - 1, 0, scr, on_match, &got) != HS_SUCCESS ||
        got != ((1u << 1) | (1u << 2)))
        __builtin_trap();
    hs_free_scratch(scr);
    hs_free_database(db);
    xs_hscache_close(c);
    return 0;
}
