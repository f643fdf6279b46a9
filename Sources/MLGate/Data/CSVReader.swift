/// A streaming RFC 4180 CSV reader.
///
/// Handles quoted fields with embedded commas, quotes (`""`) and newlines, CRLF or LF line ends,
/// and a UTF-8 byte-order mark. Every field must be valid UTF-8. Errors name the line.
final class CSVReader {
  private let input: FileBytes
  private let separator: UInt8
  private let maxLineBytes: Int
  private var line = 1
  private var started = false

  init(
    path: String, displayName: String, separator: UInt8 = UInt8(ascii: ","),
    maxLineBytes: Int = DataConfig.defaultMaxLineBytes
  ) throws(DataError) {
    input = try FileBytes(path: path, displayName: displayName)
    self.separator = separator
    self.maxLineBytes = maxLineBytes
  }

  /// The next record's fields and the line it starts on, or nil at the end of the file.
  ///
  /// Blank lines are skipped.
  func nextRecord() throws(DataError) -> (fields: [String], line: Int)? {
    if !started {
      started = true
      if try input.peek() == 0xEF {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        var matched = 0
        while matched < 3, try input.peek() == bom[matched] {
          _ = try input.next()
          matched += 1
        }
        if matched != 3 { throw fail(line, "invalid UTF-8 byte at the start of the file") }
      }
    }
    while true {
      guard try input.peek() != nil else { return nil }
      let startLine = line
      var fields: [String] = []
      var field: [UInt8] = []
      var quoted = false
      var wasQuoted = false
      var recordDone = false
      var recordBytes = 0
      while !recordDone {
        recordBytes += 1
        guard recordBytes <= maxLineBytes else {
          throw fail(startLine, DataError.lineTooLong(limit: maxLineBytes))
        }
        guard let byte = try input.next() else {
          if quoted {
            throw fail(startLine, "a quoted field is not closed before the end of the file")
          }
          recordDone = true
          break
        }
        if quoted {
          if byte == UInt8(ascii: "\"") {
            if try input.peek() == UInt8(ascii: "\"") {
              _ = try input.next()
              field.append(byte)
            } else {
              quoted = false
            }
          } else {
            if byte == 0x0A { line += 1 }
            field.append(byte)
          }
          continue
        }
        switch byte {
        case separator:
          fields.append(try text(field, startLine, fields.count))
          field.removeAll(keepingCapacity: true)
          wasQuoted = false
        case 0x0A:
          line += 1
          recordDone = true
        case 0x0D:
          if try input.peek() == 0x0A { _ = try input.next() }
          line += 1
          recordDone = true
        case UInt8(ascii: "\""):
          if field.isEmpty && !wasQuoted {
            quoted = true
            wasQuoted = true
          } else {
            throw fail(
              line,
              "field \(fields.count + 1): a quote inside an unquoted field (quote the field and double the quote)"
            )
          }
        default:
          if wasQuoted {
            throw fail(line, "field \(fields.count + 1): text after the closing quote")
          }
          field.append(byte)
        }
      }
      if fields.isEmpty && field.isEmpty && !wasQuoted { continue }
      fields.append(try text(field, startLine, fields.count))
      return (fields, startLine)
    }
  }

  private func text(_ bytes: [UInt8], _ line: Int, _ index: Int) throws(DataError) -> String {
    // ASCII is valid UTF-8: the common case skips the generic validation.
    if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
    guard let value = String(validating: bytes, as: UTF8.self) else {
      throw fail(line, "field \(index + 1): invalid UTF-8 byte (save the file as UTF-8)")
    }
    return value
  }

  private func fail(_ line: Int, _ message: String) -> DataError {
    DataError(file: input.displayName, line: line, message: message)
  }
}
