import Foundation
import Yams

/// A node of a parsed YAML configuration file that remembers where it came from,
/// so that every type or key error can name `file:line:col`. The workspace's files and the
/// console's (user config, themes) are read through it alike.
public struct ConfigNode {
    let node: Node
    let file: String

    public var location: ConfigLocation {
        ConfigLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// Parses `text`; an empty document gives `nil`.
    public static func parse(_ text: String, file: String) throws(SlipwayError) -> ConfigNode? {
        do {
            // UTF-8 named: Yams' default copies the whole environment on every parse to look for an
            // override (6% of `slipway changes`' profile at 1,000 components). The basic resolver:
            // every value is read by its text here, never by a resolved tag, and the default one
            // compiles seven regular expressions at the first parse (7% of `slipway status`) to
            // tell `true` from `"true"` when Yams looks for duplicate keys, a difference no key
            // of ours has.
            guard let node = try Yams.compose(yaml: text, .basic, .default, .utf8) else { return nil }
            return ConfigNode(node: node, file: file)
        } catch let error as YamlError {
            throw describe(error, file: file)
        } catch {
            throw ConfigLocation(file: file, line: 1, column: 1).error("\(error)")
        }
    }

    private static func describe(_ error: YamlError, file: String) -> SlipwayError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return ConfigLocation(file: file, line: mark.line, column: mark.column).error("invalid YAML: \(detail)")
        case .reader(let problem, _, _, _):
            return ConfigLocation(file: file, line: 1, column: 1).error("invalid YAML: \(problem)")
        default:
            return ConfigLocation(file: file, line: 1, column: 1).error("invalid YAML: \(error)")
        }
    }

    var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The entries of a mapping, in file order, with each key rewritten to its
    /// canonical snake_case name. Keys outside `keys` (and not an alias of one) are refused.
    func mapping(
        allowing keys: [String],
        aliases: [String: String] = [:],
        context: String
    ) throws(SlipwayError) -> [String: ConfigNode] {
        var result: [String: ConfigNode] = [:]
        for (key, value, keyNode) in try entries(context: context) {
            let canonical = aliases[key] ?? key
            guard keys.contains(canonical) else {
                let hint = NearestName.suggestion(for: key, among: keys).map { "; did you mean '\($0)'?" } ?? ""
                throw keyNode.location.error(
                    "unknown key '\(key)' in \(context)\(hint) (known: \(keys.joined(separator: ", ")))")
            }
            guard result[canonical] == nil else {
                throw keyNode.location.error("duplicate key '\(key)' in \(context)")
            }
            result[canonical] = value
        }
        return result
    }

    /// The raw entries of a mapping, in file order.
    public func entries(context: String) throws(SlipwayError) -> [(key: String, value: ConfigNode, keyNode: ConfigNode)] {
        if isNull { return [] }
        guard case .mapping(let mapping) = node else {
            throw location.error("\(context) must be a mapping, found \(kindName)")
        }
        var result: [(key: String, value: ConfigNode, keyNode: ConfigNode)] = []
        for (key, value) in mapping {
            let keyNode = ConfigNode(node: key, file: file)
            guard case .scalar(let scalar) = key else {
                throw keyNode.location.error("keys in \(context) must be plain names")
            }
            try keyNode.refuseControlCharacters(in: scalar.string, "a key in \(context)")
            result.append((scalar.string, ConfigNode(node: value, file: file), keyNode))
        }
        return result
    }

    var kindName: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar): return "'\(scalar.string)'"
        case .alias: return "an alias"
        }
    }

    /// A path, URL, header, name or other one-line value: control characters are refused.
    public func string(_ what: String) throws(SlipwayError) -> String {
        let text = try anyString(what)
        try refuseControlCharacters(in: text, what)
        return text
    }

    /// A shell command (`run`, `pre_promotion`): a script may span lines and hold tabs, but no
    /// other control character.
    func command(_ what: String) throws(SlipwayError) -> String {
        let text = try anyString(what)
        try refuseControlCharacters(in: text, what, allowing: ["\n", "\t"])
        return text
    }

    private func anyString(_ what: String) throws(SlipwayError) -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw location.error("\(what) must be a string, found \(isNull ? "nothing" : kindName)")
        }
        return scalar.string
    }

    private func refuseControlCharacters(
        in text: String, _ what: String, allowing allowed: Set<Unicode.Scalar> = []
    ) throws(SlipwayError) {
        if let control = ConfigText.firstControl(in: text, allowing: allowed) {
            throw location.error(
                "\(what) must not contain control characters, found \(ConfigText.escape(control)) in '\(text)'")
        }
    }

    public func bool(_ what: String) throws(SlipwayError) -> Bool {
        guard case .scalar = node, let value = node.bool else {
            throw location.error("\(what) must be true or false, found \(kindName)")
        }
        return value
    }

    func int(_ what: String, in range: ClosedRange<Int>) throws(SlipwayError) -> Int {
        guard case .scalar = node, let value = node.int else {
            throw location.error("\(what) must be a whole number, found \(kindName)")
        }
        guard range.contains(value) else {
            throw location.error("\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
        }
        return value
    }

    /// A percentage as written (`1` or `1%` is one percent), checked against 0...100.
    func percent(_ what: String) throws(SlipwayError) -> Double {
        guard case .scalar(let scalar) = node else {
            throw location.error("\(what) must be a percentage, found \(kindName)")
        }
        var text = scalar.string.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("%") { text.removeLast() }
        guard let value = Double(text), value >= 0, value <= 100 else {
            throw location.error("\(what) must be a percentage between 0 and 100, found '\(scalar.string)'")
        }
        return value
    }

    /// A duration such as `90s`, `5m`, `1h30m` or `500ms`, in seconds.
    func duration(_ what: String) throws(SlipwayError) -> Double {
        guard case .scalar(let scalar) = node, let seconds = DurationText.seconds(scalar.string) else {
            throw location.error("\(what) must be a duration such as 90s, 5m or 1h, found \(kindName)")
        }
        return seconds
    }

    public func stringList(_ what: String) throws(SlipwayError) -> [String] {
        try stringEntries(what).map(\.value)
    }

    /// Each string of a list with its own node, so a bad entry is named where it stands.
    func stringEntries(_ what: String) throws(SlipwayError) -> [(value: String, node: ConfigNode)] {
        try entries(what) { node, what throws(SlipwayError) in try node.string(what) }
    }

    func commandList(_ what: String) throws(SlipwayError) -> [String] {
        try entries(what) { node, what throws(SlipwayError) in try node.command(what) }.map(\.value)
    }

    /// A list of strings, or one string standing for a list of one.
    private func entries(
        _ what: String, _ element: (ConfigNode, String) throws(SlipwayError) -> String
    ) throws(SlipwayError) -> [(value: String, node: ConfigNode)] {
        if isNull { return [] }
        if case .scalar = node { return [(try element(self, what), self)] }
        guard case .sequence(let sequence) = node else {
            throw location.error("\(what) must be a list of strings, found \(kindName)")
        }
        var result: [(value: String, node: ConfigNode)] = []
        for entry in sequence {
            let entryNode = ConfigNode(node: entry, file: file)
            result.append((try element(entryNode, "each entry of \(what)"), entryNode))
        }
        return result
    }
}
