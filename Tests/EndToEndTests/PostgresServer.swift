import Foundation

/// A throw-away PostgreSQL server for one test: `initdb` into a temporary folder, listening
/// only on a Unix socket in that folder (no TCP), started and stopped with `pg_ctl`. As root
/// (CI, sessions) the server runs as the `postgres` user that Debian's package creates,
/// because PostgreSQL refuses to run as root. nil where PostgreSQL is not installed.
final class PostgresServer: @unchecked Sendable {
    let dir: URL
    private let bin: URL

    /// The first `…/postgresql/<version>/bin` holding `initdb`, or the one in PATH.
    static var binDirectory: URL? {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        for v in versions {
            let bin = root.appendingPathComponent("\(v)/bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        for p in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let bin = URL(fileURLWithPath: String(p))
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        return nil
    }

    static var available: Bool { binDirectory != nil }

    /// Starts a server; throws with the server's log when it does not come up.
    init() throws {
        guard let bin = Self.binDirectory else { throw Failure("PostgreSQL is not installed (no initdb)") }
        self.bin = bin
        // Short: a Unix socket path must fit in 107 bytes.
        dir = URL(fileURLWithPath: "/tmp/trawl-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if getuid() == 0 { try Self.sh(["chown", "-R", "postgres:postgres", dir.path]) }
        try runAsOwner(["initdb", "-D", dir.appendingPathComponent("data").path, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"])
        let options = "-k \(dir.path) -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c max_connections=200"
        do {
            try runAsOwner(["pg_ctl", "-D", dir.appendingPathComponent("data").path, "-o", options,
                            "-l", dir.appendingPathComponent("log").path, "-w", "start"])
        } catch {
            let log = (try? String(contentsOf: dir.appendingPathComponent("log"), encoding: .utf8)) ?? ""
            throw Failure("pg_ctl start failed: \(error)\n\(log)")
        }
    }

    deinit { stop() }

    func stop() {
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("data/postmaster.pid").path) else { return }
        try? runAsOwner(["pg_ctl", "-D", dir.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: dir)
    }

    /// A new empty database; its coordinator URL.
    func createDatabase(_ name: String = "trawl_\(UUID().uuidString.prefix(8).lowercased())") throws -> String {
        try runAsOwner(["createdb", "-h", dir.path, "-U", "postgres", name])
        return "postgres://postgres@/\(name)?host=\(dir.path)"
    }

    /// Runs SQL with psql and returns its unaligned output.
    func psql(_ url: String, _ sql: String) throws -> String {
        let name = String((URLComponents(string: url)?.path ?? "").dropFirst())
        return try runAsOwner(["psql", "-h", dir.path, "-U", "postgres", "-d", name, "-At", "-c", sql])
    }

    /// Whether the server's installation has the extension (`CREATE EXTENSION` would find it).
    func hasExtension(_ name: String, in url: String) throws -> Bool {
        try psql(url, "SELECT count(*) FROM pg_available_extensions WHERE name = '\(name)'") == "1"
    }

    @discardableResult
    private func runAsOwner(_ arguments: [String]) throws -> String {
        var args = arguments
        args[0] = bin.appendingPathComponent(args[0]).path
        if getuid() == 0 { args = ["runuser", "-u", "postgres", "--"] + args }
        return try Self.sh(args, cwd: dir)
    }

    /// Runs a command and returns its stdout. posix_spawn and waitpid, not Foundation's
    /// Process: `pg_ctl start` leaves a daemon behind that inherits the child's descriptors,
    /// and Process then never sees its child end.
    @discardableResult
    static func sh(_ arguments: [String], cwd: URL? = nil) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pg-out-\(UUID().uuidString)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("pg-err-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
        guard rc == 0 else { throw Failure("\(arguments.joined(separator: " ")): cannot start (\(String(cString: strerror(rc))))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            throw Failure("\(arguments.joined(separator: " ")) exited \(code): \((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
        }
        return String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}
