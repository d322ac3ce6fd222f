/// One traffic owner per component and environment: runs that can move a pair's traffic take
/// turns in the order they asked, so a switch never lands in the middle of another run's watch.
actor TrafficTurns {
    private var holders: [String: String] = [:]
    private var waiting: [String: [(runID: String, resume: CheckedContinuation<Void, Never>)]] = [:]

    /// The run whose turn it is for `key`, if any.
    func holder(of key: String) -> String? { holders[key] }

    /// Waits until it is `runID`'s turn for `key`.
    func acquire(_ key: String, for runID: String) async {
        guard holders[key] != nil else {
            holders[key] = runID
            return
        }
        await withCheckedContinuation { continuation in
            waiting[key, default: []].append((runID, continuation))
        }
    }

    /// Ends the current turn for `key`; the next in line gets it.
    func release(_ key: String) {
        guard var queue = waiting[key], !queue.isEmpty else {
            holders[key] = nil
            return
        }
        let next = queue.removeFirst()
        waiting[key] = queue.isEmpty ? nil : queue
        holders[key] = next.runID
        next.resume.resume()
    }
}
