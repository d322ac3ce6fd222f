import Foundation

extension Engine {
    /// What changes in `component` when `version` (HEAD's version of it when nil) replaces the
    /// release live in `environment`: git reads at the edge, the summary in `ReleaseDiff`.
    public func releaseDiff(
        _ component: Component, environment: String, to version: String?
    ) async throws(SlipwayError) -> ReleaseDiff {
        guard let git else {
            throw SlipwayError(.git(.notARepository(root: workspace.root.path, need: "there is nothing to compare")))
        }
        let state = try store.projection().states[.init(component: component.name, environment: environment)]
        let target: (version: String, commit: String)
        if let version {
            guard let commit = try await commit(of: component, version: version) else {
                throw SlipwayError(.release(.unknownVersion(version, component: component.name)))
            }
            target = (version, commit)
        } else {
            let head = try await self.version(of: component, requested: nil)
            guard let commit = head.commit else { throw SlipwayError(.git(.noCommitYet(path: component.path, versionHint: false))) }
            target = (head.version, commit)
        }
        var from: String?
        if let live = state?.liveVersion {
            // A version built from uncommitted files names its commit; one no longer in git diffs from nothing.
            from = try await commit(of: component, version: live, known: state?.liveCommit)
        }
        let path = repositoryPath(of: component)
        var isRollback = false
        var log = try await git.log(from: from, to: target.commit, path: path)
        if let from, log.isEmpty, from != target.commit, try await git.isAncestor(target.commit, of: from) {
            isRollback = true
            log = try await git.log(from: target.commit, to: from, path: path)
        }
        let migrations = component.settings.database.map { path + "/" + $0.migrations }
        let changes = ReleaseDiff.files(
            fromNameStatus: try await git.nameStatus(from: from, to: target.commit, path: path), migrationsFolder: migrations)
        return ReleaseDiff(
            component: component.name, environment: environment, fromVersion: state?.liveVersion, fromCommit: from,
            toVersion: target.version, toCommit: target.commit, commits: ReleaseDiff.commits(fromLog: log),
            isRollback: isRollback, files: changes.files, migrations: isRollback ? [] : changes.migrations)
    }

    /// The commit `version` of `component` was built from: the one recorded with it (`known`, or
    /// a release tag in any environment), else the version read as a commit (the default
    /// versions are abbreviated hashes); nil when git has no such commit.
    func commit(of component: Component, version: String, known: String? = nil) async throws(SlipwayError) -> String? {
        guard let git else { return nil }
        var recorded = known
        if recorded == nil {
            for environment in workspace.config.environments {
                let tags = try store.releases(component: component.name, environment: environment.name)
                if let commit = tags.first(where: { $0.version == version })?.commit {
                    recorded = commit
                    break
                }
            }
        }
        let bare = ReleaseVersion.isDirty(version) ? String(version.dropLast(ReleaseVersion.dirtySuffix.count)) : version
        for candidate in [recorded, bare].compactMap(\.self) {
            if let commit = try await git.commit(named: candidate) { return commit }
        }
        return nil
    }
}
