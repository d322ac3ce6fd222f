import Foundation

extension Engine {
    /// The drift of every component: the projection now, and git asked about its live versions.
    public func drift(now: Date = Date()) async throws(SlipwayError) -> DriftReport {
        guard let git else {
            throw SlipwayError(.git(.notARepository(root: workspace.root.path, need: "drift compares live versions with git")))
        }
        let states = try store.projection().states
        let environments = workspace.config.environmentNames
        let branch = try await git.defaultBranch() ?? "HEAD"
        var facts = DriftFacts(branch: branch)
        for component in workspace.components {
            let path = repositoryPath(of: component)
            var previous: String?
            var live: [String] = []
            for environment in environments {
                let state = states[.init(component: component.name, environment: environment)]
                guard let version = state?.liveVersion else { continue }
                let hash = try await commit(of: component, version: version, known: state?.liveCommit)
                if let hash {
                    let key = DriftFacts.Version(component: component.name, version: version)
                    facts.commits[key] = DriftFacts.Commit(hash: hash, date: try await git.commitDate(hash))
                    live.append(hash)
                    if let ahead = previous, ahead != hash {
                        facts.spans[.init(component: component.name, behind: hash, ahead: ahead)] =
                            try await git.distance(behind: hash, ahead: ahead, path: path)
                    }
                }
                previous = hash
            }
            facts.unreleased[component.name] = ReleaseDiff.commits(
                fromLog: try await git.log(on: branch, excluding: live, path: path))
        }
        return DriftReport(
            components: workspace.components.map(\.name), environments: environments, states: states, facts: facts, now: now)
    }
}
