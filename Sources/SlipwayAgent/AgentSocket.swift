import Foundation
import NIOCore
import NIOPosix
import SlipwayCore
import SlipwayRouter

/// The agent's unix socket, served by NIO: a connection carries one ``AgentRequest`` and its
/// ``AgentResponse``, each a line of JSON. Only this user's processes are answered (the peer's
/// credentials, SO_PEERCRED); anyone else's connection is closed unread.
final class AgentSocket: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Listens at `path` (an old socket file there is replaced), mode 0600 in a private folder.
    /// `answerAtOnce` answers what needs no turn of the agent's work (on the event loop), `answer`
    /// the rest; `answered` is called once an answer is written (and the connection closed).
    static func listen(
        at path: String, answerAtOnce: @escaping @Sendable (AgentRequest) -> AgentResponse?,
        answer: @escaping @Sendable (AgentRequest) async -> AgentResponse,
        answered: @escaping @Sendable (AgentResponse) -> Void
    ) async throws -> AgentSocket {
        guard path.utf8.count <= UnixSocket.maximumPathBytes else {
            throw SlipwayError(.socket(.pathTooLong(path: path)))
        }
        try PrivateDirectory.prepare((path as NSString).deletingLastPathComponent)
        unlink(path)
        // The socket file takes the umask's mode when bound: none for others from the start.
        let previous = umask(0o177)
        defer { umask(previous) }
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { channel in
                    AgentSocket.peerUID(of: channel).flatMapThrowing { uid in
                        guard uid == getuid() else { throw StrangerRefused(uid: uid) }
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineFrameDecoder(maximumLineLength: 1 << 20)))
                        try channel.pipeline.syncOperations.addHandler(AgentConnectionHandler(
                            answerAtOnce: answerAtOnce, answer: answer, answered: answered))
                    }
                }
                .bind(unixDomainSocketPath: path)
                .get()
        } catch {
            throw SlipwayError(.socket(.cannotListen(path: path, problem: "\(error)")))
        }
        chmod(path, 0o600)
        return AgentSocket(channel: channel)
    }

    /// Returns when the listener is closed.
    func closed() async throws {
        try await channel.closeFuture.get()
    }

    /// The uid of the process at the other end of an accepted connection.
    private static func peerUID(of channel: any Channel) -> EventLoopFuture<uid_t> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(StrangerRefused(uid: nil))
        }
        let credentials: EventLoopFuture<PeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return credentials.map(\.uid)
    }
}

/// glibc's `struct ucred`, hidden behind _GNU_SOURCE: three 32-bit fields, in this order.
private struct PeerCredentials: Sendable {
    var pid: pid_t = 0
    var uid: uid_t = 0
    var gid: gid_t = 0
}

/// A connection from a process of another user (or whose credentials could not be read).
private struct StrangerRefused: Error {
    let uid: uid_t?
}
