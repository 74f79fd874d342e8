/* A rule file's YAML read into a tree with libyaml's event API, every size capped
 * (XS_SIGMA_MAX_YAML_DEPTH, XS_SIGMA_MAX_NODES, XS_SIGMA_MAX_STRING, XS_SIGMA_MAX_DOCS). An
 * alias is refused rather than expanded: no rule needs one, and expanding them is how a few
 * bytes of YAML become gigabytes. */
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "core/limits.h"
#include "sigma/internal.h"

static xs_ynode *node_new(xs_arena *a, xs_ykind kind, unsigned long line)
{
    xs_ynode *y = xs_arena_alloc(a, sizeof *y);
    if (y) {
        memset(y, 0, sizeof *y);
        y->kind = kind;
        y->line = line;
    }
    return y;
}

static void add_child(xs_ynode *parent, xs_ynode *kid)
{
    if (parent->last)
        parent->last->next = kid;
    else
        parent->first = kid;
    parent->last = kid;
    parent->count++;
}

xs_ynode *xs_yaml_parse(const char *buf, size_t n, xs_arena *a, char *err, size_t errcap)
{
    yaml_parser_t p;
    yaml_event_t ev;
    xs_ynode *stack[XS_SIGMA_MAX_YAML_DEPTH + 2];
    size_t depth = 0, nodes = 0, docs = 0;
    xs_ynode *stream = NULL, *out = NULL;
    bool done = false;

    err[0] = '\0';
    if (!yaml_parser_initialize(&p)) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, n);
    stream = node_new(a, XS_Y_SEQ, 1);
    if (!stream) {
        snprintf(err, errcap, "out of memory");
        goto out;
    }
    while (!done) {
        if (!yaml_parser_parse(&p, &ev)) {
            if (p.error == YAML_MEMORY_ERROR)
                snprintf(err, errcap, "out of memory");
            else
                snprintf(err, errcap, "yaml: %s at line %lu", p.problem ? p.problem : "error",
                         (unsigned long)p.problem_mark.line + 1);
            goto out;
        }
        unsigned long line = (unsigned long)ev.start_mark.line + 1;
        xs_ynode *y = NULL;
        bool open = false, close = false;
        yaml_event_type_t type = ev.type; /* yaml_event_delete clears ev */
        switch (type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > XS_SIGMA_MAX_DOCS) {
                snprintf(err, errcap, "limit: more than %d YAML documents", XS_SIGMA_MAX_DOCS);
                yaml_event_delete(&ev);
                goto out;
            }
            break;
        case YAML_ALIAS_EVENT:
            snprintf(err, errcap, "yaml: alias at line %lu (not supported)", line);
            yaml_event_delete(&ev);
            goto out;
        case YAML_SCALAR_EVENT:
            if (ev.data.scalar.length > XS_SIGMA_MAX_STRING) {
                snprintf(err, errcap, "limit: a YAML string of more than %d bytes at line %lu",
                         XS_SIGMA_MAX_STRING, line);
                yaml_event_delete(&ev);
                goto out;
            }
            y = node_new(a, XS_Y_SCALAR, line);
            if (y) {
                y->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
                y->n = ev.data.scalar.length;
                y->s = xs_arena_strndup(a, (const char *)ev.data.scalar.value, y->n);
                if (!y->s)
                    y = NULL;
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
            y = node_new(a, XS_Y_SEQ, line);
            open = true;
            break;
        case YAML_MAPPING_START_EVENT:
            y = node_new(a, XS_Y_MAP, line);
            open = true;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            close = true;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (close) {
            if (depth)
                depth--;
            continue;
        }
        if (type != YAML_SCALAR_EVENT && !open)
            continue;
        if (!y) {
            snprintf(err, errcap, "out of memory");
            goto out;
        }
        if (++nodes > XS_SIGMA_MAX_NODES) {
            snprintf(err, errcap, "limit: more than %d YAML nodes", XS_SIGMA_MAX_NODES);
            goto out;
        }
        add_child(depth ? stack[depth - 1] : stream, y);
        if (open) {
            if (depth >= XS_SIGMA_MAX_YAML_DEPTH) {
                snprintf(err, errcap, "limit: YAML nested more than %d deep at line %lu",
                         XS_SIGMA_MAX_YAML_DEPTH, line);
                goto out;
            }
            stack[depth++] = y;
        }
    }
    out = stream;
out:
    yaml_parser_delete(&p);
    return out;
}

const xs_ynode *xs_ymap_get(const xs_ynode *m, const char *key)
{
    const xs_ynode *found = NULL;
    if (!m || m->kind != XS_Y_MAP)
        return NULL;
    for (const xs_ynode *k = m->first; k && k->next; k = k->next->next)
        if (k->kind == XS_Y_SCALAR && strcmp(k->s, key) == 0)
            found = k->next;
    return found;
}

bool xs_ynull(const xs_ynode *v)
{
    if (!v || v->kind != XS_Y_SCALAR || !v->plain)
        return false;
    return v->n == 0 || strcmp(v->s, "null") == 0 || strcmp(v->s, "Null") == 0 ||
           strcmp(v->s, "NULL") == 0 || strcmp(v->s, "~") == 0;
}
