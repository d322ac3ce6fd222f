import Foundation

/// The fleet's hosts: each agent with its router and slots, sharing the store.
extension Engine {
    /// Every host known at `now`: those whose agent recorded a heartbeat and those a slot or route names.
    public func hosts(at now: Date) throws(SlipwayError) -> [HostSummary] {
        HostSummary.summaries(hosts: try store.hosts(), routes: try store.routes(), slots: try store.slots(), now: now)
    }
}
