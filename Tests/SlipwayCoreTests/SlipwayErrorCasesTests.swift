import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The cases that replaced free-text errors at their throw sites: each renders the line the site
/// printed before (users and tests read it) with the same exit code, and real sites throw the
/// case with its data.
@Suite struct SlipwayErrorCasesTests {
    typealias Reason = SlipwayError.Reason

    struct Rendering: Sendable, CustomTestStringConvertible {
        var reason: Reason
        var line: String
        var exitCode: Int32
        var testDescription: String { line }
    }

    static let time = Date(timeIntervalSince1970: 1_800_000_000)
    static let v2 = MigrationVersion("2")!

    static let general: [(Reason, String, Int32)] = [
        (.noWorkspace(searchedFrom: "/tmp/x"), "no workspace here: no slipway.yml, apps/ or services/ in /tmp/x or above (use --workspace DIR)", 2),
        (.fileAccess(.create, path: "/b", what: "the backups folder", problem: "denied"), "cannot create the backups folder /b: denied", 1),
        (.fileAccess(.write, path: "/t"), "cannot write /t", 1),
        (.fileAccess(.lock, path: "/l", problem: "busy"), "cannot lock /l: busy", 1),
        (.cannotGiveAway(path: "/w", user: "postgres", serverUser: true, problem: "EPERM"), "cannot give /w to the server's user postgres: EPERM", 1),
        (.cannotGiveAway(path: "/w", user: "pg", serverUser: false, problem: "EPERM"), "cannot give /w to pg: EPERM", 1),
        (.embeddedStoreNeeded(chosen: "postgres://team:****@db/slipway"),
         "this command works on the embedded store's files, and the store chosen is postgres://team:****@db/slipway "
            + "(store: in slipway.yml or SLIPWAY_STORE_URL); back the shared store up with PostgreSQL's own tools (pg_dump, pg_basebackup)", 2),
        (.notAColor("red"), "colour must be blue or green, not 'red'", 2),
        (.environmentRequired(command: "backup list web"), "backup list web: give the environment with --env ENV", 2),
        (.promotionToItself(environment: "staging"), "--from and --to are both staging", 2),
        (.runNotRunning(id: "r1", state: .succeeded), "run r1 is not running: it succeeded", 1),
        (.noCanaryInProgress(component: "web", environment: "staging"), "no canary of web is in progress in staging", 1),
        (.alreadyApproved(actor: "bob", requestID: "q1"), "bob has already approved request q1; it needs another approver", 1),
        (.notAwaitingApproval(requestID: "q1", title: "deploy web", state: "approved"),
         "request q1 (deploy web) is not awaiting approval: it is approved", 1),
        (.secretsFile(path: ".env.production", environment: "production", .missing(root: "/ws")),
         "the secrets of production come from .env.production, which does not exist in /ws", 2),
        (.secretsFile(path: ".env.production", environment: "production", .readableByOthers(mode: 0o100644)),
         ".env.production holds the secrets of production and others may read it (mode 644): run 'chmod 600 .env.production'", 2),
        (.secretsFile(path: ".env", environment: "staging", .notIgnored),
         ".env holds the secrets of staging and git does not ignore it: add it to .gitignore, so it is never committed", 2),
        (.report(file: "lcov.info", .noSuchReport), "lcov.info: no such report", 2),
        (.report(file: "jscpd.json", .missing), "missing report jscpd.json", 1),
        (.report(file: "a.xml", .unreadable("gone")), "a.xml: cannot read: gone", 1),
    ]

    static let platform: [(Reason, String, Int32)] = [
        (.platform(.credentialMissing(.cloudflare, variable: "CLOUDFLARE_API_TOKEN", operation: "GET /zones")),
         "CLOUDFLARE_API_TOKEN is not set, so Slipway cannot call Cloudflare (GET /zones); traffic stays where it was", 1),
        (.platform(.credentialMissing(.doppler, variable: "DOPPLER_TOKEN", operation: "Doppler project shop, config stg")),
         "DOPPLER_TOKEN is not set: the secrets come from Doppler project shop, config stg; nothing was deployed", 1),
        (.platform(.awsCredentialsMissing(operation: "ecs update-service")),
         "the aws CLI found no credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) on aws ecs update-service; "
            + "traffic stays where it was", 1),
        (.platform(.credentialRefused(.cloudflare, credential: "CLOUDFLARE_API_TOKEN", status: "403", reason: "bad", operation: "GET /zones")),
         "Cloudflare refused CLOUDFLARE_API_TOKEN (403: bad) on GET /zones; traffic stays where it was", 1),
        (.platform(.credentialRefused(.doppler, credential: "DOPPLER_TOKEN", status: "401", reason: "no", operation: "Doppler project p, config c")),
         "Doppler refused DOPPLER_TOKEN (401: no) for Doppler project p, config c; nothing was deployed", 1),
        (.platform(.credentialRefused(.aws, credential: "AWS_PROFILE 'x'", status: "ExpiredToken", reason: nil, operation: "ecs x")),
         "AWS refused AWS_PROFILE 'x' (ExpiredToken) on aws ecs x; traffic stays where it was", 1),
        (.platform(.refused(.cloudflare, operation: "PUT /x", status: nil, message: "nope")), "Cloudflare refused PUT /x: nope", 1),
        (.platform(.refused(.cloudflare, operation: "PUT /x", status: 400, message: "bad")), "Cloudflare refused PUT /x (400): bad", 1),
        (.platform(.refused(.doppler, operation: "Doppler project p, config c", status: 404, message: "gone")),
         "Doppler answered 404 for Doppler project p, config c: gone; nothing was deployed", 1),
        (.platform(.refused(.aws, operation: "ecs x", status: nil, message: "boom")), "aws ecs x failed: boom", 1),
        (.platform(.unreadableAnswer(.cloudflare, operation: "GET /x", problem: nil)), "Cloudflare answered GET /x with nothing", 1),
        (.platform(.unreadableAnswer(.cloudflare, operation: "GET /x", problem: "bad json")),
         "Cloudflare answered GET /x with what Slipway cannot read: bad json", 1),
        (.platform(.unreadableAnswer(.aws, operation: "ecs x", problem: "bad json")), "aws ecs x answered what Slipway cannot read: bad json", 1),
        (.platform(.unreadableAnswer(.doppler, operation: "Doppler project p, config c", problem: nil)),
         "Doppler's answer for Doppler project p, config c is not a JSON object of secrets", 1),
        (.platform(.stillFailing(.cloudflare, operation: "GET /x", attempts: 3, within: 120, last: "503 down")),
         "Cloudflare GET /x still failing after 3 attempt(s) within 2m (last: 503 down); traffic stays where it was", 1),
        (.platform(.unreachable(.doppler, operation: "Doppler project p, config c", host: "https://api.doppler.com", problem: "refused")),
         "cannot read the secrets of Doppler project p, config c from https://api.doppler.com: refused; nothing was deployed", 1),
        (.platform(.notAURL(variable: "DOPPLER_API_HOST", value: "::", path: nil)), "DOPPLER_API_HOST :: is not a URL", 2),
        (.platform(.notAURL(variable: "CLOUDFLARE_API_BASE_URL", value: "::", path: "/zones")),
         "CLOUDFLARE_API_BASE_URL :: does not make a URL with /zones", 2),
        (.platform(.noCloudflareAccount), "no Cloudflare account: set cloudflare.account_id or CLOUDFLARE_ACCOUNT_ID", 2),
        (.platform(.awsCLIMissing(problem: "not found")), "cannot run the aws CLI (install it: pip install awscli): not found", 1),
    ]

    static let target: [(Reason, String, Int32)] = [
        (.target(.noSettings(component: "apps/site", target: "cloudflare-pages", environment: "staging", block: "cloudflare",
                             keys: ["account_id", "project"])),
         "apps/site deploys to cloudflare-pages but has neither a cloudflare: block in its slipway.yml for staging "
            + "(account_id, project; see deploy/slipway.reference.yml) nor a 'deploy' goal in its Makefile", 2),
        (.target(.noSettings(component: "services/fn", target: "aws-lambda", environment: "staging", block: "aws", keys: ["function", "alias"])),
         "services/fn deploys to aws-lambda but has neither an aws: block in its slipway.yml for staging "
            + "(function, alias; see deploy/slipway.reference.yml) nor a 'deploy' goal in its Makefile", 2),
        (.target(.settingsMissing(component: "services/o", target: "aws-ecs", settings: ["aws.services", "aws.listener"])),
         "services/o: aws-ecs needs aws.services, aws.listener", 2),
        (.target(.noColors(component: "apps/w", object: .worker(script: "w"), name: "w", environment: "staging")),
         "apps/w deploys versions of Worker w, not colours: use slipway rollback w --env staging [--to VERSION]", 2),
        (.target(.noColors(component: "apps/s", object: .pagesProject("site"), name: "s", environment: "staging")),
         "apps/s deploys to Pages project site, whose production is one deployment, not a colour: use slipway rollback s --env staging [--to VERSION]", 2),
        (.target(.noColors(component: "services/f", object: .lambdaAlias("live", function: "fn"), name: "f", environment: "staging")),
         "services/f moves alias live of fn between published versions, not colours: use slipway rollback f --env staging [--to VERSION]", 2),
        (.target(.noDeployMethod(component: "apps/x", hasMakefile: false, target: "k8s")),
         "apps/x has no Makefile and target 'k8s' is not run by Slipway: add a Makefile with a 'deploy' goal (start from deploy/app-template.mk), "
            + "or set DEPLOYMENT_TARGET := local with deploy/local.mk in the workspace", 2),
        (.target(.noGoal(component: "apps/x", goal: "test")), "apps/x has no 'test' goal in its Makefile", 2),
        (.target(.noTrafficSwitch(component: "apps/x")),
         "apps/x does not switch traffic: give it a 'switch-traffic' goal or target local with run:", 2),
        (.target(.buildOutputMissing(kind: "module", path: "/w/index.js", setting: "cloudflare.main", action: "upload")),
         "no module /w/index.js to upload (cloudflare.main; the component's build goal makes it)", 1),
        (.target(.buildOutputEmpty(path: "/s/dist", setting: "cloudflare.output_dir")),
         "/s/dist has no files to upload (cloudflare.output_dir; the component's build goal makes it)", 1),
        (.target(.buildFailed(status: 2)), "make build failed (exit 2); nothing was uploaded", 1),
        (.target(.versionMissing(version: "v1", of: "w", published: false)), "v1 of w is not uploaded", 1),
        (.target(.versionMissing(version: "v1", of: "fn", published: true)), "v1 of fn is not published", 1),
        (.target(.noStableVersion(.worker(script: "w"))), "w has no deployment, so there is no stable version to compare with", 1),
        (.target(.noStableVersion(.lambdaAlias("live", function: "fn"))),
         "alias live of fn does not exist, so there is no stable version to compare with", 1),
        (.target(.goneAfterWriting(.worker(script: "w"))), "w has no deployment after Slipway created one", 1),
        (.target(.goneAfterWriting(.lambdaAlias("live", function: "fn"))), "alias live of fn is gone after writing it", 1),
        (.target(.readBackDiffers(.worker(script: "w"), found: "a 100%", wrote: "b 100%")),
         "w's deployment reads back a 100% after Slipway deployed b 100%", 1),
        (.target(.readBackDiffers(.pagesProject("site"), found: "none", wrote: "d1 (v1)")),
         "site's production deployment reads back none after Slipway made d1 (v1) production", 1),
        (.target(.readBackDiffers(.lambdaAlias("live", function: "fn"), found: "3 [:]", wrote: "4 [:]")),
         "alias live of fn reads back version 3 [:] after Slipway wrote 4 [:]", 1),
        (.target(.readBackDiffers(.dnsRecord("www.example.com"), found: "1.1.1.1", wrote: "2.2.2.2")),
         "DNS record www.example.com reads back 1.1.1.1 after Slipway wrote 2.2.2.2", 1),
        (.target(.readBackDiffers(.listener, found: "blue 100%", wrote: "green 100%")),
         "the listener reads back blue 100% after Slipway wrote green 100%", 1),
        (.target(.slotNotRunning(component: "web", color: .green, environment: "staging", toSwitchTo: true)),
         "no running green slot of web in staging to switch to", 1),
        (.target(.slotNotRunning(component: "web", color: .blue, environment: "staging", toSwitchTo: false)),
         "the blue slot of web in staging is not running", 1),
        (.target(.noRoute(component: "web", environment: "staging")), "the router has no route for web in staging", 1),
        (.target(.routerNotRunning), "the router is not running", 1),
        (.target(.noZone("example.com")), "Cloudflare has no zone example.com for this token", 1),
        (.target(.noDNSRecord(zone: "example.com", record: "www")), "zone example.com has no DNS record www to switch", 1),
        (.target(.checkFailed(command: "make smoke", status: 2)),
         "pre-promotion check 'make smoke' failed with status 2; traffic stays where it was", 1),
        (.target(.canaryRolledBack(version: "v2", reason: "error rate")), "canary of v2 rolled back: error rate", 1),
        (.target(.canaryAbandoned(stable: .blue)), "the agent running the canary died; traffic is back on blue", 1),
        (.target(.postPromotionFailed(watched: false, switchedBackTo: .blue)),
         "the post-promotion window passed while no agent watched; switched back to blue", 1),
        (.target(.postPromotionFailed(watched: true, switchedBackTo: nil)),
         "post-promotion checks failed and there is no earlier colour to switch back to", 1),
        (.target(.postPromotionFailed(watched: true, switchedBackTo: .green)),
         "post-promotion checks failed 3 times in a row; switched back to green", 1),
    ]

    static let ecs: [(Reason, String, Int32)] = [
        (.ecs(.listenerNotFound(arn: "arn:l")), "listener arn:l not found", 1),
        (.ecs(.listenerNotForwarding), "the listener's default action does not forward to a target group", 1),
        (.ecs(.listenerForwardsElsewhere(targetGroup: "arn:tg/x")),
         "the listener forwards to arn:tg/x, which is neither aws.target_groups.blue nor green", 1),
        (.ecs(.listenerFavoursNeither), "the listener favours neither colour", 1),
        (.ecs(.colorNotIdle(.green, weights: "blue 50%, green 50%")),
         "the listener still sends blue 50%, green 50% of traffic, so the green service is not idle; nothing was changed", 1),
        (.ecs(.serviceMissing(service: "orders-blue", cluster: "main", reason: "MISSING")), "ECS service orders-blue in cluster main: MISSING", 1),
        (.ecs(.taskDefinitionUnreadable(path: "/s/td.json")), "cannot read a task definition (a JSON object) from /s/td.json", 1),
        (.ecs(.noContainerDefinitions(path: "/s/td.json")), "/s/td.json has no containerDefinitions", 1),
        (.ecs(.noContainerRuns(path: "/s/td.json", image: "orders", version: "v2")),
         "no container in /s/td.json runs orders (aws.image), so none can take version v2", 1),
        (.ecs(.deploymentFailed(taskDefinition: "arn:td:3", service: "orders-green")),
         "the deployment of arn:td:3 to orders-green failed; the listener was not changed", 1),
        (.ecs(.serviceDidNotRun(service: "orders-green", taskDefinition: "arn:td:3", checks: 30, last: "no primary deployment")),
         "orders-green did not run arn:td:3 after 30 checks (no primary deployment); the listener was not changed", 1),
        (.ecs(.targetGroupUnhealthy(.green, checks: 30, last: "unhealthy")),
         "the green target group never reported healthy targets after 30 checks (unhealthy); the listener was not changed", 1),
    ]

    static let processes: [(Reason, String, Int32)] = [
        (.socket(.pathTooLong(path: "/tmp/abc")), "socket path /tmp/abc is 8 bytes; it must stay under 108", 1),
        (.socket(.cannotCreate(problem: "EMFILE")), "socket: EMFILE", 1),
        (.socket(.cannotListen(path: "/s", problem: "in use")), "cannot listen on /s: in use", 1),
        (.socket(.cannotConnect(path: "/s", problem: "refused")), "cannot connect to /s: refused", 1),
        (.socket(.foreignOwner(path: "/s", uid: 1001)), "the process listening on /s runs as uid 1001, not as you: refusing to talk to it", 1),
        (.socket(.closedEarly(sent: 3, total: 10)), "the other end closed the connection after 3 of 10 bytes", 1),
        (.socket(.writeFailed(problem: "EIO")), "write: EIO", 1),
        (.socket(.noAnswer(withinSeconds: 60)), "no answer within 60s", 1),
        (.socket(.closedBeforeAnswer), "the connection closed before an answer", 1),
        (.agent(.unexpectedAnswer(socket: "/s", response: "pong", request: "status")),
         "the agent on /s answered pong to status: is it of another build of slipway?", 1),
        (.agent(.cannotEncodeRequest), "cannot encode the agent request", 1),
        (.agent(.requestNotTaken(socket: "/s", problem: "EPIPE")), "the agent on /s did not take the request (EPIPE): was it stopped or killed?", 1),
        (.agent(.notAResponse(line: "hello")), "the agent answered something that is not a response: hello", 1),
        (.agent(.didNotStart(logFolder: "/w/.slipway/logs")), "the agent did not start within 15s; see /w/.slipway/logs/agent.log", 1),
        (.agent(.cancelledWaiting(socket: "/s")), "cancelled while waiting for the agent on /s", 1),
        (.agent(.alreadyRunning(lockPath: "/w/agent.lock")), "an agent already runs for this workspace (/w/agent.lock is locked)", 1),
        (.agent(.alreadyAnswering(socket: "/s")), "an agent already answers on /s", 1),
        (.agent(.socketClosed(socket: "/s")), "the agent's socket /s closed", 1),
        (.agent(.storeRemoved(path: "/w/state.db", socket: "/s")),
         "there is no store at /w/state.db, but the agent of this workspace runs (socket /s): the store was removed; recover what the agent "
            + "knows with 'slipway store rebuild --from-agent', or start an empty history with --new-store", 1),
        (.agent(.notRunning(socket: "/s")), "no agent runs for this workspace (socket /s): there is nothing to recover from", 1),
    ]

    static let release: [(Reason, String, Int32)] = [
        (.git(.notARepository(root: "/w", need: "changes need git")), "/w is not in a git repository: changes need git", 2),
        (.git(.noCommits(root: "/w")), "/w is not a git repository with a commit: the quality gate measures new code from git", 2),
        (.git(.noCommitYet(path: "apps/web", versionHint: true)), "apps/web has no commit yet: commit it, or give the version with --version V", 2),
        (.git(.noCommitYet(path: "apps/web", versionHint: false)), "apps/web has no commit yet", 2),
        (.git(.notACommit(what: "base", reference: "nope", root: "/w")), "base 'nope' is not a commit in /w", 2),
        (.git(.unknownBase("nope", root: "/w")), "unknown base 'nope': not a commit in /w", 2),
        (.git(.noCommonAncestor(base: "a", head: "b")), "base a and head b have no common ancestor: there is no base...head to diff", 1),
        (.git(.noBranchForEnvironment), "no --env given and no git branch to take it from", 2),
        (.git(.branchDeploysNowhere("topic", known: ["main -> production"])),
         "branch 'topic' deploys nowhere (branches: main -> production); give --env", 2),
        (.git(.noBase(environment: "staging", branches: [])),
         "no base for staging: no successful pipeline run yet and no branch deploying to it (branches: none); give --base REF", 2),
        (.release(.invalidVersion("a/b")), "invalid version 'a/b': use letters, digits, '.', '_', '-' or '+' (no '/', '..' or spaces)", 2),
        (.release(.unknownVersion("v9", component: "web")), "version 'v9' of web is neither a release nor a commit in git", 2),
        (.release(.alreadyLive(component: "web", version: "v1", environment: "staging", forceHint: true)),
         "web v1 is already live in staging; use --force to redeploy it", 2),
        (.release(.alreadyLive(component: "web", version: "v1", environment: "production", forceHint: false)),
         "web v1 is already live in production", 2),
        (.release(.noEarlierRelease(component: "web", environment: "staging")), "web has no earlier release in staging to roll back to", 1),
        (.release(.unknownRelease("v9", component: "web", environment: "staging", known: [])),
         "no release 'v9' of web in staging (releases: none)", 2),
        (.release(.unknownRelease("v9", component: "web", environment: "staging", known: ["v1", "v2"])),
         "no release 'v9' of web in staging (releases: v1, v2)", 2),
        (.release(.cannotRebuild(version: "v1-dirty", dirty: true)),
         "cannot roll back to v1-dirty: it was built from uncommitted changes and no kept release of it exists, so it cannot be rebuilt", 1),
        (.release(.cannotRebuild(version: "v1", dirty: false)), "cannot roll back to v1: no kept release and no recorded commit to rebuild it from", 1),
        (.release(.nothingToPromote(component: "web", environment: "staging")), "web has no release live in staging to promote", 1),
        (.release(.failedIn(component: "web", version: "v1", environment: "staging", runID: "r1")),
         "web v1 failed in staging (run r1): not promoting it", 1),
        (.release(.notHealthyIn(component: "web", version: "v1", environment: "staging", checked: false)),
         "web v1 was never health-checked in staging: not promoting it (run 'slipway health-check-all --env staging')", 1),
        (.release(.notHealthyIn(component: "web", version: "v1", environment: "staging", checked: true)),
         "web v1 is unhealthy in staging: not promoting it (run 'slipway health-check-all --env staging')", 1),
        (.release(.noCommitToPromote(version: "v1")),
         "cannot promote v1: the working tree holds another version and no commit is recorded for it", 1),
        (.release(.checklistFailed(component: "web", version: "v1", environment: "production", failed: "migrations validated")),
         "not promoting web v1: the production checklist failed (migrations validated); fix it, or --override-gates --reason TEXT", 1),
        (.release(.componentsFailed(2, of: 5, .tests)), "2 of 5 components failed their tests or gates", 1),
        (.release(.componentsFailed(1, of: 3, .migrations)), "1 of 3 components failed their migrations", 1),
        (.release(.deploysFailed(["a", "b"])), "2 components failed to deploy: a, b", 1),
        (.release(.unhealthyAfterDeploy(["a"], notRolledBack: [])), "unhealthy after deploy: a; rolled back", 1),
        (.release(.unhealthyAfterDeploy(["a", "b"], notRolledBack: ["b"])), "unhealthy after deploy: a, b; not rolled back: b", 1),
    ]

    static let data: [(Reason, String, Int32)] = [
        (.database(name: "app", .unreachable(environment: "staging", problem: "refused")),
         "cannot reach database 'app' of environment staging: refused", 1),
        (.database(name: "app", .cannotConnect(problem: "refused")), "cannot connect to database 'app': refused", 1),
        (.database(name: "app", .failed(problem: "syntax", sql: "SELEC 1")), "database 'app': syntax (running SELEC 1)", 1),
        (.database(name: "app", .failed(problem: "syntax", sql: nil)), "database 'app': syntax", 1),
        (.database(name: "app", .cannotRead(what: "the server's clock", problem: nil)), "database 'app': cannot read the server's clock", 1),
        (.database(name: "app", .cannotRead(what: "flyway_schema_history", problem: "denied")),
         "database 'app': cannot read flyway_schema_history: denied", 1),
        (.database(name: "app", .cannotLock(problem: "timeout")), "database 'app': cannot take the migration lock: timeout", 1),
        (.database(name: "app", .cannotRepair(table: "flyway_schema_history", problem: "denied")),
         "database 'app': cannot repair flyway_schema_history: denied", 1),
        (.databaseSetup(.notDeclared(component: "accounts", path: "services/accounts")),
         "accounts declares no database: add `database: {migrations: migrations/}` to services/accounts/slipway.yml", 2),
        (.databaseSetup(.environmentNamesNone(environment: "staging")),
         "environment 'staging' names no database: add `database: NAME` to it in slipway.yml", 2),
        (.databaseSetup(.notInDatabases(database: "main", environment: "staging")),
         "database 'main' of environment 'staging' is not in slipway.yml's databases: (add it with url_env: VARIABLE)", 2),
        (.databaseSetup(.variableUnset(variable: "MAIN_URL", database: "main", environment: "staging")),
         "MAIN_URL is not set: it holds the connection string of database 'main' (environment staging)", 2),
        (.databaseSetup(.connectionStringUnset(of: "accounts in staging")), "the connection string of accounts in staging is not set", 2),
        (.databaseSetup(.notAPostgresURL(of: "x")), "the connection string of x is not a postgres:// URL", 2),
        (.databaseSetup(.noHost(of: "x")), "the connection string of x names no host (for a unix socket, give its folder as ?host=/path)", 2),
        (.databaseSetup(.unknownSSLMode("maybe", of: "x")),
         "the connection string of x has an unknown sslmode 'maybe' (known: disable, allow, prefer, require, verify-ca, verify-full)", 2),
        (.databaseSetup(.cannotSetUpTLS(problem: "no roots")), "cannot set up TLS: no roots", 1),
        (.databaseSetup(.superuserNeeded(of: "x")),
         "backup setup needs a superuser (ALTER SYSTEM): the connection string of x logs in as another role", 1),
        (.databaseSetup(.serverElsewhere(of: "x", dataFolder: "/var/lib/pg")),
         "the server of x keeps its data in /var/lib/pg, which is not on this machine: its archive_command copies WAL into a local folder, "
            + "so run backup setup on the server's host", 1),
        (.databaseSetup(.quoteInWALPath("/a'b")), "the WAL folder /a'b has a quote in its path: set backup_folder to another", 2),
        (.databaseSetup(.stagingUnreachable(problem: "x")),
         "production applies only migrations validated in staging, and staging's database cannot be reached: x", 2),
        (.migration(.noFolder("services/a/migrations")), "services/a/migrations: no migrations folder", 2),
        (.migration(.unreadableFolder("m")), "m: cannot read the folder", 1),
        (.migration(.unreadable(path: "m/V1__a.sql", problem: "EIO")), "m/V1__a.sql: cannot read: EIO", 1),
        (.migration(.notAName(path: "m/x.sql")),
         "m/x.sql: not a migration name: expected V<version>__<description>.sql (or U<version>__... for its compensating script)", 2),
        (.migration(.repeatable(path: "m/R__v.sql")),
         "m/R__v.sql: repeatable migrations (R__) are refused: Slipway applies versioned V<version>__ files only, each once; make it a new V file", 2),
        (.migration(.notAVersion(path: "m/Vx__a.sql", text: "x")),
         "m/Vx__a.sql: 'x' is not a version: expected whole numbers separated by . or _ (V1__, V1_2__, V2.0.1__)", 2),
        (.migration(.duplicateVersion(path: "m/V2__a.sql", v2, other: "m/V2.0__b.sql")),
         "m/V2__a.sql: version 2 is also the version of m/V2.0__b.sql; each version must be unique", 2),
        (.migration(.duplicateCompensating(path: "m/U2__a.sql", v2, other: "m/U2__b.sql")),
         "m/U2__a.sql: version 2 already has the compensating script m/U2__b.sql", 2),
        (.migration(.compensatesNothing(path: "m/U2__a.sql", v2)), "m/U2__a.sql: compensating script of V2, which does not exist", 2),
        (.migration(.statementFailed(path: "m/V2__a.sql", line: 3, column: 5, problem: "syntax error", undone: "the file was rolled back")),
         "m/V2__a.sql:3:5: syntax error; the file was rolled back and recorded as failed", 1),
        (.migration(.notAppliedIn(environment: "staging", path: "m/V2__a.sql", v2)),
         "not applied: m/V2__a.sql (version 2) has not been applied successfully in staging: apply it there first (slipway migrate apply --env staging)", 1),
        (.migration(.differsFrom(environment: "staging", path: "m/V2__a.sql", there: nil, here: 42)),
         "not applied: m/V2__a.sql is not the file staging applied (checksum none there, 42 here): apply the same file in staging first", 1),
        (.migrationPlan(.failed(path: "m/V2__a.sql", installedOn: time), more: 0),
         "m/V2__a.sql failed when applied on 2027-01-15T08:00:00Z and its changes were rolled back: "
            + "fix the file, then clear the failed entry with `slipway migrate repair`", 1),
        (.migrationPlan(.changed(path: "m/V1__a.sql", recorded: 1, onDisk: 2), more: 1),
         "m/V1__a.sql changed after it was applied: checksum 1 in flyway_schema_history, 2 on disk; "
            + "restore the applied text and put the change in a new version (and 1 more problem)", 1),
        (.migrationPlan(.missing(folder: "m", script: "V3__c.sql", MigrationVersion("3")!), more: 2),
         "m/V3__c.sql (version 3) is applied but missing from m: restore it (and 2 more problems)", 1),
        (.migrationPlan(.failedAndMissing(folder: "m", script: "V3__c.sql", MigrationVersion("3")!), more: 0),
         "V3__c.sql (version 3) failed when applied and is missing from m: clear it with `slipway migrate repair`", 1),
        (.migrationPlan(.outOfOrder(path: "m/V2__b.sql", highest: MigrationVersion("3")!), more: 0),
         "m/V2__b.sql is pending but version 3 is already applied: give it a version above 3", 1),
        (.backup(.noBaseBackup(of: "accounts in staging", forRestore: true)),
         "accounts in staging has no base backup to restore: take one with slipway backup create", 1),
        (.backup(.noBaseBackup(of: "accounts in staging", forRestore: false)),
         "accounts in staging has no base backup yet: take one with slipway backup create", 1),
        (.backup(.beforeOldest(time, of: "a", earliest: time.addingTimeInterval(60), latest: time.addingTimeInterval(120))),
         "restore to 2027-01-15T08:00:00.000Z refused: it is before the oldest base backup of a; "
            + "the window is 2027-01-15T08:01:00.000Z to 2027-01-15T08:02:00.000Z", 2),
        (.backup(.afterNewest(time, of: "a", earliest: time.addingTimeInterval(-120), latest: time.addingTimeInterval(-60))),
         "restore to 2027-01-15T08:00:00.000Z refused: it is after the newest archived WAL of a; "
            + "the window is 2027-01-15T07:58:00.000Z to 2027-01-15T07:59:00.000Z "
            + "(a later moment needs its WAL archived first: SELECT pg_switch_wal() on the server)", 2),
        (.backup(.doesNotVerify(backupID: "b1", problem: "ids skip")), "the backup b1 does not verify (ids skip): restore another one", 1),
        (.backup(.problemsFound(subject: "b1", count: 1, store: false)), "the backup b1 has 1 problem", 1),
        (.backup(.problemsFound(subject: "/w/state.db", count: 2, store: true)), "the store /w/state.db has 2 problems", 1),
        (.backup(.cannotRestore(backupID: "b1", to: "/w/state.db", problem: "EIO")), "cannot restore the backup b1 to /w/state.db: EIO", 1),
        (.backup(.cannotCopy(backupID: "b1", into: "/r", problem: "EIO")), "cannot copy base backup b1 into /r: EIO", 1),
        (.backup(.dataFolderNotEmpty("/r")), "/r is not empty: a restore goes into a new data folder, never over an existing one", 2),
        (.backup(.noServerUser),
         "running as root, and there is no server user to run the restored cluster as (no WAL archive owner, no postgres user)", 1),
        (.backup(.serverDidNotStart(data: "/r", said: "FATAL: x")), "the restored server in /r did not start: FATAL: x", 1),
        (.backup(.serverStoppedInRecovery(data: "/r", said: "see /r.log")), "the restored server in /r stopped during recovery: see /r.log", 1),
        (.backup(.stillRecovering(data: "/r", seconds: 600, log: "/r.log")),
         "the restored server in /r was still recovering after 600 s; stopped it (see /r.log)", 1),
        (.backup(.replayEndUnknown), "the restored server does not say where its WAL replay ended", 1),
        (.backup(.drillLocked(folder: "/d")), "another drill holds the lock of /d", 1),
        (.backup(.verifyQueryFailed(problem: "x")), "verify_query failed on the restored database: x", 1),
        (.backup(.tablesNotCounted(got: "")), "the restored database did not count its tables (got '')", 1),
        (.backup(.drillFailed(of: "a in staging", seconds: 90, summary: "no rows")), "restore drill of a in staging failed after 90s: no rows", 1),
        (.backup(.postgresProgramsMissing(major: 16, debianFolder: "/usr/lib/postgresql/16/bin")),
         "PostgreSQL 16's programs (pg_basebackup, pg_ctl) are not installed here (looked in /usr/lib/postgresql/16/bin and pg_config --bindir): "
            + "install postgresql-16 (apt-get install postgresql-16)", 1),
        (.backup(.programFailed("pg_basebackup", status: 1, lastLine: "no")), "pg_basebackup failed (exit 1): no", 1),
        (.backup(.noFreePort(bound: true, problem: "EADDRINUSE")), "cannot find a free port on 127.0.0.1: EADDRINUSE", 1),
        (.backup(.noFreePort(bound: false, problem: "EMFILE")), "cannot find a free port: EMFILE", 1),
        (.target(.noGoodRelease(component: "edge", environment: "staging")),
         "no release of edge in staging is known to be good: nothing to put the traffic back on", 1),
        (.projection(.noneDeclared(component: "accounts", path: "services/accounts")),
         "accounts declares no projections: add `projections: [{name: NAME, rebuild: COMMAND}]` to its database: in services/accounts/slipway.yml", 2),
        (.projection(.unknown(name: "orders", component: "accounts", declared: ["balances", "ledger"])),
         "accounts has no projection 'orders' (declared: balances, ledger)", 2),
        (.projection(.missingGoal(goal: "rebuild-orders", component: "accounts", path: "services/accounts")),
         "services/accounts/Makefile has no goal 'rebuild-orders' (a projection of accounts names it)", 2),
        (.projection(.rebuildRunning(name: "orders", database: "main")), "another rebuild of projection orders is running on database 'main'", 1),
        (.projection(.noRebuildRecorded(name: "orders")), "projection orders: no rebuild recorded", 1),
        (.projection(.rebuildStopped(name: "orders", version: 2, reason: "the rebuild exited with status 3 at checkpoint 300/1000",
                                     resume: "from checkpoint 300")),
         "projection orders v2: the rebuild exited with status 3 at checkpoint 300/1000; run the rebuild again to resume from checkpoint 300", 1),
        (.projection(.rebuildStopped(name: "orders", version: 2, reason: "the rebuild finished without creating orders_v2", resume: nil)),
         "projection orders v2: the rebuild finished without creating orders_v2", 1),
        (.projection(.differs(name: "orders", version: 2, liveVersion: 1, count: 7)),
         "projection orders v2 differs from the live v1 (7 differences above): not switched; run it again to compare again, "
            + "with --restart after fixing the rebuild, or --accept-differences --reason TEXT to switch anyway", 1),
        (.projection(.switchStepFailed(status: 2)), "the switch step exited with status 2", 1),
        (.projection(.notSwitched(name: "orders", version: 2, problem: "the switch step exited with status 2")),
         "projection orders v2 not switched: the switch step exited with status 2", 1),
    ]

    static let renderings = (general + platform + target + ecs + processes + release + data)
        .map { Rendering(reason: $0.0, line: $0.1, exitCode: $0.2) }

    @Test(arguments: renderings)
    func eachCaseRendersTheLineItsSitePrintedAndItsExitCode(_ rendering: Rendering) {
        let error = SlipwayError(rendering.reason)
        #expect(error.message == rendering.line)
        #expect(error.exitCode == rendering.exitCode)
        #expect(!error.message.contains("\n"))
    }

    // MARK: Real sites throw the case with its data

    func history(_ rank: Int, _ version: String, _ script: String, checksum: Int32?, success: Bool = true) -> SchemaHistoryEntry {
        SchemaHistoryEntry(
            installedRank: rank, version: version, description: "d", type: "SQL", script: script, checksum: checksum,
            installedBy: "flyway", installedOn: Self.time, executionTime: 5, success: success)
    }

    @Test func aMigrationFolderAndItsHistoryDisagreeInCasesCarryingTheFilesAndVersions() throws {
        let workspace = try TemporaryWorkspace(files: [
            "migrations/V1__a.sql": "SELECT 1; -- edited", "migrations/V2__b.sql": "SELECT 2;", "migrations/V4__d.sql": "SELECT 4;",
        ])
        let catalog = try MigrationCatalog.load(workspace.root.appendingPathComponent("migrations"), folder: "m")
        let plan = MigrationPlan(catalog: catalog, history: [
            history(1, "1", "V1__a.sql", checksum: FlywayChecksum.of("SELECT 1;")),
            history(2, "3", "V3__c.sql", checksum: 7),
            history(3, "4", "V4__d.sql", checksum: FlywayChecksum.of("SELECT 4;")),
        ])
        let changed = Reason.MigrationPlanProblem.changed(
            path: "m/V1__a.sql", recorded: FlywayChecksum.of("SELECT 1;"), onDisk: FlywayChecksum.of("SELECT 1; -- edited"))
        let expected: [Reason.MigrationPlanProblem] = [
            changed, .missing(folder: "m", script: "V3__c.sql", MigrationVersion("3")!), .outOfOrder(path: "m/V2__b.sql", highest: MigrationVersion("4")!),
        ]
        #expect(plan.issues == expected)
        #expect(plan.problems == expected.map(\.line))
        let error = #expect(throws: SlipwayError.self) { try plan.validated() }
        #expect(error?.reason == .migrationPlan(changed, more: 2))
        #expect(error?.exitCode == 1)
    }

    @Test func aDuplicateMigrationVersionNamesBothFiles() throws {
        let workspace = try TemporaryWorkspace(files: ["migrations/V2__a.sql": "", "migrations/V2.0__b.sql": ""])
        let error = #expect(throws: SlipwayError.self) {
            try MigrationCatalog.load(workspace.root.appendingPathComponent("migrations"), folder: "m")
        }
        // Files load in name order, so the second of the two is the one refused.
        #expect(error?.reason == .migration(.duplicateVersion(path: "m/V2__a.sql", Self.v2, other: "m/V2.0__b.sql")))
        #expect(error?.exitCode == 2)
    }

    @Test func aRestoreWithoutABaseBackupAndABadConnectionStringAreCases() {
        #expect(throws: SlipwayError(.backup(.noBaseBackup(of: "accounts in staging", forRestore: false)))) {
            try RecoveryWindow.baseBackup(for: Self.time, backups: [], segments: [], named: "accounts in staging")
        }
        #expect(throws: SlipwayError(.databaseSetup(.notAPostgresURL(of: "main")))) { try DatabaseURL("mysql://db/x", name: "main") }
        #expect(throws: SlipwayError(.databaseSetup(.unknownSSLMode("maybe", of: "main")))) {
            try DatabaseURL("postgres://db/x?sslmode=maybe", name: "main")
        }
    }

    @Test func aBadVersionAndATooLongSocketPathAreCases() {
        #expect(throws: SlipwayError(.release(.invalidVersion("a/b")))) { try ReleaseVersion.validate("a/b") }
        let path = "/tmp/" + String(repeating: "s", count: 120)
        #expect(throws: SlipwayError(.socket(.pathTooLong(path: path)))) { try UnixSocket.connect(to: path) }
    }

    @Test func aSecretsFileOthersMayReadIsRefusedWithItsMode() async throws {
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": "environments:\n  production:\n    secrets: {provider: env-file, path: .env.production}\n",
            ".env.production": "TOKEN=x\n",
        ])
        chmod(workspace.root.appendingPathComponent(".env.production").path, 0o644)
        let engine = try await Engine.open(workspace: workspace.root, state: workspace.statePath, environment: [:], output: { _ in })
        let error = await #expect(throws: SlipwayError.self) { _ = try await engine.withSecrets(for: "production") }
        guard case .secretsFile(".env.production", "production", .readableByOthers(let mode))? = error?.reason else {
            Issue.record("expected a secrets file others may read, got \(String(describing: error))")
            return
        }
        #expect(mode & 0o777 == 0o644)
        #expect(error?.exitCode == 2)
    }
}
