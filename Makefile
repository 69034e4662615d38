# SPDX-License-Identifier: GPL-2.0
#
# tcpao: TCP-AO (RFC 5925/5926) for Linux routers, as a loadable module.
#
#   make                 build tcpao.ko and the tools
#   make deps            install what build, tests, demo and benchmarks need
#   make check           run every test (userspace, KUnit, VM scenarios)
#   make check-quick     the edit-test loop, about 3 minutes with the
#                        kernels cached: unit tests, the build and its
#                        layering, KUnit, the smoke scenario
#   make demo            two routers with BGP over TCP-AO in a VM
#   make bench           the benchmark (plain TCP, TCP-MD5, TCP-AO;
#                        BENCH_KERNEL=native: and Linux's own TCP-AO)
#   make checkpatch      checkpatch.pl --strict on the kernel sources
#   make sparse          build the module with C=1
#   make check-layers    build the module, then check that every call
#                        between its files goes down src/LAYERS
#   make install         install module, aoctl, man page, completion,
#                        tcpao.service, /etc/tcpao (make uninstall)
#   make dkms-install    register and build with DKMS (make dkms-remove)
#   make deb             build the Debian packages
#   make fuzz            run the userspace fuzzers for FUZZ_SECONDS
#   make harden          just the hardening scenarios (debug kernel)
#   make check-selftests Linux's own TCP-AO selftests, natively and on tcpao
#
# KDIR selects the kernel to build against (default: the running kernel's
# build tree, else the newest /usr/src/linux-headers-*-amd64).

KVER ?= $(shell uname -r)
KDIR ?= $(shell $(CURDIR)/scripts/kdir $(KVER))
# One version for the module, aoctl and the packages (packaging/version:
# VERSION, and the commits since that release).
TCPAO_VERSION ?= $(shell $(CURDIR)/packaging/version 2>/dev/null)
ifeq ($(TCPAO_VERSION),)
TCPAO_VERSION := $(shell cat $(CURDIR)/VERSION)
endif

KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) TCPAO_VERSION=$(TCPAO_VERSION)

.PHONY: all module tools clean check deps demo bench checkpatch sparse \
	check-layers check-quick install dkms-install deb fuzz harden \
	check-selftests

all: module tools

module:
	$(KMAKE) modules

tools:
	$(MAKE) -C tools

clean:
	-[ -z "$(KDIR)" ] || $(KMAKE) clean
	$(MAKE) -C tools clean

deps:
	scripts/setup

check:
	tests/check

check-quick:
	tests/check quick

demo:
	tests/demo/run

# make bench BENCH_KERNEL=native: on the 6.12 kernel with Linux's own
# TCP-AO, side by side with it; BENCH_ARGS=--quick for a short run.
BENCH_KERNEL ?= stock
bench:
	bench/run --kernel $(BENCH_KERNEL) $(BENCH_ARGS)

# Just the hardening scenarios, at full scale (100,000 hostile
# segments, 100,000 SYNs, 100,000 netlink messages, 10,000 changes, 50
# unloads), on the debug kernel (HARDEN_KERNEL=stock for the other); make
# check runs them under KASAN too, the longest ones scaled down
# (tests/scenarios/LIST says how, and which also run on the stock kernels).
HARDEN_SCENARIOS = segments listener resets synflood netlink netlink_users \
	limits churn rmmod unprotected peer_race
harden:
	tests/vm/run --kernel $(or $(HARDEN_KERNEL),debug) \
		--timeout $(or $(HARDEN_TIMEOUT),900) \
		$(patsubst %,tests/scenarios/hardening/%.sh,$(HARDEN_SCENARIOS))

# Linux's own TCP-AO selftests (tools/testing/selftests/net/tcp_ao of
# Debian 13's linux-source-6.12, built once by tests/vm/build-selftests) on
# the native-TCP-AO kernel, the baseline, then on tcpao through
# libtcpao-compat.so on Debian's 6.12; then the two side by side, case by
# case (tests/scenarios/native/selftests.sh, Documentation/linuxapi.rst).
# The scenario takes 4 minutes natively and 6 on tcpao (TCG, a loaded
# 2-core host; the binaries alone 150 s and 250 s): too long for
# tests/scenarios/LIST.  Results in results/selftests-*/.
check-selftests: tools
	tests/vm/build-selftests >/dev/null
	rc=0; for k in native stock612; do \
		tests/vm/run --kernel $$k --results results/selftests-$$k \
			tests/scenarios/native/selftests.sh || rc=1; \
	done; \
	tests/vm/selftests-compare results/selftests-native \
		results/selftests-stock612; exit $$rc

checkpatch:
	scripts/checkpatch

sparse:
	$(KMAKE) C=2 modules

# From the objects just built (scripts/check-layers, src/LAYERS).
check-layers: module
	scripts/check-layers

fuzz:
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

# --- Installation ---------------------------------------------------------
# make install: the module into /lib/modules/<release>/$(INSTALL_MOD_DIR)
# (then depmod), aoctl, its man page and bash completion under $(PREFIX),
# tcpao.service and its helper, and /etc/tcpao/tcpao.conf unless it exists.
# DESTDIR stages everything (no depmod then).  make dkms-install instead
# hands the module to DKMS (/lib/modules/<release>/updates/dkms, rebuilt for
# new kernels); make deb builds tcpao-dkms and aoctl packages in build/deb/.
# See Documentation/admin-guide.rst.
PREFIX ?= /usr/local
INSTALL_MOD_DIR ?= extra
# The release of the kernel in KDIR (KVER may not match a KDIR= given).
KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
MODDIR = /lib/modules/$(KRELEASE)/$(INSTALL_MOD_DIR)
INSTALL_VARS = DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) TCPAO_VERSION=$(TCPAO_VERSION)

.PHONY: install-module install-tools uninstall dkms-remove

install: install-module install-tools

install-module: module
	@[ -n "$(KRELEASE)" ] || { echo "install: no kernel release in $(KDIR)" >&2; exit 1; }
	install -D -m 0644 tcpao.ko $(DESTDIR)$(MODDIR)/tcpao.ko
	[ -n "$(DESTDIR)" ] || depmod -a $(KRELEASE)

install-tools:
	$(MAKE) -C tools/aoctl install $(INSTALL_VARS)
	$(MAKE) -C tools/libtcpao-compat install $(INSTALL_VARS)
	$(MAKE) -C packaging install $(INSTALL_VARS)
	[ -n "$(DESTDIR)" ] || [ ! -d /run/systemd/system ] || systemctl daemon-reload

uninstall:
	-[ -n "$(DESTDIR)" ] || [ ! -d /run/systemd/system ] || \
		systemctl disable tcpao.service 2>/dev/null
	[ -z "$(KRELEASE)" ] || rm -f $(DESTDIR)$(MODDIR)/tcpao.ko
	[ -n "$(DESTDIR)" ] || [ -z "$(KRELEASE)" ] || depmod -a $(KRELEASE)
	$(MAKE) -C tools/aoctl uninstall $(INSTALL_VARS)
	$(MAKE) -C packaging uninstall $(INSTALL_VARS)
	[ -n "$(DESTDIR)" ] || [ ! -d /run/systemd/system ] || systemctl daemon-reload
	@echo "uninstall: /etc/tcpao (configuration and keys) is left in place"

dkms-install:
	TCPAO_VERSION=$(TCPAO_VERSION) packaging/dkms install $(KRELEASE)

dkms-remove:
	packaging/dkms remove

deb:
	TCPAO_VERSION=$(TCPAO_VERSION) packaging/mkdeb
