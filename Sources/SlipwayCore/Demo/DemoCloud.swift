import AsyncHTTPClient
import Foundation
import NIOCore

/// The cloud part of the demo (`slipway demo --cloud`): an ECS service (`services/orders`, target
/// `aws-ecs`) and a Worker (`services/edge`, target `cloudflare-workers`) beside the local
/// components. No cloud is reachable from here, so AWS is moto (an AWS API emulator) and
/// Cloudflare is a stand-in for its API, both on loopback ports, started in the background and
/// stopped by `agent stop` with the rest of the fleet. The demo makes in moto what an operator
/// would have made before adopting Slipway: per environment two target groups with a registered
/// target, a listener forwarding to blue, and two services on the first task definition.
public struct DemoCloud: Sendable {
    public static let account = "0123456789abcdef0123456789abcdef"
    static let region = "eu-west-2"
    public static let image = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/orders"
    /// Where the variables live for another shell (and for the demo when it is reused).
    public static let variablesFile = ".slipway/demo-cloud.env"

    var tools: DemoCloudTools
    var moto: DemoStandIn
    var cloudflare: DemoStandIn

    /// The platforms' own variables, as the aws CLI and wrangler read them: the endpoints of the
    /// stand-ins and fake credentials, and nothing of this machine's AWS configuration.
    var variables: [String: String] {
        [
            "AWS_ENDPOINT_URL": moto.url, "AWS_ACCESS_KEY_ID": "AKIASTANDINFAKEKEY00",
            "AWS_SECRET_ACCESS_KEY": "standin-fake-secret-key",
            "AWS_REGION": Self.region, "AWS_DEFAULT_REGION": Self.region, "AWS_CONFIG_FILE": "/nonexistent",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
            "CLOUDFLARE_API_BASE_URL": "\(cloudflare.url)/client/v4", "CLOUDFLARE_API_TOKEN": "demo-standin-token",
            "CLOUDFLARE_ACCOUNT_ID": Self.account,
        ]
    }

    /// Starts moto and the Cloudflare stand-in, each logging to `logs`.
    static func start(tools: DemoCloudTools, store: EventStore, logs: URL) async throws(SlipwayError) -> DemoCloud {
        do {
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        } catch {
            throw SlipwayError(.fileAccess(.write, path: logs.path, problem: error.localizedDescription))
        }
        let environment = ProcessInfo.processInfo.environment
        let moto = try await DemoStandIn.start(
            "moto", arguments: [tools.python.path, tools.motoLauncher.path, "--detached"], environment: environment,
            log: logs.appendingPathComponent("moto.log"), store: store)
        let cloudflare = try await DemoStandIn.start(
            "cloudflare", arguments: [tools.python.path, tools.cloudflareStandin.path, "--detached", "--token", "demo-standin-token",
                                      "--account", account],
            environment: environment, log: logs.appendingPathComponent("cloudflare-standin.log"), store: store)
        return DemoCloud(tools: tools, moto: moto, cloudflare: cloudflare)
    }

    /// Stops both stand-ins and forgets them: the demo could not be made.
    func stop(in store: EventStore) async {
        for standIn in [moto, cloudflare] {
            _ = try? await BlockingWork.run { DetachedProcess.stop(pid: standIn.pid, grace: 5) }
            try? store.deleteProcess(role: ProcessRecord.standInRole(standIn.name))
        }
    }

    // MARK: The resources in moto

    /// One environment's blue/green pair behind its listener.
    struct ECSPair: Sendable {
        var environment: String
        var listener: String
        var blueGroup: String
        var greenGroup: String
    }

    private var aws: AWSCommandLine {
        var environment = ProcessInfo.processInfo.environment.merging(variables) { _, new in new }
        environment.removeValue(forKey: "AWS_PROFILE")
        environment["PATH"] = tools.bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return AWSCommandLine(region: Self.region, environment: environment)
    }

    /// A VPC, an ALB and the cluster `demo`, then per environment the target groups
    /// `orders-<env>-blue/green`, a listener on port 8001, 8002, ... and the services of the same names.
    func provision(environments: [String]) async throws(SlipwayError) -> [ECSPair] {
        let vpc = try await string(call("ec2", "create-vpc", "--cidr-block", "10.0.0.0/16"), "Vpc", "VpcId")
        var subnets: [String] = []
        for (index, zone) in ["eu-west-2a", "eu-west-2b"].enumerated() {
            subnets.append(try await string(call(
                "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.\(index + 1).0/24", "--availability-zone", zone
            ), "Subnet", "SubnetId"))
        }
        let balancer = try await first(call(["elbv2", "create-load-balancer", "--name", "demo", "--subnets"] + subnets),
                                       "LoadBalancers", "LoadBalancerArn")
        _ = try await call("ecs", "create-cluster", "--cluster-name", "demo")
        _ = try await call("ecs", "register-task-definition", "--cli-input-json", Self.taskDefinition(tag: "initial"))
        // One environment's calls wait on each other, the environments' do not.
        let results = await withTaskGroup(of: Result<ECSPair, SlipwayError>.self) { group in
            for (index, environment) in environments.enumerated() {
                group.addTask {
                    do throws(SlipwayError) {
                        return .success(try await pair(environment, port: 8001 + index, balancer: balancer, vpc: vpc))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var results: [Result<ECSPair, SlipwayError>] = []
            for await result in group { results.append(result) }
            return results
        }
        var pairs: [ECSPair] = []
        for result in results { pairs.append(try result.get()) }
        return environments.compactMap { environment in pairs.first { $0.environment == environment } }
    }

    /// The environment's target groups (a registered target each), its listener on `port`
    /// forwarding to blue, and its two services.
    private func pair(_ environment: String, port: Int, balancer: String, vpc: String) async throws(SlipwayError) -> ECSPair {
        var groups: [String] = []
        for color in SlotColor.allCases {
            let group = try await first(call(
                "elbv2", "create-target-group", "--name", "orders-\(environment)-\(color.rawValue)", "--protocol", "HTTP",
                "--port", "80", "--vpc-id", vpc, "--target-type", "ip"), "TargetGroups", "TargetGroupArn")
            _ = try await call("elbv2", "register-targets", "--target-group-arn", group, "--targets", "Id=10.0.1.\(port - 8000)\(groups.count)")
            groups.append(group)
        }
        let listener = try await first(call(
            "elbv2", "create-listener", "--load-balancer-arn", balancer, "--protocol", "HTTP", "--port", "\(port)",
            "--default-actions", ListenerWeights(blue: 100, green: 0).actionsJSON(targetGroups: .init(blue: groups[0], green: groups[1]))
        ), "Listeners", "ListenerArn")
        for color in SlotColor.allCases {
            _ = try await call("ecs", "create-service", "--cluster", "demo", "--service-name", "orders-\(environment)-\(color.rawValue)",
                               "--task-definition", "orders", "--desired-count", "1")
        }
        return ECSPair(environment: environment, listener: listener, blueGroup: groups[0], greenGroup: groups[1])
    }

    private func call(_ words: String...) async throws(SlipwayError) -> [String: Any] {
        try await call(words)
    }

    private func call(_ words: [String]) async throws(SlipwayError) -> [String: Any] {
        let output = try await aws.run(words[0], words[1], Array(words.dropFirst(2)))
        return (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any] ?? [:]
    }

    private func string(_ answer: [String: Any], _ object: String, _ key: String) throws(SlipwayError) -> String {
        guard let value = (answer[object] as? [String: Any])?[key] as? String else {
            throw SlipwayError(.platform(.unreadableAnswer(.aws, operation: "demo setup", problem: "no \(object).\(key)")))
        }
        return value
    }

    private func first(_ answer: [String: Any], _ list: String, _ key: String) throws(SlipwayError) -> String {
        guard let value = (answer[list] as? [[String: Any]])?.first?[key] as? String else {
            throw SlipwayError(.platform(.unreadableAnswer(.aws, operation: "demo setup", problem: "no \(list)[0].\(key)")))
        }
        return value
    }

    // MARK: Simulated traffic

    /// Asks both stand-ins to simulate traffic to every environment's service and Worker from now
    /// on, split as the platform splits it at each moment, so the components have live figures.
    func startTraffic(_ pairs: [ECSPair], workerScripts: [String]) async throws(SlipwayError) {
        for pair in pairs {
            try await post("\(moto.url)/__standin/traffic", [
                "listener": pair.listener, "rate": 20, "error_percent": 0.5, "response_time": 0.08,
            ])
        }
        for script in workerScripts {
            try await post("\(cloudflare.url)/__standin/traffic", ["script": script, "rate": 50, "profiles": [String: Any]()])
        }
    }

    private func post(_ url: String, _ body: [String: Any]) async throws(SlipwayError) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: body)) ?? Data()))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            guard response.status.code == 200 else { throw SlipwayError.failure("\(url) answered \(response.status.code)") }
        } catch let error as SlipwayError {
            throw error
        } catch {
            throw .failure("\(url): \(error)")
        }
    }

    // MARK: The components' files

    static func taskDefinition(tag: String, revision: Int = 1) -> String {
        """
        {"family": "orders", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
         "containerDefinitions": [{"name": "orders", "image": "\(image):\(tag)", "essential": true,
                                   "portMappings": [{"containerPort": 8080}],
                                   "environment": [{"name": "REVISION", "value": "\(revision)"}]}]}

        """
    }

    /// A second revision of both, so each has a release warm in its other colour (or version) to switch back to.
    static func secondRevision() -> [String: String] {
        [
            "services/orders/ecs-task-definition.json": taskDefinition(tag: "latest", revision: 2),
            "services/edge/index.js": worker(revision: 2),
        ]
    }

    static func worker(revision: Int) -> String {
        "export default { fetch() { return new Response('edge, revision \(revision)') } }\n"
    }

    /// `services/orders` (aws-ecs, one pair of services per environment) and `services/edge` (a Worker).
    static func files(_ pairs: [ECSPair]) -> [String: String] {
        let environments = pairs.map { pair in
            """
              \(pair.environment):
                aws:
                  services: {blue: orders-\(pair.environment)-blue, green: orders-\(pair.environment)-green}
                  target_groups: {blue: "\(pair.blueGroup)", green: "\(pair.greenGroup)"}
                  listener: "\(pair.listener)"
            """
        }.joined(separator: "\n")
        return [
            "services/orders/ecs-task-definition.json": taskDefinition(tag: "latest"),
            "services/orders/slipway.yml": """
                # An ECS service: blue and green are two services behind one ALB listener, weighted.
                # In this demo AWS is moto, an AWS API emulator on this machine, not AWS.
                target: aws-ecs
                technology: docker
                aws:
                  region: \(region)
                  cluster: demo
                  image: "\(image)"
                health: {interval: 200ms, attempts: 50}
                environments:
                \(environments)

                """,
            "services/edge/index.js": worker(revision: 1),
            "services/edge/slipway.yml": """
                # A Cloudflare Worker (each environment's workers_env names its script: edge-dev, ...).
                # In this demo Cloudflare is a stand-in for its API on this machine, not Cloudflare:
                # the real API cannot be reached from here.
                target: cloudflare-workers
                technology: javascript
                cloudflare:
                  script: edge
                  compatibility_date: "2024-09-23"

                """,
        ]
    }

    /// The variables as a file another shell can load (`set -a; . FILE; set +a`), `aws` on its PATH.
    var variablesText: String {
        "# slipway demo --cloud: the stand-ins' endpoints and fake credentials (moto and the Cloudflare stand-in)\n"
            + variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined()
            + "PATH=\(tools.bin.path):$PATH\n"
    }

    /// The variables of a `variablesText`, without its PATH line.
    public static func variables(in text: String) -> [String: String] {
        var found: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("PATH=") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            found[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return found
    }
}
