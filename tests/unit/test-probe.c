/* exsweep probe, offline: the fingerprint of one response, the ZGrab2 and Shadowserver
 * readers, the verdicts of the build table per target, the writers, and every cap of
 * lib/core/limits.h the probe has (XS_PROBE_*). Inputs are written here from the formats'
 * documentation (zmap/zgrab2's http schema; Shadowserver's scan_exchange columns). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/limits.h"
#include "exsweep/probe.h"
#include "probe/fingerprint.h"

/* ---- helpers ---- */

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->n + (size_t)k + 1 > b->cap) {
        b->cap = (b->n + (size_t)k + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

/* One ZGrab2 http line: ip, the request URL's scheme and host, status, the "headers" object's
 * members (JSON text), the body (JSON string text, escaped already, or NULL for none). */
static void zline(buf *b, const char *ip, const char *scheme, const char *host, int code,
                  const char *headers, const char *body)
{
    put(b,
        "{\"ip\":\"%s\",\"data\":{\"http\":{\"status\":\"success\",\"protocol\":\"http\","
        "\"result\":{\"response\":{\"status_code\":%d,\"headers\":{%s}%s%s%s,"
        "\"request\":{\"url\":{\"scheme\":\"%s\",\"host\":\"%s\",\"path\":\"/owa/\"},"
        "\"method\":\"GET\",\"headers\":{\"unknown\":[{\"key\":\"x_owa_version\",\"value\":"
        "[\"99.9.9.9\"]}]}}}},\"timestamp\":\"2021-03-05T10:00:00Z\"}}}\n",
        ip, code, headers, body ? ",\"body\":\"" : "", body ? body : "", body ? "\"" : "",
        scheme, host);
}

static const char *OWA(void)
{
    return "\"server\":[\"Microsoft-IIS/10.0\"],\"unknown\":[{\"key\":\"x_owa_version\","
           "\"value\":[\"%s\"]}]";
}

static exs_probe *read_mem(exs_probe_input k, const buf *b)
{
    exs_probe *p = NULL;
    char err[256];
    exs_rc rc = exs_probe_read_mem(&p, k, "test", b->p ? b->p : "", b->n, err, sizeof err);
    if (rc != EXS_OK)
        fail_msg("read: %d %s", rc, err);
    return p;
}

static char *render(const exs_probe *p, exs_probe_format f)
{
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    assert_non_null(m);
    assert_int_equal(exs_probe_write(p, m, f), EXS_OK);
    fclose(m);
    return out;
}

static const exs_probe_target *only(const exs_probe *p)
{
    size_t n;
    const exs_probe_target *t = exs_probe_targets(p, &n);
    assert_int_equal(n, 1);
    return t;
}

static void assert_fam(const exs_probe_target *t, exs_exposure pl, exs_exposure ps,
                       exs_exposure pns)
{
    if (t->families[0].state != pl || t->families[1].state != ps || t->families[2].state != pns)
        fail_msg("%s %s: %s/%s/%s", t->target, t->build,
                 exs_exposure_name(t->families[0].state), exs_exposure_name(t->families[1].state),
                 exs_exposure_name(t->families[2].state));
}

#define V EXS_EXPOSURE_VULNERABLE
#define P EXS_EXPOSURE_PATCHED
#define U EXS_EXPOSURE_UNKNOWN

/* The one target of a ZGrab2 line with X-OWA-Version hv. */
static exs_probe *by_header(const char *hv)
{
    buf b = {0}, h = {0};
    put(&h, OWA(), hv);
    zline(&b, "192.0.2.10", "https", "192.0.2.10", 302, h.p, "");
    exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
    free(b.p);
    free(h.p);
    return p;
}

/* A record that is fine, so that an input of bad lines around it is still a scan. */
static void good(buf *b)
{
    zline(b, "192.0.2.250", "https", "192.0.2.250", 200, "\"server\":[\"nginx\"]", NULL);
}

/* ---- the fingerprint ---- */

static xs_fingerprint fp_of(int status, const char *name, const char *value, const char *body)
{
    xs_http_header h = {xs_str_cstr(name), xs_str_cstr(value)};
    xs_fingerprint fp;
    xs_fp_http(status, name ? &h : NULL, name ? 1 : 0, body, body ? strlen(body) : 0, &fp);
    return fp;
}

static void test_fp_sources(void **st)
{
    (void)st;
    char t[XS_BUILD_TEXT];
    /* the wire's name and ZGrab2's are one */
    xs_fingerprint f = fp_of(200, "X-OWA-Version", " 15.1.2176.2 ", NULL);
    assert_true(f.exchange);
    assert_int_equal(f.src, XS_FP_HEADER);
    assert_string_equal(xs_build_text(&f.build, t), "15.1.2176.2");
    f = fp_of(200, "x_owa_version", "15.2.858.5", NULL);
    assert_string_equal(xs_build_text(&f.build, t), "15.2.858.5");
    /* a header that is no build: Exchange, no build */
    f = fp_of(200, "X-OWA-Version", "hello", NULL);
    assert_true(f.exchange);
    assert_int_equal(f.build.nparts, 0);
    assert_string_equal(f.why, "X-OWA-Version header");
    /* the logon page's paths: 3 parts, the highest */
    f = fp_of(200, "Server", "Microsoft-IIS/8.5",
              "<link href=\"/owa/auth/15.0.1497/themes/resources/x.css\">"
              "<img src=\"/owa/15.0.1497.2/x.gif\"><script src=\"/OWA/AUTH/15.0.1395/a.js\">");
    assert_true(f.exchange);
    assert_int_equal(f.src, XS_FP_PATH);
    assert_string_equal(xs_build_text(&f.build, t), "15.0.1497");
    /* /owa/<a.b.c>/ too; a 4-part folder name or an implausible major is not a path build */
    f = fp_of(200, NULL, NULL, "<a href=\"/owa/15.1.2375/scripts/x.js\">");
    assert_string_equal(xs_build_text(&f.build, t), "15.1.2375");
    f = fp_of(200, NULL, NULL, "<a href=\"/owa/3.1.2375/x\">");
    assert_false(f.exchange);
    /* the export tool manifest: 4 parts, an identity of Exchange's own only */
    f = fp_of(200, NULL, NULL,
              "<?xml version=\"1.0\"?><asmv1:assembly><assemblyIdentity "
              "name=\"microsoft.exchange.ediscovery.exporttool.application\" "
              "version=\"15.2.1118.20\" publicKeyToken=\"b03f5f7f11d50a3a\" /></asmv1:assembly>");
    assert_true(f.exchange);
    assert_int_equal(f.src, XS_FP_MANIFEST);
    assert_string_equal(xs_build_text(&f.build, t), "15.2.1118.20");
    f = fp_of(200, NULL, NULL, "<assemblyIdentity name=\"contoso.tool.application\" version=\"15.2.1118.20\"/>");
    assert_false(f.exchange);
    /* a 404's body is not read: a server echoing the missing path claims nothing */
    f = fp_of(404, NULL, NULL, "not found: /owa/auth/15.1.2176/x");
    assert_false(f.exchange);
    /* Exchange without a build */
    f = fp_of(200, "X-FEServer", "EXCH01", NULL);
    assert_true(f.exchange);
    assert_int_equal(f.build.nparts, 0);
    f = fp_of(302, "Location", "https://mail.example.org/owa/auth/logon.aspx?url=x", NULL);
    assert_true(f.exchange);
    assert_string_equal(f.why, "redirect to /owa/auth/logon.aspx");
    /* benign */
    f = fp_of(200, "Server", "nginx", "<html><a href=\"/owa\">owa</a></html>");
    assert_false(f.exchange);
    assert_int_equal(f.src, XS_FP_NONE);
}

static void test_fp_merge(void **st)
{
    (void)st;
    char t[XS_BUILD_TEXT];
    xs_fingerprint a = fp_of(200, NULL, NULL, "<a href=\"/owa/auth/15.1.2176/x\">");
    xs_fingerprint b = fp_of(200, NULL, NULL,
                             "<assemblyIdentity name=\"microsoft.exchange.ediscovery.exporttool."
                             "application\" version=\"15.1.2176.9\"/>");
    xs_fp_merge(&a, &b);
    assert_int_equal(a.src, XS_FP_MANIFEST);
    assert_string_equal(xs_build_text(&a.build, t), "15.1.2176.9");
    xs_fingerprint c = fp_of(200, NULL, NULL, "<a href=\"/owa/auth/15.1.2242/x\">");
    xs_fp_merge(&a, &c); /* a less trusted source never replaces a more trusted one */
    assert_string_equal(xs_build_text(&a.build, t), "15.1.2176.9");
}

/* ---- verdicts per product and source ---- */

static void test_header_builds(void **st)
{
    (void)st;
    struct {
        const char *b, *product, *cu, *update;
        exs_exposure pl, ps, pns;
    } c[] = {
        /* Exchange 2013 */
        {"15.0.1497.2", "Exchange Server 2013", "CU23", "", V, V, V},
        {"15.0.1497.12", "Exchange Server 2013", "CU23", "Mar21SU", P, V, V},
        {"15.0.1497.44", "Exchange Server 2013", "CU23", "Nov22SU", P, P, P},
        /* Exchange 2016 */
        {"15.1.2176.2", "Exchange Server 2016", "CU19", "", V, V, V},
        {"15.1.2176.12", "Exchange Server 2016", "CU19", "Apr21SU", P, V, V},
        {"15.1.2507.16", "Exchange Server 2016", "CU23", "Nov22SU", P, P, P},
        /* Exchange 2019 */
        {"15.2.792.3", "Exchange Server 2019", "CU8", "", V, V, V},
        {"15.2.986.36", "Exchange Server 2019", "CU11", "Nov22SU", P, P, P},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        exs_probe *p = by_header(c[i].b);
        const exs_probe_target *t = only(p);
        assert_true(t->exchange);
        assert_string_equal(t->build, c[i].b);
        assert_int_equal(t->build_parts, 4);
        assert_string_equal(t->build_from, "X-OWA-Version header");
        assert_string_equal(t->product, c[i].product);
        assert_string_equal(t->cu, c[i].cu);
        assert_string_equal(t->update, c[i].update);
        assert_fam(t, c[i].pl, c[i].ps, c[i].pns);
        assert_int_equal(t->finding, !(c[i].pl == P && c[i].ps == P && c[i].pns == P));
        exs_probe_destroy(p);
    }
    /* the reason of an April 2021 build: ProxyShell's CVE-2021-31207 is still open */
    exs_probe *p = by_header("15.1.2176.12");
    assert_non_null(strstr(only(p)->families[1].reason, "not CVE-2021-31207"));
    assert_string_equal(only(p)->families[1].fixed_by, "15.1.2176.14");
    exs_probe_destroy(p);
}

static void test_path_and_manifest(void **st)
{
    (void)st;
    buf b = {0};
    /* the logon page: 3 parts; 2016 CU19 has updates with and without each fix */
    zline(&b, "192.0.2.11", "https", "192.0.2.11:8443", 200, "\"content_type\":[\"text/html\"]",
          "\\u003clink href=\\\"/owa/auth/15.1.2176/themes/resources/favicon.ico\\\"\\u003e");
    /* 2019 CU9 (March 2021): ProxyLogon fixed in every build, ProxyShell by the revision */
    zline(&b, "192.0.2.12", "https", "192.0.2.12", 200, "",
          "\\u003cscript src=\\\"/owa/auth/15.2.858/scripts/x.js\\\"\\u003e");
    /* 2013 CU21, whose last update is Mar21SU: ProxyLogon by the revision, ProxyShell
     * vulnerable whatever it is */
    zline(&b, "192.0.2.13", "https", "192.0.2.13", 200, "",
          "\\u003cimg src=\\\"/owa/auth/15.0.1395/themes/x.gif\\\"\\u003e");
    /* the export tool manifest: 4 parts */
    zline(&b, "2001:db8::5", "https", "[2001:db8::5]", 200, "",
          "\\u003cassemblyIdentity name=\\\"microsoft.exchange.ediscovery.exporttool."
          "application\\\" version=\\\"15.1.2507.6\\\" /\\u003e");
    exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
    size_t n;
    const exs_probe_target *t = exs_probe_targets(p, &n);
    assert_int_equal(n, 4);
    assert_string_equal(t[0].target, "192.0.2.11:8443");
    assert_string_equal(t[0].build, "15.1.2176");
    assert_int_equal(t[0].build_parts, 3);
    assert_string_equal(t[0].build_from, "logon page path");
    assert_string_equal(t[0].update, "");
    assert_fam(&t[0], U, U, V);
    assert_non_null(strstr(t[0].families[0].reason, "the revision decides"));
    assert_string_equal(t[1].build, "15.2.858");
    assert_fam(&t[1], P, U, V);
    assert_fam(&t[2], U, V, V);
    assert_string_equal(t[3].target, "[2001:db8::5]:443");
    assert_string_equal(t[3].build_from, "export tool manifest");
    assert_string_equal(t[3].cu, "CU23");
    assert_fam(&t[3], P, P, V);
    assert_int_equal(exs_probe_stats(p)->findings, 4);
    exs_probe_destroy(p);
    free(b.p);
}

/* Records of one target fold together: the logon page (3 parts) and the manifest (4). */
static void test_fold(void **st)
{
    (void)st;
    buf b = {0};
    zline(&b, "192.0.2.11", "https", "192.0.2.11", 200, "",
          "\\u003clink href=\\\"/owa/auth/15.1.2176/x.ico\\\"\\u003e");
    zline(&b, "192.0.2.11", "https", "192.0.2.11:443", 200, "",
          "\\u003cassemblyIdentity name=\\\"microsoft.exchange.ediscovery.exporttool."
          "application\\\" version=\\\"15.1.2176.14\\\" /\\u003e");
    exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
    const exs_probe_target *t = only(p);
    assert_int_equal(t->records, 2);
    assert_int_equal(t->line, 1);
    assert_string_equal(t->build, "15.1.2176.14");
    assert_string_equal(t->update, "May21SU");
    assert_fam(t, P, P, V);
    exs_probe_destroy(p);
    free(b.p);
}

/* A server that is not Exchange: a record with no verdict at all, in every format. */
static void test_benign(void **st)
{
    (void)st;
    buf b = {0};
    zline(&b, "198.51.100.7", "https", "198.51.100.7", 200, "\"server\":[\"nginx\"]",
          "\\u003chtml\\u003ewelcome\\u003c/html\\u003e");
    zline(&b, "198.51.100.8", "http", "198.51.100.8", 404, "",
          "no /owa/auth/15.1.2176/ here");
    exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
    size_t n;
    const exs_probe_target *t = exs_probe_targets(p, &n);
    assert_int_equal(n, 2);
    assert_false(t[0].exchange || t[1].exchange || t[0].finding || t[1].finding);
    assert_string_equal(t[1].target, "198.51.100.8:80");
    assert_int_equal(exs_probe_stats(p)->findings, 0);
    char *s = render(p, EXS_PROBE_TEXT);
    assert_string_equal(s,
                        "198.51.100.7:443  not Exchange (no Exchange header, redirect or page)\n"
                        "198.51.100.8:80  not Exchange (no Exchange header, redirect or page)\n"
                        "\n"
                        "2 targets: 0 Exchange (0 vulnerable, 0 unknown), 2 not Exchange; 2 "
                        "records read, 0 results without a response, 0 warnings\n");
    free(s);
    s = render(p, EXS_PROBE_JSONL);
    assert_null(strstr(s, "\"state\""));
    assert_non_null(strstr(s, "\"families\":[]"));
    free(s);
    s = render(p, EXS_PROBE_CSV);
    assert_null(strstr(s, "patched"));
    assert_null(strstr(s, "\"unknown\""));
    free(s);
    exs_probe_destroy(p);
    free(b.p);
}

/* The exact text of one vulnerable target, with a hostile name escaped for the terminal. */
static void test_text_exact(void **st)
{
    (void)st;
    buf b = {0};
    put(&b, "{\"ip\":\"192.0.2.10\",\"domain\":\"mail\\u001b]0;pwn\\u0007.example.org\",\"data\":"
            "{\"http\":{\"status\":\"success\",\"result\":{\"response\":{\"status_code\":302,"
            "\"headers\":{\"unknown\":[{\"key\":\"x_owa_version\",\"value\":[\"15.1.2176.2\"]}]},"
            "\"request\":{\"url\":{\"scheme\":\"https\",\"host\":\"192.0.2.10\"}}}}}}}\n");
    put(&b, "{\"ip\":\"192.0.2.99\",\"data\":{\"http\":{\"status\":\"connection-timeout\","
            "\"protocol\":\"http\",\"error\":\"i/o timeout\"}}}\n");
    put(&b, "garbage\n");
    exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
    char *s = render(p, EXS_PROBE_TEXT);
    assert_string_equal(
        s,
        "192.0.2.10:443 (mail\\x1b]0;pwn\\x07.example.org)  Exchange  15.1.2176.2 from "
        "X-OWA-Version header  Exchange Server 2016 CU19\n"
        "    ProxyLogon     vulnerable 15.1.2176.2 (Exchange Server 2016 CU19) is below "
        "15.1.2176.9 (Mar21SU, KB5000871)\n"
        "    ProxyShell     vulnerable 15.1.2176.2 (Exchange Server 2016 CU19) is below "
        "15.1.2176.14 (May21SU, KB5003435)\n"
        "    ProxyNotShell  vulnerable 15.1.2176.2 (Exchange Server 2016 CU19): no update for "
        "Exchange Server 2016 CU19 fixes it; a later CU is needed\n"
        "\n"
        "1 target: 1 Exchange (1 vulnerable, 0 unknown), 0 not Exchange; 1 record read, 1 "
        "result without a response, 1 warning\n"
        "  line 3: skipped: not a JSON object (or malformed, or nested deeper than 64)\n");
    free(s);
    s = render(p, EXS_PROBE_JSONL);
    assert_non_null(strstr(s, "\"name\":\"mail\\u001b]0;pwn\\u0007.example.org\""));
    assert_non_null(strstr(s, "{\"exsweep.record\":\"warning\",\"line\":3,\"message\":"));
    assert_non_null(strstr(s, "{\"exsweep.record\":\"summary\",\"lines\":3,\"records\":1,"
                              "\"no_response\":1,\"targets\":1,\"exchange\":1,"
                              "\"vulnerable\":1,\"unknown\":0,\"findings\":1,\"warnings\":1}\n"));
    free(s);
    exs_probe_destroy(p);
    free(b.p);
}

/* Bad lines: each a warning with its line number; the good ones around them are read. */
static void test_zgrab2_bad_lines(void **st)
{
    (void)st;
    buf b = {0};
    put(&b, "\n");                              /* 1: blank, nothing */
    put(&b, "{\"ip\":\"192.0.2.1\"}\n");        /* 2: no http module */
    put(&b, "[1,2,3]\n");                       /* 3: no object */
    put(&b, "{\"ip\":\"192.0.2.1\",\"data\":{\"http\":{\"result\":{\"response\":{\"status_code\":200}}}}}\n"); /* 4: no URL */
    zline(&b, "not a host!", "https", "x", 200, "", NULL); /* 5: bad host */
    zline(&b, "192.0.2.5", "https", "192.0.2.5:99999", 200, "", NULL); /* 6: bad port */
    zline(&b, "192.0.2.7", "https", "192.0.2.7", 200, "\"unknown\":[{\"key\":\"x_feserver\",\"value\":[\"E1\"]}]", NULL); /* 7: fine */
    put(&b, "{\"ip\":\"192.0.2.8\",\"data\":{\"http\":{\"status\":\"success\""); /* 8: cut */
    exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
    size_t nw;
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, 6);
    uint64_t lines[] = {2, 3, 4, 5, 6, 8};
    for (size_t i = 0; i < nw; i++)
        assert_int_equal(w[i].line, lines[i]);
    assert_string_equal(w[0].message, "skipped: no http module result in the line (not ZGrab2's http module output)");
    assert_string_equal(w[2].message, "skipped: a response without a request URL that gives its port");
    assert_string_equal(w[3].message, "skipped: a host that is no address and no DNS name");
    const exs_probe_target *t = only(p);
    assert_string_equal(t->target, "192.0.2.7:443");
    assert_true(t->exchange);
    assert_fam(t, U, U, U);
    assert_string_equal(t->families[0].reason, "the response names no build");
    assert_int_equal(exs_probe_stats(p)->lines, 8);
    exs_probe_destroy(p);
    free(b.p);
}

/* A multiple-module run: each http module a record; other modules left alone. */
static void test_zgrab2_modules(void **st)
{
    (void)st;
    buf b = {0};
    put(&b, "{\"ip\":\"192.0.2.30\",\"data\":{\"owa\":{\"status\":\"success\",\"protocol\":"
            "\"http\",\"result\":{\"response\":{\"status_code\":200,\"headers\":{},\"body\":"
            "\"/owa/auth/15.2.1118/x\",\"request\":{\"url\":{\"scheme\":\"https\",\"host\":"
            "\"192.0.2.30\"}}}}},\"ecp\":{\"status\":\"success\",\"protocol\":\"http\","
            "\"result\":{\"response\":{\"status_code\":200,\"body\":\"<assemblyIdentity "
            "name=\\\"microsoft.exchange.ediscovery.exporttool.application\\\" "
            "version=\\\"15.2.1118.7\\\"/>\",\"request\":{\"url\":{\"scheme\":\"https\","
            "\"host\":\"192.0.2.30\"}}}}},\"tls\":{\"status\":\"success\",\"protocol\":\"tls\","
            "\"result\":{}}}}\n");
    exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
    const exs_probe_target *t = only(p);
    assert_int_equal(t->records, 2);
    assert_string_equal(t->build, "15.2.1118.7");
    assert_string_equal(t->build_from, "export tool manifest");
    assert_fam(t, P, P, V);
    assert_int_equal(exs_probe_stats(p)->records, 2);
    exs_probe_destroy(p);
    free(b.p);
}

/* ---- Shadowserver ---- */

static const char SS_HEAD[] = "\"timestamp\",\"ip\",\"protocol\",\"port\",\"hostname\",\"tag\","
                              "\"asn\",\"geo\",\"region\",\"city\",\"naics\",\"sic\","
                              "\"version\",\"servername\",\"sector\"\n";

static void test_shadowserver(void **st)
{
    (void)st;
    buf b = {0};
    put(&b, "\xef\xbb\xbf%s", SS_HEAD);
    put(&b, "\"2021-03-10 00:55:07\",\"192.0.2.20\",\"tcp\",443,\"mail.example.net\","
            "\"exchange;cve-2021-26855\",64496,\"NL\",\"\",\"\",0,0,\"15.1.2176\",\"EXCH02\",\"\"\r\n");
    put(&b, "\"2021-03-10 00:55:08\",\"2001:DB8:0::20\",\"tcp\",443,,\"exchange\",64496,\"NL\","
            "\"\",\"\",0,0,\"15.2.986.36\",\"\",\"\"\n");
    put(&b, "\"2021-03-10 00:55:09\",\"192.0.2.21\",\"tcp\",,\"\",\"exchange\",1,\"NL\",\"\","
            "\"\",0,0,\"15.0.1497\",\"\",\"\"\n");            /* no port */
    put(&b, "\"2021-03-10 00:55:10\",\"192.0.2.22\",\"tcp\",443,\"\",\"exchange\",1,\"NL\","
            "\"\",\"\",0,0,\"\",\"\",\"\"\n");                /* no version */
    put(&b, "\"2021-03-10 00:55:11\",\"192.0.2.23\",\"tcp\",443,\"\",\"exchange\",1,\"NL\","
            "\"\",\"\",0,0,\"Exchange 2016\",\"\",\"\"\n");   /* a version that is no build */
    put(&b, "\"2021-03-10\",\"\",\"tcp\",443\n");             /* no ip */
    exs_probe *p = read_mem(EXS_PROBE_SHADOWSERVER, &b);
    size_t n, nw;
    const exs_probe_target *t = exs_probe_targets(p, &n);
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    assert_int_equal(n, 4);
    assert_string_equal(t[0].target, "192.0.2.20:443");
    assert_string_equal(t[0].name, "mail.example.net");
    assert_string_equal(t[0].seen, "2021-03-10 00:55:07");
    assert_string_equal(t[0].tag, "exchange;cve-2021-26855");
    assert_string_equal(t[0].build_from, "Shadowserver version");
    assert_int_equal(t[0].build_parts, 3);
    assert_fam(&t[0], U, U, V);
    assert_string_equal(t[1].target, "[2001:db8::20]:443");
    assert_string_equal(t[1].update, "Nov22SU");
    assert_fam(&t[1], P, P, P);
    assert_false(t[1].finding);
    assert_fam(&t[2], U, U, U);
    assert_string_equal(t[2].families[2].reason, "the report names no build");
    assert_int_equal(t[3].build_parts, 0);
    assert_int_equal(nw, 3);
    assert_int_equal(w[0].line, 4);
    assert_string_equal(w[0].message, "skipped: no port between 1 and 65535");
    assert_int_equal(w[1].line, 6);
    assert_int_equal(w[2].line, 7);
    assert_string_equal(w[2].message, "skipped: no ip");
    char *s = render(p, EXS_PROBE_CSV);
    assert_non_null(strstr(s, "\"[2001:db8::20]:443\",\"2001:db8::20\",\"443\",\"\","));
    free(s);
    exs_probe_destroy(p);
    free(b.p);
}

static void test_shadowserver_not(void **st)
{
    (void)st;
    exs_probe *p = (exs_probe *)1;
    char err[256];
    const char *z = "{\"ip\":\"192.0.2.1\"}\n";
    assert_int_equal(exs_probe_read_mem(&p, EXS_PROBE_SHADOWSERVER, "x.json", z, strlen(z), err,
                                        sizeof err),
                     EXS_EFORMAT);
    assert_null(p);
    assert_string_equal(err, "x.json: line 1: its first line names no ip column: not a "
                             "Shadowserver scan_exchange CSV");
    assert_int_equal(exs_probe_read_mem(&p, EXS_PROBE_SHADOWSERVER, "e", "", 0, err, sizeof err),
                     EXS_EFORMAT);
    /* ZGrab2 input of which no line is a record: another tool's output, not a scan */
    const char *csv = "ip,port\n192.0.2.1,443\n";
    assert_int_equal(exs_probe_read_mem(&p, EXS_PROBE_ZGRAB2, "s.csv", csv, strlen(csv), err,
                                        sizeof err),
                     EXS_EFORMAT);
    assert_string_equal(err, "s.csv: no line is a ZGrab2 http record (2 lines; line 1: skipped: "
                             "not a JSON object (or malformed, or nested deeper than 64))");
    /* an empty scan is no error: no target */
    assert_int_equal(exs_probe_read_mem(&p, EXS_PROBE_ZGRAB2, "e", "\n", 1, err, sizeof err),
                     EXS_OK);
    size_t n;
    exs_probe_targets(p, &n);
    assert_int_equal(n, 0);
    exs_probe_destroy(p);
    assert_int_equal(exs_probe_read(&p, EXS_PROBE_ZGRAB2, "/nonexistent/x", err, sizeof err),
                     EXS_ENOENT);
    assert_int_equal(exs_probe_format_parse("jsonl"), EXS_PROBE_JSONL);
    assert_int_equal(exs_probe_format_parse("xml"), -1);
    exs_probe_destroy(NULL);
}

/* ---- the caps ---- */

/* XS_PROBE_MAX_LINE: a longer line is a warning; the line after it is read. */
static void test_cap_line(void **st)
{
    (void)st;
    buf b = {0};
    char *big = malloc(XS_PROBE_MAX_LINE + 2);
    memset(big, 'x', XS_PROBE_MAX_LINE + 1);
    big[XS_PROBE_MAX_LINE + 1] = '\0';
    put(&b, "%s\n", big);
    zline(&b, "192.0.2.7", "https", "192.0.2.7", 302, "\"unknown\":[{\"key\":\"x_owa_version\",\"value\":[\"15.1.2176.2\"]}]", NULL);
    exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
    size_t nw;
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, 1);
    assert_int_equal(w[0].line, 1);
    assert_string_equal(w[0].message, "skipped: a line longer than 8 MiB");
    assert_string_equal(only(p)->build, "15.1.2176.2");
    assert_int_equal(only(p)->line, 2);
    exs_probe_destroy(p);
    /* the same through a file, where the line crosses reads */
    char path[] = "/tmp/exsweep-test-probe-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fwrite(b.p, 1, b.n, f);
    fclose(f);
    char err[256];
    assert_int_equal(exs_probe_read(&p, EXS_PROBE_ZGRAB2, path, err, sizeof err), EXS_OK);
    w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, 1);
    assert_int_equal(w[0].line, 1);
    assert_int_equal(only(p)->line, 2);
    exs_probe_destroy(p);
    unlink(path);
    /* exactly XS_PROBE_MAX_LINE - 1 bytes and the newline fit: read (as no JSON) */
    b.n = 0;
    big[XS_PROBE_MAX_LINE - 1] = '\0';
    put(&b, "%s\n", big);
    good(&b);
    p = read_mem(EXS_PROBE_ZGRAB2, &b);
    w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, 1);
    assert_non_null(strstr(w[0].message, "not a JSON object"));
    exs_probe_destroy(p);
    free(big);
    free(b.p);
}

/* XS_PROBE_JSON_DEPTH: 64 levels read, 65 malformed. */
static void test_cap_depth(void **st)
{
    (void)st;
    for (int extra = 0; extra < 2; extra++) {
        buf b = {0};
        /* root 0, data 1, http 2, result 3, response 4: the arrays of "x" are 5 and deeper,
         * the innermost at the cap, or one past it */
        int pad = XS_PROBE_JSON_DEPTH - 4 + extra;
        put(&b, "{\"ip\":\"192.0.2.9\",\"data\":{\"http\":{\"result\":{\"response\":{\"x\":");
        for (int i = 0; i < pad; i++)
            put(&b, "[");
        put(&b, "1");
        for (int i = 0; i < pad; i++)
            put(&b, "]");
        put(&b, ",\"headers\":{\"unknown\":[{\"key\":\"x_owa_version\",\"value\":[\"15.2.986.5\"]}]},"
                "\"request\":{\"url\":{\"scheme\":\"https\",\"host\":\"192.0.2.9\"}}}}}}}\n");
        good(&b);
        exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
        size_t n;
        const exs_probe_target *t = exs_probe_targets(p, &n);
        assert_int_equal(n, extra ? 1 : 2);
        assert_string_equal(t[0].target, extra ? "192.0.2.250:443" : "192.0.2.9:443");
        exs_probe_destroy(p);
        free(b.p);
    }
}

/* XS_PROBE_MAX_PAIRS: a line with more values is read up to them, a warning. */
static void test_cap_pairs(void **st)
{
    (void)st;
    buf b = {0};
    put(&b, "{\"ip\":\"192.0.2.9\",\"data\":{\"http\":{\"result\":{\"response\":{\"headers\":{"
            "\"unknown\":[{\"key\":\"x_owa_version\",\"value\":[\"15.2.986.5\"]}]},\"request\":"
            "{\"url\":{\"scheme\":\"https\",\"host\":\"192.0.2.9\"}},\"pad\":[");
    for (int i = 0; i < XS_PROBE_MAX_PAIRS; i++)
        put(&b, "%s1", i ? "," : "");
    put(&b, "]}}}}}\n");
    exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
    size_t nw;
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, 1);
    assert_string_equal(w[0].message, "more than 8192 values: the rest of the line was not read");
    assert_string_equal(only(p)->build, "15.2.986.5");
    exs_probe_destroy(p);
    free(b.p);
}

/* XS_PROBE_PATHS: a line whose dotted names need more is malformed. */
static void test_cap_paths(void **st)
{
    (void)st;
    buf b = {0};
    char *name = malloc(XS_PROBE_PATHS / 2 + 1);
    memset(name, 'n', XS_PROBE_PATHS / 2);
    name[XS_PROBE_PATHS / 2] = '\0';
    put(&b, "{\"ip\":\"192.0.2.9\",\"%s\":1,\"%s2\":1}\n", name, name);
    good(&b);
    exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
    size_t nw;
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, 1);
    assert_non_null(strstr(w[0].message, "not a JSON object"));
    exs_probe_destroy(p);
    free(name);
    free(b.p);
}

/* XS_PROBE_MAX_HEADERS: a header past them is not looked at, a warning. */
static void test_cap_headers(void **st)
{
    (void)st;
    for (int past = 0; past < 2; past++) {
        buf b = {0}, h = {0};
        put(&h, "\"unknown\":[");
        for (int i = 0; i < XS_PROBE_MAX_HEADERS - 1 + past; i++)
            put(&h, "{\"key\":\"x_pad%d\",\"value\":[\"v\"]},", i);
        put(&h, "{\"key\":\"x_owa_version\",\"value\":[\"15.2.986.5\"]}]");
        zline(&b, "192.0.2.9", "https", "192.0.2.9", 302, h.p, NULL);
        exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
        size_t nw;
        const exs_probe_warning *w = exs_probe_warnings(p, &nw);
        assert_int_equal(nw, (size_t)past);
        assert_int_equal(only(p)->exchange, !past);
        if (past)
            assert_string_equal(w[0].message, "more than 256 response header values: the rest "
                                              "were not looked at");
        exs_probe_destroy(p);
        free(h.p);
        free(b.p);
    }
}

/* XS_PROBE_MAX_BODY: a path past the first 256 KiB of a body is not seen; one warning. */
static void test_cap_body(void **st)
{
    (void)st;
    for (int past = 0; past < 2; past++) {
        size_t pad = XS_PROBE_MAX_BODY - 30 + (past ? 31 : 0);
        char *body = malloc(pad + 64);
        memset(body, 'a', pad);
        strcpy(body + pad, "/owa/auth/15.1.2176/x");
        xs_fingerprint f;
        xs_fp_http(200, NULL, 0, body, strlen(body), &f);
        assert_int_equal(f.exchange, !past);
        assert_true(f.body_cut == (strlen(body) > XS_PROBE_MAX_BODY));
        buf b = {0};
        zline(&b, "192.0.2.9", "https", "192.0.2.9", 200, "", body);
        exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
        size_t nw;
        const exs_probe_warning *w = exs_probe_warnings(p, &nw);
        assert_int_equal(nw, (size_t)past);
        if (past)
            assert_string_equal(w[0].message, "1 response bodies longer than 256 KiB: their "
                                              "first 256 KiB were looked at");
        exs_probe_destroy(p);
        free(b.p);
        free(body);
    }
}

/* XS_PROBE_MAX_MODULES: modules past them are not read, a warning. */
static void test_cap_modules(void **st)
{
    (void)st;
    for (int past = 0; past < 2; past++) {
        buf b = {0};
        put(&b, "{\"ip\":\"192.0.2.9\",\"data\":{");
        for (int i = 0; i < XS_PROBE_MAX_MODULES + past; i++)
            put(&b, "%s\"m%d\":{\"status\":\"success\",\"protocol\":\"http\",\"result\":{"
                    "\"response\":{\"status_code\":200,\"request\":{\"url\":{\"scheme\":"
                    "\"https\",\"host\":\"192.0.2.9:%d\"}}}}}",
                i ? "," : "", i, 1000 + i);
        put(&b, "}}\n");
        exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
        size_t n, nw;
        exs_probe_targets(p, &n);
        const exs_probe_warning *w = exs_probe_warnings(p, &nw);
        assert_int_equal(n, XS_PROBE_MAX_MODULES);
        assert_int_equal(nw, (size_t)past);
        if (past)
            assert_string_equal(w[0].message, "more modules than 16 in the line: the rest were "
                                              "not read");
        exs_probe_destroy(p);
        free(b.p);
    }
}

/* XS_PROBE_MAX_WARNINGS: the first kept, every one counted. */
static void test_cap_warnings(void **st)
{
    (void)st;
    buf b = {0};
    for (int i = 0; i < XS_PROBE_MAX_WARNINGS + 5; i++)
        put(&b, "bad\n");
    good(&b);
    exs_probe *p = read_mem(EXS_PROBE_ZGRAB2, &b);
    size_t nw;
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    assert_int_equal(nw, XS_PROBE_MAX_WARNINGS);
    assert_int_equal(w[nw - 1].line, XS_PROBE_MAX_WARNINGS);
    assert_int_equal(exs_probe_stats(p)->warnings, XS_PROBE_MAX_WARNINGS + 5);
    char *s = render(p, EXS_PROBE_TEXT);
    assert_non_null(strstr(s, "  (5 more warnings counted, not kept)\n"));
    free(s);
    exs_probe_destroy(p);
    free(b.p);
}

/* XS_PROBE_MAX_HOST and XS_PROBE_MAX_TEXT. */
static void test_cap_host_text(void **st)
{
    (void)st;
    char host[XS_PROBE_MAX_HOST + 2];
    for (int past = 0; past < 2; past++) {
        memset(host, 'h', sizeof host);
        host[XS_PROBE_MAX_HOST + past] = '\0';
        buf b = {0};
        put(&b, "hostname,ip,port,version\nx,%s,443,15.1.2176.2\n", host);
        exs_probe *p = read_mem(EXS_PROBE_SHADOWSERVER, &b);
        size_t n, nw;
        exs_probe_targets(p, &n);
        exs_probe_warnings(p, &nw);
        assert_int_equal(n, (size_t)!past);
        assert_int_equal(nw, (size_t)past);
        exs_probe_destroy(p);
        free(b.p);
    }
    /* a name of 300 bytes is cut at 256, at a character: 'é' (2 bytes) straddling the cut */
    char name[301];
    memset(name, 'n', 255);
    memcpy(name + 255, "\xc3\xa9", 2);
    memset(name + 257, 'n', 43);
    name[300] = '\0';
    buf b = {0};
    put(&b, "hostname,ip,port,version\n%s,192.0.2.1,443,15.1.2176.2\n", name);
    exs_probe *p = read_mem(EXS_PROBE_SHADOWSERVER, &b);
    assert_int_equal(strlen(only(p)->name), 255);
    exs_probe_destroy(p);
    free(b.p);
}

/* XS_PROBE_MAX_TARGETS: records of further targets are warnings, not classified. */
static void test_cap_targets(void **st)
{
    (void)st;
    buf b = {0};
    put(&b, "ip,port,version\n");
    for (unsigned i = 0; i < XS_PROBE_MAX_TARGETS + 2; i++)
        put(&b, "10.%u.%u.%u,443,15.1.2176.2\n", (i >> 16) & 255, (i >> 8) & 255, i & 255);
    put(&b, "10.0.0.0,443,15.1.2176.14\n"); /* a target already kept still folds */
    exs_probe *p = read_mem(EXS_PROBE_SHADOWSERVER, &b);
    size_t n, nw;
    exs_probe_targets(p, &n);
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    assert_int_equal(n, XS_PROBE_MAX_TARGETS);
    assert_int_equal(nw, 2);
    assert_int_equal(w[0].line, XS_PROBE_MAX_TARGETS + 2);
    assert_string_equal(w[0].message, "skipped: more than 1000000 targets, 10.15.66.64:443 is not "
                                      "classified");
    assert_string_equal(exs_probe_targets(p, &n)[0].build, "15.1.2176.14");
    exs_probe_destroy(p);
    free(b.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fp_sources),
        cmocka_unit_test(test_fp_merge),
        cmocka_unit_test(test_header_builds),
        cmocka_unit_test(test_path_and_manifest),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_benign),
        cmocka_unit_test(test_text_exact),
        cmocka_unit_test(test_zgrab2_bad_lines),
        cmocka_unit_test(test_zgrab2_modules),
        cmocka_unit_test(test_shadowserver),
        cmocka_unit_test(test_shadowserver_not),
        cmocka_unit_test(test_cap_line),
        cmocka_unit_test(test_cap_depth),
        cmocka_unit_test(test_cap_pairs),
        cmocka_unit_test(test_cap_paths),
        cmocka_unit_test(test_cap_headers),
        cmocka_unit_test(test_cap_body),
        cmocka_unit_test(test_cap_modules),
        cmocka_unit_test(test_cap_warnings),
        cmocka_unit_test(test_cap_host_text),
        cmocka_unit_test(test_cap_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
