import Foundation
import SlipwayTestSupport
import Testing

/// The seed's Makefile interface against moto: `make deploy-app APP=... ENV=staging` in
/// Slipway's own Makefile, for a component whose Makefile deploys through `deploy/aws.mk`.
@Suite struct AWSMakefileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func makeDeployAppRegistersARevisionAndGivesItToTheColoursService() throws {
        let moto = try MotoServer()
        let ecs = try ECSFixture(moto: moto)
        try moto.aws("elbv2", "modify-listener", "--listener-arn", ecs.listener, "--default-actions",
                     ECSFixture.forward(blue: 0, green: 100, blueGroup: ecs.blueGroup, greenGroup: ecs.greenGroup))
        let workspace = try TemporaryWorkspace(files: [
            "deploy/shared.mk": try String(contentsOf: Self.repository.appendingPathComponent("deploy/shared.mk"), encoding: .utf8),
            "deploy/aws.mk": try String(contentsOf: Self.repository.appendingPathComponent("deploy/aws.mk"), encoding: .utf8),
            "apps/orders/ecs-task-definition.json": ECSFixture.taskDefinition(tag: "from-makefile"),
            "apps/orders/Makefile": """
                APP_NAME := orders
                APP_TYPE := docker
                DEPLOYMENT_TARGET := aws-ecs
                ECS_CLUSTER := main
                ECS_SERVICE := orders
                LISTENER_ARN := \(ecs.listener)
                TARGET_GROUP_blue := \(ecs.blueGroup)
                TARGET_GROUP_green := \(ecs.greenGroup)

                include ../../deploy/shared.mk
                include ../../deploy/aws.mk

                deploy: ecs-deploy
                switch-traffic: ecs-switch-traffic

                """,
        ])
        try workspace.commitAll("orders")

        // SWIFT=true: the binary under test is built already; the agent is not needed (and would outlive the test).
        let result = try workspace.run("/usr/bin/env", [
            "make", "--no-print-directory", "-C", Self.repository.path, "deploy-app", "APP=orders", "ENV=staging",
            "WORKSPACE=\(workspace.root.path)", "SWIFT=true", "SLIPWAY=\(SlipwayProcess.binary.path)",
        ], environment: moto.environment.merging(["SLIPWAY_NO_AGENT": "1", "SLIPWAY_ACTOR": "tester"]) { _, new in new })
        #expect(result.status == 0, "\(result.output)")
        #expect(try ecs.image(of: "blue") == "\(ECSFixture.image):from-makefile",
                "the blue service runs the revision ecs-deploy registered")
        #expect(try ecs.image(of: "green") == "\(ECSFixture.image):initial")
        let weights = try ecs.weights()
        #expect(weights[0] > 0 && weights[1] == 0, "switch-traffic sent the listener to blue: \(weights)")
    }
}
