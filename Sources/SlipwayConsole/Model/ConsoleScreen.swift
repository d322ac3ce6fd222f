/// The screens of the console; the state keeps a stack of them so `esc` goes back.
enum ConsoleScreen: String, Hashable, Sendable, CaseIterable {
    case fleet
    case runs
    case health
    case audit
    case alerts
    case drift
    /// Requests awaiting approval (the two-person rule).
    case approvals
    case help
    case component
    case releases
    case log
    /// Every field of one alert or audit entry, wrapped: what a table line cuts.
    case detail

    var title: String { rawValue }

    /// The screens `1`-`7` jump to; the others are reached from them.
    static let top: [ConsoleScreen] = [.fleet, .runs, .health, .audit, .alerts, .drift, .approvals]
}
