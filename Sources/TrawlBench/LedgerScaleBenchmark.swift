import Foundation
import TrawlDedup
import TrawlLedger

/// Inserts synthetic signatures into a ledger, then looks documents up through the same
/// detector a run uses, and reports rates, mean lookup time, size on disk and peak memory.
public struct LedgerScaleBenchmark {
    public struct Result: CustomStringConvertible {
        public var signatures: Int, lookups: Int
        public var insertSeconds: Double, lookupSeconds: Double
        public var nearHits: Int, expectedNearHits: Int
        public var bytesOnDisk: Int64
        public var peakRSSMiB: Double

        public var description: String {
            """
            inserted \(signatures) signatures in \(String(format: "%.1f", insertSeconds)) s: \(Int(Double(signatures) / insertSeconds)) inserts/s
            looked up \(lookups) documents in \(String(format: "%.2f", lookupSeconds)) s: \(Int(Double(lookups) / lookupSeconds)) lookups/s, mean \(String(format: "%.3f", lookupSeconds / Double(lookups) * 1000)) ms per lookup
            near-duplicate lookups answered: \(nearHits) of \(expectedNearHits) (the other half are unrelated and must miss)
            ledger size on disk: \(String(format: "%.1f", Double(bytesOnDisk) / 1_048_576)) MiB (\(bytesOnDisk / Int64(max(signatures, 1))) bytes per document)
            peak resident memory: \(String(format: "%.1f", peakRSSMiB)) MiB
            """
        }
    }

    public var signatures: Int
    public var lookups: Int
    public var path: URL
    public var batch = 10_000

    public init(signatures: Int, lookups: Int, path: URL) {
        self.signatures = signatures
        self.lookups = lookups
        self.path = path
    }

    /// Deterministic signature number `i` (SplitMix64 stream).
    static func signature(_ i: Int) -> MinHashSignature {
        var state = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 &+ 12345
        return MinHashSignature(values: (0..<MinHashSignature.count).map { _ in
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt32(truncatingIfNeeded: z ^ (z >> 31))
        })
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    static func hash(_ i: Int) -> String { String(repeating: hex(UInt64(i) &* 0x2545_F491_4F6C_DD1D), count: 4) }

    public func run(progress: (String) -> Void = { _ in }) async throws -> Result {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path.path + suffix) }
        // A 64 MiB cache keeps the band index's hot pages in memory while millions of random
        // keys are inserted.
        let ledger = try Ledger(path: path.path, writerCacheMiB: 64)
        let clock = ContinuousClock()
        let start = clock.now
        var i = 0
        while i < signatures {
            let docs = (i..<min(i + batch, signatures)).map { n in
                LedgerDocument(id: Self.hex(0) + Self.hex(UInt64(n)), kind: .record, url: "https://bench.example/\(n)",
                               published: nil, contentSHA256: Self.hash(n), signature: Self.signature(n), firstRun: "bench", lastRun: "bench")
            }
            try ledger.save(docs)
            i += docs.count
            if i % 100_000 == 0 { progress("inserted \(i)") }
        }
        let insertSeconds = Self.seconds(clock.now - start)

        // Half the lookups are near-copies of stored documents (12 of 128 values changed),
        // half are unrelated signatures that must find nothing.
        let detector = DuplicateDetector(ledger: ledger)
        var hits = 0, expected = 0
        let lookupStart = clock.now
        for n in 0..<lookups {
            let target = (n &* 7919) % max(signatures, 1)
            var signature: MinHashSignature
            if n % 2 == 0 {
                expected += 1
                signature = Self.signature(target)
                for k in 0..<12 { signature.values[(k * 11 + n) % MinHashSignature.count] ^= 0x5A5A_5A5A }
            } else {
                signature = Self.signature(signatures + n)
            }
            let decision = try await detector.decide(id: "lookup-\(n)", kind: .record, contentSHA256: Self.hash(signatures + n),
                                               signature: signature, published: nil, threshold: 0.8)
            if case .duplicate = decision, n % 2 == 0 { hits += 1 }
        }
        let lookupSeconds = Self.seconds(clock.now - lookupStart)
        try ledger.checkpoint()
        let size = ["", "-wal"].reduce(Int64(0)) { total, suffix in
            total + ((try? FileManager.default.attributesOfItem(atPath: path.path + suffix)[.size] as? Int64) ?? 0)
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Result(signatures: signatures, lookups: lookups, insertSeconds: insertSeconds, lookupSeconds: lookupSeconds,
                      nearHits: hits, expectedNearHits: expected, bytesOnDisk: size, peakRSSMiB: Double(usage.ru_maxrss) / 1024)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
