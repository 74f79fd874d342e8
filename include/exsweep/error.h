/* exsweep: result codes.
 *
 * One append-only enum for every fallible library call. Hostile input is never an error
 * of the call: it is reported as a counted warning in the scan result and the sweep goes
 * on. An error code means the call itself could not do its job.
 */
#ifndef EXSWEEP_ERROR_H
#define EXSWEEP_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum exs_rc {
    EXS_OK = 0,
    EXS_ENOMEM = 1,    /* allocation failed */
    EXS_EINVAL = 2,    /* bad argument or option */
    EXS_ENOENT = 3,    /* a path given to scan does not exist */
    EXS_EIO = 4,       /* read or write failed */
    EXS_EFORMAT = 5,   /* input is not in the expected format */
    EXS_ELIMIT = 6,    /* a size, depth or count cap was reached */
    EXS_EENGINE = 7,   /* a matching engine (Vectorscan, libyara) failed */
    EXS_ETHREAD = 8,   /* thread creation or synchronisation failed */
    EXS_EEVIDENCE = 9, /* the operation would modify evidence */
    EXS_ERULE = 10,    /* a user rule or IOC file could not be compiled or read */
    EXS_EACCES = 11,   /* a path given to scan cannot be opened: permission denied */
    EXS_EFTYPE = 12,   /* a path given to scan is neither a folder nor a regular file */
} exs_rc;

/* A static, human-readable description of rc. Never NULL. */
const char *exs_strerror(exs_rc rc);

#ifdef __cplusplus
}
#endif
#endif
