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
    /// and removed ones included; nil when there was no read to compare, or the store keeps no
    /// fingerprints (then every state was decoded).
    public private(set) var reread: Set<Projection.Key>?
    /// Each state's fingerprint, by its row's component and environment.
    private(set) var fingerprints: [Projection.Key: Int]

    init(projection: Projection, reread: Set<Projection.Key>?, fingerprints: [Projection.Key: Int] = [:]) {
        self.projection = projection
        self.reread = reread
        self.fingerprints = fingerprints
    }

    /// The fingerprint of a state's stored text; it lives in this process only.
    static func fingerprint(of text: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: text)
        return hasher.finalize()
    }

    /// The state a read against `self` may reuse for a row of `key` whose text has `fingerprint`.
    func state(_ key: Projection.Key, unlessChangedFrom fingerprint: Int) -> DeploymentState? {
        fingerprints[key] == fingerprint ? projection.states[key] : nil
    }
}
