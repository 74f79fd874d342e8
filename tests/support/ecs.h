/* Test support: ECS conformance of JSON lines (the core of tests/tools/ecscheck.c).
 *
 * A model of what ECS allows: fields (flat name, ECS type, whether ECS normalizes the field
 * to an array, the type of an object's values), the allowed values of a few fields
 * (event.kind, event.type, event.outcome, and event.category through its categories), the
 * event types each category expects, and the ECS version. The model is filled from ECS's
 * ecs_flat.yml (ecscheck --schema, YAML through libyaml, in the tool only) or from the
 * committed list of fields exsweep may emit (docs/ecs-fields.txt, t_ecs_load_list), so that
 * `make check` checks without the third-party schema.
 *
 * A record is checked thus:
 *   - it is one well-formed JSON object (RFC 8259, valid UTF-8, no duplicated key);
 *   - every leaf (nested objects flattened with '.') is a field of the model, lies under
 *     `exsweep.` (the custom namespace), or under a field of type object (labels) or
 *     flattened; nulls are flagged (leave the field out);
 *   - the JSON type fits the ECS type: keyword, wildcard, constant_keyword, text and
 *     match_only_text a string; long, integer, short, byte, unsigned_long an integer in range;
 *     float, double, scaled_float, half_float a number; boolean true or false; date an ISO-8601
 *     date-time with a time zone; ip an IPv4 or IPv6 address; geo_point {lat, lon}, "lat,lon"
 *     or [lon, lat];
 *   - a field ECS normalizes to an array is an array (a scalar is flagged), and one it does
 *     not is a single value (an array is flagged);
 *   - allowed values are taken from the allowed list, and each event.type is one that at least
 *     one of the record's event.category values expects;
 *   - @timestamp and ecs.version are present, and ecs.version is the model's version.
 */
#ifndef XS_TEST_ECS_H
#define XS_TEST_ECS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct t_ecs t_ecs;

/* An empty model; NULL when out of memory. Free with t_ecs_free (accepts NULL). */
t_ecs *t_ecs_new(void);
void t_ecs_free(t_ecs *m);

/* Building a model. Strings are copied. Each returns 0, or -1 when out of memory or when the
 * field or value was already there. object_type may be NULL (only "keyword" is understood:
 * the object's values are strings). */
int t_ecs_add_field(t_ecs *m, const char *name, const char *type, bool array,
                    const char *object_type);
int t_ecs_add_allowed(t_ecs *m, const char *field, const char *value);
/* A category of event.category (also one of its allowed values) and one type it expects;
 * type NULL adds the category alone. */
int t_ecs_add_category_type(t_ecs *m, const char *category, const char *type);
int t_ecs_set_version(t_ecs *m, const char *version);

/* Reads a field list (docs/ecs-fields.txt: '#' comments and these lines)
 *   version 9.4.0
 *   field NAME ECS-TYPE JSON        JSON: string integer number boolean date ip geo_point
 *                                   object {string} (an object of strings), [x] an array
 *   allowed FIELD VALUE...
 *   category NAME TYPE...
 * into m. Returns 0, or -1 with a message "path:line: why" in err. A JSON column that does
 * not follow from the ECS type is an error. */
int t_ecs_load_list(t_ecs *m, const char *path, char *err, size_t errlen);

/* Each problem found: field ("-" for the record as a whole) and what is wrong. */
typedef void (*t_ecs_report)(void *ctx, const char *field, const char *problem);

/* Checks one record (a line without its line break). Returns the number of problems. */
size_t t_ecs_check_record(const t_ecs *m, const char *line, size_t n, t_ecs_report fn,
                          void *ctx);

/* Checks every line of a JSON-lines file, printing "file:line: field: problem" to out.
 * Returns the number of problems, or -1 when the file cannot be read (said on out too). */
long t_ecs_check_file(const t_ecs *m, const char *path, FILE *out);

/* The JSON value a field of ECS type `type` takes ("string", "integer", "number", "boolean",
 * "date", "ip", "geo_point", "object", "{string}" with object_type keyword, "[object]" for
 * nested), or NULL for a type this checker does not know. Static. */
const char *t_ecs_json_of(const char *type, const char *object_type);

/* Read access to the model, for comparing a list with the schema (ecscheck --check-list). */
typedef struct t_ecs_field {
    char *name, *type, *object_type; /* object_type may be NULL */
    bool array;
} t_ecs_field;
const t_ecs_field *t_ecs_field_get(const t_ecs *m, const char *name);
/* Every field, sorted by name; *n gets the count. */
const t_ecs_field *t_ecs_fields(const t_ecs *m, size_t *n);
const char *t_ecs_version(const t_ecs *m);
/* Allowed values of a field (event.category: the categories), in the order added; *n gets the
 * count (0 when the field has no list). */
const char *const *t_ecs_allowed(const t_ecs *m, const char *field, size_t *n);
/* The event types a category expects, in the order added; NULL when there is no such
 * category. */
const char *const *t_ecs_category_types(const t_ecs *m, const char *category, size_t *n);

/* Timesketch's JSON lines (exsweep scan -f timesketch), with the same JSON parser: one
 * well-formed object per line, flat (every value a string, a number or a boolean: no object,
 * array or null), keys of [a-z0-9_] only (the writer's own names), message and timestamp_desc
 * strings that are not empty, datetime an ISO 8601 date and time with a zone, and timestamp an
 * integer: the microseconds since the epoch of datetime. Returns the number of problems. */
size_t t_ts_check_record(const char *line, size_t n, t_ecs_report fn, void *ctx);
/* Every line of a file, printing "file:line: field: problem" to out; -1 when unreadable. */
long t_ts_check_file(const char *path, FILE *out);

#endif
