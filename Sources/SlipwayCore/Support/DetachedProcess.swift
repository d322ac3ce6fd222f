import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Starts a process in a session of its own that outlives its parent: the agent, the router
/// and the slots each run this way, so killing one never takes the others down.
public enum DetachedProcess {
    /// Children this process started detached, reaped by `reapExited` (never waited for).
    private static let spawned = Mutex<Set<Int32>>([])

    /// Reaps the detached children that have exited, so none stays a zombie. The agent calls it
    /// on every supervision pass; it leaves other children (git, make goals) to whoever waits for them.
    public static func reapExited() {
        spawned.withLock { pids in
            for pid in pids where waitpid(pid, nil, WNOHANG) != 0 {
                pids.remove(pid)
            }
        }
    }

    /// Spawns `arguments[0]` (a path) with `arguments`, standard input from /dev/null and
    /// standard output and error appended to `logPath`; returns its pid.
    public static func spawn(
        _ arguments: [String], environment: [String: String], logPath: String = "/dev/null"
    ) throws(SlipwayError) -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // glibc's POSIX_SPAWN_SETSID (0x80) is hidden behind _GNU_SOURCE, so Swift cannot see the name.
        let setSessionID: Int32 = 0x80
        posix_spawnattr_setflags(&attributes, Int16(setSessionID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Inherited descriptors would tie the new process to its parent's pipes and sockets:
        // Foundation's Process, for one, waits for a socket its child holds to close before it
        // sees the child exit, so a daemon keeping that socket would hang the parent's parent.
        for descriptor in inheritableDescriptors() {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw .failure("cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        spawned.withLock { _ = $0.insert(pid) }
        return pid
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

    /// Sends SIGTERM to the process group of `pid`, then SIGKILL after `grace` seconds if it is
    /// still there; answers whether it ended. It waits on the process's exit (a pidfd), not by
    /// polling; callers are the agent's synchronous operations, which must not go on before it ends.
    @discardableResult
    public static func stop(pid: Int32, grace: Double = 10) -> Bool {
        guard pid > 0 else { return true }
        let ending = ProcessExitDescriptor(pid: pid)
        defer { ending?.close() }
        // Once, to the group the process leads: a second SIGTERM means "quit at once" to Slipway's own processes.
        if kill(-pid, SIGTERM) != 0 { kill(pid, SIGTERM) }
        if ending?.wait(seconds: grace) ?? !isRunning(pid) { return true }
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        _ = ending?.wait(seconds: 1)
        return !isRunning(pid)
    }

    /// Whether `pid` is a live process (a zombie that no one reaped counts as gone).
    public static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)...].first
        return state != "Z" && state != "X"
    }

    /// The path of the running `slipway` binary, to start its hidden subcommands.
    public static var currentExecutable: String {
        executable(fromLink: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
    }

    /// A long-lived agent whose binary was rebuilt under it sees its `/proc/self/exe` end in
    /// " (deleted)": the new binary at the same path is the one to start.
    static func executable(fromLink link: String) -> String {
        let suffix = " (deleted)"
        guard link.hasSuffix(suffix) else { return link }
        let path = String(link.dropLast(suffix.count))
        return FileManager.default.isExecutableFile(atPath: path) ? path : link
    }
}
