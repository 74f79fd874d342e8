/* Archives inside archives share one expansion allowance: a tar.gz of twenty small gzip
 * files of one letter repeated passes each level's ratio, but not the ratio of all bytes decompressed
 * against the bytes of the outermost file. Limits lowered through the scan's internals so
 * the test stays small; the defaults read the same file without complaint. The member cap is
 * lowered the same way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "memscan.h"
#include "scan/ctx.h"
#include "scan/scan_int.h"
#include "scan/worker.h"

/* One entry (raw gzip when tar is 0, else a tar.gz of copies entries) written to memory. */
static size_t write_archive(unsigned char *out, size_t cap, int tar, const void *data, size_t n,
                            int copies)
{
    struct archive *a = archive_write_new();
    assert_non_null(a);
    assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
    assert_int_equal(tar ? archive_write_set_format_pax_restricted(a)
                         : archive_write_set_format_raw(a),
                     ARCHIVE_OK);
    size_t used = 0;
    assert_int_equal(archive_write_open_memory(a, out, cap, &used), ARCHIVE_OK);
    for (int i = 0; i < copies; i++) {
        struct archive_entry *e = archive_entry_new();
        char name[32];
        snprintf(name, sizeof name, "a%02d.log.gz", i);
        archive_entry_set_pathname(e, name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)n);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, data, n), (la_ssize_t)n);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    return used;
}

static exs_scan *sweep_members(const void *data, size_t n, uint64_t ratio, uint64_t floor,
                               uint64_t members)
{
    exs_scan *s;
    exs_scan_opts o = {1, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    if (ratio) {
        s->archive_ratio = ratio;
        s->archive_floor = floor;
    }
    if (members)
        s->archive_members = members;
    assert_int_equal(xs_scan_prepare(s), EXS_OK);
    xs_worker w;
    assert_int_equal(xs_worker_init(&w, s), EXS_OK);
    xs_worker_process_memory(&w, "d/collected/bomb.tar.gz", "d/collected/bomb.tar.gz", data, n);
    xs_worker_fini(&w);
    xs_scan_finish(s);
    return s;
}

static exs_scan *sweep(const void *data, size_t n, uint64_t ratio, uint64_t floor)
{
    return sweep_members(data, n, ratio, floor, 0);
}

static void test_nested_expansion(void **st)
{
    (void)st;
    /* letters, not zeros: gzip of zeros reads as an empty tar to libarchive; a .log member
     * is read to its end as text */
    size_t zn = 1 << 20;
    unsigned char *zeros = malloc(zn);
    unsigned char *inner = malloc(1 << 16), *outer = malloc(1 << 20);
    assert_non_null(zeros);
    assert_non_null(inner);
    assert_non_null(outer);
    memset(zeros, 'A', zn);
    size_t in = write_archive(inner, 1 << 16, 0, zeros, zn, 1);
    assert_true(in < 2048); /* about 1000:1, under the ratio below */
    size_t on = write_archive(outer, 1 << 20, 1, inner, in, 20);
    assert_true(on < 8192);

    /* ratio 2000 once 1 MiB is out: the inner files (1000:1) and the tar.gz alone pass,
     * the 20 MiB of text against the few KiB of the file do not */
    exs_scan *s = sweep(outer, on, 2000, 1 << 20);
    assert_int_equal(t_warns(s, "limit"), 1);
    size_t nw;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &nw);
    assert_int_equal(nw, 1);
    assert_non_null(strstr(w[0].message, "nested archives counted together"));
    assert_int_equal(t_count(s, NULL), 0);
    exs_scan_destroy(s);

    /* the same file under the default limits: read to the end, no warning */
    s = sweep(outer, on, 0, 0);
    assert_int_equal(t_warns(s, "limit"), 0);
    assert_int_equal(t_warns(s, "archive"), 0);
    exs_scan_destroy(s);
    free(zeros);
    free(inner);
    free(outer);
}

/* XS_MAX_ARCHIVE_MEMBERS (lowered to 5): the members past it are not read, one counted
 * warning says so; the first five are (each a log with a web-shell request). */
static void test_member_cap(void **st)
{
    (void)st;
    static const char log[] =
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
        "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n"
        "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami 443 - 192.0.2.1 M - 200 0 0 1\n";
    unsigned char *tgz = malloc(1 << 16);
    assert_non_null(tgz);
    size_t n = write_archive(tgz, 1 << 16, 1, log, sizeof log - 1, 8);
    exs_scan *s = sweep_members(tgz, n, 0, 0, 5);
    assert_int_equal(t_warns(s, "limit"), 1);
    size_t nw;
    assert_string_equal(exs_results_warnings(exs_scan_results(s), &nw)[0].message,
                        "more than 5 members; rest not read");
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 5);
    /* the archive is the root: its members are shown as if it were a folder, by their path
     * under it and no member chain */
    for (size_t i = 0; i < 5; i++) {
        const exs_finding *f = t_find(s, "EXS-WS-CMD", i);
        char member[32];
        snprintf(member, sizeof member, "a%02zu.log.gz", i);
        assert_string_equal(f->origin.path, member);
        assert_int_equal(f->origin.nmembers, 0);
        assert_int_equal(f->origin.line, 2);
        assert_string_equal(f->http->client, "192.0.2.1");
    }
    exs_scan_destroy(s);
    s = sweep(tgz, n, 0, 0);
    assert_int_equal(t_warns(s, "limit"), 0);
    assert_int_equal(t_count(s, "EXS-WS-CMD"), 8);
    exs_scan_destroy(s);
    free(tgz);
}

/* A zstd frame whose window (2 GiB, zstd --long=31) is more than the decoder allows: libarchive
 * says "Frame requires too much memory for decoding". The data's refusal, not the machine's:
 * one archive warning, the sweep goes on and does not fail. */
static void test_zstd_window_is_damage(void **st)
{
    (void)st;
    static const unsigned char zst[] = {
        0x28, 0xb5, 0x2f, 0xfd, 0x04, 0xa8, 0x71, 0x00, 0x00, 0x6d, 0x65, 0x65, 0x74, 0x69,
        0x6e, 0x67, 0x20, 0x6e, 0x6f, 0x74, 0x65, 0x73, 0x0a, 0xa2, 0x77, 0x94, 0xf8};
    exs_scan *s = sweep(zst, sizeof zst, 0, 0);
    assert_false(xs_scan_failed(s));
    assert_int_equal(t_warns(s, "archive"), 1);
    size_t nw;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &nw);
    assert_int_equal(nw, 1);
    assert_non_null(strstr(w[0].message, "too much memory"));
    assert_int_equal(t_count(s, NULL), 0);
    exs_scan_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_expansion),
        cmocka_unit_test(test_member_cap),
        cmocka_unit_test(test_zstd_window_is_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
