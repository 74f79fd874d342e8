/* open_memstream's close, failures kept (memstream.h). */
#include "core/memstream.h"

#include <errno.h>
#include <stdlib.h>

int xs_memclose(FILE *f, char **buf)
{
    int bad = ferror(f);
    int rc = fclose(f);
    if (rc == 0 && !bad && *buf)
        return 0;
    int e = rc != 0 ? errno : ENOMEM;
    free(*buf);
    *buf = NULL;
    errno = e;
    return -1;
}
