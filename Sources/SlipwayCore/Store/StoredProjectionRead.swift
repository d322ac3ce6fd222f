/// One read of the stored projection, with a fingerprint of each state's stored text, so the next
/// read decodes only the states whose text changed and reuses the others.
///
/// For readers that read the whole projection again and again (the console's heartbeat): the
/// stored text changes whenever an event folds into a state or another process rewrites it, and
/// decoding every state is most of a read's cost.
public struct StoredProjectionRead: Sendable {
    /// The projection as stored, every state equal to what a full decode gives.
    public private(set) var projection: Projection
    /// The deployments whose stored text differs from the read this one was made against, new
    /// and removed ones included; nil for a first read, with nothing to compare.
    public private(set) var reread: Set<Projection.Key>?
    /// Each state's fingerprint, by its row's component and environment.
    private var fingerprints: [Projection.Key: Int]

    init(projection: Projection) {
        self.projection = projection
        self.fingerprints = [:]
    }

    /// Makes a read row by row, against the read before it.
    struct Builder {
        private let previous: StoredProjectionRead?
        private var read = StoredProjectionRead(projection: Projection())
        private var reread: Set<Projection.Key> = []
        /// How many states were decoded, where none could be reused.
        private(set) var decoded = 0

        init(against previous: StoredProjectionRead?) {
            self.previous = previous
            if let count = previous?.fingerprints.count {
                read.projection.states.reserveCapacity(count)
                read.fingerprints.reserveCapacity(count)
            }
        }

        /// The row of `key` holding `text`: its state reused when the text is the one read before.
        mutating func add(_ key: Projection.Key, text: UnsafeRawBufferPointer) throws {
            var hasher = Hasher()
            hasher.combine(bytes: text)
            try add(key, fingerprint: hasher.finalize(), text: text)
        }

        /// Takes over the state of `key` read before when its text's `fingerprint` is the one seen
        /// then; false when the text must be read. For a store that fingerprints its texts itself
        /// (PostgreSQL's `md5`), so an unchanged text need not be fetched at all.
        mutating func reuse(_ key: Projection.Key, fingerprint: Int) -> Bool {
            guard let previous, previous.fingerprints[key] == fingerprint, let state = previous.projection.states[key] else {
                return false
            }
            read.fingerprints[key] = fingerprint
            read.projection.states[key] = state
            return true
        }

        /// The row of `key` holding `text`, whose fingerprint is `fingerprint`.
        mutating func add(_ key: Projection.Key, fingerprint: Int, text: UnsafeRawBufferPointer) throws {
            if reuse(key, fingerprint: fingerprint) { return }
            read.fingerprints[key] = fingerprint
            read.projection.states[key] = try DeploymentState(stored: String(decoding: text, as: UTF8.self), of: key)
            decoded += 1
            reread.insert(key)
        }

        /// The read, once every row is added.
        func finish() -> StoredProjectionRead {
            var read = read
            guard let previous else { return read }
            read.reread = reread.union(previous.fingerprints.keys.filter { read.fingerprints[$0] == nil })
            return read
        }
    }
}
