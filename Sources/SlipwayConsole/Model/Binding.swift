/// One row of the key binding table: the keys, what they do, and how they are advertised.
struct Binding: Equatable, Sendable {
    /// Browsing bindings apply to the lists; filtering ones while a `/` filter is typed.
    enum Context: Equatable, Sendable {
        case browsing
        case filtering
    }

    var keys: [ConsoleKey]
    var action: ConsoleAction
    var description: String
    var shownInFooter: Bool
    var context = Context.browsing

    /// Every key, for the help screen: `j/down`.
    var keyLabel: String { keys.map(\.label).joined(separator: "/") }
    /// The first key only, so the footer stays one line.
    var footerLabel: String { keys.first?.label ?? "" }
}
