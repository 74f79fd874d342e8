/* collectcheck: the collection spec against evidence trees (lib/sources/collect.c).
 *
 *   collectcheck TREE...
 *   collectcheck --yaml FILE...   each FILE parses as YAML (libyaml), one document
 *
 * Each TREE is laid out as a drive (C:\ as TREE/ or TREE/C/) with Exchange under "Program
 * Files/Microsoft/Exchange Server/V15". It is swept; every file a finding lies in must fall
 * under a place of the spec (else it is printed: "missed PATH RULE"), so that a collection
 * made with the spec holds everything that gave a finding. Prints "TREE: N files with
 * findings, all collected; K of M files collected" and exits 1 on a miss, 2 on errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "exsweep/exsweep.h"
#include "sources/collect.h"

#define ROOT "Program Files/Microsoft/Exchange Server/V15"

static xs_collect spec[128];
static size_t nspec;

/* The path relative to the drive: the tree's own "C/" folder is the drive. */
static const char *drive_rel(const char *p)
{
    return (p[0] == 'C' || p[0] == 'c') && p[1] == '/' ? p + 2 : p;
}

static bool collected(const char *p)
{
    for (size_t i = 0; i < nspec; i++)
        if (xs_collect_match(&spec[i], drive_rel(p), ROOT))
            return true;
    return false;
}

/* 0 when path holds exactly one well-formed YAML document. */
static int yaml_ok(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 2;
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    int docs = 0, rc = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            fprintf(stderr, "%s: line %zu: %s\n", path, p.problem_mark.line + 1,
                    p.problem ? p.problem : "bad YAML");
            rc = 1;
            break;
        }
        docs += e.type == YAML_DOCUMENT_START_EVENT;
        bool end = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    fclose(f);
    if (!rc && docs != 1) {
        fprintf(stderr, "%s: %d YAML documents\n", path, docs);
        rc = 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--yaml") == 0) {
        int rc = 0;
        for (int a = 2; a < argc; a++) {
            int r = yaml_ok(argv[a]);
            rc = r > rc ? r : rc;
        }
        return rc;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: collectcheck TREE...\n");
        return 2;
    }
    nspec = xs_collect_spec(spec, sizeof spec / sizeof spec[0]);
    int status = 0;
    for (int a = 1; a < argc; a++) {
        exs_scan *s;
        if (exs_scan_create(&s, NULL) != EXS_OK || exs_scan_add_root(s, argv[a]) != EXS_OK ||
            exs_scan_run(s) != EXS_OK) {
            fprintf(stderr, "collectcheck: %s: the sweep failed\n", argv[a]);
            return 2;
        }
        size_t n, with = 0, missed = 0;
        const exs_finding *f = exs_results_findings(exs_scan_results(s), &n);
        const char *last = "";
        for (size_t i = 0; i < n; i++) {
            const char *p = f[i].origin.path;
            if (!p || !*p)
                continue; /* findings of the whole sweep */
            if (strcmp(p, last) != 0)
                with++;
            if (!collected(p)) {
                printf("missed %s %s\n", p, f[i].rule->id);
                missed++;
                status = 1;
            }
            last = p;
        }
        const exs_sweep_stats *st = exs_results_stats(exs_scan_results(s));
        printf("%s: findings in %zu files%s; %llu files seen\n", argv[a], with,
               missed ? "" : ", all collected", (unsigned long long)st->files_seen);
        exs_scan_destroy(s);
    }
    return status;
}
