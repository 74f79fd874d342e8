/* The Exchange build table and the per-family decision (buildtab.h).
 *
 * Sources of the facts, all public:
 *  - Microsoft, "Exchange Server build numbers and release dates"
 *    (learn.microsoft.com/en-us/exchange/new-features/build-numbers-and-release-dates, the
 *    revision of 2026-05-29): every RTM, SP1 and CU of 2013, 2016, 2019 and SE with its date,
 *    and every security and hotfix update from Mar21SU on (the page lists none before).
 *  - KB numbers: Microsoft's ExchangeBuildNumbers.csv (microsoft/Get-ExchangeBuildNumber on
 *    GitHub), which names one KB a month; where an update had one KB per product (Jul21SU,
 *    Mar22SU) the product's own is given, from Microsoft's Security Updates API as Tenable's
 *    "Security Updates for Exchange (<month>)" plugins quote it. Exchange 2013 CU14 has "":
 *    that file gives it Exchange 2016 CU3's KB, and no other source was found.
 *  - Updates before Mar21SU: the builds from Microsoft's Health Checker
 *    (github.com/microsoft/CSS-Exchange, Shared/Get-ExchangeBuildVersionInformation.ps1,
 *    GetExchangeBuildDictionary), their KB and release date from the Tenable plugin of the month.
 *
 * Conventions: Health Checker's "CU4" of Exchange 2013 is SP1 here (Microsoft's name), and
 * its Feb19SU entries that carry a CU's own build are that CU's row (2013 CU22, 2016 CU12,
 * 2019 CU1 shipped that month's fixes). Exchange 2016 CU8 and CU9 have two Mar21SU rows each:
 * Microsoft's page says 15.1.1415.10 and 15.1.1466.16, Health Checker 15.1.1415.8 and
 * 15.1.1466.13. Both are kept: no other update for those CUs came after May/Aug 2018, so any
 * build at or above the lower one is the March 2021 update, whichever source is right.
 * Not in the table: the Preview builds (15.1.225.16, 15.2.196.0), and pre-2021 updates of
 * CUs Health Checker lists none for (Tenable names 15.0.847.59, 15.0.847.62, 15.2.221.14).
 *
 * What each row fixes (the families of buildtab.h): a build released on or after
 *  - 2021-03-02 (Mar21SU, also for the old CUs; CUs from 2016 CU20 / 2019 CU9) has ProxyLogon's;
 *  - 2021-05-11 (May21SU; CUs from 2016 CU21 / 2019 CU10) has ProxyShell's: Apr21SU fixed
 *    CVE-2021-34473 and -34523 but CVE-2021-31207 only came with May21SU;
 *  - 2022-11-08 (Nov22SU; CUs from 2019 CU13, SE) has ProxyNotShell's and OWASSRF's.
 * Updates are cumulative within their CU, and a CU contains every update released before it,
 * so the release date decides; the bits below are written out, and the unit tests pin them.
 */
#include "state/buildtab.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define E13 "Exchange Server 2013"
#define E16 "Exchange Server 2016"
#define E19 "Exchange Server 2019"
#define ESE "Exchange Server SE"

#define PL (1u << XS_FAM_PROXYLOGON)
#define PS (1u << XS_FAM_PROXYSHELL)
#define PNS (1u << XS_FAM_PROXYNOTSHELL)

/* product, CU, update, KB, build, released, fixed; sorted by build. */
static const xs_build_row rows[] = {
    /* Exchange Server 2013 */
    {E13, "RTM", "", "", "15.0.516.32", "2012-12-03", 0},
    {E13, "CU1", "", "KB2816900", "15.0.620.29", "2013-04-02", 0},
    {E13, "CU2", "", "KB2859928", "15.0.712.24", "2013-07-09", 0},
    {E13, "CU3", "", "KB2892464", "15.0.775.38", "2013-11-25", 0},
    {E13, "SP1", "", "KB2926248", "15.0.847.32", "2014-02-25", 0},
    {E13, "SP1", "Mar21SU", "KB5000871", "15.0.847.64", "2021-03-02", PL},
    {E13, "CU5", "", "KB2936880", "15.0.913.22", "2014-05-27", 0},
    {E13, "CU6", "", "KB2961810", "15.0.995.29", "2014-08-26", 0},
    {E13, "CU7", "", "KB2986485", "15.0.1044.25", "2014-12-09", 0},
    {E13, "CU8", "", "KB3030080", "15.0.1076.9", "2015-03-17", 0},
    {E13, "CU9", "", "KB3049849", "15.0.1104.5", "2015-06-17", 0},
    {E13, "CU10", "", "KB3078678", "15.0.1130.7", "2015-09-15", 0},
    {E13, "CU11", "", "KB3099522", "15.0.1156.6", "2015-12-15", 0},
    {E13, "CU12", "", "KB3108023", "15.0.1178.4", "2016-03-15", 0},
    {E13, "CU13", "", "KB3135743", "15.0.1210.3", "2016-06-21", 0},
    {E13, "CU14", "", "", "15.0.1236.3", "2016-09-20", 0},
    {E13, "CU15", "", "KB3197044", "15.0.1263.5", "2016-12-13", 0},
    {E13, "CU16", "", "KB4012112", "15.0.1293.2", "2017-03-21", 0},
    {E13, "CU17", "", "KB4012114", "15.0.1320.4", "2017-06-27", 0},
    {E13, "CU18", "", "KB4022631", "15.0.1347.2", "2017-09-19", 0},
    {E13, "CU18", "Mar18SU", "KB4073392", "15.0.1347.5", "2018-03-13", 0},
    {E13, "CU19", "", "KB4037224", "15.0.1365.1", "2017-12-19", 0},
    {E13, "CU19", "Mar18SU", "KB4073392", "15.0.1365.3", "2018-03-13", 0},
    {E13, "CU19", "May18SU", "KB4092041", "15.0.1365.7", "2018-05-08", 0},
    {E13, "CU20", "", "KB4055221", "15.0.1367.3", "2018-03-20", 0},
    {E13, "CU20", "May18SU", "KB4092041", "15.0.1367.6", "2018-05-08", 0},
    {E13, "CU20", "Aug18SU", "KB4340731", "15.0.1367.9", "2018-08-14", 0},
    {E13, "CU21", "", "KB4099855", "15.0.1395.4", "2018-06-19", 0},
    {E13, "CU21", "Aug18SU", "KB4340731", "15.0.1395.7", "2018-08-14", 0},
    {E13, "CU21", "Oct18SU", "KB4459266", "15.0.1395.8", "2018-10-09", 0},
    {E13, "CU21", "Jan19SU", "KB4471389", "15.0.1395.10", "2019-01-08", 0},
    {E13, "CU21", "Mar21SU", "KB5000871", "15.0.1395.12", "2021-03-02", PL},
    {E13, "CU22", "", "KB4345836", "15.0.1473.3", "2019-02-12", 0},
    {E13, "CU22", "Apr19SU", "KB4487563", "15.0.1473.4", "2019-04-09", 0},
    {E13, "CU22", "Jun19SU", "KB4503028", "15.0.1473.5", "2019-06-11", 0},
    {E13, "CU22", "Mar21SU", "KB5000871", "15.0.1473.6", "2021-03-02", PL},
    {E13, "CU23", "", "KB4489622", "15.0.1497.2", "2019-06-18", 0},
    {E13, "CU23", "Jul19SU", "KB4509409", "15.0.1497.3", "2019-07-09", 0},
    {E13, "CU23", "Nov19SU", "KB4523171", "15.0.1497.4", "2019-11-12", 0},
    {E13, "CU23", "Feb20SU", "KB4536988", "15.0.1497.6", "2020-02-11", 0},
    {E13, "CU23", "Oct20SU", "KB4581424", "15.0.1497.7", "2020-10-13", 0},
    {E13, "CU23", "Nov20SU", "KB4588741", "15.0.1497.8", "2020-11-10", 0},
    {E13, "CU23", "Dec20SU", "KB4593466", "15.0.1497.10", "2020-12-08", 0},
    {E13, "CU23", "Mar21SU", "KB5000871", "15.0.1497.12", "2021-03-02", PL},
    {E13, "CU23", "Apr21SU", "KB5001779", "15.0.1497.15", "2021-04-13", PL},
    {E13, "CU23", "May21SU", "KB5003435", "15.0.1497.18", "2021-05-11", PL | PS},
    {E13, "CU23", "Jul21SU", "KB5004778", "15.0.1497.23", "2021-07-13", PL | PS},
    {E13, "CU23", "Oct21SU", "KB5007011", "15.0.1497.24", "2021-10-12", PL | PS},
    {E13, "CU23", "Nov21SU", "KB5007409", "15.0.1497.26", "2021-11-09", PL | PS},
    {E13, "CU23", "Jan22SU", "KB5008631", "15.0.1497.28", "2022-01-11", PL | PS},
    {E13, "CU23", "Mar22SU", "KB5010324", "15.0.1497.33", "2022-03-08", PL | PS},
    {E13, "CU23", "May22SU", "KB5014260", "15.0.1497.36", "2022-05-10", PL | PS},
    {E13, "CU23", "Aug22SU", "KB5015321", "15.0.1497.40", "2022-08-09", PL | PS},
    {E13, "CU23", "Oct22SU", "KB5019076", "15.0.1497.42", "2022-10-11", PL | PS},
    {E13, "CU23", "Nov22SU", "KB5019758", "15.0.1497.44", "2022-11-08", PL | PS | PNS},
    {E13, "CU23", "Jan23SU", "KB5022188", "15.0.1497.45", "2023-01-10", PL | PS | PNS},
    {E13, "CU23", "Feb23SU", "KB5023038", "15.0.1497.47", "2023-02-14", PL | PS | PNS},
    {E13, "CU23", "Mar23SU", "KB5024296", "15.0.1497.48", "2023-03-14", PL | PS | PNS},
    /* Exchange Server 2016 */
    {E16, "RTM", "", "", "15.1.225.42", "2015-10-01", 0},
    {E16, "CU1", "", "KB3134844", "15.1.396.30", "2016-03-15", 0},
    {E16, "CU2", "", "KB3135742", "15.1.466.34", "2016-06-21", 0},
    {E16, "CU3", "", "KB3152589", "15.1.544.27", "2016-09-20", 0},
    {E16, "CU4", "", "KB3177106", "15.1.669.32", "2016-12-13", 0},
    {E16, "CU5", "", "KB4012106", "15.1.845.34", "2017-03-21", 0},
    {E16, "CU6", "", "KB4012108", "15.1.1034.26", "2017-06-27", 0},
    {E16, "CU7", "", "KB4018115", "15.1.1261.35", "2017-09-19", 0},
    {E16, "CU7", "Mar18SU", "KB4073392", "15.1.1261.39", "2018-03-13", 0},
    {E16, "CU8", "", "KB4035145", "15.1.1415.2", "2017-12-19", 0},
    {E16, "CU8", "Mar18SU", "KB4073392", "15.1.1415.4", "2018-03-13", 0},
    {E16, "CU8", "May18SU", "KB4092041", "15.1.1415.7", "2018-05-08", 0},
    {E16, "CU8", "Mar21SU", "KB5000871", "15.1.1415.8", "2021-03-02", PL},
    {E16, "CU8", "Mar21SU", "KB5000871", "15.1.1415.10", "2021-03-02", PL},
    {E16, "CU9", "", "KB4055222", "15.1.1466.3", "2018-03-20", 0},
    {E16, "CU9", "May18SU", "KB4092041", "15.1.1466.8", "2018-05-08", 0},
    {E16, "CU9", "Aug18SU", "KB4340731", "15.1.1466.9", "2018-08-14", 0},
    {E16, "CU9", "Mar21SU", "KB5000871", "15.1.1466.13", "2021-03-02", PL},
    {E16, "CU9", "Mar21SU", "KB5000871", "15.1.1466.16", "2021-03-02", PL},
    {E16, "CU10", "", "KB4099852", "15.1.1531.3", "2018-06-19", 0},
    {E16, "CU10", "Aug18SU", "KB4340731", "15.1.1531.6", "2018-08-14", 0},
    {E16, "CU10", "Oct18SU", "KB4459266", "15.1.1531.8", "2018-10-09", 0},
    {E16, "CU10", "Jan19SU", "KB4471389", "15.1.1531.10", "2019-01-08", 0},
    {E16, "CU10", "Mar21SU", "KB5000871", "15.1.1531.12", "2021-03-02", PL},
    {E16, "CU11", "", "KB4134118", "15.1.1591.10", "2018-10-16", 0},
    {E16, "CU11", "Dec18SU", "KB4468741", "15.1.1591.11", "2018-12-11", 0},
    {E16, "CU11", "Jan19SU", "KB4471389", "15.1.1591.13", "2019-01-08", 0},
    {E16, "CU11", "Apr19SU", "KB4487563", "15.1.1591.16", "2019-04-09", 0},
    {E16, "CU11", "Jun19SU", "KB4503028", "15.1.1591.17", "2019-06-11", 0},
    {E16, "CU11", "Mar21SU", "KB5000871", "15.1.1591.18", "2021-03-02", PL},
    {E16, "CU12", "", "KB4471392", "15.1.1713.5", "2019-02-12", 0},
    {E16, "CU12", "Apr19SU", "KB4487563", "15.1.1713.6", "2019-04-09", 0},
    {E16, "CU12", "Jun19SU", "KB4503028", "15.1.1713.7", "2019-06-11", 0},
    {E16, "CU12", "Jul19SU", "KB4509409", "15.1.1713.8", "2019-07-09", 0},
    {E16, "CU12", "Sep19SU", "KB4515832", "15.1.1713.9", "2019-09-10", 0},
    {E16, "CU12", "Mar21SU", "KB5000871", "15.1.1713.10", "2021-03-02", PL},
    {E16, "CU13", "", "KB4488406", "15.1.1779.2", "2019-06-18", 0},
    {E16, "CU13", "Jul19SU", "KB4509409", "15.1.1779.4", "2019-07-09", 0},
    {E16, "CU13", "Sep19SU", "KB4515832", "15.1.1779.5", "2019-09-10", 0},
    {E16, "CU13", "Nov19SU", "KB4523171", "15.1.1779.7", "2019-11-12", 0},
    {E16, "CU13", "Mar21SU", "KB5000871", "15.1.1779.8", "2021-03-02", PL},
    {E16, "CU14", "", "KB4514140", "15.1.1847.3", "2019-09-17", 0},
    {E16, "CU14", "Nov19SU", "KB4523171", "15.1.1847.5", "2019-11-12", 0},
    {E16, "CU14", "Feb20SU", "KB4536987", "15.1.1847.7", "2020-02-11", 0},
    {E16, "CU14", "Mar20SU", "KB4540123", "15.1.1847.10", "2020-03-10", 0},
    {E16, "CU14", "Mar21SU", "KB5000871", "15.1.1847.12", "2021-03-02", PL},
    {E16, "CU15", "", "KB4522150", "15.1.1913.5", "2019-12-17", 0},
    {E16, "CU15", "Feb20SU", "KB4536987", "15.1.1913.7", "2020-02-11", 0},
    {E16, "CU15", "Mar20SU", "KB4540123", "15.1.1913.10", "2020-03-10", 0},
    {E16, "CU15", "Mar21SU", "KB5000871", "15.1.1913.12", "2021-03-02", PL},
    {E16, "CU16", "", "KB4537678", "15.1.1979.3", "2020-03-17", 0},
    {E16, "CU16", "Sep20SU", "KB4577352", "15.1.1979.6", "2020-09-08", 0},
    {E16, "CU16", "Mar21SU", "KB5000871", "15.1.1979.8", "2021-03-02", PL},
    {E16, "CU17", "", "KB4556414", "15.1.2044.4", "2020-06-16", 0},
    {E16, "CU17", "Sep20SU", "KB4577352", "15.1.2044.6", "2020-09-08", 0},
    {E16, "CU17", "Oct20SU", "KB4581424", "15.1.2044.7", "2020-10-13", 0},
    {E16, "CU17", "Nov20SU", "KB4588741", "15.1.2044.8", "2020-11-10", 0},
    {E16, "CU17", "Dec20SU", "KB4593465", "15.1.2044.12", "2020-12-08", 0},
    {E16, "CU17", "Mar21SU", "KB5000871", "15.1.2044.13", "2021-03-02", PL},
    {E16, "CU18", "", "KB4571788", "15.1.2106.2", "2020-09-15", 0},
    {E16, "CU18", "Oct20SU", "KB4581424", "15.1.2106.3", "2020-10-13", 0},
    {E16, "CU18", "Nov20SU", "KB4588741", "15.1.2106.4", "2020-11-10", 0},
    {E16, "CU18", "Dec20SU", "KB4593465", "15.1.2106.6", "2020-12-08", 0},
    {E16, "CU18", "Feb21SU", "KB4602269", "15.1.2106.8", "2021-02-09", 0},
    {E16, "CU18", "Mar21SU", "KB5000871", "15.1.2106.13", "2021-03-02", PL},
    {E16, "CU19", "", "KB4588884", "15.1.2176.2", "2020-12-15", 0},
    {E16, "CU19", "Feb21SU", "KB4602269", "15.1.2176.4", "2021-02-09", 0},
    {E16, "CU19", "Mar21SU", "KB5000871", "15.1.2176.9", "2021-03-02", PL},
    {E16, "CU19", "Apr21SU", "KB5001779", "15.1.2176.12", "2021-04-13", PL},
    {E16, "CU19", "May21SU", "KB5003435", "15.1.2176.14", "2021-05-11", PL | PS},
    {E16, "CU20", "", "KB4602569", "15.1.2242.4", "2021-03-16", PL},
    {E16, "CU20", "Apr21SU", "KB5001779", "15.1.2242.8", "2021-04-13", PL},
    {E16, "CU20", "May21SU", "KB5003435", "15.1.2242.10", "2021-05-11", PL | PS},
    {E16, "CU20", "Jul21SU", "KB5004779", "15.1.2242.12", "2021-07-13", PL | PS},
    {E16, "CU21", "", "KB5003611", "15.1.2308.8", "2021-06-29", PL | PS},
    {E16, "CU21", "Jul21SU", "KB5004779", "15.1.2308.14", "2021-07-13", PL | PS},
    {E16, "CU21", "Oct21SU", "KB5007011", "15.1.2308.15", "2021-10-12", PL | PS},
    {E16, "CU21", "Nov21SU", "KB5007409", "15.1.2308.20", "2021-11-09", PL | PS},
    {E16, "CU21", "Jan22SU", "KB5008631", "15.1.2308.21", "2022-01-11", PL | PS},
    {E16, "CU21", "Mar22SU", "KB5012698", "15.1.2308.27", "2022-03-08", PL | PS},
    {E16, "CU22", "", "KB5005333", "15.1.2375.7", "2021-09-28", PL | PS},
    {E16, "CU22", "Oct21SU", "KB5007011", "15.1.2375.12", "2021-10-12", PL | PS},
    {E16, "CU22", "Nov21SU", "KB5007409", "15.1.2375.17", "2021-11-09", PL | PS},
    {E16, "CU22", "Jan22SU", "KB5008631", "15.1.2375.18", "2022-01-11", PL | PS},
    {E16, "CU22", "Mar22SU", "KB5012698", "15.1.2375.24", "2022-03-08", PL | PS},
    {E16, "CU22", "May22SU", "KB5014261", "15.1.2375.28", "2022-05-10", PL | PS},
    {E16, "CU22", "Aug22SU", "KB5015321", "15.1.2375.31", "2022-08-09", PL | PS},
    {E16, "CU22", "Oct22SU", "KB5019076", "15.1.2375.32", "2022-10-11", PL | PS},
    {E16, "CU22", "Nov22SU", "KB5019758", "15.1.2375.37", "2022-11-08", PL | PS | PNS},
    {E16, "CU23", "", "KB5011155", "15.1.2507.6", "2022-04-20", PL | PS},
    {E16, "CU23", "May22SU", "KB5014261", "15.1.2507.9", "2022-05-10", PL | PS},
    {E16, "CU23", "Aug22SU", "KB5015321", "15.1.2507.12", "2022-08-09", PL | PS},
    {E16, "CU23", "Oct22SU", "KB5019076", "15.1.2507.13", "2022-10-11", PL | PS},
    {E16, "CU23", "Nov22SU", "KB5019758", "15.1.2507.16", "2022-11-08", PL | PS | PNS},
    {E16, "CU23", "Jan23SU", "KB5022188", "15.1.2507.17", "2023-01-10", PL | PS | PNS},
    {E16, "CU23", "Feb23SU", "KB5023038", "15.1.2507.21", "2023-02-14", PL | PS | PNS},
    {E16, "CU23", "Mar23SU", "KB5024296", "15.1.2507.23", "2023-03-14", PL | PS | PNS},
    {E16, "CU23", "Jun23SU", "KB5025903", "15.1.2507.27", "2023-06-13", PL | PS | PNS},
    {E16, "CU23", "Aug23SU", "KB5029388", "15.1.2507.31", "2023-08-08", PL | PS | PNS},
    {E16, "CU23", "Aug23SUv2", "KB5030524", "15.1.2507.32", "2023-08-15", PL | PS | PNS},
    {E16, "CU23", "Oct23SU", "KB5030877", "15.1.2507.34", "2023-10-10", PL | PS | PNS},
    {E16, "CU23", "Nov23SU", "KB5032147", "15.1.2507.35", "2023-11-14", PL | PS | PNS},
    {E16, "CU23", "Mar24SU", "KB5036386", "15.1.2507.37", "2024-03-12", PL | PS | PNS},
    {E16, "CU23", "Apr24HU", "KB5037224", "15.1.2507.39", "2024-04-23", PL | PS | PNS},
    {E16, "CU23", "Nov24SU", "KB5044062", "15.1.2507.43", "2024-11-12", PL | PS | PNS},
    {E16, "CU23", "Nov24SUv2", "KB5049233", "15.1.2507.44", "2024-11-27", PL | PS | PNS},
    {E16, "CU23", "Apr25HU", "KB5050674", "15.1.2507.55", "2025-04-18", PL | PS | PNS},
    {E16, "CU23", "May25HU", "KB5057653", "15.1.2507.57", "2025-05-29", PL | PS | PNS},
    {E16, "CU23", "Aug25SU", "KB5063223", "15.1.2507.58", "2025-08-12", PL | PS | PNS},
    {E16, "CU23", "Sep25HU", "KB5066370", "15.1.2507.59", "2025-09-08", PL | PS | PNS},
    {E16, "CU23", "Oct25SU", "KB5066369", "15.1.2507.61", "2025-10-14", PL | PS | PNS},
    {E16, "CU23", "Dec25SU", "KB5071873", "15.1.2507.63", "2025-12-09", PL | PS | PNS},
    {E16, "CU23", "Feb26SU", "KB5074995", "15.1.2507.66", "2026-02-10", PL | PS | PNS},
    /* Exchange Server 2019 */
    {E19, "RTM", "", "", "15.2.221.12", "2018-10-22", 0},
    {E19, "RTM", "Mar21SU", "KB5000871", "15.2.221.18", "2021-03-02", PL},
    {E19, "CU1", "", "KB4471391", "15.2.330.5", "2019-02-12", 0},
    {E19, "CU1", "Apr19SU", "KB4487563", "15.2.330.7", "2019-04-09", 0},
    {E19, "CU1", "Jun19SU", "KB4503027", "15.2.330.8", "2019-06-11", 0},
    {E19, "CU1", "Jul19SU", "KB4509408", "15.2.330.9", "2019-07-09", 0},
    {E19, "CU1", "Sep19SU", "KB4515832", "15.2.330.10", "2019-09-10", 0},
    {E19, "CU1", "Mar21SU", "KB5000871", "15.2.330.11", "2021-03-02", PL},
    {E19, "CU2", "", "KB4488401", "15.2.397.3", "2019-06-18", 0},
    {E19, "CU2", "Jul19SU", "KB4509408", "15.2.397.5", "2019-07-09", 0},
    {E19, "CU2", "Sep19SU", "KB4515832", "15.2.397.6", "2019-09-10", 0},
    {E19, "CU2", "Nov19SU", "KB4523171", "15.2.397.9", "2019-11-12", 0},
    {E19, "CU2", "Mar21SU", "KB5000871", "15.2.397.11", "2021-03-02", PL},
    {E19, "CU3", "", "KB4514141", "15.2.464.5", "2019-09-17", 0},
    {E19, "CU3", "Nov19SU", "KB4523171", "15.2.464.7", "2019-11-12", 0},
    {E19, "CU3", "Feb20SU", "KB4536987", "15.2.464.11", "2020-02-11", 0},
    {E19, "CU3", "Mar20SU", "KB4540123", "15.2.464.14", "2020-03-10", 0},
    {E19, "CU3", "Mar21SU", "KB5000871", "15.2.464.15", "2021-03-02", PL},
    {E19, "CU4", "", "KB4522149", "15.2.529.5", "2019-12-17", 0},
    {E19, "CU4", "Feb20SU", "KB4536987", "15.2.529.8", "2020-02-11", 0},
    {E19, "CU4", "Mar20SU", "KB4540123", "15.2.529.11", "2020-03-10", 0},
    {E19, "CU4", "Mar21SU", "KB5000871", "15.2.529.13", "2021-03-02", PL},
    {E19, "CU5", "", "KB4537677", "15.2.595.3", "2020-03-17", 0},
    {E19, "CU5", "Sep20SU", "KB4577352", "15.2.595.6", "2020-09-08", 0},
    {E19, "CU5", "Mar21SU", "KB5000871", "15.2.595.8", "2021-03-02", PL},
    {E19, "CU6", "", "KB4556415", "15.2.659.4", "2020-06-16", 0},
    {E19, "CU6", "Sep20SU", "KB4577352", "15.2.659.6", "2020-09-08", 0},
    {E19, "CU6", "Oct20SU", "KB4581424", "15.2.659.7", "2020-10-13", 0},
    {E19, "CU6", "Nov20SU", "KB4588741", "15.2.659.8", "2020-11-10", 0},
    {E19, "CU6", "Dec20SU", "KB4593465", "15.2.659.11", "2020-12-08", 0},
    {E19, "CU6", "Mar21SU", "KB5000871", "15.2.659.12", "2021-03-02", PL},
    {E19, "CU7", "", "KB4571787", "15.2.721.2", "2020-09-15", 0},
    {E19, "CU7", "Oct20SU", "KB4581424", "15.2.721.3", "2020-10-13", 0},
    {E19, "CU7", "Nov20SU", "KB4588741", "15.2.721.4", "2020-11-10", 0},
    {E19, "CU7", "Dec20SU", "KB4593465", "15.2.721.6", "2020-12-08", 0},
    {E19, "CU7", "Feb21SU", "KB4602269", "15.2.721.8", "2021-02-09", 0},
    {E19, "CU7", "Mar21SU", "KB5000871", "15.2.721.13", "2021-03-02", PL},
    {E19, "CU8", "", "KB4588885", "15.2.792.3", "2020-12-15", 0},
    {E19, "CU8", "Feb21SU", "KB4602269", "15.2.792.5", "2021-02-09", 0},
    {E19, "CU8", "Mar21SU", "KB5000871", "15.2.792.10", "2021-03-02", PL},
    {E19, "CU8", "Apr21SU", "KB5001779", "15.2.792.13", "2021-04-13", PL},
    {E19, "CU8", "May21SU", "KB5003435", "15.2.792.15", "2021-05-11", PL | PS},
    {E19, "CU9", "", "KB4602570", "15.2.858.5", "2021-03-16", PL},
    {E19, "CU9", "Apr21SU", "KB5001779", "15.2.858.10", "2021-04-13", PL},
    {E19, "CU9", "May21SU", "KB5003435", "15.2.858.12", "2021-05-11", PL | PS},
    {E19, "CU9", "Jul21SU", "KB5004780", "15.2.858.15", "2021-07-13", PL | PS},
    {E19, "CU10", "", "KB5003612", "15.2.922.7", "2021-06-29", PL | PS},
    {E19, "CU10", "Jul21SU", "KB5004780", "15.2.922.13", "2021-07-13", PL | PS},
    {E19, "CU10", "Oct21SU", "KB5007011", "15.2.922.14", "2021-10-12", PL | PS},
    {E19, "CU10", "Nov21SU", "KB5007409", "15.2.922.19", "2021-11-09", PL | PS},
    {E19, "CU10", "Jan22SU", "KB5008631", "15.2.922.20", "2022-01-11", PL | PS},
    {E19, "CU10", "Mar22SU", "KB5012698", "15.2.922.27", "2022-03-08", PL | PS},
    {E19, "CU11", "", "KB5005334", "15.2.986.5", "2021-09-28", PL | PS},
    {E19, "CU11", "Oct21SU", "KB5007011", "15.2.986.9", "2021-10-12", PL | PS},
    {E19, "CU11", "Nov21SU", "KB5007409", "15.2.986.14", "2021-11-09", PL | PS},
    {E19, "CU11", "Jan22SU", "KB5008631", "15.2.986.15", "2022-01-11", PL | PS},
    {E19, "CU11", "Mar22SU", "KB5012698", "15.2.986.22", "2022-03-08", PL | PS},
    {E19, "CU11", "May22SU", "KB5014261", "15.2.986.26", "2022-05-10", PL | PS},
    {E19, "CU11", "Aug22SU", "KB5015321", "15.2.986.29", "2022-08-09", PL | PS},
    {E19, "CU11", "Oct22SU", "KB5019076", "15.2.986.30", "2022-10-11", PL | PS},
    {E19, "CU11", "Nov22SU", "KB5019758", "15.2.986.36", "2022-11-08", PL | PS | PNS},
    {E19, "CU11", "Jan23SU", "KB5022188", "15.2.986.37", "2023-01-10", PL | PS | PNS},
    {E19, "CU11", "Feb23SU", "KB5023038", "15.2.986.41", "2023-02-14", PL | PS | PNS},
    {E19, "CU11", "Mar23SU", "KB5024296", "15.2.986.42", "2023-03-14", PL | PS | PNS},
    {E19, "CU12", "", "KB5011156", "15.2.1118.7", "2022-04-20", PL | PS},
    {E19, "CU12", "May22SU", "KB5014261", "15.2.1118.9", "2022-05-10", PL | PS},
    {E19, "CU12", "Aug22SU", "KB5015321", "15.2.1118.12", "2022-08-09", PL | PS},
    {E19, "CU12", "Oct22SU", "KB5019076", "15.2.1118.15", "2022-10-11", PL | PS},
    {E19, "CU12", "Nov22SU", "KB5019758", "15.2.1118.20", "2022-11-08", PL | PS | PNS},
    {E19, "CU12", "Jan23SU", "KB5022188", "15.2.1118.21", "2023-01-10", PL | PS | PNS},
    {E19, "CU12", "Feb23SU", "KB5023038", "15.2.1118.25", "2023-02-14", PL | PS | PNS},
    {E19, "CU12", "Mar23SU", "KB5024296", "15.2.1118.26", "2023-03-14", PL | PS | PNS},
    {E19, "CU12", "Jun23SU", "KB5026261", "15.2.1118.30", "2023-06-13", PL | PS | PNS},
    {E19, "CU12", "Aug23SU", "KB5029388", "15.2.1118.36", "2023-08-08", PL | PS | PNS},
    {E19, "CU12", "Aug23SUv2", "KB5030524", "15.2.1118.37", "2023-08-15", PL | PS | PNS},
    {E19, "CU12", "Oct23SU", "KB5030877", "15.2.1118.39", "2023-10-10", PL | PS | PNS},
    {E19, "CU12", "Nov23SU", "KB5032146", "15.2.1118.40", "2023-11-14", PL | PS | PNS},
    {E19, "CU13", "", "KB5020999", "15.2.1258.12", "2023-05-03", PL | PS | PNS},
    {E19, "CU13", "Jun23SU", "KB5026261", "15.2.1258.16", "2023-06-13", PL | PS | PNS},
    {E19, "CU13", "Aug23SU", "KB5029388", "15.2.1258.23", "2023-08-08", PL | PS | PNS},
    {E19, "CU13", "Aug23SUv2", "KB5030524", "15.2.1258.25", "2023-08-15", PL | PS | PNS},
    {E19, "CU13", "Oct23SU", "KB5030877", "15.2.1258.27", "2023-10-10", PL | PS | PNS},
    {E19, "CU13", "Nov23SU", "KB5032146", "15.2.1258.28", "2023-11-14", PL | PS | PNS},
    {E19, "CU13", "Mar24SU", "KB5036386", "15.2.1258.32", "2024-03-12", PL | PS | PNS},
    {E19, "CU13", "Apr24HU", "KB5037224", "15.2.1258.34", "2024-04-23", PL | PS | PNS},
    {E19, "CU13", "Nov24SU", "KB5044062", "15.2.1258.38", "2024-11-12", PL | PS | PNS},
    {E19, "CU13", "Nov24SUv2", "KB5049233", "15.2.1258.39", "2024-11-27", PL | PS | PNS},
    {E19, "CU14", "", "KB5035606", "15.2.1544.4", "2024-02-13", PL | PS | PNS},
    {E19, "CU14", "Mar24SU", "KB5036386", "15.2.1544.9", "2024-03-12", PL | PS | PNS},
    {E19, "CU14", "Apr24HU", "KB5037224", "15.2.1544.11", "2024-04-23", PL | PS | PNS},
    {E19, "CU14", "Nov24SU", "KB5044062", "15.2.1544.13", "2024-11-12", PL | PS | PNS},
    {E19, "CU14", "Nov24SUv2", "KB5049233", "15.2.1544.14", "2024-11-27", PL | PS | PNS},
    {E19, "CU14", "Apr25HU", "KB5050674", "15.2.1544.25", "2025-04-18", PL | PS | PNS},
    {E19, "CU14", "May25HU", "KB5057653", "15.2.1544.27", "2025-05-29", PL | PS | PNS},
    {E19, "CU14", "Aug25SU", "KB5063222", "15.2.1544.33", "2025-08-12", PL | PS | PNS},
    {E19, "CU14", "Sep25HU", "KB5066371", "15.2.1544.34", "2025-09-08", PL | PS | PNS},
    {E19, "CU14", "Oct25SU", "KB5066368", "15.2.1544.36", "2025-10-14", PL | PS | PNS},
    {E19, "CU14", "Dec25SU", "KB5071874", "15.2.1544.37", "2025-12-09", PL | PS | PNS},
    {E19, "CU14", "Feb26SU", "KB5074994", "15.2.1544.39", "2026-02-10", PL | PS | PNS},
    {E19, "CU15", "", "KB5042461", "15.2.1748.10", "2025-02-10", PL | PS | PNS},
    {E19, "CU15", "Apr25HU", "KB5050674", "15.2.1748.24", "2025-04-18", PL | PS | PNS},
    {E19, "CU15", "May25HU", "KB5057653", "15.2.1748.26", "2025-05-29", PL | PS | PNS},
    {E19, "CU15", "Aug25SU", "KB5063221", "15.2.1748.36", "2025-08-12", PL | PS | PNS},
    {E19, "CU15", "Sep25HU", "KB5066372", "15.2.1748.37", "2025-09-08", PL | PS | PNS},
    {E19, "CU15", "Oct25SU", "KB5066367", "15.2.1748.39", "2025-10-14", PL | PS | PNS},
    {E19, "CU15", "Dec25SU", "KB5071875", "15.2.1748.42", "2025-12-09", PL | PS | PNS},
    {E19, "CU15", "Feb26SU", "KB5074993", "15.2.1748.43", "2026-02-10", PL | PS | PNS},
    /* Exchange Server SE */
    {ESE, "RTM", "", "KB5047155", "15.2.2562.17", "2025-07-01", PL | PS | PNS},
    {ESE, "RTM", "Aug25SU", "KB5063224", "15.2.2562.20", "2025-08-12", PL | PS | PNS},
    {ESE, "RTM", "Sep25HU", "KB5066373", "15.2.2562.27", "2025-09-08", PL | PS | PNS},
    {ESE, "RTM", "Oct25SU", "KB5066366", "15.2.2562.29", "2025-10-14", PL | PS | PNS},
    {ESE, "RTM", "Dec25SU", "KB5071876", "15.2.2562.35", "2025-12-09", PL | PS | PNS},
    {ESE, "RTM", "Feb26SU", "KB5074992", "15.2.2562.37", "2026-02-10", PL | PS | PNS},
    {ESE, "RTM", "May26HU", "KB5081755", "15.2.2562.41", "2026-05-07", PL | PS | PNS},
};

#define NROWS (sizeof rows / sizeof rows[0])

static const char *const fam_name[XS_FAM__N] = {"ProxyLogon", "ProxyShell", "ProxyNotShell"};
static const char *const fam_cves[XS_FAM__N] = {
    "CVE-2021-26855,CVE-2021-26857,CVE-2021-26858,CVE-2021-27065",
    "CVE-2021-34473,CVE-2021-34523,CVE-2021-31207",
    "CVE-2022-41040,CVE-2022-41082,CVE-2022-41080",
};

const char *xs_family_name(xs_family f)
{
    return (unsigned)f < XS_FAM__N ? fam_name[f] : "";
}

const char *xs_family_cves(xs_family f)
{
    return (unsigned)f < XS_FAM__N ? fam_cves[f] : "";
}

const xs_build_row *xs_buildtab(size_t *n)
{
    *n = NROWS;
    return rows;
}

/* The build of row i (every row's build parses: the unit tests say so). */
static xs_build row_build(size_t i)
{
    xs_build b = {{0}, 0};
    xs_build_parse(rows[i].build, strlen(rows[i].build), false, &b);
    return b;
}

/* The first row whose build is not below key. */
static size_t lower_bound(const xs_build *key)
{
    size_t lo = 0, hi = NROWS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        xs_build m = row_build(mid);
        if (xs_build_cmp(&m, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The rows of b's CU, [*first, *end), the CU's own row first; false when the table has no
 * CU with b's first three parts. */
static bool cu_rows(const xs_build *b, size_t *first, size_t *end)
{
    xs_build key = *b;
    key.nparts = 3;
    size_t i = lower_bound(&key), j = i;
    for (; j < NROWS; j++) {
        xs_build r = row_build(j);
        if (!xs_build_same_cu(&r, b))
            break;
    }
    if (j == i || rows[i].update[0] != '\0')
        return false;
    *first = i;
    *end = j;
    return true;
}

const xs_build_row *xs_build_find(const xs_build *b)
{
    if (b->nparts != 4)
        return NULL;
    size_t i = lower_bound(b);
    if (i == NROWS)
        return NULL;
    xs_build r = row_build(i);
    return xs_build_cmp(&r, b) == 0 ? &rows[i] : NULL;
}

const xs_build_row *xs_build_cu(const xs_build *b)
{
    size_t first, end;
    return cu_rows(b, &first, &end) ? &rows[first] : NULL;
}

/* "Exchange Server 2016 CU19", with ", Mar21SU" for an update's row. */
static const char *row_name(const xs_build_row *r, char *out, size_t cap)
{
    snprintf(out, cap, "%s %s%s%s", r->product, r->cu, r->update[0] ? ", " : "", r->update);
    return out;
}

const char *xs_build_name(const xs_build *b, char *out, size_t cap)
{
    if (cap == 0)
        return out;
    const xs_build_row *r = xs_build_find(b);
    if (!r)
        r = xs_build_cu(b);
    if (!r) {
        out[0] = '\0';
        return out;
    }
    return row_name(r, out, cap);
}

/* "15.1.2176.9 (Mar21SU, KB5000871)"; a CU's own row says its CU. */
static const char *fix_text(const xs_build_row *r, char *out, size_t cap)
{
    snprintf(out, cap, "%s (%s%s%s)", r->build, r->update[0] ? r->update : r->cu,
             r->kb[0] ? ", " : "", r->kb);
    return out;
}

#define NAME_CAP 96

/* The verdict's one sentence (cut at its size). */
__attribute__((format(printf, 2, 3))) static void say(xs_fverdict *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof out->reason, fmt, ap);
    va_end(ap);
}

/* A build whose CU the table does not hold: newer than the whole product line (patched when
 * the newest build fixes the family), else unknown. */
static void decide_outside(const xs_build *b, unsigned bit, const char *bt, xs_fverdict *out)
{
    char a[NAME_CAP], c[NAME_CAP];
    if (b->part[0] != 15 || b->part[1] > 2) {
        say(out,
            "%s is not a build of Exchange Server 2013, 2016, 2019 or SE: the table does not "
            "place it",
            bt);
        return;
    }
    xs_build lo = {{b->part[0], b->part[1], 0, 0}, 3};
    xs_build hi = {{b->part[0], b->part[1], 65535, 65535}, 4};
    size_t lf = lower_bound(&lo), le = lower_bound(&hi), i = lower_bound(b);
    if (le < NROWS) {
        xs_build r = row_build(le);
        if (xs_build_cmp(&r, &hi) == 0)
            le++;
    }
    if (i >= le) {
        const xs_build_row *last = &rows[le - 1];
        if (last->fixed & bit) {
            out->state = XS_FS_PATCHED;
            say(out,
                "%s is newer than every build the table knows (the newest: %s, %s), and "
                "those fix it",
                bt, last->build, row_name(last, a, sizeof a));
        } else {
            say(out,
                "%s is newer than every build the table knows, and the newest (%s) does not "
                "fix it",
                bt, last->build);
        }
        return;
    }
    if (i == lf) {
        say(out, "%s is older than %s (%s), the first build of its line the table knows", bt,
            row_name(&rows[lf], a, sizeof a), rows[lf].build);
        return;
    }
    xs_build pb = row_build(i - 1);
    const xs_build_row *prev = xs_build_cu(&pb);
    say(out, "%s is of no CU the table knows: it lies between %s (%s) and %s (%s)", bt,
        row_name(prev, a, sizeof a), prev->build, row_name(&rows[i], c, sizeof c), rows[i].build);
}

void xs_build_family(const xs_build *b, xs_family f, xs_fverdict *out)
{
    char bt[XS_BUILD_TEXT], a[NAME_CAP], fx[NAME_CAP];
    memset(out, 0, sizeof *out);
    out->state = XS_FS_UNKNOWN;
    if ((unsigned)f >= XS_FAM__N || (b->nparts != 3 && b->nparts != 4)) {
        say(out, "no build or no family to decide");
        return;
    }
    unsigned bit = 1u << f;
    xs_build_text(b, bt);
    size_t first, end;
    if (!cu_rows(b, &first, &end)) {
        decide_outside(b, bit, bt, out);
        return;
    }
    const xs_build_row *cu = &rows[first];
    size_t nfix = 0;
    for (size_t i = first; i < end; i++)
        if (rows[i].fixed & bit) {
            if (!out->fix)
                out->fix = &rows[i];
            nfix++;
        }
    row_name(cu, a, sizeof a);
    if (b->nparts == 3) {
        if (nfix == end - first) {
            out->state = XS_FS_PATCHED;
            say(out, "%s (%s): every published build of the CU fixes it", bt, a);
        } else if (nfix == 0) {
            out->state = XS_FS_VULNERABLE;
            say(out, "%s (%s): no published build of the CU fixes it; a later CU is needed", bt, a);
        } else {
            say(out, "%s (%s): the revision decides: %s (%s) fixes it", bt, a, out->fix->build,
                out->fix->update[0] ? out->fix->update : out->fix->cu);
        }
        return;
    }
    const xs_build_row *exact = xs_build_find(b);
    char label[NAME_CAP + 32];
    if (exact)
        row_name(exact, label, sizeof label);
    else
        snprintf(label, sizeof label, "%s; not a published build", a);
    if (!out->fix) {
        out->state = XS_FS_VULNERABLE;
        say(out, "%s (%s): no update for %s fixes it; a later CU is needed", bt, label, a);
        return;
    }
    xs_build fb = row_build((size_t)(out->fix - rows));
    fix_text(out->fix, fx, sizeof fx);
    if (xs_build_cmp(b, &fb) >= 0) {
        out->state = XS_FS_PATCHED;
        say(out, "%s (%s) is at or above %s", bt, label, fx);
        return;
    }
    out->state = XS_FS_VULNERABLE;
    bool apr21 = false; /* ProxyShell: b has Apr21SU, which lacks CVE-2021-31207's fix */
    for (size_t i = first; i < end && f == XS_FAM_PROXYSHELL; i++) {
        xs_build r = row_build(i);
        if (strncmp(rows[i].update, "Apr21SU", 7) == 0 && xs_build_cmp(b, &r) >= 0)
            apr21 = true;
    }
    say(out, "%s (%s) is below %s%s", bt, label, fx,
        apr21 ? ": Apr21SU fixes CVE-2021-34473 and CVE-2021-34523, not CVE-2021-31207" : "");
}
