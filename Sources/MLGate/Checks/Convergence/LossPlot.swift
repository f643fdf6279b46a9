import Foundation

/// An SVG picture of a convergence test: the raw and smoothed curves (training and validation),
/// the windows the checks compared, the best point, spikes and non-finite values, and the
/// verdict — for the Jenkins junit-attachments plugin to show beside the test case.
package struct LossPlot: Sendable {
  let analysis: ConvergenceAnalysis
  let title: String

  private let width = 860.0
  private let height = 460.0
  private let left = 78.0
  private let right = 24.0
  private let top = 64.0
  private let bottom = 52.0

  /// Creates the plot of `analysis` headed `title`.
  package init(_ analysis: ConvergenceAnalysis, title: String) {
    self.analysis = analysis
    self.title = title
  }

  /// The SVG document.
  package var svg: String {
    let series = analysis.series
    let curves = [series] + (analysis.validation.map { [$0] } ?? [])
    let finite = curves.flatMap(\.values).filter(\.isFinite)
    let xs = curves.flatMap(\.x)
    guard let xLow = xs.min(), let xHigh = xs.max(), let yLow = finite.min(),
      let yHigh = finite.max()
    else {
      return document(body: [text(width / 2, height / 2, "no points to plot", anchor: "middle")])
    }
    let logScale = yLow > 0 && yHigh / yLow > 50
    let scale = Scale(
      xLow: xLow, xHigh: xHigh == xLow ? xLow + 1 : xHigh,
      yLow: logScale ? log10(yLow) : yLow, yHigh: logScale ? log10(yHigh) : yHigh,
      log: logScale, frame: (left, top, width - left - right, height - top - bottom))
    var body: [String] = []
    body += regions(scale)
    body += axes(scale)
    let colours = ["#1f5fbf", "#d9731a"]
    for (index, curve) in curves.enumerated() {
      body += polylines(
        curve.x, curve.values, scale, colour: colours[index], width: 1, opacity: 0.35)
      body += polylines(
        curve.x, LossTrend.ema(curve.values), scale,
        colour: colours[index], width: 2.4, opacity: 1)
    }
    body += markers(scale)
    body += legend(curves.map(\.name), colours: colours)
    return document(body: body)
  }

  private func document(body: [String]) -> String {
    let outcome = analysis.outcome
    let colour: String
    switch outcome {
    case .pass: colour = "#1a7f37"
    case .fail: colour = "#cf222e"
    case .warn, .inconclusive, .notRun: colour = "#9a6700"
    }
    var lines = [
      ##"<?xml version="1.0" encoding="UTF-8"?>"##,
      ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" viewBox="0 0 \##(Int(width)) \##(Int(height))" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">"##,
      ##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
      text(left, 24, title, size: 15, weight: "bold"),
      ##"<text x="\##(f(width - right))" y="24" text-anchor="end" font-size="15" font-weight="bold" fill="\##(colour)">\##(outcome.rawValue.uppercased())</text>"##,
    ]
    if let trend = analysis.trend {
      lines.append(
        text(
          left, 44,
          "Mann–Kendall Z = \(TextFormat.significant(trend.test.z)), p = \(TextFormat.significant(trend.test.p)); Sen slope \(TextFormat.significant(trend.slope.slope)) per \(analysis.series.axis.rawValue)",
          size: 11, fill: "#444444"))
    }
    lines += body
    lines.append("</svg>")
    return lines.joined(separator: "\n") + "\n"
  }

  private struct Scale {
    var xLow, xHigh, yLow, yHigh: Double
    var log: Bool
    var frame: (x: Double, y: Double, width: Double, height: Double)

    func x(_ value: Double) -> Double {
      frame.x + (value - xLow) / (xHigh - xLow) * frame.width
    }

    func y(_ value: Double) -> Double {
      let v = log ? log10(value) : value
      let span = yHigh - yLow
      let unit = span > 0 ? (v - yLow) / span : 0.5
      return frame.y + frame.height - (0.04 + 0.92 * unit) * frame.height
    }
  }

  private func regions(_ scale: Scale) -> [String] {
    let series = analysis.series
    var shapes: [String] = []
    func band(_ range: Range<Int>, _ fill: String, _ label: String) {
      guard !range.isEmpty else { return }
      let low = scale.x(series.x[range.lowerBound])
      let high = max(scale.x(series.x[range.upperBound - 1]), low + 2)
      shapes.append(
        ##"<rect x="\##(f(low))" y="\##(f(scale.frame.y))" width="\##(f(high - low))" height="\##(f(scale.frame.height))" fill="\##(fill)" fill-opacity="0.16"/>"##
      )
      shapes.append(
        text(low + 3, scale.frame.y + scale.frame.height - 6, label, size: 10, fill: "#555555"))
    }
    if let windows = analysis.windows {
      band(windows.first, "#1f5fbf", "first window")
      band(windows.last, "#1f5fbf", "last window")
    }
    if let tail = analysis.tail { band(tail, "#cf222e", "tail") }
    return shapes
  }

  private func axes(_ scale: Scale) -> [String] {
    let frame = scale.frame
    var parts = [
      ##"<rect x="\##(f(frame.x))" y="\##(f(frame.y))" width="\##(f(frame.width))" height="\##(f(frame.height))" fill="none" stroke="#888888"/>"##
    ]
    for tick in LossPlot.ticks(scale.xLow, scale.xHigh) {
      let x = scale.x(tick)
      parts.append(
        ##"<line x1="\##(f(x))" y1="\##(f(frame.y + frame.height))" x2="\##(f(x))" y2="\##(f(frame.y + frame.height + 5))" stroke="#888888"/>"##
      )
      parts.append(
        text(x, frame.y + frame.height + 18, LossSeries.label(tick), anchor: "middle", size: 11))
    }
    for tick in LossPlot.ticks(scale.yLow, scale.yHigh) {
      let value = scale.log ? pow(10, tick) : tick
      let y = scale.y(value)
      parts.append(
        ##"<line x1="\##(f(frame.x))" y1="\##(f(y))" x2="\##(f(frame.x + frame.width))" y2="\##(f(y))" stroke="#e6e6e6"/>"##
      )
      parts.append(
        text(frame.x - 6, y + 4, TextFormat.figure(value, digits: 3), anchor: "end", size: 11))
    }
    let axis = analysis.series.axis.rawValue
    parts.append(text(frame.x + frame.width / 2, height - 10, axis, anchor: "middle"))
    parts.append(
      ##"<text x="16" y="\##(f(frame.y + frame.height / 2))" transform="rotate(-90 16 \##(f(frame.y + frame.height / 2)))" text-anchor="middle">\##(escape(analysis.series.name))\##(scale.log ? " (log scale)" : "")</text>"##
    )
    return parts
  }

  private func polylines(
    _ xs: [Double], _ values: [Double], _ scale: Scale, colour: String, width: Double,
    opacity: Double
  ) -> [String] {
    var lines: [String] = []
    var points: [String] = []
    func flush() {
      if points.count > 1 {
        lines.append(
          ##"<polyline fill="none" stroke="\##(colour)" stroke-width="\##(width)" stroke-opacity="\##(opacity)" points="\##(points.joined(separator: " "))"/>"##
        )
      }
      points = []
    }
    // At most ~2 points per pixel: a million steps draw as fast as forty epochs.
    let stride = max(1, values.count / 1600)
    for index in Swift.stride(from: 0, to: values.count, by: stride) {
      let value = values[index]
      guard value.isFinite, !scale.log || value > 0 else {
        flush()
        continue
      }
      points.append("\(f(scale.x(xs[index]))),\(f(scale.y(value)))")
    }
    flush()
    return lines
  }

  private func markers(_ scale: Scale) -> [String] {
    let series = analysis.series
    var parts: [String] = []
    if let best = analysis.best {
      let x = scale.x(series.x[best])
      let y = scale.y(series.values[best])
      parts.append(##"<circle cx="\##(f(x))" cy="\##(f(y))" r="4.5" fill="#1a7f37"/>"##)
      parts.append(
        text(
          x, y - 10,
          "best \(TextFormat.figure(series.values[best], digits: 3)) at \(series.at(best))",
          anchor: x > scale.frame.x + 0.8 * scale.frame.width ? "end" : "middle", size: 10,
          fill: "#1a7f37"))
    }
    for spike in analysis.spikes.prefix(20) {
      parts.append(
        ##"<circle cx="\##(f(scale.x(series.x[spike])))" cy="\##(f(scale.y(series.values[spike])))" r="6" fill="none" stroke="#cf222e" stroke-width="2"/>"##
      )
    }
    if let bad = analysis.nonFinite {
      let x = scale.x(series.x[bad])
      parts.append(
        ##"<line x1="\##(f(x))" y1="\##(f(scale.frame.y))" x2="\##(f(x))" y2="\##(f(scale.frame.y + scale.frame.height))" stroke="#cf222e" stroke-width="2" stroke-dasharray="6 4"/>"##
      )
      parts.append(
        text(
          x + 4, scale.frame.y + 28,
          "\(LossSeries.describe(series.values[bad])) at \(series.at(bad))", size: 11,
          fill: "#cf222e"))
    }
    return parts
  }

  private func legend(_ names: [String], colours: [String]) -> [String] {
    var parts: [String] = []
    var x = width - right - 10
    for (index, name) in names.enumerated().reversed() {
      let label = "\(name) (raw, smoothed)"
      let textWidth = Double(label.count) * 6.6
      x -= textWidth + 30
      parts.append(
        ##"<line x1="\##(f(x))" y1="\##(f(top + 12))" x2="\##(f(x + 22))" y2="\##(f(top + 12))" stroke="\##(colours[index])" stroke-width="2.4"/>"##
      )
      parts.append(text(x + 26, top + 16, label, size: 11))
    }
    return parts
  }

  private func text(
    _ x: Double, _ y: Double, _ content: String, anchor: String = "start", size: Int = 12,
    weight: String = "normal", fill: String = "#222222"
  ) -> String {
    ##"<text x="\##(f(x))" y="\##(f(y))" text-anchor="\##(anchor)" font-size="\##(size)" font-weight="\##(weight)" fill="\##(fill)">\##(escape(content))</text>"##
  }

  private func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default:
        // Control characters are not allowed in XML 1.0.
        if let ascii = character.asciiValue, ascii < 0x20, ascii != 0x09, ascii != 0x0A {
          out += " "
        } else {
          out.append(character)
        }
      }
    }
    return out
  }

  private func f(_ value: Double) -> String { String(format: "%.1f", value) }

  /// About five round ticks between `low` and `high`.
  static func ticks(_ low: Double, _ high: Double) -> [Double] {
    let span = high - low
    guard span > 0, span.isFinite else { return [low] }
    let raw = span / 5
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var ticks: [Double] = []
    var tick = (low / step).rounded(.up) * step
    while tick <= high + step * 1e-9, ticks.count < 12 {
      ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
      tick += step
    }
    return ticks
  }
}
