/* Open-addressing string map. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"

typedef struct slot {
    char *key;
    void *value;
    uint64_t h;
} slot;

struct xs_strmap {
    slot *s;
    size_t cap, n;
};

static uint64_t fnv(const char *k)
{
    uint64_t h = 1469598103934665603ull;
    for (; *k; k++) {
        h ^= (unsigned char)*k;
        h *= 1099511628211ull;
    }
    return h;
}

xs_strmap *xs_strmap_create(void)
{
    return calloc(1, sizeof(xs_strmap));
}

void xs_strmap_destroy(xs_strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->s[i].key);
    free(m->s);
    free(m);
}

static bool grow(xs_strmap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 64;
    slot *ns = calloc(nc, sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->s[i].key)
            continue;
        size_t j = m->s[i].h & (nc - 1);
        while (ns[j].key)
            j = (j + 1) & (nc - 1);
        ns[j] = m->s[i];
    }
    free(m->s);
    m->s = ns;
    m->cap = nc;
    return true;
}

bool xs_strmap_put(xs_strmap *m, const char *key, void *value, void **old)
{
    if (old)
        *old = NULL;
    if ((m->n + 1) * 2 > m->cap && !grow(m))
        return false;
    uint64_t h = fnv(key);
    size_t j = h & (m->cap - 1);
    while (m->s[j].key) {
        if (m->s[j].h == h && strcmp(m->s[j].key, key) == 0) {
            if (old)
                *old = m->s[j].value;
            m->s[j].value = value;
            return true;
        }
        j = (j + 1) & (m->cap - 1);
    }
    char *k = strdup(key);
    if (!k)
        return false;
    m->s[j] = (slot){k, value, h};
    m->n++;
    return true;
}

void *xs_strmap_get(const xs_strmap *m, const char *key)
{
    if (!m || !m->cap)
        return NULL;
    uint64_t h = fnv(key);
    size_t j = h & (m->cap - 1);
    while (m->s[j].key) {
        if (m->s[j].h == h && strcmp(m->s[j].key, key) == 0)
            return m->s[j].value;
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}

void xs_strmap_del(xs_strmap *m, const char *key)
{
    if (!m || !m->cap)
        return;
    size_t mask = m->cap - 1;
    uint64_t h = fnv(key);
    size_t j = h & mask;
    while (m->s[j].key && !(m->s[j].h == h && strcmp(m->s[j].key, key) == 0))
        j = (j + 1) & mask;
    if (!m->s[j].key)
        return;
    free(m->s[j].key);
    m->s[j].key = NULL;
    m->n--;
    /* linear probing without tombstones: the slots after the hole that may not be past it
     * move back into it */
    for (size_t k = (j + 1) & mask; m->s[k].key; k = (k + 1) & mask) {
        size_t home = m->s[k].h & mask;
        bool stays = j <= k ? (j < home && home <= k) : (j < home || home <= k);
        if (!stays) {
            m->s[j] = m->s[k];
            m->s[k].key = NULL;
            j = k;
        }
    }
}

size_t xs_strmap_count(const xs_strmap *m)
{
    return m ? m->n : 0;
}

