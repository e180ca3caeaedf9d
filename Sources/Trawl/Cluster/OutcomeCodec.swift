import Foundation
import TrawlDedup
import TrawlHTTP

/// A release as it travels through the shared queue, and its outcome as the writer reads it:
/// everything the writer needs, so that it makes the same decisions as in one process.
extension QueuedRelease {
    init(_ task: ReleaseTask) {
        var file: String?
        var fileError: ItemError?
        if case .file(let result) = task.origin {
            switch result {
            case .success(let url): file = url.path
            case .failure(let e): fileError = e
            }
        }
        self.init(sequence: task.sequence, source: task.source, url: task.url.absoluteString,
                  canonicalURL: task.canonicalURL.absoluteString, file: file, fileError: fileError,
                  revisit: task.revisit, reportsBack: task.reportsBack)
    }

    /// nil when a stored URL no longer parses (the item is then failed, not lost).
    var task: ReleaseTask? {
        guard let url = URL(string: url), let canonical = URL(string: canonicalURL) else { return nil }
        let origin: ReleaseTask.Origin
        if let fileError { origin = .file(.failure(fileError)) } else if let file { origin = .file(.success(URL(fileURLWithPath: file))) } else { origin = .http }
        var task = ReleaseTask(sequence: sequence, source: source, url: url, canonicalURL: canonical, origin: origin)
        task.revisit = revisit
        task.reportsBack = reportsBack
        return task
    }
}

/// `Pipeline.Outcome` in JSON (records keep their own Codable form, so the writer encodes
/// exactly the record the worker built).
struct OutcomeCodec {
    private struct Wire: Codable {
        var record: Record?
        var error: ItemError?
        var status: String
        var goneStatus: Int?
        var validators: Validators?
        var bodySHA256: String?
        var signature: Data?
        var attachmentSignatures: [String: Data]
        /// Attachments whose earlier extraction stood in for a failed download (URL, error).
        var kept: [KeptFailure]?
    }

    private struct KeptFailure: Codable {
        var url: String
        var error: ItemError
    }

    static func encode(_ o: Pipeline.Outcome) throws -> Data {
        var wire = Wire(status: "fresh", attachmentSignatures: [:])
        switch o.record {
        case .success(let r): wire.record = r
        case .failure(let e): wire.error = e
        }
        switch o.status {
        case .fresh: wire.status = "fresh"
        case .unchanged: wire.status = "unchanged"
        case .gone(let s): wire.status = "gone"; wire.goneStatus = s
        }
        wire.validators = o.state?.validators
        wire.bodySHA256 = o.state?.bodySHA256
        wire.signature = o.signature.map { Data($0.bytes) }
        wire.attachmentSignatures = o.attachmentSignatures.mapValues { Data($0.bytes) }
        if !o.keptAfterFailure.isEmpty { wire.kept = o.keptAfterFailure.map { KeptFailure(url: $0.url, error: $0.error) } }
        return try JSONEncoder().encode(wire)
    }

    static func decode(_ data: Data, task: ReleaseTask) throws -> Pipeline.Outcome {
        let wire = try JSONDecoder().decode(Wire.self, from: data)
        let record: Result<Record, ItemError> = wire.record.map { .success($0) }
            ?? .failure(wire.error ?? ItemError(stage: .write, kind: "damaged_outcome", message: "\(task.url.absoluteString): the stored outcome has neither record nor error"))
        let status: Pipeline.PageStatus = switch wire.status {
        case "unchanged": .unchanged
        case "gone": .gone(status: wire.goneStatus ?? 404)
        default: .fresh
        }
        var outcome = Pipeline.Outcome(task: task, record: record, status: status)
        if let validators = wire.validators {
            outcome.state = Pipeline.PageState(validators: validators, bodySHA256: wire.bodySHA256)
        }
        outcome.signature = wire.signature.flatMap { MinHashSignature(bytes: [UInt8]($0)) }
        outcome.attachmentSignatures = wire.attachmentSignatures.compactMapValues { MinHashSignature(bytes: [UInt8]($0)) }
        outcome.keptAfterFailure = (wire.kept ?? []).map { ($0.url, $0.error) }
        return outcome
    }
}
