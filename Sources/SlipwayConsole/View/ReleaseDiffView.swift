import SlipwayCore

/// Under the releases list: what the highlighted release changes against the live one, its
/// commits and the migrations it adds.
struct ReleaseDiffView {
    /// Nil until the watcher read it from git.
    let diff: LoadedDiff?
    let live: String?

    func draw(into frame: inout Frame, top: Int, height: Int) {
        guard height > 0 else { return }
        guard let loaded = diff else {
            frame.put("CHANGES against \(live ?? "nothing live"): reading git", row: top, column: 0, style: .bold)
            return
        }
        guard let diff = loaded.diff else {
            frame.put("CHANGES: \(loaded.summary)", row: top, column: 0, style: .bold)
            return
        }
        frame.put(
            "CHANGES \(diff.fromVersion ?? "nothing live") -> \(diff.toVersion): \(diff.summary)", row: top, column: 0,
            style: .bold)
        let lines = diff.migrations.map { "+ migration \($0)" }
            + diff.commits.map { "\($0.hash)  \($0.subject)  (\($0.author))" }
        let room = height - 1
        let shown = lines.count > room ? max(0, room - 1) : lines.count
        for (offset, line) in lines.prefix(shown).enumerated() {
            let style: CellStyle = offset < diff.migrations.count ? .colored(.inProgress) : .plain
            frame.put(line, row: top + 1 + offset, column: 0, style: style)
        }
        if shown < lines.count, room > 0 {
            frame.put(
                "\(lines.count - shown) more: slipway diff \(diff.component) --env \(diff.environment) --to \(diff.toVersion)",
                row: top + 1 + shown, column: 0, style: .dim)
        }
    }
}
