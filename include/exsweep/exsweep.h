/* exsweep: sweep Exchange servers for ProxyLogon-family exploitation and backdoors.
 *
 * The public API: include this header only. Everything under lib/ is internal.
 */
#ifndef EXSWEEP_H
#define EXSWEEP_H

#include "collect.h"
#include "error.h"
#include "escape.h"
#include "finding.h"
#include "probe.h"
#include "results.h"
#include "scan.h"
#include "report.h"

#define EXSWEEP_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version string, EXSWEEP_VERSION at build time. */
const char *exs_version(void);

#ifdef __cplusplus
}
#endif
#endif
