/// A streaming JSON Lines reader: one JSON object per line, blank lines skipped.
final class JSONLinesReader {
  private let input: FileBytes
  private let maxLineBytes: Int
  private var line = 0

  init(path: String, displayName: String, maxLineBytes: Int) throws(DataError) {
    input = try FileBytes(path: path, displayName: displayName)
    self.maxLineBytes = maxLineBytes
  }

  /// The next object's members and its line, or nil at the end of the file.
  func nextObject() throws(DataError) -> (members: [(key: String, value: JSONValue)], line: Int)? {
    var bytes: [UInt8] = []
    while true {
      bytes.removeAll(keepingCapacity: true)
      var sawByte = false
      while let byte = try input.next() {
        sawByte = true
        if byte == 0x0A { break }
        guard bytes.count < maxLineBytes else {
          throw DataError(
            file: input.displayName, line: line + 1,
            message: DataError.lineTooLong(limit: maxLineBytes))
        }
        bytes.append(byte)
      }
      guard sawByte else { return nil }
      line += 1
      if bytes.last == 0x0D { bytes.removeLast() }
      if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      guard String(validating: bytes, as: UTF8.self) != nil else {
        throw DataError(file: input.displayName, line: line, message: "invalid UTF-8 byte")
      }
      let value: JSONValue
      do {
        value = try JSONParser.parse(bytes)
      } catch {
        throw DataError(file: input.displayName, line: line, message: "invalid JSON: \(error)")
      }
      guard case .object(let members) = value else {
        throw DataError(
          file: input.displayName, line: line,
          message: "expected a JSON object, found \(value.kindName)")
      }
      return (members, line)
    }
  }
}
