import { IDNOW_STATUS_CODES, IDNOW_SUB_STATUS_CODES, isFinalCode } from './index';

describe('the status code table (3.2.3)', () => {
	it('has the finals PROVIDERS.md lists for identification and eSign orders', () => {
		const finals = (eSign: boolean) =>
			IDNOW_STATUS_CODES.filter((entry) => isFinalCode(entry.code, eSign)).map((entry) => entry.code);
		expect(finals(false)).toEqual([6, 16, 17, 22, 58, 63, 99, 100]);
		expect(finals(true)).toEqual([16, 17, 22, 58, 63, 84, 99, 100, 103]);
	});

	it('marks the codes the default getStatus leaves out as extended', () => {
		const normal = IDNOW_STATUS_CODES.filter((entry) => !entry.extended).map((entry) => entry.code);
		expect(normal).toEqual([
			6, 11, 12, 14, 16, 17, 21, 22, 30, 55, 56, 57, 58, 63, 68, 73, 75, 80, 87, 98, 99, 100, 103,
		]);
		expect(IDNOW_STATUS_CODES.find((entry) => entry.code === 84)).toEqual({
			code: 84,
			meaning: 'Document signed',
			finalIdent: false,
			finalESign: true,
			extended: true,
		});
	});

	it('is plain JSON-able data with unique codes, sub-status codes only under known codes', () => {
		expect(JSON.parse(JSON.stringify(IDNOW_STATUS_CODES))).toEqual(IDNOW_STATUS_CODES);
		expect(new Set(IDNOW_STATUS_CODES.map((entry) => entry.code)).size).toBe(IDNOW_STATUS_CODES.length);
		const known = new Set(IDNOW_STATUS_CODES.map((entry) => entry.code));
		expect(IDNOW_SUB_STATUS_CODES.every((entry) => known.has(entry.code))).toBe(true);
		expect(IDNOW_SUB_STATUS_CODES.filter((entry) => entry.code === 17).map((entry) => entry.subCode)).toEqual([
			43, 48, 61, 72, 73, 74, 75,
		]);
		expect(isFinalCode(12345, false)).toBe(false);
	});
});
