import Foundation
import Logging
import Store
import Worker

/// Opens and migrates the database when `lmsds work` starts, riding out a server that is not up
/// yet (a host reboot brings the workers up before PostgreSQL) with the backoff the worker uses for
/// an outage in mid-run, until `wait` has passed; then status 1, as before.
///
/// Only an unreachable server (`DatabaseError.Kind.connection`) is waited for: a migration that
/// fails or a setting that cannot work ends the start at once, since waiting would not change it.
struct StartupDatabase {
  let context: CommandContext
  let wait: Duration
  var backoff: Backoff

  func open(logger: Logger) throws -> any SQLConnection {
    let location = context.settings.database
    let deadline = ContinuousClock.now + wait
    var backoff = self.backoff
    while true {
      do {
        // A first session only to learn that the server answers; the migrated one follows.
        _ = try DatabaseConnector.open(location)
        break
      } catch let error as DatabaseError where error.kind == .connection {
        guard ContinuousClock.now < deadline else { break }  // the next open reports it
        let delay = min(backoff.nextDelay(), deadline - ContinuousClock.now)
        logger.warning(
          "database unreachable at start; retrying",
          metadata: [
            "database": "\(location.redactedDescription)", "error": "\(error)",
            "retry_in": "\(delay)", "gives_up_in": "\(deadline - ContinuousClock.now)",
          ])
        let (whole, fraction) = delay.components
        Thread.sleep(forTimeInterval: Double(whole) + Double(fraction) / 1e18)
      } catch {
        break  // not an outage: the next open reports it
      }
    }
    return try context.openMigratedDatabase()
  }
}
