# shared.mk: what every component Makefile includes first.
# Slipway runs goals as: make -C <component> <goal> ENV=<env> VERSION=<version> [COLOR=<blue|green>]
# Run by hand, ENV and VERSION fall back to development and the last commit of the folder.

ENV ?= development
VERSION ?= $(shell git log -1 --format=%h -- . 2>/dev/null || echo unversioned)
APP_NAME ?= $(notdir $(CURDIR))
APP_TYPE ?= unknown
DEPLOYMENT_TARGET ?= unknown

# $(call log,message): one line prefixed with the component, as Slipway's logs show it.
log = @echo "[$(APP_NAME)] $(1)"

# $(call require,TOOL): fail with a clear line when a tool is missing.
require = @command -v $(1) >/dev/null 2>&1 || { echo "[$(APP_NAME)] missing tool: $(1)" >&2; exit 127; }

.PHONY: info
info:
	@echo "name=$(APP_NAME) technology=$(APP_TYPE) target=$(DEPLOYMENT_TARGET) env=$(ENV) version=$(VERSION)"
