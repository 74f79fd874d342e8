/* Readers of file-side evidence: the XML tag scanner, applicationHost.config virtual
 * directories, ASP.NET .compiled records, minidumps, msert.log; and the Exchange web-folder
 * layout (URLs, allowlists, look-alikes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "detectors/webfolders.h"
#include "fixfiles.h"
#include "parsers/apphost.h"
#include "parsers/minidump.h"
#include "parsers/msert.h"
#include "parsers/xmltag.h"

static void test_xmltag(void **st)
{
    (void)st;
    const char *x = "<?xml version=\"1.0\"?><!-- <fake a=\"1\"/> --><a b='1' c=\"x&amp;y\">"
                    "text < 3 <![CDATA[<no>]]><d e=f/></a><broken attr=\"unterminated";
    size_t pos = 0, n = strlen(x);
    xs_xml_tag t;
    assert_true(xs_xml_next(x, n, &pos, &t));
    assert_true(xs_str_eq(t.name, "a"));
    assert_int_equal(t.nattr, 2);
    assert_true(xs_str_eq(xs_xml_attr_get(&t, "B"), "1"));
    char v[32];
    xs_xml_unescape(xs_xml_attr_get(&t, "c"), v, sizeof v);
    assert_string_equal(v, "x&y");
    assert_true(xs_xml_next(x, n, &pos, &t));
    assert_true(xs_str_eq(t.name, "d"));
    assert_true(t.empty);
    assert_true(xs_str_eq(xs_xml_attr_get(&t, "e"), "f"));
    assert_true(xs_xml_next(x, n, &pos, &t));
    assert_true(t.closing && xs_str_eq(t.name, "a"));
    assert_true(xs_xml_next(x, n, &pos, &t)); /* truncated tag: what was read is kept */
    assert_true(xs_str_eq(t.name, "broken"));
    assert_false(xs_xml_next(x, n, &pos, &t));
    xs_xml_unescape(xs_str_cstr("&#65;&#x42;&lt;&bogus;&#xD800;"), v, sizeof v);
    assert_string_equal(v, "AB<&bogus;\xEF\xBF\xBD");
}

typedef struct vd {
    char url[8][256], phys[8][256], site[8][64];
    size_t n;
} vd;

static void on_vdir(void *ctx, const xs_vdir_item *v)
{
    vd *d = ctx;
    if (d->n >= 8)
        return;
    snprintf(d->url[d->n], 256, "%.250s", v->url);
    snprintf(d->phys[d->n], 256, "%.250s", v->physical);
    snprintf(d->site[d->n], 64, "%.*s", (int)v->site.n, v->site.p);
    d->n++;
}

static void test_apphost(void **st)
{
    (void)st;
    t_fix *f = t_fix_make("rogue-apphost");
    assert_non_null(f);
    vd d = {0};
    assert_int_equal(xs_apphost_vdirs((const char *)f->data, f->len, on_vdir, &d), 3);
    assert_string_equal(d.url[0], "/");
    assert_string_equal(d.phys[0], "%SystemDrive%\\inetpub\\wwwroot");
    assert_string_equal(d.url[1], "/owa");
    assert_string_equal(d.url[2], "/assets");
    assert_string_equal(d.phys[2], "C:\\ProgramData\\COM1");
    assert_string_equal(d.site[2], "Default Web Site");
    t_fix_free(f);
    /* nested vdirs, entities, a second site, and elements outside sites ignored */
    const char *x =
        "<sites><site name=\"Exchange Back End\"><application path=\"/ecp\">"
        "<virtualDirectory path=\"/x&amp;y\" physicalPath=\"D:\\a&amp;b\"/></application>"
        "</site></sites><application path=\"/z\"><virtualDirectory path=\"/\" "
        "physicalPath=\"C:\\z\"/></application>";
    memset(&d, 0, sizeof d);
    assert_int_equal(xs_apphost_vdirs(x, strlen(x), on_vdir, &d), 1);
    assert_string_equal(d.url[0], "/ecp/x&y");
    assert_string_equal(d.phys[0], "D:\\a&b");
    assert_string_equal(d.site[0], "Exchange Back End");
    /* the compilation record */
    const char *c = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<preserve resultType=\"3\" "
                    "virtualPath=\"/owa/auth/ohyeah.aspx\" hash=\"1\" assembly=\"App_Web_x\">\n"
                    "<filedeps><filedep name=\"/owa/auth/ohyeah.aspx\" /></filedeps></preserve>\n";
    char vp[256];
    assert_int_equal(xs_aspnet_compiled_vpath(c, strlen(c), vp, sizeof vp), 21);
    assert_string_equal(vp, "/owa/auth/ohyeah.aspx");
    assert_int_equal(xs_aspnet_compiled_vpath("<x/>", 4, vp, sizeof vp), 0);
}

static void count_vdir(void *ctx, const xs_vdir_item *v)
{
    (void)v;
    (*(size_t *)ctx)++;
}

/* The caps themselves: virtual directories per config, minidump modules and streams. */
static void test_caps(void **st)
{
    (void)st;
    size_t n = XS_MAX_VDIRS + 5, cap = 128 + n * 96, o = 0;
    char *x = malloc(cap);
    o += (size_t)snprintf(x + o, cap - o, "<site name=\"s\"><application path=\"/a\">");
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(x + o, cap - o,
                              "<virtualDirectory path=\"/v%zu\" physicalPath=\"C:\\v\"/>", i);
    o += (size_t)snprintf(x + o, cap - o, "</application></site>");
    size_t got = 0;
    assert_int_equal(xs_apphost_vdirs(x, o, count_vdir, &got), n); /* all counted */
    assert_int_equal(got, XS_MAX_VDIRS);                           /* the first reported */
    free(x);
    /* nesting deeper than XS_MAX_XML_DEPTH is bounded and the reader still ends */
    size_t depth = XS_MAX_XML_DEPTH * 2;
    x = malloc(depth * 7 + 64);
    o = 0;
    for (size_t i = 0; i < depth; i++)
        o += (size_t)snprintf(x + o, 8, "<a>");
    for (size_t i = 0; i < depth; i++)
        o += (size_t)snprintf(x + o, 8, "</a>");
    got = 0;
    assert_int_equal(xs_apphost_vdirs(x, o, count_vdir, &got), 0);
    free(x);
    size_t len;
    unsigned char *d = t_fix_minidump("C:\\Windows\\System32\\lsass.exe", 1, &len);
    xs_minidump md;
    /* a module count over the cap: no module is trusted */
    d[92] = d[93] = d[94] = 0xFF;
    d[95] = 0x7F;
    xs_membuf mb = {d, len};
    xs_minidump_parse(xs_membuf_readat, &mb, &md);
    assert_true(md.valid);
    assert_false(md.lsass);
    assert_string_equal(md.process, "");
    free(d);
    /* a stream count over the cap: the directory read stops at the cap (and at the end) */
    d = t_fix_minidump("C:\\Windows\\System32\\lsass.exe", 1, &len);
    d[8] = d[9] = d[10] = d[11] = 0xFF;
    mb = (xs_membuf){d, len};
    xs_minidump_parse(xs_membuf_readat, &mb, &md);
    assert_true(md.lsass);
    free(d);
}

static void test_minidump(void **st)
{
    (void)st;
    size_t n;
    unsigned char *d = t_fix_minidump("C:\\Windows\\System32\\lsass.exe", 668, &n);
    xs_membuf mb = {d, n};
    xs_minidump md;
    xs_minidump_parse(xs_membuf_readat, &mb, &md);
    assert_true(md.valid);
    assert_true(md.lsass);
    assert_int_equal(md.pid, 668);
    assert_true(md.full_memory);
    assert_string_equal(md.process, "C:\\Windows\\System32\\lsass.exe");
    assert_int_equal(md.time_ms, 1615186800000LL);
    /* every truncation parses without reading past the end */
    for (size_t k = 0; k < n; k++) {
        unsigned char *cut = malloc(k ? k : 1);
        memcpy(cut, d, k);
        xs_membuf m2 = {cut, k};
        xs_minidump_parse(xs_membuf_readat, &m2, &md);
        assert_false(md.lsass && k < 204);
        free(cut);
    }
    free(d);
    d = t_fix_minidump("C:\\Windows\\System32\\notepad.exe", 4868, &n);
    mb = (xs_membuf){d, n};
    xs_minidump_parse(xs_membuf_readat, &mb, &md);
    assert_true(md.valid);
    assert_false(md.lsass);
    free(d);
    /* a module name ending in "xlsass.exe" is not lsass */
    d = t_fix_minidump("C:\\x\\notlsass.exe", 1, &n);
    mb = (xs_membuf){d, n};
    xs_minidump_parse(xs_membuf_readat, &mb, &md);
    assert_false(md.lsass);
    free(d);
}

typedef struct ms {
    unsigned runs, threats;
    char threat[4][80], action[4][40], path[4][200], scan[4][40];
    int64_t t[4];
} ms;

static void on_msert(void *ctx, const xs_msert_event *e)
{
    ms *m = ctx;
    if (e->kind == XS_MSERT_RUN) {
        m->runs++;
        return;
    }
    if (m->threats < 4) {
        snprintf(m->threat[m->threats], 80, "%.*s", (int)e->threat.n, e->threat.p);
        snprintf(m->action[m->threats], 40, "%.*s", (int)e->action.n, e->action.p);
        snprintf(m->path[m->threats], 200, "%.*s", (int)e->path.n, e->path.p ? e->path.p : "");
        snprintf(m->scan[m->threats], 40, "%.*s", (int)e->scan.n, e->scan.p ? e->scan.p : "");
        m->t[m->threats] = e->time_ms;
    }
    m->threats++;
}

static const char msert_log[] =
    "---------------------------------------------------------------------------------------\r\n"
    "Microsoft Safety Scanner v1.333, (build 1.333.519.0)\r\n"
    "Started On Sat Mar 13 18:24:42 2021\r\n\r\n"
    "Quick Scan Results:\r\n-------------------\r\n"
    "Threat Detected: Backdoor:ASP/Chopper.F!dha, not removed.\r\n"
    "  Action: Remove, Result: 0x00000000\r\n"
    "    file://C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\x.aspx\r\n"
    "Threat Detected: Exploit:Script/Exmann.A!dha and removed!\r\n"
    "    file://C:\\Program Files\\Microsoft\\Exchange "
    "Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\y.aspx->(UTF-8)\r\n"
    "\r\nResults Summary:\r\n----------------\r\nFound Backdoor:ASP/Chopper.F!dha, not removed.\r\n"
    "Microsoft Safety Scanner Finished On Sat Mar 13 18:58:59 2021\r\n"
    "Microsoft Safety Scanner v1.335, (build 1.335.1.0)\r\n"
    "Started On Mon Apr 12 09:00:00 2021\r\n"
    "Quick Scan Results:\r\nNo infection found.\r\n";

static void test_msert(void **st)
{
    (void)st;
    ms m = {0};
    assert_int_equal(
        xs_msert_parse((const unsigned char *)msert_log, strlen(msert_log), on_msert, &m), 2);
    assert_int_equal(m.runs, 2);
    assert_string_equal(m.threat[0], "Backdoor:ASP/Chopper.F!dha");
    assert_string_equal(m.action[0], "not removed");
    assert_string_equal(m.path[0], "C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\x.aspx");
    assert_string_equal(m.scan[0], "Quick Scan");
    assert_int_equal(m.t[0], 1615659882000LL);
    assert_string_equal(m.threat[1], "Exploit:Script/Exmann.A!dha");
    assert_string_equal(m.action[1], "removed");
    assert_string_equal(m.path[1], "C:\\Program Files\\Microsoft\\Exchange "
                                   "Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\y.aspx");
    /* the same log as UTF-16LE with a BOM, the first shell named by a surrogate pair (U+1F600)
     * instead of "x" */
    size_t n = strlen(msert_log), o = 2;
    size_t x = (size_t)(strstr(msert_log, "\\x.aspx") - msert_log) + 1;
    unsigned char *w = malloc(2 * n + 4);
    assert_non_null(w);
    w[0] = 0xFF;
    w[1] = 0xFE;
    for (size_t i = 0; i < n; i++) {
        if (i == x) {
            memcpy(w + o, "\x3D\xD8\x00\xDE", 4);
            o += 4;
            continue;
        }
        w[o++] = (unsigned char)msert_log[i];
        w[o++] = 0;
    }
    memset(&m, 0, sizeof m);
    assert_int_equal(xs_msert_parse(w, o, on_msert, &m), 2);
    assert_string_equal(m.path[0], "C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\\xF0\x9F\x98\x80.aspx");
    assert_string_equal(m.threat[1], "Exploit:Script/Exmann.A!dha");
    free(w);
}

static void test_webfolders(void **st)
{
    (void)st;
    xs_webloc w;
    xs_webloc_of(
        "/mnt/c/program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/x.aspx",
        &w);
    assert_int_equal(w.folder, XS_WF_OWA_AUTH);
    assert_true(w.top);
    assert_string_equal(w.url, "/owa/auth/x.aspx");
    assert_int_equal(w.held, XS_HELD_OWA_AUTH);
    assert_false(xs_web_allowlisted(&w, "x.aspx"));
    assert_true(xs_web_allowlisted(&w, "logon.aspx"));
    xs_webloc_of("/e/exchange/frontend/httpproxy/owa/auth/15.1.2176/themes/x.aspx", &w);
    assert_int_equal(w.folder, XS_WF_OWA_AUTH_SUB);
    assert_false(xs_web_allowlisted(&w, "logon.aspx"));
    xs_webloc_of("/c/x/frontend/httpproxy/ecp/auth/timeoutlogout.aspx", &w);
    assert_int_equal(w.folder, XS_WF_ECP_AUTH);
    assert_true(xs_web_allowlisted(&w, "timeoutlogout.aspx"));
    xs_webloc_of("/c/x/frontend/httpproxy/oab/global.asax", &w);
    assert_int_equal(w.folder, XS_WF_OAB);
    assert_string_equal(w.url, "/oab/global.asax");
    assert_true(xs_web_allowlisted(&w, "global.asax"));
    xs_webloc_of("/c/x/frontend/httpproxy/oab/sub/global.asax", &w);
    assert_false(xs_web_allowlisted(&w, "global.asax"));
    xs_webloc_of("/c/x/frontend/httpproxy/sync/a.aspx", &w);
    assert_string_equal(w.url, "/microsoft-server-activesync/a.aspx");
    xs_webloc_of("/c/inetpub/wwwroot/aspnet_client/system_web/a.aspx", &w);
    assert_int_equal(w.folder, XS_WF_ASPNET_CLIENT);
    assert_string_equal(w.url, "/aspnet_client/system_web/a.aspx");
    assert_int_equal(w.held, XS_HELD_WWWROOT);
    xs_webloc_of("/c/exchange server/v15/clientaccess/exchweb/ews/333.aspx", &w);
    assert_int_equal(w.folder, XS_WF_CLIENTACCESS);
    assert_string_equal(w.url, "/ews/333.aspx");
    assert_string_equal(w.site, "Exchange Back End");
    assert_true(xs_web_allowlisted(&w, "333.aspx")); /* no allowlist there */
    xs_webloc_of("/c/windows/microsoft.net/framework64/v4.0.30319/temporary asp.net "
                  "files/owa/1/2/x.compiled",
                  &w);
    assert_int_equal(w.folder, XS_WF_TEMP_ASPNET);
    assert_string_equal(w.url, "");
    xs_webloc_of("/c/windows/temp/x.aspx", &w);
    assert_int_equal(w.folder, XS_WF_NONE);
    /* look-alikes: the helsecert RedirSuiteServerProxy, OutlookEN, fexppw.aspx */
    assert_string_equal(xs_web_lookalike("redirsuiteserverproxy.aspx"),
                        "redirsuiteserviceproxy.aspx");
    assert_string_equal(xs_web_lookalike("outlooken.aspx"), "outlookcn.aspx");
    assert_string_equal(xs_web_lookalike("fexppw.aspx"), "fexppw.js");
    assert_null(xs_web_lookalike("logon.aspx"));
    assert_null(xs_web_lookalike("8lw7tahf9i1pjnro.aspx"));
    assert_true(xs_web_known_shell_name("supp0rt.aspx"));
    assert_false(xs_web_known_shell_name("logon.aspx"));
    const char *folder;
    assert_true(xs_web_url_nondefault("/owa/auth/x.aspx", &folder));
    assert_string_equal(folder, "owa/auth");
    assert_false(xs_web_url_nondefault("/owa/auth/logon.aspx", &folder));
    assert_true(xs_web_url_nondefault("/owa/auth/current/logon.aspx", &folder));
    assert_false(xs_web_url_nondefault("/ecp/auth/timeoutlogout.aspx", &folder));
    assert_false(xs_web_url_nondefault("/oab/global.asax", &folder));
    assert_false(xs_web_url_nondefault("/ecp/default.aspx", &folder));
    assert_false(xs_web_url_nondefault("/aspnet_client/x.css", &folder));
    assert_true(xs_web_script_ext("A.ASPX", 6));
    assert_false(xs_web_script_ext("a.aspx.txt", 10));
    assert_int_equal(xs_web_held_of_url("/aspnet_client/x.aspx", &folder), XS_HELD_WWWROOT);
    assert_int_equal(xs_web_held_of_url("/ecp/x.aspx", &folder), XS_HELD_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xmltag),     cmocka_unit_test(test_apphost),
        cmocka_unit_test(test_minidump),   cmocka_unit_test(test_msert),
        cmocka_unit_test(test_webfolders), cmocka_unit_test(test_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
