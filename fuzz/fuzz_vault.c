/* Fuzz target: a vault's manifest and journal as read back (lib/vault/lines.c, vault.c): a
 * vault may have been tampered with. The input is parsed as a manifest (entries, hash chain)
 * and as a journal (items and their states), in memory: no file is touched. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vault/internal.h"
#include "vault/item.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exs_vault *v = calloc(1, sizeof *v);
    if (!v)
        return 0;
    v->dfd = v->lockfd = -1;
    if (xs_vault_manifest_parse(v, (const char *)data, size) == EXS_OK) {
        size_t sink = 0;
        for (size_t i = 0; i < v->nents; i++)
            sink += strlen(v->ents[i].item) + strlen(v->ents[i].path) + v->ents[i].size;
        (void)sink;
    }
    exs_vault_close(v);
    xs_vault_journal j = {0};
    bool torn;
    (void)xs_vault_journal_parse((const char *)data, size, &j, &torn);
    xs_vault_journal_free(&j);
    return 0;
}
