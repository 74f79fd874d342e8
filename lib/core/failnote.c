/* Per-thread failure notes. */
#include <stddef.h>

#include "core/failnote.h"

static _Thread_local exs_rc noted;
static _Thread_local const char *noted_what;

void xs_failnote(exs_rc rc, const char *what)
{
    if (noted == EXS_OK && rc != EXS_OK) {
        noted = rc;
        noted_what = what;
    }
}

exs_rc xs_failnote_take(const char **what)
{
    exs_rc rc = noted;
    if (what)
        *what = noted_what ? noted_what : "";
    noted = EXS_OK;
    noted_what = NULL;
    return rc;
}
