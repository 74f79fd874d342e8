/* The bounded reader of a vault's JSON lines (manifest, journal): outside bytes, since a vault
 * may have been tampered with. Each line is at most XS_VAULT_MAX_LINE bytes, a flat JSON
 * object of at most XS_VAULT_MAX_FIELDS fields (lib/parsers/json.c), and there are at most
 * XS_VAULT_MAX_ENTRIES lines. */
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "parsers/json.h"
#include "vault/internal.h"

xs_str xs_vault_field(const xs_str *keys, const xs_str *vals, size_t n, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i < n; i++)
        if (keys[i].n == kl && memcmp(keys[i].p, key, kl) == 0)
            return vals[i];
    return XS_STR_NULL;
}

uint64_t xs_vault_lines(const char *p, size_t n, xs_vault_line_fn fn, void *ctx, bool *torn)
{
    static _Thread_local char scratch[XS_VAULT_MAX_LINE];
    xs_json_pair pairs[XS_VAULT_MAX_FIELDS + 1];
    xs_str keys[XS_VAULT_MAX_FIELDS], vals[XS_VAULT_MAX_FIELDS];
    uint64_t lineno = 0;
    size_t off = 0;
    *torn = false;
    while (off < n) {
        const char *nl = memchr(p + off, '\n', n - off);
        if (!nl) {
            *torn = true; /* an append cut short: the writer syncs whole lines only */
            return 0;
        }
        size_t len = (size_t)(nl - (p + off));
        lineno++;
        if (lineno > XS_VAULT_MAX_ENTRIES || len > XS_VAULT_MAX_LINE)
            return lineno;
        size_t count = 0;
        if (xs_json_flat(p + off, len, pairs, XS_VAULT_MAX_FIELDS + 1, &count, scratch) != 0 ||
            count > XS_VAULT_MAX_FIELDS)
            return lineno;
        for (size_t i = 0; i < count; i++) {
            keys[i] = pairs[i].key;
            vals[i] = pairs[i].value;
        }
        if (fn && fn(ctx, xs_str_make(p + off, len), keys, vals, count) != 0)
            return lineno;
        off += len + 1;
    }
    return 0;
}
