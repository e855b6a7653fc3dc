import Testing

@testable import UDM

@Suite struct IntegerValueTests {
  @Test(
    arguments: [
      ("0", 0, false), ("7", 7, false), ("007", 7, false), ("+12", 12, false), ("-12", -12, false),
      (" 12 ", 12, false), ("\t-3\t", -3, false),
      ("2147483647", 2_147_483_647, false), ("-2147483648", -2_147_483_648, false),
      ("8.0", 8, false), ("8.000", 8, false), ("8.5", 9, true), ("-8.5", -9, true),
      ("8.4", 8, true), ("8.49", 8, true), ("-8.4", -8, true), ("0.5", 1, true), ("-0.4", 0, true),
      ("2147483646.5", 2_147_483_647, true), ("2147483647.4", 2_147_483_647, true),
      ("-2147483648.4", -2_147_483_648, true), ("00000000000000000000042", 42, false),
    ] as [(String, Int32, Bool)])
  func values(_ input: String, _ expected: Int32, _ rounded: Bool) {
    #expect(IntegerValue(input) == .value(expected, rounded: rounded), "\(input)")
  }

  @Test(arguments: [
    "2147483648", "-2147483649", "2147483647.5", "-2147483648.5", "99999999999999999999999",
  ])
  func outOfRange(_ input: String) {
    #expect(IntegerValue(input) == .outOfRange, "\(input)")
  }

  @Test(arguments: [
    "", " ", "+", "-", "1e3", ".5", "5.", "1,000", "1 000", "--1", "+-1", "0x10", "1.2.3", "٣",
    "12a", "a12", "1.5e1", "99999999999999999999999x",
  ])
  func malformed(_ input: String) {
    #expect(IntegerValue(input) == .malformed, "\(input)")
  }
}
