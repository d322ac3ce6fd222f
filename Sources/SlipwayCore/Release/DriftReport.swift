import Foundation

/// Per component, how far each environment is behind the one before it in the promotion order,
/// how old each live version is, which are no longer in git, and what the default branch has
/// that no environment runs. Pure: made from the projection and `DriftFacts`.
public struct DriftReport: Sendable, Equatable, Encodable {
    public struct Environment: Sendable, Equatable, Encodable {
        public var environment: String
        public var version: String?
        public var commit: String?
        /// False when the live version's commit is not in git any more (or never was).
        public var inGit: Bool
        /// Days since the live version's commit.
        public var ageDays: Double?
        /// The environment before this one in the promotion order, and the commits touching the
        /// component that it runs and this one does not (`behind`), and the reverse (`ahead`).
        public var comparedWith: String?
        public var behind: Int?
        public var ahead: Int?

        enum CodingKeys: String, CodingKey {
            case environment, version, commit, behind, ahead
            case inGit = "in_git", ageDays = "age_days", comparedWith = "compared_with"
        }
    }

    public struct Component: Sendable, Equatable, Encodable {
        public var component: String
        public var environments: [Environment]
        /// Commits on the default branch touching the component that no environment runs, newest first.
        public var unreleased: [ReleaseDiff.Commit]

        /// Versions live somewhere whose commit git does not have.
        public var notInGit: [Environment] { environments.filter { $0.version != nil && !$0.inGit } }
    }

    public var branch: String
    public var components: [Component]

    public init(
        components: [String], environments: [String], states: [Projection.Key: DeploymentState], facts: DriftFacts, now: Date
    ) {
        branch = facts.branch
        self.components = components.map { name in
            var previous: (environment: String, commit: String?)?
            let rows = environments.map { environment in
                let version = states[.init(component: name, environment: environment)]?.liveVersion
                let commit = version.flatMap { facts.commits[.init(component: name, version: $0)] }
                var row = Environment(
                    environment: environment, version: version, commit: commit?.hash, inGit: version == nil || commit != nil,
                    ageDays: commit.map { max(0, now.timeIntervalSince($0.date)) / 86_400 })
                if let previous, let ahead = previous.commit, let hash = commit?.hash {
                    row.comparedWith = previous.environment
                    let span = facts.spans[.init(component: name, behind: hash, ahead: ahead)]
                    row.behind = ahead == hash ? 0 : span?.missing
                    row.ahead = ahead == hash ? 0 : span?.extra
                }
                // An environment with nothing live does not break the chain: compare with the last that has.
                if version != nil { previous = (environment, commit?.hash) }
                return row
            }
            return Component(component: name, environments: rows, unreleased: facts.unreleased[name] ?? [])
        }
    }

    enum CodingKeys: String, CodingKey {
        case branch, components
    }
}

extension DriftReport.Component {
    enum CodingKeys: String, CodingKey {
        case component, environments, unreleased
        case notInGit = "not_in_git"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(component, forKey: .component)
        try container.encode(environments, forKey: .environments)
        try container.encode(unreleased, forKey: .unreleased)
        try container.encode(notInGit.map(\.environment), forKey: .notInGit)
    }
}
