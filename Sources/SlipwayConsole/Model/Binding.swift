/// One row of the key binding table: the keys, what they do, where, and how they are advertised.
struct Binding: Equatable, Sendable {
    /// Browsing bindings apply to the screens; the others while a filter, a `:` command or a
    /// confirmation is typed.
    enum Context: String, Equatable, Sendable {
        case browsing
        case filtering
        case command
        case confirming
    }

    var keys: [ConsoleKey]
    var action: ConsoleAction
    var description: String
    var shownInFooter: Bool
    var context = Context.browsing
    /// The screens it works on; empty means every screen.
    var screens: [ConsoleScreen] = []

    func applies(to screen: ConsoleScreen) -> Bool { screens.isEmpty || screens.contains(screen) }

    /// Every key, for the help screen: `j/down`.
    var keyLabel: String { keys.map(\.label).joined(separator: "/") }
    /// The first key only, so the footer stays one line.
    var footerLabel: String { keys.first?.label ?? "" }
}
