import ArgumentParser

/// slipway-bench: the foundation issue's acceptance figures, one subcommand a benchmark.
///
/// `all` runs `rebuild` as a child process of this binary so that the peak resident memory
/// (VmHWM) it reports belongs to the rebuild alone. Every file lives in a temporary folder under
/// /tmp (or --work), removed at the end. Before each timed phase `all` waits (at most --settle
/// seconds, default 60; 0 skips) for the machine to be quiet, and it prints how busy the machine
/// was (all processes, this one included) during each phase.
@main
struct SlipwayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slipway-bench",
        abstract: "The foundation issue's acceptance figures: discovery, appends, rebuild.",
        subcommands: [AllCommand.self, DiscoveryCommand.self, AppendCommand.self, GrowCommand.self, RebuildCommand.self,
                      PastCommand.self, PostgresAppendCommand.self, PostgresRebuildCommand.self,
                      PostgresRebuildOnceCommand.self, PacedAppendCommand.self],
        defaultSubcommand: AllCommand.self)
}
