/**
 * getIdentData's answer → the normalized identity. The answer carries no verdict (3.3.4): status, verified and
 * reason come from the order's status codes (status.ts), whatever data came back.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	buildIdentity,
	isAdultWhenCompleted,
	normalizeDate,
	normalizeDateTime,
	normalizeGender,
	splitStreetAndHouseNumber,
	type NormalizedIdentity,
} from '../shared/identity';
import { isJsonObject, isObject, text } from '../shared/util';
import type { StatusVerdict } from './status';
import type { IdnowIdentData, IdnowIdentEntry, IdnowImage } from './types';

const CHECKED_DATA = 1;
const INITIAL_DATA = 2;

/** extDocumentType bits (3.3.4), for answers that name no IDCard.Type. */
const DOCUMENT_TYPES: Array<[bit: number, type: string]> = [
	[1, 'IDCard'],
	[2, 'Passport'],
	[4, 'ResidencePermit'],
	[8, 'DriverLicence'],
	[16, 'eIDCardEU'],
];

export interface IdentDataParts {
	/** Type 1, or the only entry when none says its type. */
	checked: IdnowIdentEntry | null;
	/** Type 2, with IncludeInitialData. */
	initial: IdnowIdentEntry | null;
	images: IdnowImage[];
}

/**
 * IdentData is an array of entries (3.3.7) or, when the account includes images, an object with the entries under
 * "0", "1", … and the images under "Images" (9.5). Both are read; images may also sit at the root.
 */
export function identDataParts(answer: IdnowIdentData): IdentDataParts {
	const identData = answer.IdentData;
	const container = isJsonObject(identData) ? identData : {};
	const entries = (Array.isArray(identData) ? identData : Object.entries(container).filter(([key]) => /^\d+$/.test(key)).map(([, entry]) => entry))
		.filter((entry): entry is IdnowIdentEntry => isJsonObject(entry));
	const images = [container.Images, answer.Images].find(Array.isArray) as IdnowImage[] | undefined;
	const typed = (type: number) => entries.find((entry) => entry.Type === type) ?? null;
	return {
		checked: typed(CHECKED_DATA) ?? entries.find((entry) => entry.Type === undefined) ?? null,
		initial: typed(INITIAL_DATA),
		images: images ?? [],
	};
}

/** The answer without the Base64 images, each replaced by the binary field holding it. */
export function withoutImageData(answer: IdnowIdentData, binaryProperties: string[]): IDataObject {
	const replace = (images: IDataObject[keyof IDataObject]) =>
		Array.isArray(images)
			? (images as IdnowImage[]).map((image, index) => ({ Filename: image.Filename, binaryProperty: binaryProperties[index] ?? null }))
			: images;
	const copy: IDataObject = { ...answer };
	if (copy.Images !== undefined) copy.Images = replace(copy.Images);
	if (isJsonObject(copy.IdentData)) {
		const identData = { ...copy.IdentData };
		if (identData.Images !== undefined) identData.Images = replace(identData.Images);
		copy.IdentData = identData;
	}
	return copy;
}

function documentType(card: IDataObject): string | null {
	const named = text(card.Type);
	if (named) return named;
	const bits = typeof card.extDocumentType === 'number' ? card.extDocumentType : undefined;
	if (bits === undefined) return null;
	const types = DOCUMENT_TYPES.filter(([bit]) => (bits & bit) !== 0).map(([, type]) => type);
	return types.length > 0 ? types.join('+') : 'Custom';
}

export interface IdnowIdentityInput {
	orderId: string;
	ref: string | null;
	answer: IdnowIdentData;
	verdict: StatusVerdict;
	/** The answer as `raw` (images replaced by their binary fields). */
	raw: IDataObject;
}

export function normalizeIdnowIdentData({ orderId, ref, answer, verdict, raw }: IdnowIdentityInput): NormalizedIdentity {
	const person = identDataParts(answer).checked ?? {};
	const card = (isObject(person.IDCard) ? person.IDCard : {}) as IDataObject;
	const completedAt = normalizeDateTime(answer.Identitfied);
	const birthDate = normalizeDate(person.Birthdate);
	const { street, houseNumber } = splitStreetAndHouseNumber(person.Street);
	return buildIdentity({
		provider: 'idnow',
		transactionId: orderId,
		reference: ref,
		status: verdict.status,
		reason: verdict.reason,
		assurance: { method: text(answer.IdentifyMethod) },
		completedAt,
		person: {
			// The eID's service- and card-specific identifier is the only stable id IDnow gives for a person.
			subjectId: text(card.eidRestrictedIdentifier),
			givenName: text(person.Firstname),
			familyName: text(person.Surname),
			birthDate,
			gender: normalizeGender(person.Gender),
			nationality: text(person.Nationality),
			email: text(person.Email),
			phone: text(person.Mobile),
			address: {
				street,
				houseNumber,
				postalCode: text(person.ZipCode),
				city: text(person.City),
				country: text(person.Country),
			},
			isAdult: isAdultWhenCompleted(birthDate, completedAt),
		},
		document: {
			type: documentType(card),
			number: text(card.CardNo),
			issuingCountry: text(card.CountryOfIssue),
			validUntil: text(card.ValidUntil),
		},
		raw,
	});
}
