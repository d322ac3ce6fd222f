APP_NAME := api
APP_TYPE ?= go
export DEPLOYMENT_TARGET = local
SHARED := ../../deploy
include $(SHARED)/shared.mk
-include ${SHARED}/local.mk
FLAGS += -v \
  -x # comment
build test: deps
	$(MAKE) x
%.o: %.c
.PHONY: build
