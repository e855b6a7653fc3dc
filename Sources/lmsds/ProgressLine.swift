import Foundation
import Logging
import Worker

#if canImport(Glibc)
  import Glibc
#endif

/// Progress a person can follow while a long load goes on: on a terminal, one line rewritten in
/// place every second; otherwise (a cron log, a collector) a log line every ten seconds. Files
/// done of the expected total, rows, rate and the time left.
struct ProgressLine {
  private var progress: LoadProgress
  private let logger: Logger
  private let onTerminal = isatty(STDERR_FILENO) == 1
  private let started = ContinuousClock.now
  private var lastShown = ContinuousClock.now
  private var shown = false

  init(total: Int?, logger: Logger) {
    progress = LoadProgress(total: total)
    self.logger = logger
  }

  var figures: LoadProgress { progress }

  mutating func advance(rows: Int) {
    progress.add(rows: rows)
    let now = ContinuousClock.now
    guard now - lastShown >= (onTerminal ? .seconds(1) : .seconds(10)) else { return }
    lastShown = now
    show()
  }

  /// Ends the terminal line, so that the summary starts on its own.
  mutating func finish() {
    guard shown else { return }
    show()
    if onTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
  }

  private mutating func show() {
    shown = true
    let text = progress.text(elapsedSeconds: seconds(ContinuousClock.now - started))
    if onTerminal {
      // Carriage return and erase-line: the same line, updated in place.
      FileHandle.standardError.write(Data("\r\u{1B}[Klmsds: \(text)".utf8))
    } else {
      logger.info("progress: \(text)")
    }
  }

  private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }
}
