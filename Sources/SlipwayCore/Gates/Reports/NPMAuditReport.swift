/// Reads `npm audit --json` (report version 2, npm 7 and later).
enum NPMAuditReport {
    static func parse(_ root: JSONNode) throws(SlipwayError) -> [Finding] {
        if let version = try root["auditReportVersion"]?.int(), version != 2 {
            throw root.error("npm audit report version \(version) is not supported (run npm 7 or later)")
        }
        return try root.required("vulnerabilities").entries().map { name, vulnerability throws(SlipwayError) in
            let word = try vulnerability.required("severity").string()
            guard let severity = Finding.Severity(word: word) else {
                throw vulnerability.error("unknown severity '\(word)'")
            }
            // The advisory itself, when this package has one rather than only depending on one.
            let advisory = try vulnerability["via"]?.array().first { $0.value is [String: Any] }
            let url = try advisory?["url"]?.string()
            let rule = url.map { String($0.split(separator: "/").last ?? "") } ?? "npm:\(name)"
            let node = try vulnerability["nodes"]?.array().first?.string()
            return Finding.vulnerability(rule: rule, severity: severity, path: node ?? name)
        }
    }
}
