/* A string-keyed hash map (open addressing, FNV-1a). Keys are copied; values are the
 * caller's. Not thread-safe for writers; concurrent readers of a map nobody writes are fine. */
#ifndef EXS_CORE_STRMAP_H
#define EXS_CORE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct exs_strmap exs_strmap;

exs_strmap *exs_strmap_create(void);
/* Frees the map and its key copies (not the values). Accepts NULL. */
void exs_strmap_destroy(exs_strmap *m);
/* Inserts or replaces. *old (may be NULL) receives the replaced value or NULL. Returns false
 * when out of memory. */
bool exs_strmap_put(exs_strmap *m, const char *key, void *value, void **old);
void *exs_strmap_get(const exs_strmap *m, const char *key);
size_t exs_strmap_count(const exs_strmap *m);

#endif
