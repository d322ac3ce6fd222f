import SlipwayCore

/// The listing `list-apps` and `list-services` print: a table, or JSON objects with
/// `name`, `kind`, `path`, `technology` and `target`.
struct ComponentListing {
    struct Entry: Encodable {
        var name: String
        var kind: ComponentKind
        var path: String
        var technology: String
        var target: String
    }

    var components: [Component]

    func print(json: Bool) throws {
        let entries = components.map {
            Entry(name: $0.name, kind: $0.kind, path: $0.path, technology: $0.technology, target: $0.target)
        }
        if json { return try JSONOutput.print(entries) }
        Table(
            headers: ["NAME", "PATH", "TECHNOLOGY", "TARGET"],
            rows: entries.map { [$0.name, $0.path, $0.technology, $0.target] }
        ).print()
    }
}
