/// The terminal's size in cells.
struct TerminalSize: Equatable, Sendable {
    /// Below this the screens cannot lay out a table, header and footer.
    static let minimum = TerminalSize(rows: 15, columns: 60)

    var rows: Int
    var columns: Int

    var isTooSmall: Bool { rows < Self.minimum.rows || columns < Self.minimum.columns }
}
