/* The vault's fault-injection hook: inert unless a test sets it (internal.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vault/internal.h"

long xs_vault_fault_step;
long xs_vault_fault_io;
static long steps, ios;

void xs_vault_fault_env(void)
{
    const char *e = getenv("EXSWEEP_VAULT_FAULT");
    if (!e)
        return;
    if (strncmp(e, "step:", 5) == 0)
        xs_vault_fault_step = strtol(e + 5, NULL, 10);
    else if (strncmp(e, "io:", 3) == 0)
        xs_vault_fault_io = strtol(e + 3, NULL, 10);
}

void xs_vault_step(void)
{
    if (xs_vault_fault_step > 0 && ++steps == xs_vault_fault_step)
        _exit(77); /* as kill -9: no buffers flushed, no clean-up */
}

bool xs_vault_io_ok(void)
{
    if (xs_vault_fault_io > 0 && ++ios == xs_vault_fault_io) {
        errno = EIO;
        return false;
    }
    return true;
}
