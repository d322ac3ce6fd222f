# aws.mk: AWS ECS services (blue/green by task set colour), Lambda functions and S3 sites.

AWS ?= aws
AWS_REGION ?= eu-west-1
ECS_CLUSTER ?= $(ENV)
ECS_SERVICE ?= $(APP_NAME)-$(ENV)
ECR_REPOSITORY ?= $(APP_NAME)
TASK_DEFINITION ?= $(firstword $(wildcard ecs-task-definition.json deploy/ecs-task-definition.json) ecs-task-definition.json)

.PHONY: ecs-deploy ecs-switch-traffic lambda-deploy s3-deploy

# Registers a revision of the task definition and gives that revision to the colour's service:
# update-service without --task-definition would only restart the revision it already runs.
ecs-deploy:
	$(call require,$(AWS))
	$(call log,registering task definition $(VERSION) for $(ECS_SERVICE) ($(or $(COLOR),single)))
	@revision=$$($(AWS) ecs register-task-definition --region $(AWS_REGION) --cli-input-json file://$(TASK_DEFINITION) \
		--query taskDefinition.taskDefinitionArn --output text) && \
	echo "[$(APP_NAME)] registered $$revision" && \
	$(AWS) ecs update-service --region $(AWS_REGION) --cluster $(ECS_CLUSTER) --service $(ECS_SERVICE)$(if $(COLOR),-$(COLOR)) \
		--task-definition "$$revision" --query service.taskDefinition --output text

ecs-switch-traffic:
	$(call require,$(AWS))
	$(call log,switching $(ECS_SERVICE) traffic to $(COLOR))
	$(AWS) elbv2 modify-listener --region $(AWS_REGION) --listener-arn $(LISTENER_ARN) --default-actions Type=forward,TargetGroupArn=$(TARGET_GROUP_$(COLOR))

lambda-deploy:
	$(call require,$(AWS))
	$(AWS) lambda update-function-code --region $(AWS_REGION) --function-name $(APP_NAME)-$(ENV) --zip-file fileb://$(BUILD_DIR)/function.zip

s3-deploy:
	$(call require,$(AWS))
	$(AWS) s3 sync $(BUILD_DIR) s3://$(APP_NAME)-$(ENV) --delete
