import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Each parser on the real tool's output (produced here, in the test's own folder) and on
/// hand-written fixtures where the tool cannot run offline; then truncated and malformed input.
@Suite struct ReportParserTests {
    static let program = """
        #include <stdio.h>
        int classify(int x) {
            if (x > 2) {
                return x * 2;
            }
            return x;
        }
        int main(void) {
            printf("%d\\n", classify(1));
            return 0;
        }
        """

    /// Compiles and runs the C program with gcc's coverage, then captures it with lcov.
    static func gccCoverage(in folder: TemporaryWorkspace) throws {
        try ExternalTool.require("gcc", "lcov")
        try folder.write(["prog.c": program])
        for command in [
            ["gcc", "--coverage", "-O0", "prog.c", "-o", "prog"], ["./prog"],
            ["lcov", "--quiet", "--capture", "--directory", ".", "--output-file", "lcov.info",
             "--rc", "lcov_branch_coverage=1"],
        ] {
            let result = try folder.run("/usr/bin/env", command)
            try #require(result.status == 0, "\(command.joined(separator: " ")): \(result.output)")
        }
    }

    static func load(_ folder: TemporaryWorkspace, _ name: String) throws -> Report {
        try Report.load(folder.root.appendingPathComponent(name))
    }

    static func fixture(_ name: String) throws -> Report {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/Reports/\(name)", withExtension: nil))
        return try Report.load(url, name: name)
    }

    /// `lcov --summary`'s "lines......: 80.0% (4 of 5 lines)" as (hit, found).
    static func lcovSummary(_ output: String, _ label: String) -> (hit: Int, found: Int)? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("\(label)..") }),
              let open = line.firstIndex(of: "(")
        else { return nil }
        let words = line[line.index(after: open)...].split(separator: " ")
        guard words.count >= 3, let hit = Int(words[0]), let found = Int(words[2]) else { return nil }
        return (hit, found)
    }

    @Test func lcovFromGccAgreesWithLcovSummary() throws {
        let folder = try TemporaryWorkspace()
        try Self.gccCoverage(in: folder)
        let report = try Self.load(folder, "lcov.info")
        #expect(report.format == .lcov)
        let coverage = try #require(report.coverage)
        let summary = try folder.run("/usr/bin/env", ["lcov", "--summary", "lcov.info", "--rc", "lcov_branch_coverage=1"])
        let lines = try #require(Self.lcovSummary(summary.output, "lines"))
        let branches = try #require(Self.lcovSummary(summary.output, "branches"))
        #expect(coverage.lines == LineCounts(found: lines.found, hit: lines.hit))
        #expect(coverage.branches == LineCounts(found: branches.found, hit: branches.hit))
        let file = try #require(coverage.files.first { $0.path.hasSuffix("/prog.c") })
        #expect(file.lines[4] == 0, "the x * 2 branch never ran")
        #expect(file.lines[9] == 1)
    }

    @Test func gcovrCoberturaAgreesWithLcovOnTheSameRun() throws {
        try ExternalTool.require("gcovr")
        let folder = try TemporaryWorkspace()
        try Self.gccCoverage(in: folder)
        let result = try folder.run("/usr/bin/env", ["gcovr", "-r", ".", "--cobertura", "cobertura.xml"])
        try #require(result.status == 0, "gcovr: \(result.output)")
        let cobertura = try #require(try Self.load(folder, "cobertura.xml").coverage)
        let lcov = try #require(try Self.load(folder, "lcov.info").coverage)
        #expect(try Self.load(folder, "cobertura.xml").format == .cobertura)
        #expect(cobertura.lines == lcov.lines)
        let file = try #require(cobertura.files.first)
        #expect(file.path == folder.root.appendingPathComponent("prog.c").path, "filename resolved against <source>")
        #expect(file.lines == lcov.files.first?.lines)
        #expect(cobertura.branches == LineCounts(found: 2, hit: 1))
    }

    @Test func coveragePyCoberturaAgreesWithItsOwnJSON() throws {
        try ExternalTool.require("coverage")
        let folder = try TemporaryWorkspace(files: [
            "calc.py": """
                def grade(x):
                    if x > 2:
                        return "big"
                    return "small"


                def unused(y):
                    return y + 1


                print(grade(1))
                """,
        ])
        for command in [
            ["coverage", "run", "--branch", "calc.py"], ["coverage", "xml", "-o", "coverage.xml"],
            ["coverage", "json", "-o", "coverage.json"],
        ] {
            let result = try folder.run("/usr/bin/env", command)
            try #require(result.status == 0, "\(command.joined(separator: " ")): \(result.output)")
        }
        let coverage = try #require(try Self.load(folder, "coverage.xml").coverage)
        let totals = try #require(
            (try JSONSerialization.jsonObject(with: Data(contentsOf: folder.root.appendingPathComponent("coverage.json")))
                as? [String: Any])?["totals"] as? [String: Any])
        #expect(coverage.lines.found == totals["num_statements"] as? Int)
        #expect(coverage.lines.hit == totals["covered_lines"] as? Int)
        #expect(coverage.branches?.found == totals["num_branches"] as? Int)
        #expect(coverage.branches?.hit == totals["covered_branches"] as? Int)
        #expect(coverage.files.first?.path == folder.root.appendingPathComponent("calc.py").path)
    }

    /// What `swift test --enable-code-coverage` does, on one file: instrument with swiftc, run,
    /// merge the profile and export it with llvm-cov.
    @Test func llvmCovExportFromSwiftAgreesWithLlvmCovSummary() throws {
        let folder = try TemporaryWorkspace(files: [
            "main.swift": """
                func classify(_ x: Int) -> String {
                    if x > 2 {
                        return "big"
                    }
                    return "small"
                }
                func never() -> Int {
                    let a = 1
                    return a + 1
                }
                print(classify(1))
                """,
        ])
        let tools = URL(fileURLWithPath: try Self.which("swiftc")).deletingLastPathComponent().path
        for command in [
            ["\(tools)/swiftc", "-profile-generate", "-profile-coverage-mapping", "main.swift", "-o", "prog"],
            ["./prog"],
            ["\(tools)/llvm-profdata", "merge", "-sparse", "prog.profraw", "-o", "prog.profdata"],
        ] {
            let result = try folder.run("/usr/bin/env", command, environment: ["LLVM_PROFILE_FILE": "prog.profraw"])
            try #require(result.status == 0, "\(command.joined(separator: " ")): \(result.output)")
        }
        let export = try folder.run("/usr/bin/env", ["\(tools)/llvm-cov", "export", "-instr-profile", "prog.profdata", "./prog"])
        try #require(export.status == 0)
        try folder.write(["coverage.json": export.output])
        let report = try Self.load(folder, "coverage.json")
        #expect(report.format == .llvmCov)
        let file = try #require(report.coverage?.files.first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(export.output.utf8)) as? [String: Any])
        let data = try #require((json["data"] as? [[String: Any]])?.first)
        let summary = try #require(((data["files"] as? [[String: Any]])?.first?["summary"] as? [String: Any])?["lines"] as? [String: Any])
        #expect(file.lineCounts == LineCounts(found: summary["count"] as? Int ?? -1, hit: summary["covered"] as? Int ?? -1))
        #expect(file.lines[3] == 0, "return \"big\" never ran")
        #expect(file.lines[8] == 0 && file.lines[9] == 0, "never() never ran")
        #expect(file.lines[11] == 1)
    }

    @Test func swiftTestCodecovDropsBuildAndTestFiles() throws {
        let report = try Self.fixture("swift-test-codecov.json")
        #expect(report.format == .llvmCov)
        let files = try #require(report.coverage?.files)
        #expect(files.map(\.path) == ["/tmp/gates-scratch/pkg/Sources/Grader/Grader.swift"])
        #expect(files[0].lineCounts == LineCounts(found: 13, hit: 8), "the file's own summary.lines: 13 lines, 8 covered")
        #expect(files[0].lines[11] == 0 && files[0].lines[12] == 0 && files[0].lines[13] == 0, "unused() never ran")
        #expect(files[0].lines[2] == 2, "grade ran twice")
    }

    static func which(_ tool: String) throws -> String {
        let folder = try TemporaryWorkspace()
        let result = try folder.run("/usr/bin/env", ["sh", "-c", "command -v \(tool)"])
        return try #require(result.output.split(separator: "\n").first.map(String.init))
    }

    @Test func semgrepSARIFWithALocalRule() throws {
        try ExternalTool.require("semgrep")
        let folder = try TemporaryWorkspace(files: [
            "rules.yml": """
                rules:
                  - id: no-eval
                    pattern: eval(...)
                    message: eval runs arbitrary code
                    languages: [python]
                    severity: ERROR
                  - id: print-call
                    pattern: print(...)
                    message: use logging
                    languages: [python]
                    severity: INFO
                """,
            "app.py": "x = eval(\"1 + 1\")\nprint(x)\ny = eval(\"2\")  # nosemgrep: no-eval\n",
        ])
        let result = try folder.run(
            "/usr/bin/env",
            ["semgrep", "scan", "--config", "rules.yml", "--sarif", "--metrics=off", "--disable-version-check",
             "-o", "semgrep.sarif", "app.py"],
            environment: ["SEMGREP_SEND_METRICS": "off"])
        try #require(result.status == 0, "semgrep: \(result.output)")
        let report = try Self.load(folder, "semgrep.sarif")
        #expect(report.format == .sarif)
        let findings = try #require(report.findings).sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        #expect(findings.map(\.rule) == ["no-eval", "print-call", "no-eval"])
        #expect(findings.map(\.line) == [1, 2, 3])
        #expect(findings.map(\.level) == [.error, .note, .error], "levels come from the rules' defaultConfiguration")
        #expect(findings.map(\.suppressed) == [false, false, true], "nosemgrep is an in-source suppression")
        #expect(findings.map(\.path) == ["app.py", "app.py", "app.py"])
        #expect(findings.filter(\.isBlocking).count == 1)
    }

    @Test func codeQLSARIFFindsRulesInExtensions() throws {
        let report = try Self.fixture("codeql.sarif")
        let findings = try #require(report.findings)
        #expect(findings.map(\.rule) == ["js/sql-injection", "js/unused-local-variable", "js/xss"])
        #expect(findings.map(\.level) == [.error, .note, .error])
        #expect(findings.map(\.severity) == [.high, .low, .critical], "security-severity 8.8 and 9.6 on the rules")
        #expect(findings.map(\.category) == [.security, .maintainability, .security])
        #expect(findings.map(\.suppressed) == [false, false, true])
        #expect(findings.map(\.line) == [12, 3, 40])
    }

    @Test func dependencyAuditsFromHandWrittenFixtures() throws {
        let npm = try Self.fixture("npm-audit.json")
        #expect(npm.format == .npmAudit)
        #expect(npm.findings?.map(\.rule) == ["GHSA-p6mc-m468-83gw", "GHSA-vh95-rmgr-6w4m", "npm:mkdirp"])
        #expect(npm.findings?.map(\.severity) == [.critical, .medium, .low])
        #expect(npm.findings?.map(\.path) == ["node_modules/lodash", "node_modules/mkdirp/node_modules/minimist", "node_modules/mkdirp"])
        #expect(npm.findings?.filter(\.isBlocking).count == 1)

        let pip = try Self.fixture("pip-audit.json")
        #expect(pip.format == .pipAudit)
        #expect(pip.findings?.map(\.rule) == ["PYSEC-2021-66", "GHSA-h5c8-rqwp-cp95"])
        #expect(pip.findings?.allSatisfy { $0.severity == .high && $0.path == "jinja2" } == true)
        let pipV1 = try Self.fixture("pip-audit-v1.json")
        #expect(pipV1.format == .pipAudit)
        #expect(pipV1.findings?.map(\.rule) == ["PYSEC-2019-179"])

        let osv = try Self.fixture("osv-scanner.json")
        #expect(osv.format == .osv)
        #expect(osv.findings?.map(\.rule) == ["GHSA-cph5-m8f7-6c5x", "GHSA-c2qf-rxjj-qqgw"])
        #expect(osv.findings?.map(\.severity) == [.high, .medium])
        #expect(osv.findings?.first?.path == "/src/apps/web/package-lock.json (axios)")
    }

    @Test func lcovKeepsEachLinesHighestCountAcrossSections() throws {
        let text = """
            TN:unit\r
            SF:/src/a.c\r
            DA:1,0\r
            DA:2,3,abcdef\r
            BRDA:2,0,0,-\r
            BRDA:2,0,1,4\r
            LF:99\r
            end_of_record\r
            TN:integration
            SF:/src/a.c
            DA:1,7
            DA:2,0
            DA:3,-1
            BRDA:2,0,0,1
            FNDA:1,main
            SOMETHING_NEW:1
            end_of_record

            """
        let coverage = try #require(try Report.parse(Data(text.utf8), file: "merged.info").coverage)
        #expect(coverage.files.count == 1)
        #expect(coverage.files[0].lines == [1: 7, 2: 3, 3: 0], "max per line; a negative count reads as 0; LF ignored")
        #expect(coverage.lines == LineCounts(found: 3, hit: 2))
        #expect(coverage.branches == LineCounts(found: 2, hit: 2), "each branch once, taken if any section took it")
    }

    // MARK: truncated and malformed input

    static func failure(_ body: () throws -> Report) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as SlipwayError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    static func truncate(_ folder: TemporaryWorkspace, _ name: String) throws -> (name: String, lines: Int) {
        let data = try Data(contentsOf: folder.root.appendingPathComponent(name))
        let half = data.prefix(data.count / 2)
        let cut = "cut-\(name)"
        try half.write(to: folder.root.appendingPathComponent(cut))
        return (cut, half.split(separator: 0x0A, omittingEmptySubsequences: false).count)
    }

    @Test func truncatedRealReportsFailNamingFileAndLine() throws {
        try ExternalTool.require("gcovr")
        let folder = try TemporaryWorkspace()
        try Self.gccCoverage(in: folder)
        try #require(try folder.run("/usr/bin/env", ["gcovr", "-r", ".", "--cobertura", "cobertura.xml"]).status == 0)
        let pretty = try folder.run("/usr/bin/env", ["python3", "-c", """
            import json; print(json.dumps({"type": "llvm.coverage.json.export", "version": "2.0.1", "data": [{"files": [
            {"filename": "/x/a.swift", "segments": [[1, 1, 1, True, True, False], [2, 1, 0, False, False, False]]}]}]}, indent=1))
            """])
        try folder.write(["llvm.json": pretty.output])
        for name in ["lcov.info", "cobertura.xml", "llvm.json"] {
            let cut = try Self.truncate(folder, name)
            let path = folder.root.appendingPathComponent(cut.name).path
            let message = try #require(Self.failure { try Report.load(URL(fileURLWithPath: path)) }, "\(name) truncated parsed")
            #expect(message.hasPrefix("\(path):"), "\(message)")
            let line = Int(message.dropFirst(path.count + 1).prefix { $0.isNumber }) ?? -1
            #expect(line >= 1 && line <= cut.lines, "\(name): line \(line) of \(cut.lines): \(message)")
        }
        let lcov = try #require(Self.failure { try Report.load(folder.root.appendingPathComponent("cut-lcov.info")) })
        #expect(lcov.contains("truncated"))
    }

    @Test(arguments: ["npm-audit.json", "pip-audit.json", "pip-audit-v1.json", "osv-scanner.json", "codeql.sarif"])
    func truncatedFixturesFailNamingFileAndLine(name: String) throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/Reports/\(name)", withExtension: nil))
        let data = try Data(contentsOf: url)
        let half = data.prefix(data.count / 2)
        let lines = half.split(separator: 0x0A, omittingEmptySubsequences: false).count
        let message = try #require(Self.failure { try Report.parse(half, file: name) }, "half of \(name) parsed")
        let line = Int(message.dropFirst(name.count + 1).prefix { $0.isNumber }) ?? -1
        #expect(message.hasPrefix("\(name):\(line): invalid JSON"), "\(message)")
        #expect(line == lines || line == lines - 1, "\(message) (the cut is on line \(lines))")
    }

    @Test(arguments: [
        ("bad.info", "SF:/a.c\nDA:1,1\nDA:two,1\nend_of_record\n", 3, "malformed DA record 'DA:two,1'"),
        ("bad.info", "SF:/a.c\nBRDA:1,0\nend_of_record\n", 2, "malformed BRDA"),
        ("bad.info", "TN:\nDA:1,1\n", 2, "outside an SF: section"),
        ("bad.info", "SF:/a.c\nDA:1,1\nSF:/b.c\nend_of_record\n", 3, "before the end_of_record"),
        ("bad.info", "TN:x\n", 1, "no SF:"),
        ("bad.xml", "<?xml version=\"1.0\"?>\n<coverage>\n<packages><package><classes>\n<class filename=\"a.py\"><lines>\n<line number=\"1\" hits=\"lots\"/>\n</lines></class></classes></package></packages></coverage>\n", 5, "whole-number"),
        ("bad.xml", "<?xml version=\"1.0\"?>\n<report>\n<class filename=\"a\"/></report>\n", 2, "not a Cobertura report"),
        ("bad.json", "{\"type\": \"llvm.coverage.json.export\",\n \"data\": [{\"files\": [{\"filename\": \"a\", \"segments\": [[1, 2]]}]}]}\n", 0, "data[0].files[0].segments[0]"),
        ("bad.json", "{\"runs\": [{\"results\": []}]}", 0, "runs[0]: missing 'tool'"),
        ("bad.json", "{\"auditReportVersion\": 2, \"vulnerabilities\": {\"x\": {\"severity\": \"dire\"}}}", 0, "unknown severity 'dire'"),
        ("bad.json", "{\"dependencies\": [{\"version\": \"1\", \"vulns\": []}]}", 0, "dependencies[0]: missing 'name'"),
        ("bad.json", "{\"results\": [{\"packages\": [{\"package\": {\"name\": \"x\"}, \"groups\": [{\"ids\": []}]}]}]}", 0, "results[0].packages[0].groups[0]: 'ids' is empty"),
        ("bad.json", "{\"hello\": 1}", 1, "unrecognized JSON report"),
        ("bad.json", "{\n\"runs\": [\n}", 3, "invalid JSON"),
        ("bad.txt", "hello\n", 1, "unrecognized report"),
        ("bad.txt", "\n \n", 1, "empty report"),
    ])
    func malformedInputFailsWithAClearMessage(name: String, text: String, line: Int, expected: String) throws {
        let error = #expect(throws: SlipwayError.self) { try Report.parse(Data(text.utf8), file: name) }
        guard case .malformedReport(let file, let place, let problem)? = error?.reason else {
            Issue.record("expected a malformed report, got \(String(describing: error))")
            return
        }
        #expect(file == name)
        if line > 0 {
            #expect(place == .line(line), "\(problem)")
            #expect(problem.contains(expected), "\(problem)")
        } else if case .path(let path) = place {
            #expect("\(path): \(problem)".contains(expected), "\(path): \(problem)")
        } else {
            Issue.record("expected a place in the JSON, got \(place): \(problem)")
        }
        #expect(error?.exitCode == 1)
    }

    /// Found by the report fuzzer (fuzz/regressions/report): Foundation's XMLParser trapped on an
    /// attribute name that is not UTF-8.
    @Test func coberturaThatIsNotUTF8FailsNamingTheLine() throws {
        let head = Data("<?xml version=\"1.0\"?>\n<coverage>\n<packages><package><classes>\n<class filename=\"a.py\"><lines>\n<line br".utf8)
        let data = head + Data([0xFF, 0xFF]) + Data("anch=\"true\" number=\"1\" hits=\"1\"/>\n</lines></class></classes></package></packages></coverage>\n".utf8)
        let message = try #require(Self.failure { try Report.parse(data, file: "bad.xml") })
        #expect(message == "bad.xml:5: invalid XML: not UTF-8 (byte 0xFF)")
        let latin1 = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<coverage><packages><package><classes><class filename=\"caf".utf8)
            + Data([0xE9]) + Data(".py\"><lines><line number=\"1\" hits=\"2\"/></lines></class></classes></package></packages></coverage>\n".utf8)
        #expect(try Report.parse(latin1, file: "latin1.xml").coverage?.files.first?.path == "caf\u{E9}.py")
    }

    /// Cobertura is read without Foundation's XMLParser (issue 15: FoundationXML's libxml2 and ICU
    /// cost every command's start-up), so the XML forms real reports use are read here.
    @Test func coberturaInEveryXMLFormReportsCarryIsRead() throws {
        let xml = """
            <?xml version="1.0" ?>
            <!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd" [
              <!ENTITY ignored "x">
            ]>
            <!-- Generated by gcovr: <not an element> -->
            <coverage line-rate='0.5' branch-rate="0.5">
              <sources><source><![CDATA[/src/a&b]]></source></sources>
              <packages><package name="p"><classes>
                <class name="c" filename="x &amp; y&#46;c" line-rate="0.5">
                  <lines>
                    <line number="1" hits="3" branch="true" condition-coverage="50% (1/2)"/>
                    <line number = "2" hits = "0" ></line>
                  </lines>
                </class>
              </classes></package></packages>
            </coverage>
            """
        let coverage = try #require(try Report.parse(Data(xml.utf8), file: "gcovr.xml").coverage)
        let file = try #require(coverage.files.first)
        #expect(file.path == "/src/a&b/x & y.c")
        #expect(file.lines == [1: 3, 2: 0])
        #expect(coverage.branches == LineCounts(found: 2, hit: 1))
    }

    @Test(arguments: [
        ("<coverage>\n<packages>\n</coverage>\n", 3, "invalid XML: </coverage> where </packages> was expected"),
        ("<coverage>\n<class filename=\"a\" filename=\"b\"/>\n</coverage>", 2, "invalid XML: attribute filename twice in <class>"),
        ("<coverage>\n<class filename=a/>\n</coverage>", 2, "invalid XML: the value of filename in <class> is not quoted"),
        ("<coverage>\n<class filename=\"&nbsp;\"/>\n</coverage>", 2, "invalid XML: unknown entity &nbsp;"),
        ("<coverage/>\n<coverage/>", 2, "invalid XML: a second root element"),
        ("<?xml version=\"1.0\" encoding=\"UTF-16\"?><coverage/>", 1, "invalid XML: encoding utf-16 is not supported"),
        ("<coverage>\n<!-- never closed\n", 3, "invalid XML: truncated: a comment is not closed"),
    ])
    func malformedCoberturaFailsNamingTheLine(text: String, line: Int, expected: String) throws {
        let message = try #require(Self.failure { try Report.parse(Data(text.utf8), file: "bad.xml") }, "parsed: \(text)")
        #expect(message.hasPrefix("bad.xml:\(line): \(expected)"), "\(message)")
    }

    @Test func aMissingFileIsAUsageError() throws {
        let folder = try TemporaryWorkspace()
        let path = folder.root.appendingPathComponent("nope.info").path
        #expect(throws: SlipwayError(.report(file: path, .noSuchReport))) { try Report.load(URL(fileURLWithPath: path)) }
    }
}
