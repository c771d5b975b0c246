import { finalCodes, IDNOW_STATUS_CODES, subStatusMeaning } from '../../../nodes/Idnow/statusCodes';
import { explainStatusEntry, verdictOf } from '../../../nodes/Idnow/status';
import { IDNOW_STATUS_CODES as SANDBOX_CODES, IDNOW_SUB_STATUS_CODES } from '../../sandbox/idnow';

const entries = (...codes: Array<number | [number, number]>) =>
	codes.map((code) => explainStatusEntry(Array.isArray(code) ? { Kind: code[0], SubKind: code[1], Time: '' } : { Kind: code, Time: '' }));

describe('IDnow status codes', () => {
	it('are the same table as the sandbox, written separately from the document', () => {
		expect(IDNOW_STATUS_CODES).toEqual(SANDBOX_CODES);
		for (const { code, subCode, meaning } of IDNOW_SUB_STATUS_CODES) expect(subStatusMeaning(code, subCode)).toBe(meaning);
	});

	it('end identification and eSign orders on the codes PROVIDERS.md lists', () => {
		expect(finalCodes(false)).toEqual([6, 16, 17, 22, 58, 63, 99, 100]);
		expect(finalCodes(true)).toEqual([16, 17, 22, 58, 63, 84, 99, 100, 103]);
	});

	it.each<[string, ReturnType<typeof entries>, 'identification' | 'eSign', string, string | null]>([
		['6 verifies an identification order', entries(25, 75, 6, 80), 'identification', 'verified', null],
		['6 leaves an eSign order pending', entries(25, 75, 6, 101), 'eSign', 'pending', 'eSign documents verified and hashes generated (101)'],
		['84 verifies an eSign order', entries(6, 83, 84, 80), 'eSign', 'verified', null],
		['17 fails, with the sub-status', entries(75, [17, 48]), 'identification', 'failed', 'Identification negatively conducted (17/48: Identification criteria)'],
		['22 fails', entries(22), 'identification', 'failed', 'The processing was terminated (22)'],
		['103 fails an eSign order', entries(6, 103), 'eSign', 'failed', 'eSign aborted (103)'],
		['16 cancels', entries(16), 'identification', 'cancelled', 'Identification refused by customer (16)'],
		['58 cancels', entries([58, 30]), 'identification', 'cancelled', 'Identification refused by customer by phone (58/30: User is no longer interested in product)'],
		['63 cancels', entries(63), 'eSign', 'cancelled', 'Cancellation (63)'],
		['99 expires', entries(99), 'identification', 'expired', 'TimeOut (99)'],
		['100 expires', entries(100), 'eSign', 'expired', 'TimeOut after identification (100)'],
		['89 means review, whatever follows', entries(75, 89, [17, 72]), 'identification', 'review', 'Possible fraud attempt by customer (89)'],
		['an unknown code keeps the order pending', entries(25, 4711), 'identification', 'pending', 'status code not in the IDnow table (4711)'],
	])('%s', (_, list, kind, status, reason) => {
		const verdict = verdictOf(list, kind);
		expect({ status: verdict.status, verified: verdict.verified, reason: verdict.reason }).toEqual({ status, verified: status === 'verified', reason });
	});

	it('reads FraudAttempt as review even without 89', () => {
		expect(verdictOf(entries(75, 6), 'identification', true)).toMatchObject({
			status: 'review',
			verified: false,
			reason: 'IDnow flagged a possible fraud attempt (FraudAttempt)',
		});
	});
});
