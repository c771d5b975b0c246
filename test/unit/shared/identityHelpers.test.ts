import { isAdultOn, isAdultWhenCompleted, isE164Phone } from '../../../nodes/shared/identity';

describe('isE164Phone', () => {
	it.each(['+491701234567', '+32471234567', '+1234567'])('accepts %s', (value) => {
		expect(isE164Phone(value)).toBe(true);
	});

	it.each(['', '491701234567', '+0491701234567', '+49 170 1234567', '+123456', '+1234567890123456', '00491701234567'])(
		'refuses %j',
		(value) => {
			expect(isE164Phone(value)).toBe(false);
		},
	);
});

describe('isAdultWhenCompleted', () => {
	it('judges on the day the provider finished', () => {
		expect(isAdultWhenCompleted('2007-06-15', '2025-06-15T08:00:00.000Z')).toBe(true);
		expect(isAdultWhenCompleted('2007-06-15', '2025-06-14T23:59:59.000Z')).toBe(false);
	});

	it('judges on today when the provider states no time', () => {
		const today = new Date().toISOString();
		expect(isAdultWhenCompleted('2000-01-01', null)).toBe(isAdultOn('2000-01-01', today));
		expect(isAdultWhenCompleted(`${new Date().getUTCFullYear() - 1}-01-01`, null)).toBe(false);
	});

	it('is null without a usable birth date', () => {
		expect(isAdultWhenCompleted(null, '2025-01-01')).toBeNull();
		expect(isAdultWhenCompleted('', null)).toBeNull();
		expect(isAdultWhenCompleted('not a date', '2025-01-01')).toBeNull();
	});
});
