/* Fuzz target: Sigma rule YAML (lib/sigma/): loaded into a set (with a placeholder %p% for
 * expand), the skip report and summary written, and every rule loaded matched against a small
 * fixed event, plainly and through the Windows log sources, and against an IIS line; the
 * correlation rules among them evaluated over those events given to every rule they name, at
 * a few times. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "sigma/correlate.h"
#include "sigma/sigma.h"
#include "sigma/weblog.h"
#include "sigma/winlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_hit(void *arg, const xs_scorr_hit *h)
{
    size_t *n = arg, len = 0;
    for (size_t g = 0; g < h->ngroup; g++)
        len += h->group[g].n; /* read every group value: ASan sees a bad one */
    len += h->first_at.n + h->last_at.n;
    *n += 1 + (len & 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xs_sigma_set *s = xs_sigma_set_create();
    xs_sigma_scratch *sc = xs_sigma_scratch_create();
    if (!s || !sc)
        goto out;
    static const char *const values[] = {"a", "b*", "%p%"};
    if (xs_sigma_set_placeholder(s, "p", values, 3) != 0)
        goto out;
    xs_sigma_load_buffer(s, "fuzz.yml", (const char *)data, size);
    static const xs_sigma_kv kv[] = {
        {XS_LIT("Image"), XS_LIT("C:\\Windows\\System32\\cmd.exe")},
        {XS_LIT("CommandLine"), XS_LIT("cmd /c whoami -all \xe2\x80\x93x aHR0cDovL2E=")},
        {XS_LIT("EventID"), XS_LIT("4688")},
        {XS_LIT("Channel"), XS_LIT("Security")},
        {XS_LIT("IpAddress"), XS_LIT("10.1.2.3")},
        {XS_LIT("UtcTime"), XS_LIT("2024-05-01 03:59:00.123")},
        {XS_LIT("Empty"), XS_LIT("")},
        {XS_LIT("Bytes"), XS_LIT("\xff\xfe\x00x")},
        {XS_LIT("Size"), XS_LIT("-1.5e3")},
    };
    xs_sigma_kvs kvs = {kv, sizeof kv / sizeof *kv};
    xs_sigma_event ev = xs_sigma_kv_event(&kvs);
    static const char iis[] = "2021-03-05 03:06:27 10.0.0.5 GET /owa/auth/x.aspx cmd=whoami 443 "
                               "- 192.0.2.9 python-requests/2.2+x - 200 0 0 133";
    static xs_w3c_schema schema;
    static xs_w3c_row row;
    static xs_sigma_w3c w;
    xs_w3c_schema_default(&schema);
    xs_w3c_split(&schema, iis, sizeof iis - 1, &row);
    xs_sigma_event web = xs_sigma_w3c_event(&w, &schema, &row);
    size_t hits = 0;
    for (size_t i = 0; i < xs_sigma_count(s); i++) {
        const xs_sigma_rule *r = xs_sigma_rule_at(s, i);
        hits += xs_sigma_match(r, &ev, sc) + xs_sigma_win_match(r, &ev, sc);
        if (xs_sigma_web_covers(r))
            hits += xs_sigma_match(r, &web, sc);
    }
    xs_scorr *c = xs_scorr_create(s);
    static const long long times[] = {0, 1000, 61000, 86400000, -5000, LLONG_MAX, LLONG_MIN};
    for (size_t i = 0; c && i < xs_sigma_count(s); i++)
        for (size_t t = 0; xs_scorr_wants(c, i) && t < sizeof times / sizeof *times; t++)
            if (xs_scorr_add(c, i, times[t], t % 2 ? &web : &ev, XS_LIT("fuzz:1"), NULL) != 0)
                break;
    if (c)
        xs_scorr_run(c, count_hit, &hits);
    xs_scorr_destroy(c);
    (void)hits;
    char line[256];
    xs_sigma_summary(s, line, sizeof line);
    FILE *f = fopen("/dev/null", "w");
    if (f) {
        xs_sigma_skip_report(s, f);
        fclose(f);
    }
out:
    xs_sigma_scratch_destroy(sc);
    xs_sigma_set_destroy(s);
    return 0;
}
