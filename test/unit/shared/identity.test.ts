import {
	buildEnvelope,
	buildIdentity,
	IDENTITY_STATUSES,
	isAdultOn,
	normalizeCountry,
	normalizeDate,
	normalizeDateTime,
	normalizeAssuranceLevel,
	normalizeGender,
	normalizePhone,
	splitStreetAndHouseNumber,
	type IdentityStatus,
	type NormalizedIdentity,
} from '../../../nodes/shared/identity';

const EMPTY_IDENTITY: Omit<NormalizedIdentity, 'provider' | 'status' | 'verified'> = {
	transactionId: null,
	reference: null,
	reason: null,
	assurance: { level: null, method: null },
	completedAt: null,
	person: {
		subjectId: null,
		nationalId: null,
		givenName: null,
		familyName: null,
		fullName: null,
		birthDate: null,
		gender: null,
		nationality: null,
		email: null,
		phone: null,
		address: { street: null, houseNumber: null, postalCode: null, city: null, country: null },
		isAdult: null,
	},
	document: { type: null, number: null, issuingCountry: null, validUntil: null },
	raw: null,
};

describe('buildIdentity', () => {
	it('fills every key of the contract with null when nothing is known', () => {
		expect(buildIdentity({ provider: 'eeid', status: 'pending' })).toEqual({
			provider: 'eeid',
			status: 'pending',
			verified: false,
			...EMPTY_IDENTITY,
		});
	});

	it.each(IDENTITY_STATUSES)('derives verified from status %s', (status: IdentityStatus) => {
		expect(buildIdentity({ provider: 'idnow', status }).verified).toBe(status === 'verified');
	});

	it('keeps what the provider gave, normalized, and builds the full name', () => {
		const raw = { any: 'thing' };
		const identity = buildIdentity({
			provider: 'itsme',
			status: 'verified',
			transactionId: ' tx-1 ',
			reference: '',
			reason: 'ignored once verified',
			assurance: { level: 'http://eidas.europa.eu/LoA/substantial', method: ' itsme ' },
			completedAt: '2025-03-01T10:00:00+01:00',
			person: {
				nationalId: ' 80022912345 ',
				givenName: 'Jan',
				familyName: 'Peeters',
				birthDate: '19800229',
				gender: 'male',
				nationality: 'BEL',
				email: 'jan@example.be',
				phone: '+32 470 12 34 56',
				address: { street: 'Wetstraat', houseNumber: '16', postalCode: '1000', city: 'Brussel', country: 'be' },
				isAdult: true,
			},
			document: { type: 'ID card', number: 'B123', issuingCountry: 'BE', validUntil: '31.12.2030' },
			raw,
		});

		expect(identity).toEqual({
			provider: 'itsme',
			status: 'verified',
			verified: true,
			transactionId: 'tx-1',
			reference: null,
			reason: null,
			assurance: { level: 'substantial', method: 'itsme' },
			completedAt: '2025-03-01T09:00:00.000Z',
			person: {
				subjectId: null,
				nationalId: '80022912345',
				givenName: 'Jan',
				familyName: 'Peeters',
				fullName: 'Jan Peeters',
				birthDate: '1980-02-29',
				gender: 'male',
				nationality: 'BE',
				email: 'jan@example.be',
				phone: '+32470123456',
				address: { street: 'Wetstraat', houseNumber: '16', postalCode: '1000', city: 'Brussel', country: 'BE' },
				isAdult: true,
			},
			document: { type: 'ID card', number: 'B123', issuingCountry: 'BE', validUntil: '2030-12-31' },
			raw,
		});
	});

	it('keeps a full name the provider gave', () => {
		const identity = buildIdentity({
			provider: 'idin',
			status: 'verified',
			person: { givenName: 'J.', familyName: 'Vries', fullName: 'J. de Vries' },
		});
		expect(identity.person.fullName).toBe('J. de Vries');
	});

	it('builds the full name from whichever part is known', () => {
		expect(buildIdentity({ provider: 'eeid', status: 'verified', person: { familyName: 'Tamm' } }).person.fullName).toBe('Tamm');
	});

	it('turns numbers into text for ids', () => {
		expect(buildIdentity({ provider: 'idnow', status: 'pending', transactionId: 12345 as unknown as string }).transactionId).toBe(
			'12345',
		);
	});

	it('keeps the reason of an identity that is not verified', () => {
		expect(buildIdentity({ provider: 'eeid', status: 'failed', reason: ' Document expired ' }).reason).toBe('Document expired');
		expect(buildIdentity({ provider: 'eeid', status: 'cancelled', reason: '   ' }).reason).toBeNull();
	});

	it('never gives a verified identity a reason', () => {
		expect(buildIdentity({ provider: 'eeid', status: 'verified', reason: 'Document expired' }).reason).toBeNull();
	});

	it('normalizes the assurance level and keeps the method', () => {
		const identity = buildIdentity({ provider: 'eeid', status: 'verified', assurance: { level: 'HIGH', method: 'SMART_ID' } });
		expect(identity.assurance).toEqual({ level: 'high', method: 'SMART_ID' });
		expect(buildIdentity({ provider: 'eeid', status: 'verified', assurance: { level: 'loa3' } }).assurance).toEqual({
			level: null,
			method: null,
		});
	});

	it('refuses a status outside the contract', () => {
		expect(() => buildIdentity({ provider: 'idnow', status: 'success' as IdentityStatus })).toThrow(
			'Unknown identity status "success": map it to one of pending, verified, failed, cancelled, expired, review',
		);
	});
});

describe('buildEnvelope', () => {
	it('fills in nulls and takes ids and status from the identity when not given', () => {
		const identity = buildIdentity({ provider: 'eeid', status: 'verified', transactionId: 'req-1', reference: 'order-7' });

		expect(
			buildEnvelope({
				provider: 'eeid',
				event: 'identification_request.completed',
				receivedAt: Date.UTC(2025, 0, 2, 3, 4, 5),
				signatureVerified: true,
				identity,
				raw: { identification_request_id: 'req-1' },
			}),
		).toEqual({
			provider: 'eeid',
			event: 'identification_request.completed',
			deliveryId: null,
			transactionId: 'req-1',
			reference: 'order-7',
			status: 'verified',
			verified: true,
			reason: null,
			receivedAt: '2025-01-02T03:04:05.000Z',
			signatureVerified: true,
			identity,
			raw: { identification_request_id: 'req-1' },
		});
	});

	it('works without an identity', () => {
		const envelope = buildEnvelope({ provider: 'idnow', event: 'OnFinal', transactionId: 'ORDER1', signatureVerified: false });

		expect(envelope).toMatchObject({ transactionId: 'ORDER1', reference: null, status: null, identity: null, raw: null });
		expect(normalizeDateTime(envelope.receivedAt)).toBe(envelope.receivedAt);
	});

	it('claims no verification without a status', () => {
		const envelope = buildEnvelope({ provider: 'idnow', event: 'OnFinal', signatureVerified: true });

		expect(envelope.status).toBeNull();
		expect(envelope.verified).toBeNull();
	});

	it.each([
		['verified', true],
		['failed', false],
		['pending', false],
	] as const)('derives verified from a given status %s', (status, verified) => {
		expect(buildEnvelope({ provider: 'eeid', event: 'e', status, signatureVerified: true }).verified).toBe(verified);
	});

	it('carries the delivery id, trimmed', () => {
		expect(buildEnvelope({ provider: 'eeid', event: 'e', deliveryId: ' dlv-1 ', signatureVerified: true }).deliveryId).toBe('dlv-1');
		expect(buildEnvelope({ provider: 'eeid', event: 'e', deliveryId: '', signatureVerified: true }).deliveryId).toBeNull();
	});

	it("takes its reason as given, else the identity's", () => {
		const identity = buildIdentity({ provider: 'eeid', status: 'failed', reason: 'Face did not match' });

		expect(buildEnvelope({ provider: 'eeid', event: 'e', signatureVerified: true, identity }).reason).toBe('Face did not match');
		expect(
			buildEnvelope({ provider: 'eeid', event: 'e', signatureVerified: true, identity, reason: 'eeID did not answer in time' }).reason,
		).toBe('eeID did not answer in time');
		expect(
			buildEnvelope({ provider: 'eeid', event: 'e', signatureVerified: true, reason: 'eeID did not answer in time' }),
		).toMatchObject({ reason: 'eeID did not answer in time', status: null, verified: null, identity: null });
	});

	it("takes verified from the identity's status", () => {
		const identity = buildIdentity({ provider: 'eeid', status: 'verified' });

		expect(buildEnvelope({ provider: 'eeid', event: 'e', signatureVerified: true, identity }).verified).toBe(true);
	});

	it('refuses a status outside the contract', () => {
		expect(() =>
			buildEnvelope({ provider: 'eeid', event: 'e', status: 'done' as IdentityStatus, signatureVerified: true }),
		).toThrow('Unknown identity status "done"');
	});
});

describe('normalizeAssuranceLevel', () => {
	it.each([
		['low', 'low'],
		['Substantial', 'substantial'],
		[' HIGH ', 'high'],
		['http://eidas.europa.eu/LoA/high', 'high'],
		['http://eidas.europa.eu/LoA/substantial', 'substantial'],
		['eidas-low', 'low'],
		['eidas_high', 'high'],
	])('%j → %s', (input, expected) => {
		expect(normalizeAssuranceLevel(input)).toBe(expected);
	});

	it.each(['eidas3', 'loa2', 'medium', 'below', 'thigh', 'high-ish', '', '   ', null, undefined, 3, {}])('%j → null', (input) => {
		expect(normalizeAssuranceLevel(input)).toBeNull();
	});
});

describe('normalizeDate', () => {
	it.each([
		['1990-05-17', '1990-05-17'],
		['1990-5-7', '1990-05-07'],
		['19900517', '1990-05-17'],
		[19900517, '1990-05-17'],
		['17.05.1990', '1990-05-17'],
		['7.5.1990', '1990-05-07'],
		['1990-05-17T23:30:00-05:00', '1990-05-17'],
		['1990-05-17 00:00:00', '1990-05-17'],
		[' 2000-02-29 ', '2000-02-29'],
		[new Date(Date.UTC(1990, 4, 17, 12)), '1990-05-17'],
	])('%j → %s', (input, expected) => {
		expect(normalizeDate(input)).toBe(expected);
	});

	it.each(['1990-02-30', '1900-02-29', '1990-13-01', '31.04.1990', '05/17/1990', 'yesterday', '', null, undefined, 1990, {}, new Date('x')])(
		'%j → null',
		(input) => {
			expect(normalizeDate(input)).toBeNull();
		},
	);
});

describe('normalizeDateTime', () => {
	it.each([
		['2025-03-01T10:00:00Z', '2025-03-01T10:00:00.000Z'],
		['2025-03-01T10:00:00+01:00', '2025-03-01T09:00:00.000Z'],
		['2025-03-01T10:00:00+0100', '2025-03-01T09:00:00.000Z'],
		['2025-03-01T10:00:00.123-02', '2025-03-01T12:00:00.123Z'],
		['2025-03-01 10:00', '2025-03-01T10:00:00.000Z'],
		['2025-03-01T10:00:00', '2025-03-01T10:00:00.000Z'],
		['2025-03-01', '2025-03-01T00:00:00.000Z'],
		[1_740_823_200, '2025-03-01T10:00:00.000Z'],
		[1_740_823_200_000, '2025-03-01T10:00:00.000Z'],
		['1740823200', '2025-03-01T10:00:00.000Z'],
		[new Date(Date.UTC(2025, 2, 1, 10)), '2025-03-01T10:00:00.000Z'],
	])('%j → %s', (input, expected) => {
		expect(normalizeDateTime(input)).toBe(expected);
	});

	it.each(['2025-02-30T10:00:00Z', '2025-03-01T25:00:00Z', '01.03.2025', 'Saturday', '', null, Number.NaN, {}])('%j → null', (input) => {
		expect(normalizeDateTime(input)).toBeNull();
	});
});

describe('isAdultOn', () => {
	it.each([
		['2007-06-15', '2025-06-15', true],
		['2007-06-15', '2025-06-14', false],
		['2007-06-15', '2025-06-14T23:59:59Z', false],
		['2000-01-01', '2025-01-01', true],
		['15.06.2007', new Date(Date.UTC(2025, 5, 15)), true],
		['2008-02-29', '2026-02-28', false],
		['2008-02-29', '2026-03-01', true],
		['2008-02-29', '2028-02-29', true],
	])('born %s, on %s → %s', (birthDate, today, expected) => {
		expect(isAdultOn(birthDate, today)).toBe(expected);
	});

	it('supports other ages', () => {
		expect(isAdultOn('2009-01-01', '2025-01-01', 16)).toBe(true);
		expect(isAdultOn('2009-01-02', '2025-01-01', 16)).toBe(false);
	});

	it('is null when a date is unknown', () => {
		expect(isAdultOn(null, '2025-01-01')).toBeNull();
		expect(isAdultOn('2000-01-01', 'today')).toBeNull();
	});
});

describe('normalizeGender', () => {
	it.each([
		['M', 'male'],
		['male', 'male'],
		['MALE', 'male'],
		['Mann', 'male'],
		[1, 'male'],
		['F', 'female'],
		['female', 'female'],
		['FEMALE', 'female'],
		['W', 'female'],
		['V', 'female'],
		['2', 'female'],
		['X', 'diverse'],
		['D', 'diverse'],
		['diverse', 'diverse'],
		[' Divers ', 'diverse'],
	])('%j → %s', (input, expected) => {
		expect(normalizeGender(input)).toBe(expected);
	});

	it.each(['U', 'unknown', '0', '9', '', null, undefined, true])('%j → null', (input) => {
		expect(normalizeGender(input)).toBeNull();
	});
});

describe('normalizeCountry', () => {
	it.each([
		['DE', 'DE'],
		['de', 'DE'],
		[' nl ', 'NL'],
		['DEU', 'DE'],
		['nld', 'NL'],
		['BEL', 'BE'],
		['EST', 'EE'],
		['AUT', 'AT'],
		['CHE', 'CH'],
		['GBR', 'GB'],
		['UK', 'GB'],
		['EL', 'GR'],
		['D', 'DE'],
		['USA', 'US'],
		['JP', 'JP'],
	])('%j → %s', (input, expected) => {
		expect(normalizeCountry(input)).toBe(expected);
	});

	it.each(['Germany', 'XYZ', 'D1', '', null, 49])('%j → null', (input) => {
		expect(normalizeCountry(input)).toBeNull();
	});
});

describe('normalizePhone', () => {
	it.each([
		['+31612345678', undefined, '+31612345678'],
		['+31 6 1234 5678', undefined, '+31612345678'],
		['0031 6-1234-5678', undefined, '+31612345678'],
		['+49 (0)30 1234567', undefined, '+49301234567'],
		['(030) 123 45 67', 'DE', '+49301234567'],
		['06 12345678', 'NL', '+31612345678'],
		['0470 12 34 56', 'be', '+32470123456'],
		['06 12 34 56 78', 'FRA', '+33612345678'],
		['06 1234 5678', 'IT', '+390612345678'],
		['5123 4567', 'EE', '+37251234567'],
		['612 34 56 78', 'ES', '+34612345678'],
	])('%j in %s → %s', (input, country, expected) => {
		expect(normalizePhone(input, country)).toBe(expected);
	});

	it.each([
		['0612345678', undefined],
		['612345678', 'NL'],
		['0612345678', 'ZZ'],
		['051234567', 'EE'],
		['+49 30 ext. 12', undefined],
		['+0123456789', undefined],
		['+123', undefined],
		['+1234567890123456', undefined],
		['', 'DE'],
		[null, 'DE'],
	])('%j in %s → null', (input, country) => {
		expect(normalizePhone(input, country)).toBeNull();
	});
});

describe('splitStreetAndHouseNumber', () => {
	it.each([
		['Hauptstraße 12', 'Hauptstraße', '12'],
		['Hauptstraße 12a', 'Hauptstraße', '12a'],
		['Hauptstraße 12 a', 'Hauptstraße', '12 a'],
		['Keizersgracht 123-2', 'Keizersgracht', '123-2'],
		['Keizersgracht 123/II', 'Keizersgracht', '123/II'],
		['Keizersgracht 123-hs', 'Keizersgracht', '123-hs'],
		['Rue Royale 5 bis', 'Rue Royale', '5 bis'],
		['Hoofdstraat 5 Achterhuis', 'Hoofdstraat 5 Achterhuis', null],
		['Stationsweg 5 / 7', 'Stationsweg', '5 / 7'],
		['Wetstraat 16 bus 3', 'Wetstraat', '16 bus 3'],
		['Rue de la Loi 16\nbte 5', 'Rue de la Loi', '16 bte 5'],
		['Straße des 17. Juni 135', 'Straße des 17. Juni', '135'],
		['Laan 1940-1945 12', 'Laan 1940-1945', '12'],
		['Hauptstraße, 12', 'Hauptstraße', '12'],
		['16 rue de la Loi', 'rue de la Loi', '16'],
		['221B Baker Street', 'Baker Street', '221B'],
		['Am Markt', 'Am Markt', null],
		['  Tallinna mnt   5  ', 'Tallinna mnt', '5'],
	])('%j → %j + %j', (input, street, houseNumber) => {
		expect(splitStreetAndHouseNumber(input)).toEqual({ street, houseNumber });
	});

	it.each(['', '   ', null, 42])('%j → nothing', (input) => {
		expect(splitStreetAndHouseNumber(input)).toEqual({ street: null, houseNumber: null });
	});
});
