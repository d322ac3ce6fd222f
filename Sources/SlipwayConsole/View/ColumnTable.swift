/// A table of simple text columns, each as wide as its widest value within a limit. Columns
/// that do not fit the width are left out whole and named in `hiddenNote`: a figure cut at the
/// edge (`52.7m` for `52.7ms`) would say something false. Only a column marked `cuttable`
/// (a name or a sentence) may be shortened, with an ellipsis, to the room left.
struct ColumnTable<Item>: ListView {
    struct Column {
        var heading: String
        var limit: Int
        var value: (Item) -> String
        var style: (Item) -> CellStyle = { _ in .plain }
        var cuttable = false
    }

    static var gap: Int { 2 }
    /// The narrowest a cuttable column is shortened to before it is left out instead.
    static var narrowestCut: Int { 8 }

    let items: [Item]
    /// The columns shown, in order, with their widths.
    let columns: [Column]
    let widths: [Int]
    /// The headings of the columns left out for want of width.
    let hidden: [String]
    let symbols: SymbolSet
    let emptyMessage: String

    /// `leftOut` names columns the caller already dropped for want of width, said with the rest.
    init(
        items: [Item], columns: [Column], symbols: SymbolSet, emptyMessage: String, width: Int = .max, leftOut: [String] = []
    ) {
        self.items = items
        self.symbols = symbols
        self.emptyMessage = emptyMessage
        var shown: [Column] = []
        var widths: [Int] = []
        var hidden = leftOut
        var used = 0
        for column in columns {
            let natural = TextLayout.columnWidth(items.map(column.value), heading: column.heading, limit: column.limit)
            let room = width - used - (shown.isEmpty ? 0 : Self.gap)
            let fitted = natural <= room ? natural
                : column.cuttable && room >= max(Self.narrowestCut, column.heading.count) ? room : nil
            guard let fitted else {
                hidden.append(column.heading)
                continue
            }
            used += (shown.isEmpty ? 0 : Self.gap) + fitted
            shown.append(column)
            widths.append(fitted)
        }
        self.columns = shown
        self.widths = widths
        self.hidden = hidden
    }

    var count: Int { items.count }

    var hiddenNote: String? {
        hidden.isEmpty ? nil : "\(hidden.count) column\(hidden.count == 1 ? "" : "s") hidden: \(hidden.joined(separator: ", "))"
    }

    /// The columns' total width, gaps included.
    var width: Int { widths.reduce(0, +) + Self.gap * max(0, widths.count - 1) }

    func drawHeading(into frame: inout Frame, row: Int) {
        var x = 0
        for (column, width) in zip(columns, widths) {
            x = frame.put(column.heading, row: row, column: x, width: width + Self.gap, style: .bold)
        }
    }

    func drawItem(at index: Int, into frame: inout Frame, row: Int) {
        let item = items[index]
        var x = 0
        for (column, width) in zip(columns, widths) {
            let text = TextLayout.truncate(column.value(item), to: width, ellipsis: symbols.ellipsis)
            x = frame.put(text, row: row, column: x, width: width + Self.gap, style: column.style(item))
        }
    }

    /// Draws the table as a section of a screen from `top` within `height` rows: a blank line,
    /// `title` (or `NAME 1-N of M` when not every item fits), the heading and as many items as fit.
    func drawSection(title: String, name: String, into frame: inout Frame, top: Int, height: Int) {
        guard !items.isEmpty, height >= 2 else { return }
        let capacity = max(0, height - 3)
        let shownTitle = items.count > capacity ? "\(name) 1-\(capacity) of \(items.count)" : title
        frame.put(TextLayout.truncate(shownTitle, to: frame.columns, ellipsis: symbols.ellipsis), row: top + 1, column: 0, style: .bold)
        guard height >= 3 else { return }
        drawHeading(into: &frame, row: top + 2)
        for index in 0..<min(capacity, items.count) {
            drawItem(at: index, into: &frame, row: top + 3 + index)
        }
    }
}
