#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// A joinable POSIX thread, for work that must stay on one thread rather than on a Swift task.
struct LoopThread: Sendable {
  #if canImport(Darwin)
    private nonisolated(unsafe) let handle: pthread_t
  #else
    private let handle: pthread_t
  #endif

  private final class Entry: Sendable {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
      self.name = name
      self.body = body
    }
  }

  private init(handle: pthread_t) {
    self.handle = handle
  }

  /// Starts a thread.
  ///
  /// - Parameters:
  ///   - name: The thread name shown by debuggers (applied on Darwin only: Glibc hides
  ///     `pthread_setname_np` behind `_GNU_SOURCE`).
  ///   - body: The work to run; the thread ends when it returns.
  /// - Returns: The thread, or `nil` when the system refused to create one.
  static func start(name: String, _ body: @escaping @Sendable () -> Void) -> LoopThread? {
    let context = Unmanaged.passRetained(Entry(name: name, body: body)).toOpaque()
    #if canImport(Darwin)
      var handle: pthread_t?
    #else
      var handle = pthread_t()
    #endif
    let status = pthread_create(&handle, nil, { LoopThread.main($0) }, context)
    #if canImport(Darwin)
      guard status == 0, let handle else {
        Unmanaged<Entry>.fromOpaque(context).release()
        return nil
      }
    #else
      guard status == 0 else {
        Unmanaged<Entry>.fromOpaque(context).release()
        return nil
      }
    #endif
    return LoopThread(handle: handle)
  }

  private static func main(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let entry = Unmanaged<Entry>.fromOpaque(context).takeRetainedValue()
    #if canImport(Darwin)
      _ = pthread_setname_np(entry.name)
    #endif
    entry.body()
    return nil
  }

  /// Whether the calling code runs on this thread.
  var isCurrent: Bool {
    pthread_equal(pthread_self(), handle) != 0
  }

  /// Waits for the thread to end and releases its resources.
  func join() {
    _ = pthread_join(handle, nil)
  }

  /// Lets the thread release its resources on its own when it ends.
  func detach() {
    _ = pthread_detach(handle)
  }
}
