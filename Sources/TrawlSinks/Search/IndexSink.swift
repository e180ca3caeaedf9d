import Foundation
import Trawl

/// The embedded default sink: the output directory's own search index (`search.sqlite`).
public struct IndexSink: Sink {
    public let name: String
    public var type: String { "index" }
    let index: SearchIndex

    public init(name: String, file: URL) throws {
        self.name = name
        index = try SearchIndex(file: file)
    }

    public func cursor() async throws -> FeedPosition? { try index.cursor(sink: name) }

    public func apply(_ batch: SinkBatch) async throws -> [SinkStatus.Reject] {
        try index.apply(batch, sink: name)
        return []
    }

    public func reset() async throws { try index.reset(sink: name) }
    public func close() async {}
}
