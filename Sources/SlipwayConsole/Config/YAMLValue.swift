import Yams

/// A scalar or mapping of a console YAML file with where it was written, so every error
/// names `file:line:col`.
struct YAMLValue {
    let node: Node
    let file: String

    static func parse(_ text: String, file: String) throws(SlipwayConsoleError) -> YAMLValue? {
        do {
            return try Yams.compose(yaml: text).map { YAMLValue(node: $0, file: file) }
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                 .composer(_, let problem, let mark, _):
                throw SlipwayConsoleError("\(file):\(mark.line):\(mark.column): invalid YAML: \(problem)")
            default:
                throw SlipwayConsoleError("\(file):1:1: invalid YAML: \(error)")
            }
        } catch {
            throw SlipwayConsoleError("\(file):1:1: invalid YAML: \(error)")
        }
    }

    var location: String { "\(file):\(node.mark?.line ?? 1):\(node.mark?.column ?? 1)" }

    func error(_ message: String) -> SlipwayConsoleError { SlipwayConsoleError("\(location): \(message)") }

    /// The entries of a mapping in file order, keys as written; an empty document is no entries.
    func entries(_ what: String) throws(SlipwayConsoleError) -> [(key: YAMLValue, name: String, value: YAMLValue)] {
        if case .scalar(let scalar) = node, ["", "~", "null"].contains(scalar.string) { return [] }
        guard case .mapping(let mapping) = node else { throw error("\(what) must be a mapping") }
        var result: [(key: YAMLValue, name: String, value: YAMLValue)] = []
        for (key, value) in mapping {
            let keyValue = YAMLValue(node: key, file: file)
            guard case .scalar(let scalar) = key else { throw keyValue.error("keys in \(what) must be plain names") }
            guard !result.contains(where: { $0.name == scalar.string }) else {
                throw keyValue.error("duplicate key '\(scalar.string)' in \(what)")
            }
            result.append((keyValue, scalar.string, YAMLValue(node: value, file: file)))
        }
        return result
    }

    func string(_ what: String) throws(SlipwayConsoleError) -> String {
        guard case .scalar(let scalar) = node else { throw error("\(what) must be a single value") }
        return scalar.string
    }

    func bool(_ what: String) throws(SlipwayConsoleError) -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error("\(what) must be true or false") }
        return value
    }

    func strings(_ what: String) throws(SlipwayConsoleError) -> [String] {
        if case .scalar = node { return [try string(what)] }
        guard case .sequence(let sequence) = node else { throw error("\(what) must be a value or a list of values") }
        var result: [String] = []
        for element in sequence { result.append(try YAMLValue(node: element, file: file).string(what)) }
        return result
    }
}

/// A console configuration problem, already phrased as `file:line:col: what is wrong`.
public struct SlipwayConsoleError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
