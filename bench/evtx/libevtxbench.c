/* libevtx (Debian libevtx-dev, 2018) driven the way the scanner would drive an EVTX library:
 * open each file, and for every record fetch the event id, the strings (EventData values)
 * and the rendered XML. Single thread. Prints the same totals line as evtxbench.
 *
 *   libevtxbench [-x] [-r repeat] file...     (-x: skip the XML rendering)
 *
 * Built by bench/evtx/run.sh with `pkg-config --cflags --libs libevtx`; the tool itself never
 * links libevtx. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Debian's libevtx-dev announces libbfio support but does not pull in libbfio's headers;
 * nothing here uses libbfio, so the announcement is withdrawn before libevtx.h reads it. */
#include <libevtx/features.h>
#undef LIBEVTX_HAVE_BFIO
#include <libevtx.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t buf[1 << 20];

/* Touches what a detector needs from one record; returns bytes of text produced. */
static size_t one_record(libevtx_record_t *rec, int xml)
{
    size_t out = 0, sz;
    uint32_t id;
    int n = 0;
    libevtx_record_get_event_identifier(rec, &id, NULL);
    if (libevtx_record_get_utf8_source_name_size(rec, &sz, NULL) == 1 && sz <= sizeof buf &&
        libevtx_record_get_utf8_source_name(rec, buf, sz, NULL) == 1)
        out += sz;
    if (libevtx_record_get_number_of_strings(rec, &n, NULL) == 1)
        for (int i = 0; i < n; i++)
            if (libevtx_record_get_utf8_string_size(rec, i, &sz, NULL) == 1 && sz <= sizeof buf &&
                libevtx_record_get_utf8_string(rec, i, buf, sz, NULL) == 1)
                out += sz;
    if (xml && libevtx_record_get_utf8_xml_string_size(rec, &sz, NULL) == 1 && sz <= sizeof buf &&
        libevtx_record_get_utf8_xml_string(rec, buf, sz, NULL) == 1)
        out += sz;
    return out;
}

int main(int argc, char **argv)
{
    int xml = 1, c;
    long repeat = 1;
    while ((c = getopt(argc, argv, "xr:")) != -1) {
        if (c == 'x')
            xml = 0;
        else if (c == 'r')
            repeat = strtol(optarg, NULL, 10);
        else
            return 2;
    }
    uint64_t records = 0, failed = 0, text = 0;
    double t0 = now();
    for (long rep = 0; rep < repeat; rep++) {
        for (int i = optind; i < argc; i++) {
            libevtx_file_t *f = NULL;
            if (libevtx_file_initialize(&f, NULL) != 1)
                return 1;
            if (libevtx_file_open(f, argv[i], LIBEVTX_OPEN_READ, NULL) != 1) {
                failed++;
                libevtx_file_free(&f, NULL);
                continue;
            }
            int n = 0;
            libevtx_file_get_number_of_records(f, &n, NULL);
            for (int k = 0; k < n; k++) {
                libevtx_record_t *rec = NULL;
                if (libevtx_file_get_record_by_index(f, k, &rec, NULL) != 1) {
                    failed++;
                    continue;
                }
                text += one_record(rec, xml);
                records++;
                libevtx_record_free(&rec, NULL);
            }
            libevtx_file_close(f, NULL);
            libevtx_file_free(&f, NULL);
        }
    }
    double dt = now() - t0;
    printf("records=%" PRIu64 " failed=%" PRIu64 " text_bytes=%" PRIu64 " seconds=%.3f"
           " records_per_s=%.0f\n",
           records, failed, text, dt, dt > 0 ? (double)records / dt : 0.0);
    return 0;
}
