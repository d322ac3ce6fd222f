# Slipway's own Makefile: the quick start (`make demo`, `make test`) and the seed's universal
# interface, forwarded to slipway for the workspace in WORKSPACE (default: the demo).

SWIFT ?= swift
SLIPWAY := .build/debug/slipway
WORKSPACE ?= slipway-demo
ENV ?= development
RUN = $(SLIPWAY) --workspace $(WORKSPACE)

.PHONY: build release demo demo-cloud test fuzz check-deps test-deps bench \
	deploy-all deploy-app deploy-service test-all test-app health-check-all setup-env list-apps list-services

# What the build (`demo`) or the tests (`test`) need beyond the Swift toolchain, make, git and
# python3: scripts/setup-deps.sh installs what is missing (Debian packages with apt-get as root,
# otherwise it prints the command to run; the tests' Python tools into .venv/).
check-deps:
	@scripts/setup-deps.sh demo

test-deps:
	@scripts/setup-deps.sh test

build: check-deps
	$(SWIFT) build --product slipway

# One binary to install: optimised, with the Swift runtime and Foundation linked in (it loads 10
# shared libraries instead of 24 and starts sooner; bench/README.md has the figures).
release: check-deps
	$(SWIFT) build -c release --static-swift-stdlib --product slipway
	@echo "release: $$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/slipway"

demo: build
	$(SLIPWAY) demo --dir $(WORKSPACE)

# The demo with an ECS service and a Cloudflare Worker beside the local components, on moto (an AWS
# API emulator) and a stand-in for Cloudflare's API, both installed into .venv/ first.
demo-cloud: build
	@scripts/setup-deps.sh demo-cloud
	$(SLIPWAY) demo --cloud --dir $(WORKSPACE)

# The tests run the tools of .venv/ (and its python3) first on PATH. They need no git identity:
# each repository they commit to sets its own. TEST_ARGS picks tests: TEST_ARGS='--filter ReportParserTests'
# (and skips the fuzzers, which run 20 s each after the whole suite).
test: test-deps
	$(SWIFT) build --build-tests
	PATH="$(CURDIR)/.venv/bin:$$PATH" $(SWIFT) test --skip-build --disable-xctest --no-parallel $(TEST_ARGS)
	$(if $(TEST_ARGS),,SWIFT=$(SWIFT) scripts/fuzz.sh --ci)

# The libFuzzer targets of fuzz/, each for FUZZ_SECONDS (CI runs them 20 s each from `make test`).
FUZZ_SECONDS ?= 300
fuzz:
	SWIFT=$(SWIFT) scripts/fuzz.sh --seconds $(FUZZ_SECONDS)

bench:
	bash bench/run.sh

deploy-all: build ; $(RUN) deploy-all --env $(ENV)
deploy-app: build ; $(RUN) deploy-app $(APP) --env $(ENV)
deploy-service: build ; $(RUN) deploy-service $(SERVICE) --env $(ENV)
test-all: build ; $(RUN) test-all
test-app: build ; $(RUN) test-app $(APP)
health-check-all: build ; $(RUN) health-check-all --env $(ENV)
setup-env: build ; $(RUN) setup-env
list-apps: build ; $(RUN) list-apps
list-services: build ; $(RUN) list-services
