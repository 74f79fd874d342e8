/* tscheck: Timesketch JSON lines (exsweep scan -f timesketch), for tests.
 *
 *   tscheck FILE...     (- reads standard input)
 *
 * What a record must be is said in tests/support/ecs.h (t_ts_check_record): one flat JSON
 * object per line with message, datetime, timestamp and timestamp_desc of the right types,
 * timestamp the microseconds of datetime. Output: one line per problem, "file:line: field:
 * problem". Exit status 0 when there is none, 1 when there are, 2 on usage errors or an
 * unreadable file.
 */
#include <stdio.h>
#include <string.h>

#include "ecs.h"

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs("usage: tscheck FILE...\n", argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    long problems = 0;
    int unreadable = 0;
    for (int i = 1; i < argc; i++) {
        long p = t_ts_check_file(argv[i], stdout);
        if (p < 0)
            unreadable = 1;
        else
            problems += p;
    }
    if (fflush(stdout) != 0 || unreadable)
        return 2;
    return problems ? 1 : 0;
}
