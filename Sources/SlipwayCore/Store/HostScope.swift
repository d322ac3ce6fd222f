/// Which hosts' local records (slots, routes, processes, live probes) a read covers: an agent
/// reads its own host's, acting on nothing of another host's; status and the console read every host's.
public enum HostScope: Sendable, Equatable {
    case everyHost
    case host(String)

    /// The host this process runs on (`ProcessIdentity.hostName`).
    public static var thisHost: HostScope { .host(ProcessIdentity.hostName) }

    /// The one host in the scope; nil for every host.
    var name: String? {
        switch self {
        case .everyHost: nil
        case .host(let name): name
        }
    }
}
