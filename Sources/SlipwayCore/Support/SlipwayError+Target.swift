extension SlipwayError.Reason {
    /// A thing a cloud target moves traffic on, named as its errors name it.
    public enum CloudObject: Sendable, Equatable {
        /// A Cloudflare Worker's script.
        case worker(script: String)
        case pagesProject(String)
        case lambdaAlias(String, function: String)
        case dnsRecord(String)
        /// The AWS load balancer listener in front of an ECS service's two colours.
        case listener
    }

    /// What a deploy target cannot do, lacks, or found after writing; `component` is the
    /// component's path unless said otherwise.
    public enum TargetProblem: Sendable, Equatable {
        /// The component deploys to `target` with neither its settings block for `environment` nor a deploy goal.
        case noSettings(component: String, target: String, environment: String, block: String, keys: [String])
        /// The settings block lacks keys the target needs (`cloudflare.script`).
        case settingsMissing(component: String, target: String, settings: [String])
        /// The target moves traffic between versions of `object`, not between colours.
        case noColors(component: String, object: CloudObject, name: String, environment: String)
        /// Neither a Makefile deploy goal nor a target Slipway runs (`hasMakefile` false: no Makefile at all).
        case noDeployMethod(component: String, hasMakefile: Bool, target: String)
        /// The component's Makefile lacks `goal`.
        case noGoal(component: String, goal: String)
        /// A make target with neither a switch-traffic goal nor a local run.
        case noTrafficSwitch(component: String)
        /// What the build goal makes (`kind`: module, package, folder) is not at `path`.
        case buildOutputMissing(kind: String, path: String, setting: String, action: String)
        /// The build output folder is there and empty.
        case buildOutputEmpty(path: String, setting: String)
        /// `make build` exited non-zero before an upload.
        case buildFailed(status: Int32)
        /// `version` of a Worker or function is not uploaded (`published` for Lambda) yet.
        case versionMissing(version: String, of: String, published: Bool)
        /// There is nothing live to compare a canary with.
        case noStableVersion(CloudObject)
        /// Nothing is known good to put traffic back on, after a run died having moved it.
        case noGoodRelease(component: String, environment: String)
        /// What was written is not there when read back.
        case goneAfterWriting(CloudObject)
        /// The platform reads back `found` after Slipway wrote `wrote`.
        case readBackDiffers(CloudObject, found: String, wrote: String)
        /// The local slot of `color` is not running (to switch traffic to, when `toSwitchTo`); `component` is its name.
        case slotNotRunning(component: String, color: SlotColor, environment: String, toSwitchTo: Bool)
        case noRoute(component: String, environment: String)
        case routerNotRunning
        /// The Cloudflare token sees no zone named so.
        case noZone(String)
        case noDNSRecord(zone: String, record: String)
        /// A pre-promotion check command exited non-zero.
        case checkFailed(command: String, status: Int32)
        /// The canary of `version` went back to stable, for `reason`.
        case canaryRolledBack(version: String, reason: String)
        /// The agent running a canary died; `stable` has the traffic again.
        case canaryAbandoned(stable: SlotColor)
        /// Post-promotion checks failed (`watched`) or nobody watched the window; traffic went back to `switchedBackTo`.
        case postPromotionFailed(watched: Bool, switchedBackTo: SlotColor?)
        /// Fewer hosts than `min_healthy` have the release healthy: no traffic moved. `problems`
        /// says of each other host what went wrong, one line each.
        case tooFewHealthyHosts(healthy: Int, of: Int, needed: Int, problems: [String])
        /// Fewer hosts than `min_healthy` took the traffic; the hosts of `switchedBack` that did
        /// were given their previous colour again.
        case tooFewSwitchedHosts(switched: Int, of: Int, needed: Int, switchedBack: [String], problems: [String])

        var category: SlipwayError.Category {
            switch self {
            case .noSettings, .settingsMissing, .noColors, .noTrafficSwitch, .noDeployMethod, .noGoal: .usage
            default: .failure
            }
        }

        var line: String {
            let rollback = { (name: String, environment: String) in "use slipway rollback \(name) --env \(environment) [--to VERSION]" }
            switch self {
            case .noSettings(let component, let target, let environment, let block, let keys):
                let article = block.first.map { "aeiou".contains($0) } == true ? "an" : "a"
                return "\(component) deploys to \(target) but has neither \(article) \(block): block in its slipway.yml for \(environment) "
                    + "(\(keys.joined(separator: ", ")); see deploy/slipway.reference.yml) nor a 'deploy' goal in its Makefile"
            case .settingsMissing(let component, let target, let settings):
                return "\(component): \(target) needs \(settings.joined(separator: ", "))"
            case .noColors(let component, .worker(let script), let name, let environment):
                return "\(component) deploys versions of Worker \(script), not colours: \(rollback(name, environment))"
            case .noColors(let component, .pagesProject(let project), let name, let environment):
                return "\(component) deploys to Pages project \(project), whose production is one deployment, not a colour: "
                    + rollback(name, environment)
            case .noColors(let component, let object, let name, let environment):
                return "\(component) moves \(object.name) between published versions, not colours: \(rollback(name, environment))"
            case .noDeployMethod(let component, let hasMakefile, let target):
                return "\(component) \(hasMakefile ? "has no 'deploy' goal in its Makefile" : "has no Makefile") and target '\(target)' is not run by Slipway: "
                    + "add a Makefile with a 'deploy' goal (start from deploy/app-template.mk), "
                    + "or set DEPLOYMENT_TARGET := local with deploy/local.mk in the workspace"
            case .noGoal(let component, let goal):
                return "\(component) has no '\(goal)' goal in its Makefile"
            case .noTrafficSwitch(let component):
                return "\(component) does not switch traffic: give it a 'switch-traffic' goal or target local with run:"
            case .buildOutputMissing(let kind, let path, let setting, let action):
                return "no \(kind) \(path) to \(action) (\(setting); the component's build goal makes it)"
            case .buildOutputEmpty(let path, let setting):
                return "\(path) has no files to upload (\(setting); the component's build goal makes it)"
            case .buildFailed(let status):
                return "make build failed (exit \(status)); nothing was uploaded"
            case .versionMissing(let version, let of, let published):
                return "\(version) of \(of) is not \(published ? "published" : "uploaded")"
            case .noGoodRelease(let component, let environment):
                return "no release of \(component) in \(environment) is known to be good: nothing to put the traffic back on"
            case .noStableVersion(let object):
                let missing = switch object {
                case .worker(let script): "\(script) has no deployment"
                default: "\(object.name) does not exist"
                }
                return "\(missing), so there is no stable version to compare with"
            case .goneAfterWriting(.worker(let script)):
                return "\(script) has no deployment after Slipway created one"
            case .goneAfterWriting(let object):
                return "\(object.name) is gone after writing it"
            case .readBackDiffers(.worker(let script), let found, let wrote):
                return "\(script)'s deployment reads back \(found) after Slipway deployed \(wrote)"
            case .readBackDiffers(.pagesProject(let project), let found, let wrote):
                return "\(project)'s production deployment reads back \(found) after Slipway made \(wrote) production"
            case .readBackDiffers(let object, let found, let wrote):
                let shown = if case .lambdaAlias = object { "version \(found)" } else { found }
                return "\(object.name) reads back \(shown) after Slipway wrote \(wrote)"
            case .slotNotRunning(let component, let color, let environment, let toSwitchTo):
                return toSwitchTo
                    ? "no running \(color) slot of \(component) in \(environment) to switch to"
                    : "the \(color) slot of \(component) in \(environment) is not running"
            case .noRoute(let component, let environment):
                return "the router has no route for \(component) in \(environment)"
            case .routerNotRunning:
                return "the router is not running"
            case .noZone(let zone):
                return "Cloudflare has no zone \(zone) for this token"
            case .noDNSRecord(let zone, let record):
                return "zone \(zone) has no DNS record \(record) to switch"
            case .checkFailed(let command, let status):
                return "pre-promotion check '\(command)' failed with status \(status); traffic stays where it was"
            case .canaryRolledBack(let version, let reason):
                return "canary of \(version) rolled back: \(reason)"
            case .tooFewHealthyHosts(let healthy, let total, let needed, let problems):
                return "\(healthy) of \(total) hosts healthy, min_healthy is \(needed): no traffic moved"
                    + (problems.isEmpty ? "" : " (\(problems.joined(separator: "; ")))")
            case .tooFewSwitchedHosts(let switched, let total, let needed, let switchedBack, let problems):
                return "traffic moved on \(switched) of \(total) hosts, min_healthy is \(needed)"
                    + (switchedBack.isEmpty ? "" : ": switched \(switchedBack.joined(separator: ", ")) back to the previous release")
                    + (problems.isEmpty ? "" : " (\(problems.joined(separator: "; ")))")
            case .canaryAbandoned(let stable):
                return "the agent running the canary died; traffic is back on \(stable)"
            case .postPromotionFailed(false, let color):
                return "the post-promotion window passed while no agent watched; switched back to \(color.map(\.rawValue) ?? "none")"
            case .postPromotionFailed(true, nil):
                return "post-promotion checks failed and there is no earlier colour to switch back to"
            case .postPromotionFailed(true, let color?):
                return "post-promotion checks failed 3 times in a row; switched back to \(color)"
            }
        }
    }
}

extension SlipwayError.Reason.CloudObject {
    var name: String {
        switch self {
        case .worker(let script): script
        case .pagesProject(let project): project
        case .lambdaAlias(let alias, let function): "alias \(alias) of \(function)"
        case .dnsRecord(let record): "DNS record \(record)"
        case .listener: "the listener"
        }
    }
}
