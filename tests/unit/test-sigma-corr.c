/* Sigma correlation rules evaluated (lib/sigma/correlate.c): each of the seven types, group-by
 * with aliases, range conditions, windows (one hit a burst), chains of correlations, generate,
 * the correlations not evaluated and why, matches from two threads, and each XS_SIGMA_MAX_CORR_*
 * cap met. Hits are compared as text, exactly; benign sequences give none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "sigma/correlate.h"
#include "sigma/sigma.h"

static xs_sigma_set *set;
static xs_scorr *corr;
static char out[8192];
static size_t outn;
static int show_at; /* emit shows where the window's first and last event came from */

static int setup(void **state)
{
    (void)state;
    set = xs_sigma_set_create();
    corr = NULL;
    outn = 0;
    out[0] = '\0';
    show_at = 0;
    return set ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    xs_scorr_destroy(corr);
    xs_sigma_set_destroy(set);
    return 0;
}

/* A new set and no correlator, for a test's next case. */
static void reset(void)
{
    xs_scorr_destroy(corr);
    corr = NULL;
    xs_sigma_set_destroy(set);
    set = xs_sigma_set_create();
    assert_non_null(set);
    outn = 0;
    out[0] = '\0';
}

static void load(const char *yaml)
{
    size_t nskip;
    assert_int_equal(xs_sigma_load_buffer(set, "t.yml", yaml, strlen(yaml)), 0);
    const xs_sigma_skip *k = xs_sigma_skips(set, &nskip);
    if (nskip)
        fail_msg("skipped: %s", k[nskip - 1].reason);
    xs_scorr_destroy(corr);
    corr = xs_scorr_create(set);
    assert_non_null(corr);
}

static size_t rule(const char *name)
{
    for (size_t i = 0; i < xs_sigma_count(set); i++) {
        const xs_sigma_meta *m = xs_sigma_rule_meta(xs_sigma_rule_at(set, i));
        if ((m->name && !strcmp(m->name, name)) || (m->title && !strcmp(m->title, name)))
            return i;
    }
    fail_msg("no rule %s", name);
    return 0;
}

/* A match of the rule called name at t seconds, of an event with the fields "k=v;k=v". */
static void add(const char *name, long long t, const char *fields)
{
    xs_sigma_kv kv[8];
    size_t n = 0;
    const char *p = fields;
    while (*p && n < 8) {
        const char *eq = strchr(p, '='), *end = strchr(p, ';');
        if (!end)
            end = p + strlen(p);
        kv[n].name = xs_str_make(p, (size_t)(eq - p));
        kv[n].value = xs_str_make(eq + 1, (size_t)(end - eq - 1));
        n++;
        p = *end ? end + 1 : end;
    }
    xs_sigma_kvs kvs = {kv, n};
    xs_sigma_event ev = xs_sigma_kv_event(&kvs);
    char at[32];
    snprintf(at, sizeof at, "f:%lld", t);
    assert_int_equal(xs_scorr_add(corr, rule(name), t * 1000, &ev, xs_str_cstr(at), NULL), 0);
}

/* Appends to out, failing the test when it would not fit. */
static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(out + outn, sizeof out - outn, fmt, ap);
    va_end(ap);
    assert_true(w >= 0 && (size_t)w < sizeof out - outn);
    outn += (size_t)w;
}

static int emit(void *arg, const xs_scorr_hit *h)
{
    (void)arg;
    const xs_sigma_meta *m = xs_sigma_rule_meta(xs_sigma_rule_at(set, h->rule));
    put("%s %lld-%lld n=%zu v=%g", m->title, h->first_ms / 1000, h->last_ms / 1000, h->events,
        h->value);
    for (size_t g = 0; g < h->ngroup; g++)
        put("%s%.*s", g ? "|" : " ", (int)h->group[g].n, h->group[g].p);
    if (show_at)
        put(" @%.*s..%.*s", (int)h->first_at.n, h->first_at.p, (int)h->last_at.n,
            h->last_at.p);
    put("\n");
    return 0;
}

static const char *run(void)
{
    assert_int_equal(xs_scorr_run(corr, emit, NULL), 0);
    return out;
}

#define BASE(name) "title: " name "\nname: " name "\ndetection:\n    s: {F: x}\n    condition: s\n"

static void test_event_count(void **state)
{
    (void)state;
    load(BASE("fail") "---\ntitle: brute\ncorrelation:\n    type: event_count\n"
                      "    rules: [fail]\n    group-by: [User]\n    timespan: 5m\n"
                      "    condition: {gte: 3}\n");
    assert_true(xs_scorr_any(corr));
    assert_true(xs_scorr_wants(corr, rule("fail")));
    assert_false(xs_scorr_alone(corr, rule("fail"))); /* no generate: only the correlation */
    assert_true(xs_scorr_alone(corr, rule("brute")));
    /* alice: 3 in 2 minutes, then 4 more later (one hit each burst); bob: 3 over 13 minutes */
    add("fail", 120, "User=alice");
    add("fail", 0, "User=alice");
    add("fail", 60, "User=alice");
    add("fail", 0, "User=bob");
    add("fail", 400, "User=bob");
    add("fail", 800, "User=bob");
    for (int i = 0; i < 4; i++)
        add("fail", 1000 + i, "User=alice");
    add("fail", 5, "Other=carol"); /* no group-by field */
    show_at = 1;
    assert_string_equal(run(), "brute 0-120 n=3 v=3 alice @f:0..f:120\n"
                               "brute 1000-1003 n=4 v=4 alice @f:1000..f:1003\n");
    xs_scorr_stats st;
    xs_scorr_stats_get(corr, &st);
    assert_int_equal(st.correlations, 1);
    assert_int_equal(st.events, 10);
    assert_int_equal(st.no_group, 1);
    assert_int_equal(st.hits, 2);
    assert_int_equal(st.dropped, 0);
    /* a second run emits nothing */
    outn = 0;
    out[0] = '\0';
    assert_string_equal(run(), "");
}

/* Matches alike but for where they came from sort by it: the hit is the same whatever their
 * order of arrival (the workers'). */
static void test_ties(void **state)
{
    (void)state;
    for (int order = 0; order < 2; order++) {
        reset();
        load(BASE("a") "---\ntitle: c\ncorrelation:\n    type: event_count\n    rules: [a]\n"
                       "    group-by: [U]\n    timespan: 1m\n    condition: {gte: 2}\n");
        xs_sigma_kv kv = {XS_LIT("U"), XS_LIT("u")};
        xs_sigma_kvs kvs = {&kv, 1};
        xs_sigma_event ev = xs_sigma_kv_event(&kvs);
        static const char *const at[] = {"copy2/x.log:7", "copy1/x.log:7"};
        for (int i = 0; i < 2; i++)
            assert_int_equal(xs_scorr_add(corr, 0, 5000, &ev, xs_str_cstr(at[order ? 1 - i : i]),
                                          NULL),
                             0);
        show_at = 1;
        assert_string_equal(run(), "c 5-5 n=2 v=2 u @copy1/x.log:7..copy2/x.log:7\n");
    }
}

static void test_range_and_no_group_by(void **state)
{
    (void)state;
    /* gt 1 and lte 3, no group-by: every match in one group. Five in a window fail lte 3; the
     * window from the third match has three. */
    load(BASE("a") "---\ntitle: few\ncorrelation:\n    type: event_count\n    rules: [a]\n"
                   "    timespan: 1m\n    condition: {gt: 1, lte: 3}\n");
    for (int i = 0; i < 5; i++)
        add("a", i * 10, "F=x");
    assert_string_equal(run(), "few 20-40 n=3 v=3\n");
}

static void test_value_count(void **state)
{
    (void)state;
    load(BASE("fail") "---\ntitle: spray\ncorrelation:\n    type: value_count\n"
                      "    rules: [fail]\n    group-by: [IpAddress]\n    timespan: 1h\n"
                      "    condition: {field: TargetUserName, gt: 2}\n");
    add("fail", 0, "IpAddress=10.0.0.1;TargetUserName=a");
    add("fail", 10, "IpAddress=10.0.0.1;TargetUserName=b");
    add("fail", 20, "IpAddress=10.0.0.1;TargetUserName=a");
    add("fail", 30, "IpAddress=10.0.0.1;TargetUserName=c");
    for (int i = 0; i < 6; i++) /* one account, many times: not a spray */
        add("fail", i, "IpAddress=10.0.0.2;TargetUserName=a");
    add("fail", 40, "IpAddress=10.0.0.3"); /* no value field */
    assert_string_equal(run(), "spray 0-30 n=4 v=3 10.0.0.1\n");
    xs_scorr_stats st;
    xs_scorr_stats_get(corr, &st);
    assert_int_equal(st.no_group, 1);
}

static void test_temporal(void **state)
{
    (void)state;
    load(BASE("a") "---\n" BASE("b") "---\ntitle: both\ncorrelation:\n    type: temporal\n"
                             "    rules: [a, b]\n    group-by: [Host]\n    timespan: 10m\n");
    add("b", 300, "Host=h1");
    add("a", 0, "Host=h1");
    add("a", 0, "Host=h2");
    add("b", 1200, "Host=h2"); /* 20 minutes later */
    add("a", 0, "Host=h3");
    add("a", 60, "Host=h3"); /* the same rule twice is not both */
    assert_string_equal(run(), "both 0-300 n=2 v=2 h1\n");
}

static void test_temporal_ordered(void **state)
{
    (void)state;
    load(BASE("a") "---\n" BASE("b") "---\ntitle: then\ncorrelation:\n    type: temporal_ordered\n"
                             "    rules: [a, b]\n    group-by: [Host]\n    timespan: 10m\n");
    add("b", 0, "Host=h1");
    add("a", 60, "Host=h1");
    add("b", 120, "Host=h1");
    add("b", 0, "Host=h2"); /* b before a only */
    add("a", 60, "Host=h2");
    for (int i = 0; i < 4; i++) /* a b a b: two orders, one window */
        add(i % 2 ? "b" : "a", i, "Host=h3");
    assert_string_equal(run(), "then 60-120 n=2 v=2 h1\n"
                               "then 0-1 n=2 v=2 h3\n"
                               "then 2-3 n=2 v=2 h3\n");
}

static void test_value_sum_avg_percentile(void **state)
{
    (void)state;
    load(BASE("x") "---\ntitle: sum\ncorrelation:\n    type: value_sum\n    rules: [x]\n"
                   "    group-by: [Host]\n    timespan: 1h\n    generate: true\n"
                   "    condition: {field: Bytes, gte: 1000}\n"
                   "---\ntitle: avg\ncorrelation:\n    type: value_avg\n    rules: [x]\n"
                   "    group-by: [Host]\n    timespan: 1h\n    condition: {field: Bytes, gt: 400}\n"
                   "---\ntitle: p90\ncorrelation:\n    type: value_percentile\n    rules: [x]\n"
                   "    group-by: [Host]\n    timespan: 1h\n"
                   "    condition: {field: Bytes, percentile: 90, gte: 900}\n");
    assert_true(xs_scorr_alone(corr, rule("x"))); /* generate: true on one of them */
    add("x", 0, "Host=h;Bytes=100");
    add("x", 1, "Host=h;Bytes=200");
    add("x", 2, "Host=h;Bytes=900");
    add("x", 3, "Host=h;Bytes=lots"); /* not a number, counted three times */
    add("x", 0, "Host=small;Bytes=10");
    assert_string_equal(run(), "sum 0-2 n=3 v=1200 h\n"
                               "avg 1-2 n=2 v=550 h\n" /* from 0 the average is 400 */
                               "p90 0-2 n=3 v=900 h\n");
    xs_scorr_stats st;
    xs_scorr_stats_get(corr, &st);
    assert_int_equal(st.not_numeric, 3);
}

/* A huge value passing through a window takes nothing with it; the nearest rank is exact
 * (7 / 100 is not, in binary); numbers are plain decimals only. */
static void test_values_exact(void **state)
{
    (void)state;
    load(BASE("x") "---\ntitle: neg\ncorrelation:\n    type: value_sum\n    rules: [x]\n"
                   "    timespan: 10s\n    generate: true\n    condition: {field: B, lt: 0}\n"
                   "---\ntitle: small\ncorrelation:\n    type: value_sum\n    rules: [x]\n"
                   "    timespan: 10s\n    condition: {field: B, eq: 5}\n");
    add("x", 0, "B=1e30");
    add("x", 1, "B=100000");
    add("x", 100, "B=5");
    assert_string_equal(run(), "small 100-100 n=1 v=5\n");

    reset();
    load(BASE("x") "---\ntitle: p7\ncorrelation:\n    type: value_percentile\n"
                   "    rules: [x]\n    timespan: 1h\n"
                   "    condition: {field: B, percentile: 7, lte: 7}\n");
    for (int i = 1; i <= 100; i++) {
        char f[16];
        snprintf(f, sizeof f, "B=%d", i);
        add("x", i, f);
    }
    assert_string_equal(run(), "p7 1-100 n=100 v=7\n");

    reset();
    load(BASE("x") "---\ntitle: s\ncorrelation:\n    type: value_sum\n    rules: [x]\n"
                   "    timespan: 1h\n    condition: {field: B, gt: 0}\n");
    static const char *const notnum[] = {"B=0x10", "B= 5", "B=5 ", "B=inf", "B=nan", "B=1e999",
                                         "B=.", "B=-", "B=1e", "B=", "B=5x", "B=+-1"};
    for (size_t i = 0; i < sizeof notnum / sizeof *notnum; i++)
        add("x", (long long)i, notnum[i]);
    xs_sigma_kv kv = {XS_LIT("B"), xs_str_make("5\0junk", 6)}; /* an embedded NUL */
    xs_sigma_kvs kvs = {&kv, 1};
    xs_sigma_event ev = xs_sigma_kv_event(&kvs);
    size_t kept = 9;
    assert_int_equal(xs_scorr_add(corr, rule("x"), 0, &ev, XS_LIT("f"), &kept), 0);
    assert_int_equal(kept, 0); /* not a number: kept by no correlation */
    add("x", 50, "B=-2.5e1");
    add("x", 51, "B=+30.");
    add("x", 52, "B=.5");
    assert_string_equal(run(), "s 50-52 n=3 v=5.5\n");
    xs_scorr_stats st;
    xs_scorr_stats_get(corr, &st);
    assert_int_equal(st.not_numeric, sizeof notnum / sizeof *notnum + 1);
    /* too late: a match after the run is counted, not lost */
    add("x", 60, "B=1");
    xs_scorr_stats_get(corr, &st);
    assert_int_equal(st.dropped, 1);
}

static void test_aliases_and_chain(void **state)
{
    (void)state;
    load("title: err\nname: internal_error\ndetection:\n    s: {F: x}\n    condition: s\n"
         "---\ntitle: conn\nname: new_conn\ndetection:\n    s: {F: x}\n    condition: s\n"
         "---\ntitle: pair\nname: pair\ncorrelation:\n    type: temporal\n"
         "    rules: [internal_error, new_conn]\n    group-by: [internal_ip]\n    timespan: 10s\n"
         "    aliases:\n        internal_ip:\n            internal_error: destination.ip\n"
         "            new_conn: source.ip\n"
         "---\ntitle: twice\ncorrelation:\n    type: event_count\n    rules: [pair]\n"
         "    group-by: [internal_ip]\n    timespan: 1h\n    condition: {gte: 2}\n");
    add("err", 0, "destination.ip=10.1.1.1;source.ip=1.2.3.4");
    add("conn", 5, "source.ip=10.1.1.1;destination.ip=9.9.9.9");
    add("err", 100, "destination.ip=10.1.1.1");
    add("conn", 101, "source.ip=10.1.1.1");
    add("err", 0, "destination.ip=10.2.2.2");
    add("conn", 5, "source.ip=10.3.3.3"); /* another address */
    /* pair is named by twice, without generate: only twice is reported */
    assert_false(xs_scorr_alone(corr, rule("pair")));
    show_at = 1; /* a chained hit's events are the pairs: each at its last event */
    assert_string_equal(run(), "twice 5-101 n=2 v=2 10.1.1.1 @f:5..f:101\n");
    xs_scorr_stats st;
    xs_scorr_stats_get(corr, &st);
    assert_int_equal(st.hits, 3); /* two pairs and one twice */
}

static void test_problems(void **state)
{
    (void)state;
    load(BASE("a") "---\ntitle: ghost\ncorrelation:\n    type: event_count\n"
                   "    rules: [missing]\n    timespan: 1m\n    condition: {gte: 1}\n"
                   "---\ntitle: l1\nname: l1\ncorrelation:\n    type: event_count\n"
                   "    rules: [l2]\n    timespan: 1m\n    condition: {gte: 1}\n"
                   "---\ntitle: l2\nname: l2\ncorrelation:\n    type: event_count\n"
                   "    rules: [l1, a]\n    timespan: 1m\n    condition: {gte: 1}\n");
    size_t r;
    const char *why;
    assert_true(xs_scorr_problem(corr, 0, &r, &why));
    assert_int_equal(r, rule("ghost"));
    assert_string_equal(why, "correlation: names a rule that is not loaded");
    assert_true(xs_scorr_problem(corr, 1, &r, &why));
    assert_int_equal(r, rule("l1"));
    assert_string_equal(why, "correlation: takes part in a loop of correlations");
    assert_true(xs_scorr_problem(corr, 2, &r, &why));
    assert_int_equal(r, rule("l2"));
    assert_string_equal(why, "correlation: names a correlation that is not evaluated");
    assert_false(xs_scorr_problem(corr, 3, &r, &why));
    assert_false(xs_scorr_any(corr));
    /* a rule named only by correlations not evaluated still reports its own matches */
    assert_true(xs_scorr_alone(corr, rule("a")));
    assert_false(xs_scorr_wants(corr, rule("a")));
    add("a", 0, "F=x");
    assert_string_equal(run(), "");
    xs_scorr_stats st;
    xs_scorr_stats_get(corr, &st);
    assert_int_equal(st.broken, 3);
    assert_int_equal(st.events, 0);
}

static void *adder(void *arg)
{
    xs_sigma_kv kv = {xs_str_cstr("User"), xs_str_cstr((const char *)arg)};
    xs_sigma_kvs kvs = {&kv, 1};
    xs_sigma_event ev = xs_sigma_kv_event(&kvs);
    for (int i = 0; i < 1000; i++)
        if (xs_scorr_add(corr, 0, (long long)i * 1000, &ev, xs_str_cstr("t"), NULL))
            return arg;
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    load(BASE("fail") "---\ntitle: many\ncorrelation:\n    type: event_count\n"
                      "    rules: [fail]\n    group-by: [User]\n    timespan: 1h\n"
                      "    condition: {gte: 1000}\n");
    pthread_t t1, t2;
    assert_int_equal(pthread_create(&t1, NULL, adder, "u1"), 0);
    assert_int_equal(pthread_create(&t2, NULL, adder, "u2"), 0);
    void *r1, *r2;
    pthread_join(t1, &r1);
    pthread_join(t2, &r2);
    assert_null(r1);
    assert_null(r2);
    assert_string_equal(run(), "many 0-999 n=1000 v=1000 u1\nmany 0-999 n=1000 v=1000 u2\n");
}

static void test_loader(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        {"    type: event_count\n    rules: [a]\n    timespan: 1m\n    condition: {gte: 1, x: 2}\n",
         "correlation: the condition has 'x' (not supported)"},
        {"    type: value_percentile\n    rules: [a]\n    timespan: 1m\n"
         "    condition: {field: B, gte: 1}\n",
         "correlation: value_percentile without a percentile from 0 to 100"},
        {"    type: value_percentile\n    rules: [a]\n    timespan: 1m\n"
         "    condition: {field: B, gte: 1, percentile: 101}\n",
         "correlation: value_percentile without a percentile from 0 to 100"},
        {"    type: temporal\n    rules: [a]\n    timespan: 1m\n    aliases: [x]\n",
         "correlation: aliases is not a map"},
        {"    type: temporal\n    rules: [a]\n    timespan: 1m\n    aliases: {x: {a: [1]}}\n",
         "correlation: alias 'x' maps a rule to no field"},
        {"    type: event_count\n    rules: [a]\n    timespan: 1m\n    condition: {gte: inf}\n",
         "correlation: 'gte: inf' is not a number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char y[512];
        snprintf(y, sizeof y, "title: c%zu\ncorrelation:\n%s", i, bad[i][0]);
        size_t n0, n;
        xs_sigma_skips(set, &n0);
        assert_int_equal(xs_sigma_load_buffer(set, "t.yml", y, strlen(y)), 0);
        const xs_sigma_skip *k = xs_sigma_skips(set, &n);
        assert_int_equal(n, n0 + 1);
        assert_string_equal(k[n - 1].reason, bad[i][1]);
    }
    /* generate beside the correlation section, as the specification shows it */
    size_t before = xs_sigma_count(set);
    const char *y = "title: g\ngenerate: true\ncorrelation:\n    type: temporal\n    rules: [a]\n"
                    "    timespan: 1m\n";
    assert_int_equal(xs_sigma_load_buffer(set, "t.yml", y, strlen(y)), 0);
    assert_int_equal(xs_sigma_count(set), before + 1);
    assert_true(xs_sigma_rule_meta(xs_sigma_rule_at(set, before))->correlation->generate);
}

/* Returns the hit's first origin's length (a non-zero return ends the run with it). */
static int origin_len(void *arg, const xs_scorr_hit *h)
{
    (void)arg;
    return (int)h->first_at.n;
}

static void test_caps(void **state)
{
    (void)state;
    load(BASE("a") "---\ntitle: c\ncorrelation:\n    type: event_count\n    rules: [a]\n"
                   "    group-by: [U]\n    timespan: 1m\n    condition: {gte: 2}\n");
    /* XS_SIGMA_MAX_CORR_EVENTS (lowered to 3): the fourth match is dropped, counted */
    xs_scorr_set_caps(corr, 3, 0, 0);
    for (int i = 0; i < 4; i++)
        add("a", i, "U=u");
    xs_scorr_stats st;
    xs_scorr_stats_get(corr, &st);
    assert_int_equal(st.events, 3);
    assert_int_equal(st.dropped, 1);
    assert_string_equal(run(), "c 0-2 n=3 v=3 u\n");

    /* XS_SIGMA_MAX_CORR_BYTES (lowered): a new group that does not fit is dropped, the
     * groups already kept still count */
    reset();
    load(BASE("a") "---\ntitle: c\ncorrelation:\n    type: event_count\n    rules: [a]\n"
                   "    group-by: [U]\n    timespan: 1m\n    condition: {gte: 2}\n");
    xs_scorr_set_caps(corr, 0, 100, 0);
    add("a", 0, "U=u");
    add("a", 1, "U=u");
    add("a", 0, "U=a-name-long-enough-to-pass-the-lowered-cap-of-one-hundred-bytes-of-values");
    xs_scorr_stats_get(corr, &st);
    assert_int_equal(st.dropped, 1);
    assert_string_equal(run(), "c 0-1 n=2 v=2 u\n");

    /* XS_SIGMA_MAX_CORR_WORK (lowered to 5 steps): the evaluation stops, counted */
    reset();
    for (int cut = 0; cut < 2; cut++) { /* the same matches hit, unless the cap cuts first */
        reset();
        load(BASE("a") "---\ntitle: c\ncorrelation:\n    type: event_count\n    rules: [a]\n"
                       "    timespan: 1m\n    condition: {gte: 5}\n");
        if (cut)
            xs_scorr_set_caps(corr, 0, 0, 5);
        for (int i = 0; i < 10; i++) /* ten windows of one match each, then a burst */
            add("a", i * 100, "F=x");
        for (int i = 0; i < 5; i++)
            add("a", 2000 + i, "F=x");
        assert_string_equal(run(), cut ? "" : "c 2000-2004 n=5 v=5\n");
        xs_scorr_stats_get(corr, &st);
        assert_int_equal(st.cut, (size_t)cut);
    }

    /* XS_SIGMA_MAX_CORR_VALUE: a longer group value is cut to it */
    reset();
    load(BASE("a") "---\ntitle: c\ncorrelation:\n    type: event_count\n    rules: [a]\n"
                   "    group-by: [U]\n    timespan: 1m\n    condition: {gte: 1}\n");
    static char fields[XS_SIGMA_MAX_CORR_VALUE + 100];
    memcpy(fields, "U=", 2);
    memset(fields + 2, 'v', XS_SIGMA_MAX_CORR_VALUE + 50);
    add("a", 0, fields);
    run();
    char want[XS_SIGMA_MAX_CORR_VALUE + 64];
    int w = snprintf(want, sizeof want, "c 0-0 n=1 v=1 ");
    memset(want + w, 'v', XS_SIGMA_MAX_CORR_VALUE);
    strcpy(want + w + XS_SIGMA_MAX_CORR_VALUE, "\n");
    assert_string_equal(out, want);

    /* XS_SIGMA_MAX_CORR_ORIGIN: a longer origin is cut to it */
    reset();
    load(BASE("a") "---\ntitle: c\ncorrelation:\n    type: event_count\n    rules: [a]\n"
                   "    timespan: 1m\n    condition: {gte: 1}\n");
    static char origin[XS_SIGMA_MAX_CORR_ORIGIN + 10];
    memset(origin, 'o', sizeof origin);
    xs_sigma_kvs none = {NULL, 0};
    xs_sigma_event nev = xs_sigma_kv_event(&none);
    size_t kept;
    assert_int_equal(xs_scorr_add(corr, 0, 0, &nev, xs_str_make(origin, sizeof origin), &kept),
                     0);
    assert_int_equal(kept, 1);
    assert_int_equal(xs_scorr_run(corr, origin_len, NULL), XS_SIGMA_MAX_CORR_ORIGIN);

    /* XS_SIGMA_MAX_CORR_DEPTH: c1 names a, c2 names c1, ..., written last first so that
     * the ordering walks the whole chain at once: c2 sits past the cap (not evaluated), the
     * ones above it name a broken one, c1 is evaluated */
    reset();
    enum { N = XS_SIGMA_MAX_CORR_DEPTH + 2 };
    size_t ycap = 200 * (N + 2);
    char *chain = malloc(ycap);
    assert_non_null(chain);
    int yo = snprintf(chain, ycap, "%s", BASE("a"));
    for (int i = N; i >= 1; i--) {
        char named[16];
        snprintf(named, sizeof named, i == 1 ? "a" : "c%d", i - 1);
        yo += snprintf(chain + yo, ycap - (size_t)yo,
                       "---\ntitle: c%d\nname: c%d\ncorrelation:\n    type: event_count\n"
                       "    rules: [%s]\n    timespan: 1m\n    condition: {gte: 1}\n",
                       i, i, named);
    }
    load(chain);
    free(chain);
    size_t broken = 0, r0;
    const char *why0;
    while (xs_scorr_problem(corr, broken, &r0, &why0)) {
        const char *t = xs_sigma_rule_meta(xs_sigma_rule_at(set, r0))->title;
        if (!strcmp(t, "c2"))
            assert_string_equal(why0, "limit: a chain of more than 64 correlations");
        else
            assert_string_equal(why0, "correlation: names a correlation that is not evaluated");
        assert_string_not_equal(t, "c1");
        broken++;
    }
    assert_int_equal(broken, N - 1);

    /* XS_SIGMA_MAX_CORR_RULES: a correlation naming more is not evaluated */
    reset();
    size_t cap = 64 + (XS_SIGMA_MAX_CORR_RULES + 1) * 4 + 200;
    char *y = malloc(cap);
    assert_non_null(y);
    int o = snprintf(y, cap, BASE("a") "---\ntitle: wide\ncorrelation:\n    type: temporal\n"
                                       "    timespan: 1m\n    rules: [");
    for (int i = 0; i <= XS_SIGMA_MAX_CORR_RULES; i++)
        o += snprintf(y + o, cap - (size_t)o, "%sa", i ? ", " : "");
    snprintf(y + o, cap - (size_t)o, "]\n");
    load(y);
    free(y);
    size_t r;
    const char *why;
    assert_true(xs_scorr_problem(corr, 0, &r, &why));
    assert_string_equal(why, "limit: a correlation naming more than 256 rules");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_event_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ties, setup, teardown),
        cmocka_unit_test_setup_teardown(test_range_and_no_group_by, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_temporal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_temporal_ordered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_sum_avg_percentile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aliases_and_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
