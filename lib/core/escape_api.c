/* The public face of the terminal escaper (include/exsweep/escape.h). */
#include "core/escape.h"
#include "exsweep/escape.h"

void exs_escape_term(FILE *f, const char *p, size_t n)
{
    xs_esc_term(f, p, n, 0);
}
