/* The event of an array of (name, value) pairs: a CSV row, an IIS line, a flattened JSON
 * export, the tests' hand-written events. */
#include "core/limits.h"
#include "sigma/sigma.h"

static size_t kv_field(void *ctx, const char *name, xs_str *out, size_t cap)
{
    const xs_sigma_kvs *k = ctx;
    size_t len = strlen(name), n = 0;
    for (size_t i = 0; i < k->n; i++)
        if (k->kv[i].name.n == len && xs_mem_ieq(k->kv[i].name.p, name, len)) {
            if (n < cap)
                out[n] = k->kv[i].value;
            n++;
        }
    return n;
}

static bool kv_each(void *ctx, bool (*fn)(void *arg, xs_str value), void *arg)
{
    const xs_sigma_kvs *k = ctx;
    for (size_t i = 0; i < k->n; i++)
        if (fn(arg, k->kv[i].value))
            return true;
    return false;
}

xs_sigma_event xs_sigma_kv_event(const xs_sigma_kvs *kvs)
{
    return (xs_sigma_event){(void *)kvs, kv_field, kv_each};
}
