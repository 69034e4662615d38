#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Installing from the source tree (stock kernel only):
#
#   - make dkms-install: DKMS builds tcpao.ko into updates/dkms, the first
#     aoctl command autoloads it; make dkms-remove takes it away again;
#   - make install: tcpao.ko into extra/ (depmod), aoctl, man page,
#     completion, tcpao.service, tcpao@.service and /etc/tcpao under
#     /usr/local; the module autoloads; make uninstall removes all but
#     /etc/tcpao.
#
# Both compile the module in the guest, under TCG: several minutes.  Run
# it with a long --timeout:
#
#   tests/vm/run --kernel stock --timeout 2400 tests/scenarios/install/src.sh
#
# Works on a copy of the tree in /tmp; the guest's root is a tmpfs overlay,
# so nothing reaches the host.
. "$(dirname "$0")/../../lib.sh"

[ "$KERNEL_FLAVOR" = stock ] || skip_all "needs Debian's stock kernel and its headers"
# Two module builds under TCG: far beyond the default 300 s per test.  The
# harness does not tell tests their timeout; its record does.
timeout=${TCPAO_TEST_TIMEOUT:-}
[ -z "$timeout" ] || [ "$timeout" -ge 1800 ] ||
	skip_all "needs tests/vm/run --timeout 1800 or more (this run: $timeout s)"
krel=$(uname -r)
[ -d "/lib/modules/$krel/build/include" ] ||
	skip_all "no headers for $krel (apt-get install linux-headers-$krel)"
require dkms modinfo rsync make

t0=$(date +%s)
lap() {
	diag "$1: $(($(date +%s) - t0)) s"
}
loaded() {
	grep -q '^tcpao ' /proc/modules
}

# A clean copy: the host's in-tree build products may be for another kernel.
src=/tmp/tcpao-src
rsync -a --exclude=/results/ --exclude=/build/ --exclude='*.o' --exclude='*.ko' \
	--exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.order' \
	--exclude='*.symvers' --exclude=/tools/aoctl/aoctl --exclude=/tools/examples/aoecho \
	"$TCPAO_SRC/" "$src/"
cd "$src" || bail "no copy of the tree"
# One version for DKMS, modinfo and aoctl -V (packaging/version).
version=$(packaging/version)
debver=$version

rmmod tcpao 2>/dev/null
check "tcpao is not loaded at the start" sh -c '! grep -q "^tcpao " /proc/modules'

# --- make dkms-install ---------------------------------------------------------------
if make dkms-install >"$RESULTS/dkms-install.log" 2>&1; then
	ok "make dkms-install"
else
	not_ok "make dkms-install" "$(tail -n 20 "$RESULTS/dkms-install.log")"
	cp /var/lib/dkms/tcpao/"$debver"/build/make.log "$RESULTS/dkms-make.log" 2>/dev/null
fi
lap "make dkms-install"
dkms status -m tcpao >"$RESULTS/dkms-status.txt" 2>&1
debver_re=$(printf '%s' "$debver" | sed 's/[.+]/\\&/g')
check_grep "dkms status: tcpao $debver installed for $krel" \
	"^tcpao/$debver_re, $krel, [^:]*: installed" "$RESULTS/dkms-status.txt"
check "the sources are in /usr/src/tcpao-$debver" test -f "/usr/src/tcpao-$debver/dkms.conf"
check_eq "modinfo -n tcpao points into updates/dkms" \
	"/lib/modules/$krel/updates/dkms/tcpao.ko" "$(modinfo -n tcpao 2>&1)"
check_eq "the module's version" "$version" "$(modinfo -F version tcpao 2>&1)"
check "aoctl keychain show autoloads the module" sh -c \
	'"$AOCTL" keychain show && grep -q "^tcpao " /proc/modules'
rmmod tcpao
if make dkms-remove >"$RESULTS/dkms-remove.log" 2>&1; then
	ok "make dkms-remove"
else
	not_ok "make dkms-remove" "$(tail -n 20 "$RESULTS/dkms-remove.log")"
fi
check_eq "dkms knows no tcpao any more" "" "$(dkms status -m tcpao 2>&1)"
check "the sources are gone" test ! -e "/usr/src/tcpao-$debver"
check "modprobe no longer finds tcpao" sh -c '! modinfo -n tcpao'

# --- make install ----------------------------------------------------------------------
if make install >"$RESULTS/install.log" 2>&1; then
	ok "make install"
else
	not_ok "make install" "$(tail -n 20 "$RESULTS/install.log")"
fi
lap "make install"
for f in /lib/modules/"$krel"/extra/tcpao.ko /usr/local/sbin/aoctl \
	/usr/local/share/man/man8/aoctl.8 \
	/usr/local/share/bash-completion/completions/aoctl \
	/usr/local/libexec/tcpao/tcpao-apply \
	/usr/local/lib/systemd/system/tcpao.service \
	/usr/local/lib/systemd/system/tcpao@.service; do
	check "installed: $f" test -f "$f"
done
check_eq "/etc/tcpao/tcpao.conf is root-only" "600" "$(stat -c %a /etc/tcpao/tcpao.conf 2>&1)"
check_grep "the unit runs the installed helper" \
	'^ExecStart=/usr/local/libexec/tcpao/tcpao-apply /etc/tcpao/tcpao.conf$' \
	/usr/local/lib/systemd/system/tcpao.service
check_grep "... with the installed aoctl" '^Environment=AOCTL=/usr/local/sbin/aoctl$' \
	/usr/local/lib/systemd/system/tcpao.service
check_grep "tcpao@.service applies /etc/tcpao/NETNS.conf in netns NETNS" \
	'^ExecStart=/usr/local/libexec/tcpao/tcpao-apply -n %i /etc/tcpao/%i\.conf$' \
	/usr/local/lib/systemd/system/tcpao@.service
check_eq "modinfo -n tcpao points into extra" \
	"/lib/modules/$krel/extra/tcpao.ko" "$(modinfo -n tcpao 2>&1)"
check "aoctl keychain show autoloads the module" sh -c \
	'/usr/local/sbin/aoctl keychain show && grep -q "^tcpao " /proc/modules'
check_eq "/usr/local/sbin/aoctl -V" "aoctl version $version" "$(/usr/local/sbin/aoctl -V 2>&1)"
echo 'changed by the administrator' >>/etc/tcpao/tcpao.conf
make install-tools >"$RESULTS/install-again.log" 2>&1
check_grep "make install keeps an existing tcpao.conf" '^changed by the administrator$' \
	/etc/tcpao/tcpao.conf
rmmod tcpao

if make uninstall >"$RESULTS/uninstall.log" 2>&1; then
	ok "make uninstall"
else
	not_ok "make uninstall" "$(tail -n 20 "$RESULTS/uninstall.log")"
fi
for f in /lib/modules/"$krel"/extra/tcpao.ko /usr/local/sbin/aoctl \
	/usr/local/share/man/man8/aoctl.8 \
	/usr/local/share/bash-completion/completions/aoctl \
	/usr/local/libexec/tcpao/tcpao-apply \
	/usr/local/lib/systemd/system/tcpao.service \
	/usr/local/lib/systemd/system/tcpao@.service; do
	check "removed: $f" test ! -e "$f"
done
check "modprobe no longer finds tcpao" sh -c '! modinfo -n tcpao'
check "/etc/tcpao stays" test -f /etc/tcpao/tcpao.conf
lap "done"
done_testing
