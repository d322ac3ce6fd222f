import ArgumentParser
import Foundation
import SlipwayCore

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show what the quality gate reads from coverage and scan reports.",
        discussion: """
            Formats are detected from the content: LCOV, Cobertura XML, llvm-cov export JSON, SARIF, \
            npm audit, pip-audit and osv-scanner JSON. With --json, one object per report (a list when \
            several are given).
            """)

    @Argument(help: "Report files.") var files: [String]
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one report file") }
    }

    func run() throws {
        var shown: [ReportView] = []
        for path in files {
            let report = try SlipwayCore.Report.load(URL(fileURLWithPath: path), name: path)
            shown.append(ReportView(file: path, report: report))
        }
        if json { return try shown.count == 1 ? JSONOutput.print(shown[0]) : JSONOutput.print(shown) }
        for view in shown { view.print() }
    }
}

/// One report as `report` prints it.
private struct ReportView: Encodable {
    struct FileView: Encodable {
        var path: String
        var lines: LineCounts
        var branches: LineCounts?
    }

    var file: String
    var format: ReportFormat
    var lines: LineCounts?
    var branches: LineCounts?
    var files: [FileView]?
    var findings: [Finding]?

    init(file: String, report: SlipwayCore.Report) {
        self.file = file
        format = report.format
        if let coverage = report.coverage {
            lines = coverage.lines
            branches = coverage.branches
            files = coverage.files.map { FileView(path: $0.path, lines: $0.lineCounts, branches: $0.branches) }
        }
        findings = report.findings
    }

    func print() {
        if let lines {
            var line = "\(file): \(format.rawValue), lines \(Self.counts(lines))"
            if let branches { line += ", branches \(Self.counts(branches))" }
            Swift.print(line + ", \(files?.count ?? 0) files")
            Table(
                headers: ["FILE", "LINES", "HIT", "COVERED", "BRANCHES"],
                rows: (files ?? []).map {
                    [$0.path, String($0.lines.found), String($0.lines.hit), Self.percent($0.lines),
                     $0.branches.map(Self.counts) ?? "-"]
                }
            ).print()
        }
        if let findings {
            let open = findings.filter { !$0.suppressed }
            Swift.print("\(file): \(format.rawValue), \(findings.count) findings, \(open.filter(\.isBlocking).count) blocking")
            Table(
                headers: ["RULE", "LEVEL", "SEVERITY", "PATH", "LINE", "SUPPRESSED"],
                rows: findings.map {
                    [$0.rule, $0.level.rawValue, $0.severity.rawValue, $0.path, $0.line.map(String.init) ?? "-",
                     $0.suppressed ? "yes" : "no"]
                }
            ).print()
        }
    }

    static func percent(_ counts: LineCounts) -> String {
        counts.percent.map { String(format: "%.1f%%", $0) } ?? "-"
    }

    static func counts(_ counts: LineCounts) -> String { "\(counts.hit)/\(counts.found) (\(percent(counts)))" }
}
