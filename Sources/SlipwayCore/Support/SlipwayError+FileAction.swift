extension SlipwayError.Reason {
    /// What was tried on a file or folder, said as the verb of "cannot ...".
    public enum FileAction: String, Sendable, Equatable {
        case create, read, write, remove, open, inspect, lock
    }
}
