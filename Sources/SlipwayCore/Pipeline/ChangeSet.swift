/// What changed between two commits and which components that touches, as `slipway changes` prints it.
public struct ChangeSet: Sendable, Equatable, Codable {
    /// Why a component is in the set; the first that applies, in this order.
    public enum Reason: String, Sendable, Codable {
        /// A file under its own folder changed.
        case files
        /// A file matching its `paths` changed.
        case paths
        /// A component or path it depends on changed.
        case dependency
        /// A global path (`global_paths`) changed.
        case global
    }

    public struct ChangedComponent: Sendable, Equatable, Codable {
        public var name: String
        public var kind: ComponentKind
        public var reason: Reason
        /// The changed files that brought it in (for `dependency`, those of what it depends on).
        public var files: [String]
        /// For `dependency`: the components it depends on that changed.
        public var via: [String]?
    }

    /// The commit the change is measured from, as given and as resolved.
    public var base: String
    public var head: String
    /// The merge-base of base and head: the diff is `base...head`.
    public var mergeBase: String
    /// Why this base: given, the last successful pipeline run, or the merge-base with a branch.
    public var baseSource: String
    public var files: [String]
    public var components: [ChangedComponent]

    enum CodingKeys: String, CodingKey {
        case base, head, mergeBase = "merge_base", baseSource = "base_source", files, components
    }

    public func component(named name: String) -> ChangedComponent? { components.first { $0.name == name } }
}
