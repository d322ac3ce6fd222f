import Foundation
import SlipwayCore
import Testing

/// Stopping a detached process waits for its exit (a pidfd), gives it its grace, and kills it
/// when it ignores SIGTERM.
@Suite struct DetachedProcessStopTests {
    @Test func aProcessIsGivenItsGraceToQuit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // On SIGTERM it takes a moment to clean up, and says it did.
        let pid = try DetachedProcess.spawn(
            ["/bin/sh", "-c", "trap 'sleep 0.3; touch \(folder.path)/cleaned; exit 0' TERM; touch \(folder.path)/ready; while :; do sleep 1; done"],
            environment: ["PATH": "/usr/bin:/bin"])
        defer { DetachedProcess.reapExited() }
        let ready = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("ready").path), Date() < ready {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(DetachedProcess.stop(pid: pid, grace: 20))
        #expect(!DetachedProcess.isRunning(pid))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("cleaned").path), "it was killed before its grace was over")
    }

    @Test func aProcessThatIgnoresSIGTERMIsKilledAfterItsGrace() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-stop-\(UUID().uuidString)").path
        // It says when its trap is set, so SIGTERM cannot come before.
        let pid = try DetachedProcess.spawn(
            ["/bin/sh", "-c", "trap '' TERM; touch \(marker); while :; do sleep 1; done"], environment: ["PATH": "/usr/bin:/bin"])
        defer {
            DetachedProcess.reapExited()
            try? FileManager.default.removeItem(atPath: marker)
        }
        let ready = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: marker), Date() < ready { Thread.sleep(forTimeInterval: 0.05) }
        #expect(DetachedProcess.isRunning(pid))
        #expect(DetachedProcess.stop(pid: pid, grace: 0.5))
        #expect(!DetachedProcess.isRunning(pid))
    }

    @Test func aProcessAlreadyGoneIsStopped() throws {
        let pid = try DetachedProcess.spawn(["/bin/true"], environment: [:])
        let gone = Date().addingTimeInterval(20)
        while DetachedProcess.isRunning(pid), Date() < gone { Thread.sleep(forTimeInterval: 0.05) }
        DetachedProcess.reapExited()
        #expect(DetachedProcess.stop(pid: pid, grace: 5))
    }
}
