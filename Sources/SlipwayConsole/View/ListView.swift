/// A screen's table: column headings and one line per item. `render` scrolls it, marks the
/// selected line and says why it is empty.
protocol ListView {
    var count: Int { get }
    /// Shown when there are no items at all (not when a filter hides them).
    var emptyMessage: String { get }
    func drawHeading(into frame: inout Frame, row: Int)
    func drawItem(at index: Int, into frame: inout Frame, row: Int)
    /// What the table left out for want of width, said under it; nil when everything shows.
    var hiddenNote: String? { get }
}

extension ListView {
    var hiddenNote: String? { nil }
}
