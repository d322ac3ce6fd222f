import Foundation

/// A component's migrations folder: its versioned files in version order and the compensating
/// script of each version that has one.
///
/// Data/ is above Targets/, a peer of Release/, Pipeline/, Gates/, Health/ and Secrets/ (Support <- Workspace
/// <- Store <- Targets <- Release, Pipeline, Gates, Health, Data, Secrets <- ReadModel <- Engine).
public struct MigrationCatalog: Sendable, Equatable {
    /// The folder as the workspace names it (`services/accounts/migrations`), for messages.
    public var folder: String
    public var versioned: [MigrationFile]
    public var compensating: [MigrationVersion: MigrationFile]

    public init(folder: String, versioned: [MigrationFile], compensating: [MigrationVersion: MigrationFile] = [:]) {
        self.folder = folder
        self.versioned = versioned.sorted { $0.version < $1.version }
        self.compensating = compensating
    }

    public func path(of file: MigrationFile) -> String { "\(folder)/\(file.script)" }

    /// Reads every `.sql` file under `directory` (subfolders too, as Flyway does). Other files
    /// are left alone; a `.sql` file that is no migration's name is refused, so a typo never
    /// leaves a migration silently unapplied.
    public static func load(_ directory: URL, folder: String) throws(SlipwayError) -> MigrationCatalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SlipwayError(.migration(.noFolder(folder)))
        }
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else {
            throw SlipwayError(.migration(.unreadableFolder(folder)))
        }
        var versioned: [MigrationFile] = []
        var compensating: [MigrationVersion: MigrationFile] = [:]
        let scripts = enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".sql") }.sorted()
        for script in scripts {
            let path = "\(folder)/\(script)"
            guard let (kind, version, description) = try MigrationFile.parseName((script as NSString).lastPathComponent, at: path)
            else { continue }
            let text: String
            do {
                text = String(decoding: try Data(contentsOf: directory.appendingPathComponent(script)), as: UTF8.self)
            } catch {
                throw SlipwayError(.migration(.unreadable(path: path, problem: error.localizedDescription)))
            }
            let file = MigrationFile(kind: kind, version: version, description: description, script: script, text: text)
            switch kind {
            case .versioned:
                if let other = versioned.first(where: { $0.version == version }) {
                    throw SlipwayError(.migration(.duplicateVersion(path: path, version, other: "\(folder)/\(other.script)")))
                }
                versioned.append(file)
            case .compensating:
                if let other = compensating[version] {
                    throw SlipwayError(.migration(.duplicateCompensating(path: path, version, other: "\(folder)/\(other.script)")))
                }
                compensating[version] = file
            }
        }
        for (version, file) in compensating where !versioned.contains(where: { $0.version == version }) {
            throw SlipwayError(.migration(.compensatesNothing(path: "\(folder)/\(file.script)", version)))
        }
        return MigrationCatalog(folder: folder, versioned: versioned, compensating: compensating)
    }

    /// Findings of `migrate lint` for `files` (default: every versioned file).
    public func lint(_ files: [MigrationFile]? = nil) -> [MigrationLintFinding] {
        (files ?? versioned).flatMap { MigrationLinter.lint($0.text, file: path(of: $0)) }
    }
}
