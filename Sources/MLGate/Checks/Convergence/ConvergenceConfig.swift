/// `tests: convergence:` — training histories whose loss must converge.
package struct ConvergenceConfig: Sendable, Hashable {
  /// One history series to judge: one JUnit test case.
  package struct Entry: Sendable, Hashable {
    /// The test's name (default: "loss converges in FILE").
    package var name: String
    /// The history file or MLflow run folder (absolute).
    package var log: String
    /// The path as the suite wrote it.
    package var logDisplay: String
    /// The format, when the suite says.
    package var format: HistoryFormat?
    /// The series judged.
    package var series: String
    /// The validation series compared with it: named, guessed (`val_loss` for `loss`), or none.
    package var validation: Validation
    /// The x the points are on, when the suite chooses.
    package var axis: LossSeries.Axis?
    /// What converging means.
    package var criteria: ConvergenceCriteria
    /// Whether to draw the SVG plot beside the report.
    package var plot: Bool
    /// Where the entry is written.
    package var position: SourcePosition
  }

  /// Which validation series goes with the training series.
  package enum Validation: Sendable, Hashable {
    /// The usual partner if the file has it: `val_loss` for `loss`, `valid_1.M` for
    /// `training.M`, `val_loss` for `train_loss_epoch`.
    case guess
    /// This series.
    case named(String)
    /// None.
    case none

    /// The names to try for `series`, in order.
    func candidates(for series: String) -> [String] {
      switch self {
      case .none: return []
      case .named(let name): return [name]
      case .guess:
        if series.hasPrefix("training.") {
          let metric = series.dropFirst("training.".count)
          return ["valid_1.\(metric)", "validation.\(metric)", "valid_0.\(metric)"]
        }
        if series.hasPrefix("validation_0.") {
          return ["validation_1." + series.dropFirst("validation_0.".count)]
        }
        if series.hasPrefix("train-") { return ["eval-" + series.dropFirst("train-".count)] }
        if series.hasPrefix("train_") {
          let stem = series.dropFirst("train_".count)
          for suffix in ["_epoch"] where stem.hasSuffix(suffix) {
            return ["val_" + stem.dropLast(suffix.count), "val_" + stem]
          }
          return ["val_" + stem]
        }
        return ["val_" + series]
      }
    }
  }

  /// The entries, in suite order.
  package var entries: [Entry]
}
