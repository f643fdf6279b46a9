import Foundation
import Synchronization

/// The secret values seen while loading a suite, to be redacted from every output.
package final class SecretStore: Sendable {
  private let values = Mutex<Set<String>>([])

  /// Creates an empty store.
  package init() {}

  /// Records secret values (empty strings and very short values are ignored: redacting "a"
  /// everywhere would garble reports without protecting anything).
  package func add(_ secrets: [String], force: Bool = false) {
    let kept = secrets.filter { force ? !$0.isEmpty : $0.count >= 4 }
    guard !kept.isEmpty else { return }
    values.withLock { $0.formUnion(kept) }
  }

  /// The text with every secret replaced by `***`.
  package func redact(_ text: String) -> String {
    let secrets = values.withLock { $0 }
    guard !secrets.isEmpty else { return text }
    var result = text
    for secret in secrets.sorted(by: { $0.count > $1.count }) where result.contains(secret) {
      result = result.replacingOccurrences(of: secret, with: "***")
    }
    return result
  }
}
