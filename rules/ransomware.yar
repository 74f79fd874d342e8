/*
 * exsweep shipped rules: ransomware seen on Exchange servers after ProxyLogon (DearCry, Black
 * Kingdom), from docs/detection-catalogue.md section 4. Written for exsweep; see rules/README.md.
 * Encrypted DearCry files themselves (the DEARCRY! header) are counted by the scanner, not
 * reported one by one by a rule.
 */

rule EXS_RW_DearCry_Note
{
    meta:
        id = "EXS-Y-RW-DEARCRY-NOTE"
        name = "DearCry ransom note"
        family = "Ransomware"
        verdict = "exploitation"
        severity = "critical"
        scope = "file"
        description = "The readme.txt DearCry (DoejoCrypt) leaves: its contact addresses or its two fixed sentences. Files ending in .CRYPT and starting with DEARCRY! are encrypted; the server was breached through Exchange around March 2021."
    strings:
        $c1 = "konedieyp@airmail.cc" nocase ascii wide
        $c2 = "uenwonken@memail.com" nocase ascii wide
        $p1 = "Your file has been encrypted!" nocase ascii wide
        $p2 = "please send me the following hash" nocase ascii wide
    condition:
        uint16(0) != 0x5A4D and filesize < 1MB and (any of ($c*) or all of ($p*))
}

rule EXS_RW_DearCry_Binary
{
    meta:
        id = "EXS-Y-RW-DEARCRY-BIN"
        name = "DearCry ransomware program"
        family = "Ransomware"
        verdict = "exploitation"
        severity = "critical"
        scope = "file"
        description = "A Windows program carrying DearCry's file marker and its service or note strings (msupdate, readme.txt, its fixed sentences, its build path)."
    strings:
        $m = "DEARCRY!" ascii
        $s1 = "msupdate" ascii wide
        $s2 = "/readme.txt" ascii wide
        $s3 = "Your file has been encrypted!" ascii wide
        $s4 = "EncryptFile.exe.pdb" ascii
        $s5 = "create rsa error" ascii
    condition:
        uint16(0) == 0x5A4D and $m and 2 of ($s*)
}

rule EXS_RW_BlackKingdom
{
    meta:
        id = "EXS-Y-RW-BLACKKINGDOM"
        name = "Black Kingdom ransomware"
        family = "Ransomware"
        verdict = "exploitation"
        severity = "critical"
        scope = "file"
        gate = "$n*"
        description = "Strings of Black Kingdom (Pydomer), the Python ransomware dropped through ProxyLogon web shells from March 2021: its name, or its note file name decrypt_file.TxT referenced from a program or script."
    strings:
        $n1 = "Black KingDom" nocase ascii wide
        $n2 = "decrypt_file.TxT" ascii wide
        $k1 = "BTC" ascii wide
        $k2 = "bitcoin" nocase ascii wide
    condition:
        ($n1 and ($n2 or any of ($k*))) or ($n2 and uint16(0) == 0x5A4D)
}
