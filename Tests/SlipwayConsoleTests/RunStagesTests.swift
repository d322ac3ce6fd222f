import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// The runs screen's stage pane: the selected run's stages with state and duration, and a
/// pipeline's jobs under each stage, as the watcher reads them from the run's events.
@Suite struct RunStagesTests {
    static let now = Fixtures.now
    static let deployID = "r20261129093000-0003"
    static let pipelineID = "r20261129093100-0004"

    static func event(
        _ id: Int64, _ kind: EventKind, run: String, at seconds: Double, component: String? = "billing",
        _ details: EventDetails
    ) -> Event {
        let payload = String(decoding: try! JSONEncoder().encode(details), as: UTF8.self)
        return Event(
            id: id, time: now - seconds, actor: "ana", kind: kind.rawValue, schemaVersion: 1,
            component: component, environment: "staging", runID: run, payload: payload)
    }

    /// billing's deploy to staging: built, deployed, in its health check for 3 s.
    static let deployEvents: [Event] = [
        event(1, .runStarted, run: deployID, at: 12, EventDetails(runKind: .deploy, version: "3f9a2c1b7d4e")),
        event(2, .stageStarted, run: deployID, at: 12, EventDetails(runKind: .deploy, stage: "build")),
        event(3, .stageFinished, run: deployID, at: 10, EventDetails(runKind: .deploy, stage: "build", outcome: "succeeded", seconds: 1.5)),
        event(4, .stageStarted, run: deployID, at: 10, EventDetails(runKind: .deploy, stage: "deploy")),
        event(5, .stageFinished, run: deployID, at: 3, EventDetails(runKind: .deploy, stage: "deploy", outcome: "succeeded", seconds: 7)),
        event(6, .stageStarted, run: deployID, at: 3, EventDetails(runKind: .deploy, stage: "health-check")),
    ]

    /// A pipeline: web and billing changed, web passed its gates, billing failed them, web deploys.
    static let pipelineEvents: [Event] = {
        func job(_ id: Int64, _ kind: EventKind, _ component: String, at seconds: Double, stage: String, outcome: String? = nil, reason: String? = nil) -> Event {
            event(id, kind, run: pipelineID, at: seconds, component: component, EventDetails(stage: stage, outcome: outcome, reason: reason))
        }
        func stage(_ id: Int64, _ kind: EventKind, _ name: String, at seconds: Double, outcome: String? = nil, took: Double? = nil) -> Event {
            event(id, kind, run: pipelineID, at: seconds, component: nil, EventDetails(runKind: .pipeline, stage: name, outcome: outcome, seconds: took))
        }
        return [
            stage(1, .stageStarted, "detect-changes", at: 60),
            job(2, .jobFinished, "web", at: 59, stage: "detect-changes", outcome: "changed", reason: "files"),
            job(3, .jobFinished, "billing", at: 59, stage: "detect-changes", outcome: "changed", reason: "dependency"),
            stage(4, .stageFinished, "detect-changes", at: 59, outcome: "succeeded", took: 0.8),
            stage(5, .stageStarted, "quality-gates", at: 59),
            job(6, .jobStarted, "web", at: 59, stage: "quality-gates"),
            job(7, .jobStarted, "billing", at: 59, stage: "quality-gates"),
            job(8, .jobFinished, "web", at: 40, stage: "quality-gates", outcome: "succeeded", reason: "tests succeeded; gate passed"),
            job(9, .jobFinished, "billing", at: 30, stage: "quality-gates", outcome: "failed", reason: "coverage on new code 41% < 80%"),
            stage(10, .stageFinished, "quality-gates", at: 30, outcome: "failed", took: 29),
            stage(11, .stageStarted, "deploy-apps", at: 30),
            job(12, .jobFinished, "billing", at: 30, stage: "deploy-apps", outcome: "skipped", reason: "its quality gates failed"),
            job(13, .jobStarted, "web", at: 30, stage: "deploy-apps"),
        ]
    }()

    static var runs: [RunRecord] {
        [Fixtures.run(pipelineID, kind: .pipeline, component: "-", state: .running, startedAt: now - 60)] + Fixtures.runs
    }

    static func state(
        size: TerminalSize = TerminalSize(rows: 24, columns: 80), symbols: SymbolSet = .unicode, keys: [ConsoleKey] = []
    ) -> ConsoleState {
        Fixtures.pressing([.character("2")] + keys, in: Fixtures.state(runs: runs, size: size, symbols: symbols))
    }

    static func loaded(_ state: ConsoleState, _ runID: String, _ events: [Event]) -> ConsoleState {
        Console.update(state, .runEventsLoaded(runID: runID, events)).0
    }

    @Test func theRunsScreenAsksForTheSelectedRunsEvents() {
        #expect(Self.state().focus.run == Self.pipelineID)
        #expect(Self.state(keys: [.character("j")]).focus.run == Self.deployID)
        #expect(Fixtures.state().focus.run == nil, "only the runs screen reads a run's events")
    }

    @Test func foldsStagesWithTheirStateAndDuration() {
        let stages = RunStages(runID: Self.deployID, events: Self.deployEvents).stages
        #expect(stages.map(\.name) == ["build", "deploy", "health-check"])
        #expect(stages.map(\.progress) == [.finished("succeeded"), .finished("succeeded"), .running])
        #expect(stages.map(\.seconds) == [1.5, 7, nil])
    }

    @Test func foldsAPipelinesJobsUnderTheirStage() throws {
        let stages = RunStages(runID: Self.pipelineID, events: Self.pipelineEvents).stages
        #expect(stages.map(\.name) == ["detect-changes", "quality-gates", "deploy-apps"])
        let gates = stages[1].jobs
        #expect(gates.map(\.component) == ["web", "billing"])
        #expect(gates.map(\.progress) == [.finished("succeeded"), .finished("failed")])
        #expect(gates.map(\.seconds) == [19, 29])
        #expect(gates[1].reason == "coverage on new code 41% < 80%")
        #expect(stages[2].jobs.map(\.component) == ["billing", "web"])
        #expect(stages[2].jobs.map(\.progress) == [.finished("skipped"), .running])
    }

    static let sizes = [TerminalSize(rows: 24, columns: 80), TerminalSize(rows: 60, columns: 200)]
    static let cases: [(TerminalSize, SymbolSet)] = sizes.flatMap { size in [SymbolSet.unicode, .ascii].map { (size, $0) } }

    @Test(arguments: cases)
    func drawsADeploysStagesLive(size: TerminalSize, symbols: SymbolSet) throws {
        let state = Self.loaded(Self.state(size: size, symbols: symbols, keys: [.character("j")]), Self.deployID, Self.deployEvents)
        let frame = Console.render(state)
        #expect(frame.text.contains("STAGES of \(Self.deployID): deploy billing 3f9a2c1b7d4e -> staging, running"), "\(frame.text)")
        let done = symbols == .unicode ? "✓" : "+"
        let running = symbols == .unicode ? "⟳" : "*"
        let build = try #require(frame.line(containing: "build "))
        #expect(build.text.split(separator: " ") == [Substring(done), "build", "succeeded", "1.5s"], "\(build.text)")
        let health = try #require(frame.line(containing: "health-check"))
        #expect(health.text.split(separator: " ") == [Substring(running), "health-check", "running", "3.0s"], "\(health.text)")
        let stagesRow = try #require(frame.line(containing: "STAGES of")).row
        #expect(frame.reverseRows.allSatisfy { $0 < stagesRow }, "the selection stays in the list above the stages")
        // A second later the running stage's duration has moved on, without a new read.
        let later = Console.render(Console.update(state, .tick(Self.now + 1)).0)
        #expect(later.line(containing: "health-check")?.text.contains("4.0s") == true)
        if symbols == .ascii {
            let ascii = frame.text.allSatisfy { $0.isASCII }
            #expect(ascii, "\(frame.text)")
        }
    }

    @Test(arguments: cases)
    func drawsAPipelinesStagesAndJobs(size: TerminalSize, symbols: SymbolSet) throws {
        let state = Self.loaded(Self.state(size: size, symbols: symbols), Self.pipelineID, Self.pipelineEvents)
        let lines = Console.render(state).lines
        let stages = ["detect-changes", "quality-gates", "deploy-apps"].compactMap { name in
            lines.firstIndex { $0.contains(name) && !$0.contains("STAGES") }
        }
        #expect(stages.count == 3 && stages == stages.sorted(), "\(lines.joined(separator: "\n"))")
        func job(_ component: String, after stage: Int) -> String? {
            lines[stage...].first { $0.trimmingCharacters(in: .whitespaces).dropFirst(2).hasPrefix(component) }
        }
        let failed = try #require(job("billing", after: stages[1]))
        #expect(failed.contains("failed") && failed.contains("29.0s") && failed.contains("coverage on new code"), "\(failed)")
        #expect(job("web", after: stages[1])?.contains("succeeded") == true)
        #expect(job("billing", after: stages[2])?.contains("skipped") == true)
        let deploying = try #require(job("web", after: stages[2]))
        #expect(deploying.contains("running") && deploying.contains("30.0s"), "\(deploying)")
        if symbols == .ascii {
            let ascii = lines.joined().allSatisfy { $0.isASCII }
            #expect(ascii)
        }
    }

    @Test func keepsTheNewestLinesWhenTheyDoNotFit() throws {
        var events = Self.pipelineEvents
        for index in 0..<30 {
            events.append(Self.event(
                Int64(100 + index), .jobFinished, run: Self.pipelineID, at: 5, component: "service-\(index)",
                EventDetails(stage: "deploy-apps", outcome: "succeeded")))
        }
        let frame = Console.render(Self.loaded(Self.state(), Self.pipelineID, events))
        #expect(frame.text.contains("earlier lines"))
        #expect(frame.text.contains("service-29"), "the newest job shows")
        #expect(frame.lines[frame.rows - 3].contains("service-29"), "the pane ends above the status line")
    }

    @Test func showsLoadingUntilTheSelectedRunsEventsArrive() {
        let state = Self.loaded(Self.state(keys: [.character("j")]), Self.pipelineID, Self.pipelineEvents)
        let text = Console.render(state).text
        #expect(text.contains("STAGES of \(Self.deployID)") && text.contains("loading"))
        #expect(!text.contains("quality-gates"))
    }

    @Test func theListKeepsATopPartOfTheScreen() {
        let state = Self.state()
        #expect(state.pageSize == 4, "every run shows: four of them")
        var many = Self.runs
        for index in 0..<40 { many.append(Fixtures.run("r-old-\(index)", startedAt: Self.now - 5000)) }
        let crowded = Fixtures.pressing([.character("2")], in: Fixtures.state(runs: many, size: TerminalSize(rows: 24, columns: 80)))
        #expect(crowded.pageSize == 6, "a third of the 19 body rows")
        let paged = Fixtures.pressing([.pageDown], in: crowded)
        #expect(paged.selection == 6)
        let frame = Console.render(paged)
        #expect(frame.reverseRows.count == 1)
        #expect(frame.text.contains("STAGES of \(many[6].id)"))
    }
}
