/// The screens of the console; the state keeps a stack of them so `esc` goes back.
enum ConsoleScreen: Hashable, Sendable, CaseIterable {
    case fleet
    case runs
    case help

    var title: String {
        switch self {
        case .fleet: "fleet"
        case .runs: "runs"
        case .help: "help"
        }
    }
}
