/// Pipeline queries: where the last successful pipeline into an environment started from.
extension Engine {
    /// The last successful pipeline run into `environment` and the commit it deployed.
    public func lastSuccessfulPipelineCommit(environment: String) throws(SlipwayError) -> (runID: String, commit: String)? {
        try store.lastSuccessfulPipelineCommit(environment: environment)
    }
}
