/// The deploy-apps stage: deploys the planned components in dependency order, independent ones
/// at once up to a limit. A failure skips what depends on it; unrelated components go on.
struct DeployWaves: Sendable {
    var engine: Engine
    var plan: PipelinePlan
    var environment: EnvironmentSettings
    var runID: String
    var journal: PipelineJournal
    var log: StageLog

    private static let stage = "deploy-apps"

    func run(limit: Int, gated: Bool, cancellation: CancellationFlag) async throws(SlipwayError) {
        var finished: [String: Bool] = [:]
        var started: Set<String> = []
        var failures: [String] = []
        let entries = plan.entries
        await withTaskGroup(of: (String, Bool).self) { group in
            var running = 0
            // Each pass starts or finishes at least one component, so this many passes are enough.
            for _ in 0...(2 * entries.count) where finished.count < entries.count {
                for entry in entries where !started.contains(entry.name) && running < limit {
                    guard entry.after.allSatisfy({ finished[$0] != nil }) else { continue }
                    started.insert(entry.name)
                    // The nearest failed dependency: `after` is in dependency order.
                    if let blocker = entry.after.last(where: { finished[$0] == false }) {
                        skip(entry.name, because: "\(blocker) did not deploy")
                        finished[entry.name] = false
                        continue
                    }
                    if gated, journal.gatePassed(entry.name) != true {
                        skip(entry.name, because: "did not pass its tests and gates", keepingNote: true)
                        finished[entry.name] = false
                        continue
                    }
                    if journal.migrationFailed(entry.name) {
                        skip(entry.name, because: "its migrations failed", keepingNote: true)
                        finished[entry.name] = false
                        continue
                    }
                    if cancellation.isSet {
                        skip(entry.name, because: "the run was cancelled")
                        finished[entry.name] = false
                        continue
                    }
                    running += 1
                    group.addTask { (entry.name, await deploy(entry.name, gated: gated)) }
                }
                // Nothing running and nothing startable cannot happen (`after` lies within the plan).
                guard running > 0 else { break }
                if let (name, deployed) = await group.next() {
                    running -= 1
                    finished[name] = deployed
                    if !deployed { failures.append(name) }
                }
            }
        }
        if !failures.isEmpty {
            throw SlipwayError(.release(.deploysFailed(failures.sorted())))
        }
    }

    /// `keepingNote` keeps what an earlier stage said of it (why its gate failed).
    private func skip(_ name: String, because reason: String, keepingNote: Bool = false) {
        if !keepingNote { journal.record(name, note: "skipped: \(reason)") }
        _ = try? engine.store.append(PipelineRunner.jobEvent(
            .jobFinished, name, runID: runID, stage: Self.stage, outcome: "skipped", reason: reason, runKind: .deploy))
        log("\(name): skipped (\(reason))")
    }

    /// Deploys one component; answers whether it is now live (already being live counts).
    private func deploy(_ name: String, gated: Bool) async -> Bool {
        var engine = self.engine
        let output = engine.output
        engine.output = { line in output("\(name) | \(line)") }
        do {
            let component = try engine.workspace.component(named: name)
            let (version, _) = try await engine.version(of: component, requested: nil)
            try engine.store.append(PipelineRunner.jobEvent(
                .jobStarted, name, runID: runID, stage: Self.stage, runKind: .deploy, version: version))
            // One read for both this environment's state and staging's (the production checklist).
            let states = try engine.projection().states
            let state = states[.init(component: name, environment: environment.name)]
            if state?.liveVersion == version {
                journal.record(name, note: "already live: \(version)")
                try engine.store.append(PipelineRunner.jobEvent(
                    .jobFinished, name, runID: runID, stage: Self.stage, outcome: "succeeded",
                    reason: "\(version) is already live", runKind: .deploy, version: version))
                return true
            }
            if gated, DeploymentChecklist.applies(to: environment.name) {
                let checklist = try await engine.checklist(for: component, version: version, states: states)
                for line in checklist.lines { log(line) }
                guard checklist.passed else {
                    let failed = checklist.items.filter { $0.status == .failed }.map(\.name).joined(separator: ", ")
                    return finish(name, version: version, deployed: false, reason: "production checklist failed: \(failed)", jobRun: nil)
                }
            }
            let result = try await Deployer(engine: engine).deploy(
                name, environment: environment.name, version: nil, force: false, cancellation: log.cancellation)
            if result.succeeded {
                journal.recordDeployed(.init(name: name, version: version, previousVersion: state?.liveVersion))
            }
            return finish(name, version: version, deployed: result.succeeded, reason: result.reason, jobRun: result.runID)
        } catch {
            return finish(name, version: nil, deployed: false, reason: error.message, jobRun: nil)
        }
    }

    private func finish(_ name: String, version: String?, deployed: Bool, reason: String?, jobRun: String?) -> Bool {
        if !deployed { journal.record(name, note: "failed: \(reason ?? "deploy failed")") }
        _ = try? engine.store.append(PipelineRunner.jobEvent(
            .jobFinished, name, runID: runID, stage: Self.stage, outcome: deployed ? "succeeded" : "failed", reason: reason,
            runKind: .deploy, version: version, jobRun: jobRun))
        log("\(name): \(deployed ? "deployed \(version ?? "")" : "not deployed (\(reason ?? "failed"))")")
        return deployed
    }
}
