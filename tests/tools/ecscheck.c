/* ecscheck: ECS conformance of JSON lines (exsweep scan -f jsonl), for tests.
 *
 *   ecscheck --schema ecs_flat.yml [--ecs-version V] FILE...   against ECS's own schema
 *   ecscheck --fields LIST FILE...                             against the committed list of
 *                                                              fields exsweep may emit
 *   ecscheck --schema ecs_flat.yml --check-list LIST           the list against the schema
 *
 * What a record must be is said in tests/support/ecs.h. The schema is ECS's flat YAML
 * (ecs_flat.yml of the ECS release: flat field names -> type, normalize, object_type,
 * allowed_values with expected_event_types), read through libyaml. The file does not say
 * which ECS version it is; the SOURCE_COMMIT file beside it does ("... (v9.4.0)"), or
 * --ecs-version. LIST is docs/ecs-fields.txt: make check cannot read the third-party schema,
 * so the list carries what the checks need, and --check-list (make eval) holds it to the
 * schema: every field exists with the same type and array form, the allowed values and each
 * category's expected event types are the schema's, and so is the version.
 *
 * Output: one line per problem, "file:line: field: problem". Exit status 0 when there is
 * none, 1 when there are, 2 on usage errors or an unreadable schema, list or file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "ecs.h"

static void usage(FILE *f)
{
    fputs("usage: ecscheck --schema ecs_flat.yml [--ecs-version V] FILE...\n"
          "       ecscheck --fields LIST FILE...\n"
          "       ecscheck --schema ecs_flat.yml --check-list LIST\n",
          f);
}

/* ------------------------------------------------------------------ the YAML schema */

static const char *scalar_of(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *k = scalar_of(yaml_document_get_node(d, p->key));
        if (k && strcmp(k, key) == 0)
            return yaml_document_get_node(d, p->value);
    }
    return NULL;
}

#define ITEMS(n) (n)->data.sequence.items.start; it < (n)->data.sequence.items.top; it++

/* One field's entry: type, normalize, object_type, allowed_values. */
static int load_field(t_ecs *m, yaml_document_t *d, const char *name, yaml_node_t *v, char *err,
                      size_t errlen)
{
    const char *type = scalar_of(get(d, v, "type"));
    if (!type) {
        snprintf(err, errlen, "%s: no type", name);
        return -1;
    }
    bool array = false;
    yaml_node_t *norm = get(d, v, "normalize");
    if (norm && norm->type == YAML_SEQUENCE_NODE)
        for (yaml_node_item_t *it = ITEMS(norm)) {
            const char *s = scalar_of(yaml_document_get_node(d, *it));
            array |= s && strcmp(s, "array") == 0;
        }
    if (t_ecs_add_field(m, name, type, array, scalar_of(get(d, v, "object_type")))) {
        snprintf(err, errlen, "%s: listed twice, or out of memory", name);
        return -1;
    }
    yaml_node_t *av = get(d, v, "allowed_values");
    if (!av || av->type != YAML_SEQUENCE_NODE)
        return 0;
    for (yaml_node_item_t *it = ITEMS(av)) {
        yaml_node_t *one = yaml_document_get_node(d, *it);
        const char *val = scalar_of(get(d, one, "name"));
        if (!val)
            continue;
        int rc;
        if (strcmp(name, "event.category") == 0) {
            rc = t_ecs_add_category_type(m, val, NULL);
            yaml_node_t *types = get(d, one, "expected_event_types");
            if (types && types->type == YAML_SEQUENCE_NODE)
                for (yaml_node_item_t *t = types->data.sequence.items.start;
                     rc == 0 && t < types->data.sequence.items.top; t++) {
                    const char *ty = scalar_of(yaml_document_get_node(d, *t));
                    if (ty)
                        rc = t_ecs_add_category_type(m, val, ty);
                }
        } else {
            rc = t_ecs_add_allowed(m, name, val);
        }
        if (rc) {
            snprintf(err, errlen, "%s: allowed value '%s' twice, or out of memory", name, val);
            return -1;
        }
    }
    return 0;
}

/* The version from SOURCE_COMMIT beside the schema: "... (vX.Y.Z)". */
static int version_beside(const char *schema, char *out, size_t cap)
{
    const char *slash = strrchr(schema, '/');
    char path[4096];
    snprintf(path, sizeof path, "%.*sSOURCE_COMMIT", slash ? (int)(slash - schema + 1) : 0, schema);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    int rc = -1;
    while (rc && fgets(line, sizeof line, f)) {
        char *v = strstr(line, "(v");
        if (!v)
            continue;
        v += 2;
        size_t n = strspn(v, "0123456789.");
        if (n && v[n] == ')' && n < cap) {
            memcpy(out, v, n);
            out[n] = 0;
            rc = 0;
        }
    }
    fclose(f);
    return rc;
}

static int load_schema(t_ecs *m, const char *path, const char *version)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ecscheck: %s: %s\n", path, strerror(errno));
        return -1;
    }
    yaml_parser_t p;
    yaml_document_t d;
    int rc = -1;
    if (!yaml_parser_initialize(&p)) {
        fclose(f);
        fprintf(stderr, "ecscheck: out of memory\n");
        return -1;
    }
    yaml_parser_set_input_file(&p, f);
    if (!yaml_parser_load(&p, &d)) {
        fprintf(stderr, "ecscheck: %s:%zu: %s\n", path, p.problem_mark.line + 1,
                p.problem ? p.problem : "YAML error");
        goto out;
    }
    yaml_node_t *root = yaml_document_get_root_node(&d);
    char err[512] = "";
    if (!root || root->type != YAML_MAPPING_NODE) {
        snprintf(err, sizeof err, "not a mapping of field names");
    } else {
        rc = 0;
        for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
             rc == 0 && pr < root->data.mapping.pairs.top; pr++) {
            const char *name = scalar_of(yaml_document_get_node(&d, pr->key));
            yaml_node_t *v = yaml_document_get_node(&d, pr->value);
            rc = name ? load_field(m, &d, name, v, err, sizeof err) : -1;
        }
    }
    yaml_document_delete(&d);
    if (rc == 0) {
        char v[64];
        if (!version && version_beside(path, v, sizeof v) == 0)
            version = v;
        if (!version) {
            snprintf(err, sizeof err, "no version: the schema does not say it, no SOURCE_COMMIT "
                                      "beside it names one; give --ecs-version");
            rc = -1;
        } else if (t_ecs_set_version(m, version)) {
            rc = -1;
        }
    }
    if (rc != 0)
        fprintf(stderr, "ecscheck: %s: %s\n", path, err[0] ? err : "out of memory");
out:
    yaml_parser_delete(&p);
    fclose(f);
    return rc;
}

/* ------------------------------------------------------------------ --check-list */

/* The line of LIST that names `name` as its second word, for messages; 0 when none. */
static unsigned long list_line(const char *list, const char *kw, const char *name)
{
    FILE *f = fopen(list, "r");
    if (!f)
        return 0;
    char line[4096];
    unsigned long ln = 0, found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        ln++;
        char *p = line + strspn(line, " \t");
        size_t a = strcspn(p, " \t\r\n");
        char *q = p + a + strspn(p + a, " \t");
        size_t b = strcspn(q, " \t\r\n");
        if (a == strlen(kw) && memcmp(p, kw, a) == 0 && b == strlen(name) && memcmp(q, name, b) == 0)
            found = ln;
    }
    fclose(f);
    return found;
}

static bool same_set(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        bool in = false;
        for (size_t k = 0; k < nb && !in; k++)
            in = strcmp(a[i], b[k]) == 0;
        if (!in)
            return false;
    }
    return true;
}

static void print_set(const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? " " : "", v[i]);
}

static long check_list(const t_ecs *schema, const t_ecs *list, const char *path)
{
    long problems = 0;
    if (strcmp(t_ecs_version(schema), t_ecs_version(list)) != 0) {
        printf("%s:%lu: -: version %s, the schema is %s\n", path, list_line(path, "version", t_ecs_version(list)),
               t_ecs_version(list), t_ecs_version(schema));
        problems++;
    }
    size_t n;
    const t_ecs_field *f = t_ecs_fields(list, &n);
    for (size_t i = 0; i < n; i++) {
        const t_ecs_field *s = t_ecs_field_get(schema, f[i].name);
        unsigned long ln = list_line(path, "field", f[i].name);
        if (!s) {
            printf("%s:%lu: %s: not a field of ECS %s\n", path, ln, f[i].name, t_ecs_version(schema));
            problems++;
            continue;
        }
        const char *so = s->object_type ? s->object_type : "-", *lo = f[i].object_type ? f[i].object_type : "-";
        if (strcmp(s->type, f[i].type) != 0 || s->array != f[i].array || strcmp(so, lo) != 0) {
            const char *json = t_ecs_json_of(s->type, s->object_type);
            printf("%s:%lu: %s: the schema says %s %s%s%s\n", path, ln, f[i].name, s->type,
                   s->array ? "[" : "", json ? json : "?", s->array ? "]" : "");
            problems++;
        }
        size_t na, nb;
        const char *const *a = t_ecs_allowed(list, f[i].name, &na);
        const char *const *b = t_ecs_allowed(schema, f[i].name, &nb);
        if (!same_set(a, na, b, nb)) {
            printf("%s:%lu: %s: allowed values differ from the schema's: ", path,
                   list_line(path, "allowed", f[i].name), f[i].name);
            print_set(b, nb);
            printf("\n");
            problems++;
        }
    }
    size_t nc;
    const char *const *cats = t_ecs_allowed(schema, "event.category", &nc);
    for (size_t i = 0; i < nc; i++) {
        size_t na, nb;
        const char *const *a = t_ecs_category_types(list, cats[i], &na);
        const char *const *b = t_ecs_category_types(schema, cats[i], &nb);
        if (!a || !same_set(a, na, b, nb)) {
            printf("%s:%lu: event.category: %s expects ", path, list_line(path, "category", cats[i]), cats[i]);
            print_set(b, nb);
            printf(" in the schema\n");
            problems++;
        }
    }
    return problems;
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    const char *schema = NULL, *fields = NULL, *check = NULL, *version = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--schema") == 0 && v)
            schema = argv[++i];
        else if (strcmp(a, "--fields") == 0 && v)
            fields = argv[++i];
        else if (strcmp(a, "--check-list") == 0 && v)
            check = argv[++i];
        else if (strcmp(a, "--ecs-version") == 0 && v)
            version = argv[++i];
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!!schema == !!fields || (check && !schema) || (!check && i >= argc)) {
        usage(stderr);
        return 2;
    }
    t_ecs *m = t_ecs_new(), *list = NULL;
    char err[512];
    int status = 2;
    if (!m)
        goto out;
    if (schema ? load_schema(m, schema, version) : t_ecs_load_list(m, fields, err, sizeof err)) {
        if (!schema)
            fprintf(stderr, "ecscheck: %s\n", err);
        goto out;
    }
    long problems = 0;
    if (check) {
        if (!(list = t_ecs_new()) || t_ecs_load_list(list, check, err, sizeof err)) {
            fprintf(stderr, "ecscheck: %s\n", list ? err : "out of memory");
            goto out;
        }
        problems += check_list(m, list, check);
    }
    bool unreadable = false;
    for (; i < argc; i++) {
        long p = t_ecs_check_file(m, argv[i], stdout);
        if (p < 0)
            unreadable = true;
        else
            problems += p;
    }
    if (fflush(stdout) != 0 || unreadable)
        status = 2;
    else
        status = problems ? 1 : 0;
out:
    t_ecs_free(list);
    t_ecs_free(m);
    return status;
}
