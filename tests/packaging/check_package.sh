#!/usr/bin/env bash
# tst_package: builds the .deb from this build tree and checks it the way a trader's machine meets it.
#
#   check_package.sh BUILD_DIR SOURCE_DIR VERSION
#
#  1. CPack builds the package; its control fields are checked: name, version (the CMake project's,
#     and the Debian changelog's), architecture, Depends exactly the `run` lines of
#     packaging/debian-packages.txt, no maintainer scripts (installing or removing runs no code).
#  2. Its contents: the two executables, the desktop entry, the hicolor SVG icon, the AppStream
#     metadata, the alert sounds, the man pages, the Debian copyright and changelog — and nothing
#     outside /usr. Every library the executables link belongs to a package of the Depends.
#     lintian, Debian's package checker, finds no error and no warning.
#  3. `apt-get install --simulate` resolves the Depends on this system.
#  4. dpkg installs it into an empty root (its own dpkg database). From there: `marginctl
#     --version`, `margin-monitor --version`, and `margin-monitor --screenshot` on the demo, which
#     must take its sounds and icon from the installed files (relative to itself) and write its
#     journal in the XDG data folder of the root's user.
#  5. desktop-file-validate and appstreamcli validate pass on the installed metadata; the man pages
#     format without warnings and name every option of --help.
#  6. dpkg purges the package: its files are gone, the user's configuration and journal are not.
#  7. `cmake --install` into another prefix works the same way (the app finds its files there).
#  8. The executable copied alone, away from its files, falls back to its embedded sounds and icon.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin" # dpkg wants ldconfig and start-stop-daemon on the PATH, even as a user

build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
version=$3
id=io.github.marginmonitor.MarginMonitor

work=$(mktemp -d "${TMPDIR:-/tmp}/tst_package.XXXXXX")
trap 'rm -rf "$work"' EXIT
step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf 'ok: %s\n' "$*"; }
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed ($2; packaging/setup.sh installs it)"; }
need cpack cmake
need dpkg-deb dpkg
need dpkg-parsechangelog dpkg-dev
need readelf binutils
need desktop-file-validate desktop-file-utils
need appstreamcli appstream
need groff groff-base
need lintian lintian

step "1. build the package (cpack)"
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log"
    fail "cpack could not build the package"
fi
debs=("$work"/out/margin-monitor_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "cpack wrote no margin-monitor_*.deb (or several) in $work/out"
deb=${debs[0]}
pass "$(basename "$deb"), $(stat -c %s "$deb") bytes"
dpkg-deb -I "$deb"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = margin-monitor ] || fail "Package is '$(field Package)', not margin-monitor"
[ "$(field Version)" = "$version-1" ] || fail "Version is '$(field Version)', not the project's $version-1"
changelog=$(dpkg-parsechangelog -l "$source/packaging/changelog" -S Version)
[ "$changelog" = "$version-1" ] || fail "packaging/changelog's newest entry is $changelog, the project is $version-1"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture is '$(field Architecture)'"
expected=$(sed -e 's/#.*//' "$source/packaging/debian-packages.txt" | awk '$2 == "run" { print $1 }' | paste -sd, - | sed 's/,/, /g')
[ -n "$expected" ] || fail "packaging/debian-packages.txt lists no run package"
# dpkg-shlibdeps adds minimum versions: the names, each once, must be exactly the run lines.
depends_names=$(field Depends | tr ',' '\n' | sed -e 's/(.*)//' -e 's/[[:space:]]//g' | grep -v '^$' | sort -u | paste -sd' ' -)
expected_names=$(tr ',' '\n' <<<"$expected" | sed 's/[[:space:]]//g' | sort -u | paste -sd' ' -)
[ "$depends_names" = "$expected_names" ] ||
    fail "Depends names '$depends_names'; packaging/debian-packages.txt's run lines are '$expected_names'"
field Depends | grep -qE 'libc6 \(>= [0-9]' || fail "Depends carries no minimum glibc version: '$(field Depends)'"
pass "Depends = the run lines of packaging/debian-packages.txt, with minimum versions"

control_files=$(dpkg-deb --ctrl-tarfile "$deb" | tar -t | sed 's|^\./||' | grep -v '^$' | sort | paste -sd' ' -)
[ "$control_files" = "control md5sums" ] || fail "control archive holds '$control_files', expected only control and md5sums (no maintainer scripts)"
pass "no maintainer scripts: installing and removing run no code"

step "2. contents"
dpkg-deb -c "$deb" | tee "$work/contents.txt"
awk '{ print $6 }' "$work/contents.txt" | sed 's|^\./|/|' >"$work/paths.txt"
for path in /usr/bin/margin-monitor /usr/bin/marginctl \
    "/usr/share/applications/$id.desktop" "/usr/share/icons/hicolor/scalable/apps/$id.svg" \
    "/usr/share/metainfo/$id.metainfo.xml" \
    /usr/share/margin-monitor/sounds/warning.wav /usr/share/margin-monitor/sounds/critical.wav \
    /usr/share/margin-monitor/sounds/emergency.wav \
    /usr/share/man/man1/marginctl.1.gz /usr/share/man/man1/margin-monitor.1.gz \
    /usr/share/doc/margin-monitor/copyright /usr/share/doc/margin-monitor/changelog.Debian.gz; do
    grep -qxF "$path" "$work/paths.txt" || fail "the package lacks $path"
done
outside=$(grep -v -e '^/$' -e '^/usr/' -e '^/usr$' "$work/paths.txt" || true)
[ -z "$outside" ] || fail "the package installs outside /usr: $outside"
owners=$(awk '{ print $2 }' "$work/contents.txt" | sort -u | paste -sd' ' -)
[ "$owners" = "root/root" ] || fail "files owned by '$owners', not root/root"
pass "every expected file, all under /usr, owned by root"

step "2b. lintian (Debian's package checker): no error, no warning"
# initial-upload-closes-no-bugs is about uploads to Debian's archive (an ITP bug to close), not this.
if ! lintian --fail-on error,warning --suppress-tags initial-upload-closes-no-bugs "$deb" >"$work/lintian.log" 2>&1; then
    cat "$work/lintian.log"
    fail "lintian finds errors or warnings in the package"
fi
grep -v 'running with root privileges' "$work/lintian.log" || true
pass "lintian: clean"

step "3. dependencies resolve from Debian's archive (apt-get install --simulate, as on an empty system)"
# With an empty dpkg status apt must find every dependency, and theirs, in the archive's package
# lists — not merely notice that this machine already has them (setup.sh installed the run lines).
: >"$work/empty-status"
if ! apt-get install --simulate -o Dir::State::status="$work/empty-status" "$deb" >"$work/apt.log" 2>&1; then
    cat "$work/apt.log"
    fail "apt-get cannot resolve the package's dependencies from the archive (no package lists? apt-get update)"
fi
installs=$(grep -c '^Inst ' "$work/apt.log" || true)
grep -q '^Inst margin-monitor ' "$work/apt.log" || { cat "$work/apt.log"; fail "apt-get's simulation does not install margin-monitor"; }
for package in $expected_names; do
    grep -q "^Inst $package " "$work/apt.log" || { cat "$work/apt.log"; fail "apt-get's simulation does not pull in $package"; }
done
pass "apt-get resolves it from the archive as on an empty system ($((installs - 1)) packages with the base system), every run line among them"

step "4. install into an empty root with dpkg, run from there"
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/log"
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
dpkg_root() { dpkg --root="$root" --log="$root/var/log/dpkg.log" --force-not-root --force-depends "$@"; }
dpkg_root -i "$deb" 2>&1 | sed 's/^/dpkg: /'
[ -x "$root/usr/bin/marginctl" ] || fail "dpkg did not install /usr/bin/marginctl"

# Which package each linked library comes from: what the loader resolves it to (ldd), owned by (dpkg -S).
for binary in "$root/usr/bin/margin-monitor" "$root/usr/bin/marginctl"; do
    if readelf -d "$binary" | grep -qE 'RPATH|RUNPATH'; then
        fail "$binary carries a run path: $(readelf -d "$binary" | grep -E 'RPATH|RUNPATH')"
    fi
    needed=$(readelf -d "$binary" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
    grep -qx 'libc.so.6' <<<"$needed" || fail "readelf lists no libc.so.6 for $binary: '$needed'"
    ldd "$binary" >"$work/ldd.txt" || fail "ldd cannot load $binary"
    for library in $needed; do
        # "libX.so.1 => /path (addr)", or for the loader itself "/lib64/ld-linux-x86-64.so.2 (addr)".
        resolved=$(awk -v lib="$library" '{ name = $1; sub(".*/", "", name) } name == lib { print ($2 == "=>" ? $3 : $1); exit }' "$work/ldd.txt")
        [ -n "$resolved" ] && [ "$resolved" != "not" ] || fail "$(basename "$binary") links $library, which this system does not have"
        owner=$(dpkg -S "$(readlink -f "$resolved")" 2>/dev/null || dpkg -S "$resolved" 2>/dev/null || true)
        owner=${owner%%:*}
        [ -n "$owner" ] || fail "$(basename "$binary") links $library ($resolved), which no package owns"
        case ", $expected, " in
            *", $owner, "*) ;;
            *) fail "$(basename "$binary") links $library from package $owner, which is not a run line of packaging/debian-packages.txt" ;;
        esac
    done
done
grep -qx 'libQt6Core.so.6' <<<"$(readelf -d "$root/usr/bin/margin-monitor" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')" ||
    fail "margin-monitor does not link libQt6Core.so.6: the check above read nothing"
pass "every library the executables link comes from a package in Depends; no run path"

# The trader's home lives inside the root, so step 6 can show that removing the package leaves it.
export HOME="$root/home/trader"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
export XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset XDG_DATA_DIRS XDG_CONFIG_DIRS
export QT_QPA_PLATFORM=offscreen

check_versions() { # the executables' folder
    local reported
    reported=$("$1/marginctl" --version)
    [ "$reported" = "marginctl $version" ] || fail "$1/marginctl --version says '$reported', not 'marginctl $version'"
    reported=$("$1/margin-monitor" --version 2>/dev/null)
    [ "$reported" = "Margin Monitor $version" ] || fail "$1/margin-monitor --version says '$reported', not 'Margin Monitor $version'"
    pass "marginctl --version and margin-monitor --version say $version"
}
check_screenshot() { # the executables' folder, the data folder the app must use, a name
    local log=$work/$3.log png=$work/$3.png
    QT_LOGGING_RULES="mm.files.debug=true" "$1/margin-monitor" --screenshot "$png" --quit-after 3 >"$log" 2>&1 ||
        { cat "$log"; fail "$1/margin-monitor --screenshot failed"; }
    [ -s "$png" ] && [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
        { cat "$log"; fail "margin-monitor --screenshot wrote no PNG"; }
    [ "$(stat -c %s "$png")" -gt 20000 ] || fail "the screenshot is only $(stat -c %s "$png") bytes: an empty window?"
    for sound in warning critical emergency; do
        grep -qF "\"$sound\" from \"$2/margin-monitor/sounds/$sound.wav\"" "$log" ||
            { cat "$log"; fail "the app did not take the $sound sound from $2/margin-monitor/sounds"; }
    done
    grep -qF "icon from \"$2/icons/hicolor/scalable/apps/$id.svg\"" "$log" ||
        { cat "$log"; fail "the app did not take its icon from $2/icons"; }
    pass "margin-monitor --screenshot: $(stat -c %s "$png") bytes; sounds and icon from $2"
}

check_versions "$root/usr/bin"
check_screenshot "$root/usr/bin" "$root/usr/share" installed
journal="$XDG_DATA_HOME/margin-monitor/Margin Monitor/journal.db"
[ -s "$journal" ] || fail "the app wrote no journal at $journal (the XDG data folder)"
for leftover in "$journal-wal" "$journal-shm"; do
    [ ! -e "$leftover" ] || fail "the app left $(basename "$leftover") beside the journal: it did not close the journal last"
done
pass "the journal is in the XDG data folder, one file after a clean exit: ${journal#"$root"}"
mkdir -p "$XDG_CONFIG_HOME/margin-monitor/Margin Monitor"
echo '{"rules": []}' >"$XDG_CONFIG_HOME/margin-monitor/Margin Monitor/alerts.json"
kept_before=$(cd "$HOME" && find . -type f | sort | xargs -d '\n' sha256sum)

step "5. desktop entry, AppStream metadata, man pages"
desktop="$root/usr/share/applications/$id.desktop"
out=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate: $out"
[ -z "$out" ] || fail "desktop-file-validate warns: $out"
pass "desktop-file-validate: no error, no warning"
for exec_name in $(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop" | sort -u); do # the entry and its actions
    [ -x "$root/usr/bin/$exec_name" ] || fail "the desktop entry runs '$exec_name', which the package does not install in /usr/bin"
done
icon_name=$(sed -n 's/^Icon=//p' "$desktop")
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon_name.svg" ] || fail "the desktop entry's icon '$icon_name' is not in the package"
metainfo="$root/usr/share/metainfo/$id.metainfo.xml"
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate failed on $metainfo"
grep -qF "<release version=\"$version\"" "$metainfo" || fail "the AppStream metadata's release is not $version"
grep -qF "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$metainfo" || fail "the AppStream metadata does not launch $id.desktop"
pass "appstreamcli validate; release $version; launches $id.desktop"
for page in marginctl margin-monitor; do
    man_file="$root/usr/share/man/man1/$page.1.gz"
    warnings=$(zcat "$man_file" | groff -man -ww -z 2>&1)
    [ -z "$warnings" ] || fail "$page.1 formats with warnings: $warnings"
    text=$(zcat "$man_file" | sed 's/\\-/-/g')
    grep -q "^\.TH .*\"Margin Monitor $version\"" <<<"$text" || fail "$page.1's header does not name version $version"
    options=$("$root/usr/bin/$page" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]+' | sort -u)
    grep -qx -- '--version' <<<"$options" || fail "$page --help lists no --version: the option check would read nothing"
    for option in $options; do
        grep -qF -- "$option" <<<"$text" || fail "$page --help has $option, which the man page $page.1 does not mention"
    done
done
pass "both man pages name version $version, format cleanly and mention every option of --help"

step "6. purge: the package's files go, the trader's files stay"
dpkg_root -P margin-monitor 2>&1 | sed 's/^/dpkg: /'
left=$(find "$root/usr" -type f 2>/dev/null || true)
[ -z "$left" ] || fail "files left after purge: $left"
kept_after=$(cd "$HOME" && find . -type f | sort | xargs -d '\n' sha256sum)
[ "$kept_before" = "$kept_after" ] || fail "the trader's files changed on purge:
before: $kept_before
after:  $kept_after"
pass "package files gone; configuration and journal untouched: $(cd "$HOME" && find . -type f | wc -l) files"

step "7. cmake --install into another prefix"
prefix="$work/prefix with space"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "cmake --install failed"; }
check_versions "$prefix/bin"
check_screenshot "$prefix/bin" "$prefix/share" prefix

step "8. the executable copied on its own still has its sounds (the embedded copies)"
mkdir -p "$work/alone"
cp "$prefix/bin/margin-monitor" "$prefix/bin/marginctl" "$work/alone/"
QT_LOGGING_RULES="mm.files.debug=true" "$work/alone/margin-monitor" --screenshot "$work/alone.png" --quit-after 2 >"$work/alone.log" 2>&1 ||
    { cat "$work/alone.log"; fail "margin-monitor copied on its own failed"; }
for sound in warning critical emergency; do
    grep -qF "alert sound \"$sound\" embedded" "$work/alone.log" ||
        { cat "$work/alone.log"; fail "without installed files, the $sound sound is not the embedded copy"; }
done
grep -qF "icon embedded" "$work/alone.log" || grep -qF "icon from the icon theme" "$work/alone.log" ||
    { cat "$work/alone.log"; fail "without installed files, the icon came from nowhere known"; }
[ -s "$work/alone.png" ] || fail "margin-monitor copied on its own wrote no screenshot"
pass "alone, it takes the sounds embedded in it: an alarm is never silenced by a missing file"

printf '\nAll package checks passed.\n'
