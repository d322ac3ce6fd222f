import Foundation
import SlipwayTestSupport

/// An ECS deployment in moto, made with the aws CLI as an operator would: a VPC with two subnets,
/// an ALB whose listener forwards to the blue target group, blue and green target groups with a
/// registered target each, a cluster, and the services `orders-blue` and `orders-green` on the
/// first task definition revision (image `.../orders:initial`). Everything the test asserts is
/// read back from moto through the aws CLI, never through Slipway.
struct ECSFixture {
    static let image = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/orders"

    let moto: MotoServer
    let listener: String
    let blueGroup: String
    let greenGroup: String

    init(moto: MotoServer) throws {
        self.moto = moto
        let vpc = try Self.string(moto.aws("ec2", "create-vpc", "--cidr-block", "10.0.0.0/16"), "Vpc", "VpcId")
        var subnets: [String] = []
        for (index, zone) in ["eu-west-2a", "eu-west-2b"].enumerated() {
            subnets.append(try Self.string(moto.aws(
                "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.\(index + 1).0/24", "--availability-zone", zone
            ), "Subnet", "SubnetId"))
        }
        let balancer = try Self.first(moto.aws(["elbv2", "create-load-balancer", "--name", "web", "--subnets"] + subnets),
                                      "LoadBalancers", "LoadBalancerArn")
        var groups: [String] = []
        for color in ["blue", "green"] {
            let group = try Self.first(moto.aws(
                "elbv2", "create-target-group", "--name", "orders-\(color)", "--protocol", "HTTP", "--port", "80",
                "--vpc-id", vpc, "--target-type", "ip"), "TargetGroups", "TargetGroupArn")
            try moto.aws("elbv2", "register-targets", "--target-group-arn", group, "--targets", "Id=10.0.1.\(groups.count + 10)")
            groups.append(group)
        }
        (blueGroup, greenGroup) = (groups[0], groups[1])
        listener = try Self.first(moto.aws(
            "elbv2", "create-listener", "--load-balancer-arn", balancer, "--protocol", "HTTP", "--port", "80",
            "--default-actions", Self.forward(blue: 100, green: 0, blueGroup: blueGroup, greenGroup: greenGroup)),
            "Listeners", "ListenerArn")
        try moto.aws("ecs", "create-cluster", "--cluster-name", "main")
        try moto.aws("ecs", "register-task-definition", "--cli-input-json", Self.taskDefinition(tag: "initial"))
        for color in ["blue", "green"] {
            try moto.aws("ecs", "create-service", "--cluster", "main", "--service-name", "orders-\(color)",
                         "--task-definition", "orders", "--desired-count", "1")
        }
    }

    /// A listener's default actions forwarding by weight to the two target groups.
    static func forward(blue: Int, green: Int, blueGroup: String, greenGroup: String) -> String {
        "[{\"Type\":\"forward\",\"ForwardConfig\":{\"TargetGroups\":[{\"TargetGroupArn\":\"\(blueGroup)\",\"Weight\":\(blue)},"
            + "{\"TargetGroupArn\":\"\(greenGroup)\",\"Weight\":\(green)}]}}]"
    }

    static func taskDefinition(tag: String) -> String {
        """
        {"family": "orders", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
         "containerDefinitions": [{"name": "orders", "image": "\(image):\(tag)", "essential": true,
                                   "portMappings": [{"containerPort": 8080}]}]}
        """
    }

    /// The component's `aws:` block for this fixture, as the example writes it.
    var awsBlock: String {
        """
        aws:
          region: eu-west-2
          cluster: main
          services: {blue: orders-blue, green: orders-green}
          target_groups: {blue: "\(blueGroup)", green: "\(greenGroup)"}
          listener: "\(listener)"
          image: "\(Self.image)"
        """
    }

    /// A workspace with `services/orders` deployed to aws-ecs by Slipway itself, committed.
    func workspace(extraSettings: String = "", function: String = #function) throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace(files: [
            "services/orders/ecs-task-definition.json": Self.taskDefinition(tag: "latest"),
            "services/orders/slipway.yml": """
                target: aws-ecs
                \(awsBlock)
                health: {interval: 200ms, attempts: 50}
                \(extraSettings)
                """,
        ], function: function)
        try workspace.commitAll("orders")
        return workspace
    }

    // MARK: Read back from the platform

    /// The listener's forward weights, `[blue, green]`.
    func weights() throws -> [Int] {
        let listeners = try requireArray(moto.aws("elbv2", "describe-listeners", "--listener-arns", listener)["Listeners"])
        let actions = listeners.first?["DefaultActions"] as? [[String: Any]] ?? []
        let forward = actions.first { $0["Type"] as? String == "forward" } ?? [:]
        let groups = (forward["ForwardConfig"] as? [String: Any])?["TargetGroups"] as? [[String: Any]]
            ?? [["TargetGroupArn": forward["TargetGroupArn"] ?? "", "Weight": 1]]
        func weight(_ arn: String) -> Int {
            groups.filter { $0["TargetGroupArn"] as? String == arn }.map { ($0["Weight"] as? Int) ?? 1 }.reduce(0, +)
        }
        return [weight(blueGroup), weight(greenGroup)]
    }

    /// The image of the task definition the colour's service runs.
    func image(of color: String) throws -> String {
        let services = try requireArray(moto.aws("ecs", "describe-services", "--cluster", "main", "--services", "orders-\(color)")["services"])
        let arn = services.first?["taskDefinition"] as? String ?? ""
        let definition = try moto.aws("ecs", "describe-task-definition", "--task-definition", arn)["taskDefinition"] as? [String: Any]
        let containers = definition?["containerDefinitions"] as? [[String: Any]] ?? []
        return containers.first?["image"] as? String ?? ""
    }

    /// How many revisions of the `orders` family are registered.
    func revisions() throws -> Int {
        (try moto.aws("ecs", "list-task-definitions", "--family-prefix", "orders")["taskDefinitionArns"] as? [Any])?.count ?? 0
    }

    /// Datapoints for both target groups' ALB metrics, as CloudWatch would record them now:
    /// `[colour: (requests, 5xx answers)]`, in one call.
    func putMetrics(_ figures: [String: (requests: Int, errors: Int)]) throws {
        var balancer = String(listener[listener.range(of: "listener/")!.upperBound...])
        balancer = String(balancer[..<balancer.lastIndex(of: "/")!])
        var data: [String] = []
        for (color, figure) in figures.sorted(by: { $0.key < $1.key }) {
            let group = color == "blue" ? blueGroup : greenGroup
            let targetGroup = String(group[group.range(of: "targetgroup/")!.lowerBound...])
            // In Slipway's order (by name): moto matches a query's dimensions in the order they were put.
            let dimensions = "[{\"Name\":\"LoadBalancer\",\"Value\":\"\(balancer)\"},{\"Name\":\"TargetGroup\",\"Value\":\"\(targetGroup)\"}]"
            data.append("{\"MetricName\":\"RequestCount\",\"Dimensions\":\(dimensions),\"Value\":\(figure.requests),\"Unit\":\"Count\"}")
            data.append("{\"MetricName\":\"HTTPCode_Target_5XX_Count\",\"Dimensions\":\(dimensions),\"Value\":\(figure.errors),\"Unit\":\"Count\"}")
        }
        try moto.aws("cloudwatch", "put-metric-data", "--namespace", "AWS/ApplicationELB", "--metric-data", "[" + data.joined(separator: ",") + "]")
    }

    static func string(_ answer: [String: Any], _ object: String, _ key: String) throws -> String {
        guard let value = (answer[object] as? [String: Any])?[key] as? String else {
            throw MotoServer.AWSFailure(description: "no \(object).\(key) in \(answer)")
        }
        return value
    }

    static func first(_ answer: [String: Any], _ list: String, _ key: String) throws -> String {
        guard let value = (answer[list] as? [[String: Any]])?.first?[key] as? String else {
            throw MotoServer.AWSFailure(description: "no \(list)[0].\(key) in \(answer)")
        }
        return value
    }
}

/// `value` as a list of JSON objects, or a failure naming what it was.
func requireArray(_ value: Any?) throws -> [[String: Any]] {
    guard let array = value as? [[String: Any]] else {
        throw MotoServer.AWSFailure(description: "expected a list of objects, found \(String(describing: value))")
    }
    return array
}
