import SlipwayCore

/// The runs screen's table, newest first as the store returns them.
struct RunsTable: ListView {
    private struct Column {
        var heading: String
        var width: Int
        var value: (RunRecord) -> String
    }

    static let gap = 2

    let runs: [RunRecord]
    let symbols: SymbolSet
    private let columns: [Column]

    init(runs: [RunRecord], symbols: SymbolSet) {
        self.runs = runs
        self.symbols = symbols
        let specifications: [(String, Int, (RunRecord) -> String)] = [
            ("ID", 22, \.id),
            ("KIND", 12, \.kind.rawValue),
            ("COMPONENT", 20, { $0.component ?? "-" }),
            ("ENV", 12, { $0.environment ?? "-" }),
            ("VERSION", 12, { $0.version ?? "-" }),
            ("STATE", 11, \.state.rawValue),
            ("ACTOR", 12, \.actor),
            ("STARTED", 14, { TimeText.stamp($0.startedAt) }),
        ]
        columns = specifications.map { heading, limit, value in
            Column(
                heading: heading, width: TextLayout.columnWidth(runs.map(value), heading: heading, limit: limit),
                value: value)
        }
    }

    var count: Int { runs.count }

    var emptyMessage: String { "no runs yet: deploys, rollbacks, tests and health checks appear here" }

    func drawHeading(into frame: inout Frame, row: Int) {
        var x = 0
        for column in columns {
            x = frame.put(column.heading, row: row, column: x, width: column.width + Self.gap, style: .bold)
        }
    }

    func drawItem(at index: Int, into frame: inout Frame, row: Int) {
        let run = runs[index]
        var x = 0
        for column in columns {
            let text = TextLayout.truncate(column.value(run), to: column.width, ellipsis: symbols.ellipsis)
            let style = column.heading == "STATE" ? Self.style(of: run.state) : .plain
            x = frame.put(text, row: row, column: x, width: column.width + Self.gap, style: style)
        }
    }

    private static func style(of state: RunRecord.State) -> CellStyle {
        switch state {
        case .running: .colored(.inProgress, .bold)
        case .succeeded: .colored(.healthy)
        case .failed: .colored(.unhealthy, .bold)
        case .cancelled, .interrupted: .dim
        }
    }
}
