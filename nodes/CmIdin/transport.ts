/**
 * The four endpoints CM documents for iDIN invites, and nothing else (there is no list, group read or delete).
 * The HTTP policy (retries for reads only, timeouts, errors in CM's words, redaction) is the shared client's; the
 * credential mints the bearer token for every request.
 */
import type { IDataObject } from 'n8n-workflow';

import { createProviderClient, segment, type ClientContext } from '../shared/client';
import type { CallSettings } from '../shared/requestOptions';
import { baseUrlOf } from '../shared/util';
import { IDIN_API_PATH, IDIN_CREDENTIAL, IDIN_DEFAULT_BASE_URL } from './constants';
import type { IdinGroup, IdinInvite, IdinPerson, IdinPersonBody } from './types';

const NOT_FOUND = 404;

const idin = createProviderClient({
	provider: 'CM iDIN',
	credentialType: IDIN_CREDENTIAL,
	baseUrl: (credentials) => baseUrlOf(credentials.baseUrl, IDIN_DEFAULT_BASE_URL),
});

/** A token is only as good as the clock it was minted with: a wrong server clock looks like a wrong key. */
const CREDENTIAL_HINT =
	"Check the Key ID and Key Secret of the CM iDIN credential, and that this n8n server's clock is right (each token is valid for 60 s).";

const groupPath = (groupId: string) => `${IDIN_API_PATH}/groups/${segment(groupId)}`;
const personPath = (groupId: string, personId: string) => `${groupPath(groupId)}/persons/${segment(personId)}`;

function statusHints(notFound?: string): Record<number, string> {
	return notFound === undefined ? { 401: CREDENTIAL_HINT } : { 401: CREDENTIAL_HINT, [NOT_FOUND]: notFound };
}

const UNKNOWN_GROUP = 'Check the Group ID: CM does not know this group for this key (it may have been deleted).';
const UNKNOWN_PERSON =
	'Check the Group ID and Person ID: CM does not know this person in this group for this key (it may have been deleted).';

export async function createGroup(ctx: ClientContext, name: string, settings?: CallSettings): Promise<IdinGroup> {
	return await idin.json(
		ctx,
		{ method: 'POST', path: `${IDIN_API_PATH}/groups`, body: { name }, statusHints: statusHints() },
		settings,
	);
}

export async function addPerson(
	ctx: ClientContext,
	groupId: string,
	body: IdinPersonBody,
	settings?: CallSettings,
): Promise<IdinPerson> {
	return await idin.json(
		ctx,
		{
			method: 'POST',
			path: `${groupPath(groupId)}/persons`,
			body: body as unknown as IDataObject,
			statusHints: statusHints(UNKNOWN_GROUP),
		},
		settings,
	);
}

export async function sendInvite(
	ctx: ClientContext,
	groupId: string,
	personId: string,
	email: boolean,
	settings?: CallSettings,
): Promise<IdinInvite> {
	return await idin.json(
		ctx,
		{
			method: 'POST',
			path: `${personPath(groupId, personId)}/invites`,
			body: { email },
			statusHints: statusHints(UNKNOWN_PERSON),
		},
		settings,
	);
}

export async function getPerson(
	ctx: ClientContext,
	groupId: string,
	personId: string,
	settings?: CallSettings,
): Promise<IdinPerson> {
	return await idin.json(
		ctx,
		{ method: 'GET', path: personPath(groupId, personId), statusHints: statusHints(UNKNOWN_PERSON) },
		settings,
	);
}

/** The person, or null when CM answers 404 (unknown, deleted, or another key's): for checks that expect either. */
export async function findPerson(
	ctx: ClientContext,
	groupId: string,
	personId: string,
	settings?: CallSettings,
): Promise<IdinPerson | null> {
	const response = await idin.request(
		ctx,
		{ method: 'GET', path: personPath(groupId, personId), acceptStatuses: [NOT_FOUND], statusHints: statusHints(UNKNOWN_PERSON) },
		settings,
	);
	return response.statusCode === NOT_FOUND ? null : (response.body as IdinPerson);
}
