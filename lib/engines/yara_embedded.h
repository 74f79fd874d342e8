/* The shipped rule files (the .yar files under rules/), compiled in by scripts/embed-rules.sh. */
#ifndef EXS_ENGINES_YARA_EMBEDDED_H
#define EXS_ENGINES_YARA_EMBEDDED_H

#include <stddef.h>

typedef struct exs_embedded_rules_file {
    const char *name; /* file name under rules/, used in compiler messages */
    const char *text; /* NUL-terminated source */
    size_t len;
} exs_embedded_rules_file;

/* Terminated by an entry whose name is NULL. */
extern const exs_embedded_rules_file exs_embedded_rules[];

#endif
