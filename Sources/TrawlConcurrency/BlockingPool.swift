import Dispatch

/// Runs blocking C work (poppler, libxml2 on big pages) on Dispatch's global pool instead of
/// the cooperative executor, so long extractions do not starve other tasks. The callers'
/// worker counts bound how many run at once.
public enum BlockingPool {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: work())
            }
        }
    }
}
