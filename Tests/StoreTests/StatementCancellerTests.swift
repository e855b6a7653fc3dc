import Foundation
import Testing

@testable import Store

/// Another thread stops a running statement: it fails at once, and the session stays usable.
struct StatementCancellerTests {
  /// Runs `sql` on its own thread, cancels it after a moment, and returns how long the statement
  /// ran and what it threw.
  private func cancelWhileRunning(_ connection: any SQLConnection, _ sql: String) throws
    -> (ran: Duration, error: (any Error)?)
  {
    let canceller = try #require(connection.makeStatementCanceller())
    let outcome = Outcome()
    let started = ContinuousClock.now
    let handoff = ConnectionHandoff(connection)
    let thread = Thread {
      do { _ = try handoff.connection.query(sql) } catch { outcome.set(error) }
      outcome.finish(after: ContinuousClock.now - started)
    }
    thread.start()
    Thread.sleep(forTimeInterval: 0.3)
    canceller.cancelRunningStatement()
    let ran = outcome.wait(timeout: .seconds(20))
    return (ran ?? .seconds(20), outcome.error)
  }

  @Test func aSQLiteStatementIsInterrupted() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    // Counts to a billion: minutes, unless interrupted.
    let (ran, error) = try cancelWhileRunning(
      connection,
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c"
    )
    #expect(error != nil)
    #expect(ran < .seconds(5))
    #expect(try connection.scalar("SELECT 41 + 1")?.int == 42)
  }

  @Test(
    .enabled(
      if: PostgresTestServer.isAvailable,
      "needs LMSDS_TEST_POSTGRES_URL (scripts/with-postgres.sh swift test)"))
  func aPostgreSQLStatementIsCancelledInsideItsTransaction() throws {
    let connection = try PostgresTestServer.connect()
    try connection.begin()
    let (ran, error) = try cancelWhileRunning(connection, "SELECT pg_sleep(60)")
    #expect(error != nil)
    #expect(ran < .seconds(5))
    try connection.rollback()
    #expect(try connection.scalar("SELECT 41 + 1")?.int == 42)
  }

  /// Rows streamed between statements stop too: the writer checks the request itself.
  private func rowsWrittenAfterCancel(_ connection: any SQLConnection) throws -> Int? {
    try connection.begin()
    try connection.executeScript("CREATE TEMP TABLE cancel_probe (n bigint, t text)")
    let writer = try connection.makeBulkWriter(table: "cancel_probe", columns: ["n", "t"])
    try #require(connection.makeStatementCanceller()).cancelRunningStatement()
    var written = 0
    do {
      for n in 0..<1_000_000 {
        writer.append(Int64(n))
        writer.append("row \(n)")
        try writer.endRow()
        written += 1
      }
      _ = try writer.finish()
      return nil
    } catch {
      try connection.rollback()
      #expect(try connection.scalar("SELECT 41 + 1")?.int == 42)
      return written
    }
  }

  @Test func aSQLiteBulkLoadStopsWithinAThousandRows() throws {
    let written = try rowsWrittenAfterCancel(try SQLiteConnection(path: ":memory:"))
    #expect(try #require(written) <= 1024)
  }

  @Test(
    .enabled(
      if: PostgresTestServer.isAvailable,
      "needs LMSDS_TEST_POSTGRES_URL (scripts/with-postgres.sh swift test)"))
  func aPostgreSQLCopyStopsAtItsNextFlush() throws {
    let written = try rowsWrittenAfterCancel(try PostgresTestServer.connect())
    // One flush is 256 KiB, some 20,000 of these rows.
    #expect(try #require(written) < 50_000)
  }

  @Test func aCancellerOutlivingItsSQLiteConnectionDoesNothing() throws {
    var connection: SQLiteConnection? = try SQLiteConnection(path: ":memory:")
    let canceller = try #require(connection?.makeStatementCanceller())
    connection = nil
    canceller.cancelRunningStatement()
  }
}

/// The connection, lent to the statement's thread while the test thread waits.
private final class ConnectionHandoff: @unchecked Sendable {
  // `@unchecked Sendable`: only the statement's thread uses the connection until it finishes.
  let connection: any SQLConnection
  init(_ connection: any SQLConnection) { self.connection = connection }
}

/// What the statement's thread reports back.
private final class Outcome: @unchecked Sendable {
  // `@unchecked Sendable`: every field is only touched under `lock`.
  private let lock = NSLock()
  private let done = DispatchSemaphore(value: 0)
  private var storedError: (any Error)?
  private var ran: Duration?

  func set(_ error: any Error) {
    lock.lock()
    storedError = error
    lock.unlock()
  }

  func finish(after duration: Duration) {
    lock.lock()
    ran = duration
    lock.unlock()
    done.signal()
  }

  var error: (any Error)? {
    lock.lock()
    defer { lock.unlock() }
    return storedError
  }

  func wait(timeout: Duration) -> Duration? {
    guard
      done.wait(timeout: .now() + .milliseconds(Int(timeout.components.seconds * 1000))) == .success
    else { return nil }
    lock.lock()
    defer { lock.unlock() }
    return ran
  }
}
