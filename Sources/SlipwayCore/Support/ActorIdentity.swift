import Foundation

/// Who acts, as the store vouches for it: the name recorded with every event and checked against
/// `roles:`. On the embedded SQLite store that is the OS user, or `SLIPWAY_ACTOR` when set (see
/// `RoleSettings` for why it may override there); a shared store would answer with its login.
public struct ActorIdentity: Sendable, Equatable {
    public enum Source: String, Sendable, Equatable {
        /// The operating system's user running slipway.
        case osUser = "os user"
        /// Named by `SLIPWAY_ACTOR`, which the embedded store takes on trust.
        case declared = "SLIPWAY_ACTOR"
        /// The login of the shared store's database, which the server vouches for.
        case databaseLogin = "database login"
    }

    public var name: String
    public var source: Source
    /// The OS user behind the name (the same as `name` unless declared).
    public var osUser: String
    /// The unix groups `name` belongs to on this machine (none for a name that is not a user here).
    public var unixGroups: [String]
    /// The roles of the shared store's database the login is a member of (none on the embedded store).
    public var databaseRoles: [String]

    public init(
        name: String, source: Source = .osUser, osUser: String? = nil, unixGroups: [String] = [], databaseRoles: [String] = []
    ) {
        self.name = name
        self.source = source
        self.osUser = osUser ?? name
        self.unixGroups = unixGroups
        self.databaseRoles = databaseRoles
    }

    /// The identity of this process on this machine.
    public static func onThisMachine(environment: [String: String] = ProcessInfo.processInfo.environment) -> ActorIdentity {
        let user = osUserName(environment: environment)
        let name = Actor.current(environment: environment)
        let declared = !(environment["SLIPWAY_ACTOR"] ?? "").isEmpty
        return ActorIdentity(name: name, source: declared ? .declared : .osUser, osUser: user, unixGroups: unixGroups(of: name))
    }

    static func osUserName(environment: [String: String]) -> String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "unknown"
    }

    /// The names of the groups `user` belongs to (its primary group included), from the system's
    /// user database; empty when `user` is not a user of this machine.
    static func unixGroups(of user: String) -> [String] {
        guard let entry = getpwnam(user) else { return [] }
        let primary = entry.pointee.pw_gid
        var count: Int32 = 64
        var ids = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(user, primary, &ids, &count) == -1 {
            ids = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(user, primary, &ids, &count) != -1 else { return [] }
        }
        return ids.prefix(Int(count)).compactMap { id in
            guard let group = getgrgid(id), let name = group.pointee.gr_name else { return nil }
            return String(cString: name)
        }
    }
}
