/// At most a bounded number of runs of one group (the requests of one `deploy-all`) at once, in
/// the order they asked: the bound holds in the agent, so it holds after the requester is gone.
actor GroupSlots {
    private var running: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Waits until fewer than `limit` runs of `group` hold a slot, and takes one.
    func acquire(_ group: String, limit: Int) async {
        guard running[group, default: 0] >= max(limit, 1) else {
            running[group, default: 0] += 1
            return
        }
        await withCheckedContinuation { continuation in
            waiting[group, default: []].append(continuation)
        }
    }

    /// Gives a slot of `group` back; the next in line takes it over.
    func release(_ group: String) {
        guard var queue = waiting[group], !queue.isEmpty else {
            running[group] = running[group, default: 1] > 1 ? running[group, default: 1] - 1 : nil
            return
        }
        let next = queue.removeFirst()
        waiting[group] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
