/* --format html (lib/report/html.c): the document has its sections and the CSP; nothing in it
 * points at a network; hostile strings of the evidence (a log line carrying
 * "</script><script>alert(1)</script>", a web shell named "<img src=x onerror=alert(1)>.aspx",
 * the byte 0xff, U+2028) appear only escaped; the embedded findings parse with the project's
 * own JSON parser and give back the evidence's strings; past the cap the heaviest are kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/limits.h"
#include "exsweep/exsweep.h"
#include "fixfiles.h"
#include "fixlogs.h"
#include "parsers/json.h"
#include "report/html.h"

#define SHELL_NAME "<img src=x onerror=alert(1)>.aspx"
#define SCRIPT_UA "</script><script>alert(1)</script>"
#define IIS_HDR_FULL "#Software: Microsoft Internet Information Services 10.0\r\n" FIX_IIS_HDR
#define CSP_META                                                                                   \
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "       \
    "'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action "   \
    "'none'\">"
#define DATA_OPEN "<script type=\"application/json\" id=\"exs-data\">"

/* A web shell named SHELL_NAME in aspnet_client, and a request to a shell whose user agent is
 * SCRIPT_UA and whose query ends in U+2028 and the byte 0xff. */
static exs_scan *sweep(void)
{
    t_fix *f = t_fix_make("ws-eval");
    assert_non_null(f);
    assert_int_equal(t_fix_write_at(t_dir, "C/inetpub/wwwroot/aspnet_client/" SHELL_NAME, f->data,
                                    f->len, 1614729600LL),
                     0);
    t_fix_free(f);
    static const char log[] = IIS_HDR_FULL
        "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami\xe2\x80\xa8\xff 443 - "
        "203.0.113.5 " SCRIPT_UA " - 200 0 0 1\r\n";
    assert_int_equal(t_fix_write(t_dir, FIX_IIS_LOG, log, sizeof log - 1), 0);
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, NULL), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, t_dir), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    return s;
}

static char *render(const exs_results *r, size_t cap)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    if (cap) {
        assert_int_equal(xs_report_html(r, m, cap), EXS_OK);
    } else {
        exs_report_opts ro = EXS_REPORT_OPTS_INIT;
        ro.format = EXS_FORMAT_HTML;
        assert_int_equal(exs_report_write(r, m, &ro), EXS_OK);
    }
    fclose(m);
    return buf;
}

static size_t count(const char *t, const char *needle)
{
    size_t n = 0;
    for (const char *p = t; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The embedded JSON block's text (a new string). */
static char *data_block(const char *doc)
{
    const char *a = strstr(doc, DATA_OPEN);
    assert_non_null(a);
    a += strlen(DATA_OPEN);
    const char *e = strstr(a, "</script>");
    assert_non_null(e);
    return strndup(a, (size_t)(e - a));
}

/* Every tag of the document outside the two script blocks: no attribute names a URL, none
 * loads anything (src, href, action, srcset, url()), no <link>, <iframe>, <object>, <embed>,
 * <img>, <base>, <form>; the script itself makes no request and writes no markup. */
static void assert_no_network(const char *doc)
{
    const char *p = doc;
    int scripts = 0;
    while ((p = strchr(p, '<'))) {
        const char *e = strchr(p, '>');
        assert_non_null(e);
        char *tag = strndup(p, (size_t)(e - p + 1));
        for (char *c = tag; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        static const char *const bad[] = {"http:", "https:", "//", " src=", " href=", " action=",
                                          "srcset", "url(", "<link", "<iframe", "<object", "<embed",
                                          "<img", "<base", "<form", "<meta http-equiv=\"refresh"};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
            if (strstr(tag, bad[i])) {
                fprintf(stderr, "tag %s holds %s\n", tag, bad[i]);
                fail();
            }
        bool script = strncmp(tag, "<script", 7) == 0;
        free(tag);
        p = e + 1;
        if (script) { /* skip to its end: data or code, checked apart */
            scripts++;
            const char *end = strstr(p, "</script>");
            assert_non_null(end);
            if (scripts == 2) {
                char *code = strndup(p, (size_t)(end - p));
                static const char *const js_bad[] = {"http", "fetch(", "XMLHttpRequest", "innerHTML",
                                                     "outerHTML", "insertAdjacentHTML", "eval(",
                                                     "document.write", "WebSocket", "sendBeacon",
                                                     "import(", ".src", ".href"};
                for (size_t i = 0; i < sizeof js_bad / sizeof js_bad[0]; i++)
                    if (strstr(code, js_bad[i])) {
                        fprintf(stderr, "the script holds %s\n", js_bad[i]);
                        fail();
                    }
                free(code);
            }
            p = end + strlen("</script>");
        }
    }
    assert_int_equal(scripts, 2); /* the data and the code: none came from the evidence */
    assert_int_equal(count(doc, "<script"), 2);
    assert_int_equal(count(doc, "</script>"), 2);
}

static void test_document(void **st)
{
    (void)st;
    exs_scan *s = sweep();
    char *doc = render(exs_scan_results(s), 0);
    assert_true(xs_utf8_valid(doc, strlen(doc))); /* 0xff never raw */
    assert_null(strstr(doc, "\xe2\x80\xa8"));     /* U+2028 never raw */
    assert_int_equal(strncmp(doc, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" CSP_META,
                             strlen("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" CSP_META)),
                     0);
    static const char *const sections[] = {
        "<section id=\"verdict\" class=\"card v-exploitation\">",
        "<section class=\"card server\">",
        "<section id=\"timeline\" class=\"card\">",
        "<svg id=\"exs-timeline\"",
        "<section id=\"backdoors\" class=\"card\">",
        "<section id=\"attackers\" class=\"card\">",
        "<section id=\"findings\" class=\"card\">",
        "<table id=\"exs-findings\">",
        "<section id=\"coverage\" class=\"card\">",
        DATA_OPEN,
        "</body>\n</html>\n",
    };
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        if (!strstr(doc, sections[i]))
            fprintf(stderr, "missing: %s\n", sections[i]);
        assert_non_null(strstr(doc, sections[i]));
    }
    assert_non_null(strstr(doc, "COMPROMISED - evidence of exploitation or a backdoor"));
    assert_non_null(strstr(doc, "<b>First sign of compromise:</b> 2021-03-03 00:00:00 UTC"));
    /* the backdoor, by its escaped name; the attacker */
    assert_non_null(strstr(doc, "<h2>What they left: 1 file (1 backdoor, 0 other artefacts)</h2>"));
    assert_non_null(strstr(doc, "C/inetpub/wwwroot/aspnet_client/&lt;img src=x onerror=alert(1)&gt;.aspx</td>"));
    assert_non_null(strstr(doc, "<tr><td><code>203.0.113.5</code></td><td class=\"num\">3</td>"));
    /* hostile strings only escaped */
    assert_null(strstr(doc, "<img"));
    assert_null(strstr(doc, SCRIPT_UA));
    assert_null(strstr(doc, "alert(1)</script>"));
    assert_no_network(doc);
    /* in the JSON: < as \u003c, U+2028 as \u2028, 0xff as U+FFFD */
    char *data = data_block(doc);
    assert_null(strchr(data, '<'));
    assert_non_null(strstr(data, "\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\""));
    assert_non_null(strstr(data, "\\u003cimg src=x onerror=alert(1)\\u003e.aspx"));
    assert_non_null(strstr(data, "cmd=whoami\\u2028\\ufffd"));
    free(data);
    free(doc);
    exs_scan_destroy(s);
}

/* The embedded block parses with lib/parsers/json.h as it is (nothing unescaped first), and
 * its strings read back as the evidence's bytes. */
static void test_json_parses(void **st)
{
    (void)st;
    exs_scan *s = sweep();
    char *doc = render(exs_scan_results(s), 0);
    char *data = data_block(doc);
    size_t n = strlen(data), np;
    xs_json_pair *pairs = calloc(8192, sizeof *pairs);
    char *scratch = malloc(n + 1), *paths = malloc(1 << 20);
    assert_true(pairs && scratch && paths);
    assert_int_equal(xs_json_paths(data, n, pairs, 8192, &np, scratch, paths, 1 << 20), 0);
    size_t embedded = 0, ua = 0, shell = 0, words = 0;
    for (size_t i = 0; i < np; i++) {
        if (xs_str_eq(pairs[i].key, "embedded"))
            embedded = (size_t)atoi(pairs[i].value.p);
        if (xs_str_eq(pairs[i].key, "findings.w"))
            words++;
        if (xs_str_eq(pairs[i].key, "findings.d") && pairs[i].value.n == strlen(SCRIPT_UA) &&
            memcmp(pairs[i].value.p, SCRIPT_UA, strlen(SCRIPT_UA)) == 0)
            ua++;
        if (xs_str_eq(pairs[i].key, "findings.at") &&
            memmem(pairs[i].value.p, pairs[i].value.n, SHELL_NAME, strlen(SHELL_NAME)))
            shell++;
    }
    size_t kept;
    exs_results_findings(exs_scan_results(s), &kept);
    assert_int_equal(embedded, kept);
    assert_int_equal(words, kept);
    assert_true(ua >= 1);
    assert_true(shell >= 1);
    free(paths);
    free(scratch);
    free(pairs);
    free(data);
    free(doc);
    exs_scan_destroy(s);
}

/* Past the cap (here 1 instead of XS_HTML_MAX_FINDINGS): the heaviest finding is embedded, the
 * rest counted, and the page says so. */
static void test_cap(void **st)
{
    (void)st;
    exs_scan *s = sweep();
    size_t kept;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &kept);
    assert_true(kept > 2);
    const exs_finding *heavy = &f[0];
    for (size_t i = 1; i < kept; i++)
        if (f[i].verdict > heavy->verdict ||
            (f[i].verdict == heavy->verdict && f[i].severity > heavy->severity))
            heavy = &f[i];
    char *doc = render(exs_scan_results(s), 1);
    char want[256];
    snprintf(want, sizeof want, "\"kept\":%zu,\"embedded\":1,", kept);
    assert_non_null(strstr(doc, want));
    snprintf(want, sizeof want, "This file embeds at most 1 findings: the 1 heaviest are here, "
                                "%zu more are counted only (-f jsonl lists every kept finding).",
             kept - 1);
    assert_non_null(strstr(doc, want));
    char *data = data_block(doc);
    snprintf(want, sizeof want, "\"rules\":[{\"id\":\"%s\"", heavy->rule->id);
    assert_non_null(strstr(data, want));
    assert_int_equal(count(data, "{\"v\":"), 1);
    free(data);
    free(doc);
    /* the writer's own cap */
    assert_int_equal(XS_HTML_MAX_FINDINGS, 100000);
    exs_scan_destroy(s);
}

/* No finding: the page still has its sections, says so, and embeds an empty list. */
static void test_clean(void **st)
{
    (void)st;
    static const char log[] = IIS_HDR_FULL "2021-03-03 11:00:00 10.0.0.5 GET /owa/ - 443 - "
                                           "10.0.0.9 M - 200 0 0 1\r\n";
    assert_int_equal(t_fix_write(t_dir, FIX_IIS_LOG, log, sizeof log - 1), 0);
    exs_scan *s;
    assert_int_equal(exs_scan_create(&s, NULL), EXS_OK);
    assert_int_equal(exs_scan_add_root(s, t_dir), EXS_OK);
    assert_int_equal(exs_scan_run(s), EXS_OK);
    char *doc = render(exs_scan_results(s), 0);
    assert_non_null(strstr(doc, "<section id=\"verdict\" class=\"card v-none\">"));
    assert_non_null(strstr(doc, "NO FINDINGS"));
    assert_non_null(strstr(doc, "<p class=\"note\">No finding with a time.</p>"));
    assert_non_null(strstr(doc, "\"embedded\":0,\"rules\":[],\"findings\":[\n\n]}</script>"));
    assert_no_network(doc);
    free(doc);
    exs_scan_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_document, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_json_parses, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_cap, t_dir_setup, t_dir_teardown),
        cmocka_unit_test_setup_teardown(test_clean, t_dir_setup, t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
