import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `slipway report` and `slipway gate` as a person runs them: real gcc, lcov and semgrep
/// behind the component's `make coverage` and `make scan`.
@Suite struct GateCommandTests {
    /// A C app whose `make coverage` measures it with gcc and lcov and whose `make scan` runs
    /// semgrep with a local rule; `calls` is how many of its 24 functions main calls.
    static func cApp(calls: Int, unsafe: Bool = false) throws -> TemporaryWorkspace {
        let folder = try TemporaryWorkspace()
        try folder.write([
            "apps/web/Makefile": """
                APP_TYPE := c
                coverage:
                \tmkdir -p coverage
                \tgcc --coverage -O0 src/main.c -o prog
                \t./prog > /dev/null
                \tlcov --quiet --capture --directory . --output-file coverage/lcov.info

                scan:
                \tmkdir -p reports
                \tsemgrep scan --quiet --config rules.yml --sarif --metrics=off --disable-version-check -o reports/sast.sarif src
                \techo '{"auditReportVersion": 2, "vulnerabilities": {}, "metadata": {}}' > reports/dependencies.json

                """,
            "apps/web/rules.yml": """
                rules:
                  - id: no-gets
                    pattern: gets(...)
                    message: gets overflows its buffer
                    languages: [c]
                    severity: ERROR
                """,
            "apps/web/src/main.c": "int main(void) { return 0; }\n",
            ".gitignore": ".slipway/\napps/web/prog\napps/web/*.gcda\napps/web/*.gcno\napps/web/coverage/\napps/web/reports/\n",
        ])
        try folder.commitAll("base")
        try folder.git("branch", "develop")
        let functions = (1...24).map { "int f\($0)(int x) { return x * \($0) + \($0 * 5); }" }
        let body = (1...calls).map { "    total += f\($0)(total);" }
        let main = ["#include <stdio.h>"] + functions + (unsafe ? ["void risky(char *b) { gets(b); }"] : [])
            + ["int main(void) {", "    int total = 1;"] + body + ["    printf(\"%d\\n\", total);", "    return 0;", "}"]
        try folder.write(["apps/web/src/main.c": main.joined(separator: "\n") + "\n"])
        try folder.commitAll("new code")
        return folder
    }

    /// What the app's `make coverage` and `make scan` run.
    static func requireTools() throws {
        try ExternalTool.require("gcc", "lcov", "semgrep")
    }

    @Test func gateRunsTheGoalsThenPasses() throws {
        try Self.requireTools()
        let folder = try Self.cApp(calls: 24)
        let slipway = SlipwayProcess(folder)
        let result = try slipway("gate", "web", "--env", "staging", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["passed"] as? Bool == true)
        #expect(json["base"] as? String == "develop")
        let conditions = try #require(json["conditions"] as? [[String: Any]])
        #expect(conditions.map { $0["metric"] as? String } == GateCondition.Metric.allCases.map(\.rawValue))
        let coverage = try #require(conditions.first)
        #expect(coverage["op"] as? String == "LT")
        #expect(coverage["threshold"] as? Double == 80)
        #expect(coverage["status"] as? String == "OK")
        #expect((coverage["value"] as? Double ?? 0) == 100)
        #expect(Set(coverage.keys) == ["metric", "op", "threshold", "value", "status", "why"])
        // The goals ran as a recorded test run.
        let runs = try #require(try slipway.json("runs") as? [[String: Any]])
        #expect(runs.first?["kind"] as? String == "test")
        #expect(runs.first?["state"] as? String == "succeeded")
    }

    @Test func gateFailsWithExitOneAndSaysWhy() throws {
        try Self.requireTools()
        let folder = try Self.cApp(calls: 6, unsafe: true)
        let result = try SlipwayProcess(folder)("gate", "web", "--env", "staging")
        #expect(result.status == 1)
        #expect(result.stdout.contains("new_coverage"))
        let summary = try #require(result.stdout.split(separator: "\n").last.map(String.init))
        #expect(summary.hasPrefix("quality gate failed for web in staging: new_coverage ("), "\(summary)")
        #expect(summary.contains("sast_blocking_findings (1 is above 0: 1 blocking SAST finding(s): no-gets (high) at src/main.c:26)"), "\(summary)")
    }

    @Test func gateWithNoRunReadsReportsAsTheyAre() throws {
        let folder = try Self.cApp(calls: 24)
        let slipway = SlipwayProcess(folder)
        let missing = try slipway("gate", "web", "--env", "production", "--base", "develop", "--no-run")
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("missing report apps/web/coverage/lcov.info"))
        let runs = try #require(try slipway.json("runs") as? [[String: Any]])
        #expect(runs.isEmpty, "--no-run runs no goal")
        let skipped = try slipway("gate", "web", "--env", "development")
        #expect(skipped.status == 0)
        #expect(skipped.stdout.contains("quality gate skipped for web in development"))
        #expect(try #require(try slipway.json("runs") as? [[String: Any]]).isEmpty, "a skipped gate runs no goal")
        let unknown = try slipway("gate", "web", "--env", "qa")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown environment 'qa'"))
    }

    @Test func reportPrintsWhatTheGateReads() throws {
        try Self.requireTools()
        let folder = try Self.cApp(calls: 6, unsafe: true)
        let slipway = SlipwayProcess(folder)
        #expect(try slipway("gate", "web", "--env", "staging").status == 1)
        let lcov = "apps/web/coverage/lcov.info"
        let single = try #require(try slipway.json("report", lcov) as? [String: Any])
        #expect(single["format"] as? String == "lcov")
        let lines = try #require(single["lines"] as? [String: Any])
        #expect(Set(lines.keys) == ["found", "hit", "percent"])
        #expect((lines["hit"] as? Int ?? 0) < (lines["found"] as? Int ?? 0))
        let files = try #require(single["files"] as? [[String: Any]])
        #expect(files.count == 1)
        #expect((files.first?["path"] as? String)?.hasSuffix("apps/web/src/main.c") == true)

        let both = try #require(try slipway.json("report", lcov, "apps/web/reports/sast.sarif") as? [[String: Any]])
        #expect(both.map { $0["format"] as? String } == ["lcov", "sarif"])
        let finding = try #require((both[1]["findings"] as? [[String: Any]])?.first)
        #expect(Set(finding.keys) == ["rule", "level", "severity", "path", "line", "suppressed"])
        #expect(finding["rule"] as? String == "no-gets")

        let text = try slipway("report", lcov)
        #expect(text.stdout.hasPrefix("\(lcov): lcov, lines "))

        let absent = try slipway("report", "nothing.info")
        #expect(absent.status == 2)
        #expect(absent.stderr == "slipway: error: nothing.info: no such report\n")
        try folder.write(["cut.info": "SF:/a.c\nDA:1,1\n"])
        let cut = try slipway("report", "cut.info")
        #expect(cut.status == 1)
        #expect(cut.stderr == "slipway: error: cut.info:2: SF:/a.c (opened on line 1) has no end_of_record: the file is truncated\n")
    }
}
