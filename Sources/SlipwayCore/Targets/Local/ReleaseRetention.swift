import Foundation

/// Which built releases of a component may be removed: all but the newest `keep`, and never one
/// that something still needs (live or last good in an environment, or running in a slot).
public struct ReleaseRetention: Sendable, Equatable {
    public struct BuiltRelease: Sendable, Equatable {
        public var version: String
        public var builtAt: Date

        public init(version: String, builtAt: Date) {
            self.version = version
            self.builtAt = builtAt
        }
    }

    public var keep: Int

    public init(keep: Int) {
        self.keep = keep
    }

    /// The versions to remove, oldest first.
    public func versionsToRemove(of built: [BuiltRelease], protecting protected: Set<String>) -> [String] {
        let newestFirst = built.sorted { ($0.builtAt, $0.version) > ($1.builtAt, $1.version) }
        return newestFirst.dropFirst(keep).filter { !protected.contains($0.version) }.reversed().map(\.version)
    }

    /// The versions of `component` that must stay: live and last good in every environment, and
    /// every version in a running slot.
    public static func protectedVersions(
        of component: String, states: [DeploymentState], slots: [SlotRecord]
    ) -> Set<String> {
        var versions = Set<String>()
        for state in states where state.component == component {
            if let live = state.liveVersion { versions.insert(live) }
            if let lastGood = state.previousVersions.first { versions.insert(lastGood) }
        }
        for slot in slots where slot.component == component && (slot.state == .running || slot.state == .parked) {
            versions.insert(slot.version)
        }
        return versions
    }
}
