import Crypto
import CryptoExtras
import Foundation

/// ODF-style package encryption (META-INF/manifest.xml), as HWPX uses it: per entry a salt,
/// an IV, PBKDF2-HMAC-SHA1 over a SHA-256 start key, AES-CBC, then raw deflate, and a
/// checksum over the first KiB that tells a right password from a wrong one.
///
/// Hancom's distribution (배포용) documents are encrypted with a fixed password published in
/// Hancom's own OWPML code; the per-document "distribution password" only guards editing in
/// Hancom's viewer. Older writers passed a truncated copy of it (one byte).
struct PackageDecryptor {
    static let distributionPasswords: [[UInt8]] = [Array("\"Yang WangSunv!!\"".utf8), Array("\"".utf8)]

    struct Entry {
        var path: String
        var size: Int
        var checksum: Data
        var checksumType: String
        var iv: Data
        var salt: Data
        var iterations: Int
        var keySize: Int
        var startKeySHA1: Bool
        var algorithm: String
    }

    let entries: [String: Entry]

    init(manifest: Data, name: String) throws {
        let reader = try XMLStreamReader(manifest, name: "\(name): META-INF/manifest.xml")
        var out: [String: Entry] = [:]
        var current: Entry?
        while let e = try reader.next() {
            switch e {
            case .start("file-entry"):
                current = Entry(path: reader.attribute("full-path") ?? "", size: reader.attribute("size").flatMap(Int.init) ?? 0,
                                checksum: Data(), checksumType: "", iv: Data(), salt: Data(), iterations: 1024, keySize: 32,
                                startKeySHA1: false, algorithm: "")
            case .start("encryption-data"):
                current?.checksum = Data(base64Encoded: reader.attribute("checksum") ?? "") ?? Data()
                current?.checksumType = reader.attribute("checksum-type") ?? ""
            case .start("algorithm"):
                current?.iv = Data(base64Encoded: reader.attribute("initialisation-vector") ?? "") ?? Data()
                current?.algorithm = reader.attribute("algorithm-name") ?? ""
            case .start("key-derivation"):
                current?.salt = Data(base64Encoded: reader.attribute("salt") ?? "") ?? Data()
                current?.iterations = reader.attribute("iteration-count").flatMap(Int.init) ?? 1024
                current?.keySize = reader.attribute("key-size").flatMap(Int.init) ?? 32
            case .start("start-key-generation"):
                current?.startKeySHA1 = (reader.attribute("start-key-generation-name") ?? "").lowercased().contains("sha1")
            case .end("file-entry"):
                if let c = current, !c.iv.isEmpty { out[c.path] = c }
                current = nil
            default: break
            }
        }
        entries = out
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The password that opens these entries (tried on the smallest one), or nil.
    func findPassword(in zip: ZipArchive, candidates: [[UInt8]], context: ExtractionContext) throws -> [UInt8]? {
        guard let probe = entries.values.min(by: { $0.size < $1.size }),
              let raw = try zip.read(probe.path, context: context) else { return nil }
        for password in candidates {
            if (try? decrypt(raw, entry: probe, password: password, verify: true, name: zip.name, context: context)) != nil {
                return password
            }
        }
        return nil
    }

    /// Decrypts and inflates one entry; with `verify`, a checksum mismatch is an error.
    func decrypt(_ data: Data, entry: Entry, password: [UInt8], verify: Bool, name: String, context: ExtractionContext) throws -> Data {
        let label = "\(name): entry \(entry.path)"
        guard entry.algorithm.lowercased().contains("aes") || entry.algorithm.isEmpty else {
            throw DocumentError(.unsupportedFormat, "\(label) is encrypted with \(entry.algorithm), which Trawl does not read")
        }
        let startKey: Data = entry.startKeySHA1 ? Data(Insecure.SHA1.hash(data: password)) : Data(SHA256.hash(data: password))
        let key: SymmetricKey
        let iv: AES._CBC.IV
        do {
            key = try KDF.Insecure.PBKDF2.deriveKey(from: startKey, salt: entry.salt, using: .insecureSHA1,
                                                    outputByteCount: entry.keySize, unsafeUncheckedRounds: max(1, min(entry.iterations, 1_000_000)))
            iv = try AES._CBC.IV(ivBytes: entry.iv)
        } catch {
            throw DocumentError(.damaged, "\(label): bad encryption parameters in the manifest")
        }
        let usable = data.prefix(data.count - data.count % 16)
        let decrypted: Data
        do { decrypted = try AES._CBC.decrypt(usable, using: key, iv: iv, noPadding: true) } catch {
            throw DocumentError(.damaged, "\(label) cannot be decrypted")
        }
        let cap = min(context.limits.maxEntryBytes, context.budget.remaining)
        var plain: Data
        switch try? Inflate.raw(decrypted, max: cap, name: label) {
        case .complete(let d)?: plain = d
        default: plain = decrypted.prefix(entry.size > 0 ? entry.size : decrypted.count)  // stored, not deflated
        }
        if verify || !entry.checksum.isEmpty {
            let ok = checksum(plain, type: entry.checksumType) == entry.checksum || checksum(decrypted, type: entry.checksumType) == entry.checksum
            if !ok {
                throw DocumentError(.encrypted, "\(label): wrong password (checksum mismatch)")
            }
        }
        try context.budget.spend(plain.count, on: label)
        return plain
    }

    private func checksum(_ data: Data, type: String) -> Data {
        let head = data.prefix(1024)
        return type.lowercased().contains("sha1") ? Data(Insecure.SHA1.hash(data: head)) : Data(SHA256.hash(data: head))
    }
}
