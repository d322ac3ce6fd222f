import Foundation
import PostgresNIO

extension PostgresEventStore {
    /// Signals the newest event id as appends notify `channel`, listening on a connection of its
    /// own, until the task is cancelled. Each time it starts listening it reads the newest id, so
    /// what committed while it was not listening is signalled too. While it cannot listen (a
    /// dropped connection, a server restarting, a refusal) it reads the newest id every
    /// `interval` seconds of `clock` and tries to listen again each time.
    func listenForChanges(signal: @escaping StoreChanges.Signal, pollEvery interval: Double, clock: any EngineClock) async {
        var lost = false
        while !Task.isCancelled {
            do {
                let connection = try await connect()
                do {
                    try await connection.listen(on: Self.channel) { notifications in
                        // Read on another connection: this one's last statement stays the LISTEN,
                        // which is how an operator (or a test) tells the listener in pg_stat_activity.
                        signal(try await latestEventID())
                        if lost {
                            lost = false
                            notice("listening to the store at \(location) again")
                        }
                        for try await notification in notifications {
                            if let id = Int64(notification.payload) { signal(id) }
                        }
                        if !Task.isCancelled { throw ListenerEnded() }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                guard !Task.isCancelled else { return }
                if !lost {
                    lost = true
                    notice("lost the store's listening connection (\(masker.mask(Self.describe(error)))); reading it every "
                        + "\(Duration.milliseconds(Int64((interval * 1000).rounded()))) until it listens again")
                }
            }
            if let id = try? await latestEventID() { signal(id) }
            guard (try? await clock.sleep(seconds: interval)) != nil else { return }
        }
    }
}
