/* Test support: JSON lines held in memory, read back as results. */
#ifndef XS_TEST_JSONLTEXT_H
#define XS_TEST_JSONLTEXT_H

#include <stddef.h>

#include "exsweep/results.h"

/* Writes len bytes of text to a temporary file and returns what exs_results_read_jsonl makes
 * of it (*out, err as it says); the file is removed. Aborts when the file cannot be written. */
exs_rc t_read_jsonl(const char *text, size_t len, exs_results **out, char *err, size_t errlen);

/* Replaces the first from in the malloc'd string *t by to; aborts when from is not there. */
void t_replace(char **t, const char *from, const char *to);

#endif
