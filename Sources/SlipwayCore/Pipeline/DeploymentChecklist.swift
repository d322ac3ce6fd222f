/// The seed's checklist before a production deploy: gates passed, tests passed, migrations
/// validated, health checks passing in staging. A failed item stops the deploy.
public struct DeploymentChecklist: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public enum Status: String, Sendable {
            case passed
            case failed
            case notConfigured = "not configured"
            /// The component's config says the item does not concern it (the detail says why).
            case notApplicable = "not applicable"
        }

        public var name: String
        public var status: Status
        public var detail: String
    }

    public var component: String
    public var items: [Item]

    /// Whether a deploy to `environment` needs the checklist.
    public static func applies(to environment: String) -> Bool { environment == "production" }

    /// The "migrations validated" item of a component that declares no database.
    public static let noMigrations = Item(name: "migrations validated", status: .notConfigured, detail: "no migrations configured")

    /// The "projection rebuilds completed" item of a component that declares no projections.
    public static let noProjections = Item(
        name: "projection rebuilds completed", status: .notApplicable, detail: "the component declares no projections")

    /// `gatesPassed`/`testsPassed` are nil when no pipeline ran them for this version; `migrations`
    /// is `Engine.migrationsValidated(of:)`, `projections` `Engine.projectionRebuildsCompleted(of:)`.
    public init(
        component: String, version: String, gatesPassed: Bool?, testsPassed: Bool?, staging: DeploymentState?,
        migrations: Item = noMigrations, projections: Item = noProjections
    ) {
        self.component = component
        func item(_ name: String, _ passed: Bool?) -> Item {
            Item(name: name, status: passed == true ? .passed : .failed,
                 detail: passed == nil ? "no pipeline ran them for \(version)" : "")
        }
        let live = staging?.liveVersion
        let healthy = live == version && staging?.lastHealth?.healthy == true
        items = [
            item("gates passed", gatesPassed),
            item("tests passed", testsPassed),
            migrations,
            projections,
            Item(
                name: "health checks passing in staging", status: healthy ? .passed : .failed,
                detail: live == nil ? "not deployed in staging"
                    : live != version ? "staging runs \(live!), not \(version)"
                    : staging?.lastHealth.map { $0.healthy ? "healthy" : "unhealthy" } ?? "never checked"),
        ]
    }

    public var passed: Bool { !items.contains { $0.status == .failed } }

    public var lines: [String] {
        ["production checklist for \(component):"] + items.map { item in
            let mark = item.status == .passed ? "[x]" : item.status == .failed ? "[ ]" : "[-]"
            return "  \(mark) \(item.name): \(item.status.rawValue)\(item.detail.isEmpty ? "" : " (\(item.detail))")"
        }
    }
}
