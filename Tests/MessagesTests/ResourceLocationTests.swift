import Testing

@testable import Messages

private let stamp = NameTimestamp(year: 2021, month: 3, day: 9, hour: 16, minute: 44, second: 33)!

@Suite struct ResourceLocationTests {
  @Test(
    arguments: [
      ("users/2021-03-09-16-44-33.csv", ResourceKind.users, nil, nil, nil),
      ("sections/2021-03-09-16-44-33.csv", .sections, nil, nil, nil),
      (
        "section=S1/section-associations/2021-03-09-16-44-33.csv", .sectionAssociations, "S1", nil,
        nil
      ),
      ("section=S1/assignments/2021-03-09-16-44-33.csv", .assignments, "S1", nil, nil),
      (
        "section=S1/assignment=A9/submissions/2021-03-09-16-44-33.csv", .submissions, "S1", "A9",
        nil
      ),
      ("section=S1/attendance-events/2021-03-09-16-44-33.csv", .attendanceEvents, "S1", nil, nil),
      ("section=S1/section-activities/2021-03-09-16-44-33.csv", .sectionActivities, "S1", nil, nil),
      ("section=S1/grades/2021-03-09-16-44-33.csv", .grades, "S1", nil, nil),
      (
        "system-activities/date=2021-03-08/2021-03-09-16-44-33.csv", .systemActivities, nil, nil,
        "2021-03-08"
      ),
    ] as [(String, ResourceKind, String?, String?, String?)])
  func everyResource(
    path: String, resource: ResourceKind, section: String?, assignment: String?, date: String?
  ) throws {
    let location = try #require(ResourceLocation(relativePath: path))
    #expect(location.resource == resource)
    #expect(location.sectionID == section)
    #expect(location.assignmentID == assignment)
    #expect(location.activityDate == date)
    #expect(location.nameTimestamp == stamp)
  }

  @Test func directoryNamesAndPrefixesMatchInAnyCase() throws {
    let users = try #require(ResourceLocation(relativePath: "USERS/2021-03-09-16-44-33.CSV"))
    #expect(users.resource == .users)
    let submissions = try #require(
      ResourceLocation(relativePath: "Section=Ab/Assignment=Cd/SubMissions/2021-03-09-16-44-33.Csv")
    )
    #expect(submissions.resource == .submissions)
    #expect(submissions.sectionID == "Ab")
    #expect(submissions.assignmentID == "Cd")
    let activity = try #require(
      ResourceLocation(relativePath: "System-Activities/DATE=2021-03-08/2021-03-09-16-44-33.csv"))
    #expect(activity.activityDate == "2021-03-08")
    let grades = try #require(
      ResourceLocation(relativePath: "SECTION=x/GRADES/2021-03-09-16-44-33.csv"))
    #expect(grades.resource == .grades)
  }

  @Test(arguments: [
    "Ab CD", "a=b", "ÄÖ-ü", "\u{301}starts-with-combining-mark", "x.y,z", "..", "  spaced  ", "日本",
  ])
  func idsAreKeptVerbatim(id: String) throws {
    let location = try #require(
      ResourceLocation(
        relativePath: "section=\(id)/assignment=\(id)/submissions/2021-03-09-16-44-33.csv"))
    #expect(Array(location.sectionID!.utf8) == Array(id.utf8))
    #expect(Array(location.assignmentID!.utf8) == Array(id.utf8))
    #expect(location.scopeKey == "section=\(id)/assignment=\(id)")
  }

  @Test(arguments: [
    "users/2021-02-30-00-00-00.csv",  // no 30 February
    "users/2021-13-01-00-00-00.csv",
    "users/2021-01-01-24-00-00.csv",
    "users/2021-01-01-00-60-00.csv",
    "users/2021-01-01-00-00-60.csv",
    "users/2100-02-29-00-00-00.csv",  // 2100 is not a leap year
    "users/2021-03-09 16:44:33.csv",  // the SQL form is not a file name
    "users/2021-03-09-16-44-3.csv",
    "users/2021-03-09-16-44-33.csv.bak",
    "users/2021-03-09-16-44-33.txt",
    "users/x2021-03-09-16-44-33.csv",
    "users/+021-03-09-16-44-33.csv",
    "2021-03-09-16-44-33.csv",
    "user/2021-03-09-16-44-33.csv",
    "/users/2021-03-09-16-44-33.csv",
    "users//2021-03-09-16-44-33.csv",
    "x/users/2021-03-09-16-44-33.csv",
    "section=/assignments/2021-03-09-16-44-33.csv",  // empty id
    "section=S/users/2021-03-09-16-44-33.csv",
    "sections=S/assignments/2021-03-09-16-44-33.csv",
    "section=S/submissions/2021-03-09-16-44-33.csv",
    "section=S/assignment=A/grades/2021-03-09-16-44-33.csv",
    "assignment=A/section=S/submissions/2021-03-09-16-44-33.csv",
    "section=S/assignment=A/submissions/extra/2021-03-09-16-44-33.csv",
    "system-activities/2021-03-09-16-44-33.csv",
    "system-activities/date=2021-02-30/2021-03-09-16-44-33.csv",
    "system-activities/date=21-03-09/2021-03-09-16-44-33.csv",
    "system-activities/day=2021-03-08/2021-03-09-16-44-33.csv",
    "section=S/assignments/",
    "",
  ])
  func nonMatchingPathsGiveNil(path: String) {
    #expect(ResourceLocation(relativePath: path) == nil)
  }

  @Test func scopeKeys() throws {
    #expect(ResourceLocation(relativePath: "users/2021-03-09-16-44-33.csv")?.scopeKey == "")
    #expect(
      ResourceLocation(relativePath: "SECTION=S1/grades/2021-03-09-16-44-33.csv")?.scopeKey
        == "section=S1")
    #expect(
      ResourceLocation(relativePath: "system-activities/DATE=2021-03-08/2021-03-09-16-44-33.csv")?
        .scopeKey == "date=2021-03-08")
  }
}
