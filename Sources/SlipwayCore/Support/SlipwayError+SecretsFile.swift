extension SlipwayError.Reason {
    /// Why an environment's secrets file is not read: absent, or where others could read it.
    public enum SecretsFileProblem: Sendable, Equatable {
        /// The file does not exist in the workspace at `root`.
        case missing(root: String)
        /// Group or others may read the file; `mode` is its permission bits.
        case readableByOthers(mode: UInt32)
        /// git would commit the file.
        case notIgnored

        func line(path: String, environment: String) -> String {
            switch self {
            case .missing(let root):
                "the secrets of \(environment) come from \(path), which does not exist in \(root)"
            case .readableByOthers(let mode):
                "\(path) holds the secrets of \(environment) and others may read it (mode \(String(mode & 0o777, radix: 8))): "
                    + "run 'chmod 600 \(path)'"
            case .notIgnored:
                "\(path) holds the secrets of \(environment) and git does not ignore it: add it to .gitignore, so it is never committed"
            }
        }
    }
}
