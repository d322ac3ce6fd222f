# Slipway's own Makefile: the quick start (`make demo`, `make test`) and the seed's universal
# interface, forwarded to slipway for the workspace in WORKSPACE (default: the demo).

SWIFT ?= swift
SLIPWAY := .build/debug/slipway
WORKSPACE ?= slipway-demo
ENV ?= development
RUN = $(SLIPWAY) --workspace $(WORKSPACE)

.PHONY: build demo test check-deps bench \
	deploy-all deploy-app deploy-service test-all test-app health-check-all setup-env list-apps list-services

check-deps:
	@test -f /usr/include/ncursesw/curses.h || test -f /usr/include/ncurses.h || { \
		echo "libncursesw headers are missing: install them with 'sudo apt-get install libncurses-dev'" >&2; exit 2; }
	@test -f /usr/include/sqlite3.h || { \
		echo "SQLite headers are missing: install them with 'sudo apt-get install libsqlite3-dev'" >&2; exit 2; }

build: check-deps
	$(SWIFT) build --product slipway

demo: build
	$(SLIPWAY) demo --dir $(WORKSPACE)

test: check-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest --no-parallel

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
