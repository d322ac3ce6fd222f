import Foundation

extension Engine {
    /// What `slipway projection rebuild` may be told besides the projection.
    public struct ProjectionRebuildOptions: Sendable {
        /// Switch although the comparison found differences; the reason goes to the audit.
        public var acceptDifferences: String?
        /// Give up the unfinished rebuild (its table dropped) and start a new version.
        public var restart = false

        public init(acceptDifferences: String? = nil, restart: Bool = false) {
            self.acceptDifferences = acceptDifferences
            self.restart = restart
        }
    }

    /// Differences shown and recorded at most; the comparison says when there are more.
    static let differenceSample = 10
    /// Checkpoints closer together than this are not each recorded (the last one always is).
    static let checkpointInterval: TimeInterval = 1

    /// The component's projections, each with where its rebuilds stand in `environment`.
    public func projectionRebuilds(of component: Component, environment: String) throws(SlipwayError) -> [ProjectionRebuild] {
        let projections = component.settings.database?.projections ?? []
        guard !projections.isEmpty else { return [] }
        let events = try store.events(kinds: ProjectionRebuild.kinds, component: component.name, environment: environment)
        return projections.map { ProjectionRebuild.fold(events, projection: $0, component: component.name, environment: environment) }
    }

    /// Every declared projection's rebuilds in every environment with a database, for the console.
    public func projectionRebuilds() throws(SlipwayError) -> [ProjectionRebuild] {
        let environments = workspace.config.environments.filter { $0.database != nil }.map(\.name)
        var rebuilds: [ProjectionRebuild] = []
        for component in workspace.components where component.settings.database?.projections.isEmpty == false {
            for environment in environments { rebuilds += try projectionRebuilds(of: component, environment: environment) }
        }
        return rebuilds
    }

    /// The projection `name` of `component`, or a usage error naming the declared ones.
    public func projection(_ name: String, of component: Component) throws(SlipwayError) -> ProjectionSettings {
        let projections = component.settings.database?.projections ?? []
        if let projection = projections.first(where: { $0.name == name }) { return projection }
        guard !projections.isEmpty else {
            throw SlipwayError(.projection(.noneDeclared(component: component.name, path: component.path)))
        }
        throw SlipwayError(.projection(.unknown(name: name, component: component.name, declared: projections.map(\.name))))
    }

    /// Builds the next version of `name` beside the live one (or continues the unfinished
    /// rebuild from its last checkpoint), compares the two, and switches when they agree or the
    /// operator accepts the differences. Each step is recorded, so a killed rebuild resumes.
    public func rebuildProjection(
        _ name: String, of component: Component, environment: String, options: ProjectionRebuildOptions = .init()
    ) async throws(SlipwayError) -> ProjectionRebuild {
        try authorize(.rebuildProjection, environment: environment, component: component.name)
        let projection = try projection(name, of: component)
        if let reason = options.acceptDifferences, reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw SlipwayError(.reasonRequired(what: "--accept-differences", why: "why the rebuilt projection may differ from the live one"))
        }
        let settings = try environmentDatabase(named: environment)
        let database = try await MigrationDatabase.connect(
            try databaseURL(of: settings, environment: environment), name: settings.name)
        do throws(SlipwayError) {
            guard try await database.tryProjectionLock(projection.table) else {
                throw SlipwayError(.projection(.rebuildRunning(name: name, database: settings.name)))
            }
            let result = try await rebuild(projection, of: component, environment: environment, in: database, options: options)
            await database.unlockProjection(projection.table)
            await database.close()
            return result
        } catch {
            await database.unlockProjection(projection.table)
            await database.close()
            throw error
        }
    }

    private func rebuild(
        _ projection: ProjectionSettings, of component: Component, environment: String, in database: MigrationDatabase,
        options: ProjectionRebuildOptions
    ) async throws(SlipwayError) -> ProjectionRebuild {
        func current() throws(SlipwayError) -> ProjectionRebuild {
            let events = try store.events(kinds: ProjectionRebuild.kinds, component: component.name, environment: environment)
            return ProjectionRebuild.fold(events, projection: projection, component: component.name, environment: environment)
        }
        func record(_ kind: EventKind, _ details: EventDetails) throws(SlipwayError) {
            var details = details
            details.stage = projection.name
            details.origin = origin
            try store.append(NewEvent(kind, component: component.name, environment: environment, details: details))
        }
        var state = try current()
        if options.restart, let attempt = state.attempt, !state.isSettled {
            try await database.dropTable(attempt.table)
            try record(.projectionFailed, EventDetails(
                version: String(attempt.version), outcome: "restart", reason: "given up by \(store.actor) to start again", tag: attempt.table))
            output("gave up v\(attempt.version) of \(projection.name) (dropped \(attempt.table))")
            state = try current()
        }
        if state.nextStep == .start {
            let version = state.liveVersion + 1
            let table = "\(projection.table)_v\(version)"
            // A table left by a rebuild given up outside Slipway would mix old rows into the new version.
            try await database.dropTable(table)
            try record(.projectionStarted, EventDetails(version: String(version), tag: table))
            output("rebuilding \(projection.name) v\(version) into \(table) beside \(projection.table) (v\(state.liveVersion))")
            state = try current()
        }
        guard var attempt = state.attempt else { throw SlipwayError(.projection(.noRebuildRecorded(name: projection.name))) }
        let url = try databaseURLText(environment: environment)
        var variables: [String: String?] = [
            "DATABASE_URL": url, "PROJECTION": projection.name, "LIVE_TABLE": projection.table, "TARGET_TABLE": attempt.table,
            "PROJECTION_VERSION": String(attempt.version), "SLIPWAY_ENV": environment,
        ]
        if case .rebuild(let resumingFrom) = state.nextStep {
            if let resumingFrom {
                output("resuming \(projection.name) v\(attempt.version) from checkpoint \(resumingFrom)"
                    + (attempt.total.map { " of \($0)" } ?? ""))
            }
            variables["RESUME_FROM"] = String(resumingFrom ?? 0)
            let step = try command(for: projection.rebuild, of: component, variables: variables)
            let last = try await runRebuild(
                step, projection: projection, version: attempt.version, component: component.name, environment: environment)
            guard last.status == 0 else {
                let at = last.checkpoint.map { " at checkpoint \($0.position)" + ($0.total.map { "/\($0)" } ?? "") } ?? " before its first checkpoint"
                let how = last.status > 128 ? "was killed (signal \(last.status - 128))" : "exited with status \(last.status)"
                let reason = "the rebuild \(how)\(at)"
                try record(.projectionFailed, EventDetails(version: String(attempt.version), outcome: "rebuild", reason: reason, tag: attempt.table))
                let resume = last.checkpoint.map { "from checkpoint \($0.position)" } ?? "from the start"
                throw SlipwayError(.projection(.rebuildStopped(name: projection.name, version: attempt.version, reason: reason, resume: resume)))
            }
            guard try await database.tableExists(attempt.table) else {
                let reason = "the rebuild finished without creating \(attempt.table) (it gets the name in TARGET_TABLE)"
                try record(.projectionFailed, EventDetails(version: String(attempt.version), outcome: "rebuild", reason: reason, tag: attempt.table))
                throw SlipwayError(.projection(.rebuildStopped(name: projection.name, version: attempt.version, reason: reason, resume: nil)))
            }
            try record(.projectionBuilt, EventDetails(version: String(attempt.version), tag: attempt.table, total: last.checkpoint?.total))
            output("built \(projection.name) v\(attempt.version) in \(attempt.table)")
            attempt = try current().attempt ?? attempt
        }
        variables["RESUME_FROM"] = nil
        let differences: [String]
        do {
            differences = try await compare(projection, attempt: attempt, of: component, in: database, variables: variables)
        } catch {
            try record(.projectionFailed, EventDetails(version: String(attempt.version), outcome: "compare", reason: error.message, tag: attempt.table))
            throw error
        }
        try record(.projectionCompared, EventDetails(
            version: String(attempt.version), outcome: differences.isEmpty ? "agree" : "differ", tag: attempt.table, differences: differences))
        for difference in differences { output("difference: \(difference)") }
        if differences.isEmpty {
            output("\(attempt.table) agrees with \(projection.table)")
        } else if let reason = options.acceptDifferences {
            try store.append(NewEvent(
                .checkOverridden, component: component.name, environment: environment,
                details: EventDetails(
                    version: String(attempt.version), stage: "projection \(projection.name) comparison",
                    outcome: "\(differences.count) differences", reason: reason, origin: origin)))
            output("switching despite \(differences.count) differences, accepted by \(store.actor): \(reason)")
        } else {
            throw SlipwayError(.projection(.differs(
                name: projection.name, version: attempt.version, liveVersion: state.liveVersion, count: differences.count)))
        }
        do throws(SlipwayError) {
            if let step = projection.switchStep {
                let command = try command(for: step, of: component, variables: variables)
                let status = try await ChildProcess.run(command, cancellation: CancellationFlag()) { [output] line in output(line) }
                guard status == 0 else { throw SlipwayError(.projection(.switchStepFailed(status: status))) }
            } else {
                try await database.switchTables(live: projection.table, new: attempt.table, keptAs: "\(projection.table)_v\(state.liveVersion)")
            }
        } catch {
            try record(.projectionFailed, EventDetails(version: String(attempt.version), outcome: "switch", reason: error.message, tag: attempt.table))
            throw SlipwayError(.projection(.notSwitched(name: projection.name, version: attempt.version, problem: error.message)))
        }
        try record(.projectionSwitched, EventDetails(
            version: String(attempt.version), reason: differences.isEmpty ? nil : options.acceptDifferences, tag: attempt.table))
        let kept = projection.switchStep == nil ? " (v\(state.liveVersion) kept as \(projection.table)_v\(state.liveVersion))" : ""
        output("switched \(projection.name) to v\(attempt.version)\(kept)")
        return try current()
    }

    /// Runs the rebuild command, recording its checkpoints (at most one a second, and always the
    /// last one it reported before it ended, so a resume loses nothing it committed).
    private func runRebuild(
        _ command: StageCommand, projection: ProjectionSettings, version: Int, component: String, environment name: String
    ) async throws(SlipwayError) -> (status: Int32, checkpoint: CheckpointLine?) {
        let log = CheckpointLog()
        let (output, store, origin) = (self.output, self.store, self.origin)
        let (crashPoint, crashStep) = (CrashPoint(environment: environment), environment["SLIPWAY_CRASH_AT"])
        @Sendable func checkpointEvent(_ checkpoint: CheckpointLine) -> NewEvent {
            NewEvent(.projectionCheckpoint, component: component, environment: name, details: EventDetails(
                version: String(version), stage: projection.name, origin: origin, position: checkpoint.position, total: checkpoint.total))
        }
        let status = try await ChildProcess.run(command, cancellation: CancellationFlag()) { line in
            guard let checkpoint = CheckpointLine(line) else { return output(line) }
            // The test hook for a kill -9 of Slipway itself right after recording a checkpoint.
            let step = "projection-checkpoint-\(checkpoint.position)"
            let crash = crashStep == step
            log.report(checkpoint, now: Date(), interval: crash ? 0 : Self.checkpointInterval) { checkpoint in
                _ = try? store.append(checkpointEvent(checkpoint))
                output("\(projection.name) v\(version): " + ProjectionRebuild.positionText(checkpoint))
            }
            crashPoint.reach(step)
        }
        if let pending = log.unrecorded {
            try store.append(checkpointEvent(pending))
            output("\(projection.name) v\(version): " + ProjectionRebuild.positionText(pending))
        }
        return (status, log.last)
    }

    /// The compare step's differences: its goal's output when it fails, its query's rows, or the
    /// tables' counts, checksums and differing rows.
    private func compare(
        _ projection: ProjectionSettings, attempt: ProjectionRebuild.Attempt, of component: Component, in database: MigrationDatabase,
        variables: [String: String?]
    ) async throws(SlipwayError) -> [String] {
        switch projection.comparison {
        case .tables:
            return try await database.tableDifferences(live: projection.table, new: attempt.table, sample: Self.differenceSample)
        case .query(let query):
            return try await database.queryDifferences(query, live: projection.table, new: attempt.table, limit: Self.differenceSample)
        case .step(let step):
            let log = CheckpointLog()
            let status = try await ChildProcess.run(try command(for: step, of: component, variables: variables), cancellation: CancellationFlag()) {
                line in log.keep(line, limit: Self.differenceSample)
            }
            guard status != 0 else { return [] }
            let shown = log.lines
            return shown.isEmpty ? ["the compare step exited with status \(status)"] : Array(shown)
        }
    }

    /// The process a step runs: `make GOAL` or the command in `sh -c`, in the component's folder.
    private func command(
        for step: ProjectionSettings.Step, of component: Component, variables: [String: String?]
    ) throws(SlipwayError) -> StageCommand {
        switch step {
        case .goal(let goal):
            guard component.hasGoal(goal) else {
                throw SlipwayError(.projection(.missingGoal(goal: goal, component: component.name, path: component.path)))
            }
            return StageCommand(executable: "make", arguments: ["--no-print-directory", goal], directory: component.directory, environment: variables)
        case .command(let text):
            return StageCommand(executable: "sh", arguments: ["-c", text], directory: component.directory, environment: variables)
        }
    }

    /// The connection string of `environment`'s database as its variable holds it, for the
    /// rebuild's `DATABASE_URL`.
    private func databaseURLText(environment name: String) throws(SlipwayError) -> String {
        let database = try environmentDatabase(named: name)
        guard let urlEnv = database.urlEnv else { throw SlipwayError(.databaseSetup(.noURLVariable(database: database.name))) }
        guard let text = variable(urlEnv) else {
            throw .usage("\(urlEnv) is not set: it holds the connection string of database '\(database.name)' (environment \(name))")
        }
        return text
    }

    /// The production checklist's "projection rebuilds completed" item: passed when every
    /// projection's newest rebuild switched (or none is pending), failed while one runs, stopped,
    /// failed or waits unswitched; not applicable without declared projections.
    public func projectionRebuildsCompleted(of component: Component) -> DeploymentChecklist.Item {
        let name = DeploymentChecklist.noProjections.name
        guard component.settings.database?.projections.isEmpty == false else { return DeploymentChecklist.noProjections }
        let rebuilds: [ProjectionRebuild]
        do {
            rebuilds = try projectionRebuilds(of: component, environment: "production")
        } catch {
            return DeploymentChecklist.Item(name: name, status: .failed, detail: "cannot read the rebuilds: \(error.message)")
        }
        let pending = rebuilds.filter { !$0.isSettled }
        guard pending.isEmpty else {
            return DeploymentChecklist.Item(
                name: name, status: .failed,
                detail: pending.map { "\($0.projection): \($0.summary)" }.joined(separator: "; "))
        }
        return DeploymentChecklist.Item(
            name: name, status: .passed, detail: rebuilds.map { "\($0.projection) \($0.summary)" }.joined(separator: "; "))
    }
}
