import Foundation

/// A Neon database's backups and restores, through Neon's HTTP API: its history (point-in-time
/// restore) is Neon's own, kept for the project's `history_retention_seconds`; a backup is a
/// child branch at the moment it is made; a restore makes a new branch from a moment, or with
/// `inPlace` restores the branch itself and keeps its state before under another name.
extension Engine {
    private func neonAPI() -> NeonAPI {
        let output = self.output
        return NeonAPI(
            environment: environment.isEmpty ? ProcessInfo.processInfo.environment : environment, clock: clock,
            log: { output($0) })
    }

    private func neonCoordinates(_ target: DatabaseBackupTarget) -> (project: String, branch: String)? {
        guard case .neon(let project, let branch) = target.provider else { return nil }
        return (project, branch)
    }

    /// The configured branch, found by its name or ID.
    private func neonBranch(_ api: NeonAPI, project: String, named key: String) async throws(SlipwayError) -> NeonAnswer.Branch {
        let branches = try await api.call("GET", "/projects/\(project)/branches", as: NeonAnswer.BranchesAnswer.self).branches
        guard let branch = branches.first(where: { $0.id == key || $0.name == key }) else {
            throw SlipwayError(.backup(.neonBranchMissing(branch: key, project: project, known: branches.map(\.name).sorted())))
        }
        return branch
    }

    /// The window a restore of `branch` can reach at `now`: the project's history, and not
    /// before the branch itself began.
    private func neonWindow(
        _ api: NeonAPI, project: String, branch: NeonAnswer.Branch, now: Date
    ) async throws(SlipwayError) -> (retention: Double, earliest: Date) {
        let retention = Double(try await api.call("GET", "/projects/\(project)", as: NeonAnswer.ProjectAnswer.self).project.historyRetentionSeconds)
        var earliest = now.addingTimeInterval(-retention)
        if let created = NeonAnswer.date(branch.createdAt), created > earliest { earliest = created }
        return (retention, earliest)
    }

    /// Waits until each operation Neon started has finished, polling on the engine's clock.
    private func awaitNeon(_ operations: [NeonAnswer.Operation], api: NeonAPI, project: String, timeout: Double = 600) async throws(SlipwayError) {
        let deadline = clock.now().addingTimeInterval(timeout)
        for started in operations {
            var operation = started
            while operation.status != "finished" && operation.status != "skipped" {
                if ["failed", "error", "cancelled"].contains(operation.status) {
                    throw SlipwayError(.backup(.neonOperationFailed(action: operation.action, id: operation.id, status: operation.status)))
                }
                guard clock.now() < deadline else {
                    throw SlipwayError(.backup(.neonOperationStillRunning(action: operation.action, id: operation.id, seconds: Int(timeout))))
                }
                do {
                    try await clock.sleep(seconds: 0.5)
                } catch {
                    throw SlipwayError(.cancelled("while waiting for Neon's \(operation.action) operation \(operation.id)"))
                }
                operation = try await api.call(
                    "GET", "/projects/\(project)/operations/\(operation.id)", as: NeonAnswer.OperationAnswer.self).operation
            }
        }
    }

    /// `backup status` of a Neon database: the project's history window, read from its API.
    public func neonBackupStatus(_ target: DatabaseBackupTarget, now: Date = Date()) async throws(SlipwayError) -> DatabaseBackupStatus {
        var status = DatabaseBackupStatus(neon: target)
        guard let (project, key) = neonCoordinates(target) else { return status }
        let api = neonAPI()
        let branch = try await neonBranch(api, project: project, named: key)
        let window = try await neonWindow(api, project: project, branch: branch, now: now)
        status.read(neonHistory: window.retention, earliest: window.earliest, now: now)
        return status
    }

    /// A snapshot of the Neon database: a child branch of its branch at this moment, named
    /// `slipway-backup-<branch>-<time>`. A retry after a lost answer finds the branch by name
    /// instead of making a second.
    public func createNeonSnapshot(_ target: DatabaseBackupTarget) async throws(SlipwayError) -> NeonSnapshot {
        guard let (project, key) = neonCoordinates(target) else {
            throw SlipwayError(.databaseSetup(.notDeclared(component: target.component.name, path: target.component.path)))
        }
        let api = neonAPI()
        let branch = try await neonBranch(api, project: project, named: key)
        let now = clock.now()
        let name = "slipway-backup-\(branch.name)-\(Self.branchStamp(now))"
        let created = try await createNeonBranch(api, project: project, body: ["branch": ["name": name, "parent_id": branch.id]], name: name)
        try await awaitNeon(created.operations ?? [], api: api, project: project)
        let snapshot = NeonSnapshot(
            project: project, branchID: created.branch.id, name: name, parentID: branch.id,
            time: created.branch.parentTimestamp.flatMap(NeonAnswer.date) ?? now)
        try store.append(NewEvent(
            .backupCreated, component: target.component.name, environment: target.environment,
            details: EventDetails(reason: "Neon branch \(name) (\(created.branch.id)) of \(target.description) from \(branch.name)", tag: name)))
        return snapshot
    }

    /// The snapshots `createNeonSnapshot` made of the database's branch that Neon still has, oldest first.
    public func neonSnapshots(_ target: DatabaseBackupTarget) async throws(SlipwayError) -> [NeonSnapshot] {
        guard let (project, key) = neonCoordinates(target) else { return [] }
        let api = neonAPI()
        let branches = try await api.call("GET", "/projects/\(project)/branches", as: NeonAnswer.BranchesAnswer.self).branches
        guard let branch = branches.first(where: { $0.id == key || $0.name == key }) else {
            throw SlipwayError(.backup(.neonBranchMissing(branch: key, project: project, known: branches.map(\.name).sorted())))
        }
        let prefix = "slipway-backup-\(branch.name)-"
        return branches.filter { $0.parentID == branch.id && $0.name.hasPrefix(prefix) }.map {
            NeonSnapshot(
                project: project, branchID: $0.id, name: $0.name, parentID: branch.id,
                time: $0.parentTimestamp.flatMap(NeonAnswer.date) ?? NeonAnswer.date($0.createdAt) ?? .distantPast)
        }.sorted { $0.time < $1.time }
    }

    /// Restores the Neon database as it was at `time`. By default into a new branch made from
    /// the database's branch at that moment (with a read-write compute); the live branch is not
    /// touched. With `inPlace` (and `confirmation` naming the database) through Neon's branch
    /// restore, its state before kept as `<branch>-before-restore-<time>`. A moment outside the
    /// project's history window is refused before anything is asked of Neon.
    public func restoreNeonDatabase(
        _ target: DatabaseBackupTarget, to time: Date, inPlace: Bool, confirmation: String?
    ) async throws(SlipwayError) -> NeonRestore {
        try authorize(.restoreDatabase, environment: target.environment, component: target.component.name)
        guard let (project, key) = neonCoordinates(target) else {
            throw SlipwayError(.databaseSetup(.notDeclared(component: target.component.name, path: target.component.path)))
        }
        if inPlace && confirmation != target.databaseName {
            throw SlipwayError(.backup(.confirmationNeeded(database: target.databaseName, given: confirmation)))
        }
        let api = neonAPI()
        let branch = try await neonBranch(api, project: project, named: key)
        let now = clock.now()
        let window = try await neonWindow(api, project: project, branch: branch, now: now)
        guard time >= window.earliest && time <= now else {
            throw SlipwayError(.backup(.outsideNeonHistory(time, of: target.description, earliest: window.earliest, latest: now)))
        }
        let moment = TimeText.rfc3339Milliseconds(time)
        let restore: NeonRestore
        if inPlace {
            let preserved = "\(branch.name)-before-restore-\(Self.branchStamp(now))"
            let path = "/projects/\(project)/branches/\(branch.id)/restore"
            let body: [String: Any] = ["source_branch_id": branch.id, "source_timestamp": moment, "preserve_under_name": preserved]
            let answer = try await api.call("POST", path, body: body, as: NeonAnswer.BranchAnswer.self) { () async throws(SlipwayError) -> NeonAnswer.BranchAnswer? in
                let branches = try await api.call("GET", "/projects/\(project)/branches", as: NeonAnswer.BranchesAnswer.self).branches
                guard branches.contains(where: { $0.name == preserved }), let restored = branches.first(where: { $0.id == branch.id }) else {
                    return nil
                }
                return NeonAnswer.BranchAnswer(branch: restored, operations: [], endpoints: nil)
            }
            try await awaitNeon(answer.operations ?? [], api: api, project: project)
            let kept = try await neonBranch(api, project: project, named: preserved)
            restore = NeonRestore(
                mode: .inPlace, project: project, target: time, branchID: answer.branch.id, branchName: answer.branch.name,
                preservedID: kept.id, preservedName: kept.name, host: nil)
        } else {
            let name = "\(branch.name)-restore-\(Self.branchStamp(time))"
            let body: [String: Any] = [
                "branch": ["name": name, "parent_id": branch.id, "parent_timestamp": moment],
                "endpoints": [["type": "read_write"]],
            ]
            let created = try await createNeonBranch(api, project: project, body: body, name: name)
            try await awaitNeon(created.operations ?? [], api: api, project: project)
            restore = NeonRestore(
                mode: .newBranch, project: project, target: time, branchID: created.branch.id, branchName: created.branch.name,
                preservedID: nil, preservedName: nil, host: created.endpoints?.first?.host)
        }
        let how = inPlace
            ? "in place (the state before kept as branch \(restore.preservedName ?? "?"))"
            : "into the new Neon branch \(restore.branchName) (\(restore.branchID))"
        try store.append(NewEvent(
            .databaseRestored, component: target.component.name, environment: target.environment,
            details: EventDetails(reason: "restored \(target.description) to \(moment) \(how)", tag: restore.branchName)))
        return restore
    }

    /// `POST /projects/{project}/branches`; a retry first looks for a branch named `name`.
    private func createNeonBranch(
        _ api: NeonAPI, project: String, body: [String: Any], name: String
    ) async throws(SlipwayError) -> NeonAnswer.BranchAnswer {
        try await api.call("POST", "/projects/\(project)/branches", body: body, as: NeonAnswer.BranchAnswer.self) { () async throws(SlipwayError) -> NeonAnswer.BranchAnswer? in
            let branches = try await api.call("GET", "/projects/\(project)/branches", as: NeonAnswer.BranchesAnswer.self).branches
            return branches.first { $0.name == name }.map { NeonAnswer.BranchAnswer(branch: $0, operations: [], endpoints: nil) }
        }
    }

    /// `20261205T031500Z`: a moment in a branch name.
    static func branchStamp(_ date: Date) -> String {
        TimeText.rfc3339(date).filter { $0 != "-" && $0 != ":" }
    }
}
