import SlipwayCore

/// What a key binding does; `update` performs it. The raw value is the name the user
/// config's `keys:` remaps.
enum ConsoleAction: String, Equatable, Sendable, CaseIterable {
    case moveDown = "down"
    case moveUp = "up"
    case moveToTop = "top"
    case moveToBottom = "bottom"
    case pageDown = "page-down"
    case pageUp = "page-up"
    case showFleet = "fleet"
    case showRuns = "runs"
    case showHealth = "health"
    case showAudit = "audit"
    case showAlerts = "alerts"
    case showDrift = "drift"
    case showApprovals = "approvals"
    case open
    case showDetails = "details"
    case showReleases = "releases"
    case deploy
    case switchTraffic = "switch"
    case rollback
    case retry
    case logs
    case canaryPromote = "canary-promote"
    case canaryPause = "canary-pause"
    case canaryResume = "canary-resume"
    case canaryAbort = "canary-abort"
    case approve
    case deny
    case toggleFollow = "follow"
    case toggleWrap = "wrap"
    case toggleTimestamps = "timestamps"
    case nextMatch = "next-match"
    case travel = "past"
    case stepBack = "step-back"
    case stepForward = "step-forward"
    case toggleHelp = "help"
    case startFilter = "filter"
    case startCommand = "command"
    case reload
    case back
    case quit
    case applyFilter = "keep-filter"
    case clearFilter = "clear-filter"
    case deleteBackward = "delete-backward"
    case runCommand = "run-command"
    case completeCommand = "complete"
    case cancelCommand = "cancel-command"
    case confirm
    case cancelConfirmation = "cancel-confirmation"

    /// Movement keeps working while a filter is typed, so the operator can pick a match.
    /// The `slipway canary` subcommand of a canary action.
    var canaryCommand: CanaryCommand.Kind? {
        switch self {
        case .canaryPromote: .promote
        case .canaryPause: .pause
        case .canaryResume: .resume
        case .canaryAbort: .abort
        default: nil
        }
    }

    var isMovement: Bool {
        switch self {
        case .moveDown, .moveUp, .moveToTop, .moveToBottom, .pageDown, .pageUp: true
        default: false
        }
    }

    /// Actions that change a deployment: hidden and refused in read-only mode.
    var isChanging: Bool {
        switch self {
        case .deploy, .switchTraffic, .rollback, .retry, .canaryPromote, .canaryPause, .canaryResume, .canaryAbort, .approve, .deny:
            true
        default: false
        }
    }
}
