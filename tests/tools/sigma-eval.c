/* sigma-eval SIGMAHQ [--report FILE] [--min PERCENT]: loads SigmaHQ's rule folders (rules*
 * under SIGMAHQ) through lib/sigma and prints "sigma: N rules loaded, M skipped", the skip
 * reasons tallied (by kind, then the most common ones in full), and the share loaded. Exits 1
 * when less than PERCENT (95) of the rules loaded. make eval runs it over
 * $(EVALDATA)/sigmahq. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma/sigma.h"

typedef struct tally {
    char key[200];
    size_t n;
} tally;

static void count(tally *t, size_t *nt, size_t cap, const char *key, size_t len)
{
    if (len >= sizeof t->key)
        len = sizeof t->key - 1;
    for (size_t i = 0; i < *nt; i++)
        if (strlen(t[i].key) == len && memcmp(t[i].key, key, len) == 0) {
            t[i].n++;
            return;
        }
    if (*nt == cap)
        return;
    memcpy(t[*nt].key, key, len);
    t[*nt].key[len] = '\0';
    t[(*nt)++].n = 1;
}

static int by_count(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->key, y->key);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *root = NULL, *report = NULL;
    double min = 95.0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--report") == 0 && i + 1 < argc)
            report = argv[++i];
        else if (strcmp(argv[i], "--min") == 0 && i + 1 < argc)
            min = strtod(argv[++i], NULL);
        else
            root = argv[i];
    }
    if (!root) {
        fprintf(stderr, "usage: sigma-eval SIGMAHQ [--report FILE] [--min PERCENT]\n");
        return 2;
    }
    xs_sigma_set *s = xs_sigma_set_create();
    DIR *d = opendir(root);
    if (!s || !d) {
        fprintf(stderr, "sigma-eval: cannot read %s\n", root);
        return 2;
    }
    char *names[64];
    size_t nn = 0;
    for (struct dirent *e; (e = readdir(d)) && nn < 64;)
        if (strncmp(e->d_name, "rules", 5) == 0)
            names[nn++] = strdup(e->d_name);
    closedir(d);
    qsort(names, nn, sizeof *names, by_name);
    for (size_t i = 0; i < nn; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", root, names[i]);
        printf("loading %s\n", path);
        if (xs_sigma_load_path(s, path) != 0)
            fprintf(stderr, "sigma-eval: %s: not loaded\n", path);
        free(names[i]);
    }
    char line[256];
    xs_sigma_summary(s, line, sizeof line);
    printf("%s\n", line);

    size_t nskip, nk = 0, nf = 0;
    const xs_sigma_skip *k = xs_sigma_skips(s, &nskip);
    static tally kinds[256], full[4096];
    for (size_t i = 0; i < nskip; i++) {
        const char *r = k[i].reason;
        const char *colon = strchr(r, ':');
        count(kinds, &nk, 256, r, colon ? (size_t)(colon - r) : strlen(r));
        count(full, &nf, 4096, r, strlen(r));
    }
    qsort(kinds, nk, sizeof *kinds, by_count);
    qsort(full, nf, sizeof *full, by_count);
    printf("skip reasons by kind:\n");
    for (size_t i = 0; i < nk; i++)
        printf("  %5zu  %s\n", kinds[i].n, kinds[i].key);
    printf("most common skip reasons:\n");
    for (size_t i = 0; i < nf && i < 25; i++)
        printf("  %5zu  %s\n", full[i].n, full[i].key);
    if (report) {
        FILE *f = fopen(report, "w");
        if (!f || xs_sigma_skip_report(s, f) != 0 || fclose(f) != 0)
            fprintf(stderr, "sigma-eval: cannot write %s\n", report);
    }
    size_t loaded = xs_sigma_count(s), total = loaded + nskip;
    double pct = total ? 100.0 * (double)loaded / (double)total : 0;
    printf("loaded %.2f%% of %zu (the gate: %.1f%%)\n", pct, total, min);
    xs_sigma_set_destroy(s);
    return pct >= min ? 0 : 1;
}
