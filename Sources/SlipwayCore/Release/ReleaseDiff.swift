/// What changes in a component between the release live in an environment and another version:
/// the commits touching its folder, the files changed under it and the migrations added.
public struct ReleaseDiff: Sendable, Equatable, Codable {
    public struct Commit: Sendable, Equatable, Codable {
        /// Abbreviated.
        public var hash: String
        public var subject: String
        public var author: String

        public init(hash: String, subject: String, author: String) {
            self.hash = hash
            self.subject = subject
            self.author = author
        }
    }

    public var component: String
    public var environment: String
    /// The live version; nil when nothing is live there yet.
    public var fromVersion: String?
    public var fromCommit: String?
    public var toVersion: String
    public var toCommit: String
    /// Newest first: the commits that come with `toVersion`, or that go away when it is older
    /// than the live one (`isRollback`).
    public var commits: [Commit]
    public var isRollback: Bool
    /// Paths relative to the repository.
    public var files: [String]
    /// Files added under the component's migrations folder.
    public var migrations: [String]

    public init(
        component: String, environment: String, fromVersion: String?, fromCommit: String?, toVersion: String,
        toCommit: String, commits: [Commit], isRollback: Bool, files: [String], migrations: [String]
    ) {
        self.component = component
        self.environment = environment
        self.fromVersion = fromVersion
        self.fromCommit = fromCommit
        self.toVersion = toVersion
        self.toCommit = toCommit
        self.commits = commits
        self.isRollback = isRollback
        self.files = files
        self.migrations = migrations
    }

    enum CodingKeys: String, CodingKey {
        case component, environment, commits, files, migrations
        case fromVersion = "from_version", fromCommit = "from_commit", toVersion = "to_version", toCommit = "to_commit"
        case isRollback = "is_rollback"
    }

    /// `3 commits, 5 files, 1 migration`; for an older version `back 3 commits, 5 files`.
    public var summary: String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        guard fromCommit != toCommit else { return "no change: \(toVersion) is the live version" }
        let commits = (isRollback ? "back " : "") + count(self.commits.count, "commit")
        return [commits, count(files.count, "file"), migrations.isEmpty ? nil : count(migrations.count, "migration")]
            .compactMap(\.self).joined(separator: ", ")
    }

    /// Commits from `git log --format=%h%x1f%s%x1f%an`.
    public static func commits(fromLog log: String) -> [Commit] {
        log.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\u{1f}", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { return nil }
            return Commit(hash: fields[0], subject: fields[1], author: fields[2])
        }
    }

    /// The changed files and the added migrations, from `git diff --name-status --no-renames`:
    /// a migration is a file added under `migrationsFolder` (relative to the repository).
    public static func files(
        fromNameStatus output: String, migrationsFolder: String?
    ) -> (files: [String], migrations: [String]) {
        var files: [String] = []
        var migrations: [String] = []
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            guard let status = fields.first, let path = fields.last, fields.count >= 2 else { continue }
            files.append(path)
            if status == "A", let folder = migrationsFolder, path.hasPrefix(folder + "/") { migrations.append(path) }
        }
        return (files, migrations)
    }
}
