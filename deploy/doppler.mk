# doppler.mk: secrets from Doppler, one config per environment. Values never reach logs:
# Slipway masks variables named *_TOKEN, *_KEY, *_SECRET, *PASSWORD and those under `secrets:`.

DOPPLER ?= doppler
DOPPLER_PROJECT ?= $(APP_NAME)
DOPPLER_CONFIG ?= $(ENV)

# $(call with-secrets,COMMAND): run COMMAND with the environment's secrets injected.
with-secrets = $(DOPPLER) run --project $(DOPPLER_PROJECT) --config $(DOPPLER_CONFIG) -- $(1)

.PHONY: secrets-check
secrets-check:
	$(call require,$(DOPPLER))
	@$(DOPPLER) secrets --project $(DOPPLER_PROJECT) --config $(DOPPLER_CONFIG) --only-names >/dev/null
	$(call log,secrets available for $(ENV))
