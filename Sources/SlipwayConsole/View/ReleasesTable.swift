import SlipwayCore

/// The releases screen: the tagged versions of one component in one environment, newest first.
enum ReleasesTable {
    static func make(
        _ tags: [ReleaseTag], component: String, environment: String, snapshot: ConsoleSnapshot, symbols: SymbolSet,
        width: Int
    ) -> ColumnTable<ReleaseTag> {
        typealias Column = ColumnTable<ReleaseTag>.Column
        let live = snapshot.state(component, environment)?.liveVersion
        let slots = snapshot.slots(component, environment)
        // A version built from git is its commit's first characters: a COMMIT column would repeat
        // VERSION on every line, so it shows only when some release was built from another commit.
        let versionIsCommit = tags.allSatisfy { tag in tag.commit.map { $0.hasPrefix(tag.version) } ?? true }
        let version = Column(heading: versionIsCommit ? "VERSION = COMMIT" : "VERSION", limit: 20, value: \.version)
        let commit = Column(heading: "COMMIT", limit: 12, value: { String(($0.commit ?? "-").prefix(12)) })
        return ColumnTable(
            items: tags,
            columns: (versionIsCommit ? [version] : [version, commit]) + [
                Column(heading: "WHO", limit: 12, value: \.actor),
                Column(heading: "WHEN", limit: 14, value: { TimeText.stamp($0.time) }),
                Column(heading: "OUTCOME", limit: 11, value: { tag in
                    tag.runID.flatMap { id in snapshot.runs.first { $0.id == id }?.state.rawValue } ?? "-"
                }),
                Column(heading: "SLOT", limit: 16, value: { tag in
                    let colors = slots.filter { $0.version == tag.version }.map(\.color)
                    let slot = colors.isEmpty ? "-" : colors.joined(separator: ",")
                    return tag.version == live ? "\(slot) live" : slot
                }, style: { $0.version == live ? .colored(.healthy, .bold) : .plain }),
            ],
            symbols: symbols, emptyMessage: "no release of \(component) in \(environment) yet", width: width)
    }
}
