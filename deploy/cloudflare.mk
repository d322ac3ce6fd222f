# cloudflare.mk: Cloudflare Pages and Workers through wrangler.
# Pages: BUILD_DIR is uploaded as a deployment of branch $(ENV). Workers: `wrangler deploy --env`.

BUILD_DIR ?= dist
WRANGLER ?= wrangler
CF_PROJECT ?= $(APP_NAME)
HEALTH_URL ?=

.PHONY: deploy-pages deploy-worker cf-health-check

deploy-pages:
	$(call require,$(WRANGLER))
	$(call log,deploying $(BUILD_DIR) to Cloudflare Pages project $(CF_PROJECT), branch $(ENV))
	$(WRANGLER) pages deploy $(BUILD_DIR) --project-name=$(CF_PROJECT) --branch=$(ENV) --commit-hash=$(VERSION)

deploy-worker:
	$(call require,$(WRANGLER))
	$(call log,deploying worker $(APP_NAME) to $(ENV))
	$(WRANGLER) deploy --env $(ENV) --var VERSION:$(VERSION)

cf-health-check:
	@test -n "$(HEALTH_URL)" || { echo "[$(APP_NAME)] set HEALTH_URL to check $(ENV)" >&2; exit 1; }
	@curl -fsS --max-time 5 "$(HEALTH_URL)" >/dev/null
	$(call log,healthy: $(HEALTH_URL))
