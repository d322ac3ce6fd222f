import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// moto's AWS API emulator (PyPI `moto[server]`, installed into .venv by `make test`), started on
/// a free loopback port of its own for one test and stopped when the test lets go of it; it also
/// exits when the test process dies (it reads its standard input until end of file), so no
/// process outlives the test. `aws(...)` runs the real `aws` CLI against it.
///
/// Two things are added in front of moto, both in the launcher below:
/// - moto's `update-service` keeps the service's PRIMARY deployment on its old task definition,
///   where ECS starts a new primary deployment with the new one; the launcher makes moto do as
///   ECS does, finished at once (moto runs no tasks).
/// - faults: a request signed with an access key starting `DENIED`, or calling an action named in
///   `denyFile`, is answered 403 with the body AWS gives an unknown key (JSON or XML per protocol).
public final class MotoServer: @unchecked Sendable {
    /// Actions (such as `ModifyListener`) to answer with 403, one per line; empty at first.
    public let denyFile: URL
    private let server: StandinProcess
    public var port: Int { server.port }

    public static let region = "eu-west-2"

    public init() throws {
        try ExternalTool.require("aws", "moto_server")
        try ExternalTool.requirePython(module: "moto")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-moto-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        denyFile = scratch.appendingPathComponent("deny")
        let errors = scratch.appendingPathComponent("stderr")
        try Data().write(to: denyFile)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        do {
            server = try StandinProcess(label: "moto", python: ["-c", Self.launcher, denyFile.path], errors: try FileHandle(forWritingTo: errors))
        } catch {
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw ExternalTool.Missing(description: "\(error) \(stderr.suffix(2000))")
        }
        try waitUntilAnswering()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: denyFile.deletingLastPathComponent())
    }

    /// Stops moto and waits for it to exit.
    public func stop() { server.stop() }

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// What the `aws` CLI and Slipway need to talk to this moto and nothing else: fake
    /// credentials, the region, the endpoint, and no configuration files of the machine.
    public var environment: [String: String] {
        [
            "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": Self.region, "AWS_DEFAULT_REGION": Self.region, "AWS_CONFIG_FILE": "/nonexistent",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PAGER": "",
        ]
    }

    /// Answers 403 to the named actions from now on.
    public func deny(_ actions: String...) throws {
        try actions.joined(separator: "\n").write(to: denyFile, atomically: true, encoding: .utf8)
    }

    /// Runs `aws ARGUMENTS --output json` against moto and returns its decoded answer (an empty
    /// dictionary for none); throws with the CLI's error output when it fails.
    @discardableResult
    public func aws(_ arguments: String...) throws -> [String: Any] {
        try aws(arguments)
    }

    @discardableResult
    public func aws(_ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ExternalTool.require("aws"))
        process.arguments = arguments + ["--output", "json"]
        var variables = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        variables.removeValue(forKey: "AWS_PROFILE")
        process.environment = variables
        let output = Pipe()
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-aws-\(UUID().uuidString.prefix(8))")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw AWSFailure(description: "aws \(arguments.prefix(2).joined(separator: " ")) failed: \(stderr)")
        }
        guard !data.isEmpty else { return [:] }
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    public struct AWSFailure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Waits until moto answers its own API, generously: the machine is shared.
    private func waitUntilAnswering() throws {
        let url = URL(string: "\(endpoint)/moto-api/data.json")!
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if (try? Data(contentsOf: url)) != nil { return }
            guard server.isRunning else { break }
            usleep(100_000)
        }
        stop()
        throw ExternalTool.Missing(description: "moto on port \(port) never answered")
    }

    /// moto's own server with the two additions described above.
    static let launcher = #"""
import io, os, sys, threading
from moto.ecs import models as ecs
from moto.server import DomainDispatcherApplication, create_backend_app
from moto.moto_server.threaded_moto_server import MotoRequestHandler
from werkzeug.serving import make_server

deny_file = sys.argv[1]
original_update_service = ecs.EC2ContainerServiceBackend.update_service

def update_service(self, properties):
    new_definition = properties.get("task_definition")
    service = original_update_service(self, properties)
    if new_definition and service.deployments:
        service.deployments[0]["taskDefinition"] = service.task_definition
        service.deployments[0]["rolloutState"] = "COMPLETED"
    return service

ecs.EC2ContainerServiceBackend.update_service = update_service
moto = DomainDispatcherApplication(create_backend_app)

def denied(environ, body):
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if "Credential=DENIED" in authorization:
        return True
    with open(deny_file) as handle:
        actions = [line.strip() for line in handle if line.strip()]
    target = environ.get("HTTP_X_AMZ_TARGET", "").split(".")[-1]
    text = body.decode("utf-8", "replace")
    return any(target == action or ("Action=" + action + "&") in (text + "&") for action in actions)

def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    if not denied(environ, body):
        return moto(environ, start_response)
    message = "The security token included in the request is invalid."
    if "json" in environ.get("CONTENT_TYPE", "") or environ.get("PATH_INFO", "").startswith("/20"):
        payload = ('{"__type":"UnrecognizedClientException","message":"%s"}' % message).encode()
        headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", "UnrecognizedClientException")]
    else:
        payload = ("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>%s</Message>"
                   "</Error><RequestId>denied</RequestId></ErrorResponse>" % message).encode()
        headers = [("Content-Type", "text/xml")]
    start_response("403 Forbidden", headers + [("Content-Length", str(len(payload)))])
    return [payload]

server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
print("port %d" % server.server_address[1], flush=True)

def watch_input():
    # The test process holds the other end: when it goes, so does moto.
    while sys.stdin.buffer.read(1024):
        pass
    os._exit(0)

threading.Thread(target=watch_input, daemon=True).start()
server.serve_forever()
"""#
}
