/// What the store records of the local target's processes, for `agent stop`.
extension Engine {
    /// Whether a router, a platform stand-in or a running slot is recorded on this host: an agent
    /// that was killed left them behind.
    public func hasLocalProcesses() throws(SlipwayError) -> Bool {
        if try store.process(role: "router") != nil { return true }
        if try store.processes(on: .thisHost).contains(where: \.isStandIn) { return true }
        return try store.slots(on: .thisHost).contains { $0.state == .running }
    }
}
