internal import CCurl
import Synchronization

/// A libcurl multi handle driven by one dedicated thread.
///
/// Every curl call on the multi handle and its easy handles happens on the loop thread, except
/// `curl_multi_wakeup`, which libcurl allows from any thread. Other threads talk to the loop
/// through a `Mutex`-protected mailbox (new tickets, cancellations, the stop request) and wake
/// it from `curl_multi_poll`.
///
/// At most `maxActive` transfers run at once; further tickets wait in the loop, outside libcurl,
/// so their timeouts do not tick while they wait.
final class CurlMultiLoop: Sendable {
  /// The multi handle: confined to the loop thread, except for `curl_multi_wakeup` while the
  /// mailbox phase is `running` (the loop thread cleans it up only after the phase changed).
  private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
  private let maxActive: Int
  private let mailbox = Mutex(Mailbox())

  private enum Phase {
    case running
    case stopping
    case stopped
  }

  private struct Mailbox {
    var phase = Phase.running
    var incoming: [CurlRequestTicket] = []
    var cancellations: [CurlRequestTicket] = []
    var wakeupPending = false
    var thread: LoopThread?
  }

  private init(multi: UnsafeMutableRawPointer, maxActive: Int) {
    self.multi = multi
    self.maxActive = maxActive
  }

  /// Creates a multi handle and starts its loop thread.
  ///
  /// - Parameter maxConnections: The most transfers in flight, and connections kept open.
  /// - Returns: The running loop, or `nil` when libcurl or the thread could not start.
  static func start(maxConnections: Int) -> CurlMultiLoop? {
    guard CurlGlobal.isReady, let multi = curl_multi_init() else { return nil }
    let maxActive = max(maxConnections, 1)
    _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxActive)
    let loop = CurlMultiLoop(multi: multi, maxActive: maxActive)
    guard let thread = LoopThread.start(name: "mlgate-curl", { loop.run() }) else {
      curl_multi_cleanup(multi)
      return nil
    }
    loop.mailbox.withLock { $0.thread = thread }
    return loop
  }

  // MARK: - Any thread

  /// Queues a ticket for the loop.
  ///
  /// - Parameter ticket: A ticket whose continuation is installed.
  /// - Returns: `false` when the loop has shut down; the caller must then finish the ticket.
  func submit(_ ticket: CurlRequestTicket) -> Bool {
    mailbox.withLock { mailbox in
      guard mailbox.phase == .running else { return false }
      mailbox.incoming.append(ticket)
      wake(&mailbox)
      return true
    }
  }

  /// Asks the loop to abandon a ticket's transfer and finish it as cancelled.
  ///
  /// - Parameter ticket: A submitted ticket.
  func cancel(_ ticket: CurlRequestTicket) {
    mailbox.withLock { mailbox in
      guard mailbox.phase == .running else { return }  // shutdown finishes it anyway
      mailbox.cancellations.append(ticket)
      wake(&mailbox)
    }
  }

  /// Stops the loop, fails its pending tickets, and waits for the thread to clean up.
  ///
  /// Idempotent. A call that finds another one already stopping returns at once.
  func shutdown() {
    let thread: LoopThread? = mailbox.withLock { mailbox in
      guard mailbox.phase == .running else { return nil }
      mailbox.phase = .stopping
      curl_multi_wakeup(multi)
      let thread = mailbox.thread
      mailbox.thread = nil
      return thread
    }
    guard let thread else { return }
    if thread.isCurrent {
      thread.detach()
    } else {
      thread.join()
    }
    mailbox.withLock { $0.phase = .stopped }
  }

  /// Wakes the loop from `curl_multi_poll` unless a wake-up is already on its way.
  private func wake(_ mailbox: inout Mailbox) {
    guard !mailbox.wakeupPending else { return }
    mailbox.wakeupPending = true
    curl_multi_wakeup(multi)
  }

  // MARK: - Loop thread

  private func run() {
    // Transfers in libcurl, by easy-handle address; at most `maxActive`.
    var active: [UInt: CurlTransfer] = [:]
    var waiting: [CurlRequestTicket] = []
    while true {
      let (incoming, cancellations, stopping) = mailbox.withLock { mailbox in
        let batch = (mailbox.incoming, mailbox.cancellations, mailbox.phase != .running)
        mailbox.incoming = []
        mailbox.cancellations = []
        mailbox.wakeupPending = false
        return batch
      }
      waiting.append(contentsOf: incoming)
      if stopping { break }
      for ticket in cancellations {
        abandon(ticket, active: &active, waiting: &waiting)
      }
      startWaiting(active: &active, waiting: &waiting)
      var running: Int32 = 0
      _ = curl_multi_perform(multi, &running)
      let finished = collectFinished(active: &active)
      if finished > 0, !waiting.isEmpty {
        continue  // slots freed: start the next transfers before sleeping
      }
      _ = curl_multi_poll(multi, nil, 0, 1000, nil)
    }
    for transfer in active.values {
      curl_multi_remove_handle(multi, transfer.easy)
      transfer.ticket.finish(.failure(.shutDown))
    }
    active.removeAll()
    for ticket in waiting {
      ticket.finish(.failure(.shutDown))
    }
    curl_multi_cleanup(multi)
  }

  private func abandon(
    _ ticket: CurlRequestTicket,
    active: inout [UInt: CurlTransfer],
    waiting: inout [CurlRequestTicket]
  ) {
    if let (key, transfer) = active.first(where: { $0.value.ticket === ticket }) {
      curl_multi_remove_handle(multi, transfer.easy)
      active.removeValue(forKey: key)
    } else if let index = waiting.firstIndex(where: { $0 === ticket }) {
      waiting.remove(at: index)
    }
    ticket.finish(.failure(.cancelled))  // no effect when it already finished
  }

  private func startWaiting(
    active: inout [UInt: CurlTransfer],
    waiting: inout [CurlRequestTicket]
  ) {
    let count = min(max(maxActive - active.count, 0), waiting.count)
    guard count > 0 else { return }
    for ticket in waiting.prefix(count) {
      guard !ticket.isCancelled else {
        ticket.finish(.failure(.cancelled))
        continue
      }
      let transfer: CurlTransfer
      do {
        transfer = try CurlTransfer.make(for: ticket)
      } catch {
        ticket.finish(.failure(error))
        continue
      }
      let code = curl_multi_add_handle(multi, transfer.easy)
      guard code == CURLM_OK else {
        let number = Int(code.rawValue)
        let text = String(cString: curl_multi_strerror(code))
        ticket.finish(
          .failure(
            HTTPError(kind: .transport, message: "curl multi error \(number): \(text)")))
        continue
      }
      active[UInt(bitPattern: transfer.easy)] = transfer
    }
    waiting.removeFirst(count)
  }

  /// Finishes every transfer libcurl reports done.
  ///
  /// - Returns: How many finished.
  private func collectFinished(active: inout [UInt: CurlTransfer]) -> Int {
    var finished = 0
    var queued: Int32 = 0
    while let message = curl_multi_info_read(multi, &queued) {
      guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else {
        continue
      }
      let code = ccurl_msg_result(message)  // read before remove_handle invalidates the message
      curl_multi_remove_handle(multi, easy)
      guard let transfer = active.removeValue(forKey: UInt(bitPattern: easy)) else { continue }
      transfer.ticket.finish(transfer.outcome(code))
      finished += 1
    }
    return finished
  }
}
