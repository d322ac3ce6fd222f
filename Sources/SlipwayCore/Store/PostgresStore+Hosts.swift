import Foundation
import PostgresNIO

/// The fleet's hosts, as their agents last said, on the shared store.
extension PostgresStore {
    /// Without the append lock: a heartbeat is one row of its own host, and many hosts beat.
    public func recordHeartbeat(of host: HostRecord) throws(SlipwayError) {
        try writingWithoutAppendLock("cannot record the host's heartbeat in the store") { connection, logger in
            _ = try await connection.query("""
                INSERT INTO slipway.hosts (host, pid, pid_start_time, version, started_at, last_seen, stopped_at)
                VALUES (
                    \(host.host), \(Int64(host.pid)), \(host.pidStartTime), \(host.version), \(host.startedAt), \(host.lastSeen),
                    \(host.stoppedAt))
                ON CONFLICT (host) DO UPDATE SET pid = EXCLUDED.pid, pid_start_time = EXCLUDED.pid_start_time,
                    version = EXCLUDED.version, started_at = EXCLUDED.started_at, last_seen = EXCLUDED.last_seen,
                    stopped_at = EXCLUDED.stopped_at
                """, logger: logger)
        }
    }

    public func hosts() throws(SlipwayError) -> [HostRecord] {
        try reading("cannot read the store's hosts") { connection, logger in
            let rows = try await connection.query("""
                SELECT host, pid::integer, pid_start_time, version, started_at, last_seen, stopped_at
                FROM slipway.hosts ORDER BY host COLLATE "C"
                """, logger: logger)
            var hosts: [HostRecord] = []
            for try await (host, pid, pidStartTime, version, startedAt, lastSeen, stoppedAt)
                in rows.decode((String, Int32, String, String, Date, Date, Date?).self) {
                hosts.append(HostRecord(
                    host: host, pid: pid, pidStartTime: pidStartTime, version: version, startedAt: startedAt, lastSeen: lastSeen,
                    stoppedAt: stoppedAt))
            }
            return hosts
        }
    }
}
