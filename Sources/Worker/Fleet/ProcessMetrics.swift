import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The standard `process_*` metrics (CPU, memory, descriptors, start time) under the names
/// Prometheus' own clients use, so stock dashboards and alerts work. swift-prometheus has no
/// process collector; on Linux they are read from /proc at each scrape, elsewhere left out.
public enum ProcessMetrics {
  public static func text() -> String {
    #if os(Linux)
      guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { return "" }
      // Fields after the command name (which may hold spaces), numbered from 3 as in proc(5).
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      func field(_ number: Int) -> Double? {
        let index = number - 3
        return index < fields.count ? Double(fields[index]) : nil
      }
      let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
      let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
      var lines: [String] = []
      func add(_ name: String, _ type: String, _ help: String, _ value: Double?) {
        guard let value else { return }
        lines.append("# HELP \(name) \(help)")
        lines.append("# TYPE \(name) \(type)")
        lines.append("\(name) \(value == value.rounded() ? String(Int64(value)) : String(value))")
      }
      if let user = field(14), let system = field(15), ticks > 0 {
        add(
          "process_cpu_seconds_total", "counter",
          "Total user and system CPU time spent in seconds.",
          (user + system) / ticks)
      }
      add(
        "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
        field(24).map { $0 * pageSize })
      add("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", field(23))
      if let start = field(22), let boot = bootTime(), ticks > 0 {
        add(
          "process_start_time_seconds", "gauge",
          "Start time of the process since unix epoch in seconds.", boot + start / ticks)
      }
      let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
      add(
        "process_open_fds", "gauge", "Number of open file descriptors.",
        descriptors.map { Double($0.count) })
      var limit = rlimit()
      if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
        add(
          "process_max_fds", "gauge", "Maximum number of open file descriptors.",
          Double(limit.rlim_cur))
      }
      return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    #else
      return ""
    #endif
  }

  /// The `btime` line of /proc/stat: when the machine booted, in seconds since 1970.
  static func bootTime() -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
      return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
    }
    return nil
  }
}
