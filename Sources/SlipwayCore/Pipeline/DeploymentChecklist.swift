/// The seed's eleven-item checklist before a production deploy, each item passed, failed or not
/// applicable with the reason. A failed item stops the deploy; "not applicable" is only ever the
/// component's config saying the item does not concern it (no `bench` goal, no database), never
/// a check that was due and not made.
public struct DeploymentChecklist: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public enum Status: String, Sendable {
            case passed
            case failed
            case notApplicable = "not applicable"
        }

        public var name: String
        public var status: Status
        public var detail: String

        public init(name: String, status: Status, detail: String) {
            self.name = name
            self.status = status
            self.detail = detail
        }
    }

    /// What the checklist is judged on, gathered by `Engine.checklist(for:version:states:)`.
    public struct Facts: Sendable, Equatable {
        /// The checks of the newest pipeline run that gated the version; nil when none did.
        public var gateChecks: [GateCheckRecord]?
        /// Whether that run's quality-gates job passed.
        public var gatePassed: Bool?
        public var staging: DeploymentState?
        public var migrations: Item
        public var projections: Item
        /// Whether the component's Makefile has a `bench` goal.
        public var hasBench: Bool
        /// The component's service-level objectives, by name, and where their alerts go.
        public var objectives: [String]
        public var alertSinks: [String]
        public var rollback: Item

        public init(
            gateChecks: [GateCheckRecord]?, gatePassed: Bool?, staging: DeploymentState?, migrations: Item = noMigrations,
            projections: Item = noProjections, hasBench: Bool = false, objectives: [String] = [], alertSinks: [String] = [],
            rollback: Item = firstRelease
        ) {
            self.gateChecks = gateChecks
            self.gatePassed = gatePassed
            self.staging = staging
            self.migrations = migrations
            self.projections = projections
            self.hasBench = hasBench
            self.objectives = objectives
            self.alertSinks = alertSinks
            self.rollback = rollback
        }
    }

    public var component: String
    public var items: [Item]

    /// Whether a deploy to `environment` needs the checklist.
    public static func applies(to environment: String) -> Bool { environment == "production" }

    /// The "migrations validated" item of a component that declares no database.
    public static let noMigrations = Item(name: "migrations validated", status: .notApplicable, detail: "no migrations configured")
    /// The "projection rebuilds completed" item of a component that declares no projections.
    public static let noProjections = Item(name: "projection rebuilds completed", status: .notApplicable, detail: "no projections declared")
    /// The "rollback plan" item when nothing is live in production yet.
    public static let firstRelease = Item(
        name: "rollback plan", status: .notApplicable, detail: "nothing is live in production yet to roll back to")

    public init(component: String, version: String, facts: Facts) {
        self.component = component
        let unran = "no pipeline ran them for \(version)"
        let checks = facts.gateChecks
        /// An item read from one check of the gating run; one the run did not make fails.
        func item(_ name: String, check: String) -> Item {
            guard let checks else { return Item(name: name, status: .failed, detail: unran) }
            guard let found = checks.first(where: { $0.name == check }) else {
                let why = facts.gatePassed == true ? "the pipeline run that gated \(version) did not check it" : "the quality gate failed before checking it"
                return Item(name: name, status: .failed, detail: why)
            }
            switch found.status {
            case .passed: return Item(name: name, status: .passed, detail: found.detail)
            case .failed: return Item(name: name, status: .failed, detail: found.detail)
            case .skipped: return Item(name: name, status: .notApplicable, detail: found.detail)
            }
        }
        let gate = Item(
            name: "gates passed", status: facts.gatePassed == true ? .passed : .failed,
            detail: facts.gatePassed == nil ? unran : "")
        let tests = item("tests passed", check: "tests")
        let bench = facts.hasBench
            ? item("performance benchmarks met", check: "bench")
            : Item(name: "performance benchmarks met", status: .notApplicable, detail: "no 'bench' goal")
        let live = facts.staging?.liveVersion
        let healthy = live == version && facts.staging?.lastHealth?.healthy == true
        let health = Item(
            name: "health checks passing in staging", status: healthy ? .passed : .failed,
            detail: live == nil ? "not deployed in staging"
                : live != version ? "staging runs \(live!), not \(version)"
                : facts.staging?.lastHealth.map { $0.healthy ? "healthy" : "unhealthy" } ?? "never checked")
        let monitoring = facts.objectives.isEmpty
            ? Item(name: "monitoring", status: .failed, detail: "no service-level objectives")
            : Item(
                name: "monitoring", status: .passed,
                detail: "objectives \(facts.objectives.joined(separator: ", ")); alerts to "
                    + (facts.alertSinks.isEmpty ? "the console only" : facts.alertSinks.joined(separator: ", ")))
        items = [
            gate,
            tests,
            item("coverage", check: "new_coverage"),
            item("security scans (SAST)", check: "sast_blocking_findings"),
            item("dependency scans", check: "dependency_blocking_vulns"),
            facts.migrations,
            facts.projections,
            bench,
            health,
            monitoring,
            facts.rollback,
        ]
    }

    public var passed: Bool { !items.contains { $0.status == .failed } }

    /// The failed items, `name: detail` each.
    public var failures: [String] {
        items.filter { $0.status == .failed }.map { $0.detail.isEmpty ? $0.name : "\($0.name): \($0.detail)" }
    }

    public var lines: [String] {
        ["production checklist for \(component):"] + items.map { item in
            let mark = item.status == .passed ? "[x]" : item.status == .failed ? "[ ]" : "[-]"
            return "  \(mark) \(item.name): \(item.status.rawValue)\(item.detail.isEmpty ? "" : " (\(item.detail))")"
        }
    }
}
