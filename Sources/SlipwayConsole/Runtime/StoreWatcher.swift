import SlipwayCore

/// Follows the shared store off the terminal thread: it reloads when another process (or
/// this one) appended an event, on request, and every few seconds as a heartbeat.
struct StoreWatcher: Sendable {
    static let pollInterval = Duration.milliseconds(500)
    /// Also refreshes branch and commit, and reaps runs whose process died.
    static let heartbeatInterval = Duration.seconds(5)
    static let runLimit = 200

    let engine: Engine
    let readOnly: Bool
    let mailbox: ConsoleMailbox

    func watch() async {
        let clock = ContinuousClock()
        var lastEventID: Int64?
        var lastHeartbeat: ContinuousClock.Instant?
        var header = ConsoleHeader(workspace: engine.workspace.root.path, actor: engine.store.actor)
        while !Task.isCancelled {
            let forced = mailbox.takeReloadRequest()
            let heartbeat = lastHeartbeat.map { clock.now - $0 >= Self.heartbeatInterval } ?? true
            var problem: String?
            if heartbeat || forced {
                lastHeartbeat = clock.now
                // Reaping writes events, which a read-only console must not do.
                if !readOnly {
                    do {
                        try engine.store.reapInterruptedRuns()
                    } catch {
                        problem = "cannot reap interrupted runs: \(error.message)"
                    }
                }
                header = await loadHeader()
            }
            do {
                let eventID = try engine.store.latestEventID()
                if heartbeat || forced || eventID != lastEventID {
                    lastEventID = eventID
                    let projection = try engine.store.projection()
                    let rows = FleetRow.rows(
                        workspace: engine.workspace, projection: projection, routes: try engine.store.routes())
                    mailbox.post(.fleetLoaded(rows, try engine.store.runs(limit: Self.runLimit), header))
                }
            } catch {
                problem = error.message
            }
            // After the load, which clears the status line, so the problem stays in view.
            if let problem { mailbox.post(.loadFailed(problem)) }
            try? await Task.sleep(for: Self.pollInterval)
        }
    }

    private func loadHeader() async -> ConsoleHeader {
        let branch = (try? await engine.git?.currentBranch()) ?? nil
        let commit = (try? await engine.git?.headCommit()) ?? nil
        let agent = AgentClient(workspace: engine.workspace.root, statePath: engine.store.path)
        let pid = (try? agent.send(AgentRequest(.ping), timeout: 2))?.pid
        return ConsoleHeader(
            workspace: engine.workspace.root.path, branch: branch, commit: commit, actor: engine.store.actor,
            agent: pid.map { "up (pid \($0))" } ?? "down")
    }
}
