import Foundation
import SlipwayCore
import Synchronization

/// The engine's output lines on standard output. On a terminal, a build that counts its steps
/// (`[12/40]`, `Step 3/10`, `#8 [3/7]`) gets a bar with rate and time left kept under the lines:
/// wiped before each line and drawn again after it, until the count is done or the next stage
/// (`==> deploy:`) begins. Into a pipe or a file the lines go as they are.
final class StreamedOutput: Sendable {
    private let bar = Mutex<TerminalProgress?>(nil)
    private let onATerminal = isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1

    func write(_ line: String) {
        bar.withLock { bar in
            bar?.suspend()
            // Standard output on a terminal is line-buffered: the line is out before the bar comes back.
            print(line)
            guard onATerminal else { return }
            if line.hasPrefix("==> ") {
                bar?.finish()
                bar = nil
            }
            guard let steps = BuildSteps(line: line) else {
                bar?.resume()
                return
            }
            if bar == nil { bar = TerminalProgress("build", measure: .items("steps"), json: false) }
            bar?.update(done: Double(steps.done), total: Double(steps.total))
            if steps.done == steps.total {
                bar?.finish()
                bar = nil
            }
        }
    }
}
