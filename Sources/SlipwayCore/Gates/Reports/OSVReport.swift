/// Reads `osv-scanner --format json`: one finding per group of aliased vulnerabilities.
enum OSVReport {
    /// A group without a score counts as high (our choice, as for pip-audit).
    static let assumedSeverity = Finding.Severity.high

    static func parse(_ root: JSONNode) throws(SlipwayError) -> [Finding] {
        var findings: [Finding] = []
        for result in try root.required("results").array() {
            let source = try result["source"]?["path"]?.string()
            for package in try result["packages"]?.array() ?? [] {
                let name = try package.required("package").required("name").string()
                for group in try package["groups"]?.array() ?? [] {
                    guard let id = try group.required("ids").array().first?.string() else {
                        throw group.error("'ids' is empty")
                    }
                    let score = group["max_severity"]?.number
                    findings.append(.vulnerability(
                        rule: id, severity: score.map(Finding.Severity.init(score:)) ?? assumedSeverity,
                        path: source.map { "\($0) (\(name))" } ?? name))
                }
            }
        }
        return findings
    }
}
