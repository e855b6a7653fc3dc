import Foundation

/// `lmsds_build_info{version="…"} 1`: during a rollout, which pods run which version.
public enum BuildInfoMetric {
  public static func text(version: String) -> String {
    let name = FleetMetrics.Name.buildInfo
    let label = version.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    return """
      # HELP \(name) \(MetricsHelp.escaped(FleetMetrics.help[name] ?? ""))
      # TYPE \(name) gauge
      \(name){version="\(label)"} 1

      """
  }
}
