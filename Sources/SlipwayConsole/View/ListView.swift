/// A screen's table: column headings and one line per item. `render` scrolls it, marks the
/// selected line and says why it is empty.
protocol ListView {
    var count: Int { get }
    /// Shown when there are no items at all (not when a filter hides them).
    var emptyMessage: String { get }
    func drawHeading(into frame: inout Frame, row: Int)
    func drawItem(at index: Int, into frame: inout Frame, row: Int)
}
