extension SlipwayError.Reason {
    /// Why a gate has no report to read.
    public enum ReportProblem: Sendable, Equatable {
        /// Named on the command line, and not there: exit 2.
        case noSuchReport
        /// Expected from the component's test run, and not there.
        case missing
        case unreadable(String)

        var category: SlipwayError.Category { self == .noSuchReport ? .usage : .failure }

        func line(file: String) -> String {
            switch self {
            case .noSuchReport: "\(file): no such report"
            case .missing: "missing report \(file)"
            case .unreadable(let problem): "\(file): cannot read: \(problem)"
            }
        }
    }
}
