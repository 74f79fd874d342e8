/* The fleet view (lib/report/fleet.c): saved sweeps of several servers read together. */
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
#include "fixlogs.h"

#define IIS_HDR_FULL "#Software: Microsoft Internet Information Services 10.0\r\n" FIX_IIS_HDR
#define PROBE_ROW                                                                                  \
    "2021-03-04 10:41:11 10.0.0.5 GET /owa/auth/x.js - 443 - 198.51.100.23 "                       \
    "Mozilla/5.0+(compatible;+Nmap+Scripting+Engine;+https://nmap.org/book/nse.html) - 500 0 0 12\r\n"
#define BENIGN_ROW "2021-03-03 11:00:00 10.0.0.5 GET /owa/ - 443 - 10.0.0.9 M - 200 0 0 1\r\n"

/* Sweeps t_dir/<label> (its IIS log holds rows; a shell fixture at aspnet_client when shell)
 * into t_dir/<label>.jsonl. */
static void save(const char *label, const char *rows, const char *shell)
{
    char rel[256], path[512], dir[512];
    snprintf(rel, sizeof rel, "%s/%s", label, FIX_IIS_LOG);
    char log[4096];
    snprintf(log, sizeof log, "%s%s", IIS_HDR_FULL, rows);
    assert_int_equal(t_fix_write(t_dir, rel, log, strlen(log)), 0);
    if (shell) {
        t_fix *f = t_fix_make(shell);
        snprintf(rel, sizeof rel, "%s/C/inetpub/wwwroot/aspnet_client/x.aspx", label);
        assert_int_equal(t_fix_write(t_dir, rel, f->data, f->len), 0);
        t_fix_free(f);
    }
    snprintf(dir, sizeof dir, "%s/%s", t_dir, label);
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, NULL), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, dir), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    snprintf(path, sizeof path, "%s/%s.jsonl", t_dir, label);
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    exs_report_opts ro = EXS_REPORT_OPTS_INIT;
    ro.format = EXS_FORMAT_JSONL;
    assert_int_equal(exs_report_write(exs_scan_results(s), out, &ro), EXS_OK);
    fclose(out);
    exs_scan_destroy(s);
}

/* The text report of the saved sweeps, its Fleet section only. */
static char *fleet_as(const char *const *labels, size_t n, exs_format fmt)
{
    char paths[8][512];
    const char *pp[8];
    for (size_t i = 0; i < n; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s.jsonl", t_dir, labels[i]);
        pp[i] = paths[i];
    }
    exs_results *r;
    char err[256];
    assert_int_equal(exs_results_read_jsonl(&r, pp, n, err, sizeof err), EXS_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    exs_report_opts ro = EXS_REPORT_OPTS_INIT;
    ro.format = fmt;
    assert_int_equal(exs_report_write(r, m, &ro), EXS_OK);
    fclose(m);
    exs_results_destroy(r);
    if (fmt == EXS_FORMAT_HTML) { /* the fleet's section */
        const char *h = strstr(buf, "<section id=\"fleet\"");
        char *sec = h ? strndup(h, (size_t)(strstr(h, "</section>") - h)) : strdup("");
        free(buf);
        return sec;
    }
    const char *a = strstr(buf, "Fleet");
    char *sec = a ? strndup(a, (size_t)(strstr(a, "\n\n") - a) + 1) : strdup("");
    free(buf);
    return sec;
}

static char *fleet(const char *const *labels, size_t n)
{
    return fleet_as(labels, n, EXS_FORMAT_TEXT);
}

static void test_three_servers(void **st)
{
    (void)st;
    save("exch01", FIX_IIS_SHELL_ROW("203.0.113.5"), NULL);
    save("exch02", PROBE_ROW, NULL);
    save("exch03", BENIGN_ROW, NULL);
    const char *labels[] = {"exch01", "exch02", "exch03"};
    char *sec = fleet(labels, 3);
    assert_string_equal(sec,
                        "Fleet: 3 servers\n"
                        "  server                   verdict      build         first compromise  findings\n"
                        "  exch01                   COMPROMISED  -             2021-03-03 11:00         2\n"
                        "  exch02                   PROBED       -             -                        1\n"
                        "  exch03                   NO FINDINGS  -             -                        0\n");
    free(sec);
    /* the HTML report's fleet: the same rows */
    sec = fleet_as(labels, 3, EXS_FORMAT_HTML);
    assert_non_null(strstr(sec, "<h2>Fleet: 3 servers</h2>"));
    assert_non_null(strstr(sec, "<tr><td>exch01</td><td class=\"v-exploitation\" data-v=\"4\">"
                                "COMPROMISED</td><td>-</td><td>2021-03-03 11:00:00</td><td "
                                "class=\"num\">2</td></tr>\n"
                                "<tr><td>exch02</td><td class=\"v-probe\" data-v=\"1\">PROBED</td>"
                                "<td>-</td><td>-</td><td class=\"num\">1</td></tr>\n"
                                "<tr><td>exch03</td><td class=\"v-none\" data-v=\"0\">NO FINDINGS"
                                "</td><td>-</td><td>-</td><td class=\"num\">0</td></tr>\n"));
    /* a probe's address is no attacker's, and no file is on two servers */
    assert_non_null(strstr(sec, "<h3>Attacker addresses seen on several servers (0)</h3>"));
    assert_non_null(strstr(sec, "<h3>Files (SHA-256) seen on several servers (0)</h3>"));
    free(sec);
    /* one server: no fleet view */
    const char *one[] = {"exch01"};
    sec = fleet(one, 1);
    assert_string_equal(sec, "");
    free(sec);
}

/* The same attacker and the same web shell on two servers; a probe's address is not one. */
static void test_shared(void **st)
{
    (void)st;
    save("a", FIX_IIS_SHELL_ROW("203.0.113.5") PROBE_ROW, "ws-eval");
    save("b", FIX_IIS_SHELL_ROW("203.0.113.5") PROBE_ROW, "ws-eval");
    const char *labels[] = {"a", "b"};
    char *sec = fleet(labels, 2);
    assert_non_null(strstr(sec, "\n  address 203.0.113.5 on 2 servers: a b\n"));
    assert_null(strstr(sec, "198.51.100.23"));
    /* the hash and the path whole, wrapped at 100 columns */
    assert_non_null(strstr(sec, "\n  file "));
    assert_non_null(strstr(sec, "\n      (C/inetpub/wwwroot/aspnet_client/x.aspx) on 2 servers: a b\n"));
    assert_non_null(strstr(sec, " on 2 servers: a b\n"));
    for (const char *l = sec; (l = strchr(l, '\n')) != NULL; l++)
        assert_true(strcspn(l + 1, "\n") <= 100);
    free(sec);
    sec = fleet_as(labels, 2, EXS_FORMAT_HTML);
    assert_non_null(strstr(sec, "<h3>Attacker addresses seen on several servers (1)</h3>"));
    assert_non_null(strstr(sec, "<tr><td><code>203.0.113.5</code></td><td class=\"num\">2</td>"
                                "<td>a, b</td></tr>"));
    assert_non_null(strstr(sec, "<br><code>C/inetpub/wwwroot/aspnet_client/x.aspx</code></td>"
                                "<td class=\"num\">2</td><td>a, b</td></tr>"));
    free(sec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_three_servers, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_shared, t_dir_setup, t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
