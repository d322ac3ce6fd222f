import Foundation

/// A program a test starts with posix_spawn and waits for with a waitpid on that one child,
/// its output in files: Foundation's Process can miss an exit once swift-subprocess (which the
/// engine uses) has installed its SIGCHLD handler in the same test process, and a pipe could be
/// held open by a daemon the program starts (an agent, a server).
public enum ChildProgram {
    /// A finished program's exit status (128 + the signal when one ended it) and output.
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        /// Standard error, or empty when it went with the output.
        public var errors: String
    }

    /// Starts `path` with `arguments`: standard input from /dev/null, standard output to `output`,
    /// standard error to `errors` or with the output when nil; the environment is this process's
    /// when nil. Answers the pid, for `wait(for:)`.
    public static func spawn(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, output: URL, errors: URL? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let errors {
            posix_spawn_file_actions_addopen(&actions, 2, errors.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        // The test process' other pipes (another test's Process) must not be held open by a
        // long-lived child, or their readers would wait for it.
        for descriptor in inheritableDescriptors() {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = if var envp {
            posix_spawn(&pid, path, &actions, nil, argv, &envp)
        } else {
            posix_spawn(&pid, path, &actions, nil, argv, environ)
        }
        guard spawned == 0 else {
            throw ExternalTool.Missing(description: "cannot start \(path): \(String(cString: strerror(spawned)))")
        }
        return pid
    }

    /// Waits for the child `pid` to end; answers its exit status, or 128 + the signal that ended it.
    @discardableResult
    public static func wait(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Runs `path` to its end (see `spawn`).
    public static func run(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, separateErrors: Bool = false
    ) throws -> Result {
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-child-\(UUID().uuidString)")
        let output = stem.appendingPathExtension("out")
        let errors = separateErrors ? stem.appendingPathExtension("err") : nil
        defer {
            try? FileManager.default.removeItem(at: output)
            if let errors { try? FileManager.default.removeItem(at: errors) }
        }
        let status = wait(for: try spawn(path, arguments, environment: environment, output: output, errors: errors))
        return Result(
            status: status, output: (try? String(contentsOf: output, encoding: .utf8)) ?? "",
            errors: errors.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? "")
    }

    /// Open descriptors above standard error that an exec would keep (no close-on-exec flag).
    private static func inheritableDescriptors() -> [Int32] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return [] }
        return names.compactMap(Int32.init).filter { descriptor in
            guard descriptor > 2 else { return false }
            let flags = fcntl(descriptor, F_GETFD)
            return flags >= 0 && flags & FD_CLOEXEC == 0
        }
    }
}
