import Testing
import WeirHTTP

@Suite struct GravitinoErrorCodeTests {
    /// The codes and statuses of spec/gravitino-api.md section 1.5, which the Python client depends on.
    @Test func codesAndStatusesMatchTheJavaServer() {
        let expected: [(Int, Int)] = [(1000, 400), (1001, 400), (1002, 500), (1003, 404), (1004, 409), (1005, 409),
                                      (1006, 405), (1007, 502), (1008, 403), (1009, 409), (1010, 409), (1011, 401), (1100, 500)]
        #expect(GravitinoErrorCode.allCases.map { ($0.rawValue, $0.httpStatus) }.elementsEqual(expected, by: ==))
    }
}
