import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// The AWS targets' pure parts: reading a listener's weights, naming a refused credential,
/// tagging a task definition's image, and the `aws:` block's errors.
@Suite struct AWSTargetLogicTests {
    static let groups = AWSSettings.ColorPair(blue: "arn:tg/blue", green: "arn:tg/green")

    static func forward(_ pairs: [(String, Int?)]) -> [ListenerAction] {
        [ListenerAction(type: "forward", targetGroupArn: nil, forwardConfig: .init(targetGroups: pairs.map {
            ListenerAction.WeightedGroup(targetGroupArn: $0.0, weight: $0.1)
        }))]
    }

    @Test func theLiveColourIsTheOneWithMostOfTheListenersWeight() throws {
        #expect(try ListenerWeights(actions: Self.forward([("arn:tg/blue", 0), ("arn:tg/green", 100)]), targetGroups: Self.groups).live == .green)
        #expect(try ListenerWeights(actions: Self.forward([("arn:tg/blue", 75), ("arn:tg/green", 25)]), targetGroups: Self.groups).live == .blue)
        #expect(try ListenerWeights(actions: Self.forward([("arn:tg/blue", 50), ("arn:tg/green", 50)]), targetGroups: Self.groups).live == nil)
        let single = [ListenerAction(type: "forward", targetGroupArn: "arn:tg/green", forwardConfig: nil)]
        #expect(try ListenerWeights(actions: single, targetGroups: Self.groups) == ListenerWeights(blue: 0, green: 1))
    }

    @Test func aListenerForwardingElsewhereIsNotTakenOver() {
        let error = #expect(throws: SlipwayError.self) {
            try ListenerWeights(actions: Self.forward([("arn:tg/blue", 0), ("arn:tg/other", 100)]), targetGroups: Self.groups)
        }
        #expect(error?.message.contains("arn:tg/other, which is neither aws.target_groups.blue nor green") == true)
        #expect(error?.reason == .ecs(.listenerForwardsElsewhere(targetGroup: "arn:tg/other")))
        #expect(throws: SlipwayError(.ecs(.listenerNotForwarding))) {
            try ListenerWeights(actions: [ListenerAction(type: "fixed-response", targetGroupArn: nil, forwardConfig: nil)],
                                targetGroups: Self.groups)
        }
    }

    @Test func writtenWeightsReadBackAsTheSameSplit() throws {
        let weights = ListenerWeights(25, to: .green)
        let json = weights.actionsJSON(targetGroups: Self.groups)
        let actions = try JSONDecoder().decode([ListenerAction].self, from: Data(json.utf8))
        #expect(try ListenerWeights(actions: actions, targetGroups: Self.groups) == ListenerWeights(blue: 75, green: 25))
    }

    @Test func aRefusedCredentialIsNamedInOneLine() {
        let key = AWSCommandLine(region: nil, environment: ["AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s"])
        let refused = key.failure(of: "elbv2 modify-listener", standardError: """

            An error occurred (InvalidClientTokenId) when calling the ModifyListener operation: The security token included in the request is invalid.
            """)
        #expect(refused.message == "AWS refused the credentials of AWS_ACCESS_KEY_ID AKIAEXAMPLE (InvalidClientTokenId) on aws "
            + "elbv2 modify-listener; traffic stays where it was")
        #expect(refused.reason == .platform(.credentialRefused(
            .aws, credential: "the credentials of AWS_ACCESS_KEY_ID AKIAEXAMPLE", status: "InvalidClientTokenId", reason: nil,
            operation: "elbv2 modify-listener")))
        let profile = AWSCommandLine(region: nil, environment: ["AWS_PROFILE": "deploy"])
        #expect(profile.failure(of: "ecs update-service", standardError: "An error occurred (AccessDeniedException) when calling")
            .message.contains("the credentials of AWS_PROFILE 'deploy' (AccessDeniedException)"))
        let other = key.failure(of: "ecs update-service", standardError: "An error occurred (ServiceNotFoundException) when calling x: gone\n")
        #expect(other.message == "aws ecs update-service failed: An error occurred (ServiceNotFoundException) when calling x: gone")
        #expect(other.reason == .platform(.refused(
            .aws, operation: "ecs update-service", status: nil, message: "An error occurred (ServiceNotFoundException) when calling x: gone")))
    }

    @Test func theReleasesImageIsTaggedWithItsVersion() async throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/orders/ecs-task-definition.json": """
                {"family": "orders", "revision": 7, "status": "ACTIVE",
                 "containerDefinitions": [{"name": "proxy", "image": "nginx:1.27"},
                                          {"name": "orders", "image": "123.dkr.ecr.eu-west-2.amazonaws.com/orders:latest"}]}
                """,
            "services/orders/slipway.yml": """
                target: aws-ecs
                aws:
                  cluster: main
                  services: {blue: b, green: g}
                  target_groups: {blue: tb, green: tg}
                  listener: l
                  image: 123.dkr.ecr.eu-west-2.amazonaws.com/orders
                """,
        ])
        let engine = try await Engine.open(workspace: workspace.root, state: workspace.statePath, output: { _ in })
        let component = try engine.workspace.component(named: "orders")
        let target = try ECSTarget(engine: engine, component: component, environment: "staging")
        let input = try target.taskDefinitionInput(source: component.directory, version: "4-ab12cd3")
        let definition = try #require(try JSONSerialization.jsonObject(with: input) as? [String: Any])
        let images = (definition["containerDefinitions"] as? [[String: Any]])?.compactMap { $0["image"] as? String }
        #expect(images == ["nginx:1.27", "123.dkr.ecr.eu-west-2.amazonaws.com/orders:4-ab12cd3"])
        #expect(definition["revision"] == nil && definition["status"] == nil, "what describe-task-definition adds is dropped")
        #expect(ECSTarget.tag(of: "host:5000/orders:v1") == "v1")
        #expect(ECSTarget.tag(of: "host:5000/orders") == nil)
        #expect(ECSTarget.repository(of: "host:5000/orders:v1") == "host:5000/orders")
    }

    @Test func aMissingKeyOfTheAWSBlockIsNamedAtItsPlace() async throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/orders/ecs-task-definition.json": "{}",
            "services/orders/slipway.yml": "target: aws-ecs\naws:\n  cluster: main\n  image: orders\n",
        ])
        // The component is set aside with its error; a command naming it, or config check, gets it.
        let engine = try await Engine.open(workspace: workspace.root, state: workspace.statePath, output: { _ in })
        let error = #expect(throws: SlipwayError.self) { try engine.workspace.component(named: "orders") }
        #expect(error?.message == "services/orders/slipway.yml:3:3: aws-ecs needs aws.services, aws.target_groups, aws.listener",
                "\(error?.message ?? "no error")")
        #expect(error?.exitCode == 2)
    }

    @Test func anEnvironmentsAWSBlockOverridesTheComponentsKeyByKey() throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/orders/slipway.yml": """
                target: aws-ecs
                aws:
                  region: eu-west-2
                  cluster: staging
                  services: {blue: orders-blue, green: orders-green}
                  target_groups: {blue: tb, green: tg}
                  listener: staging-listener
                  image: orders
                environments:
                  production:
                    aws: {cluster: production, listener: production-listener}
                """,
        ])
        let settings = try Workspace.load(at: workspace.root).component(named: "orders").settings
        #expect(settings.aws(in: "staging")?.cluster == "staging")
        #expect(settings.aws(in: "production")?.cluster == "production")
        #expect(settings.aws(in: "production")?.listener == "production-listener")
        #expect(settings.aws(in: "production")?.services == settings.aws(in: "staging")?.services, "the rest is the component's")
        #expect(settings.aws(in: "production")?.region == "eu-west-2")
    }
}
