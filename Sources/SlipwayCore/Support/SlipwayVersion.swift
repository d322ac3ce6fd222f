/// This build's version.
public enum SlipwayVersion {
    public static let current = "0.1.0"
}
