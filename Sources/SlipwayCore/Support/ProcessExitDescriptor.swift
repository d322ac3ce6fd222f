import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A process's exit as a descriptor to wait on (Linux's pidfd): readable once the process has
/// ended, whether or not it is our child and whether or not it was reaped.
struct ProcessExitDescriptor {
    private let descriptor: Int32

    /// glibc 2.36 has `pidfd_open`, but Swift's Glibc module does not import <sys/pidfd.h> and
    /// cannot call the variadic `syscall`: the symbol is looked up once.
    private static let pidfdOpen: (@convention(c) (pid_t, UInt32) -> Int32)? = {
        guard let symbol = dlsym(nil, "pidfd_open") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (pid_t, UInt32) -> Int32).self)
    }()

    /// Nil when the process is already gone, or the kernel has no pidfds (before Linux 5.3; `stop`
    /// then gives no grace).
    init?(pid: Int32) {
        guard let open = Self.pidfdOpen else { return nil }
        let descriptor = open(pid, 0)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    /// Whether the process ended within `seconds`.
    func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let remaining = max(0, Int32(deadline.timeIntervalSinceNow * 1000))
            let ready = poll(&poller, 1, remaining)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}
