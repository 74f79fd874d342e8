/* exsweep quarantine, restore and vault: the backdoors moved into a vault and back
 * (include/exsweep/vault.h). */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_help.h"
#include "exsweep/exsweep.h"
#include "exsweep/vault.h"

const char xs_cli_quarantine_help[] = XS_QUARANTINE_HELP;
const char xs_cli_restore_help[] = XS_RESTORE_HELP;
const char xs_cli_vault_help[] = XS_VAULT_HELP;

static void say_recovered(const char *verb, exs_vault *v)
{
    size_t done, back;
    exs_vault_recovered(v, &done, &back);
    if (done || back)
        xs_cli_msg("exsweep %s: the vault had unfinished items from an interrupted run: %zu "
                   "completed, %zu rolled back (left in their tree)", verb, done, back);
    size_t rs = exs_vault_restores_finished(v);
    if (rs)
        xs_cli_msg("exsweep %s: %zu restore%s an interrupted run began finished (temporary "
                   "files removed from the tree; restores recorded where the file was in place)",
                   verb, rs, rs == 1 ? "" : "s");
    const char *first;
    size_t stuck = exs_vault_stuck(v, &first);
    if (stuck)
        xs_cli_msg("exsweep %s: %zu unfinished item%s could not be carried on, and stay%s in "
                   "the journal (retried at every opening): %s", verb, stuck,
                   stuck == 1 ? "" : "s", stuck == 1 ? "s" : "", first);
}

static void put(const char *s)
{
    exs_escape_term(stdout, s, strlen(s));
}

static int quarantine(int argc, char **argv, const char **from)
{
    static const struct option longopts[] = {XS_QUARANTINE_LONGOPTS};
    const char *vdir = NULL;
    size_t nfrom = 0;
    int apply = 0, resume = 0, c, status = 2;
    exs_scan_opts so = {0};
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, XS_QUARANTINE_OPTSTRING, longopts, NULL)) != -1) {
        switch (c) {
        case XS_QUARANTINE_OPT_VAULT: vdir = optarg; break;
        case XS_QUARANTINE_OPT_APPLY: apply = 1; break;
        case XS_QUARANTINE_OPT_RESUME: resume = 1; break;
        case XS_QUARANTINE_OPT_FROM: from[nfrom++] = optarg; break;
        case 'j': {
            char *end;
            unsigned long n = strtoul(optarg, &end, 10);
            if (end == optarg || *end || n < 1 || n > 1024)
                return xs_cli_usage("quarantine", "bad --jobs '%s' (1 to 1024)", optarg);
            so.jobs = (unsigned)n;
            break;
        }
        case 'h': fputs(xs_cli_quarantine_help, stdout); return xs_cli_stdout_done("quarantine", 0);
        default: return xs_cli_bad_option("quarantine", c, longopts, argv);
        }
    }
    if (!vdir)
        return xs_cli_usage("quarantine", "--vault DIR is needed");
    if (resume) {
        if (optind < argc || apply || nfrom)
            return xs_cli_usage("quarantine", "--resume takes no PATH, --from or --apply");
        exs_vault *v;
        char err[1200];
        if (exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err) != EXS_OK) {
            xs_cli_msg("exsweep quarantine: %s", err);
            return 2;
        }
        size_t done, back;
        const char *first;
        exs_vault_recovered(v, &done, &back);
        size_t stuck = exs_vault_stuck(v, &first);
        printf("resumed: %zu completed, %zu rolled back, %zu stuck\n", done, back, stuck);
        if (stuck)
            xs_cli_msg("exsweep quarantine: %s", first);
        exs_vault_close(v);
        return xs_cli_stdout_done("quarantine", stuck ? 2 : done || back ? 1 : 0);
    }
    if (nfrom && optind < argc)
        return xs_cli_usage("quarantine", "give PATHs or --from, not both (the roots of a "
                                          "saved sweep are its own)");
    if (!nfrom && optind >= argc)
        return xs_cli_usage("quarantine", "no PATH given");
    exs_scan *s = NULL;
    exs_results *saved = NULL;
    const exs_results *res;
    exs_vault *v = NULL;
    exs_vault_cand *plan = NULL;
    const char **roots = NULL;
    size_t n = 0, nroots = 0;
    char err[1200];
    exs_rc rc;
    if (nfrom) {
        if ((rc = exs_results_read_jsonl(&saved, from, nfrom, err, sizeof err)) != EXS_OK) {
            xs_cli_msg("exsweep quarantine: %s", err);
            return 2;
        }
        const exs_sweep_info *sw = exs_results_sweep(saved);
        if (!(roots = calloc(sw->nroots + 1, sizeof *roots))) {
            xs_cli_msg("exsweep quarantine: out of memory");
            goto out;
        }
        for (size_t i = 0; i < sw->nroots; i++)
            roots[nroots++] = sw->roots[i].path;
    } else {
        roots = (const char **)argv + optind;
        nroots = (size_t)(argc - optind);
    }
    /* the vault first: refused inside a root before anything is swept */
    if (apply && (rc = exs_vault_open(&v, vdir, roots, nroots, EXS_VAULT_CREATE, err,
                                      sizeof err)) != EXS_OK) {
        xs_cli_msg("exsweep quarantine: %s", err);
        goto out;
    }
    if (v)
        say_recovered("quarantine", v);
    if (saved) {
        res = saved;
    } else {
        if ((rc = exs_scan_create(&s, &so)) != EXS_OK) {
            xs_cli_msg("exsweep quarantine: %s", exs_strerror(rc));
            goto out;
        }
        for (int i = optind; i < argc; i++)
            if ((rc = exs_scan_add_root(s, argv[i])) != EXS_OK) {
                xs_cli_msg("exsweep quarantine: %s", *exs_scan_error(s) ? exs_scan_error(s)
                                                                        : exs_strerror(rc));
                goto out;
            }
        if ((rc = exs_scan_run(s)) != EXS_OK) {
            xs_cli_msg("exsweep quarantine: the sweep failed: %s%s%s", exs_strerror(rc),
                       *exs_scan_error(s) ? ": " : "", exs_scan_error(s));
            goto out;
        }
        res = exs_scan_results(s);
    }
    if ((rc = exs_vault_plan(res, &plan, &n)) != EXS_OK) {
        xs_cli_msg("exsweep quarantine: %s", exs_strerror(rc));
        goto out;
    }
    size_t moved = 0, failed = 0, left = 0;
    status = 0;
    /* a batch at a time: synced together, then said */
    size_t bn = exs_vault_batch_size();
    const exs_vault_cand **todo = calloc(bn, sizeof *todo);
    exs_vault_result *results = calloc(bn, sizeof *results);
    size_t *slot = calloc(bn, sizeof *slot);
    if (!todo || !results || !slot) {
        free(todo);
        free(results);
        free(slot);
        xs_cli_msg("exsweep quarantine: out of memory");
        status = 2;
        goto out;
    }
    for (size_t b = 0; b < n; b += bn) {
        size_t end = n - b < bn ? n : b + bn, nt = 0;
        for (size_t i = b; i < end; i++) {
            slot[i - b] = SIZE_MAX;
            if (apply && !plan[i].refused && !plan[i].changed) {
                slot[i - b] = nt;
                todo[nt++] = &plan[i];
            }
        }
        if (nt)
            (void)exs_vault_quarantine_many(v, todo, nt, results);
        for (size_t i = b; i < end; i++) {
            const exs_vault_cand *k = &plan[i];
            const char *what = k->refused ? "refused" : k->changed ? "changed"
                               : apply                 ? "moved"
                                                       : "plan";
            const char *why = k->refused ? k->refused : k->changed;
            const char *id = "";
            if (k->refused || k->changed)
                left += apply;
            if (slot[i - b] != SIZE_MAX) {
                const exs_vault_result *r = &results[slot[i - b]];
                id = r->id;
                if (r->rc != EXS_OK) {
                    xs_cli_msg("exsweep quarantine: %s", r->msg);
                    failed++;
                    what = "failed";
                } else if (r->outcome == EXS_VAULT_CHANGED) {
                    what = "changed";
                    why = r->msg;
                    left++;
                } else if (r->outcome == EXS_VAULT_REFUSED) {
                    what = "refused";
                    why = r->msg;
                    left++;
                } else {
                    moved++;
                }
            }
            printf("%s\t", what);
            put(k->root_label);
            fputc('/', stdout);
            put(k->path);
            fputc('\t', stdout); /* a saved sweep's rule ids and hashes are its text */
            put(k->rules);
            fputc('\t', stdout);
            put(k->sha256 ? k->sha256 : "-");
            if (id[0])
                printf("\t%s", id);
            if (why && *why) {
                fputc('\t', stdout);
                put(why);
            }
            fputc('\n', stdout);
            status = 1;
        }
    }
    free(todo);
    free(results);
    free(slot);
    if (apply) {
        fprintf(stderr, "exsweep quarantine: %zu moved into the vault, %zu left in place, %zu "
                        "failed\n", moved, left, failed);
        uint64_t lines;
        const char *h = exs_vault_head(v, &lines);
        fprintf(stderr, "exsweep quarantine: the manifest's chain head is %s (%llu entr%s): keep "
                        "it apart from the vault; 'exsweep vault verify --head' checks it\n", h,
                (unsigned long long)lines, lines == 1 ? "y" : "ies");
    }
    if (failed)
        status = 2;
out:
    exs_vault_plan_free(plan, n);
    exs_scan_destroy(s);
    exs_vault_close(v);
    if (saved)
        free(roots);
    exs_results_destroy(saved);
    return xs_cli_stdout_done("quarantine", status);
}

int xs_cli_quarantine(int argc, char **argv)
{
    const char **from = calloc((size_t)argc + 1, sizeof *from);
    if (!from) {
        xs_cli_msg("exsweep quarantine: out of memory");
        return 2;
    }
    int rc = quarantine(argc, argv, from);
    free(from);
    return rc;
}

int xs_cli_restore(int argc, char **argv)
{
    static const struct option longopts[] = {XS_RESTORE_LONGOPTS};
    const char *vdir = NULL;
    int all = 0, c, status = 0;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, XS_RESTORE_OPTSTRING, longopts, NULL)) != -1) {
        switch (c) {
        case XS_RESTORE_OPT_VAULT: vdir = optarg; break;
        case XS_RESTORE_OPT_ALL: all = 1; break;
        case 'h': fputs(xs_cli_restore_help, stdout); return xs_cli_stdout_done("restore", 0);
        default: return xs_cli_bad_option("restore", c, longopts, argv);
        }
    }
    if (!vdir)
        return xs_cli_usage("restore", "--vault DIR is needed");
    if (all == (optind < argc))
        return xs_cli_usage("restore", "%s",
                            all ? "give --all or item ids, not both" : "give --all or item ids");
    exs_vault *v;
    char err[1200];
    if (exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err) != EXS_OK) {
        xs_cli_msg("exsweep restore: %s", err);
        return 2;
    }
    say_recovered("restore", v);
    char **ids = NULL;
    size_t nids = 0;
    if (all) {
        const exs_vault_entry *e;
        size_t n;
        if (exs_vault_entries(v, &e, &n) != EXS_OK) {
            xs_cli_msg("exsweep restore: %s", exs_vault_error(v));
            exs_vault_close(v);
            return 2;
        }
        /* the items whose last record is the quarantine */
        ids = calloc(n + 1, sizeof *ids);
        for (size_t i = 0; ids && i < n; i++) {
            size_t j = 0;
            while (j < nids && strcmp(ids[j], e[i].item) != 0)
                j++;
            int q = strcmp(e[i].action, "quarantine") == 0;
            if (j == nids && q && (ids[nids] = strdup(e[i].item)))
                nids++;
            else if (j < nids && !q && strcmp(e[i].action, "restore") == 0) {
                free(ids[j]);
                ids[j] = ids[--nids];
            }
        }
        if (!ids) {
            xs_cli_msg("exsweep restore: out of memory");
            exs_vault_close(v);
            return 2;
        }
    }
    size_t todo = all ? nids : (size_t)(argc - optind);
    for (size_t i = 0; i < todo; i++) {
        const char *id = all ? ids[i] : argv[optind + (int)i];
        exs_rc rc = exs_vault_restore(v, id);
        if (rc != EXS_OK) {
            xs_cli_msg("exsweep restore: %s", exs_vault_error(v));
            status = 2;
        } else {
            printf("restored\t%s\n", id);
            if (*exs_vault_error(v))
                xs_cli_msg("exsweep restore: %s", exs_vault_error(v));
        }
    }
    for (size_t i = 0; i < nids; i++)
        free(ids[i]);
    free(ids);
    exs_vault_close(v);
    return xs_cli_stdout_done("restore", status);
}

/* exsweep vault export: 0 exported, 1 the vault does not verify (nothing exported), 2 an
 * error. */
static int export_to(exs_vault *v, const char *out)
{
    size_t n;
    exs_rc rc = exs_vault_export(v, out, &n);
    if (rc != EXS_OK) {
        xs_cli_msg("exsweep vault: export: %s", exs_vault_error(v));
        return rc == EXS_EFORMAT ? 1 : 2;
    }
    uint64_t lines;
    const char *head = exs_vault_head(v, &lines);
    printf("exported: %zu item zip%s, manifest.jsonl (%llu entr%s), README.txt and SHA256SUMS "
           "in ", n, n == 1 ? "" : "s", (unsigned long long)lines, lines == 1 ? "y" : "ies");
    put(out);
    printf("\nchain head: %s (keep it apart from the export: README.txt says how to check "
           "it)\n", head);
    return 0;
}

int xs_cli_vault(int argc, char **argv)
{
    static const struct option longopts[] = {XS_VAULT_LONGOPTS};
    const char *vdir = NULL, *head = NULL;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, XS_VAULT_OPTSTRING, longopts, NULL)) != -1) {
        switch (c) {
        case XS_VAULT_OPT_VAULT: vdir = optarg; break;
        case XS_VAULT_OPT_HEAD: head = optarg; break;
        case 'h': fputs(xs_cli_vault_help, stdout); return xs_cli_stdout_done("vault", 0);
        default: return xs_cli_bad_option("vault", c, longopts, argv);
        }
    }
    if (optind >= argc)
        return xs_cli_usage("vault", "list, verify or export is needed");
    const char *sub = argv[optind];
    int export = strcmp(sub, "export") == 0;
    if (strcmp(sub, "list") != 0 && strcmp(sub, "verify") != 0 && !export)
        return xs_cli_usage("vault", "unknown action '%s' (list, verify, export)", sub);
    if (export && optind + 1 >= argc)
        return xs_cli_usage("vault", "export needs the folder to export to (OUT)");
    if (optind + 1 + export < argc)
        return xs_cli_usage("vault", "unexpected argument '%s'", argv[optind + 1 + export]);
    if (export && !argv[optind + 1][0])
        return xs_cli_usage("vault", "export: OUT is empty");
    if (!vdir)
        return xs_cli_usage("vault", "--vault DIR is needed");
    if (head && strcmp(sub, "verify") != 0)
        return xs_cli_usage("vault", "--head goes with verify");
    if (head && (strlen(head) != 64 || strspn(head, "0123456789abcdef") != 64))
        return xs_cli_usage("vault", "--head: a chain head is 64 lowercase hex digits");
    exs_vault *v;
    char err[1200];
    if (exs_vault_open(&v, vdir, NULL, 0, 0, err, sizeof err) != EXS_OK) {
        xs_cli_msg("exsweep vault: %s", err);
        return 2;
    }
    say_recovered("vault", v);
    int status = 0;
    if (export) {
        status = export_to(v, argv[optind + 1]);
    } else if (strcmp(sub, "verify") == 0) {
        size_t bad = 0;
        uint64_t at = 0;
        exs_rc rc = exs_vault_verify(v, stdout, &bad);
        if (rc == EXS_OK && head) {
            exs_rc hr = exs_vault_find_head(v, head, &at);
            if (hr == EXS_ENOENT) {
                fputs(exs_vault_error(v), stdout);
                fputc('\n', stdout);
                bad++;
            } else if (hr != EXS_OK) {
                rc = hr;
            }
        }
        if (rc != EXS_OK) {
            xs_cli_msg("exsweep vault: %s", exs_vault_error(v));
            status = 2;
        } else if (bad) {
            xs_cli_msg("exsweep vault: verify: %zu problem%s (listed above): the vault is not "
                       "as it was written", bad, bad == 1 ? "" : "s");
            status = 1;
        } else {
            const exs_vault_entry *e;
            size_t n;
            uint64_t lines;
            exs_vault_entries(v, &e, &n);
            printf("ok: %zu manifest entries, every item's SHA-256 and the hash chain check out\n",
                   n);
            if (head)
                printf("the recorded head is line %llu: the manifest holds what it held then%s\n",
                       (unsigned long long)at, at < n ? ", and later entries" : "");
            printf("chain head: %s (keep it apart from the vault; verify --head checks it)\n",
                   exs_vault_head(v, &lines));
        }
    } else {
        const exs_vault_entry *e;
        size_t n;
        if (exs_vault_entries(v, &e, &n) != EXS_OK) {
            xs_cli_msg("exsweep vault: %s", exs_vault_error(v));
            status = 2;
        }
        for (size_t i = 0; status == 0 && i < n; i++) {
            /* every field is the manifest's text: escaped, whatever the reader checked */
            const char *f[] = {e[i].item, e[i].action, NULL, e[i].sha256, e[i].rules,
                               e[i].time, e[i].encryption};
            for (size_t k = 0; k < sizeof f / sizeof *f; k++) {
                if (k)
                    fputc('\t', stdout);
                if (f[k]) {
                    put(f[k]);
                } else {
                    put(e[i].root);
                    fputc('/', stdout);
                    put(e[i].path);
                }
            }
            fputc('\n', stdout);
        }
    }
    exs_vault_close(v);
    return xs_cli_stdout_done("vault", status);
}
