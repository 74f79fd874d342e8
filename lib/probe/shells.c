/* The published shell paths (shells.h), as the default web site serves them: the
 * aspnet_client folder of C:\inetpub\wwwroot at /aspnet_client/, FrontEnd\HttpProxy\owa\auth\
 * at /owa/auth/, FrontEnd\HttpProxy\OAB\ at /OAB/. Sources, from the detection catalogue:
 *   MS     Microsoft's blog of March 2021 (via cyware-labs/Operation-Exchange-Marauder)
 *   MSTIC  the MSTIC IOC feed (Azure/Azure-Sentinel, MSTICIoCs-ExchangeServerVulnerabilities...)
 *   ESET   signature-base's filename IOCs, ESET sections
 *   HUNT   signature-base's filename IOCs, Huntress sections (ProxyShell)
 *   HELS   helsecert/2021-march-exchange (look-alikes of shipped pages)
 *   SB     signature-base's filename IOCs, other sections (ProxyNotShell, LockBit)
 */
#include "probe/shells.h"

const char *const xs_shell_dirs[] = {
    "/aspnet_client/", "/aspnet_client/system_web/", "/owa/auth/", "/owa/auth/Current/",
    "/OAB/",
};
const size_t xs_shell_ndirs = sizeof xs_shell_dirs / sizeof *xs_shell_dirs;

#define AC 0 /* /aspnet_client/ */
#define SW 1 /* /aspnet_client/system_web/ */
#define OA 2 /* /owa/auth/ */
#define OC 3 /* /owa/auth/Current/ */
#define OB 4 /* /OAB/ */

const xs_shell_path xs_shell_paths[] = {
    /* MSTIC, aspnet_client */
    {"/aspnet_client/shell.aspx", AC},
    {"/aspnet_client/Server.aspx", AC},
    {"/aspnet_client/aspnet_client.aspx", AC},
    {"/aspnet_client/aspnet_iisstart.aspx", AC},
    {"/aspnet_client/aspnet_pages.aspx", AC},
    {"/aspnet_client/aspnet_www.aspx", AC},
    {"/aspnet_client/default1.aspx", AC},
    {"/aspnet_client/errorcheck.aspx", AC},
    {"/aspnet_client/iispage.aspx", AC},
    {"/aspnet_client/s.aspx", AC},
    {"/aspnet_client/session.aspx", AC},
    {"/aspnet_client/xclkmcfldfi948398430fdjkfdkj.aspx", AC},
    {"/aspnet_client/xx.aspx", AC},
    {"/aspnet_client/discover.aspx", AC},
    {"/aspnet_client/HttpProxy.aspx", AC},
    {"/aspnet_client/OutlookEN.aspx", AC},
    {"/aspnet_client/supp0rt.aspx", AC},
    {"/aspnet_client/services.aspx", AC},
    {"/aspnet_client/system_web/log.aspx", SW},
    /* ESET, aspnet_client\system_web */
    {"/aspnet_client/system_web/shell.aspx", SW},
    {"/aspnet_client/system_web/supp0rt.aspx", SW},
    {"/aspnet_client/system_web/aspnet.aspx", SW},
    {"/aspnet_client/system_web/aspnet_client.aspx", SW},
    {"/aspnet_client/system_web/client.aspx", SW},
    {"/aspnet_client/system_web/OutlookEN.aspx", SW},
    /* MSTIC, owa\auth */
    {"/owa/auth/8Lw7tAhF9i1pJnRo.aspx", OA},
    {"/owa/auth/OutlookZH.aspx", OA},
    {"/owa/auth/authhead.aspx", OA},
    {"/owa/auth/bob.aspx", OA},
    {"/owa/auth/errorPage.aspx", OA},
    {"/owa/auth/errorPages.aspx", OA},
    {"/owa/auth/fatal-erro.aspx", OA},
    {"/owa/auth/log.aspx", OA},
    {"/owa/auth/logg.aspx", OA},
    {"/owa/auth/logout.aspx", OA},
    {"/owa/auth/one.aspx", OA},
    {"/owa/auth/one1.aspx", OA},
    {"/owa/auth/shel.aspx", OA},
    {"/owa/auth/shel2.aspx", OA},
    {"/owa/auth/shel90.aspx", OA},
    {"/owa/auth/a.aspx", OA},
    {"/owa/auth/default.aspx", OA},
    {"/owa/auth/Current/one1.aspx", OC},
    /* MS blog */
    {"/owa/auth/web.aspx", OA},
    {"/owa/auth/help.aspx", OA},
    {"/owa/auth/document.aspx", OA},
    {"/owa/auth/errorEE.aspx", OA},
    {"/owa/auth/errorEEE.aspx", OA},
    {"/owa/auth/errorEW.aspx", OA},
    {"/owa/auth/errorFF.aspx", OA},
    {"/owa/auth/healthcheck.aspx", OA},
    /* HELS: look-alikes of RedirSuiteServiceProxy.aspx and OutlookCN.aspx */
    {"/owa/auth/RedirSuiteServerProxy.aspx", OA},
    {"/owa/auth/OutlookEN.aspx", OA},
    /* ESET, HUNT, SB */
    {"/owa/auth/aspnet_error.aspx", OA},
    {"/owa/auth/HWTJQDMFVMPOON.aspx", OA},
    {"/owa/auth/owafonts.aspx", OA},
    {"/owa/auth/HttpRedirService.aspx", OA},
    /* MSTIC, OAB */
    {"/OAB/log.aspx", OB},
};
const size_t xs_shell_npaths = sizeof xs_shell_paths / sizeof *xs_shell_paths;

bool xs_shell_differs(long status, size_t bytes, long base_status, size_t base_bytes)
{
    if (status != 200 && status != 500)
        return false;
    if (status != base_status)
        return true;
    size_t d = bytes > base_bytes ? bytes - base_bytes : base_bytes - bytes;
    return d > 64 + base_bytes / 20;
}
