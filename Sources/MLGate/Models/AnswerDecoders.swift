/// Every reader of a model's answer in one place.
///
/// The command model's and each endpoint protocol's; the fuzzer (`ci/fuzz answer`) drives them
/// with arbitrary bytes.
package enum AnswerDecoders {
  /// Decodes `bytes` as an answer for `rows` rows in every format.
  ///
  /// Returns how many formats accepted it. Never traps, whatever the bytes.
  package static func decodeAll(_ bytes: [UInt8], rows: Int) -> Int {
    guard let answer = try? JSONParser.parse(bytes) else { return 0 }
    let classes = ["No Risk", "Risk"]
    let codecs: [any EndpointCodec] = [
      WMLCodec(), OpenInferenceCodec(outputs: ["predict", "predict_proba"]), KServeV1Codec(),
      MLflowCodec(),
      JSONMappingCodec(
        mapping: .init(
          requestKey: "data", layout: .records, predictions: "result.labels",
          probabilities: "result.scores")),
    ]
    var accepted = 0
    if (try? PredictionDecoder.decode(
      predictions: answer["predictions"], probabilities: answer["probabilities"],
      classes: answer["classes"], rows: rows)) != nil
    {
      accepted += 1
    }
    for codec in codecs {
      for known in [classes, nil]
      where (try? codec.decode(answer, rows: rows, classes: known)) != nil {
        accepted += 1
      }
    }
    return accepted
  }
}
