import Messages
import UDM

/// The header plans a session has built, by resource and header. A night's files of a resource
/// mostly share one header, and building its plan again for each of 5,000 small files showed in
/// profiles; a shared plan also shares its layout's storage, so comparing layouts is cheap.
final class HeaderPlans {
  private struct Key: Hashable {
    let resource: ResourceKind
    let header: [String]
  }

  /// Headers beyond this many distinct ones, or longer than `longestKept` bytes, are planned each
  /// time: the cache lives as long as a worker's session, and input must not grow it.
  static let limit = 64
  static let longestKept = 4_096
  private var plans: [Key: HeaderPlan] = [:]

  /// How many plans are kept.
  var count: Int { plans.count }

  func plan(header: [String], resource: ResourceSpec) throws -> HeaderPlan {
    let key = Key(resource: resource.kind, header: header)
    if let plan = plans[key] { return plan }
    let plan = try HeaderPlan(header: header, resource: resource)
    if plans.count < Self.limit, header.reduce(0, { $0 + $1.utf8.count }) <= Self.longestKept {
      plans[key] = plan
    }
    return plan
  }
}
