import Foundation

extension Engine {
    /// The component's migrations folder, read and checked (names, versions, repeatables).
    public func migrationCatalog(of component: Component) throws(SlipwayError) -> MigrationCatalog {
        guard let settings = component.settings.database else {
            throw SlipwayError(.databaseSetup(.notDeclared(component: component.name, path: component.path)))
        }
        return try MigrationCatalog.load(
            component.directory.appendingPathComponent(settings.migrations), folder: "\(component.path)/\(settings.migrations)")
    }

    /// The component's migrations and the connection string of `environment`'s database.
    public func migrationTarget(of component: Component, environment name: String) throws(SlipwayError) -> MigrationTarget {
        let catalog = try migrationCatalog(of: component)
        let database = try environmentDatabase(named: name)
        let url = try databaseURL(of: database, environment: name)
        return MigrationTarget(component: component, environment: name, catalog: catalog, databaseName: database.name, url: url)
    }

    /// The `databases:` entry `environment` names.
    func environmentDatabase(named name: String) throws(SlipwayError) -> DatabaseSettings {
        let environment = try workspace.environment(named: name)
        guard let databaseName = environment.database else {
            throw SlipwayError(.databaseSetup(.environmentNamesNone(environment: name)))
        }
        guard let database = workspace.config.databases[databaseName] else {
            throw SlipwayError(.databaseSetup(.notInDatabases(database: databaseName, environment: name)))
        }
        return database
    }

    /// The connection string of `database`, from its variable.
    func databaseURL(of database: DatabaseSettings, environment name: String) throws(SlipwayError) -> DatabaseURL {
        guard let urlEnv = database.urlEnv else { throw SlipwayError(.databaseSetup(.noURLVariable(database: database.name))) }
        guard let text = variable(urlEnv) else {
            throw SlipwayError(.databaseSetup(.variableUnset(variable: urlEnv, database: database.name, environment: name)))
        }
        return try DatabaseURL(text, name: "database '\(database.name)' (\(urlEnv))")
    }

    func variable(_ name: String) -> String? {
        let value = (environment.isEmpty ? ProcessInfo.processInfo.environment : environment)[name]
        return value?.isEmpty == false ? value : nil
    }

    /// The folder compared with the database's history; read without the lock.
    public func migrationPlan(_ target: MigrationTarget) async throws(SlipwayError) -> MigrationPlan {
        let database = try await MigrationDatabase.connect(target.url, name: target.databaseName)
        do {
            let history = try await database.history()
            await database.close()
            return MigrationPlan(catalog: target.catalog, history: history)
        } catch {
            await database.close()
            throw error
        }
    }

    /// Validates and applies the pending migrations under the database's lock, then records the
    /// outcome in the audit log. Unexcused lint findings in a pending file refuse the apply, and
    /// so, in production, does a file staging has not applied successfully with the same checksum.
    public func applyMigrations(_ target: MigrationTarget) async throws(SlipwayError) -> MigrationApplyResult {
        try authorize(.applyMigrations, environment: target.environment, component: target.component.name)
        let staging = try await stagingHistory(for: target)
        let database = try await MigrationDatabase.connect(target.url, name: target.databaseName)
        let output = self.output
        var result = MigrationApplyResult(
            component: target.component.name, environment: target.environment, applied: [], allowances: [], version: nil)
        // Once a file has been sent to the database, a failure is recorded in the audit too.
        var attempted = false
        do {
            try await database.withLock(waiting: {
                output("another apply holds the migration lock of database '\(target.databaseName)': waiting for it")
            }) { () async throws(SlipwayError) in
                try await database.createHistoryTable()
                let plan = MigrationPlan(catalog: target.catalog, history: try await database.history())
                result.version = plan.current
                let pending = try plan.validated()
                let findings = target.catalog.lint(pending)
                let refused = findings.filter { !$0.isAllowed }
                if let first = refused.first {
                    let more = refused.count > 1 ? " (and \(refused.count - 1) more: see slipway migrate lint)" : ""
                    throw SlipwayError.failure(
                        "not applied: \(first)\(more); make it additive or add `-- slipway:allow \(first.rule.rawValue): <reason>` to the statement")
                }
                result.allowances = findings
                if let staging {
                    try Self.requireValidated(pending, in: staging, catalog: target.catalog)
                }
                for file in pending {
                    attempted = true
                    let path = target.catalog.path(of: file)
                    let transactional = !SQLStatement.split(file.text).contains(where: \.cannotRunInTransaction)
                    let milliseconds = try await database.apply(file, path: path)
                    result.applied.append(.init(version: file.version, script: file.script, milliseconds: milliseconds, transactional: transactional))
                    result.version = file.version
                    output("applied \(path) in \(milliseconds) ms\(transactional ? "" : " (outside a transaction)")")
                }
            }
        } catch {
            await database.close()
            if attempted {
                try? record(result, target: target, failure: error.message)
            }
            throw error
        }
        await database.close()
        if !result.applied.isEmpty { try record(result, target: target, failure: nil) }
        return result
    }

    /// Staging's history when `target` is production (the environment the deployment checklist
    /// guards) and the workspace has a staging environment; nil otherwise.
    private func stagingHistory(for target: MigrationTarget) async throws(SlipwayError) -> [SchemaHistoryEntry]? {
        guard DeploymentChecklist.applies(to: target.environment),
              workspace.config.environmentNames.contains(Self.validatingEnvironment) else { return nil }
        let staging: MigrationTarget
        do {
            staging = try migrationTarget(of: target.component, environment: Self.validatingEnvironment)
        } catch {
            throw SlipwayError(.databaseSetup(.stagingUnreachable(problem: error.message)))
        }
        let database = try await MigrationDatabase.connect(staging.url, name: staging.databaseName)
        do {
            let history = try await database.history()
            await database.close()
            return history
        } catch {
            await database.close()
            throw error
        }
    }

    /// The environment whose successful apply validates a migration for production.
    static let validatingEnvironment = "staging"

    /// Refuses the first of `pending` that staging's history lacks, or holds as failed or with
    /// another checksum (the file changed after staging applied it).
    static func requireValidated(_ pending: [MigrationFile], in staging: [SchemaHistoryEntry], catalog: MigrationCatalog) throws(SlipwayError) {
        for file in pending {
            let entry = staging.last { $0.type == "SQL" && $0.migrationVersion == file.version }
            let path = catalog.path(of: file)
            guard let entry, entry.success else {
                throw SlipwayError(.migration(.notAppliedIn(environment: validatingEnvironment, path: path, file.version)))
            }
            guard entry.checksum == file.checksum else {
                throw SlipwayError(.migration(.differsFrom(environment: validatingEnvironment, path: path, there: entry.checksum, here: file.checksum)))
            }
        }
    }

    /// The production checklist's "migrations validated" item: passed when every migration file
    /// of the component is applied in staging (same checksum) and in production, so the code about
    /// to go live finds its schema there (expand before deploy); failed, with the reason, otherwise.
    public func migrationsValidated(of component: Component) async -> DeploymentChecklist.Item {
        guard component.settings.database != nil else { return DeploymentChecklist.noMigrations }
        func failed(_ detail: String) -> DeploymentChecklist.Item {
            DeploymentChecklist.Item(name: DeploymentChecklist.noMigrations.name, status: .failed, detail: detail)
        }
        do throws(SlipwayError) {
            let production = try migrationTarget(of: component, environment: "production")
            guard let staging = try await stagingHistory(for: production) else {
                return failed("no \(Self.validatingEnvironment) environment to validate them in")
            }
            let plan = try await migrationPlan(production)
            if let problem = plan.problems.first { return failed(problem) }
            try Self.requireValidated(production.catalog.versioned, in: staging, catalog: production.catalog)
            if let next = plan.pending.first {
                return failed("\(plan.pending.count) pending in production, first \(production.catalog.path(of: next)): run slipway migrate apply --env production")
            }
            let version = plan.current.map { "schema at version \($0)" } ?? "no migrations yet"
            return DeploymentChecklist.Item(name: DeploymentChecklist.noMigrations.name, status: .passed, detail: "\(version), validated in staging")
        } catch {
            return failed(error.message.hasPrefix("not applied: ") ? String(error.message.dropFirst("not applied: ".count)) : error.message)
        }
    }

    private func record(_ result: MigrationApplyResult, target: MigrationTarget, failure: String?) throws(SlipwayError) {
        try store.append(NewEvent(
            .migrationApplied, component: target.component.name, environment: target.environment,
            details: EventDetails(
                version: result.version?.text, outcome: failure == nil ? "succeeded" : "failed", reason: failure, origin: origin,
                migrations: result.applied.map(\.script),
                allowances: result.allowances.map { "\($0.location) \($0.rule.rawValue): \($0.allowedBecause ?? "")" })))
    }

    /// Clears the history rows of failed migrations, under the lock; returns how many.
    public func repairMigrations(_ target: MigrationTarget) async throws(SlipwayError) -> Int {
        try authorize(.repairMigrations, environment: target.environment, component: target.component.name)
        let database = try await MigrationDatabase.connect(target.url, name: target.databaseName)
        let output = self.output
        do {
            let count = try await database.withLock(waiting: {
                output("another apply holds the migration lock of database '\(target.databaseName)': waiting for it")
            }) { () async throws(SlipwayError) in
                try await database.createHistoryTable()
                return try await database.removeFailedEntries()
            }
            await database.close()
            return count
        } catch {
            await database.close()
            throw error
        }
    }
}
