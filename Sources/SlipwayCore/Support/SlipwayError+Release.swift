extension SlipwayError.Reason {
    /// Why a release is not deployed, rolled back or promoted, or a pipeline stage failed.
    public enum ReleaseProblem: Sendable, Equatable {
        /// `text` is not a version Slipway accepts (letters, digits, `.`, `_`, `-`, `+`).
        case invalidVersion(String)
        /// `version` is neither a release nor a commit in git.
        case unknownVersion(String, component: String)
        /// `version` of `component` is live in `environment` already; `forceHint` says `--force` redeploys it.
        case alreadyLive(component: String, version: String, environment: String, forceHint: Bool)
        case noEarlierRelease(component: String, environment: String)
        /// No release `version`; `known` are the releases there are.
        case unknownRelease(String, component: String, environment: String, known: [String])
        /// No kept release of `version` and it cannot be rebuilt: built from uncommitted changes (`dirty`), or no recorded commit.
        case cannotRebuild(version: String, dirty: Bool)
        /// A host's checkout gives `checkout`, and the deploy's `version` cannot be built there:
        /// uncommitted changes on the asking host (`dirty`), or a commit this host's repository
        /// does not have even after fetching.
        case notOnThisHost(component: String, version: String, checkout: String, dirty: Bool)
        case nothingToPromote(component: String, environment: String)
        /// The live version failed its last deploy in `environment`.
        case failedIn(component: String, version: String, environment: String, runID: String)
        /// The live version is unhealthy, or was never health-checked (`checked` false).
        case notHealthyIn(component: String, version: String, environment: String, checked: Bool)
        /// The working tree holds another version and no commit is recorded for `version`.
        case noCommitToPromote(version: String)
        /// The `environment` checklist items in `failed` failed for a promotion.
        case checklistFailed(component: String, version: String, environment: String, failed: String)
        /// `failed` of `total` components failed a pipeline stage.
        case componentsFailed(Int, of: Int, Stage)
        case deploysFailed([String])
        /// Components unhealthy after a deploy; `notRolledBack` are those whose rollback failed too.
        case unhealthyAfterDeploy([String], notRolledBack: [String])

        /// The pipeline stage whose components failed, said as what they failed.
        public enum Stage: String, Sendable, Equatable {
            case tests = "their tests or gates"
            case migrations = "their migrations"
        }

        var category: SlipwayError.Category {
            switch self {
            case .invalidVersion, .unknownVersion, .unknownRelease: .usage
            case .alreadyLive: .usage
            default: .failure
            }
        }

        var line: String {
            switch self {
            case .invalidVersion(let text):
                "invalid version '\(text)': use letters, digits, '.', '_', '-' or '+' (no '/', '..' or spaces)"
            case .unknownVersion(let version, let component):
                "version '\(version)' of \(component) is neither a release nor a commit in git"
            case .alreadyLive(let component, let version, let environment, let forceHint):
                "\(component) \(version) is already live in \(environment)\(forceHint ? "; use --force to redeploy it" : "")"
            case .noEarlierRelease(let component, let environment):
                "\(component) has no earlier release in \(environment) to roll back to"
            case .unknownRelease(let version, let component, let environment, let known):
                "no release '\(version)' of \(component) in \(environment) (releases: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
            case .cannotRebuild(let version, true):
                "cannot roll back to \(version): it was built from uncommitted changes and no kept release of it exists, so it cannot be rebuilt"
            case .cannotRebuild(let version, false):
                "cannot roll back to \(version): no kept release and no recorded commit to rebuild it from"
            case .notOnThisHost(let component, let version, let checkout, true):
                "this host's checkout gives \(component) version \(checkout), the deploy is \(version), built from uncommitted changes: "
                    + "commit them and deploy again"
            case .notOnThisHost(let component, let version, let checkout, false):
                "this host's checkout gives \(component) version \(checkout), and its repository has no commit \(version) even after "
                    + "git fetch: push the deploy's commit where this host fetches from"
            case .nothingToPromote(let component, let environment):
                "\(component) has no release live in \(environment) to promote"
            case .failedIn(let component, let version, let environment, let runID):
                "\(component) \(version) failed in \(environment) (run \(runID)): not promoting it"
            case .notHealthyIn(let component, let version, let environment, let checked):
                "\(component) \(version) \(checked ? "is unhealthy" : "was never health-checked") in \(environment): not promoting it "
                    + "(run 'slipway health-check-all --env \(environment)')"
            case .noCommitToPromote(let version):
                "cannot promote \(version): the working tree holds another version and no commit is recorded for it"
            case .checklistFailed(let component, let version, let environment, let failed):
                "not promoting \(component) \(version): the \(environment) checklist failed (\(failed)); fix it, or --override-gates --reason TEXT"
            case .componentsFailed(let failed, let total, let stage):
                "\(failed) of \(total) components failed \(stage.rawValue)"
            case .deploysFailed(let components):
                "\(components.count) components failed to deploy: \(components.joined(separator: ", "))"
            case .unhealthyAfterDeploy(let unhealthy, let notRolledBack):
                "unhealthy after deploy: \(unhealthy.joined(separator: ", ")); "
                    + (notRolledBack.isEmpty ? "rolled back" : "not rolled back: \(notRolledBack.joined(separator: ", "))")
            }
        }
    }
}
