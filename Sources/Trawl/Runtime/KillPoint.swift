import Foundation

/// Points where the kill tests stop the process as a SIGKILL would (`TRAWL_TEST_KILL=<name>`),
/// to check that whatever a killed run left is finished or undone by the next one. Without
/// the variable nothing happens.
public enum KillPoint {
    private static let armed = ProcessInfo.processInfo.environment["TRAWL_TEST_KILL"]

    public static func reached(_ name: String) {
        if armed == name { kill(getpid(), SIGKILL) }
    }
}
