import Foundation

/// A log file that rotates by size, as logrotate would: `name.log`, then `name.log.1` ... `name.log.N`.
/// Each line is stamped with its UTC time so the console can show or hide timestamps.
public final class RotatingLog: @unchecked Sendable {
    public let url: URL
    public let maximumBytes: Int
    public let keptFiles: Int
    private let lock = NSLock()
    private var handle: FileHandle
    private var size: Int

    public init(url: URL, maximumBytes: Int = 10 << 20, keptFiles: Int = 3) throws {
        self.url = url
        self.maximumBytes = maximumBytes
        self.keptFiles = keptFiles
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        handle = try FileHandle(forWritingTo: url)
        size = Int(try handle.seekToEnd())
    }

    deinit {
        try? handle.close()
    }

    public func write(_ line: String, time: Date = Date()) {
        let text = "\(Self.stamp(time)) \(line)\n"
        lock.withLock {
            if size + text.utf8.count > maximumBytes { rotate() }
            handle.write(Data(text.utf8))
            size += text.utf8.count
        }
    }

    private func rotate() {
        try? handle.close()
        let manager = FileManager.default
        try? manager.removeItem(atPath: "\(url.path).\(keptFiles)")
        for index in stride(from: keptFiles - 1, through: 1, by: -1) {
            try? manager.moveItem(atPath: "\(url.path).\(index)", toPath: "\(url.path).\(index + 1)")
        }
        try? manager.moveItem(atPath: url.path, toPath: "\(url.path).1")
        _ = manager.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        handle = (try? FileHandle(forWritingTo: url)) ?? FileHandle.nullDevice
        size = 0
    }

    static func stamp(_ date: Date) -> String {
        CivilTime(roundingAsFormatters: date).text(.rfc3339Milliseconds)
    }

    /// The lines of the log and its rotated files, oldest first, at most `limit` from the end.
    public static func tail(of url: URL, keptFiles: Int = 3, limit: Int) -> [String] {
        var lines: [String] = []
        for index in stride(from: keptFiles, through: 0, by: -1) {
            let path = index == 0 ? url.path : "\(url.path).\(index)"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            lines += text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }
        return Array(lines.suffix(limit))
    }
}
