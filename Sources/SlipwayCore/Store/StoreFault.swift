import Foundation
import GRDB

/// What went wrong with the store file, said on one line: the file, what SQLite said (escaped:
/// a damaged file's names can hold any byte), and what to do about it.
enum StoreFault {
    static func error(_ error: any Error, path: URL, doing what: String? = nil) -> SlipwayError {
        if let error = error as? SlipwayError { return error }
        if let replaced = error as? StoreFileGuard.FileReplaced { return .failure(replaced.message) }
        let doing = what.map { "\($0): " } ?? ""
        guard let database = error as? DatabaseError else {
            return .failure("\(doing)store \(path.path): \(escaped("\(error)"))")
        }
        let said = "SQLite error \(database.resultCode.primaryResultCode.rawValue): \(escaped(database.message ?? "\(database.resultCode)"))"
        switch database.resultCode.primaryResultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .failure("\(doing)the store \(path.path) is damaged (\(said)); run 'slipway store check', and restore a backup or move it aside")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .failure("\(doing)the store \(path.path) stayed locked by another process (\(said)); try again, or see who holds it with 'fuser \(path.path)'")
        default:
            return .failure("\(doing)store \(path.path): \(said)")
        }
    }

    /// Control characters and the replacement character (bytes that were not text) as escapes.
    static func escaped(_ text: String) -> String {
        ConfigText.escaped(text.replacingOccurrences(of: "\u{FFFD}", with: "\\u{FFFD}"))
    }
}
