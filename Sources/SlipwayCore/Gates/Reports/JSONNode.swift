import Foundation

/// A value of a parsed JSON report that knows its path in the document, so that a report
/// of the wrong shape fails naming the file and the place (`data[0].files[3].segments`).
struct JSONNode {
    let value: Any
    let file: String
    let path: String

    /// Parses `data`; a syntax error (a truncated file, most often) names the line it is on.
    static func parse(_ data: Data, file: String) throws(SlipwayError) -> JSONNode {
        do {
            return JSONNode(value: try JSONSerialization.jsonObject(with: data), file: file, path: "")
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            let line = Self.line(of: detail, in: data)
            throw SlipwayError(.malformedReport(file: file, .line(line), problem: "invalid JSON: \(detail)"))
        }
    }

    /// The line a parser message points at: "around character N", or the last line when the
    /// file ends early.
    private static func line(of message: String, in data: Data) -> Int {
        var offset = data.count
        if let range = message.range(of: "character ") {
            let digits = message[range.upperBound...].prefix { $0.isNumber }
            offset = min(Int(digits) ?? data.count, data.count)
        }
        var line = 1
        for byte in data[data.startIndex..<(data.startIndex + offset)] where byte == 0x0A { line += 1 }
        if offset == data.count, data.last == 0x0A { line -= 1 }
        return max(line, 1)
    }

    func error(_ message: String) -> SlipwayError {
        SlipwayError(.malformedReport(file: file, .path(path), problem: message))
    }

    subscript(key: String) -> JSONNode? {
        guard let object = value as? [String: Any], let child = object[key], !(child is NSNull) else { return nil }
        return JSONNode(value: child, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    func required(_ key: String) throws(SlipwayError) -> JSONNode {
        guard let child = self[key] else { throw error("missing '\(key)'") }
        return child
    }

    func array() throws(SlipwayError) -> [JSONNode] {
        guard let array = value as? [Any] else { throw error("expected a list") }
        return array.enumerated().map { JSONNode(value: $1, file: file, path: "\(path)[\($0)]") }
    }

    func entries() throws(SlipwayError) -> [(key: String, value: JSONNode)] {
        guard let object = value as? [String: Any] else { throw error("expected an object") }
        return object.keys.sorted().map { key in
            (key, JSONNode(value: object[key] as Any, file: file, path: path.isEmpty ? key : "\(path).\(key)"))
        }
    }

    func string() throws(SlipwayError) -> String {
        guard let text = value as? String else { throw error("expected a string") }
        return text
    }

    func int() throws(SlipwayError) -> Int {
        // Foundation on Linux reads JSON true and false as numbers too, so they are not told apart here.
        guard let number = value as? NSNumber, number.doubleValue == number.doubleValue.rounded() else {
            throw error("expected a whole number")
        }
        return number.intValue
    }

    /// A number, or a string holding one (SARIF and OSV write scores as strings).
    var number: Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String { return Double(text) }
        return nil
    }

    var bool: Bool? { value as? Bool }

    /// Lenient readings, for optional fields whose absence and whose wrong type mean the same.
    var text: String? { value as? String }
    var integer: Int? { number.flatMap { $0 == $0.rounded() ? Int(exactly: $0) : nil } }
}
