/// Release queries: the tags of a component in an environment and which one is live.
extension Engine {
    /// The release tags of `component` in `environment`, newest first, one per version (no projection read).
    public func releaseTags(of component: String, in environment: String) throws(SlipwayError) -> [ReleaseTag] {
        try store.releases(component: component, environment: environment)
    }

    /// The release tags and the live version (one projection read).
    public func releaseHistory(of component: String, in environment: String) throws(SlipwayError) -> ReleaseHistory {
        let live = try deploymentState(of: component, in: environment)?.liveVersion
        return ReleaseHistory(tags: try releaseTags(of: component, in: environment), liveVersion: live)
    }
}
