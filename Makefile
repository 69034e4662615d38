# SPDX-License-Identifier: GPL-2.0
#
# tcpao: TCP-AO (RFC 5925/5926) for Linux routers, as a loadable module.
#
#   make                 build tcpao.ko and the tools
#   make deps            install what build, tests, demo and benchmarks need
#   make check           run every test (userspace, KUnit, VM scenarios)
#   make demo            two routers with BGP over TCP-AO in a VM
#   make bench           the benchmark (plain TCP, TCP-MD5, TCP-AO)
#   make checkpatch      checkpatch.pl --strict on the kernel sources
#   make sparse          build the module with C=1
#   make install         install module, aoctl, man page, completion
#   make dkms-install    register and build with DKMS
#   make deb             build the Debian packages
#   make fuzz            run the userspace fuzzers for FUZZ_SECONDS
#
# KDIR selects the kernel to build against (default: the running kernel's
# build tree, else the newest /usr/src/linux-headers-*-amd64).

KVER ?= $(shell uname -r)
KDIR ?= $(shell $(CURDIR)/scripts/kdir $(KVER))
TCPAO_VERSION ?= $(shell git -C $(CURDIR) describe --tags --always --dirty 2>/dev/null | sed 's/^v//' || cat $(CURDIR)/VERSION)
ifeq ($(TCPAO_VERSION),)
TCPAO_VERSION := $(shell cat $(CURDIR)/VERSION)
endif

KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) TCPAO_VERSION=$(TCPAO_VERSION)

.PHONY: all module tools clean check deps demo bench checkpatch sparse \
	install dkms-install deb fuzz

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

demo:
	tests/demo/run

bench:
	bench/run

checkpatch:
	scripts/checkpatch

sparse:
	$(KMAKE) C=2 modules

fuzz:
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)
