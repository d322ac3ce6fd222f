/// A table of simple text columns, each as wide as its widest value within a limit.
struct ColumnTable<Item>: ListView {
    struct Column {
        var heading: String
        var limit: Int
        var value: (Item) -> String
        var style: (Item) -> CellStyle = { _ in .plain }
    }

    static var gap: Int { 2 }

    let items: [Item]
    let columns: [Column]
    let widths: [Int]
    let symbols: SymbolSet
    let emptyMessage: String

    init(items: [Item], columns: [Column], symbols: SymbolSet, emptyMessage: String) {
        self.items = items
        self.columns = columns
        self.symbols = symbols
        self.emptyMessage = emptyMessage
        widths = columns.map { column in
            TextLayout.columnWidth(items.map(column.value), heading: column.heading, limit: column.limit)
        }
    }

    var count: Int { items.count }

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
}
