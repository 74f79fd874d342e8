/* The ECS checker (tests/support/ecs.c, the core of tests/tools/ecscheck): every kind of
 * problem it must find, on hand-written records, and the records it must let through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecs.h"

static const char LIST[] =
    "# a small model: the types and forms the checker knows\n"
    "version 9.4.0\n"
    "field @timestamp date date\n"
    "field ecs.version keyword string\n"
    "field event.kind keyword string\n"
    "field event.category keyword [string]\n"
    "field event.type keyword [string]\n"
    "field event.outcome keyword string\n"
    "field event.severity long integer\n"
    "field message match_only_text string\n"
    "field url.path wildcard string\n"
    "field source.ip ip ip\n"
    "field source.geo.location geo_point geo_point\n"
    "field vulnerability.id keyword string\n"
    "field labels object {string}\n"
    "field file.pe.imports flattened [object]\n"
    "field threat.enrichments nested [object]\n"
    "field threat.enrichments.indicator.ip ip ip\n"
    "field network.inner object object\n"
    "field network.inner.vlan.id keyword string\n"
    "field x.small byte integer\n"
    "field x.big unsigned_long integer\n"
    "field x.ratio float number\n"
    "field x.flag boolean boolean\n"
    "allowed event.kind alert event\n"
    "allowed event.outcome success failure unknown\n"
    "category intrusion_detection allowed denied info\n"
    "category threat indicator\n"
    "category file access change creation deletion info\n";

/* The two fields every record needs, to prefix the cases with. */
#define REQ "\"@timestamp\":\"2021-03-03T06:49:42.162Z\",\"ecs\":{\"version\":\"9.4.0\"}"

static t_ecs *model;

static int write_temp(const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/exsweep-ecs.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    size_t n = strlen(text);
    int ok = write(fd, text, n) == (ssize_t)n;
    close(fd);
    return ok ? 0 : -1;
}

static int setup(void **st)
{
    (void)st;
    char path[256], err[256];
    if (write_temp(LIST, path, sizeof path))
        return -1;
    model = t_ecs_new();
    int rc = model ? t_ecs_load_list(model, path, err, sizeof err) : -1;
    if (rc)
        fprintf(stderr, "%s\n", err);
    unlink(path);
    return rc;
}

static int teardown(void **st)
{
    (void)st;
    t_ecs_free(model);
    return 0;
}

typedef struct out {
    char buf[4096];
    size_t n;
} out;

static void collect(void *ctx, const char *field, const char *why)
{
    out *o = ctx;
    o->n += (size_t)snprintf(o->buf + o->n, sizeof o->buf - o->n, "%s: %s\n", field, why);
    if (o->n >= sizeof o->buf)
        o->n = sizeof o->buf - 1;
}

/* The problems of one record, "field: problem" a line (static buffer). */
static const char *check_with(const t_ecs *m, const char *rec)
{
    static out o;
    o.n = 0;
    o.buf[0] = 0;
    size_t k = t_ecs_check_record(m, rec, strlen(rec), collect, &o);
    size_t lines = 0;
    for (const char *p = o.buf; *p; p++)
        lines += *p == '\n';
    assert_int_equal(k, lines); /* the count returned is the count reported */
    return o.buf;
}

static const char *check(const char *rec)
{
    return check_with(model, rec);
}

#define GOOD(rec) assert_string_equal(check(rec), "")
#define BAD(rec, want)                                                                            \
    do {                                                                                          \
        const char *got_ = check(rec);                                                            \
        if (!strstr(got_, want))                                                                  \
            fail_msg("record %s\nwanted a problem \"%s\", got:\n%s", rec, want, got_);            \
    } while (0)
/* Exactly one problem, this one. */
#define ONLY(rec, want) assert_string_equal(check(rec), want "\n")

static void test_good_records(void **st)
{
    (void)st;
    GOOD("{" REQ "}");
    GOOD("{" REQ ",\"event\":{\"kind\":\"alert\",\"category\":[\"intrusion_detection\"],"
         "\"type\":[\"info\"],\"severity\":3,\"outcome\":\"success\"},\"source\":{\"ip\":"
         "\"203.0.113.21\"},\"url\":{\"path\":\"/ecp/y.js\"},\"message\":\"a\\u00e9\\ud83d\\ude00\"}");
    /* dotted keys are the same fields as nested ones */
    GOOD("{\"@timestamp\":\"2021-03-03T06:49:42Z\",\"ecs.version\":\"9.4.0\",\"event.kind\":\"event\"}");
    /* anything under exsweep. */
    GOOD("{" REQ ",\"exsweep\":{\"line\":16,\"x\":[{\"y\":null}],\"z\":{\"w\":[1,[2]]}}}");
    /* IPv6, offsets, leap days, fractions to nanoseconds, every number form a float takes */
    GOOD("{\"@timestamp\":\"2024-02-29T23:59:59.123456789+01:00\",\"ecs\":{\"version\":\"9.4.0\"},"
         "\"source\":{\"ip\":\"2001:db8::1\"},\"x\":{\"ratio\":-1.5e3,\"small\":-128,\"big\":"
         "18446744073709551615,\"flag\":false}}");
    /* a category list: each type needs one category that expects it */
    GOOD("{" REQ ",\"event\":{\"category\":[\"threat\",\"intrusion_detection\"],\"type\":["
         "\"indicator\",\"denied\"]}}");
    /* object and flattened fields, nested arrays, geo points */
    GOOD("{" REQ ",\"labels\":{\"case\":\"42\",\"site\":\"ams\"},\"file\":{\"pe\":{\"imports\":"
         "[{\"name\":\"k\",\"n\":[1]}]}},\"threat\":{\"enrichments\":[{\"indicator\":{\"ip\":"
         "\"192.0.2.1\"}},{\"indicator\":{\"ip\":\"192.0.2.2\"}}]},\"network\":{\"inner\":{"
         "\"vlan\":{\"id\":\"10\"},\"free\":7}},\"source\":{\"geo\":{\"location\":{\"lat\":52.3,"
         "\"lon\":4.9}}}}");
    GOOD("{" REQ ",\"source\":{\"geo\":{\"location\":\"52.3,4.9\"}}}");
    GOOD("{" REQ ",\"source\":{\"geo\":{\"location\":[4.9,52.3]}}}");
    GOOD("{" REQ ",\"event\":{\"category\":[],\"kind\":\"alert\"}}"); /* an empty array: no value */
}

static void test_not_json(void **st)
{
    (void)st;
    ONLY("", "-: empty line");
    ONLY("   ", "-: empty line");
    ONLY("[1]", "-: not a JSON object");
    BAD("{\"a\":1,}", "-: not valid JSON at byte 8: expected a key");
    BAD("{\"a\":1} x", "text after the object");
    BAD("{\"a\":\"\\x\"}", "bad escape");
    BAD("{\"a\":\"\\ud83d\"}", "lone surrogate escape");
    BAD("{\"a\":\"\\ude00x\"}", "lone surrogate escape");
    BAD("{\"a\":\"\xc3\x28\"}", "invalid UTF-8");
    BAD("{\"a\":\"\xed\xa0\x80\"}", "invalid UTF-8"); /* a surrogate in UTF-8 */
    BAD("{\"a\":\"\xc0\xaf\"}", "invalid UTF-8");     /* overlong */
    BAD("{\"a\":\"tab\there\"}", "control character in a string");
    BAD("{\"a\":01}", "expected ',' or '}'");         /* 0, then 1 */
    BAD("{\"a\":1.}", "bad number");
    BAD("{\"a\":tru}", "bad literal");
    BAD("{\"a\":\"x", "unterminated string");
    BAD("{\"a\":1,\"a\":2}", "duplicated key");
    char deep[300] = "{\"a\":";
    memset(deep + 5, '[', 70);
    deep[75] = 0;
    BAD(deep, "nested too deep");
}

static void test_fields(void **st)
{
    (void)st;
    ONLY("{" REQ ",\"foo\":1}", "foo: not an ECS field (nor under exsweep.)");
    ONLY("{" REQ ",\"source\":{\"port\":443}}", "source.port: not an ECS field (nor under exsweep.)");
    ONLY("{" REQ ",\"exsweep\":1}", "exsweep: not an ECS field (nor under exsweep.)");
    ONLY("{" REQ ",\"url\":{\"path\":null}}", "url.path: null (leave the field out instead)");
    ONLY("{" REQ ",\"event.kind\":\"alert\",\"event\":{\"kind\":\"alert\"}}",
         "event.kind: given twice (as a dotted key and nested, or twice dotted)");
    ONLY("{" REQ ",\"url\":{\"path\":{\"a\":\"b\"}}}", "url.path: an object, expected a string (ECS type wildcard)");
    /* the values of an object of strings */
    ONLY("{" REQ ",\"labels\":{\"n\":1}}", "labels.n: a number, expected a string (ECS type keyword)");
    /* a nested field given one object, an array inside an array */
    ONLY("{" REQ ",\"threat\":{\"enrichments\":{\"indicator\":{\"ip\":\"192.0.2.1\"}}}}",
         "threat.enrichments: an object, but ECS normalizes this field to an array of objects");
    ONLY("{" REQ ",\"event\":{\"category\":[[\"threat\"]]}}", "event.category: an array inside an array");
    /* subfields of nested arrays are checked */
    ONLY("{" REQ ",\"threat\":{\"enrichments\":[{\"indicator\":{\"ip\":\"x\"}}]}}",
         "threat.enrichments.indicator.ip: 'x' is not an IPv4 or IPv6 address");
}

static void test_types(void **st)
{
    (void)st;
    ONLY("{" REQ ",\"url\":{\"path\":7}}", "url.path: a number, expected a string (ECS type wildcard)");
    ONLY("{" REQ ",\"message\":true}", "message: true, expected a string (ECS type match_only_text)");
    ONLY("{" REQ ",\"event\":{\"severity\":\"3\"}}", "event.severity: a string, expected an integer (ECS type long)");
    ONLY("{" REQ ",\"event\":{\"severity\":3.0}}",
         "event.severity: a number with a fraction or exponent, expected an integer (ECS type long)");
    ONLY("{" REQ ",\"event\":{\"severity\":1e2}}",
         "event.severity: a number with a fraction or exponent, expected an integer (ECS type long)");
    ONLY("{" REQ ",\"event\":{\"severity\":9223372036854775808}}",
         "event.severity: 9223372036854775808 is out of range for ECS type long");
    ONLY("{" REQ ",\"x\":{\"small\":128}}", "x.small: 128 is out of range for ECS type byte");
    ONLY("{" REQ ",\"x\":{\"big\":-1}}", "x.big: -1 is out of range for ECS type unsigned_long");
    ONLY("{" REQ ",\"x\":{\"ratio\":\"0.5\"}}", "x.ratio: a string, expected a number (ECS type float)");
    ONLY("{" REQ ",\"x\":{\"flag\":\"true\"}}", "x.flag: a string, expected true or false");
    ONLY("{" REQ ",\"source\":{\"ip\":\"203.0.113.256\"}}", "source.ip: '203.0.113.256' is not an IPv4 or IPv6 address");
    ONLY("{" REQ ",\"source\":{\"ip\":\"EXCH01\"}}", "source.ip: 'EXCH01' is not an IPv4 or IPv6 address");
    ONLY("{" REQ ",\"source\":{\"ip\":\"fe80::1%eth0\"}}", "source.ip: 'fe80::1%eth0' is not an IPv4 or IPv6 address");
    ONLY("{" REQ ",\"source\":{\"geo\":{\"location\":{\"lat\":91,\"lon\":0}}}}",
         "source.geo.location: not a geo_point ({\"lat\":N,\"lon\":N}, \"lat,lon\" or [lon,lat])");
    /* dates: ISO-8601 date-times with a zone, real days */
    static const char *const bad_dates[] = {
        "2021-03-03 06:49:42Z", "2021-03-03T06:49:42", "2021-02-29T00:00:00Z",
        "2021-13-01T00:00:00Z", "2021-03-03T24:00:00Z", "2021-03-03T06:49:42.Z",
        "2021-03-03T06:49:42.1234567890Z", "2021-03-03T06:49:42+0100", "1614754182000", "",
    };
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
        char rec[256], want[256];
        snprintf(rec, sizeof rec, "{\"@timestamp\":\"%s\",\"ecs\":{\"version\":\"9.4.0\"}}", bad_dates[i]);
        snprintf(want, sizeof want, "@timestamp: '%s' is not an ISO-8601 date-time with a time zone\n",
                 bad_dates[i]);
        assert_string_equal(check(rec), want);
    }
    ONLY("{\"@timestamp\":1614754182000,\"ecs\":{\"version\":\"9.4.0\"}}",
         "@timestamp: a number, expected a string (ECS type date)");
}

static void test_arrays(void **st)
{
    (void)st;
    ONLY("{" REQ ",\"event\":{\"category\":\"intrusion_detection\"}}",
         "event.category: a single value, but ECS normalizes this field to an array");
    ONLY("{" REQ ",\"vulnerability\":{\"id\":[\"CVE-2021-26855\"]}}",
         "vulnerability.id: an array, but ECS declares a single value (no normalize: array)");
    /* the items of an array are checked one by one */
    ONLY("{" REQ ",\"event\":{\"category\":[\"threat\",7]}}",
         "event.category: a number, expected a string (ECS type keyword)");
}

static void test_allowed_values(void **st)
{
    (void)st;
    ONLY("{" REQ ",\"event\":{\"kind\":\"alarm\"}}", "event.kind: 'alarm' is not an allowed value");
    ONLY("{" REQ ",\"event\":{\"outcome\":\"Success\"}}", "event.outcome: 'Success' is not an allowed value");
    ONLY("{" REQ ",\"event\":{\"category\":[\"webshell\"]}}", "event.category: 'webshell' is not an allowed value");
    /* the pairs: each type expected by one of the categories */
    ONLY("{" REQ ",\"event\":{\"category\":[\"intrusion_detection\"],\"type\":[\"indicator\"]}}",
         "event.type: 'indicator' is not expected by any given event.category: intrusion_detection "
         "(allowed denied info)");
    ONLY("{" REQ ",\"event\":{\"category\":[\"threat\",\"file\"],\"type\":[\"indicator\",\"denied\"]}}",
         "event.type: 'denied' is not expected by any given event.category: threat (indicator); "
         "file (access change creation deletion info)");
    ONLY("{" REQ ",\"event\":{\"type\":[\"info\"]}}", "event.type: given without event.category");
}

static void test_required(void **st)
{
    (void)st;
    assert_string_equal(check("{}"), "@timestamp: missing\necs.version: missing\n");
    ONLY("{\"ecs\":{\"version\":\"9.4.0\"}}", "@timestamp: missing");
    ONLY("{\"@timestamp\":\"2021-03-03T06:49:42Z\"}", "ecs.version: missing");
    ONLY("{\"@timestamp\":\"2021-03-03T06:49:42Z\",\"ecs\":{\"version\":\"8.11.0\"}}",
         "ecs.version: '8.11.0', the schema is ECS 9.4.0");
    ONLY("{\"@timestamp\":\"2021-03-03T06:49:42Z\",\"ecs\":{\"version\":9.4}}",
         "ecs.version: a number, expected a string (ECS type keyword)");
}

/* The list loader refuses what it cannot stand behind. */
static void test_list_errors(void **st)
{
    (void)st;
    static const struct {
        const char *text, *why;
    } cases[] = {
        {"version 9.4.0\nfield a.b long string\n", ":2: JSON column does not follow from the ECS type"},
        {"version 9.4.0\nfield a.b keyword [integer]\n", ":2: JSON column does not follow"},
        {"version 9.4.0\nfield a.b histogram object\n", ":2: ECS type unknown to ecscheck"},
        {"version 9.4.0\nfield a.b keyword string\nfield a.b keyword string\n", ":3: field listed twice"},
        {"version 9.4.0\nfield a.b keyword\n", ":2: want: field NAME ECS-TYPE JSON"},
        {"version 9.4.0\nallowed event.kind alert alert\n", ":2: value listed twice"},
        {"version 9.4.0\nfields a.b keyword string\n", ":2: unknown line"},
        {"field a.b keyword string\n", ": no version line"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256], err[512] = "";
        assert_int_equal(write_temp(cases[i].text, path, sizeof path), 0);
        t_ecs *m = t_ecs_new();
        assert_int_equal(t_ecs_load_list(m, path, err, sizeof err), -1);
        if (!strstr(err, cases[i].why))
            fail_msg("list %zu: wanted \"%s\", got \"%s\"", i, cases[i].why, err);
        t_ecs_free(m);
        unlink(path);
    }
}

/* The committed list (docs/ecs-fields.txt) takes a record as issue 8 wants it, and finds the
 * ways today's JSON lines break ECS (a record as lib/report/machine.c writes it). */
static void test_committed_list(void **st)
{
    (void)st;
    t_ecs *m = t_ecs_new();
    char err[512];
    if (t_ecs_load_list(m, "docs/ecs-fields.txt", err, sizeof err))
        fail_msg("%s", err);
    assert_string_equal(t_ecs_version(m), "9.4.0");
    assert_string_equal(
        check_with(m,
                   "{\"@timestamp\":\"2021-03-03T06:49:42.162Z\",\"ecs\":{\"version\":\"9.4.0\"},"
                   "\"event\":{\"kind\":\"alert\",\"category\":[\"intrusion_detection\",\"web\"],"
                   "\"type\":[\"info\",\"access\"],\"severity\":3,\"id\":\"f-1\",\"dataset\":"
                   "\"exsweep.iis\",\"module\":\"exsweep\"},\"rule\":{\"id\":\"EXS-PL-IIS-CARRIER\"},"
                   "\"vulnerability\":{\"id\":\"CVE-2021-26855\"},\"threat\":{\"framework\":"
                   "\"MITRE ATT&CK\",\"technique\":{\"id\":[\"T1190\"],\"name\":[\"Exploit "
                   "Public-Facing Application\"]}},\"source\":{\"ip\":\"203.0.113.21\",\"address\":"
                   "\"203.0.113.21\"},\"url\":{\"path\":\"/ecp/y.js\"},\"host\":{\"name\":\"EXCH01\"},"
                   "\"user\":{\"name\":\"administrator\",\"domain\":\"CONTOSO\"},\"log\":{\"file\":"
                   "{\"path\":\"C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log\"}},\"observer\":{"
                   "\"vendor\":\"exsweep\",\"product\":\"exsweep\",\"type\":\"scanner\"},\"related\":"
                   "{\"ip\":[\"203.0.113.21\"],\"hosts\":[\"EXCH01\"]},\"exsweep\":{\"line\":16}}"),
        "");
    assert_string_equal(
        check_with(m, "{\"@timestamp\":\"2021-03-03T06:49:42.000Z\",\"event\":{\"kind\":\"alert\","
                      "\"category\":[\"intrusion_detection\"],\"type\":[\"indicator\"],\"module\":"
                      "\"exsweep\",\"dataset\":\"exsweep.iis\",\"severity\":3},\"rule\":{\"id\":"
                      "\"EXS-PL-IIS-CARRIER\",\"ruleset\":\"exsweep\"},\"vulnerability\":{\"id\":["
                      "\"CVE-2021-26855\"]},\"file\":{\"path\":\"C/inetpub/u_ex210303.log\"},"
                      "\"exsweep\":{\"line\":16}}"),
        "vulnerability.id: an array, but ECS declares a single value (no normalize: array)\n"
        "event.type: 'indicator' is not expected by any given event.category: intrusion_detection "
        "(allowed denied info)\n"
        "ecs.version: missing\n");
    t_ecs_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_records),   cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_fields),         cmocka_unit_test(test_types),
        cmocka_unit_test(test_arrays),         cmocka_unit_test(test_allowed_values),
        cmocka_unit_test(test_required),       cmocka_unit_test(test_list_errors),
        cmocka_unit_test(test_committed_list),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
