/*
 * exsweep shipped rules: coin miners dropped on exposed Exchange servers (Lemon Duck, QuickCPU,
 * Prometei and generic XMRig), from docs/detection-catalogue.md section 4. No campaign-specific
 * pool names are used (none are published in the cited sources). See rules/README.md.
 */

rule EXS_MN_Xmrig_Config
{
    meta:
        id = "EXS-Y-MN-XMRIG-CONFIG"
        name = "XMRig miner configuration"
        family = "Miner"
        verdict = "suspicious"
        severity = "high"
        scope = "file"
        description = "A JSON configuration with XMRig's keys (donate-level, a pools list with url and user, randomx or cpu sections): a Monero miner is or was set up on this server. Not specific to Exchange, but miners followed ProxyLogon within days."
    strings:
        $k1 = "\"donate-level\"" ascii wide
        $k2 = "\"donate-over-proxy\"" ascii wide
        $p = "\"pools\"" ascii wide
        $u1 = "\"url\"" ascii wide
        $u2 = "\"user\"" ascii wide
        $a1 = "\"randomx\"" ascii wide
        $a2 = "\"algo\"" ascii wide
        $a3 = "\"coin\"" ascii wide
        $a4 = "\"nicehash\"" ascii wide
    condition:
        filesize < 1MB and any of ($k*) and $p and all of ($u*) and any of ($a*)
}

rule EXS_MN_Stratum_Url
{
    meta:
        id = "EXS-Y-MN-STRATUM"
        name = "Mining pool address (stratum URL)"
        family = "Miner"
        verdict = "suspicious"
        severity = "high"
        scope = "any"
        description = "A stratum+tcp/ssl/tls mining pool URL in a file, script or command line: a miner was configured or launched."
    strings:
        $s1 = "stratum+tcp://" nocase ascii wide
        $s2 = "stratum+ssl://" nocase ascii wide
        $s3 = "stratum+tls://" nocase ascii wide
        $s4 = "stratum2+tcp://" nocase ascii wide
    condition:
        any of them
}

rule EXS_MN_Xmrig_Binary
{
    meta:
        id = "EXS-Y-MN-XMRIG-BIN"
        name = "XMRig miner program"
        family = "Miner"
        verdict = "suspicious"
        severity = "high"
        scope = "file"
        gate = "$n"
        description = "A Windows or Linux program with XMRig's name and its option or console strings: a Monero miner binary."
    strings:
        $n = "XMRig" ascii wide
        $o1 = "donate-level" ascii wide
        $o2 = "cpu-affinity" ascii wide
        $o3 = "randomx" ascii wide
        $o4 = "'h' hashrate" ascii wide
    condition:
        (uint16(0) == 0x5A4D or uint32(0) == 0x464C457F) and $n and 2 of ($o*)
}
