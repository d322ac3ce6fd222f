/// Holds the requests that reach a starting agent until the runs the agent before it left behind
/// have taken their turns: a new request must never take a component's turn ahead of such a run,
/// whose deploy lock it would then find held (the socket answers before the takeover is done).
actor StartupGate {
    /// The left-behind requests still to take their turn; nil until they are known.
    private var pending: Set<String>?
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// The left-behind requests the agent takes over at its start.
    func expect(_ requestIDs: Set<String>) {
        pending = requestIDs
        openIfDone()
    }

    /// `requestID` has its turn (or will never need one).
    func passed(_ requestID: String) {
        pending?.remove(requestID)
        openIfDone()
    }

    /// Waits until every left-behind request has its turn.
    func wait() async {
        if pending?.isEmpty == true { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func openIfDone() {
        guard pending?.isEmpty == true else { return }
        let opened = waiting
        waiting = []
        opened.forEach { $0.resume() }
    }
}
