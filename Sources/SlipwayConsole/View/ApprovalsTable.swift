import Foundation
import SlipwayCore

/// The approvals screen: requests awaiting approval under the two-person rule, oldest first.
enum ApprovalsTable {
    static func make(_ approvals: [RequestRecord], now: Date, symbols: SymbolSet, width: Int) -> ColumnTable<RequestRecord> {
        typealias Column = ColumnTable<RequestRecord>.Column
        return ColumnTable(
            items: approvals,
            columns: [
                Column(heading: "ID", limit: 24, value: \.id),
                Column(heading: "WHAT", limit: 60, value: \.request.title, cuttable: true),
                Column(heading: "REQUESTER", limit: 16, value: \.actor),
                Column(heading: "AGE", limit: 4, value: { TimeText.span(now.timeIntervalSince($0.requestedAt)) }),
                Column(heading: "EXPIRES IN", limit: 10, value: { record in
                    record.expiresAt.map { TimeText.span($0.timeIntervalSince(now)) } ?? "-"
                }, style: { record in
                    (record.expiresAt?.timeIntervalSince(now) ?? .infinity) < 300 ? .colored(.inProgress, .bold) : .plain
                }),
                Column(heading: "APPROVALS", limit: 9, value: { "\($0.approvedBy.count)/\($0.approvalsNeeded)" }),
            ],
            symbols: symbols, emptyMessage: "no request awaits approval", width: width)
    }
}
