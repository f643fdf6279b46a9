/// `mlgate schema infer`: the library side of the command, so that the executable stays thin.
package enum SchemaInferCommand {
  /// Infers the schema of the data file at `path` and returns it as YAML with the row count.
  package static func run(
    path: String, label: String?, maxDomain: Int, missingValues: Set<String>,
    maxLineBytes: Int = DataConfig.defaultMaxLineBytes
  ) throws(DataError) -> (yaml: String, rows: Int, columns: Int) {
    let table = try TableReader(
      path: path, displayName: path, missingValues: missingValues, maxLineBytes: maxLineBytes)
    let result = try SchemaInference(maxDomain: maxDomain, label: label).infer(table)
    return (
      SchemaFile.yaml(result.schema, source: path, rows: result.rows), result.rows,
      result.schema.columns.count
    )
  }
}
