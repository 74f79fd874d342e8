/* Result code descriptions. */
#include "exsweep/error.h"

const char *exs_strerror(exs_rc rc)
{
    switch (rc) {
    case EXS_OK: return "success";
    case EXS_ENOMEM: return "out of memory";
    case EXS_EINVAL: return "invalid argument";
    case EXS_ENOENT: return "no such file or folder";
    case EXS_EIO: return "input/output error";
    case EXS_EFORMAT: return "unexpected format";
    case EXS_ELIMIT: return "limit reached";
    case EXS_EENGINE: return "matching engine failure";
    case EXS_ETHREAD: return "thread failure";
    case EXS_EEVIDENCE: return "refused: would modify evidence";
    case EXS_ERULE: return "rule or IOC file error";
    case EXS_EACCES: return "permission denied";
    case EXS_EFTYPE: return "not a folder or a regular file";
    }
    return "unknown error";
}
