import Foundation
import Yams

/// Reads and writes a ``DataSchema`` as YAML: the file a team edits and commits.
///
/// ```yaml
/// version: 1
/// label: Risk
/// columns:
///   LoanDuration: { type: integer, min: 4, max: 64 }
///   Sex: { type: categorical, values: [female, male] }
///   Telephone: { type: categorical, values: [none, yes], max_missing: 0.02 }
/// ```
/// `required` defaults to true and `max_missing` to 0. Errors name file:line:column.
package enum SchemaFile {
  /// The largest schema file read.
  static let maxBytes = 4 << 20

  private enum TopKey: String, ConfigKey {
    case version, label, columns, source, rows
  }

  private enum ColumnKey: String, ConfigKey {
    case type, required
    case maxMissing = "max_missing"
    case min, max, values
  }

  /// Loads the schema at `path` (`displayName` for messages).
  package static func load(path: String, displayName: String) throws(SuiteError) -> DataSchema {
    let here = SourcePosition(file: displayName)
    let bytes: [UInt8]
    do {
      bytes = try BoundedFile.read(path, limit: maxBytes)
    } catch {
      throw SuiteError(here, "cannot read the schema file: \(error.reason)")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw SuiteError(here, "the schema file is not valid UTF-8")
    }
    return try parse(text, file: displayName)
  }

  /// Parses schema text.
  package static func parse(_ text: String, file: String) throws(SuiteError) -> DataSchema {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: text) else {
        throw SuiteError(SourcePosition(file: file, line: 1, column: 1), "the schema file is empty")
      }
      root = node
    } catch let error as SuiteError {
      throw error
    } catch let error as YamlError {
      throw SuiteLoader.yamlError(error, file: file)
    } catch {
      throw SuiteError(SourcePosition(file: file), "cannot read YAML: \(error)")
    }
    let context = ConfigContext(directory: ".", environment: { _ in nil })
    let top = ConfigNode(node: root, file: file, path: "", context: context)
    var schema = DataSchema(columns: [])
    var columnsNode: ConfigNode?
    for entry in try top.entries(TopKey.self, what: "the schema") {
      switch entry.key {
      case .version:
        guard try entry.value.int(in: 0...1000) == 1 else {
          throw entry.value.error("only 'version: 1' exists")
        }
      case .label: schema.label = try entry.value.nonEmptyString()
      case .columns: columnsNode = entry.value
      case .source, .rows: break  // written by `schema infer` for the reader; not used
      }
    }
    guard let columnsNode else { throw top.error("the schema has no 'columns'") }
    for entry in try columnsNode.mapping() {
      schema.columns.append(try column(entry.key, entry.value))
    }
    guard !schema.columns.isEmpty else { throw columnsNode.error("'columns' is empty") }
    if let label = schema.label, schema.column(label) == nil {
      throw top.error("the label '\(label)' is not one of the schema's columns")
    }
    return schema
  }

  private static func column(_ name: String, _ node: ConfigNode) throws(SuiteError)
    -> ColumnSchema
  {
    var type: ColumnType?
    var column = ColumnSchema(name: name, type: .string)
    var rangeNode: ConfigNode?
    var valuesNode: ConfigNode?
    for entry in try node.entries(ColumnKey.self, what: "column '\(name)'") {
      switch entry.key {
      case .type:
        let text = try entry.value.string()
        guard let parsed = ColumnType(rawValue: text) else {
          let names = ColumnType.allCases.map(\.rawValue)
          var message = "unknown type '\(text)' for column '\(name)'"
          if let close = TextFormat.suggestion(for: text, in: names) {
            message += " — did you mean '\(close)'?"
          } else {
            message += " (one of: \(names.joined(separator: ", ")))"
          }
          throw entry.value.error(message)
        }
        type = parsed
      case .required: column.required = try entry.value.bool()
      case .maxMissing:
        let share = try entry.value.double()
        guard (0...1).contains(share) else {
          throw entry.value.error("'max_missing' is a share between 0 and 1, found \(share)")
        }
        column.maxMissing = share
      case .min:
        column.min = try entry.value.double()
        rangeNode = entry.value
      case .max:
        column.max = try entry.value.double()
        rangeNode = entry.value
      case .values:
        valuesNode = entry.value
        let values = try entry.value.stringList()
        guard !values.isEmpty else { throw entry.value.error("'values' is empty") }
        column.values = values
      }
    }
    guard let type else {
      throw node.error(
        "column '\(name)' has no 'type' (integer, number, boolean, categorical, string)")
    }
    column.type = type
    if let rangeNode, !column.isNumeric {
      throw rangeNode.error(
        "'min' and 'max' apply to integer and number columns, not \(type.rawValue)")
    }
    if let low = column.min, let high = column.max, low > high {
      throw (rangeNode ?? node).error(
        "column '\(name)': 'min' \(number(low)) is above 'max' \(number(high))")
    }
    if let valuesNode, type != .categorical {
      throw valuesNode.error("'values' applies to categorical columns, not \(type.rawValue)")
    }
    return column
  }

  /// The schema as YAML, with a comment saying where it came from.
  package static func yaml(_ schema: DataSchema, source: String, rows: Int) -> String {
    var lines = [
      "# mlgate data schema: inferred by `mlgate schema infer` from \(quoted(source)) (\(rows) rows).",
      "# Review and edit it: widen the ranges and domains to what production may send, then commit.",
      "version: 1",
    ]
    if let label = schema.label { lines.append("label: \(quoted(label))") }
    lines.append("columns:")
    for column in schema.columns {
      var parts = ["type: \(column.type.rawValue)"]
      if !column.required { parts.append("required: false") }
      if column.maxMissing > 0 { parts.append("max_missing: \(number(column.maxMissing))") }
      if let low = column.min { parts.append("min: \(number(low))") }
      if let high = column.max { parts.append("max: \(number(high))") }
      if let values = column.values {
        parts.append("values: [\(values.map(quoted).joined(separator: ", "))]")
      }
      lines.append("  \(quoted(column.name)): { \(parts.joined(separator: ", ")) }")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A number as YAML: integral values without a fraction.
  static func number(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  /// A string as a YAML flow scalar: plain when YAML reads it back as the same string,
  /// else double-quoted with escapes.
  static func quoted(_ text: String) -> String {
    let plainSafe =
      !text.isEmpty
      && text.unicodeScalars.allSatisfy {
        ($0.properties.isAlphabetic || ("0"..."9").contains($0)
          || "_-./".unicodeScalars.contains($0))
      }
      && !text.hasPrefix("-") && !text.hasPrefix(".")
    let lower = text.lowercased()
    let reserved: Set<String> = [
      "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n",
    ]
    if plainSafe, !reserved.contains(lower), Double(text) == nil, Int(text) == nil,
      !text.hasPrefix("0")
    {
      return text
    }
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += String(format: "\\x%02X", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
