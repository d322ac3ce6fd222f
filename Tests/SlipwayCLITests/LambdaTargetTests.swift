import Foundation
import SlipwayTestSupport
import Testing

/// The `aws-lambda` target against moto: releases are published versions, the alias `live`
/// moves between them. Assertions read the alias and the versions back with the aws CLI.
@Suite struct LambdaTargetTests {
    @Test func aReleaseIsAPublishedVersionTheAliasMovesToAndARollbackMovesItBack() throws {
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
                """,
            ".gitignore": ".slipway/\nfunction.zip\n",
        ])
        try workspace.commitAll("orders")
        let first = workspace.root.appendingPathComponent("services/orders/first.zip")
        #expect(try workspace.run("/usr/bin/env", ["python3", "-m", "zipfile", "-c", first.path,
                                                   workspace.root.appendingPathComponent("services/orders/handler.py").path]).status == 0)
        try moto.aws("lambda", "create-function", "--function-name", "orders", "--runtime", "python3.12", "--role", role,
                     "--handler", "handler.main", "--zip-file", "fileb://\(first.path)")
        var slipway = SlipwayProcess(workspace)
        slipway.environment.merge(moto.environment) { _, new in new }

        func alias() throws -> [String: Any] { try moto.aws("lambda", "get-alias", "--function-name", "orders", "--name", "live") }
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
}
