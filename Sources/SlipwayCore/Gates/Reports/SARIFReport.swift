/// Reads SARIF 2.1.0 (semgrep, CodeQL, and most other SAST tools).
enum SARIFReport {
    static func parse(_ root: JSONNode) throws(SlipwayError) -> [Finding] {
        var findings: [Finding] = []
        for run in try root.required("runs").array() {
            let tool = try run.required("tool")
            let driverRules = try tool.required("driver")["rules"]?.array() ?? []
            var extensionRules: [[JSONNode]] = []
            for component in try tool["extensions"]?.array() ?? [] {
                extensionRules.append(try component["rules"]?.array() ?? [])
            }
            for result in try run["results"]?.array() ?? [] {
                let rule = Self.rule(of: result, driver: driverRules, extensions: extensionRules)
                let ruleID = result["ruleId"]?.text ?? rule?["id"]?.text ?? "unknown"
                let location = (result["locations"]?.value as? [Any])?.first.map {
                    JSONNode(value: $0, file: result.file, path: "\(result.path).locations[0]")
                }?["physicalLocation"]
                let uri = location?["artifactLocation"]?["uri"]?.text ?? ""
                let line = location?["region"]?["startLine"]?.integer
                let properties = [result["properties"], rule?["properties"]].compactMap { $0 }
                let score = properties.lazy.compactMap { $0["security-severity"]?.number }.first
                let tags = properties.flatMap { ($0["tags"]?.value as? [Any] ?? []).compactMap { $0 as? String } }
                let level = try Self.level(of: result, rule: rule)
                let severity = score.map(Finding.Severity.init(score:)) ?? Self.severity(for: level)
                let category: Finding.Category =
                    score != nil || tags.contains(where: { $0.lowercased().hasPrefix("security") }) ? .security
                    : level == .note ? .maintainability : .reliability
                findings.append(Finding(
                    rule: ruleID, level: level, severity: severity, path: Self.path(uri), line: line,
                    suppressed: try Self.isSuppressed(result), category: category))
            }
        }
        return findings
    }

    /// The rule a result refers to: by `rule.toolComponent.index` into the extensions (CodeQL),
    /// else by `ruleIndex`, else by id in the driver's rules.
    static func rule(of result: JSONNode, driver: [JSONNode], extensions: [[JSONNode]]) -> JSONNode? {
        let reference = result["rule"]
        let index = reference?["index"]?.integer ?? result["ruleIndex"]?.integer
        var rules = driver
        if let component = reference?["toolComponent"]?["index"]?.integer {
            rules = component < extensions.count ? extensions[component] : []
        }
        if let index, index >= 0, index < rules.count { return rules[index] }
        let id = result["ruleId"]?.text ?? reference?["id"]?.text
        return rules.first { $0["id"]?.text == id }
    }

    /// Kind other than `fail` is informational; else the result's level, the rule's default, or warning.
    static func level(of result: JSONNode, rule: JSONNode?) throws(SlipwayError) -> Finding.Level {
        if let kind = result["kind"]?.text, kind != "fail" { return .none }
        let text = result["level"]?.text ?? rule?["defaultConfiguration"]?["level"]?.text ?? "warning"
        guard let level = Finding.Level(rawValue: text) else {
            throw (result["level"] ?? result).error("unknown level '\(text)' (known: none, note, warning, error)")
        }
        return level
    }

    static func severity(for level: Finding.Level) -> Finding.Severity {
        switch level {
        case .error: return .high
        case .warning: return .medium
        case .note: return .low
        case .none: return .info
        }
    }

    /// Suppressed unless every suppression is still under review or was rejected.
    static func isSuppressed(_ result: JSONNode) throws(SlipwayError) -> Bool {
        try (result["suppressions"]?.array() ?? []).contains { ($0["status"]?.text ?? "accepted") == "accepted" }
    }

    static func path(_ uri: String) -> String {
        let path = uri.hasPrefix("file://") ? String(uri.dropFirst(7)) : uri
        return path.removingPercentEncoding ?? path
    }
}
