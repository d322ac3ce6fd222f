import SlipwayCore
import Testing

/// Issue 16 item 15: a build's progress is its own count of steps, read from its output.
@Suite struct BuildStepsTests {
    @Test(arguments: [
        ("[12/40] Compiling SlipwayCore Engine.swift", BuildSteps(done: 12, total: 40)),
        ("  [3/3] Linking slipway", BuildSteps(done: 3, total: 3)),
        ("Step 3/10 : RUN npm ci", BuildSteps(done: 3, total: 10)),
        ("#8 [builder 3/7] RUN swift build -c release", BuildSteps(done: 3, total: 7)),
        ("#11 [2/5] COPY package.json .", BuildSteps(done: 2, total: 5)),
    ])
    func countsAreReadFromTheToolsOwnLines(line: String, steps: BuildSteps) {
        #expect(BuildSteps(line: line) == steps)
    }

    @Test(arguments: [
        "#1 [internal] load build definition from Dockerfile",
        "[INFO] Building accounts 1.0",
        "[7/0] nothing to divide by",
        "[9/4] more done than there is",
        "Step three/ten",
        "compiled 3/4 files",
        "",
    ])
    func linesWithoutACountGiveNone(line: String) {
        #expect(BuildSteps(line: line) == nil)
    }

    @Test func theNewestCountWins() {
        let lines = ["[1/4] a", "[2/4] b", "warning: something", "Building for debugging..."]
        #expect(BuildSteps.latest(in: lines) == BuildSteps(done: 2, total: 4))
        #expect(BuildSteps.latest(in: ["no counts", "here"]) == nil)
    }
}
