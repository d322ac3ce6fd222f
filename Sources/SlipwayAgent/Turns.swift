/// Runs taking turns per key in the order they asked, at most `limit` at a time: one traffic
/// owner per component and environment (a limit of 1), so a switch never lands in the middle of
/// another run's watch, and at most `parallelism` runs of one `deploy-all` group. Kept in the
/// agent, so the bounds hold after the requesters are gone.
actor Turns {
    private var holders: [String: [String]] = [:]
    private var waiting: [String: [(runID: String, resume: CheckedContinuation<Void, Never>)]] = [:]

    /// The runs whose turn it is for `key`, oldest first.
    func holders(of key: String) -> [String] { holders[key] ?? [] }

    /// Waits until fewer than `limit` runs hold `key`, and takes a turn for `runID`.
    func acquire(_ key: String, for runID: String, limit: Int = 1) async {
        guard holders[key, default: []].count >= max(limit, 1) else {
            holders[key, default: []].append(runID)
            return
        }
        await withCheckedContinuation { continuation in
            waiting[key, default: []].append((runID, continuation))
        }
    }

    /// Ends `runID`'s turn for `key`; the next in line takes it over.
    func release(_ key: String, by runID: String) {
        holders[key]?.removeAll { $0 == runID }
        if var queue = waiting[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[key] = queue.isEmpty ? nil : queue
            holders[key, default: []].append(next.runID)
            next.resume.resume()
        }
        if holders[key]?.isEmpty == true { holders[key] = nil }
    }
}
