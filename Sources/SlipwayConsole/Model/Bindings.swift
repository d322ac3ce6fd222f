/// The one key binding table: `update` dispatches through it, and the footer hints and the
/// `?` help screen are generated from it, so the three never disagree.
enum Bindings {
    private static let lists: [ConsoleScreen] = [
        .fleet, .runs, .health, .audit, .alerts, .drift, .approvals, .help, .component, .releases,
    ]
    private static let deployable: [ConsoleScreen] = [.fleet, .component]
    /// The screens that can show a past moment.
    private static let travelling: [ConsoleScreen] = [.fleet, .runs, .health, .audit, .component]

    static let all: [Binding] = [
        Binding(keys: [.character("j"), .down], action: .moveDown, description: "down", shownInFooter: true),
        Binding(keys: [.character("k"), .up], action: .moveUp, description: "up", shownInFooter: true),
        Binding(keys: [.character("g"), .home], action: .moveToTop, description: "top", shownInFooter: false),
        Binding(keys: [.character("G"), .end], action: .moveToBottom, description: "bottom", shownInFooter: false),
        Binding(keys: [.pageDown], action: .pageDown, description: "page down", shownInFooter: false),
        Binding(keys: [.pageUp], action: .pageUp, description: "page up", shownInFooter: false),
        Binding(
            keys: [.enter], action: .open, description: "open", shownInFooter: true,
            screens: [.fleet, .runs, .component]),
        Binding(
            keys: [.enter], action: .showDetails, description: "details", shownInFooter: true, screens: [.audit, .alerts]),
        Binding(
            keys: [.enter], action: .rollback, description: "roll back to this", shownInFooter: true,
            screens: [.releases]),
        Binding(
            keys: [.character("r")], action: .showReleases, description: "releases", shownInFooter: true,
            screens: deployable),
        Binding(keys: [.character("d")], action: .deploy, description: "deploy", shownInFooter: true, screens: deployable),
        Binding(
            keys: [.character("s")], action: .switchTraffic, description: "switch", shownInFooter: true,
            screens: deployable),
        Binding(
            keys: [.character("b")], action: .rollback, description: "rollback", shownInFooter: true,
            screens: deployable + [.runs]),
        Binding(keys: [.character("x")], action: .retry, description: "retry run", shownInFooter: true, screens: [.runs]),
        Binding(keys: [.character("l")], action: .logs, description: "logs", shownInFooter: true, screens: deployable),
        // Canary steering: hinted in the component screen's canary panel, where they apply.
        Binding(
            keys: [.character("P")], action: .canaryPromote, description: "canary: promote", shownInFooter: false,
            screens: [.component]),
        Binding(
            keys: [.character("p")], action: .canaryPause, description: "canary: pause", shownInFooter: false,
            screens: [.component]),
        Binding(
            keys: [.character("u")], action: .canaryResume, description: "canary: resume", shownInFooter: false,
            screens: [.component]),
        Binding(
            keys: [.character("A")], action: .canaryAbort, description: "canary: abort", shownInFooter: false,
            screens: [.component]),
        Binding(
            keys: [.character("a")], action: .approve, description: "approve", shownInFooter: true, screens: [.approvals]),
        Binding(
            keys: [.character("D")], action: .deny, description: "deny (with a reason)", shownInFooter: true,
            screens: [.approvals]),
        Binding(keys: [.character("f")], action: .toggleFollow, description: "follow on/off", shownInFooter: true, screens: [.log]),
        Binding(keys: [.character("w")], action: .toggleWrap, description: "wrap on/off", shownInFooter: true, screens: [.log]),
        Binding(
            keys: [.character("t")], action: .toggleTimestamps, description: "timestamps", shownInFooter: true,
            screens: [.log]),
        Binding(keys: [.character("n")], action: .nextMatch, description: "next match", shownInFooter: false, screens: [.log]),
        Binding(
            keys: [.character("t")], action: .travel, description: "past view", shownInFooter: false, screens: travelling),
        Binding(
            keys: [.character("[")], action: .stepBack, description: "one event back", shownInFooter: false,
            screens: travelling),
        Binding(
            keys: [.character("]")], action: .stepForward, description: "one event forward", shownInFooter: false,
            screens: travelling),
        Binding(keys: [.character("1")], action: .showFleet, description: "fleet", shownInFooter: false),
        Binding(keys: [.character("2")], action: .showRuns, description: "runs", shownInFooter: false),
        Binding(keys: [.character("3")], action: .showHealth, description: "health", shownInFooter: false),
        Binding(keys: [.character("4")], action: .showAudit, description: "audit", shownInFooter: false),
        Binding(keys: [.character("5")], action: .showAlerts, description: "alerts", shownInFooter: false),
        Binding(keys: [.character("6")], action: .showDrift, description: "drift", shownInFooter: false),
        Binding(keys: [.character("7")], action: .showApprovals, description: "approvals", shownInFooter: false),
        Binding(
            keys: [.character("/")], action: .startFilter, description: "filter", shownInFooter: true,
            screens: lists + [.log]),
        Binding(keys: [.character(":")], action: .startCommand, description: "command", shownInFooter: true),
        Binding(keys: [.character("\u{12}")], action: .reload, description: "reload", shownInFooter: false),
        Binding(keys: [.character("?")], action: .toggleHelp, description: "help", shownInFooter: true),
        Binding(keys: [.escape], action: .back, description: "back / clear filter", shownInFooter: false),
        Binding(keys: [.character("q")], action: .quit, description: "quit", shownInFooter: true),
        Binding(
            keys: [.enter], action: .applyFilter, description: "keep filter", shownInFooter: true, context: .filtering),
        Binding(
            keys: [.escape], action: .clearFilter, description: "clear filter", shownInFooter: true, context: .filtering),
        Binding(
            keys: [.backspace], action: .deleteBackward, description: "delete last character", shownInFooter: false,
            context: .filtering),
        Binding(keys: [.enter], action: .runCommand, description: "run command", shownInFooter: true, context: .command),
        Binding(keys: [.tab], action: .completeCommand, description: "complete", shownInFooter: true, context: .command),
        Binding(keys: [.escape], action: .cancelCommand, description: "cancel", shownInFooter: true, context: .command),
        Binding(
            keys: [.backspace], action: .deleteBackward, description: "delete last character", shownInFooter: false,
            context: .command),
        Binding(
            keys: [.enter, .character("y")], action: .confirm, description: "confirm", shownInFooter: true,
            context: .confirming),
        Binding(
            keys: [.escape, .character("n")], action: .cancelConfirmation, description: "cancel", shownInFooter: true,
            context: .confirming),
        Binding(
            keys: [.backspace], action: .deleteBackward, description: "delete last character", shownInFooter: false,
            context: .confirming),
    ]

    /// The table with the keys of the actions named in `remapping` (a user config's `keys:`)
    /// replaced; browsing bindings only, so typing text always works the same.
    static func table(remapping: [ConsoleAction: [ConsoleKey]] = [:]) -> [Binding] {
        all.map { binding in
            guard binding.context == .browsing, let keys = remapping[binding.action] else { return binding }
            var remapped = binding
            remapped.keys = keys
            return remapped
        }
    }
}

extension [Binding] {
    func binding(for key: ConsoleKey, in context: Binding.Context, on screen: ConsoleScreen) -> Binding? {
        first { $0.context == context && $0.keys.contains(key) && $0.applies(to: screen) }
    }

    /// The bindings of `screen` and `context`, without the changing ones in read-only mode.
    func available(in context: Binding.Context, on screen: ConsoleScreen, readOnly: Bool) -> [Binding] {
        filter { $0.context == context && $0.applies(to: screen) && !(readOnly && $0.action.isChanging) }
    }
}
