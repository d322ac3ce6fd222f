import Foundation

/// The report formats the gate reads, told apart by their content rather than their name.
public enum ReportFormat: String, Sendable, Encodable, CaseIterable {
    case lcov
    case cobertura
    case llvmCov = "llvm-cov"
    case sarif
    case npmAudit = "npm-audit"
    case pipAudit = "pip-audit"
    case osv

    /// The format of a JSON document's top level, or nil when it is none of ours.
    static func detect(json: Any) -> ReportFormat? {
        if let array = json as? [Any] {
            // pip-audit before 2.0 wrote a bare list of dependencies.
            return array.allSatisfy({ ($0 as? [String: Any])?["vulns"] != nil }) ? .pipAudit : nil
        }
        guard let object = json as? [String: Any] else { return nil }
        if object["type"] as? String == "llvm.coverage.json.export" { return .llvmCov }
        if object["runs"] is [Any] { return .sarif }
        if object["auditReportVersion"] != nil || (object["vulnerabilities"] != nil && object["metadata"] != nil) {
            return .npmAudit
        }
        if object["results"] is [Any] { return .osv }
        if object["dependencies"] is [Any] { return .pipAudit }
        return nil
    }

    /// The format of a non-JSON text: Cobertura starts with `<`, LCOV with a record such as `TN:` or `SF:`.
    static func detect(text bytes: UnsafeRawBufferPointer) -> ReportFormat? {
        guard let first = bytes.firstIndex(where: { !Self.isSpace($0) }) else { return nil }
        if bytes[first] == UInt8(ascii: "<") { return .cobertura }
        let head = String(decoding: bytes[first..<min(bytes.count, first + 8)], as: UTF8.self)
        return ["TN:", "SF:", "VER:"].contains(where: head.hasPrefix) ? .lcov : nil
    }

    /// Whitespace, or a byte of a UTF-8 byte order mark: what may come before a report's first record.
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0xEF || byte == 0xBB || byte == 0xBF
    }
}
