#!/bin/sh
# Install the Debian/Ubuntu packages exsweep needs to build, test and benchmark,
# but only those that are missing. Needs root (or sudo) when something is missing.
set -eu

# libyaml-dev: the library reads Sigma rules with it (lib/sigma/), and the test tools ecscheck and
# collectcheck read YAML with it.
BUILD_PKGS="build-essential pkg-config libyara-dev libvectorscan-dev libarchive-dev libssl-dev libpcre2-dev libcmocka-dev libyaml-dev libregf-dev libcurl4-openssl-dev"
# chromium: the e2e case html-chromium renders the HTML report headless (it is skipped,
# saying so, without it).
FUZZ_PKGS="clang libclang-rt-14-dev"
# iproute2: the probe-live-load case counts established connections with ss.
# man-db, groff-base: tests/e2e/man-sync.sh renders every man page with man --warnings.
# p7zip-full: the vault cases open the quarantine zips with 7z x -pinfected (AES-256).
# e2fsprogs: the vault-loop case quarantines and restores on a loop-mounted ext4 image.
# samba, smbnetfs: the vault-smb case quarantines and restores on a share of a Samba server it
# starts on 127.0.0.1, mounted with smbnetfs (FUSE; the kernel may have no cifs).
# ntfs-3g: the vault-ntfs case quarantines and restores on an NTFS image (mkntfs, ntfs-3g;
# root and /dev/fuse, skipped saying why without them).
TEST_PKGS="iproute2 yara p7zip-full ntfs-3g samba smbnetfs e2fsprogs libevtx-utils libimage-exiftool-perl python3-jsonschema chromium libregf-utils libhivex-bin man-db groff-base"
# zip: bench/vault times zip -P infected beside the vault.
# nmap: bench/probe times nmap --script ssl-cert,http-headers beside exsweep probe (the tests
# do not use it).
PEER_PKGS="yara ripgrep libevtx-utils libevtx-dev time jq zip nmap"

# Usage: install-deps.sh [--ci] [--fuzz] [--bench]
#   (none)   what 'make' needs
#   --ci     also the peers the test suite compares against (yara, evtxexport, regfexport,
#            hivexsh), man and groff (the man pages are rendered) and python3-jsonschema (make
#            eval validates STIX bundles with it); 'make check' and .ci/run install these
#   --fuzz   clang and its libFuzzer runtime, for 'make fuzz'
#   --bench  the peers the benchmarks time (ripgrep, yara, evtxexport, GNU time, jq, zip, nmap)
want="$BUILD_PKGS"
for a in "$@"; do
    case "$a" in
    --ci) want="$want $TEST_PKGS" ;;
    --fuzz) want="$want $FUZZ_PKGS" ;;
    --bench) want="$want $PEER_PKGS" ;;
    *) echo "usage: $0 [--ci] [--fuzz] [--bench]" >&2; exit 2 ;;
    esac
done

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
