import Foundation
import Synchronization
import SlipwayCore

/// Executes recorded run requests in the agent: one task per request, in turns per component
/// and environment, each with its requester's environment; and takes over the runs of an agent
/// that died, from their checkpoints.
final class RequestedRuns: Sendable {
    let root: URL
    let statePath: URL
    let store: EventStore
    /// One traffic owner per component and environment, keyed `component/environment`.
    let turns = Turns()
    /// At most `parallelism` runs of one deploy-all group, keyed by the group.
    let groups = Turns()
    let startup = StartupGate()
    /// Requests being executed (or waiting for their turn) in this agent.
    private let active = Atomic<Int>(0)

    var isBusy: Bool { active.load(ordering: .relaxed) > 0 }

    init(root: URL, statePath: URL, store: EventStore) {
        self.root = root
        self.statePath = statePath
        self.store = store
    }

    /// Starts executing `requestID` unless another live agent already does.
    func execute(requestID: String, environment: [String: String]) {
        active.add(1, ordering: .relaxed)
        Task {
            await startup.wait()
            await run(requestID: requestID, environment: environment)
            active.subtract(1, ordering: .relaxed)
        }
    }

    /// Seconds a requester has to hand its request over (from the request, or from its last
    /// approval) before any agent takes it.
    static let handOverGrace: TimeInterval = 3

    /// Requests left by a dead agent: each is resumed from its checkpoint, begun again when its
    /// run had not begun, or, without a checkpoint, recorded as interrupted. Pending requests
    /// whose requester has had time to hand them over are taken too. Returns when the first
    /// pending request still in its grace will be due, if one is.
    func takeOverOrphans(now: Date) -> Date? {
        let candidates = ((try? store.orphanedRequests()) ?? []).filter(\.isThisHosts)
        for orphan in candidates where Self.isDue(orphan, now: now) {
            execute(requestID: orphan.id, environment: ProcessInfo.processInfo.environment)
        }
        return candidates.filter { !Self.isDue($0, now: now) }.map { Self.graceEnd(of: $0) }.min()
    }

    /// The takeover at the agent's start: requests asked meanwhile wait until each left-behind
    /// run has its turn, so they queue behind it.
    func takeOverOrphansAtStart() async {
        let orphans = orphans()
        await startup.expect(Set(orphans.map(\.id)))
        for orphan in orphans {
            active.add(1, ordering: .relaxed)
            Task {
                await run(requestID: orphan.id, environment: ProcessInfo.processInfo.environment) { [startup] in
                    await startup.passed(orphan.id)
                }
                active.subtract(1, ordering: .relaxed)
            }
        }
    }

    private func orphans() -> [RequestRecord] {
        ((try? store.orphanedRequests()) ?? []).filter { $0.isThisHosts && Self.isDue($0, now: Date()) }
    }

    private static func isDue(_ orphan: RequestRecord, now: Date) -> Bool {
        orphan.state == .claimed || now > graceEnd(of: orphan)
    }

    private static func graceEnd(of request: RequestRecord) -> Date {
        (request.approvedAt ?? request.requestedAt).addingTimeInterval(handOverGrace)
    }

    /// `queued` is told once the request has its turn, or will not wait for one.
    private func run(
        requestID: String, environment: [String: String], queued: @Sendable () async -> Void = {}
    ) async {
        guard let record = try? store.claim(requestID: requestID, by: .current) else { return await queued() }
        let engine: Engine
        do {
            engine = try await openEngine(for: record, environment: environment)
        } catch {
            try? store.finish(requestID: record.id, refusal: error)
            return await queued()
        }
        let key: String
        do {
            key = "\(try engine.workspace.component(named: record.request.component).name)/\(record.request.environment)"
        } catch {
            try? store.finish(requestID: record.id, refusal: error)
            return await queued()
        }
        if record.noWait, let holder = await turns.holders(of: key).first, holder != record.id {
            refuse(record, heldBy: holder)
            return await queued()
        }
        await turns.acquire(key, for: record.id)
        await queued()
        // A deploy-all's runs wait for a slot of their group after their turn: a run holding a
        // slot never waits for a turn, so groups cannot hold each other up.
        let group = record.request.group
        if let group { await groups.acquire(group, for: record.id, limit: engine.workspace.config.parallelism) }
        await perform(record, engine: engine)
        if let group { await groups.release(group, by: record.id) }
        await turns.release(key, by: record.id)
    }

    /// Refuses a `--no-wait` request while `holder` changes the same traffic, naming it, as the
    /// deploy lock's refusal does; the refusal is part of the audit trail.
    private func refuse(_ record: RequestRecord, heldBy holder: String) {
        let request = record.request
        let lock = try? store.lock(component: request.component, environment: request.environment)
        let owner = lock.map { " of \($0.actor) since \(TimeText.rfc3339($0.acquiredAt))" } ?? ""
        let reason = "deploy lock for \(request.component) in \(request.environment) is held by run \(lock?.runID ?? holder)\(owner); "
            + "wait for it (leave out --no-wait) or run 'slipway cancel \(lock?.runID ?? holder)'"
        _ = try? store.append(NewEvent(
            .deployRefused, component: request.component, environment: request.environment, runID: record.id,
            details: EventDetails(runKind: request.runKind, reason: reason)))
        try? store.finish(requestID: record.id, refusal: .failure(reason))
    }

    private func perform(_ record: RequestRecord, engine: Engine) async {
        do {
            if let run = try store.runIfBegun(id: record.id) {
                if run.state.isFinal {
                    try store.finish(requestID: record.id)
                    return
                }
                try await resume(record, run: run, engine: engine)
            } else {
                guard try store.request(id: record.id).state == .claimed else { return }
                _ = try await engine.perform(record.request, runID: record.id)
            }
            try store.finish(requestID: record.id)
        } catch {
            if (try? store.runIfBegun(id: record.id)) == nil {
                try? store.finish(requestID: record.id, refusal: error)
            } else {
                try? store.finish(requestID: record.id)
            }
        }
    }

    private func resume(_ record: RequestRecord, run: RunRecord, engine: Engine) async throws(SlipwayError) {
        if let (plan, index) = try RunResumption(engine: engine).plan(for: record, run: run) {
            _ = try await engine.executor.resume(plan, from: index)
            return
        }
        if let restoration = try await TrafficRestoration(engine: engine).plan(after: run) {
            _ = try await engine.executor.resume(restoration, from: 0)
            return
        }
        let reason = "the agent executing it (pid \(run.pid)) died, and its stages are not known to be safe to repeat"
        try store.finish(runID: run.id, state: .interrupted, reason: reason, events: [NewEvent(
            .runFinished, component: run.component, environment: run.environment, runID: run.id,
            details: EventDetails(runKind: run.kind, version: run.version, outcome: "interrupted", reason: reason))])
    }

    /// The engine as the requester would have opened it, its lines before the run begins kept
    /// in the run's output (the requester follows that, not the agent's log).
    private func openEngine(for record: RequestRecord, environment: [String: String]) async throws(SlipwayError) -> Engine {
        let store = self.store
        let id = record.id
        let begun = Atomic<Bool>(false)
        var environment = environment
        environment["SLIPWAY_ACTOR"] = record.actor
        environment["SLIPWAY_ORIGIN"] = record.origin
        var engine = try await Engine.open(
            workspace: root, state: statePath, origin: record.origin, environment: environment,
            output: { line in
                // The run's own lines are stored by its executor; only what comes before is kept here.
                guard !begun.load(ordering: .relaxed) else { return }
                if (try? store.runIfBegun(id: id)) != nil {
                    begun.store(true, ordering: .relaxed)
                    return
                }
                let next = ((try? store.lastOutputSequence(runID: id)) ?? -1) + 1
                try? store.appendOutput(runID: id, firstSequence: next, lines: [line])
            })
        engine.origin = record.origin
        return engine
    }
}
