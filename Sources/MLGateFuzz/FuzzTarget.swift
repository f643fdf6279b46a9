import MLGate
import MLGateTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The parsers mlgate runs on input from outside, as fuzz targets: each takes any bytes and
/// must end without trapping, hanging or holding more memory than its caps allow.
package enum FuzzTarget: String, CaseIterable, Sendable {
  /// A suite file, loaded as `mlgate run` loads it.
  case suite
  /// A CSV data file, read to the end in batches with its first column as the label.
  case csv
  /// A JSON Lines data file, likewise.
  case jsonl
  /// JSON text.
  case json
  /// A model's answer, through the command model's decoder and every endpoint protocol's.
  case answer
  /// A JUnit report, as the test-only reader (and later `mlgate gate`) reads it.
  case junit

  /// The target this process fuzzes: `MLGATE_FUZZ_TARGET`, read once.
  static let selected: FuzzTarget? = getenv("MLGATE_FUZZ_TARGET").flatMap {
    FuzzTarget(rawValue: String(cString: $0))
  }

  /// Runs the target on one input.
  package func run(_ bytes: [UInt8]) {
    switch self {
    case .json:
      _ = try? JSONParser.parse(bytes)
    case .answer:
      _ = AnswerDecoders.decodeAll(bytes, rows: Int(bytes.first ?? 0) % 5)
    case .junit:
      _ = try? XMLDocumentReader.parse(bytes)
    case .suite:
      let path = ScratchFile.shared.write(bytes, extension: "yml")
      _ = try? SuiteLoader(environment: { _ in nil }).load(path: path)
    case .csv, .jsonl:
      let path = ScratchFile.shared.write(bytes, extension: rawValue)
      readAll(path)
    }
  }

  private func readAll(_ path: String) {
    do throws(DataError) {
      let table = try TableReader(
        path: path, displayName: "fuzz", missingValues: ["", "NA"], maxLineBytes: 1 << 16)
      let reader = try LabelledBatchReader(
        table: table, label: table.columns.first, keep: Array(table.columns.suffix(1)))
      while try reader.nextBatch(size: 7) != nil {}
    } catch {}
  }
}

/// One file in /dev/shm per process, rewritten for each input of the file-based targets.
final class ScratchFile: @unchecked Sendable {
  /// The process's scratch file (the fuzzer runs inputs one at a time).
  static let shared = ScratchFile()

  private var descriptors: [String: (Int32, String)] = [:]

  /// Writes `bytes` to the scratch file with `extension` and returns its path.
  func write(_ bytes: [UInt8], extension suffix: String) -> String {
    let (descriptor, path) =
      descriptors[suffix]
      ?? {
        let path = "/dev/shm/mlgate-fuzz-\(getpid()).\(suffix)"
        let made = (open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600), path)
        descriptors[suffix] = made
        return made
      }()
    _ = ftruncate(descriptor, 0)
    _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    return path
  }
}

/// libFuzzer's entry point: one input for the target `MLGATE_FUZZ_TARGET` names.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  guard let target = FuzzTarget.selected else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    StandardStream.error.write("mlgate fuzzing: set MLGATE_FUZZ_TARGET to one of \(names)\n")
    exit(2)
  }
  target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
  return 0
}
