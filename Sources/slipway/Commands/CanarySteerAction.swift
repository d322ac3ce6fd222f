import SlipwayCore

/// Which steering command a `CanarySteer` is: one marker type for each, since every subcommand is a type of its own.
protocol CanarySteerAction {
    static var kind: SlipwayCore.CanaryCommand.Kind { get }
}

enum PromoteCanary: CanarySteerAction { static let kind = SlipwayCore.CanaryCommand.Kind.promote }
enum PauseCanary: CanarySteerAction { static let kind = SlipwayCore.CanaryCommand.Kind.pause }
enum ResumeCanary: CanarySteerAction { static let kind = SlipwayCore.CanaryCommand.Kind.resume }
enum AbortCanary: CanarySteerAction { static let kind = SlipwayCore.CanaryCommand.Kind.abort }
