import Foundation
import GRDB

/// What went wrong with the store file, said on one line: the file, what SQLite said (escaped:
/// a damaged file's names can hold any byte), and what to do about it.
enum StoreFault {
    static func error(_ error: any Error, path: URL, doing what: String? = nil) -> SlipwayError {
        if let error = error as? SlipwayError { return error }
        if let replaced = error as? StoreFileGuard.FileReplaced { return .failure(replaced.message) }
        guard let database = error as? DatabaseError else {
            return SlipwayError(.store(path: path.path, .failed(escaped("\(error)")), doing: what))
        }
        let said = "SQLite error \(database.resultCode.primaryResultCode.rawValue): \(escaped(database.message ?? "\(database.resultCode)"))"
        switch database.resultCode.primaryResultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return SlipwayError(.store(path: path.path, .damaged(said), doing: what))
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return SlipwayError(.store(path: path.path, .locked(said), doing: what))
        default:
            return SlipwayError(.store(path: path.path, .failed(said), doing: what))
        }
    }

    /// Control characters and the replacement character (bytes that were not text) as escapes.
    static func escaped(_ text: String) -> String {
        ConfigText.escaped(text.replacingOccurrences(of: "\u{FFFD}", with: "\\u{FFFD}"))
    }
}
