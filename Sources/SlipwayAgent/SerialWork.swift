/// One piece of the agent's work at a time, in the order asked, without holding a thread while
/// waiting: an actor alone would let a second operation in at each `await` of the first (a
/// switch waiting on the router), and two switches of one component must never interleave.
actor SerialWork {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Waits for this caller's turn.
    func begin() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Ends the current turn; the next in line gets it.
    func end() {
        guard !waiting.isEmpty else {
            busy = false
            return
        }
        waiting.removeFirst().resume()
    }
}
