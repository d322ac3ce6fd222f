/// What a pipeline run will do, decided before it starts: the changed components in deploy
/// order, each with why it is in and what it waits for. `--dry-run` prints exactly this.
public struct PipelinePlan: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public var name: String
        public var kind: ComponentKind
        public var reason: ChangeSet.Reason
        public var files: [String]
        /// The planned components it depends on (directly or through others): it deploys after them.
        public var after: [String]
        /// Deploy wave: 1 for components that wait for nothing, else one more than what they wait for.
        public var wave: Int
    }

    public var environment: String?
    public var base: String
    public var head: String
    public var runsGates: Bool
    public var deploys: Bool
    public var entries: [Entry]

    enum CodingKeys: String, CodingKey {
        case environment, base, head, runsGates = "runs_gates", deploys, entries
    }

    public init(changes: ChangeSet, graph: DependencyGraph, environment: String?, runsGates: Bool, deploys: Bool) {
        self.environment = environment
        base = changes.mergeBase
        head = changes.head
        self.runsGates = runsGates
        self.deploys = deploys
        let changed = Dictionary(uniqueKeysWithValues: changes.components.map { ($0.name, $0) })
        var waves: [String: Int] = [:]
        let ordered: [Entry] = graph.order(Set(changed.keys)).compactMap { name in
            guard let change = changed[name] else { return nil }
            let after = graph.order(graph.transitiveDependencies(of: name).intersection(changed.keys))
            let wave = 1 + (after.compactMap { waves[$0] }.max() ?? 0)
            waves[name] = wave
            return Entry(name: name, kind: change.kind, reason: change.reason, files: change.files, after: after, wave: wave)
        }
        // Wave by wave, dependency order within: the order deploys start in.
        entries = ordered.enumerated().sorted { ($0.element.wave, $0.offset) < ($1.element.wave, $1.offset) }.map(\.element)
    }

    /// The plan as `--dry-run` prints it ("would ..."), or as a run announces it ("will ...").
    public func lines(dryRun: Bool) -> [String] {
        var lines = ["pipeline \(environment.map { "to \($0)" } ?? "(no environment: tests and gates only)"): "
            + "changes \(base.prefix(12))...\(head.prefix(12))"]
        guard !entries.isEmpty else { return lines + ["nothing changed: nothing to test or deploy"] }
        let action = deploys ? (runsGates ? "test, gate and deploy" : "deploy") : "test and gate"
        lines.append("\(dryRun ? "would" : "will") \(action), in this order:")
        for entry in entries {
            let files = entry.files.count == 1 ? entry.files[0] : "\(entry.files.count) files"
            var line = "  wave \(entry.wave)  \(entry.name) (\(entry.kind.rawValue)): \(entry.reason.rawValue), \(files)"
            if !entry.after.isEmpty { line += "; after \(entry.after.joined(separator: ", "))" }
            lines.append(line)
        }
        return lines
    }
}
