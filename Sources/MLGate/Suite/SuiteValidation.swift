/// Checks that need the data files but not the model: columns named by the suite exist.
package enum SuiteValidation {
  /// Opens each data file's header and checks the label and dropped columns.
  package static func checkData(_ suite: Suite) throws(DataError) {
    for file in [suite.data.test, suite.data.reference].compactMap({ $0 }) {
      let table = try TableReader(
        path: file.path, displayName: file.displayName, missingValues: suite.data.missingValues,
        maxLineBytes: suite.data.maxLineBytes)
      _ = try LabelledBatchReader(table: table, label: suite.label, drop: suite.data.drop)
    }
  }
}
