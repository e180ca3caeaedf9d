import Foundation

/// One run at a time per output directory: an exclusive `flock` on `.trawl/lock`, held for
/// the whole run and released by the kernel however the process ends (even SIGKILL), so a
/// cron job that overlaps its previous run stops at once instead of corrupting it.
public final class RunLock: Sendable {
    public struct Held: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let holder: String
        public var what = "run"
        public var description: String {
            "another trawl \(what) is using this output directory (lock \(path)\(holder.isEmpty ? "" : ", held by pid \(holder)"))"
        }
    }

    private let descriptor: Int32

    /// Takes the lock or throws `Held` (another run has it) or `OutputError`. Publishing
    /// has its own lock (`publish.lock`, `what` "publish"): it may go on beside a run.
    public init(output: OutputDirectory, file: String = "lock", what: String = "run") throws {
        let dir = output.root.appendingPathComponent(".trawl")
        let path = dir.appendingPathComponent(file).path
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: output.root.path, reason: "output directory is not writable (\(error.localizedDescription))")
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(path: path, reason: "cannot open the run lock (\(String(cString: strerror(errno))))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw Held(path: path, holder: holder, what: what)
        }
        ftruncate(fd, 0)
        let pid = Data("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        descriptor = fd
    }

    /// Waits for the lock (polling, so the wait can be cancelled) up to `limit`, then throws
    /// `Held` like the non-waiting initialiser: a run's own publish waits for a `trawl publish`
    /// in progress instead of interleaving with it.
    public static func waiting(output: OutputDirectory, file: String, what: String, limit: Duration) async throws -> RunLock {
        let deadline = ContinuousClock.now + limit
        while true {
            do { return try RunLock(output: output, file: file, what: what) } catch let held as Held {
                guard ContinuousClock.now < deadline, !Task.isCancelled else { throw held }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    deinit { close(descriptor) }  // closing the descriptor releases the flock
}
