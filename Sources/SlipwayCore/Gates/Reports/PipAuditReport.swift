/// Reads `pip-audit --format json`: `{"dependencies": [...]}` (2.x) or a bare list (1.x).
enum PipAuditReport {
    /// pip-audit reports no severity; a known vulnerability counts as high (our choice).
    static let assumedSeverity = Finding.Severity.high

    static func parse(_ root: JSONNode) throws(SlipwayError) -> [Finding] {
        let dependencies = root.value is [Any] ? try root.array() : try root.required("dependencies").array()
        var findings: [Finding] = []
        for dependency in dependencies {
            let name = try dependency.required("name").string()
            // Skipped dependencies (`skip_reason`) have no `vulns`.
            for vulnerability in try dependency["vulns"]?.array() ?? [] {
                findings.append(.vulnerability(
                    rule: try vulnerability.required("id").string(), severity: assumedSeverity, path: name))
            }
        }
        return findings
    }
}
