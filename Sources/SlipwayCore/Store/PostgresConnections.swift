import Logging
import NIOPosix
import PostgresNIO

/// The connections one `PostgresEventStore` keeps between its operations, so an append costs its
/// round trips and not a new connection (a TCP or socket connect, the startup and authentication
/// exchange) each time.
///
/// Not postgres-nio's `PostgresClient`: its pool needs a task running `run()` for its lifetime,
/// which a store value has no place for, and it keeps retrying a server that refuses connections
/// instead of failing the operation (postgres-nio issues 489 and 565), where a command must say
/// `cannot connect` in one line. Concurrent operations each take a connection of their own (an
/// idle one, or a new one); at most `keep` wait idle between operations. A connection that failed
/// in any way is closed, never kept: the next operation opens a new one.
actor PostgresConnections {
    private let database: DatabaseURL
    private let logger: Logger
    private let keep: Int
    private var idle: [PostgresConnection] = []

    init(database: DatabaseURL, logger: Logger, keep: Int = 4) {
        self.database = database
        self.logger = logger
        self.keep = keep
    }

    /// An open connection for one operation, and whether it served an earlier one. With `fresh`,
    /// every idle connection is dropped first (after one the server closed, the others likely are
    /// too: a restart) and a new one opened.
    func lease(fresh: Bool = false) async throws -> (connection: PostgresConnection, reused: Bool) {
        if fresh {
            for connection in idle { try? await connection.close() }
            idle.removeAll()
        }
        while let connection = idle.popLast() {
            if !connection.isClosed { return (connection, true) }
        }
        return (try await Self.connect(database, logger: logger), false)
    }

    /// Keeps `connection` for the next operation, or closes it when `keep` are idle already.
    func giveBack(_ connection: PostgresConnection) async {
        guard !connection.isClosed else { return }
        if idle.count < keep {
            idle.append(connection)
        } else {
            try? await connection.close()
        }
    }

    /// Closes a connection whose operation failed: its session state is not known.
    func discard(_ connection: PostgresConnection) async {
        try? await connection.close()
    }

    /// The loop every store connection does its I/O on: not NIO's shared one, whose threads also
    /// run channel handlers (the agent's socket) that call the synchronous store and wait; a
    /// connection on the waiting thread's own loop would never answer it (an agent hung so on
    /// `agent stop`).
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// A new connection to `database`, for an operation or a follower's listening session.
    static func connect(_ database: DatabaseURL, logger: Logger) async throws -> PostgresConnection {
        try await PostgresConnection.connect(on: eventLoops.next(), configuration: database.configuration(), id: 1, logger: logger)
    }

    deinit {
        for connection in idle {
            // postgres-nio asserts that a connection is closed before it goes, so the closure
            // holds it until the close completes.
            connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
        }
    }
}
