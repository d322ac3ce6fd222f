import SlipwayCore

/// The glyphs the screens draw: Unicode where the locale is UTF-8, else ASCII look-alikes.
enum SymbolSet: Equatable, Sendable {
    case unicode
    case ascii

    var healthy: String { self == .unicode ? "●" : "o" }
    var unhealthy: String { self == .unicode ? "✗" : "x" }
    var unknown: String { "?" }
    /// Health nobody can vouch for now: the agent that probes is down.
    var stale: String { self == .unicode ? "◌" : "-" }
    var done: String { self == .unicode ? "✓" : "+" }
    var alarm: String { self == .unicode ? "⚠" : "!" }
    /// A release waiting in the idle colour for a switch by hand.
    var waiting: String { self == .unicode ? "⇡" : "^" }
    var inProgress: String { self == .unicode ? "⟳" : "*" }
    /// Marks the past view, so it is never taken for now.
    var past: String { self == .unicode ? "◷" : "@" }
    var dash: String { self == .unicode ? "—" : "-" }
    var ellipsis: String { self == .unicode ? "…" : "~" }

    func health(_ health: HealthState) -> String {
        switch health {
        case .healthy: healthy
        case .unhealthy: unhealthy
        case .unknown: unknown
        case .stale: stale
        }
    }
}
