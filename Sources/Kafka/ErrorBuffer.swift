extension String {
  /// Decodes a NUL-terminated `errstr` buffer filled by librdkafka.
  init(errorBuffer buffer: [CChar]) {
    self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
