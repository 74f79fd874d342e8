/* Reading files that change or have holes: a file is read up to the size it had when it was
 * opened (a live log that keeps growing does not hold the sweep; one that shrank is a counted
 * warning naming it), and the holes of a sparse log are skipped, not read as zeros. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/digest.h"
#include "core/limits.h"
#include "exsweep/exsweep.h"
#include "fixfiles.h"
#include "fixlogs.h"
#include "memscan.h"
#include "scan/scan_int.h"
#include "scan/worker.h"
#include "sources/classify.h"

#define BENIGN_ROW "2021-03-03 11:00:01 10.0.0.5 GET /owa/ - 443 - 10.1.1.1 Mozilla/5.0 - 200 0 0 5\r\n"
#define PLANTED FIX_IIS_HDR FIX_IIS_SHELL_ROW("192.0.2.1") FIX_IIS_SHELL_ROW("192.0.2.2") FIX_IIS_SHELL_ROW("192.0.2.3")

static char path[512];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void put_log(const char *text)
{
    assert_int_equal(t_fix_write(t_dir, FIX_IIS_LOG, text, strlen(text)), 0);
    snprintf(path, sizeof path, "%s/%s", t_dir, FIX_IIS_LOG);
}

static void append(const char *text)
{
    int fd = open(path, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

/* Sweeps the log the way the walker hands it over: opened and stat'ed now (st), read later,
 * after the caller changed it (change, may be NULL). */
static exs_scan *sweep_opened(void (*change)(void))
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    xs_item *it = calloc(1, sizeof *it);
    assert_non_null(it);
    assert_int_equal(fstat(fd, &it->st), 0);
    it->fd = fd;
    it->display = strdup(FIX_IIS_LOG);
    it->norm = malloc(XS_MAX_PATH * 2 + 2);
    assert_non_null(it->display);
    assert_non_null(it->norm);
    xs_path_norm(path, it->norm, XS_MAX_PATH * 2 + 2);
    if (change)
        change();
    exs_scan *s = t_scan_prepared();
    xs_worker w;
    assert_int_equal(xs_worker_init(&w, s), EXS_OK);
    xs_worker_process(&w, it);
    xs_scan_add_stats(s, &w.stats);
    xs_worker_fini(&w);
    xs_scan_finish(s);
    return s;
}

static const exs_coverage *iis_coverage(const exs_scan *s)
{
    size_t n;
    const exs_coverage *c = exs_results_coverage(exs_scan_results(s), &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].family, "IIS/W3SVC1") == 0)
            return &c[i];
    fail_msg("no IIS coverage");
    return NULL;
}

/* The only kept warning whose message holds text, or NULL. */
static const exs_warning *warning_with(const exs_scan *s, const char *text)
{
    size_t n;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &n), *found = NULL;
    for (size_t i = 0; i < n; i++)
        if (strstr(w[i].message, text)) {
            assert_null(found);
            found = &w[i];
        }
    return found;
}

static void grow_with_attacks(void)
{
    char rows[64 * 1024] = "";
    size_t o = 0;
    for (int i = 10; i < 250; i++)
        o += (size_t)snprintf(rows + o, sizeof rows - o, FIX_IIS_SHELL_ROW("198.51.100.%d"), i);
    append(rows);
}

/* Lines written after the file was opened are not read, even attacks: the file ends where it
 * ended at open. */
static void test_grown_after_open(void **st)
{
    (void)st;
    put_log(PLANTED);
    exs_scan *s = sweep_opened(grow_with_attacks);
    assert_int_equal(t_count(s, NULL), 6);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 3);
    assert_int_equal(iis_coverage(s)->lines, 4);
    assert_int_equal(iis_coverage(s)->bytes, strlen(PLANTED));
    assert_null(warning_with(s, "shrank"));
    exs_scan_destroy(s);
}

static void cut_to_two_rows(void)
{
    assert_int_equal(truncate(path, (off_t)strlen(FIX_IIS_HDR FIX_IIS_SHELL_ROW("192.0.2.1") FIX_IIS_SHELL_ROW("192.0.2.2"))),
                     0);
}

/* A file cut while it is read: what is left is read, and one warning names the file. */
static void test_shrunk_while_read(void **st)
{
    (void)st;
    put_log(PLANTED);
    exs_scan *s = sweep_opened(cut_to_two_rows);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 2);
    assert_int_equal(exs_results_stats(exs_scan_results(s))->findings, 4);
    const exs_warning *w = warning_with(s, "shrank");
    assert_non_null(w);
    assert_string_equal(w->kind, "unreadable");
    assert_string_equal(w->file, FIX_IIS_LOG);
    assert_int_equal(t_warns(s, "unreadable"), 1);
    exs_scan_destroy(s);
}

/* ------------------------------------------------------------------ a live log */

typedef struct writer {
    int fd;
    volatile int stop;
    uint64_t written;
    int punched; /* the file system frees the blocks behind the writer */
} writer;

/* Appends benign rows at full speed until told to stop (or a minute, or 64 GiB, whichever
 * comes first, so that a sweep that chases the writer ends too). Blocks more than 16 MiB behind
 * are punched out, so the disk holds little whatever the size grows to; the rows that were
 * there at the start (the planted part) are never punched. */
static void *write_live(void *p)
{
    writer *wr = p;
    static char chunk[1 << 20];
    size_t n = 0, rl = strlen(BENIGN_ROW);
    while (n + rl <= sizeof chunk) {
        memcpy(chunk + n, BENIGN_ROW, rl);
        n += rl;
    }
    off_t off = lseek(wr->fd, 0, SEEK_END);
    off_t keep = (off + (1 << 20)) & ~(off_t)((1 << 20) - 1), punched_to = keep;
    double t0 = now();
    while (!wr->stop && wr->written < (64ull << 30) && now() - t0 < 60) {
        ssize_t w = pwrite(wr->fd, chunk, n, off);
        if (w <= 0)
            break;
        off += w;
        wr->written += (uint64_t)w;
        if (off - punched_to > (32 << 20)) {
            off_t to = off - (16 << 20);
            if (fallocate(wr->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, punched_to,
                          to - punched_to) == 0)
                wr->punched = 1;
            else if (wr->written > (256u << 20))
                break; /* no punching here: bounded all the same */
            punched_to = to;
        }
    }
    return NULL;
}

/* A log written at full speed by another thread for the whole sweep: the sweep ends (at the
 * size the log had when it was opened) with the findings of the part written before. */
static void test_live_log(void **st)
{
    (void)st;
    put_log(PLANTED);
    writer wr = {open(path, O_WRONLY), 0, 0, 0};
    assert_true(wr.fd >= 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, write_live, &wr), 0);
    while (wr.written < (4u << 20)) /* the log is live before the sweep starts */
        usleep(1000);
    exs_scan *s;
    exs_scan_opts o = {1, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, t_dir), EXS_OK);
    double t0 = now();
    exs_rc rc = exs_scan_run(s);
    double took = now() - t0;
    int still_writing = !wr.stop && wr.written < (64ull << 30);
    wr.stop = 1;
    pthread_join(t, NULL);
    close(wr.fd);
    assert_int_equal(rc, EXS_OK);
    assert_true(still_writing);
    assert_true(took < 30); /* a reader that chased the writer would take its whole minute */
    assert_int_equal(t_count(s, NULL), 6);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 3);
    assert_true(iis_coverage(s)->bytes >= strlen(PLANTED));
    assert_true(iis_coverage(s)->bytes < strlen(PLANTED) + wr.written);
    exs_scan_destroy(s);
}

/* ------------------------------------------------------------------ holes */

/* Writes text at off of the log (creating it), leaving holes before. */
static void put_at(off_t off, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, text, strlen(text), off), (ssize_t)strlen(text));
    close(fd);
}

/* True when the file system reports the hole at off (SEEK_HOLE); some do not. */
static int hole_at(off_t off)
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    off_t h = lseek(fd, 0, SEEK_HOLE);
    close(fd);
    return h == off;
}

static uint64_t holes_skipped(const exs_scan *s)
{
    const exs_warning *w = warning_with(s, "bytes of holes");
    assert_non_null(w);
    assert_string_equal(w->kind, "binary");
    assert_string_equal(w->file, FIX_IIS_LOG);
    const char *p = strstr(w->message, "sparse file: ");
    assert_non_null(p);
    return strtoull(p + 13, NULL, 10);
}

static exs_scan *sweep_dir(void)
{
    exs_scan *s;
    exs_scan_opts o = {1, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, t_dir), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    return s;
}

/* A hole of 6 GiB (ftruncate) between two rows: skipped, the row after it found at its line,
 * a few KiB read, one warning with the bytes skipped. */
static void test_sparse_log(void **st)
{
    (void)st;
    put_log(FIX_IIS_HDR BENIGN_ROW);
    const off_t gap = 6ll << 30;
    assert_int_equal(truncate(path, gap), 0);
    put_at(gap, FIX_IIS_SHELL_ROW("192.0.2.9"));
    if (!hole_at(4096))
        skip(); /* no SEEK_HOLE on this file system, or another block size */
    double t0 = now();
    exs_scan *s = sweep_dir();
    double took = now() - t0;
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 1);
    assert_int_equal(t_find(s, "EXS-WS-CMD", 0)->origin.line, 3);
    assert_int_equal(holes_skipped(s), (uint64_t)gap - 4096);
    assert_int_equal(iis_coverage(s)->bytes, 4096 + strlen(FIX_IIS_SHELL_ROW("192.0.2.9")));
    assert_int_equal(iis_coverage(s)->lines, 3);
    assert_true(took < 10);
    exs_scan_destroy(s);
}

static void cut_into_the_hole(void)
{
    assert_int_equal(truncate(path, 2 << 20), 0);
}

/* A sparse log cut into its hole after it was opened: SEEK_DATA finds no data past the first
 * block, as it would for a hole up to the end, but the file now ends at 2 MiB. It is warned as
 * shrunk, ending there, and the holes counted are those up to there, not up to the size it had
 * (8 MiB and a row). */
static void test_sparse_shrunk(void **st)
{
    (void)st;
    const char *row = FIX_IIS_SHELL_ROW("192.0.2.9");
    put_log(FIX_IIS_HDR BENIGN_ROW);
    assert_int_equal(truncate(path, 8 << 20), 0);
    put_at(8 << 20, row);
    if (!hole_at(4096))
        skip();
    exs_scan *s = sweep_opened(cut_into_the_hole);
    assert_int_equal(holes_skipped(s), (2u << 20) - 4096);
    const exs_warning *w = warning_with(s, "shrank");
    assert_non_null(w);
    char want[200];
    snprintf(want, sizeof want,
             "the file shrank while it was read: it ended after %u of the %zu bytes it had when "
             "opened",
             2u << 20, (8u << 20) + strlen(row));
    assert_string_equal(w->message, want);
    assert_string_equal(w->kind, "unreadable");
    assert_int_equal(t_warns(s, "unreadable"), 1);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 0);
    assert_int_equal(iis_coverage(s)->bytes, 4096);
    exs_scan_destroy(s);
}

/* XS_HOLE_MIN: holes are looked for once per XS_HOLE_MIN bytes read. After a 64 KiB hole
 * (skipped whole: the sniff met it), the next look comes XS_HOLE_MIN bytes on, so the first
 * bytes of the 4 MiB hole that follows, inside them, are read as zeros and the rest skipped. */
static void test_hole_min(void **st)
{
    (void)st;
    put_log(FIX_IIS_HDR BENIGN_ROW);
    put_at(68 << 10, BENIGN_ROW BENIGN_ROW);
    const off_t last = (72 << 10) + (4 << 20);
    put_at(last, FIX_IIS_SHELL_ROW("192.0.2.9"));
    if (!hole_at(4096))
        skip();
    exs_scan *s = sweep_dir();
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 1);
    assert_int_equal(t_find(s, "EXS-WS-CMD", 0)->origin.line, 5);
    uint64_t read_zeros = XS_HOLE_MIN - 4096; /* [72 KiB, 68 KiB + XS_HOLE_MIN) */
    assert_int_equal(holes_skipped(s), (64u << 10) + (4u << 20) - read_zeros);
    exs_scan_destroy(s);
}

/* The file side copies a file (within --max-file-size) with its holes read as zeros, so its
 * digest is that of every byte: a sparse log under the limit, with --check-logs, is not
 * skipped over, and its SHA-256 (zeros included) matches an IOC list's. */
static void test_sparse_copied_whole(void **st)
{
    (void)st;
    const char *row = FIX_IIS_SHELL_ROW("192.0.2.9");
    size_t size = (3u << 20) + strlen(row);
    put_log(FIX_IIS_HDR BENIGN_ROW);
    assert_int_equal(truncate(path, 3 << 20), 0);
    put_at(3 << 20, row);
    if (!hole_at(4096))
        skip();
    char *bytes = calloc(1, size), hex[65], ioc[128];
    assert_non_null(bytes);
    memcpy(bytes, FIX_IIS_HDR BENIGN_ROW, strlen(FIX_IIS_HDR BENIGN_ROW));
    memcpy(bytes + (3u << 20), row, strlen(row));
    assert_true(xs_sha256_hex(bytes, size, hex));
    free(bytes);
    snprintf(ioc, sizeof ioc, "%s;the sparse log\n", hex);
    assert_int_equal(t_fix_write(t_dir, "iocs.txt", ioc, strlen(ioc)), 0);
    char list[600];
    snprintf(list, sizeof list, "%s/iocs.txt", t_dir);
    exs_scan *s;
    exs_scan_opts o = {.jobs = 1, .check_logs = 1};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_iocs(s, list), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, t_dir), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 1);
    assert_null(warning_with(s, "bytes of holes"));
    assert_non_null(t_find_file(s, "EXS-FILE-HASH-IOC", "u_ex210303.log"));
    assert_int_equal(iis_coverage(s)->bytes, size);
    exs_scan_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_grown_after_open, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_shrunk_while_read, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_live_log, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_sparse_log, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_sparse_shrunk, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_hole_min, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_sparse_copied_whole, t_dir_setup, t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
