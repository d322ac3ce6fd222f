/// An app (under `apps/`) or a service (under `services/`). Here, below the workspace, because
/// errors name it (`unknown app 'x'; x is a service`).
public enum ComponentKind: String, Sendable, Codable {
    case app
    case service
}
