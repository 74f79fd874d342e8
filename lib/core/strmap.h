/* A string-keyed hash map (open addressing, FNV-1a). Keys are copied; values are the
 * caller's. Not thread-safe for writers; concurrent readers of a map nobody writes are fine. */
#ifndef XS_CORE_STRMAP_H
#define XS_CORE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct xs_strmap xs_strmap;

xs_strmap *xs_strmap_create(void);
/* Frees the map and its key copies (not the values). Accepts NULL. */
void xs_strmap_destroy(xs_strmap *m);
/* Inserts or replaces. *old (may be NULL) receives the replaced value or NULL. Returns false
 * when out of memory. */
bool xs_strmap_put(xs_strmap *m, const char *key, void *value, void **old);
void *xs_strmap_get(const xs_strmap *m, const char *key);
/* Removes key (and frees its copy); no-op when absent. */
void xs_strmap_del(xs_strmap *m, const char *key);
size_t xs_strmap_count(const xs_strmap *m);

#endif
