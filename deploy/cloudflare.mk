# cloudflare.mk: Cloudflare Pages and Workers through wrangler.
# Pages: BUILD_DIR is uploaded as a deployment of branch $(ENV). Workers: `wrangler deploy --env`
# with the seed's Workers environment: development is `dev` (workers_env in slipway.yml), others
# keep their name.

BUILD_DIR ?= dist
WRANGLER ?= wrangler
CF_PROJECT ?= $(APP_NAME)
HEALTH_URL ?=
WORKERS_ENV ?= $(if $(filter development,$(ENV)),dev,$(ENV))

.PHONY: deploy-pages deploy-worker cf-health-check

deploy-pages:
	$(call require,$(WRANGLER))
	$(call log,deploying $(BUILD_DIR) to Cloudflare Pages project $(CF_PROJECT), branch $(ENV))
	$(WRANGLER) pages deploy $(BUILD_DIR) --project-name=$(CF_PROJECT) --branch=$(ENV) --commit-hash=$(VERSION)

deploy-worker:
	$(call require,$(WRANGLER))
	$(call log,deploying worker $(APP_NAME) to $(ENV) (Workers environment $(WORKERS_ENV)))
	$(WRANGLER) deploy --env $(WORKERS_ENV) --var VERSION:$(VERSION)

cf-health-check:
	@test -n "$(HEALTH_URL)" || { echo "[$(APP_NAME)] set HEALTH_URL to check $(ENV)" >&2; exit 1; }
	@curl -fsS --max-time 5 "$(HEALTH_URL)" >/dev/null
	$(call log,healthy: $(HEALTH_URL))
