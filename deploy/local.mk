# local.mk: the `local` target, deployed on this machine, Capistrano style.
# A release is built once per version into $(SLIPWAY_STATE_DIR)/releases/<app>/<version>/ and the
# same build is linked as `current` in every environment, so promotion ships what was tested.

SLIPWAY_STATE_DIR ?= $(abspath ../../.slipway)
RELEASES_DIR := $(SLIPWAY_STATE_DIR)/releases/$(APP_NAME)
RELEASE_DIR := $(RELEASES_DIR)/$(VERSION)
ENV_DIR := $(SLIPWAY_STATE_DIR)/environments/$(ENV)/$(APP_NAME)
# Files of the component copied into a release (everything but Makefiles and local state).
RELEASE_EXCLUDES ?= Makefile slipway.yml .slipway
TEST_COMMAND ?= true
BUILD_COMMAND ?= true

# Blue/green on disk: a deploy links the release into the idle colour's slot, the health check
# looks at that slot, and only switch-traffic moves `current`, so a release that fails its check
# never becomes current.
COLOR ?= blue
SLOT := $(ENV_DIR)/$(COLOR)

.PHONY: test build deploy health-check switch-traffic

test:
	$(call log,testing)
	@$(TEST_COMMAND)

build:
	@if [ -f "$(RELEASE_DIR)/RELEASE" ]; then \
		echo "[$(APP_NAME)] release $(VERSION) already built, reusing it"; \
	else \
		echo "[$(APP_NAME)] building release $(VERSION)"; \
		tmp="$(RELEASES_DIR)/.building-$(VERSION)-$$$$"; \
		mkdir -p "$$tmp" && \
		tar -cf - $(foreach x,$(RELEASE_EXCLUDES),--exclude=$(x)) . | tar -xf - -C "$$tmp" && \
		(cd "$$tmp" && $(BUILD_COMMAND)) && \
		printf 'app=%s\nversion=%s\nbuilt=%s\n' "$(APP_NAME)" "$(VERSION)" "$$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$$tmp/RELEASE" && \
		rm -rf "$(RELEASE_DIR)" && mv "$$tmp" "$(RELEASE_DIR)"; \
	fi

deploy: build
	$(call log,linking $(VERSION) into the $(COLOR) slot of $(ENV))
	@mkdir -p "$(ENV_DIR)"
	@ln -sfn "$(RELEASE_DIR)" "$(SLOT).new" && mv -T "$(SLOT).new" "$(SLOT)"

health-check:
	@test "$$(readlink "$(SLOT)")" = "$(RELEASE_DIR)" || { echo "[$(APP_NAME)] the $(COLOR) slot of $(ENV) does not hold $(VERSION)" >&2; exit 1; }
	@grep -q "^version=$(VERSION)$$" "$(SLOT)/RELEASE" || { echo "[$(APP_NAME)] release $(VERSION) is incomplete" >&2; exit 1; }
	@if [ -x "$(SLOT)/healthcheck" ]; then "$(SLOT)/healthcheck"; fi
	$(call log,healthy: $(VERSION) in the $(COLOR) slot of $(ENV))

switch-traffic:
	$(call log,switching $(ENV) to $(COLOR))
	@ln -sfn "$(COLOR)" "$(ENV_DIR)/current.new" && mv -T "$(ENV_DIR)/current.new" "$(ENV_DIR)/current"
