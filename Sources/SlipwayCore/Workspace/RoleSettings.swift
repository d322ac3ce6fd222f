import Yams

/// The workspace's `roles:` block: who may do what, per environment.
///
/// ```yaml
/// roles:
///   groups:                     # named groups of people
///     release: [carol, dave]
///   all:                        # every environment
///     everyone: deployer        # anyone not named (viewer when not said)
///     admin: [root]
///   production:                 # adds to all:; its everyone: replaces all:'s
///     everyone: viewer
///     deployer: [alice, group:release, unix:ops, db:deployers]
///     approvals: 1              # the two-person rule: an approver other than the requester
///     approval_timeout: 30m     # approves each request within this time (default 1h)
/// ```
///
/// A member is a person (the actor's name), `group:NAME` (a group above), `unix:NAME` (a unix
/// group of this machine) or `db:NAME` (a role of the shared store's database that the login is a
/// member of, which the server vouches for). Without a `roles:` block everyone is an admin everywhere, as before.
///
/// On the embedded SQLite store the actor is the OS user, and `SLIPWAY_ACTOR` may still name
/// someone else: the store file is the owner's alone (mode 0600), so whoever runs slipway on it
/// could edit `slipway.yml` or the file itself, and roles there guard against mistakes, not
/// against that user; `SLIPWAY_ACTOR` is then what tells apart the people who share one account
/// (a deploy user, a CI runner). The audit keeps the OS user beside a declared name. A shared
/// store answers with its login instead, which `SLIPWAY_ACTOR` cannot change.
public struct RoleSettings: Sendable, Equatable {
    public struct Grants: Sendable, Equatable {
        /// The role of anyone the grants do not name.
        public var everyone: Role?
        /// The members granted each role.
        public var members: [Role: [String]] = [:]
        /// The two-person rule; an environment's replaces all:'s.
        public var approvalRule: ApprovalRule?

        public init(everyone: Role? = nil, members: [Role: [String]] = [:], approvalRule: ApprovalRule? = nil) {
            self.everyone = everyone
            self.members = members
            self.approvalRule = approvalRule
        }
    }

    public var groups: [String: [String]] = [:]
    /// For every environment.
    public var all = Grants()
    public var environments: [String: Grants] = [:]

    public init(groups: [String: [String]] = [:], all: Grants = Grants(), environments: [String: Grants] = [:]) {
        self.groups = groups
        self.all = all
        self.environments = environments
    }

    /// The role `actor` has in `environment`: the highest one granted to it (by name or through a
    /// group), and at least the environment's `everyone:`.
    public func role(of actor: ActorIdentity, in environment: String) -> Role {
        let own = environments[environment]
        var role = own?.everyone ?? all.everyone ?? .viewer
        for grants in [all, own].compactMap(\.self) {
            for (granted, members) in grants.members where granted > role && members.contains(where: { includes($0, actor) }) {
                role = granted
            }
        }
        return role
    }

    /// The two-person rule in `environment`, if it has one (`approvals: 0` turns all:'s off).
    public func approvalRule(in environment: String) -> ApprovalRule? {
        guard let rule = environments[environment]?.approvalRule ?? all.approvalRule, rule.approvals > 0 else { return nil }
        return rule
    }

    private func includes(_ member: String, _ actor: ActorIdentity) -> Bool {
        if member.hasPrefix("group:") {
            return groups[String(member.dropFirst(6))]?.contains { includes($0, actor) } ?? false
        }
        if member.hasPrefix("unix:") { return actor.unixGroups.contains(String(member.dropFirst(5))) }
        if member.hasPrefix("db:") { return actor.databaseRoles.contains(String(member.dropFirst(3))) }
        return member == actor.name
    }

    static func parse(_ node: ConfigNode, environments: [String]) throws(SlipwayError) -> RoleSettings {
        var settings = RoleSettings()
        let entries = try node.entries(context: "roles")
        if let groups = entries.first(where: { $0.key == "groups" }) {
            for (name, members, keyNode) in try groups.value.entries(context: "roles.groups") {
                guard Workspace.isValidName(name) else {
                    throw keyNode.location.error("group name '\(name)' must match [a-z0-9][a-z0-9._-]*")
                }
                settings.groups[name] = try members.stringList("roles.groups.\(name)")
            }
            for (name, members, _) in try groups.value.entries(context: "roles.groups") {
                try settings.checkMembers(members, "roles.groups.\(name)")
            }
        }
        for (key, value, keyNode) in entries where key != "groups" {
            guard key == "all" || environments.contains(key) else {
                let hint = NearestName.suggestion(for: key, among: environments).map { "; did you mean '\($0)'?" } ?? ""
                throw keyNode.location.error(
                    "unknown environment '\(key)' in roles\(hint) (known: all, groups, \(environments.joined(separator: ", ")))")
            }
            let grants = try settings.grants(value, context: "roles.\(key)")
            if key == "all" { settings.all = grants } else { settings.environments[key] = grants }
        }
        return settings
    }

    private func grants(_ node: ConfigNode, context: String) throws(SlipwayError) -> Grants {
        var grants = Grants()
        let known = "known: everyone, \(Role.allCases.map(\.rawValue).joined(separator: ", ")), approvals, approval_timeout"
        let entries = try node.entries(context: context)
        if let approvals = entries.first(where: { $0.key == "approvals" }) {
            grants.approvalRule = ApprovalRule(approvals: try approvals.value.int("\(context).approvals", in: 0...9))
        }
        if let timeout = entries.first(where: { $0.key == "approval_timeout" }) {
            guard var rule = grants.approvalRule else {
                throw timeout.keyNode.location.error(
                    "\(context).approval_timeout needs approvals: N beside it (the two-person rule it times)")
            }
            rule.timeout = try timeout.value.duration("\(context).approval_timeout")
            guard rule.timeout >= 1 else {
                throw timeout.value.location.error("\(context).approval_timeout must be at least 1s")
            }
            grants.approvalRule = rule
        }
        for (key, value, keyNode) in entries where key != "approvals" && key != "approval_timeout" {
            if key == "everyone" {
                let text = try value.string("\(context).everyone")
                guard let role = Role(rawValue: text) else {
                    throw value.location.error("unknown role '\(text)' (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                grants.everyone = role
                continue
            }
            guard let role = Role(rawValue: key) else {
                let names = Role.allCases.map(\.rawValue) + ["approvals", "approval_timeout"]
                let hint = NearestName.suggestion(for: key, among: names).map { "; did you mean '\($0)'?" } ?? ""
                throw keyNode.location.error("unknown role '\(key)' in \(context)\(hint) (\(known))")
            }
            try checkMembers(value, "\(context).\(key)")
            grants.members[role] = try value.stringList("\(context).\(key)")
        }
        return grants
    }

    private func checkMembers(_ node: ConfigNode, _ what: String) throws(SlipwayError) {
        for (index, member) in try node.stringList(what).enumerated() where member.hasPrefix("group:") {
            let name = String(member.dropFirst(6))
            guard groups[name] != nil else {
                let location = node.elementLocation(index)
                throw location.error("unknown group '\(name)' in \(what) (known: \(groups.keys.sorted().joined(separator: ", ")))")
            }
        }
    }
}

private extension ConfigNode {
    /// Where the `index`th entry of a list is (the node itself when it is one string).
    func elementLocation(_ index: Int) -> ConfigLocation {
        guard case .sequence(let sequence) = node, sequence.indices.contains(index) else { return location }
        return ConfigNode(node: sequence[index], file: file).location
    }
}
