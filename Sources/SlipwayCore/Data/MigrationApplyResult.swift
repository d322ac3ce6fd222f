/// What `slipway migrate apply` did.
public struct MigrationApplyResult: Sendable, Equatable, Codable {
    public struct Applied: Sendable, Equatable, Codable {
        public var version: MigrationVersion
        public var script: String
        public var milliseconds: Int
        public var transactional: Bool
    }

    public var component: String
    public var environment: String
    public var applied: [Applied]
    /// Lint findings in the applied files that a `slipway:allow` comment excused.
    public var allowances: [MigrationLintFinding]
    /// The schema's version afterwards.
    public var version: MigrationVersion?
}
