extension Engine {
    /// Where change detection starts for `environment` when no base is given: the head of its
    /// last successful pipeline run, else the merge-base with the branch that deploys to it.
    public func changeBase(environment: String) async throws(SlipwayError) -> (base: String, source: String) {
        if let last = try store.lastSuccessfulPipelineCommit(environment: environment) {
            return (last.commit, "last successful pipeline run \(last.runID)")
        }
        let branches = workspace.config.branches.filter { $0.value == environment }.keys.sorted()
        guard let git else { throw SlipwayError(.git(.notARepository(root: workspace.root.path, need: "changes need git"))) }
        for branch in branches {
            for reference in [branch, "origin/\(branch)"] {
                let found = try await GitRepository.run(["rev-parse", "--verify", "-q", "\(reference)^{commit}"], in: git.root)
                if found.status == 0 { return (reference, "merge-base with \(reference)") }
            }
        }
        throw SlipwayError(.git(.noBase(environment: environment, branches: branches)))
    }
}
