import Foundation
import SlipwayCore

#if canImport(Glibc)
import Glibc
#endif

/// Ends the terminal thread's wait from another thread or a signal handler: a byte written to
/// this pipe makes its read end readable beside the terminal's input (`InputWait`). Both ends
/// are non-blocking, so a full pipe (which already says "wake up") never stalls a writer.
final class WakePipe: Sendable {
    /// The end the terminal thread polls.
    let readDescriptor: Int32
    /// The end `wake` writes to; a signal handler writes to it directly.
    let writeDescriptor: Int32

    init() throws(SlipwayError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw .failure("the console cannot make its wake pipe: \(String(cString: strerror(errno)))")
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readDescriptor = ends[0]
        writeDescriptor = ends[1]
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    func wake() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Reads every byte written so far, so the next wait sleeps until the next `wake`.
    func drain() {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &buffer, { read(readDescriptor, $0.baseAddress, $0.count) }) > 0 {}
    }
}
