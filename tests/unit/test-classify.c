/* File classification by location and content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "sources/classify.h"

static xs_class c;

static xs_kind cls(const char *norm, const char *content)
{
    xs_classify(norm, norm, (const unsigned char *)content, strlen(content), &c);
    return c.kind;
}

static void test_location(void **st)
{
    (void)st;
    assert_int_equal(cls("/mnt/img/e/exchange/v15/logging/httpproxy/owa/httpproxy_2021030301-1.log",
                         "2021-03-03T01:00:00.000Z,x"),
                     XS_KIND_HTTPPROXY);
    assert_string_equal(c.family, "HttpProxy/Owa");
    assert_int_equal(cls("c/program files/microsoft/exchange server/v15/logging/oabgeneratorlog/a.log", "hello"),
                     XS_KIND_OABGEN);
    assert_int_equal(cls("d/iislogs/logfiles/w3svc2/u_ex210303.log", "nothing yet"), XS_KIND_IIS);
    assert_string_equal(c.family, "IIS/W3SVC2");
    assert_int_equal(cls("c/windows/system32/logfiles/httperr/httperr1.log", "#Software: Microsoft HTTP API 2.0\n"),
                     XS_KIND_IIS);
    assert_string_equal(c.family, "IIS/HTTPERR");
}

/* A path under several log folders: "/logging/" before "/logfiles/", each by occurrence, first
 * to last; the kind's order does not choose. */
static void test_location_order(void **st)
{
    (void)st;
    assert_int_equal(cls("a/logfiles/w3svc1/logging/httpproxy/owa/a.log", "hello"), XS_KIND_HTTPPROXY);
    assert_string_equal(c.family, "HttpProxy/Owa");
    assert_int_equal(c.install_root_len, strlen("a/logfiles/w3svc1"));
    assert_int_equal(cls("a/logging/ecp/server/b/logging/httpproxy/owa/a.log", "hello"), XS_KIND_ECP);
    assert_string_equal(c.family, "ECP/Server");
    assert_int_equal(c.install_root_len, strlen("a"));
    assert_int_equal(cls("a/logfiles/httperr/b/logfiles/w3svc2/a.log", "hello"), XS_KIND_IIS);
    assert_string_equal(c.family, "IIS/HTTPERR");
    assert_int_equal(c.install_root_len, 0);
    /* content naming another kind: the family is the content's, the install root the place's */
    assert_int_equal(cls("a/logfiles/w3svc1/logging/ecp/server/a.log",
                         "#Software: Microsoft Internet Information Services 10.0\n"),
                     XS_KIND_IIS);
    assert_string_equal(c.family, "IIS");
    assert_int_equal(c.install_root_len, strlen("a/logfiles/w3svc1"));
    /* an Exchange log of another type in the folder of one read: read as that one */
    assert_int_equal(cls("a/logfiles/w3svc1/logging/ecp/server/a.log",
                         "#Software: Microsoft Exchange Server\r\n#Log-type: Message Tracking Log\r\n"),
                     XS_KIND_ECP);
    assert_string_equal(c.family, "ECP/Server");
}

static void test_install_root(void **st)
{
    (void)st;
    const char *disp = "E/Exchange/V15/Logging/HttpProxy/Ecp/HttpProxy_1.LOG";
    xs_classify("e/exchange/v15/logging/httpproxy/ecp/httpproxy_1.log", disp,
                 (const unsigned char *)"x", 1, &c);
    assert_int_equal(c.install_root_len, strlen("E/Exchange/V15"));
}

static void test_content(void **st)
{
    (void)st;
    /* content wins wherever the file lies */
    assert_int_equal(cls("d/case/renamed.txt", "#Software: Microsoft Exchange Server\r\n#Log-type: HttpProxy Logs\r\n"),
                     XS_KIND_HTTPPROXY);
    assert_int_equal(cls("d/case/x.log", "#Software: Microsoft Exchange Server\r\n#Log-type: ECP Server Log\r\n"),
                     XS_KIND_ECP);
    assert_int_equal(cls("d/case/x.log", "#Log-type: Rps Http Logs\r\n"), XS_KIND_RPSHTTP);
    assert_int_equal(cls("d/case/x.log", "#Log-type: Rps Cmdlet Logs\r\n"), XS_KIND_RPSCMDLET);
    assert_int_equal(cls("d/case/x.log", "#Software: Microsoft Exchange Server\r\n#Log-type: Message Tracking Log\r\n"),
                     XS_KIND_EXCHANGE);
    assert_string_equal(c.family, "Exchange/Message Tracking Log");
    assert_int_equal(cls("d/case/u_ex.log", "#Software: Microsoft Internet Information Services 10.0\n"), XS_KIND_IIS);
    assert_int_equal(cls("d/case/u_ex.log",
                         "2021-03-05 03:06:27 xxx GET /owa/auth/x.aspx - 443 - 1.2.3.4 UA - 200 0 0 133\n"),
                     XS_KIND_IIS);
    assert_int_equal(cls("d/case/out.csv", "#TYPE Selected.X\r\n\"DateTime\",\"AnchorMailbox\"\r\n"),
                     XS_KIND_HTTPPROXY);
    assert_int_equal(cls("d/case/out.csv", "timestamp,hostname,urlpath,status\r\n"), XS_KIND_EXPORT);
    assert_int_equal(cls("d/case/out.csv", "name,colour\r\n"), XS_KIND_TEXT);
    assert_int_equal(cls("d/case/notes", "some words\n"), XS_KIND_TEXT);
    assert_int_equal(cls("d/case/page.html", "<html>\n"), XS_KIND_NONE);
}

/* Several #Software lines: any one naming IIS, HTTP.sys or Exchange counts, wherever it stands. */
static void test_software_lines(void **st)
{
    (void)st;
    assert_int_equal(cls("d/x.log", "#Software: Other\n#Software: Microsoft Internet Information Services 10.0\n"),
                     XS_KIND_IIS);
    assert_string_equal(c.family, "IIS");
    assert_int_equal(cls("d/x.log", "#Software: Other\n#Software: Microsoft HTTP API 2.0\n"), XS_KIND_IIS);
    assert_int_equal(cls("d/x.log", "#Software: Other\n#Software: Microsoft Exchange Server\n#Fields: a,b,c\n"),
                     XS_KIND_EXCHANGE);
    assert_string_equal(c.family, "Exchange/other");
    assert_int_equal(cls("d/x.log", "#Software: Microsoft Exchange Server\n#Software: Other\n#Fields: a,b,c\n"),
                     XS_KIND_EXCHANGE);
    assert_int_equal(cls("d/x.log", "#Software: Other\n#Software: Another\n#Fields: a,b,c\n"), XS_KIND_TEXT);
}

static void test_magic(void **st)
{
    (void)st;
    static const unsigned char evtx[] = "ElfFile\0\0\0";
    xs_classify("d/x.log", "d/x.log", evtx, sizeof evtx, &c);
    assert_int_equal(c.kind, XS_KIND_EVTX);
    static const unsigned char zip[] = "PK\3\4rest";
    xs_classify("d/x.log", "d/x.log", zip, sizeof zip, &c);
    assert_int_equal(c.kind, XS_KIND_ARCHIVE);
    static const unsigned char gz[] = "\x1f\x8b\x08";
    xs_classify("d/x", "d/x", gz, sizeof gz, &c);
    assert_int_equal(c.kind, XS_KIND_ARCHIVE);
    /* NULs: not text, except where a log lies */
    static const unsigned char bin[] = "MZ\x90\0\3\0";
    xs_classify("d/tool.txt", "d/tool.txt", bin, sizeof bin, &c);
    assert_int_equal(c.kind, XS_KIND_NONE);
    xs_classify("c/inetpub/logs/logfiles/w3svc1/u_ex1.log", "x", bin, sizeof bin, &c);
    assert_int_equal(c.kind, XS_KIND_IIS);
    assert_true(c.binary_log);
}

static void test_path_norm(void **st)
{
    (void)st;
    char out[256];
    xs_path_norm("uploads/auto/C%3A/Program Files\\Microsoft//Exchange", out, sizeof out);
    assert_string_equal(out, "uploads/auto/c:/program files/microsoft/exchange");
    xs_path_norm("a%00b%zz", out, sizeof out);
    assert_string_equal(out, "a_b%zz");
}

/* JSON lines of any kind: one object with a quoted key on the first line. */
static void test_json_lines(void **st)
{
    (void)st;
#define JL(s) xs_looks_json_lines((const unsigned char *)(s), sizeof(s) - 1)
    assert_true(JL("{\"a\": 1}\n{\"a\": 2}\n"));
    assert_true(JL("\xEF\xBB\xBF  \r\n{\"@timestamp\":\"x\"} \r\n"));
    assert_true(JL("{\"cut\": \"no line break\"}"));
    assert_false(JL("{}\n"));
    assert_false(JL("[{\"a\": 1}]\n"));
    assert_false(JL("{\"a\": 1\n"));
    assert_false(JL("date time s-ip\n"));
    assert_false(JL(""));
#undef JL
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_location), cmocka_unit_test(test_location_order),
        cmocka_unit_test(test_install_root),
        cmocka_unit_test(test_content),  cmocka_unit_test(test_software_lines),
        cmocka_unit_test(test_magic),
        cmocka_unit_test(test_path_norm),   cmocka_unit_test(test_json_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
