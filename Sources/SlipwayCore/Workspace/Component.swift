import Foundation

/// An app or a service: a folder directly under `apps/` or `services/` that owns its deployment.
public struct Component: Sendable, Equatable, Identifiable {
    public var name: String
    public var kind: ComponentKind
    /// Path relative to the workspace root, such as `apps/landing-page`.
    public var path: String
    public var directory: URL
    public var technology: String
    public var target: String
    public var makefile: MakefileMetadata?
    public var settings: ComponentSettings

    public var id: String { name }

    public func hasGoal(_ goal: String) -> Bool { makefile?.goals.contains(goal) ?? false }
}
