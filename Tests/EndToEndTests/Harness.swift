import Foundation

/// Runs the real `trawl` binary (built beside the test bundle) and prepares temporary
/// configurations pointing at the Fixtures archive.
enum Harness {
    static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var fixtures: URL { projectRoot.appendingPathComponent("Fixtures") }

    static var corpus: URL? {
        let url = ProcessInfo.processInfo.environment["TRAWL_CORPUS"].map { URL(fileURLWithPath: $0) }
            ?? projectRoot.appendingPathComponent("../shared/corpus").standardizedFileURL
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// `.build/<triple>/debug/trawl`, next to the test executable.
    static var binary: URL {
        if let explicit = ProcessInfo.processInfo.environment["TRAWL_BIN"] { return URL(fileURLWithPath: explicit) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("trawl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return projectRoot.appendingPathComponent(".build/debug/trawl")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// From the child's start to its exit: what a test that times a run measures (not the
        /// time `run` waited for a free slot).
        var seconds: Double = 0
    }

    static func start(_ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:],
                      stdout: Any, stderr: Any, binary: URL = Harness.binary) throws -> Process {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let cwd { p.currentDirectoryURL = cwd }
        p.standardOutput = stdout
        p.standardError = stderr
        try p.run()
        return p
    }

    /// A child that outlives this is killed and its test fails naming the command, so a hang
    /// costs one test, not the whole CI run.
    static let childTimeout: TimeInterval = 900

    /// Runs the binary to its end on the calling thread. Only for Dispatch threads: tests call
    /// `run`, which never holds one of the few threads of Swift's cooperative pool while a child
    /// works (in-process test servers and other tests' database transactions need them).
    static func runBlocking(_ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:],
                            binary: URL = Harness.binary, timeout: TimeInterval = Harness.childTimeout) throws -> Result {
        // stderr goes to a file so that a chatty child can never block on a full pipe.
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let errHandle = try FileHandle(forWritingTo: errFile)
        let out = Pipe()
        let started = Date()
        let p = try start(arguments, cwd: cwd, environment: environment, stdout: out, stderr: errHandle, binary: binary)
        let watchdog = Watchdog(process: p, seconds: timeout)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        watchdog.cancel()
        try errHandle.close()
        var stderr = String(decoding: try Data(contentsOf: errFile), as: UTF8.self)
        if watchdog.fired {
            stderr += "\nHARNESS: \(binary.lastPathComponent) \(arguments.joined(separator: " ")) was killed after \(Int(timeout)) s"
        }
        return Result(status: watchdog.fired ? -1 : p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: stderr,
                      seconds: Date().timeIntervalSince(started))
    }

    /// Runs the binary on a Dispatch thread and returns what it printed. At most
    /// `ChildSlots.shared` such children run at once: Swift Testing starts every test of every
    /// suite together, and dozens of extraction runs on two cores would starve the tests that
    /// measure time (lease take-overs, CPU caps, kills mid-run). A test that runs a child
    /// while another it started must still be running passes `queued: false`.
    static func run(_ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:],
                    binary: URL = Harness.binary, timeout: TimeInterval = Harness.childTimeout,
                    queued: Bool = true) async throws -> Result {
        if queued { await ChildSlots.shared.acquire() }
        defer { if queued { Task { await ChildSlots.shared.release() } } }
        return try await withCheckedThrowingContinuation { continuation in
            onOwnThread {
                continuation.resume(with: Swift.Result { try runBlocking(arguments, cwd: cwd, environment: environment, binary: binary, timeout: timeout) })
            }
        }
    }

    /// A counting semaphore for the children `run` starts; waiters suspend, holding no thread.
    actor ChildSlots {
        static let shared = ChildSlots(max(2, ProcessInfo.processInfo.activeProcessorCount))
        private var free: Int
        private var waiters: [CheckedContinuation<Void, Never>] = []

        init(_ slots: Int) { free = slots }

        func acquire() async {
            if free > 0 { free -= 1; return }
            await withCheckedContinuation { waiters.append($0) }
        }

        func release() {
            if waiters.isEmpty { free += 1 } else { waiters.removeFirst().resume() }
        }
    }

    /// Terminates a child that runs past its time, then kills it if it ignores that.
    final class Watchdog: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        private var didFire = false

        init(process: Process, seconds: TimeInterval) {
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                guard lock.withLock({ () -> Bool in
                    if done { return false }
                    didFire = true
                    return true
                }) else { return }
                kill(pid, SIGTERM)
                DispatchQueue.global().asyncAfter(deadline: .now() + 10) { [self] in
                    if !lock.withLock({ done }) { kill(pid, SIGKILL) }
                }
            }
        }

        func cancel() { lock.withLock { done = true } }
        var fired: Bool { lock.withLock { didFire } }
    }

    /// Blocking work on a thread of its own. On Linux, Dispatch's global queues run only as
    /// many blocks at once as there are cores, and a block waiting for a child holds one: two
    /// such waits starved every poll behind them (CI saw a run finish whole before its poll
    /// first ran).
    static func onOwnThread(_ work: @escaping @Sendable () -> Void) {
        Thread { work() }.start()
    }

    /// Runs blocking work (starting a database server, waiting for a child) on its own
    /// thread, for the same reason as `run`.
    static func detached<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            onOwnThread { continuation.resume(with: Swift.Result { try work() }) }
        }
    }

    /// Polls `condition` every 2 ms on a thread of its own until it holds or `seconds` pass.
    /// Tests that must act while a child is mid-run poll here: a poll on the cooperative pool
    /// can sleep through a whole run while CPU-bound tests hold its threads.
    @discardableResult
    static func waitUntil(seconds: TimeInterval, _ condition: @escaping @Sendable () -> Bool) async -> Bool {
        (try? await detached { () -> Bool in
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if condition() { return true }
                usleep(2_000)
            }
            return condition()
        }) ?? false
    }

    /// Waits for a started process on a Dispatch thread (see `run`).
    static func waitDetached(_ process: Process) async {
        await withCheckedContinuation { continuation in
            onOwnThread { process.waitUntilExit(); continuation.resume() }
        }
    }

    static func temporaryDirectory(_ name: String = #function) throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("trawl-tests-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The shipped pipeline.json with absolute paths and `output` in `dir`.
    static func fixtureConfig(in dir: URL, changes: (inout [String: Any]) -> Void = { _ in }) throws -> URL {
        let shipped = try JSONSerialization.jsonObject(with: Data(contentsOf: projectRoot.appendingPathComponent("pipeline.json")))
        guard var config = shipped as? [String: Any], var sources = config["sources"] as? [[String: Any]] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        for i in sources.indices {
            sources[i]["root"] = projectRoot.appendingPathComponent(sources[i]["root"] as! String).path
        }
        config["sources"] = sources
        config["output"] = dir.appendingPathComponent("out").path
        changes(&config)
        let file = dir.appendingPathComponent("pipeline.json")
        try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted]).write(to: file)
        return file
    }

    static func records(in output: URL) throws -> [[String: Any]] {
        let dir = output.appendingPathComponent("records")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().map {
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent($0))) as! [String: Any]
        }
    }

    static func summary(in output: URL) throws -> [String: Any] {
        let dir = output.appendingPathComponent("runs")
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        guard let last = runs.last else { throw CocoaError(.fileNoSuchFile) }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(last))) as! [String: Any]
    }

    static func expected() throws -> [[String: Any]] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("expected.json"))
        return (try JSONSerialization.jsonObject(with: data) as! [String: Any])["releases"] as! [[String: Any]]
    }

    /// A one-listing mirror in `dir` whose release page N links document N (a symbolic link
    /// to the given file, or bytes written in place), and a config that ingests it.
    static func linkingArchive(in dir: URL, documents: [(name: String, source: Either)], extraction: [String: Any] = [:],
                               ocr: [String: Any] = [:]) throws -> URL {
        let site = dir.appendingPathComponent("mirror")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("files"), withIntermediateDirectories: true)
        var rows = ""
        for (n, doc) in documents.enumerated() {
            let target = site.appendingPathComponent("files/\(n).pdf")
            switch doc.source {
            case .file(let url): try FileManager.default.createSymbolicLink(at: target, withDestinationURL: url)
            case .bytes(let data): try data.write(to: target)
            }
            let page = "<html><body><main><h1>Document \(n) \(doc.name)</h1><p>Release \(doc.name) number \(n).</p><a href=\"files/\(n).pdf\">\(n).pdf</a></main></body></html>"
            try Data(page.utf8).write(to: site.appendingPathComponent("doc\(n).html"))
            rows += "<li><a href=\"doc\(n).html\">\(n)</a></li>"
        }
        try Data("<ul>\(rows)</ul>".utf8).write(to: site.appendingPathComponent("index.html"))
        var config: [String: Any] = [
            "output": dir.appendingPathComponent("out").path,
            "sources": [["name": "archive", "type": "directory", "root": site.path, "base_url": "https://archive.example/",
                         "seeds": ["index.html"], "listing": ["releases": "//li/a"]]],
        ]
        if !extraction.isEmpty { config["extraction"] = extraction }
        if !ocr.isEmpty { config["ocr"] = ocr }
        let file = dir.appendingPathComponent("pipeline.json")
        try JSONSerialization.data(withJSONObject: config).write(to: file)
        return file
    }

    enum Either {
        case file(URL)
        case bytes(Data)
    }
}
