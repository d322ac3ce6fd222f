import Foundation

/// What the gate reads from one report file: its format and either coverage or findings.
public struct Report: Sendable {
    public var format: ReportFormat
    public var coverage: CoverageSummary?
    public var findings: [Finding]?

    public init(format: ReportFormat, coverage: CoverageSummary? = nil, findings: [Finding]? = nil) {
        self.format = format
        self.coverage = coverage
        self.findings = findings
    }

    /// Reads the report at `url`; `name` is how errors refer to the file.
    /// A missing file is a usage error; a malformed or truncated one fails naming file and line.
    public static func load(_ url: URL, name: String? = nil) throws(SlipwayError) -> Report {
        let name = name ?? url.path
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw SlipwayError(.report(file: name, .noSuchReport))
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw SlipwayError(.report(file: name, .unreadable(error.localizedDescription)))
        }
        return try parse(data, file: name, directory: url.deletingLastPathComponent())
    }

    /// Parses report bytes; `directory` resolves relative source folders of Cobertura reports.
    public static func parse(_ data: Data, file: String, directory: URL? = nil) throws(SlipwayError) -> Report {
        let start = data.firstIndex { !ReportFormat.isSpace($0) }
        guard let start else { throw SlipwayError(.malformedReport(file: file, .line(1), problem: "empty report")) }
        if data[start] == UInt8(ascii: "{") || data[start] == UInt8(ascii: "[") {
            let json = try JSONNode.parse(data, file: file)
            switch ReportFormat.detect(json: json.value) {
            case .llvmCov: return Report(format: .llvmCov, coverage: try LLVMCovReport.parse(json))
            case .sarif: return Report(format: .sarif, findings: try SARIFReport.parse(json))
            case .npmAudit: return Report(format: .npmAudit, findings: try NPMAuditReport.parse(json))
            case .pipAudit: return Report(format: .pipAudit, findings: try PipAuditReport.parse(json))
            case .osv: return Report(format: .osv, findings: try OSVReport.parse(json))
            case .lcov, .cobertura, nil:
                throw SlipwayError(.malformedReport(
                    file: file, .line(1),
                    problem: "unrecognized JSON report (expected llvm-cov export, SARIF, npm audit, pip-audit or osv-scanner)"))
            }
        }
        let format = data.withUnsafeBytes { ReportFormat.detect(text: $0) }
        switch format {
        case .cobertura:
            return Report(format: .cobertura, coverage: try CoberturaReport.parse(data, file: file, directory: directory))
        case .lcov:
            return Report(format: .lcov, coverage: try LCOVReport.parse(data, file: file))
        default:
            throw SlipwayError(.malformedReport(
                file: file, .line(1), problem: "unrecognized report (expected LCOV, Cobertura XML or a JSON report)"))
        }
    }
}
