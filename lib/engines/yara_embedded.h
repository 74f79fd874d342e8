/* The shipped rule files (the .yar files under rules/), compiled in by scripts/embed-rules.sh. */
#ifndef XS_ENGINES_YARA_EMBEDDED_H
#define XS_ENGINES_YARA_EMBEDDED_H

#include <stddef.h>

typedef struct xs_embedded_rules_file {
    const char *name; /* file name under rules/, used in compiler messages */
    const char *text; /* NUL-terminated source */
    size_t len;
} xs_embedded_rules_file;

/* Terminated by an entry whose name is NULL. */
extern const xs_embedded_rules_file xs_embedded_rules[];

#endif
