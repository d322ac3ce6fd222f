/// The `?` screen: every row of the binding table, so help can never miss a key.
struct HelpTable: ListView {
    static let keysWidth = 16
    static let gap = 2

    let bindings: [Binding]

    var count: Int { bindings.count }

    var emptyMessage: String { "no key bindings" }

    func drawHeading(into frame: inout Frame, row: Int) {
        var x = frame.put("KEYS", row: row, column: 0, width: Self.keysWidth + Self.gap, style: .bold)
        x = frame.put("ACTION", row: row, column: x, width: 24, style: .bold)
        x = frame.put("NAME (keys:)", row: row, column: x, width: 16, style: .bold)
        frame.put("WHEN", row: row, column: x, style: .bold)
    }

    func drawItem(at index: Int, into frame: inout Frame, row: Int) {
        let binding = bindings[index]
        var x = frame.put(binding.keyLabel, row: row, column: 0, width: Self.keysWidth + Self.gap, style: .bold)
        x = frame.put(binding.description, row: row, column: x, width: 24)
        // Only browsing keys can be remapped, so only they show the name the user config uses.
        x = frame.put(binding.context == .browsing ? binding.action.rawValue : "", row: row, column: x, width: 16, style: .dim)
        let when = switch binding.context {
        case .browsing: binding.screens.isEmpty ? "every screen" : binding.screens.map(\.title).joined(separator: ", ")
        case .filtering: "while typing a filter"
        case .command: "while typing a : command"
        case .confirming: "while confirming an action"
        }
        frame.put(when, row: row, column: x, style: .dim)
    }
}
