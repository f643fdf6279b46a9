import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process groups of every model started by this process, so a signal can stop them all.
///
/// Models run in their own session (so a Ctrl-C at the terminal does not hit them half-way
/// through an answer); mlgate itself kills them when it is interrupted.
package enum ChildProcesses {
  private static let groups = Mutex<Set<Int32>>([])

  static func insert(_ pid: Int32) { _ = groups.withLock { $0.insert(pid) } }
  static func remove(_ pid: Int32) { _ = groups.withLock { $0.remove(pid) } }

  /// Sends SIGKILL to every model process group still running.
  package static func killAll() {
    for pid in groups.withLock({ $0 }) { _ = Glibc.kill(-pid, SIGKILL) }
  }

  /// Kills one process group.
  static func kill(group pid: Int32) {
    _ = Glibc.kill(-pid, SIGKILL)
  }
}
