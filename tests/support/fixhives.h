/* Test support: registry hives of an Exchange server, built with hivewriter.h, for the unit
 * tests (tests/unit/test-registry.c) and the end-to-end cases (build/mkhives). The benign ones
 * give no finding; each *_changes adds the attackers' changes the EXS-REG-* rules report.
 * Every builder returns a tree to build with t_hw_build and free with t_hw_free (NULL when out
 * of memory). */
#ifndef XS_TESTS_FIXHIVES_H
#define XS_TESTS_FIXHIVES_H

#include "hivewriter.h"

#define T_HIVE_T1 1615000000000LL /* 2021-03-06T03:06:40Z */
#define T_HIVE_T2 1615100000000LL /* 2021-03-07T06:53:20Z */

/* SOFTWARE of an Exchange 2016 CU19 server installed in D:\Exchange\V15 with the March 2021
 * security update (and a later update under Wow6432Node), usual Run entries and Microsoft's
 * recommended Defender exclusions. */
t_hw *t_hive_software(void);
/* SYSTEM whose Select\Current is current (ControlSet001 and 002 alike): usual services,
 * Defender's, Exchange's, and MSExchangeUM/UMCR disabled. */
t_hw *t_hive_system(unsigned current);
/* A user's NTUSER.DAT with OneDrive in its Run key. */
t_hw *t_hive_ntuser(void);

/* Autoruns from ProgramData, the web folders and an encoded PowerShell; Defender exclusions of
 * the web folders, .aspx, every extension, a drive and the Exchange install; LSASS set to be
 * dumped on exit; EOMT's stages. */
void t_hive_software_changes(t_hw *w);
/* In ControlSet002 (the set in use of t_hive_system(2)): DearCry's msupdate, a cmd service in
 * Windows\Temp, a svchost service whose DLL is in ProgramData, a service in owa\auth, WDigest
 * on; ControlSet001 gets a ProgramData service that is not reported (not the set in use). */
void t_hive_system_changes(t_hw *w);
/* An mshta autorun fetching a scriptlet, and a rundll32 one that is Windows' own. */
void t_hive_ntuser_changes(t_hw *w);

#endif
