/// Politeness per host: slots, spacing between request starts and pauses asked for by the
/// server. `HostGate` holds it for one process; `PostgresHostGate` for every process of a
/// harvest, on the database's clock.
public protocol HostGating: Sendable {
    /// Waits for a slot on `host` and for its turn; `leave` must follow.
    func enter(_ host: String) async
    func leave(_ host: String) async
    /// No request starts on `host` for `duration` (a `Retry-After`).
    func pause(_ host: String, for duration: Duration) async
}
