import Foundation
import Testing
@testable import WeirCluster

@Suite struct JobModelTests {
    /// The state names are what the store, the status endpoint and `weir jobs` show: they must not change.
    @Test func stateNamesAreStable() {
        #expect(JobState.allCases.map(\.rawValue) == ["queued", "running", "committing", "succeeded", "failed", "cancelled"])
        #expect(TaskState.allCases.map(\.rawValue) == ["pending", "assigned", "succeeded", "failed", "cancelled"])
        #expect(JobState.allCases.filter(\.isFinal) == [.succeeded, .failed, .cancelled])
        #expect(TaskState.allCases.filter(\.isFinal) == [.succeeded, .failed, .cancelled])
    }
}
