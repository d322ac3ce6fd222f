# app-template.mk: copy to apps/<name>/Makefile (or services/<name>/Makefile) and fill in.
# Slipway reads APP_NAME, APP_TYPE (technology) and DEPLOYMENT_TARGET from here, and runs the
# goals test, build, deploy, health-check (and switch-traffic, for blue/green) with
# ENV=<env> VERSION=<version> [COLOR=<blue|green>].

APP_NAME := my-app
APP_TYPE := nodejs
DEPLOYMENT_TARGET := local

include ../../deploy/shared.mk
include ../../deploy/local.mk
# For Cloudflare or AWS instead of local:
#   include ../../deploy/cloudflare.mk   and   deploy: deploy-pages
#   include ../../deploy/aws.mk          and   deploy: ecs-deploy
