/// The version of cts, written into every JSON output and metadata file (`cts --version`).
public enum CTSVersion {
    public static let current = "0.9.0"
}
