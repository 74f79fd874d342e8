/* EVTX reader driver for the bench and the libevtx comparison.
 *
 *   evtxbench [-d] [-t] [-q] [-F flags] [-r repeat] [-l listfile] file...
 *   evtxbench -C MiB
 *
 * Reads each file with xs_evtx_reader (one reader, plain read(2), single thread) and prints
 * records, bytes and records/s. -d dumps every record as lines the comparison script reads
 * (R = record, F = field, T = text with -t); -q prints only the totals line. -F adds reader
 * flags (sum of 1 = no text, 2 = no recovery, 4 = no CRC). -r repeats the whole list. -l adds
 * the paths listed in listfile, one per line. -C times the CRC-32 alone over MiB MiB in memory
 * (64 KiB blocks, as chunks are checked), with the dispatched path (PCLMULQDQ where the CPU
 * has it) and with the portable table path, and prints GB/s of each. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parsers/evtx/evtx.h"
#include "parsers/evtx/evtx_int.h" /* evtx_crc32_portable, for -C */

struct opts {
    int dump, text, quiet;
};

/* Paths from argv and from -l list files. */
static char **paths;
static size_t npaths, cpaths;

static void add_path(const char *p)
{
    if (npaths == cpaths) {
        cpaths = cpaths ? 2 * cpaths : 256;
        paths = realloc(paths, cpaths * sizeof *paths);
        if (!paths)
            exit(1);
    }
    paths[npaths] = strdup(p);
    if (!paths[npaths++])
        exit(1);
}

static void add_list(const char *list)
{
    FILE *f = fopen(list, "r");
    if (!f) {
        perror(list);
        exit(1);
    }
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0])
            add_path(line);
    }
    fclose(f);
}

static long fd_read(void *ctx, void *buf, size_t n)
{
    for (;;) {
        ssize_t k = read(*(int *)ctx, buf, n);
        if (k >= 0 || errno != EINTR)
            return (long)k;
    }
}

/* One line per value: newlines and backslashes escaped so a value stays on its line. */
static void put_escaped(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            fputs("\\n", stdout);
        else if (s[i] == '\r')
            fputs("\\r", stdout);
        else if (s[i] == '\\')
            fputs("\\\\", stdout);
        else
            putchar(s[i]);
    }
}

static exs_rc on_record(void *ctx, const xs_evtx_record *rec)
{
    const struct opts *o = ctx;
    if (!o->dump)
        return EXS_OK;
    printf("R %" PRIu64 " erid=%" PRIu64 " t=%" PRId64 " w=%" PRId64 " eid=%" PRIu32,
           rec->record_id, rec->event_record_id, rec->time_ms, rec->written_ms, rec->event_id);
    if (rec->has_qualifiers)
        printf(" q=%" PRIu32, rec->qualifiers);
    printf(" lvl=%u flags=%" PRIu32 " prov=", rec->level, rec->flags);
    put_escaped(rec->provider, rec->provider_len);
    fputs(" chan=", stdout);
    put_escaped(rec->channel, rec->channel_len);
    fputs(" comp=", stdout);
    put_escaped(rec->computer, rec->computer_len);
    putchar('\n');
    for (size_t i = 0; i < rec->nfields; i++) {
        fputs("F ", stdout);
        put_escaped(rec->fields[i].name, rec->fields[i].name_len);
        putchar('=');
        put_escaped(rec->fields[i].value, rec->fields[i].value_len);
        putchar('\n');
    }
    if (o->text) {
        fputs("T ", stdout);
        put_escaped(rec->text, rec->text_len);
        putchar('\n');
    }
    return EXS_OK;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* -C: CRC-32 throughput of both paths over mib MiB, best of 5 passes each. */
static int crc_bench(long mib)
{
    enum { BLOCK = 65536 };
    size_t n = (size_t)(mib > 0 ? mib : 256) << 20;
    uint8_t *buf = malloc(n);
    if (!buf)
        return 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(i * 131 + (i >> 9));
    uint32_t (*const fns[2])(uint32_t, const void *, size_t) = {xs_evtx_crc32,
                                                                evtx_crc32_portable};
    const char *const names[2] = {"dispatched", "portable"};
    uint32_t sum = 0;
    for (int f = 0; f < 2; f++) {
        double best = 0;
        for (int pass = 0; pass < 5; pass++) {
            double t0 = now();
            for (size_t off = 0; off < n; off += BLOCK)
                sum += fns[f](0, buf + off, BLOCK);
            double dt = now() - t0;
            if (pass == 0 || dt < best)
                best = dt;
        }
        printf("crc32 %s: %zu MiB in %.4f s, %.2f GB/s (checksum sum %08x)\n", names[f], n >> 20,
               best, best > 0 ? (double)n / best / 1e9 : 0.0, (unsigned)sum);
    }
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o = {0};
    unsigned flags = 0;
    long repeat = 1;
    int c;
    while ((c = getopt(argc, argv, "dtqF:r:l:C:")) != -1) {
        switch (c) {
        case 'C':
            return crc_bench(strtol(optarg, NULL, 10));
        case 'd':
            o.dump = 1;
            break;
        case 't':
            o.text = 1;
            break;
        case 'q':
            o.quiet = 1;
            break;
        case 'F':
            flags = (unsigned)strtoul(optarg, NULL, 0);
            break;
        case 'r':
            repeat = strtol(optarg, NULL, 10);
            break;
        case 'l':
            add_list(optarg);
            break;
        default:
            fprintf(stderr, "usage: evtxbench [-d] [-t] [-q] [-F flags] [-r repeat] [-l list] "
                            "file...\n       evtxbench -C MiB\n");
            return 2;
        }
    }
    for (int i = optind; i < argc; i++)
        add_path(argv[i]);
    xs_evtx_reader *r;
    if (xs_evtx_reader_create(&r, flags) != EXS_OK)
        return 1;
    uint64_t records = 0, bytes = 0, recovered = 0, crc = 0, bad = 0, tpl = 0, lim = 0;
    int status = 0;
    double t0 = now();
    for (long rep = 0; rep < repeat; rep++) {
        for (size_t i = 0; i < npaths; i++) {
            int fd = open(paths[i], O_RDONLY);
            if (fd < 0) {
                perror(paths[i]);
                status = 1;
                continue;
            }
            xs_evtx_stats st;
            exs_rc rc = xs_evtx_reader_run(r, fd_read, &fd, on_record, &o, &st);
            close(fd);
            if (rc != EXS_OK) {
                fprintf(stderr, "%s: %s\n", paths[i], exs_strerror(rc));
                status = 1;
            }
            if (o.dump && rep == 0)
                printf("S %s records=%" PRIu64 " recovered=%" PRIu64 " chunks=%" PRIu64
                       " crc=%" PRIu64 " bad=%" PRIu64 " tpl=%" PRIu64 " limit=%" PRIu64
                       " dirty=%u truncated=%u\n",
                       paths[i], st.records, st.recovered, st.chunks, st.checksum_errors,
                       st.bad_records, st.missing_templates, st.limit_hits, st.dirty, st.truncated);
            records += st.records;
            recovered += st.recovered;
            bytes += st.bytes;
            crc += st.checksum_errors;
            bad += st.bad_records;
            tpl += st.missing_templates;
            lim += st.limit_hits;
        }
    }
    double dt = now() - t0;
    xs_evtx_reader_destroy(r);
    for (size_t i = 0; i < npaths; i++)
        free(paths[i]);
    free(paths);
    FILE *out = o.dump ? stderr : stdout;
    fprintf(out,
            "records=%" PRIu64 " recovered=%" PRIu64 " bytes=%" PRIu64 " seconds=%.3f"
            " records_per_s=%.0f MiB_per_s=%.1f crc=%" PRIu64 " bad=%" PRIu64
            " missing_tpl=%" PRIu64 " limit=%" PRIu64 "\n",
            records, recovered, bytes, dt, dt > 0 ? (double)records / dt : 0.0,
            dt > 0 ? (double)bytes / dt / 1048576.0 : 0.0, crc, bad, tpl, lim);
    return status;
}
