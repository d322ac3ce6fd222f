import Foundation
import SlipwayTestSupport
import Testing

/// The `aws-ecs` target against moto (an AWS API emulator: no AWS account is reachable from
/// tests). Each test starts its own moto; every assertion reads the platform back with the aws CLI.
@Suite(.serialized) struct ECSTargetTests {
    static let image = ECSFixture.image

    func slipway(_ workspace: TemporaryWorkspace, _ moto: MotoServer) -> SlipwayProcess {
        var slipway = SlipwayProcess(workspace)
        slipway.environment.merge(moto.environment) { _, new in new }
        return slipway
    }

    @Test func deploySwitchRollbackAndAnInterruptedSwitchAreReadBackFromTheListener() throws {
        let moto = try MotoServer()
        let ecs = try ECSFixture(moto: moto)
        let workspace = try ecs.workspace()
        let slipway = slipway(workspace, moto)
        #expect(try ecs.weights() == [100, 0], "the fixture starts on blue")

        let first = try slipway("deploy-service", "orders", "--env", "staging", "--version", "v1", "--local")
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(try ecs.weights() == [0, 100], "v1 went to the idle colour, green, and took the traffic")
        #expect(try ecs.image(of: "green") == "\(Self.image):v1")
        #expect(try ecs.image(of: "blue") == "\(Self.image):initial", "the live colour was not touched")

        let second = try slipway("deploy-service", "orders", "--env", "staging", "--version", "v2", "--local")
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(try ecs.weights() == [100, 0])
        #expect(try ecs.image(of: "blue") == "\(Self.image):v2")
        #expect(try ecs.image(of: "green") == "\(Self.image):v1")
        let revisions = try ecs.revisions()

        let rollback = try slipway("rollback", "orders", "--env", "staging", "--local")
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(rollback.stdout.contains("v1 is still warm in the green slot"))
        #expect(try ecs.weights() == [0, 100], "the weights went back to green, which still runs v1")
        #expect(try ecs.image(of: "green") == "\(Self.image):v1")
        #expect(try ecs.revisions() == revisions, "a warm rollback registers nothing")

        let switched = try slipway("switch", "orders", "--env", "staging", "--local")
        #expect(switched.status == 0, "\(switched.stdout)\(switched.stderr)")
        #expect(try ecs.weights() == [100, 0], "a switch by hand goes to the other colour")

        // A switch to green wrote the listener, then its run died before the store heard of it:
        // the store says blue is live, the listener says green.
        try moto.aws("elbv2", "modify-listener", "--listener-arn", ecs.listener, "--default-actions",
                     ECSFixture.forward(blue: 0, green: 100, blueGroup: ecs.blueGroup, greenGroup: ecs.greenGroup))
        let status = try #require(try slipway.json("status", "--env", "staging", "--refresh") as? [[String: Any]])
        #expect(status.first?["live_color"] as? String == "blue")
        #expect(status.first?["platform_color"] as? String == "green")
        #expect(status.first?["drift"] as? Bool == true, "status says the store and the listener disagree")
        let next = try slipway("deploy-service", "orders", "--env", "staging", "--version", "v3", "--local")
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(next.stdout.contains("the platform sends the traffic to green, the store says blue; going by the platform"))
        #expect(try ecs.image(of: "blue") == "\(Self.image):v3", "v3 went to the colour the listener left idle")
        #expect(try ecs.image(of: "green") == "\(Self.image):v1", "the colour serving traffic was not replaced")
        #expect(try ecs.weights() == [100, 0])
    }

    @Test func refusedCredentialsStopWithOneLineNamingThemAndMoveNoTraffic() throws {
        let moto = try MotoServer()
        let ecs = try ECSFixture(moto: moto)
        let workspace = try ecs.workspace()
        let slipway = slipway(workspace, moto)

        let unknown = try slipway("deploy-service", "orders", "--env", "staging", "--version", "v1", "--local",
                                  environment: ["AWS_ACCESS_KEY_ID": "DENIEDKEY"])
        #expect(unknown.status == 1)
        let lines = unknown.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(unknown.stderr)")
        #expect(unknown.stderr.contains("AWS refused the credentials of AWS_ACCESS_KEY_ID DENIEDKEY (InvalidClientTokenId)"))
        #expect(try ecs.weights() == [100, 0])
        #expect(try ecs.image(of: "green") == "\(Self.image):initial", "nothing was registered or rolled out")

        // Refused halfway: the release rolled out to green, then the listener's change was refused.
        try moto.deny("ModifyListener")
        let halfway = try slipway("deploy-service", "orders", "--env", "staging", "--version", "v1", "--local",
                                  environment: ["AWS_ACCESS_KEY_ID": "AKIDHALFWAY"])
        #expect(halfway.status == 1)
        #expect(halfway.stdout.contains("AWS refused the credentials of AWS_ACCESS_KEY_ID AKIDHALFWAY (InvalidClientTokenId) "
            + "on aws elbv2 modify-listener; traffic stays where it was"), "\(halfway.stdout)")
        try moto.deny()
        #expect(try ecs.weights() == [100, 0], "the traffic stayed on blue")
        #expect(try ecs.image(of: "green") == "\(Self.image):v1")
    }

    @Test func aCanaryIsRolledBackOnItsErrorsAndPromotedWhenGood() throws {
        let moto = try MotoServer()
        let ecs = try ECSFixture(moto: moto)
        let workspace = try ecs.workspace(extraSettings: """
            strategy: canary
            monitoring_period: 8s
            canary: {steps: [50, 100], interval: 8s, threshold: 1, min_requests: 10}
            """)
        let slipway = slipway(workspace, moto)

        /// Deploys `version` as a canary in the idle colour and, while the canary holds its first
        /// step (50%), keeps feeding CloudWatch: the canary's requests fail `canaryErrors` in 100,
        /// the stable colour's never. Fed again and again, so no interval is empty whenever it starts.
        func canary(_ version: String, in color: String, canaryErrors: Int) throws -> (status: Int32, log: String) {
            let log = workspace.root.appendingPathComponent("canary-\(version).log")
            let process = try slipway.start(["deploy-service", "orders", "--env", "staging", "--version", version, "--local"], log: log)
            defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
            let deadline = Date().addingTimeInterval(180)
            var sawStep = false
            while process.isRunning && Date() < deadline {
                if try ecs.weights() == [50, 50] {
                    sawStep = true
                    try ecs.putMetrics([color: (100, canaryErrors), color == "blue" ? "green" : "blue": (100, 0)])
                } else {
                    usleep(200_000)
                }
            }
            #expect(sawStep, "the canary took its first step, 50%")
            process.waitUntilExit()
            return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }

        // Blue is live in the fixture: the first canary is green.
        let good = try canary("v1", in: "green", canaryErrors: 0)
        #expect(good.status == 0, "\(good.log)")
        #expect(good.log.contains("100% of orders in staging now goes to green (v1)"), "\(good.log)")
        #expect(try ecs.weights() == [0, 100], "promoted: green serves every request")
        #expect(try ecs.image(of: "green") == "\(Self.image):v1")

        let bad = try canary("v2", in: "blue", canaryErrors: 40)
        #expect(bad.status == 1, "\(bad.log)")
        #expect(bad.log.contains("canary of v2 rolled back"), "\(bad.log)")
        #expect(try ecs.weights() == [0, 100], "every request is back on green")
        #expect(try ecs.image(of: "green") == "\(Self.image):v1")
        #expect(try ecs.image(of: "blue") == "\(Self.image):v2", "the canary's service keeps its release, as a warm colour")
    }
}
