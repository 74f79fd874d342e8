/* exsweep-eval: agreement with the third-party verdict table (evaldata/expected_verdicts.csv).
 *
 *   exsweep-eval [--no-prefilter] [--list] [--sigma RULES] EVALDATA [GATED-GROUP...]
 *
 * --no-prefilter makes every log line a candidate (the scan's internal switch); --list prints
 * every finding of every swept path ("  finding: PATH RULE VERDICT IP TIME FILE:LINE") before
 * the row it belongs to. make eval runs both with --list and asserts the same output: the
 * prefilter's promise over the evaluation data. --sigma RULES adds those Sigma rules to every
 * sweep and judges the rows by the Sigma findings alone: a Sigma finding is suspicious at most
 * (docs/sigma.md), so an expected MALICIOUS, ATTEMPT or SUSPICIOUS is met by any Sigma finding,
 * BENIGN by none.
 *
 * Each row names a path under EVALDATA (globs and "A|B" alternatives allowed), an expected
 * verdict (MALICIOUS, ATTEMPT, SUSPICIOUS, BENIGN, combinations with '+' or '/', or a
 * VERSION, judged against the server state the sweep gives, or non-judged REFERENCE / N/A)
 * and a must-not note. Every path is swept through the
 * public library API; the row agrees when the findings show each expected verdict (all of
 * "A+B", one of "A/B") and nothing the must-not note forbids. Rows are grouped by their first
 * path component (logs, evtx, json, config, misc, iocs); agreement is printed per group.
 * Every row is evaluated; the exit status only looks at the gated groups (all when none are
 * named): 0 when every judged row there agrees, 1 otherwise, 2 on usage or I/O errors.
 *
 * Then, for information (not gated): what each IOC list under EVALDATA/iocs yields through
 * the loader, per indicator type, and how many lines it refused.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detectors/ioc.h"
#include "exsweep/exsweep.h"
#include "parsers/csv.h"
#include "scan/scan_int.h"

static int no_prefilter; /* --no-prefilter */
static int list;         /* --list */
static const char *sigma; /* --sigma RULES: only the Sigma findings count */

typedef struct verdicts {
    size_t n, exploitation, attempt, probe, suspicious;
    size_t pl_family;  /* findings of ProxyLogon, ProxyShell or ProxyNotShell rules */
    size_t webshell;   /* WebShell family */
    size_t localhost_exploit;
    size_t lsass_claim;
    size_t servers;   /* server state records of the swept paths (one per path) */
    char build[32];   /* the last one's build, "" when unknown */
    int state[EXS_FAMILIES]; /* its per-family exposure */
} verdicts;

static int scan_path(const char *path, verdicts *v)
{
    exs_scan *s;
    if (exs_scan_create(&s, NULL) != EXS_OK)
        return -1;
    s->no_prefilter = no_prefilter;
    if ((sigma && exs_scan_add_sigma(s, sigma) != EXS_OK) ||
        exs_scan_add_root(s, path) != EXS_OK || exs_scan_run(s) != EXS_OK) {
        exs_scan_destroy(s);
        return -1;
    }
    size_t n;
    const exs_finding *f = exs_results_findings(exs_scan_results(s), &n);
    for (size_t i = 0; i < n; i++) {
        if (sigma && strcmp(exs_rule_ruleset(f[i].rule), "sigma") != 0)
            continue;
        if (list && sigma)
            printf("  sigma: %s %s (%s) %s:%llu\n", path, f[i].rule->name,
                   exs_severity_name(f[i].severity), f[i].origin.path,
                   (unsigned long long)(f[i].origin.line ? f[i].origin.line : f[i].origin.record));
        else if (list)
            printf("  finding: %s %s %s %s %lld %s:%llu\n", path, f[i].rule->id,
                   exs_verdict_name(f[i].verdict),
                   f[i].http && f[i].http->client ? f[i].http->client : "-",
                   (long long)f[i].time_ms, f[i].origin.path,
                   (unsigned long long)(f[i].origin.line ? f[i].origin.line : f[i].origin.record));
        v->n++;
        switch (f[i].verdict) {
        case EXS_VERDICT_EXPLOITATION: v->exploitation++; break;
        case EXS_VERDICT_ATTEMPT: v->attempt++; break;
        case EXS_VERDICT_PROBE: v->probe++; break;
        case EXS_VERDICT_SUSPICIOUS: v->suspicious++; break;
        }
        const char *fam = f[i].rule->family;
        if (strcmp(fam, "ProxyLogon") == 0 || strcmp(fam, "ProxyShell") == 0 ||
            strcmp(fam, "ProxyNotShell") == 0)
            v->pl_family++;
        if (strcmp(fam, "WebShell") == 0)
            v->webshell++;
        if (f[i].verdict == EXS_VERDICT_EXPLOITATION && f[i].target &&
            strncasecmp(f[i].target, "localhost", 9) == 0)
            v->localhost_exploit++;
        if (strstr(f[i].rule->id, "LSASS") && f[i].verdict == EXS_VERDICT_EXPLOITATION)
            v->lsass_claim++;
    }
    size_t ns;
    const exs_server *sv = exs_results_servers(exs_scan_results(s), &ns);
    for (size_t i = 0; i < ns; i++) {
        v->servers++;
        snprintf(v->build, sizeof v->build, "%s", sv[i].build);
        for (int k = 0; k < EXS_FAMILIES; k++)
            v->state[k] = (int)sv[i].families[k].state;
    }
    exs_scan_destroy(s);
    return 0;
}

/* A VERSION row's oracle, from its notes: the first build written there ("15.01.2375.007",
 * "15,2,659,4") must be the build the sweep names, and each clause (split at ';') that names
 * families and says "fixed"/"patched" or "VULNERABLE"/"UNPATCHED" must match the sweep's
 * exposure of those families. A clause saying "not decidable" (a bare 3-part or revision-0
 * build) is not checked. Returns 1 when it agrees, writing why not into why otherwise. */
static int version_ok(const char *notes, const verdicts *v, char *why, size_t cap)
{
    const char *p = notes;
    while (*p && !(p[0] == '1' && p[1] == '5' && (p[2] == '.' || p[2] == ',')))
        p++;
    if (!*p) {
        snprintf(why, cap, "no build in the row's notes");
        return 0;
    }
    size_t n = strspn(p, "0123456789.,");
    while (n && (p[n - 1] == '.' || p[n - 1] == ','))
        n--;
    unsigned a[4] = {0};
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.*s", (int)(n < 32 ? n : 32), p);
    for (char *q = tmp; *q; q++)
        if (*q == ',')
            *q = '.';
    if (sscanf(tmp, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]) != 4) {
        snprintf(why, cap, "no 4-part build in the row's notes");
        return 0;
    }
    char want[32];
    snprintf(want, sizeof want, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    if (v->servers != 1 || strcmp(v->build, want) != 0) {
        snprintf(why, cap, "build %s expected, the sweep names \"%s\"", want, v->build);
        return 0;
    }
    static const char *const fam[EXS_FAMILIES] = {"ProxyLogon", "ProxyShell", "ProxyNotShell"};
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", notes);
    char *save = NULL;
    for (char *c = strtok_r(buf, ";", &save); c; c = strtok_r(NULL, ";", &save)) {
        int want_state = -1;
        if (strstr(c, "not decidable") || strstr(c, "cannot"))
            continue;
        if (strstr(c, "VULNERABLE") || strstr(c, "UNPATCHED") || strstr(c, "not fixed"))
            want_state = EXS_EXPOSURE_VULNERABLE;
        else if (strstr(c, "fixed") || strstr(c, " patched"))
            want_state = EXS_EXPOSURE_PATCHED;
        if (want_state < 0)
            continue;
        for (int k = 0; k < EXS_FAMILIES; k++) {
            const char *at = strstr(c, fam[k]); /* "ProxyShell" is no part of "ProxyNotShell" */
            if (!at)
                continue;
            if (v->state[k] != want_state) {
                snprintf(why, cap, "%s %s expected, the sweep says %s", fam[k],
                         exs_exposure_name((exs_exposure)want_state),
                         exs_exposure_name((exs_exposure)v->state[k]));
                return 0;
            }
        }
    }
    return 1;
}

/* Expands a row path (glob, and "E16|E19" alternatives inside one component) and scans
 * every match into v. Returns the number of matches. */
static size_t expand(const char *base, const char *pat, verdicts *v, int *err)
{
    const char *bar = strchr(pat, '|');
    if (bar) {
        /* the alternative spans one path component */
        const char *cs = bar;
        while (cs > pat && cs[-1] != '/')
            cs--;
        const char *ce = bar;
        while (*ce && *ce != '/')
            ce++;
        char comp[256], buf[4096];
        size_t cl = (size_t)(ce - cs);
        if (cl >= sizeof comp)
            return 0;
        memcpy(comp, cs, cl);
        comp[cl] = 0;
        size_t total = 0;
        for (char *alt = strtok(comp, "|"); alt; alt = strtok(NULL, "|")) {
            snprintf(buf, sizeof buf, "%.*s%s%s", (int)(cs - pat), pat, alt, ce);
            total += expand(base, buf, v, err);
        }
        return total;
    }
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", base, pat);
    glob_t g;
    if (glob(full, 0, NULL, &g) != 0)
        return 0;
    size_t n = g.gl_pathc;
    for (size_t i = 0; i < n; i++)
        if (scan_path(g.gl_pathv[i], v) != 0)
            (*err)++;
    globfree(&g);
    return n;
}

static int has(const char *s, const char *word)
{
    return s && strstr(s, word) != NULL;
}

/* Does the verdict set satisfy one expected token? */
static int token_ok(const char *tok, const verdicts *v)
{
    if (sigma && (strncmp(tok, "MALICIOUS", 9) == 0 || strncmp(tok, "ATTEMPT", 7) == 0 ||
                  strncmp(tok, "SUSPICIOUS", 10) == 0))
        return v->n > 0;
    if (strncmp(tok, "MALICIOUS", 9) == 0)
        return v->exploitation > 0;
    if (strncmp(tok, "ATTEMPT", 7) == 0)
        return v->attempt + v->probe > 0;
    if (strncmp(tok, "SUSPICIOUS", 10) == 0)
        return v->n > 0;
    if (strncmp(tok, "BENIGN", 6) == 0)
        return v->n == 0;
    return -1; /* not judged */
}

static void count_bad(void *ctx, const char *file, uint64_t line, const char *why)
{
    (void)file;
    (void)line;
    (void)why;
    (*(size_t *)ctx)++;
}

/* What each IOC list of the evaluation data yields (information only). */
static void ioc_lists(const char *evaldata)
{
    static const struct {
        xs_ioc_type t;
        const char *name;
    } types[] = {{XS_IOC_SHA256, "sha256"}, {XS_IOC_SHA1, "sha1"}, {XS_IOC_MD5, "md5"},
                 {XS_IOC_PATH, "path"},     {XS_IOC_IP, "ip"},     {XS_IOC_DOMAIN, "domain"},
                 {XS_IOC_PATH_REGEX, "filename expressions"}};
    char pattern[4096];
    snprintf(pattern, sizeof pattern, "%s/iocs/*.[tc][xs][tv]", evaldata);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0)
        return;
    printf("\nIOC lists under iocs/ through the loader (information, not gated):\n");
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *base = strrchr(g.gl_pathv[i], '/');
        base = base ? base + 1 : g.gl_pathv[i];
        if (strcmp(base, "SOURCES.txt") == 0)
            continue;
        xs_iocset *s;
        if (xs_iocset_create(&s) != EXS_OK)
            break;
        size_t bad = 0;
        char err[512];
        if (xs_iocset_load(s, g.gl_pathv[i], count_bad, &bad, err, sizeof err) != EXS_OK) {
            printf("  %s: %s\n", base, err);
            xs_iocset_destroy(s);
            continue;
        }
        printf("  %s:", base);
        const char *sep = " ";
        for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
            size_t n = xs_iocset_count_user(s, types[k].t);
            if (n) {
                printf("%s%zu %s", sep, n, types[k].name);
                sep = ", ";
            }
        }
        char cerr[256] = "";
        int compiled = xs_iocset_compile(s, cerr, sizeof cerr) == EXS_OK;
        printf("; %zu line(s) refused%s%s\n", bad, compiled ? "" : "; ", compiled ? "" : cerr);
        xs_iocset_destroy(s);
    }
    globfree(&g);
}

int main(int argc, char **argv)
{
    while (argc >= 2 && (strcmp(argv[1], "--no-prefilter") == 0 || strcmp(argv[1], "--list") == 0 ||
                         (strcmp(argv[1], "--sigma") == 0 && argc >= 3))) {
        int k = 1;
        if (strcmp(argv[1], "--list") == 0)
            list = 1;
        else if (strcmp(argv[1], "--sigma") == 0)
            sigma = argv[2], k = 2;
        else
            no_prefilter = 1;
        argv[k] = argv[0];
        argv += k;
        argc -= k;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: exsweep-eval [--no-prefilter] [--list] [--sigma RULES] EVALDATA "
                        "[CATEGORY...]\n");
        return 2;
    }
    const char *base = argv[1];
    char path[4096];
    snprintf(path, sizeof path, "%s/expected_verdicts.csv", base);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 2;
    }
    static xs_csv_row row;
    static char line[65536], scratch[65536];
    struct cat {
        char name[32];
        unsigned judged, agree, skipped;
    } cats[16];
    size_t ncats = 0;
    int first = 1, failed = 0;
    while (fgets(line, sizeof line, f)) {
        size_t ln = strlen(line);
        while (ln && (line[ln - 1] == '\n' || line[ln - 1] == '\r'))
            line[--ln] = 0;
        if (first) {
            first = 0;
            continue;
        }
        xs_csv_split(line, ln, &row, scratch);
        if (row.n < 5)
            continue;
        char rpath[1024], expect[256], mustnot[1024];
        snprintf(rpath, sizeof rpath, "%.*s", (int)row.f[0].n, row.f[0].p);
        snprintf(expect, sizeof expect, "%.*s", (int)row.f[2].n, row.f[2].p);
        snprintf(mustnot, sizeof mustnot, "%.*s", (int)row.f[4].n, row.f[4].p);
        char cat[32];
        snprintf(cat, sizeof cat, "%.*s", (int)strcspn(rpath, "/"), rpath);
        int gated = argc == 2;
        for (int a = 2; a < argc; a++)
            gated |= strcmp(argv[a], cat) == 0;
        size_t ci;
        for (ci = 0; ci < ncats && strcmp(cats[ci].name, cat); ci++)
            ;
        if (ci == ncats && ncats < 16) {
            memset(&cats[ncats], 0, sizeof cats[ncats]);
            snprintf(cats[ncats].name, sizeof cats[ncats].name, "%s", cat);
            ncats++;
        }
        if (ci >= 16)
            continue;

        verdicts v = {0};
        int err = 0;
        size_t matched = expand(base, rpath, &v, &err);
        const char *status = "agree";
        char why[512] = "";
        int judged = 1, ok = 1;
        if (matched == 0) {
            status = "missing";
            judged = 0;
        } else if (err) {
            ok = 0;
            snprintf(why, sizeof why, "scan failed on %d path(s)", err);
        } else {
            /* expected: "A+B" all, "A/B" any */
            char e[256];
            snprintf(e, sizeof e, "%s", expect);
            int any = strchr(e, '/') != NULL, hit = 0, miss = 0, known = 0;
            for (char *t = strtok(e, "+/"); t; t = strtok(NULL, "+/")) {
                while (*t == ' ')
                    t++;
                int r = token_ok(t, &v);
                if (r < 0)
                    continue;
                known = 1;
                if (r)
                    hit++;
                else
                    miss++;
            }
            if (!known) {
                judged = 0;
                status = "not judged";
            } else {
                ok = any ? hit > 0 : miss == 0;
                if (!ok)
                    snprintf(why, sizeof why, "expected %s", expect);
            }
            /* must-not notes */
            if (has(mustnot, "any finding") && has(mustnot, "exploitation/web-shell") == 0 && v.n) {
                ok = 0;
                snprintf(why, sizeof why, "must give no finding");
            }
            if (has(mustnot, "exploitation/web-shell finding") && (v.exploitation || v.webshell)) {
                ok = 0;
                snprintf(why, sizeof why, "must give no exploitation or web-shell finding");
            }
            if ((has(mustnot, "not be reported as ProxyLogon") || has(mustnot, "NOT be flagged as ProxyLogon")) &&
                v.pl_family) {
                ok = 0;
                snprintf(why, sizeof why, "reported as ProxyLogon-family");
            }
            if (has(mustnot, "ServerInfo~localhost") && v.localhost_exploit) {
                ok = 0;
                snprintf(why, sizeof why, "localhost probes reported as exploitation");
            }
            if (has(mustnot, "no finding") && v.n) {
                ok = 0;
                snprintf(why, sizeof why, "must give no finding");
            }
            if (has(mustnot, "lsass dump") && v.lsass_claim) {
                ok = 0;
                snprintf(why, sizeof why, "claims an lsass dump");
            }
            /* the server's own state, for rows that state a version */
            if (strstr(expect, "VERSION") && ok) {
                char notes[1024];
                snprintf(notes, sizeof notes, "%.*s", (int)row.f[3].n, row.f[3].p);
                judged = 1;
                status = "agree";
                ok = version_ok(notes, &v, why, sizeof why);
            }
            if (judged && !ok)
                status = "DISAGREE";
            else if (!judged && !ok)
                status = "DISAGREE (must-not)";
            if (!ok)
                judged = 1;
        }
        if (judged) {
            cats[ci].judged++;
            cats[ci].agree += ok;
            failed |= !ok && gated;
        } else {
            cats[ci].skipped++;
        }
        printf("%-10s %-28s %3zu finding(s) [expl %zu, att %zu, probe %zu, susp %zu]  %s%s%s\n",
               status, expect, v.n, v.exploitation, v.attempt, v.probe, v.suspicious, rpath,
               why[0] ? ": " : "", why);
    }
    fclose(f);
    printf("\nagreement with expected_verdicts.csv:\n");
    for (size_t i = 0; i < ncats; i++)
        printf("  %-8s %u/%u judged rows agree (%u not judged or missing)\n", cats[i].name,
               cats[i].agree, cats[i].judged, cats[i].skipped);
    printf("gated groups:");
    for (int a = 2; a < argc; a++)
        printf(" %s", argv[a]);
    printf("%s -> %s\n", argc == 2 ? " all" : "", failed ? "DISAGREE" : "agree");
    ioc_lists(argv[1]);
    return failed ? 1 : 0;
}
