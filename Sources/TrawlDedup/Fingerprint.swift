import Crypto
import Foundation

/// Content and identity hashes. Record ids are derived from the canonical URL, so the same
/// release keeps its id (and its output file name) across runs.
public enum Fingerprint {
    public static func sha256Hex(_ data: some DataProtocol) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    public static func sha256Hex(_ string: String) -> String {
        sha256Hex(Data(string.utf8))
    }

    /// A stable 128-bit id (32 hex digits) for a canonical URL.
    public static func recordID(canonicalURL: URL) -> String {
        String(sha256Hex(canonicalURL.absoluteString).prefix(32))
    }
}
