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

  /// Headers beyond this many distinct ones are planned each time: input cannot grow the cache.
  static let limit = 64
  private var plans: [Key: HeaderPlan] = [:]

  func plan(header: [String], resource: ResourceSpec) throws -> HeaderPlan {
    let key = Key(resource: resource.kind, header: header)
    if let plan = plans[key] { return plan }
    let plan = try HeaderPlan(header: header, resource: resource)
    if plans.count < Self.limit { plans[key] = plan }
    return plan
  }
}
