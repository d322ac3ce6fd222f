#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks the text of an IPv4 address as the socket layer will read it.
public enum IPAddressText {
    static func isValid(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    /// Where a local client reaches a listener bound to `bindAddress`.
    public static func reachable(_ bindAddress: String) -> String {
        bindAddress == "0.0.0.0" ? "127.0.0.1" : bindAddress
    }
}
