/* buildtab-eval: the build table (lib/state/buildtab.c) against the build tables of the
 * evaluation data.
 *
 *   buildtab-eval EVALDATA
 *
 * Reads every CSV in EVALDATA/builds/ and tells them apart by their header:
 *  - "product,cu,su,build" (Health Checker's GetExchangeBuildDictionary): every build must be
 *    a row of the table with the same product, CU and update. The CSV's conventions are mapped,
 *    not copied: "Exchange2016" is "Exchange Server 2016", "ExchangeSE" "Exchange Server SE",
 *    Exchange 2013's "CU4" is "SP1" (Microsoft's name), and an update listed with its CU's own
 *    build (Feb19SU of 2013 CU22, 2016 CU12, 2019 CU1) is the CU's row: the CU shipped it.
 *    The table's rows the CSV lacks are listed, for information.
 *  - "su,cve,applies_to" (Health Checker's update-to-CVE map): every update that names a CVE of
 *    a family (xs_family_cves) must, for each product it applies to, have rows in the table,
 *    and each of them must carry that family's bit.
 * Agreements and disagreements are printed. Exit 0 when all agree, 1 on a disagreement, 2 on
 * usage or I/O errors or when no CSV of either kind was found.
 */
#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "parsers/csv.h"
#include "state/build.h"
#include "state/buildtab.h"

static xs_csv_row row;
static char line[4096], scratch[4096];
static unsigned disagree;

static void field(char *out, size_t cap, size_t i)
{
    xs_str s = xs_csv_get(&row, (int)i);
    snprintf(out, cap, "%.*s", (int)s.n, s.p ? s.p : "");
}

/* "Exchange2016" -> "Exchange Server 2016", "ExchangeSE" -> "Exchange Server SE"; NULL else. */
static const char *product(const char *csv, char *out, size_t cap)
{
    if (strncmp(csv, "Exchange", 8) != 0 || csv[8] == '\0')
        return NULL;
    snprintf(out, cap, "Exchange Server %s", csv + 8);
    return out;
}

static void say_disagree(const char *file, unsigned lineno, const char *what)
{
    printf("  DISAGREE %s:%u: %s\n", file, lineno, what);
    disagree++;
}

/* Opens path and reads its header; returns NULL (and closes) on errors. */
static FILE *open_csv(const char *path, char *header, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return NULL;
    }
    if (!fgets(header, (int)cap, f)) {
        fclose(f);
        header[0] = '\0';
        return NULL;
    }
    header[strcspn(header, "\r\n")] = '\0';
    return f;
}

/* The next data row into row; false at the end. */
static bool next_row(FILE *f, unsigned *lineno)
{
    while (fgets(line, sizeof line, f)) {
        ++*lineno;
        size_t n = strcspn(line, "\r\n");
        if (n == 0)
            continue;
        xs_csv_split(line, n, &row, scratch);
        return true;
    }
    return false;
}

static bool listed[1024]; /* the table's rows the build CSVs name */

static void check_builds(const char *path, FILE *f)
{
    unsigned lineno = 1, rows = 0, agree = 0, in_cu = 0;
    char msg[512];
    while (next_row(f, &lineno)) {
        char prod[64], cu[32], su[32], build[64], ours[96];
        field(prod, sizeof prod, 0);
        field(cu, sizeof cu, 1);
        field(su, sizeof su, 2);
        field(build, sizeof build, 3);
        rows++;
        xs_build b;
        const xs_build_row *r = NULL;
        if (xs_build_parse(build, strlen(build), false, &b))
            r = xs_build_find(&b);
        if (!product(prod, ours, sizeof ours)) {
            snprintf(msg, sizeof msg, "product '%s' is not one the table holds", prod);
            say_disagree(path, lineno, msg);
            continue;
        }
        if (!r) {
            snprintf(msg, sizeof msg, "%s %s %s %s is not in the table", prod, cu,
                     su[0] ? su : "(CU)", build);
            say_disagree(path, lineno, msg);
            continue;
        }
        size_t n;
        listed[r - xs_buildtab(&n)] = true;
        const char *want_cu =
            strcmp(ours, "Exchange Server 2013") == 0 && strcmp(cu, "CU4") == 0 ? "SP1" : cu;
        bool cu_ships = su[0] && r->update[0] == '\0'; /* the update came with the CU */
        if (strcmp(r->product, ours) != 0 || strcmp(r->cu, want_cu) != 0 ||
            (strcmp(r->update, su) != 0 && !cu_ships)) {
            snprintf(msg, sizeof msg, "%s %s %s %s: the table says %s %s %s", prod, cu,
                     su[0] ? su : "(CU)", build, r->product, r->cu,
                     r->update[0] ? r->update : "(CU)");
            say_disagree(path, lineno, msg);
            continue;
        }
        agree++;
        in_cu += cu_ships;
    }
    printf("  %s: %u builds: %u agree (%u of them an update its CU shipped), %u disagree\n", path,
           rows, agree, in_cu, rows - agree);
}

static void list_unnamed(void)
{
    size_t n, k = 0;
    const xs_build_row *t = xs_buildtab(&n);
    for (size_t i = 0; i < n && i < 1024; i++)
        k += !listed[i];
    printf("  the table's rows no build CSV names (%zu, for information):\n", k);
    for (size_t i = 0; i < n && i < 1024; i++)
        if (!listed[i])
            printf("    %s %s %s%s%s\n", t[i].build, t[i].product, t[i].cu,
                   t[i].update[0] ? " " : "", t[i].update);
}

/* The family whose CVEs name cve, or -1. */
static int family_of(const char *cve)
{
    size_t n = strlen(cve);
    for (int f = 0; f < XS_FAM__N; f++) {
        const char *c = xs_family_cves((xs_family)f);
        for (const char *p = strstr(c, cve); p; p = strstr(p + 1, cve))
            if ((p == c || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
                return f;
    }
    return -1;
}

static void check_cves(const char *path, FILE *f)
{
    unsigned lineno = 1, rows = 0, named = 0, agree = 0, bad = 0;
    char msg[512];
    size_t n;
    const xs_build_row *t = xs_buildtab(&n);
    while (next_row(f, &lineno)) {
        char su[32], cve[32], applies[256];
        field(su, sizeof su, 0);
        field(cve, sizeof cve, 1);
        field(applies, sizeof applies, 2);
        rows++;
        int fam = family_of(cve);
        if (fam < 0)
            continue;
        named++;
        for (char *p = applies; *p;) {
            size_t len = strcspn(p, ";");
            char prod[64], ours[96];
            snprintf(prod, sizeof prod, "%.*s", (int)len, p);
            p += len + (p[len] == ';');
            if (!product(prod, ours, sizeof ours)) {
                snprintf(msg, sizeof msg, "%s %s: product '%s' is not one the table holds", su, cve,
                         prod);
                say_disagree(path, lineno, msg);
                bad++;
                continue;
            }
            unsigned have = 0, without = 0;
            for (size_t i = 0; i < n; i++)
                if (strcmp(t[i].product, ours) == 0 && strcmp(t[i].update, su) == 0) {
                    have++;
                    without += !(t[i].fixed & (1u << fam));
                }
            if (have == 0 || without > 0) {
                snprintf(msg, sizeof msg,
                         "%s (%s, %s) for %s: %u rows in the table, %u without "
                         "the %s bit",
                         su, cve, xs_family_name((xs_family)fam), ours, have, without,
                         xs_family_name((xs_family)fam));
                say_disagree(path, lineno, msg);
                bad++;
            } else {
                agree++;
            }
        }
    }
    printf("  %s: %u updates-to-CVE rows, %u name a family's CVE: %u product checks agree, %u "
           "disagree\n",
           path, rows, named, agree, bad);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: buildtab-eval EVALDATA\n");
        return 2;
    }
    char pat[4096];
    snprintf(pat, sizeof pat, "%s/builds/*.csv", argv[1]);
    glob_t g;
    if (glob(pat, 0, NULL, &g) != 0) {
        fprintf(stderr, "buildtab-eval: no %s\n", pat);
        return 2;
    }
    int kinds = 0, err = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char header[256];
        const char *path = g.gl_pathv[i];
        FILE *f = open_csv(path, header, sizeof header);
        if (!f) {
            err = 1;
            continue;
        }
        if (strcmp(header, "product,cu,su,build") == 0) {
            check_builds(path, f);
            kinds |= 1;
        } else if (strcmp(header, "su,cve,applies_to") == 0) {
            check_cves(path, f);
            kinds |= 2;
        } else {
            printf("  %s: not read (header '%s' is neither kind)\n", path, header);
        }
        if (ferror(f)) {
            perror(path);
            err = 1;
        }
        fclose(f);
    }
    globfree(&g);
    if (kinds & 1)
        list_unnamed();
    if (err || kinds != 3) {
        fprintf(stderr, "buildtab-eval: %s\n", err ? "read errors" : "a kind of CSV is missing");
        return 2;
    }
    printf("buildtab-eval: %s\n", disagree ? "the table DISAGREES with the evaluation data"
                                           : "the table agrees with the evaluation data");
    return disagree ? 1 : 0;
}
