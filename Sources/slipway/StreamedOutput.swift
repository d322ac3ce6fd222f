import Foundation
import SlipwayCore
import Synchronization

/// The engine's output lines on standard output. On a terminal, a build that counts its steps
/// (`[12/40]`, `Step 3/10`, `#8 [3/7]`) and a canary's rollout get a bar with what is left kept
/// under the lines: wiped before each line and drawn again after it, until the work is done or
/// the next stage (`==> deploy:`) begins. Into a pipe or a file the lines go as they are.
final class StreamedOutput: Sendable {
    /// The process's one standard output.
    static let standard = StreamedOutput()

    private let bar = Mutex<TerminalProgress?>(nil)
    let onATerminal = isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1

    /// Shows the canary's rollout under the lines; nil takes it away.
    func show(canary rollout: WorkProgress?) {
        guard onATerminal else { return }
        bar.withLock { bar in
            guard let rollout, rollout.done < rollout.total else {
                bar?.finish()
                bar = nil
                return
            }
            if bar == nil { bar = TerminalProgress("canary", measure: .time, json: false) }
            bar?.update(done: rollout.done, total: rollout.total)
        }
    }

    func write(_ line: String) {
        bar.withLock { bar in
            bar?.suspend()
            // Standard output on a terminal is line-buffered: the line is out before the bar comes back.
            print(line)
            guard onATerminal else {
                // Into a pipe or a file, each line goes out as it comes: a CI log shows a run
                // waiting (for its turn, for approval) while it waits, not when it ends.
                fflush(nil)
                return
            }
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
