/// The one key binding table: `update` dispatches through it, and the footer hints and the
/// `?` help screen are generated from it, so the three never disagree.
enum Bindings {
    static let all: [Binding] = [
        Binding(keys: [.character("j"), .down], action: .moveDown, description: "down", shownInFooter: true),
        Binding(keys: [.character("k"), .up], action: .moveUp, description: "up", shownInFooter: true),
        Binding(keys: [.character("g"), .home], action: .moveToTop, description: "top", shownInFooter: false),
        Binding(keys: [.character("G"), .end], action: .moveToBottom, description: "bottom", shownInFooter: false),
        Binding(keys: [.pageDown], action: .pageDown, description: "page down", shownInFooter: false),
        Binding(keys: [.pageUp], action: .pageUp, description: "page up", shownInFooter: false),
        Binding(keys: [.character("1")], action: .showFleet, description: "fleet", shownInFooter: true),
        Binding(keys: [.character("2")], action: .showRuns, description: "runs", shownInFooter: true),
        Binding(keys: [.character("/")], action: .startFilter, description: "filter", shownInFooter: true),
        Binding(keys: [.character("r")], action: .reload, description: "reload", shownInFooter: false),
        Binding(keys: [.character("?")], action: .toggleHelp, description: "help", shownInFooter: true),
        Binding(keys: [.escape], action: .back, description: "back / clear filter", shownInFooter: false),
        Binding(keys: [.character("q")], action: .quit, description: "quit", shownInFooter: true),
        Binding(
            keys: [.enter], action: .applyFilter, description: "keep filter", shownInFooter: true,
            context: .filtering),
        Binding(
            keys: [.escape], action: .clearFilter, description: "clear filter", shownInFooter: true,
            context: .filtering),
        Binding(
            keys: [.backspace], action: .deleteBackward, description: "delete last character", shownInFooter: false,
            context: .filtering),
    ]

    static func binding(for key: ConsoleKey, in context: Binding.Context) -> Binding? {
        all.first { $0.context == context && $0.keys.contains(key) }
    }

    static func footer(in context: Binding.Context) -> [Binding] {
        all.filter { $0.context == context && $0.shownInFooter }
    }
}
