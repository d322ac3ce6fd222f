/// What a person may do in an environment, each role including the ones before it: a `viewer`
/// looks, a `deployer` changes what runs (deploy, switch, rollback, promote, canaries, cancel,
/// migrations, silences), an `approver` also approves others' requests, an `admin` also goes past
/// gates and repairs or restores the store.
public enum Role: String, Sendable, Equatable, Comparable, CaseIterable, Codable {
    case viewer, deployer, approver, admin

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// `a viewer`, `an admin`.
    public var withArticle: String { self == .admin || self == .approver ? "an \(rawValue)" : "a \(rawValue)" }
}
