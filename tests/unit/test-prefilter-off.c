/* The prefilter's promise under encodings: every line a detector could report passes the
 * prefilter. The predicates decode %XX and '\', and collapse repeated separators, so an
 * attack row written with one character encoded is still reported when every line is a
 * candidate; the prefilter must pass it too. Each planted row below (the e2e tree's) is
 * swept with every one-character variant: the character percent-encoded, double-encoded, a
 * '/' doubled or written %2f, %5c or '\'. t_scan_many_n sweeps them with and without the
 * prefilter and stops the test when the findings differ (tests/support/memscan.c).
 *
 * This is how "/owa/auth/x.%61spx" and "/%6Fwa/.../powershell" (an encoded letter: no literal
 * matched) and "POST //powershell" were found; lib/detectors/patterns.c has the fixes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memscan.h"

#define W3C_FIELDS                                                                                 \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "         \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
#define W3C_FIELDS_LONG                                                                            \
    "#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query "       \
    "s-port cs-username c-ip cs-version cs(User-Agent) cs(Referer) cs-host sc-status "            \
    "sc-substatus sc-win32-status sc-bytes cs-bytes time-taken\r\n"
#define FRONT "c/inetpub/logs/logfiles/w3svc1/u_ex2103"
#define BACK "c/inetpub/logs/logfiles/w3svc2/u_ex2103"
#define HTTPPROXY "c/program files/microsoft/exchange server/v15/logging/httpproxy/owa/httpproxy_20210306"

static const struct row {
    const char *rule;   /* what the row gives as it is */
    const char *folder; /* where it lies (a file name is added per variant) */
    const char *ext;
    const char *header; /* directive lines before it, or "" */
    const char *line;
} rows[] = {
    {"EXS-WS-ACCESS", FRONT, ".log", W3C_FIELDS,
     "2021-03-06 17:27:44 10.0.0.5 GET /owa/auth/RedirSuiteServerProxy.aspx "
     "&CorrelationID=<empty>;&cafeReqId=3e6ba66a-9575-42dc-ac0d-23d1c8b7363d; 443 - 198.51.100.77 "
     "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) - 200 0 0 40"},
    {"EXS-WS-CMD", FRONT, ".log", W3C_FIELDS_LONG,
     "2021-03-03 07:20:05 Default+Web+Site EXCH01 10.0.0.5 GET /owa/auth/errorEE.aspx "
     "cmd=whoami&CorrelationID=<empty>; 443 - 203.0.113.21 HTTP/1.1 python-requests/2.25.1 - "
     "mail.contoso.test 200 0 0 18362 1857 96"},
    {"EXS-WS-UA", FRONT, ".log", W3C_FIELDS_LONG,
     "2021-03-03 07:15:10 Default+Web+Site EXCH01 10.0.0.5 POST /aspnet_client/x.aspx "
     "&CorrelationID=<empty>; 443 - 203.0.113.21 HTTP/1.1 antSword/v2.1 - mail.contoso.test 200 "
     "0 0 1326 2412 10"},
    {"EXS-PL-IIS-CARRIER", FRONT, ".log", W3C_FIELDS,
     "2021-03-03 06:49:42 10.0.0.5 POST /ecp/y.js &CorrelationID=<empty>; 443 - 203.0.113.21 "
     "ExchangeServicesClient/0.0.0.0 - 200 0 0 93"},
    {"EXS-OWASSRF-IIS", FRONT, ".log", W3C_FIELDS,
     "2021-03-07 16:40:12 10.0.0.5 POST /owa/mastermailbox%40outlook.com/powershell "
     "&CorrelationID=<empty>; 443 CONTOSO\\jsmith 203.0.113.99 Mozilla/5.0+(Windows+NT+10.0) - "
     "200 0 0 116"},
    {"EXS-OWASSRF-IIS", BACK, ".log", W3C_FIELDS,
     "2021-03-07 16:40:12 10.0.0.5 POST /powershell serializationLevel=Full;ExchClientVer=15.1."
     "2176.2;clientApplication=ManagementShell;PSVersion=5.1.17763.1007&CorrelationID=<empty>; 444 "
     "CONTOSO\\jsmith 10.0.0.5 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 61"},
    {"EXS-PNS-SSRF", FRONT, ".log", W3C_FIELDS,
     "2021-03-07 09:14:05 10.0.0.5 POST /autodiscover/autodiscover.json @evil.test/powershell/?"
     "&Email=autodiscover/autodiscover.json%3F@evil.test&Protocol=Powershell&CorrelationID=<empty>; "
     "443 CONTOSO\\jsmith 203.0.113.88 python-requests/2.28.1 - 200 0 0 120"},
    {"EXS-PS-ATTEMPT", FRONT, ".log", W3C_FIELDS,
     "2021-03-04 14:02:11 10.0.0.5 POST /autodiscover/autodiscover.json @evil.test/mapi/nspi/?"
     "&Email=autodiscover/autodiscover.json%3F@evil.test&CorrelationID=<empty>; 443 - 198.51.100.7 "
     "python-requests/2.26.0 - 401 0 0 23"},
    {"EXS-PL-26855-SSRF", HTTPPROXY, ".LOG", "",
     "2021-03-03T06:49:43.699Z,74d8905c-fe4c-490f-962b-8fa2751c043b,15,1,2176,2,,Ecp,"
     "mail.contoso.test,/ecp/y.js,,,false,,,ServerInfo~a]@EXCH01.contoso.test:444/mapi/emsmdb/?#,"
     "python-requests/2.25.1,203.0.113.21,EXCH01,200,200,,POST,Proxy,EXCH01.contoso.test,"
     "15.01.2176.000,IntraForest,X-BEResource-Cookie,,,0,2,0,,,0,0,,0,,0,,0,0,,0,9,0,,1,0,0,0,0,0"},
    {"EXS-WS-ACCESS", HTTPPROXY, ".LOG", "",
     "2021-03-06T17:27:44.923Z,55f760d4-67d4-48c7-9a24-ae545de79797,15,1,2176,2,,Owa,"
     "mail.contoso.test,/owa/auth/RedirSuiteServerProxy.aspx,,,false,,,,Mozilla/5.0 (Windows NT "
     "10.0; Win64; x64),198.51.100.77,EXCH01,200,200,,GET,Proxy,EXCH01.contoso.test,"
     "15.01.2176.000,IntraForest,,,,0,4,4,,,1,0,,0,,0,,0,2,,0,23,0,,0,0,1,0,0,0"},
};

typedef struct variants {
    char **places, **texts;
    size_t n, cap;
} variants;

static void add(variants *v, const struct row *r, const char *line, size_t cut, const char *with,
                size_t skip)
{
    if (v->n + 2 > v->cap) {
        v->cap = v->cap ? v->cap * 2 : 256;
        v->places = realloc(v->places, v->cap * sizeof *v->places);
        v->texts = realloc(v->texts, v->cap * sizeof *v->texts);
        assert_non_null(v->places);
        assert_non_null(v->texts);
    }
    /* one file per variant, named as the folder's logs are */
    if (asprintf(&v->places[v->n], "%s%05zu%s", r->folder, v->n, r->ext) < 0 ||
        asprintf(&v->texts[v->n], "%s%.*s%s%s\r\n", r->header, (int)cut, line, with,
                 line + cut + skip) < 0)
        fail();
    v->n++;
    v->places[v->n] = v->texts[v->n] = NULL;
}

/* The row as it is, then every one-character variant of it past its time stamp. */
static void make_variants(variants *v, const struct row *r)
{
    const char *l = r->line;
    add(v, r, l, 0, "", 0);
    for (size_t i = 20; l[i]; i++) {
        unsigned char c = (unsigned char)l[i];
        if (c == ' ' || c == ',')
            continue; /* the field separators stay */
        char enc[16];
        snprintf(enc, sizeof enc, "%%%02X", c);
        add(v, r, l, i, enc, 1);
        snprintf(enc, sizeof enc, "%%25%02X", c);
        add(v, r, l, i, enc, 1);
        if (c == '/') {
            add(v, r, l, i, "//", 1);
            add(v, r, l, i, "%2f", 1);
            add(v, r, l, i, "%5C", 1);
            add(v, r, l, i, "\\", 1);
        }
    }
}

static void free_variants(variants *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->places[i]);
        free(v->texts[i]);
    }
    free(v->places);
    free(v->texts);
}

static void test_one_character_variants(void **st)
{
    (void)st;
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        variants v = {0};
        make_variants(&v, &rows[k]);
        exs_scan *s = t_scan_many((const char *const *)v.places, (const char *const *)v.texts);
        assert_non_null(s);
        /* the row as it is gives its finding: the variants are variants of a detection */
        char name[32];
        snprintf(name, sizeof name, "00000%s", rows[k].ext);
        if (!t_find_file(s, rows[k].rule, name))
            fail_msg("row %zu (%s) gives no %s as it is:\n%s", k, rows[k].folder, rows[k].rule,
                     t_summary(s));
        exs_scan_destroy(s);
        free_variants(&v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_character_variants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
