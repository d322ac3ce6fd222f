/// What a key binding does; `update` performs it.
enum ConsoleAction: Equatable, Sendable {
    case moveDown
    case moveUp
    case moveToTop
    case moveToBottom
    case pageDown
    case pageUp
    case showFleet
    case showRuns
    case toggleHelp
    case startFilter
    case reload
    case back
    case quit
    case applyFilter
    case clearFilter
    case deleteBackward

    /// Movement keeps working while a filter is typed, so the operator can pick a match.
    var isMovement: Bool {
        switch self {
        case .moveDown, .moveUp, .moveToTop, .moveToBottom, .pageDown, .pageUp: true
        default: false
        }
    }
}
