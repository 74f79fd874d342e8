/* The vault's fault-injection hook: inert unless a test sets it (internal.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vault/internal.h"

void (*xs_vault_before_rename)(int dfd, const char *name);
bool xs_vault_no_renameat2;
long xs_vault_fault_step;
long xs_vault_fault_io;
int xs_vault_fault_errno;
static long steps, ios;

void xs_vault_fault_env(void)
{
    const char *e = getenv("EXSWEEP_VAULT_FAULT");
    if (!e)
        return;
    if (strncmp(e, "step:", 5) == 0)
        xs_vault_fault_step = strtol(e + 5, NULL, 10);
    else if (strncmp(e, "io:", 3) == 0) {
        char *end;
        xs_vault_fault_io = strtol(e + 3, &end, 10);
        static const struct {
            const char *name;
            int e;
        } names[] = {{":ENOSPC", ENOSPC}, {":EROFS", EROFS}, {":EACCES", EACCES},
                     {":EBUSY", EBUSY}};
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (strcmp(end, names[i].name) == 0)
                xs_vault_fault_errno = names[i].e;
    }
}

void xs_vault_fault_set(long step, long io, int err)
{
    xs_vault_fault_step = step;
    xs_vault_fault_io = io;
    xs_vault_fault_errno = err;
    xs_vault_fault_span = 1;
    steps = ios = 0;
}

void xs_vault_step(void)
{
    if (xs_vault_fault_step > 0 && ++steps == xs_vault_fault_step)
        _exit(77); /* as kill -9: no buffers flushed, no clean-up */
}

long xs_vault_fault_span = 1;

bool xs_vault_io_ok(void)
{
    if (xs_vault_fault_io > 0 && ++ios >= xs_vault_fault_io &&
        ios < xs_vault_fault_io + xs_vault_fault_span) {
        errno = xs_vault_fault_errno ? xs_vault_fault_errno : EIO;
        return false;
    }
    return true;
}
