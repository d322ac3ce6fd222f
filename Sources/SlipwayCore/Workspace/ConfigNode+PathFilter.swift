import Foundation
import Yams

extension ConfigNode {
    /// A paths-filter list: each entry a glob, or a mapping from change types joined by `|`
    /// (`added|modified`) to a glob or a list of globs.
    func pathFilter(_ what: String) throws(SlipwayError) -> PathFilter {
        if isNull { return PathFilter([]) }
        let elements: [ConfigNode]
        switch node {
        case .scalar: elements = [self]
        case .sequence(let sequence): elements = sequence.map { ConfigNode(node: $0, file: file) }
        default: throw location.error("\(what) must be a list of globs, found \(kindName)")
        }
        var rules: [PathFilter.Rule] = []
        for element in elements {
            guard case .mapping = element.node else {
                rules.append(PathFilter.Rule(try element.string("each entry of \(what)")))
                continue
            }
            for (key, value, keyNode) in try element.entries(context: "an entry of \(what)") {
                var changes = Set<ChangedFile.Change>()
                for name in key.split(separator: "|") {
                    guard let change = ChangedFile.Change(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                        let known = ChangedFile.Change.allCases.map(\.rawValue).joined(separator: ", ")
                        throw keyNode.location.error("unknown change type '\(name)' in \(what) (known: \(known))")
                    }
                    changes.insert(change)
                }
                for pattern in try value.stringList("\(what).\(key)") {
                    rules.append(PathFilter.Rule(pattern, changes: changes))
                }
            }
        }
        return PathFilter(rules)
    }
}
