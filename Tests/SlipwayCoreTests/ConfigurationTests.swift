import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

@Suite struct ConfigurationTests {
    static let seedEnvironments = """
        environments:
          development:
            database: "neon-dev-branch"
            workers_env: "dev"
            monitoring: "basic"
            sonarqube: "disabled"
            
          staging:
            database: "neon-staging-branch"
            workers_env: "staging"
            monitoring: "full"
            sonarqube: "enabled"
            
          production:
            database: "neon-main"
            workers_env: "production"
            monitoring: "full"
            sonarqube: "enabled"
            backup_schedule: "daily"
        """

    @Test func acceptsTheSeedsEnvironmentsBlockVerbatim() throws {
        let config = try WorkspaceConfig.parse(Self.seedEnvironments, file: "slipway.yml")
        #expect(config.environmentNames == ["development", "staging", "production"])
        let production = try config.environment(named: "production")
        #expect(production.database == "neon-main")
        #expect(production.backupSchedule == .daily)
        #expect(production.sonarqube)
        #expect(try config.environment(named: "development").sonarqube == false)
        #expect(try config.environment(named: "staging").workersEnv == "staging")
        #expect(config.branches == ["develop": "staging", "main": "production"])
    }

    @Test func acceptsTheSeedsCamelCaseDeploymentConfig() throws {
        let config = try WorkspaceConfig.parse("""
            strategy: canary
            canaryPercentage: 5
            monitoringPeriod: 30m
            rollbackThresholds:
              errorRate: 1
              latencyIncrease: 10
            qualityGates:
              sonarQube: true
              testCoverage: 80
              securityScan: true
              healthChecks: false
            """, file: "slipway.yml")
        let deployment = config.componentDefaults.deployment
        #expect(deployment.strategy == .canary)
        #expect(deployment.canaryPercentage == 5)
        #expect(deployment.monitoringPeriod == 1800)
        #expect(deployment.rollbackErrorRate == 1)
        #expect(deployment.rollbackLatencyIncrease == 10)
        #expect(deployment.qualityGates.testCoverage == 80)
        #expect(deployment.qualityGates.healthChecks == false)
    }

    @Test func theReferenceConfigurationLoads() throws {
        let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/slipway.reference.yml")
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": try String(contentsOf: reference, encoding: .utf8)])
        try workspace.makeFolder("services/accounts")
        try workspace.makeFolder("services/admin")
        try workspace.makeFolder("services/orders")
        try workspace.makeFolder("services/orders-events")
        try workspace.makeFolder("services/edge")
        try workspace.makeFolder("services/site")
        try workspace.makeFolder("apps/web")
        let loaded = try Workspace.load(at: workspace.root)
        let accounts = try loaded.component(named: "accounts")
        #expect(accounts.settings.port == 8081)
        #expect(accounts.settings.health.path == "/healthz")
        #expect(accounts.settings.health.timeout == 2)
        #expect(accounts.settings.deployment.strategy == .canary)
        #expect(accounts.settings.urls["production"] == "https://accounts.example.com")
        #expect(loaded.config.secrets == ["DATABASE_URL"])
        #expect(try loaded.component(named: "admin").settings.deployment.strategy == .blueGreen)
        #expect(loaded.config.databases["neon-main"]?.urlEnv == "NEON_MAIN_URL")
        #expect(accounts.settings.database?.migrations == "migrations")
        let orders = try #require(try loaded.component(named: "orders").settings.aws)
        #expect(orders.cluster == "main")
        #expect(orders.services == AWSSettings.ColorPair(blue: "orders-blue", green: "orders-green"))
        #expect(orders.listener?.contains(":listener/app/web/") == true)
        let production = try #require(try loaded.component(named: "orders").settings.aws(in: "production"))
        #expect(production.cluster == "production" && production.services == orders.services)
        let events = try #require(try loaded.component(named: "orders-events").settings.aws)
        #expect(events.function == "orders-events")
        #expect(events.alias == "live")
        let edge = try #require(try loaded.component(named: "edge").settings.cloudflare(in: "production"))
        #expect(edge.script == "edge" && edge.accountID == "fedcba9876543210fedcba9876543210" && edge.retryDeadline == 120)
        let web = try loaded.component(named: "web")
        #expect(web.target == "cloudflare-pages" && web.settings.cloudflare?.outputDir == "dist")
        #expect(web.settings.cloudflare(in: "staging")?.project == "web-staging" && web.settings.cloudflare(in: "production")?.project == "web")
        let site = try loaded.component(named: "site").settings
        #expect(site.switchesByDNS && site.cloudflare?.green == "192.0.2.20" && site.cloudflare?.ttl == 60)
    }

    @Test(arguments: [
        ("environments:\n  staging:\n    database: [unclosed\n", "slipway.yml:4:1: invalid YAML"),
        ("read_only: false\nparalelism: 4\n", "slipway.yml:2:1: unknown key 'paralelism' in slipway.yml; did you mean 'parallelism'?"),
        ("keep_releases: many\n", "slipway.yml:1:16: keep_releases must be a whole number, found 'many'"),
        ("read_only: maybe\n", "slipway.yml:1:12: read_only must be true or false, found 'maybe'"),
        ("monitoring_period: 30\n", "slipway.yml:1:20: monitoring_period must be a duration such as 90s, 5m or 1h"),
        ("branches:\n  main: prodution\n", "slipway.yml:2:9: unknown environment 'prodution' (known: development, staging, production)"),
        ("environments:\n  staging:\n    monitoring: loud\n", "slipway.yml:3:17: monitoring must be basic, full or none"),
    ])
    func errorsNameFileLineAndColumn(text: String, expected: String) throws {
        let error = #expect(throws: SlipwayError.self) { try WorkspaceConfig.parse(text, file: "slipway.yml") }
        guard case .configuration(let location, _)? = error?.reason else {
            Issue.record("expected a configuration error, got \(String(describing: error))")
            return
        }
        #expect(expected.hasPrefix("\(location): "))
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "no error")")
        #expect(error?.exitCode == 2)
    }

    // The YAML escapes (`\r`, `\u001B`, ...) put raw control characters in the values; the
    // expected messages show them escaped again.
    @Test(arguments: [
        (#"health: {path: "/health\r\nX-Injected: 1"}"#,
         #"slipway.yml:1:16: health.path must not contain control characters, found \r in '/health\r\nX-Injected: 1'"#),
        (#"alerts: {webhook: "https://hooks.example.com/\u001B[2J"}"#,
         #"slipway.yml:1:19: alerts.webhook must not contain control characters, found \u{1B} in 'https://hooks.example.com/\u{1B}[2J'"#),
        ("environments:\n  staging:\n    database: \"neon\\tmain\"\n",
         #"slipway.yml:3:15: database must not contain control characters, found \t in 'neon\tmain'"#),
        (#"secrets: ["API\u0000_TOKEN"]"#,
         #"slipway.yml:1:11: each entry of secrets must not contain control characters, found \0 in 'API\0_TOKEN'"#),
        (#"global_paths: ["deploy/\n**"]"#,
         #"slipway.yml:1:16: each entry of global_paths must not contain control characters, found \n in 'deploy/\n**'"#),
        (#"slo: {event_lag: {path: "/metrics\u0085"}}"#,
         #"slipway.yml:1:25: slo.event_lag.path must not contain control characters, found \u{85} in '/metrics\u{85}'"#),
        ("branches:\n  \"main\\r\": production\n",
         #"slipway.yml:2:3: a key in branches must not contain control characters, found \r in 'main\r'"#),
    ])
    func controlCharactersAreRefusedAtTheirPlace(text: String, expected: String) throws {
        let error = #expect(throws: SlipwayError.self) { try WorkspaceConfig.parse(text, file: "slipway.yml") }
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "no error")")
        #expect(error?.exitCode == 2)
    }

    @Test func valuesInErrorsAreEscapedOnOneLine() throws {
        let error = #expect(throws: SlipwayError.self) {
            try WorkspaceConfig.parse(#"keep_releases: "5\r\nX: \u001B[31m""#, file: "slipway.yml")
        }
        let message = try #require(error?.message)
        #expect(message == #"slipway.yml:1:16: keep_releases must be a whole number, found '5\r\nX: \u{1B}[31m'"#)
        #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test func aComponentsHealthPathWithAHeaderInItIsRefused() throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/accounts/slipway.yml": "health:\n  path: \"/health\\r\\nX-Injected: 1\"\n",
        ])
        #expect(throws: SlipwayError(.configuration(
            ConfigLocation(file: "services/accounts/slipway.yml", line: 2, column: 9),
            problem: "health.path must not contain control characters, found \\r in '/health\r\nX-Injected: 1'"))) {
            try Workspace.load(at: workspace.root).checked()
        }
    }

    @Test func commandsMaySpanLinesButHoldNoOtherControlCharacter() throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/accounts/slipway.yml": "run: \"set -e\\n\\tpython3 app.py\"\npre_promotion: [\"curl -f\\n$SLIPWAY_URL\"]\n",
            "services/admin/slipway.yml": "run: \"python3 app.py\\r\"\n",
        ])
        #expect(throws: SlipwayError(.configuration(
            ConfigLocation(file: "services/admin/slipway.yml", line: 1, column: 6),
            problem: "run must not contain control characters, found \\r in 'python3 app.py\r'"))) {
            try Workspace.load(at: workspace.root).checked()
        }
        try FileManager.default.removeItem(at: workspace.root.appendingPathComponent("services/admin"))
        let accounts = try Workspace.load(at: workspace.root).component(named: "accounts")
        #expect(accounts.settings.run == "set -e\n\tpython3 app.py")
        #expect(accounts.settings.prePromotion == ["curl -f\n$SLIPWAY_URL"])
    }

    @Test func aComponentFileNamingAnUnknownEnvironmentIsAnError() throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/accounts/slipway.yml": "port: 8080\nenvironments:\n  prodution:\n    url: https://x\n",
        ])
        #expect(throws: SlipwayError(.configuration(
            ConfigLocation(file: "services/accounts/slipway.yml", line: 3, column: 3),
            problem: "unknown environment 'prodution' (known: development, staging, production)"))) {
            try Workspace.load(at: workspace.root).checked()
        }
    }

    @Test func componentsOverridesMustNameComponents() throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": "components:\n  acounts:\n    port: 1\n"])
        try workspace.makeFolder("services/accounts")
        let error = #expect(throws: SlipwayError.self) { try Workspace.load(at: workspace.root).checked() }
        guard case .configuration(let location, let problem)? = error?.reason else {
            Issue.record("expected a configuration error, got \(String(describing: error))")
            return
        }
        #expect(location == ConfigLocation(file: "slipway.yml", line: 2, column: 3))
        #expect(problem.hasPrefix("unknown component 'acounts'"), "\(problem)")
    }

    @Test(arguments: [("90s", 90.0), ("5m", 300.0), ("1h30m", 5400.0), ("500ms", 0.5), ("1d", 86400.0)])
    func durationsReadAsWritten(text: String, seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test func durationsNeedAUnit() {
        #expect(DurationText.seconds("30") == nil)
        #expect(DurationText.seconds("5 minutes") == nil)
    }
}
