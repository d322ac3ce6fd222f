import Foundation
import SlipwayTestSupport
import Testing

/// The `aws-lambda` target against moto: releases are published versions, the alias `live`
/// moves between them. Assertions read the alias and the versions back with the aws CLI.
@Suite struct LambdaTargetTests {
    /// moto with a role and the function `orders` (code: the component's first handler), and a
    /// workspace whose `services/orders` deploys to it; `settings` go into its slipway.yml.
    func function(settings: String = "", function: String = #function) throws -> (MotoServer, TemporaryWorkspace, SlipwayProcess) {
        let moto = try MotoServer()
        let role = try ECSFixture.string(moto.aws(
            "iam", "create-role", "--role-name", "orders-lambda", "--assume-role-policy-document",
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        ), "Role", "Arn")
        let workspace = try TemporaryWorkspace(files: [
            "services/orders/handler.py": "def main(event, context):\n    return {'version': 1}\n",
            "services/orders/Makefile": """
                build:
                \tpython3 -m zipfile -c function.zip handler.py

                """,
            "services/orders/slipway.yml": """
                target: aws-lambda
                aws:
                  region: eu-west-2
                  function: orders
                \(settings)
                """,
            ".gitignore": ".slipway/\nfunction.zip\n",
        ], function: function)
        try workspace.commitAll("orders")
        let first = workspace.root.appendingPathComponent("services/orders/first.zip")
        #expect(try workspace.run("/usr/bin/env", ["python3", "-m", "zipfile", "-c", first.path,
                                                   workspace.root.appendingPathComponent("services/orders/handler.py").path]).status == 0)
        try moto.aws("lambda", "create-function", "--function-name", "orders", "--runtime", "python3.12", "--role", role,
                     "--handler", "handler.main", "--zip-file", "fileb://\(first.path)")
        var slipway = SlipwayProcess(workspace)
        slipway.environment.merge(moto.environment) { _, new in new }
        return (moto, workspace, slipway)
    }

    static func alias(_ moto: MotoServer) throws -> [String: Any] {
        try moto.aws("lambda", "get-alias", "--function-name", "orders", "--name", "live")
    }

    static func additionalWeights(_ moto: MotoServer) throws -> [String: Double] {
        let routing = try alias(moto)["RoutingConfig"] as? [String: Any]
        return routing?["AdditionalVersionWeights"] as? [String: Double] ?? [:]
    }

    @Test func aReleaseIsAPublishedVersionTheAliasMovesToAndARollbackMovesItBack() throws {
        let (moto, workspace, slipway) = try function()

        func alias() throws -> [String: Any] { try Self.alias(moto) }
        func versions() throws -> [String: String] {
            let listed = try requireArray(moto.aws("lambda", "list-versions-by-function", "--function-name", "orders")["Versions"])
            var byNumber: [String: String] = [:]
            for version in listed where version["Version"] as? String != "$LATEST" {
                byNumber[version["Version"] as? String ?? "?"] = version["Description"] as? String ?? ""
            }
            return byNumber
        }

        let v1 = try slipway("deploy-service", "orders", "--env", "staging", "--version", "v1", "--local")
        #expect(v1.status == 0, "\(v1.stdout)\(v1.stderr)")
        #expect(try versions() == ["1": "v1"])
        #expect(try alias()["FunctionVersion"] as? String == "1")

        try workspace.write(["services/orders/handler.py": "def main(event, context):\n    return {'version': 2}\n"])
        try workspace.commitAll("v2")
        let v2 = try slipway("deploy-service", "orders", "--env", "staging", "--version", "v2", "--local")
        #expect(v2.status == 0, "\(v2.stdout)\(v2.stderr)")
        #expect(try versions() == ["1": "v1", "2": "v2"])
        #expect(try alias()["FunctionVersion"] as? String == "2")

        let rollback = try slipway("rollback", "orders", "--env", "staging", "--local")
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(rollback.stdout.contains("v1 is published already as version 1"))
        #expect(try alias()["FunctionVersion"] as? String == "1", "the alias is back on the first version")
        #expect(try versions() == ["1": "v1", "2": "v2"], "nothing was published again")
        let weights = (try alias()["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Any]
        #expect(weights?.isEmpty ?? true, "every request goes to version 1")
    }

    /// The alias moved in Lambda itself (the console, the aws CLI) is drift: `status --refresh`
    /// reads the alias back and says Lambda serves another version than the store.
    @Test func anAliasMovedOutsideSlipwayShowsAsDriftOnRefresh() throws {
        let (moto, workspace, slipway) = try function()
        #expect(try slipway("deploy-service", "orders", "--env", "staging", "--version", "v1", "--local").status == 0)
        try workspace.write(["services/orders/handler.py": "def main(event, context):\n    return {'version': 2}\n"])
        try workspace.commitAll("v2")
        #expect(try slipway("deploy-service", "orders", "--env", "staging", "--version", "v2", "--local").status == 0)
        let row = { (arguments: [String]) throws -> [String: Any]? in
            (try slipway.json(arguments) as? [[String: Any]])?.first { $0["component"] as? String == "orders" && $0["environment"] as? String == "staging" }
        }
        let agreed = try #require(try row(["status", "--refresh", "--json"]))
        #expect(agreed["platform_version"] as? String == "v2" && agreed["drift"] as? Bool == false, "\(agreed)")

        try moto.aws("lambda", "update-alias", "--function-name", "orders", "--name", "live", "--function-version", "1")
        let stale = try #require(try row(["status", "--json"]))
        #expect(stale["drift"] as? Bool == false && stale["live_version"] as? String == "v2", "without --refresh, the store's view: \(stale)")
        let drifted = try #require(try row(["status", "--refresh", "--json"]))
        #expect(drifted["live_version"] as? String == "v2" && drifted["platform_version"] as? String == "v1", "\(drifted)")
        #expect(drifted["drift"] as? Bool == true)
        let table = try slipway("status", "--refresh", "--env", "staging").stdout
        #expect(table.contains("v2 (drift: the platform serves v1)"), "\(table)")
    }
}

extension LambdaTargetTests {
    @Test func aCanaryWeighsTheAliasAndIsRolledBackOnErrorsOrPromoted() throws {
        let (moto, workspace, slipway) = try function(settings: """
            strategy: canary
            monitoring_period: 8s
            canary: {steps: [50, 100], interval: 8s, threshold: 1, min_requests: 10}
            """)
        let v1 = try slipway("deploy-service", "orders", "--env", "staging", "--version", "v1", "--local")
        #expect(v1.status == 0, "with no alias yet there is nothing to compare with: \(v1.stdout)\(v1.stderr)")
        #expect(try Self.alias(moto)["FunctionVersion"] as? String == "1")

        /// Deploys `version` as a canary and, while the alias gives it a weight, keeps feeding
        /// CloudWatch per version: the canary's invocations fail `canaryErrors` in 100.
        func canary(_ version: String, number: String, canaryErrors: Int) throws -> (status: Int32, log: String, weights: [[String: Double]]) {
            try workspace.write(["services/orders/handler.py": "def main(event, context):\n    return {'version': '\(version)'}\n"])
            try workspace.commitAll(version)
            let log = workspace.root.appendingPathComponent("canary-\(version).log")
            let process = try slipway.start(["deploy-service", "orders", "--env", "staging", "--version", version, "--local"], log: log)
            defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
            let deadline = Date().addingTimeInterval(180)
            var seen: [[String: Double]] = []
            while process.isRunning && Date() < deadline {
                // One reading of the alias: the stable version and the weights as one state.
                let alias = try Self.alias(moto)
                let weights = (alias["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double] ?? [:]
                guard let stable = alias["FunctionVersion"] as? String, stable != number, !weights.isEmpty else {
                    usleep(200_000)
                    continue
                }
                if seen.last != weights { seen.append(weights) }
                try Self.putMetrics(moto, [number: (100, canaryErrors), stable: (100, 0)])
            }
            process.waitUntilExit()
            return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "", seen)
        }

        let bad = try canary("v2", number: "2", canaryErrors: 40)
        #expect(bad.status == 1, "\(bad.log)")
        #expect(bad.weights == [["2": 0.5]], "the canary had half the alias' traffic")
        #expect(try Self.alias(moto)["FunctionVersion"] as? String == "1")
        #expect(try Self.additionalWeights(moto).isEmpty, "every request is back on version 1")

        let good = try canary("v3", number: "3", canaryErrors: 0)
        #expect(good.status == 0, "\(good.log)")
        #expect(good.weights == [["3": 0.5]])
        #expect(try Self.alias(moto)["FunctionVersion"] as? String == "3", "promoted: the alias is on version 3 alone")
        #expect(try Self.additionalWeights(moto).isEmpty)
    }

    /// Lambda's per-version metrics of the alias, as CloudWatch would record them now:
    /// `[version: (invocations, errors)]`, in one call.
    static func putMetrics(_ moto: MotoServer, _ figures: [String: (invocations: Int, errors: Int)]) throws {
        var data: [String] = []
        for (version, figure) in figures {
            // In Slipway's order (by name): moto matches a query's dimensions in the order they were put.
            let dimensions = "[{\"Name\":\"ExecutedVersion\",\"Value\":\"\(version)\"},{\"Name\":\"FunctionName\",\"Value\":\"orders\"},"
                + "{\"Name\":\"Resource\",\"Value\":\"orders:live\"}]"
            data.append("{\"MetricName\":\"Invocations\",\"Dimensions\":\(dimensions),\"Value\":\(figure.invocations),\"Unit\":\"Count\"}")
            data.append("{\"MetricName\":\"Errors\",\"Dimensions\":\(dimensions),\"Value\":\(figure.errors),\"Unit\":\"Count\"}")
        }
        try moto.aws("cloudwatch", "put-metric-data", "--namespace", "AWS/Lambda", "--metric-data", "[" + data.joined(separator: ",") + "]")
    }
}
