import Foundation

extension PostgresStore {
    public func slots() throws(SlipwayError) -> [SlotRecord] {
        throw SlipwayError.failure("slots is not on the shared PostgreSQL store yet")
    }

    public func save(_ slot: SlotRecord, event: NewEvent?) throws(SlipwayError) {
        throw SlipwayError.failure("save is not on the shared PostgreSQL store yet")
    }

    public func routes() throws(SlipwayError) -> [RouteRecord] {
        throw SlipwayError.failure("routes is not on the shared PostgreSQL store yet")
    }

    public func save(_ route: RouteRecord, event: NewEvent?) throws(SlipwayError) {
        throw SlipwayError.failure("save is not on the shared PostgreSQL store yet")
    }

    public func process(role: String) throws(SlipwayError) -> ProcessRecord? {
        throw SlipwayError.failure("process is not on the shared PostgreSQL store yet")
    }

    public func processes() throws(SlipwayError) -> [ProcessRecord] {
        throw SlipwayError.failure("processes is not on the shared PostgreSQL store yet")
    }

    public func save(_ process: ProcessRecord) throws(SlipwayError) {
        throw SlipwayError.failure("save is not on the shared PostgreSQL store yet")
    }

    public func deleteProcess(role: String) throws(SlipwayError) {
        throw SlipwayError.failure("deleteProcess is not on the shared PostgreSQL store yet")
    }

    public func save(_ probe: LiveProbe) throws(SlipwayError) {
        throw SlipwayError.failure("save is not on the shared PostgreSQL store yet")
    }

    public func liveProbes() throws(SlipwayError) -> [LiveProbe] {
        throw SlipwayError.failure("liveProbes is not on the shared PostgreSQL store yet")
    }

    public func save(_ reading: PlatformReading) throws(SlipwayError) {
        throw SlipwayError.failure("save is not on the shared PostgreSQL store yet")
    }

    public func platformReadings() throws(SlipwayError) -> [PlatformReading] {
        throw SlipwayError.failure("platformReadings is not on the shared PostgreSQL store yet")
    }

    public func canaries() throws(SlipwayError) -> [CanaryRecord] {
        throw SlipwayError.failure("canaries is not on the shared PostgreSQL store yet")
    }

    public func canary(component: String, environment: String) throws(SlipwayError) -> CanaryRecord? {
        throw SlipwayError.failure("canary is not on the shared PostgreSQL store yet")
    }

    public func save(_ canary: CanaryRecord, event: NewEvent?) throws(SlipwayError) {
        throw SlipwayError.failure("save is not on the shared PostgreSQL store yet")
    }

    public func request(_ command: CanaryCommand.Kind, component: String, environment: String) throws(SlipwayError) {
        throw SlipwayError.failure("request is not on the shared PostgreSQL store yet")
    }

    public func takeCanaryCommands(component: String, environment: String) throws(SlipwayError) -> [CanaryCommand] {
        throw SlipwayError.failure("takeCanaryCommands is not on the shared PostgreSQL store yet")
    }
}
