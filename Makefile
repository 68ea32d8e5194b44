# leapp: the two commands are `make demo` and `make test`.
PREFIX ?= /usr/local
SWIFT ?= swift
RELEASE_BIN := .build/release/leapp
DEBUG_BIN := .build/debug/leapp

.PHONY: all deps build release test unit e2e demo bench install deb lint clean

all: build

deps:
	@.ci/install-deps

build: deps
	$(SWIFT) build

# Static Swift stdlib; the lazily opened C libraries are removed from DT_NEEDED. Their names
# come from the one list the loader and doctor read too.
LAZY_LIBS := $(shell sed -n 's/^\#define LEAPP_\(SONAMES_[A-Z]*\|LINKED_ONLY\) //p' Sources/CLeappShims/include/leapp_libraries.h | tr -d '",')
release: deps
	$(SWIFT) build -c release --static-swift-stdlib
	patchelf --remove-rpath $$(for l in $$(patchelf --print-needed $(RELEASE_BIN)); do \
	  case " $(LAZY_LIBS) " in *" $$l "*) printf -- '--remove-needed %s ' "$$l";; esac; done) $(RELEASE_BIN)

test: build lint unit e2e

# The code follows .swift-format (swift-format ships with the toolchain).
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

# Core and adapter tests; the keyring tests run in a private D-Bus session.
unit:
	$(SWIFT) build --build-tests
	Tests/harness/private-session $(SWIFT) test --skip-build --disable-swift-testing

# End to end: simulators, moto's STS, real shells, the AWS CLI. Each test makes its own world.
e2e:
	LEAPP_BIN=$(abspath $(DEBUG_BIN)) python3 -m pytest -q -p no:cacheprovider Tests/e2e

demo: build
	LEAPP_BIN=$(abspath $(DEBUG_BIN)) Tests/harness/private-session Tests/harness/demo

bench: release
	@.ci/install-deps bench
	LEAPP_BIN=$(abspath $(RELEASE_BIN)) Tests/harness/private-session Tests/bench/run

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/leapp
	install -m 0755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/leapp
	install -m 0644 shell/leapp.bash shell/leapp.zsh shell/leapp.fish $(DESTDIR)$(PREFIX)/share/leapp/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	$(RELEASE_BIN) --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/leapp
	$(RELEASE_BIN) --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_leapp
	$(RELEASE_BIN) --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/leapp.fish

# A Debian package of the release build (dpkg-deb, no network): build/leapp_VERSION_ARCH.deb.
DEBDIR ?= build
deb: release
	.ci/make-deb $(RELEASE_BIN) $(DEBDIR)

clean:
	rm -rf .build
