import Foundation
import Yams

/// One projection a component's `database:` declares (`projections:`): the table that holds its
/// live version, the command or Makefile goal that rebuilds it into a table beside it, and how the
/// rebuilt version is compared with the live one and switched in.
public struct ProjectionSettings: Sendable, Equatable {
    /// A step Slipway runs for a projection: a Makefile goal of the component (`{goal: NAME}`)
    /// or a shell command run in the component's folder.
    public enum Step: Sendable, Equatable {
        case goal(String)
        case command(String)
    }

    /// How the rebuilt version is compared with the live one.
    public enum Comparison: Sendable, Equatable {
        /// Row counts and an order-independent checksum of both tables, with a sample of the rows
        /// only one of them holds.
        case tables
        /// A query whose rows are the differences (none: they agree); `{live}` and `{new}` stand for
        /// the two tables.
        case query(String)
        /// A step that exits 0 when they agree; its output lists the differences otherwise.
        case step(Step)
    }

    public var name: String
    /// The table readers use; version N+1 is built in `<table>_v<N+1>` beside it.
    public var table: String
    public var rebuild: Step
    public var comparison: Comparison = .tables
    /// How the rebuilt version takes the live one's place; nil: the tables are renamed in one
    /// transaction (the live one kept as `<table>_v<N>`).
    public var switchStep: Step?
    public var location: ConfigLocation

    public init(
        name: String, table: String? = nil, rebuild: Step, comparison: Comparison = .tables, switchStep: Step? = nil,
        location: ConfigLocation = ConfigLocation(file: "slipway.yml", line: 1, column: 1)
    ) {
        self.name = name
        self.table = table ?? name
        self.rebuild = rebuild
        self.comparison = comparison
        self.switchStep = switchStep
        self.location = location
    }

    /// Lower-case SQL identifiers only: the table names go into SQL Slipway writes.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.utf8.count <= 50,
              ("a"..."z").contains(first) || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The `projections:` list of a `database:` block.
    static func parseList(_ node: ConfigNode) throws(SlipwayError) -> [ProjectionSettings] {
        guard case .sequence(let sequence) = node.node else {
            throw node.location.error("database.projections must be a list of projections ({name:, rebuild:}), found \(node.kindName)")
        }
        var projections: [ProjectionSettings] = []
        for entry in sequence {
            let projection = try parse(ConfigNode(node: entry, file: node.file))
            if projections.contains(where: { $0.name == projection.name }) {
                throw projection.location.error("projection '\(projection.name)' is declared twice")
            }
            if projections.contains(where: { $0.table == projection.table }) {
                throw projection.location.error("projection '\(projection.name)' uses table '\(projection.table)', which another projection uses")
            }
            projections.append(projection)
        }
        return projections
    }

    static func parse(_ node: ConfigNode) throws(SlipwayError) -> ProjectionSettings {
        let fields = try node.mapping(allowing: ["name", "table", "rebuild", "compare", "switch"], context: "projection")
        guard let nameNode = fields["name"] else {
            throw node.location.error("a projection needs name: (a lower-case SQL name such as orders_view)")
        }
        let name = try nameNode.string("projection name")
        guard isIdentifier(name) else {
            throw nameNode.location.error("projection name must be a lower-case SQL name (a-z, 0-9, _), found '\(name)'")
        }
        var table = name
        if let tableNode = fields["table"] {
            table = try tableNode.string("table")
            guard isIdentifier(table) else {
                throw tableNode.location.error("table must be a lower-case SQL name (a-z, 0-9, _), found '\(table)'")
            }
        }
        guard let rebuildNode = fields["rebuild"] else {
            throw nameNode.location.error("projection '\(name)' needs rebuild: a command, or {goal: NAME} of the component's Makefile")
        }
        var projection = ProjectionSettings(
            name: name, table: table, rebuild: try step(rebuildNode, "rebuild"), location: nameNode.location)
        if let compare = fields["compare"] {
            if case .mapping = compare.node {
                projection.comparison = .step(try step(compare, "compare"))
            } else {
                let query = try compare.command("compare").trimmingCharacters(in: .whitespacesAndNewlines)
                let first = query.prefix { $0.isLetter }.uppercased()
                guard ["SELECT", "WITH", "VALUES", "TABLE"].contains(first) else {
                    throw compare.location.error(
                        "compare must be an SQL query returning the differences ({live} and {new} stand for the tables) or {goal: NAME}, found '\(query)'")
                }
                projection.comparison = .query(query)
            }
        }
        if let switchNode = fields["switch"] { projection.switchStep = try step(switchNode, "switch") }
        return projection
    }

    private static func step(_ node: ConfigNode, _ what: String) throws(SlipwayError) -> Step {
        if case .mapping = node.node {
            let fields = try node.mapping(allowing: ["goal"], context: what)
            guard let goalNode = fields["goal"] else { throw node.location.error("\(what) needs goal: NAME (a goal of the component's Makefile)") }
            let goal = try goalNode.string("\(what).goal")
            guard !goal.isEmpty, goal.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }) else {
                throw goalNode.location.error("\(what).goal must be a Makefile goal name, found '\(goal)'")
            }
            return .goal(goal)
        }
        let command = try node.command(what).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !command.isEmpty else { throw node.location.error("\(what) must be a command or {goal: NAME}, found nothing") }
        return .command(command)
    }
}
