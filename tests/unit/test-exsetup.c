/* The installed build from Bin\ExSetup.exe (lib/detectors/exsetup.c), end to end: sweeps of
 * trees assembled in a temporary folder, read back from the scan's state store (the public
 * results do not carry server state yet). Exchange's ExSetup.exe is noted with its file time
 * and no finding; other products' are not; copies outside a Bin folder are not; damaged ones
 * are counted warnings; one larger than the size policy is read through the stream, one in a
 * triage archive from memory (or in part, a LIMIT warning, when it is larger than the policy
 * and its stream cannot seek). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exsweep/exsweep.h"
#include "fixfiles.h"
#include "memscan.h"
#include "mkarchive.h"
#include "pewriter.h"
#include "scan/scan_int.h"
#include "state/observe.h"

#define BIN "C/Program Files/Microsoft/Exchange Server/V15/Bin/"
#define MTIME 1614643200LL /* 2021-03-02 00:00:00 UTC */

static char *const root = t_dir; /* made and removed around each test */

static void put_pe(const char *rel, const t_pe_opts *o)
{
    size_t n;
    unsigned char *p = t_pe_build(o, &n, NULL);
    assert_non_null(p);
    assert_int_equal(t_fix_write_at(root, rel, p, n, MTIME), 0);
    free(p);
}

static exs_scan *sweep(uint64_t max_file_size)
{
    exs_scan *s;
    exs_scan_opts o = {1, 0, max_file_size, NULL, 0, 0};
    assert_int_equal(exs_scan_create(&s, &o), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, root), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    return s;
}

/* The builds the sweep observed. */
static const xs_sbuild *builds(const exs_scan *s, size_t *n)
{
    *n = 0;
    return s->state ? xs_state_builds(s->state, n) : NULL;
}

static void expect_build(const exs_scan *s, const char *text, const char *detail,
                         const char *file_suffix)
{
    size_t n;
    const xs_sbuild *b = builds(s, &n);
    assert_int_equal(n, 1);
    char bt[XS_BUILD_TEXT];
    assert_string_equal(xs_build_text(&b[0].o.build, bt), text);
    assert_int_equal(b[0].o.build.nparts, 4);
    assert_int_equal(b[0].root, 0);
    assert_int_equal(b[0].o.source, XS_BSRC_EXSETUP);
    assert_int_equal(b[0].o.first_ms, MTIME * 1000);
    assert_true(b[0].o.last_ms == EXS_TIME_NONE);
    assert_string_equal(b[0].o.detail, detail);
    size_t fl = strlen(b[0].file), sl = strlen(file_suffix);
    assert_true(fl >= sl && strcmp(b[0].file + fl - sl, file_suffix) == 0);
    assert_int_equal(b[0].files, 1);
}

static void expect_no_build(const exs_scan *s)
{
    size_t n;
    builds(s, &n);
    assert_int_equal(n, 0);
}

static const char *const EXCHANGE_DETAIL =
    "FileVersion 15.01.2176.009, ProductName Microsoft\xc2\xae Exchange";

/* Exchange 2016's ExSetup.exe: the build, the file's time, no finding, no warning. */
static void test_installed(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    put_pe(BIN "ExSetup.exe", &o);
    exs_scan *s = sweep(0);
    expect_build(s, "15.1.2176.9", EXCHANGE_DETAIL, "Bin/ExSetup.exe");
    assert_int_equal(t_count(s, NULL), 0);
    assert_int_equal(t_warns(s, "binary"), 0);
    assert_int_equal(t_warns(s, "limit"), 0);
    exs_scan_destroy(s);
}

/* Without VS_FIXEDFILEINFO the FileVersion string gives the build; without it the fixed
 * version is what the detail names. */
static void test_string_or_fixed(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    o.no_fixed = true;
    put_pe(BIN "ExSetup.exe", &o);
    exs_scan *s = sweep(0);
    expect_build(s, "15.1.2176.9", EXCHANGE_DETAIL, "Bin/ExSetup.exe");
    exs_scan_destroy(s);

    const t_pe_str only[] = {{"CompanyName", "Microsoft Corporation"}};
    t_pe_exsetup_opts(&o);
    const uint16_t v[4] = {15, 2, 1544, 4};
    memcpy(o.file_ver, v, sizeof v);
    o.strings = only;
    o.nstrings = 1;
    put_pe(BIN "ExSetup.exe", &o);
    s = sweep(0);
    expect_build(s, "15.2.1544.4", "FileVersion 15.2.1544.4", "Bin/ExSetup.exe");
    exs_scan_destroy(s);
}

/* Another product's ExSetup.exe is not Exchange's; a major version of 15 is, whoever signs. */
static void test_other_products(void **st)
{
    (void)st;
    const t_pe_str other[] = {{"CompanyName", "Contoso Ltd"},
                              {"ProductName", "Contoso Installer"},
                              {"FileVersion", "3.1.0.7"}};
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    const uint16_t v[4] = {3, 1, 0, 7};
    memcpy(o.file_ver, v, sizeof v);
    o.strings = other;
    o.nstrings = 3;
    put_pe(BIN "ExSetup.exe", &o);
    exs_scan *s = sweep(0);
    expect_no_build(s);
    assert_int_equal(t_count(s, NULL), 0);
    assert_int_equal(t_warns(s, "binary"), 0);
    exs_scan_destroy(s);

    const uint16_t v15[4] = {15, 0, 1497, 2};
    memcpy(o.file_ver, v15, sizeof v15);
    put_pe(BIN "ExSetup.exe", &o);
    s = sweep(0);
    expect_build(s, "15.0.1497.2", "FileVersion 3.1.0.7, ProductName Contoso Installer",
                 "Bin/ExSetup.exe");
    exs_scan_destroy(s);
}

/* Setup media and downloaded updates hold ExSetup.exe too: what could be installed. */
static void test_not_in_bin(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    put_pe("D/ExchangeCU23/Setup/ServerRoles/Common/ExSetup.exe", &o);
    put_pe("C/Program Files/Microsoft/Exchange Server/V15/Bin/Old/exsetup.exe.bak", &o);
    put_pe("C/Tools/mybin/ExSetup.exe", &o);
    exs_scan *s = sweep(0);
    expect_no_build(s);
    exs_scan_destroy(s);
}

/* Damaged, not a PE, no version: counted warnings naming the file; the sweep goes on. */
static void test_damaged(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    size_t n;
    t_pe_layout lay;
    unsigned char *p = t_pe_build(&o, &n, &lay);
    assert_non_null(p);
    assert_int_equal(t_fix_write(root, "A/" BIN "ExSetup.exe", p, lay.version + 40), 0);
    free(p);
    assert_int_equal(t_fix_write(root, "B/" BIN "ExSetup.exe", "not a program", 13), 0);
    o.res = T_PE_NO_VERSION;
    put_pe("C/" BIN "ExSetup.exe", &o);
    exs_scan *s = sweep(0);
    expect_no_build(s);
    assert_int_equal(t_count(s, NULL), 0);
    assert_int_equal(t_warns(s, "binary"), 3);
    size_t nw;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &nw);
    const char *want[] = {
        "ExSetup.exe: damaged (the version resource lies outside the file); the installed "
        "build is not read from it",
        "ExSetup.exe: not a PE (no MZ header); the installed build is not read from it",
        "ExSetup.exe: no version resource (no version resource); the installed build is not "
        "read from it",
    };
    size_t seen = 0;
    for (size_t i = 0; i < nw; i++)
        for (size_t k = 0; k < 3; k++)
            if (strcmp(w[i].kind, "binary") == 0 && strcmp(w[i].message, want[k]) == 0 &&
                w[i].file[0] == "ABC"[k])
                seen |= 1u << k;
    assert_int_equal(seen, 7);
    exs_scan_destroy(s);
}

/* Larger than the size policy keeps whole (and than the 64 KiB head): read through the
 * stream, the first XS_PE_MAX_BYTES of it. */
static void test_large(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    o.gap = 200000;
    put_pe(BIN "ExSetup.exe", &o);
    exs_scan *s = sweep(100000);
    expect_build(s, "15.1.2176.9", EXCHANGE_DETAIL, "Bin/ExSetup.exe");
    assert_int_equal(t_warns(s, "limit"), 0);
    exs_scan_destroy(s);
}

/* A triage archive of the install: the member is read from memory. */
static void test_archive(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    size_t n;
    unsigned char *p = t_pe_build(&o, &n, NULL);
    assert_non_null(p);
    const char *names[] = {"V15/Bin/ExSetup.exe", NULL};
    const char *datas[] = {(const char *)p};
    char path[400];
    snprintf(path, sizeof path, "%s/triage.zip", root);
    assert_int_equal(t_write_archive(path, "zip", names, datas, &n), 0);
    free(p);
    exs_scan *s = sweep(0);
    size_t nb;
    const xs_sbuild *b = builds(s, &nb);
    assert_int_equal(nb, 1);
    char bt[XS_BUILD_TEXT];
    assert_string_equal(xs_build_text(&b[0].o.build, bt), "15.1.2176.9");
    assert_string_equal(b[0].file, "triage.zip!/V15/Bin/ExSetup.exe");
    exs_scan_destroy(s);

    /* larger than the size policy: a member's stream does not seek, and its head holds only
     * the headers: read in part, a LIMIT warning */
    o.gap = 200000;
    p = t_pe_build(&o, &n, NULL);
    assert_non_null(p);
    datas[0] = (const char *)p;
    assert_int_equal(t_write_archive(path, "zip", names, datas, &n), 0);
    free(p);
    s = sweep(100000);
    expect_no_build(s);
    assert_int_equal(t_warns(s, "limit"), 1);
    size_t nw;
    const exs_warning *w = exs_results_warnings(exs_scan_results(s), &nw);
    assert_int_equal(nw, 1);
    assert_string_equal(w[0].file, "triage.zip!/V15/Bin/ExSetup.exe");
    assert_non_null(strstr(w[0].message, "ExSetup.exe read in part (65536 bytes): damaged"));
    exs_scan_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_installed, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_string_or_fixed, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_other_products, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_not_in_bin, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_damaged, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_large, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_archive, t_dir_setup, t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
