import type { IDataObject } from 'n8n-workflow';

import { CmIdin } from '../../../nodes/CmIdin/CmIdin.node';
import { waitForResult } from '../../../nodes/CmIdin/actions/person/waitForResult.operation';
import { createRequestContext, runExecute } from '../../harness';
import { IDIN_API_PREFIX } from '../../sandbox/idin';
import { ALL_ATTRIBUTES, ALL_ATTRIBUTE_TOGGLES, errorOf, expectNoSecrets, useIdinSandbox } from './fixture';

const node = new CmIdin();
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const ANDRE = { name: 'Andre van Dijk', emailAddress: 'andre@example.com' };

describe('CM iDIN node against the sandbox', () => {
	const idin = useIdinSandbox();

	function run(parameters: IDataObject, extra: Partial<Parameters<typeof runExecute>[1]> = {}) {
		return runExecute(node, { parameters: parameters as never, credentials: idin.credentials, ...extra });
	}

	async function runJson(parameters: IDataObject): Promise<IDataObject> {
		const { output } = await run(parameters);
		expectNoSecrets(output);
		return output[0][0].json;
	}

	async function failure(parameters: IDataObject): Promise<Record<string, unknown>> {
		const error = await errorOf(run(parameters));
		expectNoSecrets(error);
		return error;
	}

	describe('Group → Create', () => {
		it('creates a group and puts out its id, status and expiry', async () => {
			const json = await runJson({ resource: 'group', operation: 'create', groupName: 'Company ABC' });
			const [group] = idin.sandbox.inspectGroups();
			expect(json).toEqual({
				groupId: group.id,
				name: 'Company ABC',
				status: 'pending',
				expiresAt: new Date(group.expires_at).toISOString(),
				createdAt: new Date(group.created_at).toISOString(),
			});
			expect(idin.bodiesSentTo('/groups')).toEqual([{ name: 'Company ABC' }]);
		});

		it('refuses an empty name before any request', async () => {
			expect(await failure({ resource: 'group', operation: 'create', groupName: '  ' })).toMatchObject({
				message: 'The group has no name',
				description: 'Fill in "Group Name", e.g. the customer or case it is for.',
			});
			expect(idin.apiRequests()).toBe(0);
		});
	});

	describe('Person → Add', () => {
		it('sends the eight attributes as JSON booleans and puts out the pending person', async () => {
			const group = idin.sandbox.createGroupDirect({ name: 'Onboarding' });
			const json = await runJson({
				resource: 'person',
				operation: 'add',
				groupId: group.id,
				...ANDRE,
				requestAddress: true,
			});
			expect(idin.bodiesSentTo('/groups/:groupId/persons')).toEqual([
				{
					name: 'Andre van Dijk',
					email_address: 'andre@example.com',
					attributes: {
						identity: true,
						name: true,
						address: true,
						'18y_or_older': false,
						date_of_birth: false,
						gender: false,
						telephone_number: false,
						email_address: false,
					},
				},
			]);
			const [stored] = idin.sandbox.inspectGroup(group.id).persons;
			expect(json).toMatchObject({
				provider: 'idin',
				transactionId: stored.id,
				status: 'pending',
				verified: false,
				groupId: group.id,
				personId: stored.id,
				invitedName: 'Andre van Dijk',
				invitedEmail: 'andre@example.com',
				raw: null,
			});
		});

		it.each([
			[{ requestIdentity: false, requestName: false }, 'No attribute is requested', 'Turn on at least one of the "Request …" options'],
			[{ emailAddress: 'andre at example' }, '"andre at example" is not an email address', 'Fill in "Email Address"'],
			[{ name: '   ' }, 'The person has no name', 'Fill in "Name"'],
			[{ groupId: 'group-1' }, 'Group ID "group-1" is not a CM iDIN ID', 'Use the Group ID CM returned'],
		])('refuses bad input before any request: %j', async (overrides, message, fix) => {
			const group = idin.sandbox.createGroupDirect({ name: 'Onboarding' });
			const error = await failure({ resource: 'person', operation: 'add', groupId: group.id, ...ANDRE, ...overrides });
			expect(error.message).toBe(message);
			expect(error.description).toContain(fix);
			expect(idin.apiRequests()).toBe(0);
		});

		it("passes CM's own refusal on, in CM's words", async () => {
			const group = idin.sandbox.createGroupDirect({ name: 'Onboarding' });
			const error = await failure({ resource: 'person', operation: 'add', groupId: group.id, ...ANDRE, name: 'x'.repeat(300) });
			expect(error).toMatchObject({ message: 'CM iDIN: name: at most 255 characters', httpCode: '400' });
		});
	});

	describe('Person → Get', () => {
		async function identified() {
			const ids = idin.seedPerson();
			await idin.sandbox.settlePerson(ids.personId, { status: 'success' });
			return ids;
		}

		it("puts out the bank's answer as the normalized identity with the iDIN details", async () => {
			const { groupId, personId } = await identified();
			const json = await runJson({ resource: 'person', operation: 'get', groupId, personId });
			const result = idin.sandbox.person(personId).result as IDataObject;
			expect(json).toMatchObject({
				provider: 'idin',
				transactionId: personId,
				status: 'verified',
				verified: true,
				assurance: { level: null, method: 'iDIN' },
				person: {
					subjectId: result.bin,
					givenName: 'Andre',
					familyName: 'van Dijk',
					fullName: 'Andre van Dijk',
					birthDate: '1974-01-31',
					gender: 'male',
					phone: '+31612345678',
					email: 'andre.vandijk@example.com',
					address: { street: 'Dijklaan', houseNumber: '1b', postalCode: '0000AA', city: 'Amsterdam', country: 'NL' },
					isAdult: true,
				},
				raw: null,
				groupId,
				personId,
				initials: 'A',
				bankBic: 'ABNANL2A',
				bankTransactionId: result.transaction_id,
			});
		});

		it("puts out CM's answer unchanged with Output Raw, and both with Output Both", async () => {
			const { groupId, personId } = await identified();
			const raw = await runJson({ resource: 'person', operation: 'get', groupId, personId, output: 'raw' });
			expect(raw).toEqual({ ...idin.sandbox.person(personId), groupId, personId, invitedName: 'Andre van Dijk', invitedEmail: 'andre@example.com', initials: 'A', bankBic: 'ABNANL2A', bankTransactionId: expect.any(String) });
			const both = await runJson({ resource: 'person', operation: 'get', groupId, personId, output: 'both' });
			expect(both).toMatchObject({ status: 'verified', raw: idin.sandbox.person(personId) });
		});

		it('names the ids to check when CM does not know the person', async () => {
			const { groupId } = idin.seedPerson();
			expect(await failure({ resource: 'person', operation: 'get', groupId, personId: UNKNOWN_ID })).toMatchObject({
				message: 'CM iDIN: Person not found',
				description: expect.stringContaining('Check the Group ID and Person ID'),
				httpCode: '404',
			});
		});

		it('puts out an error item with On Error: Continue', async () => {
			const { groupId } = idin.seedPerson();
			const { output } = await run({ resource: 'person', operation: 'get', groupId, personId: UNKNOWN_ID }, { continueOnFail: true });
			expect(output[0][0].json).toMatchObject({ error: 'CM iDIN: Person not found', httpCode: '404' });
			expectNoSecrets(output);
		});
	});

	describe('Person → Wait for Result', () => {
		const fast = { pollIntervalSeconds: 0.05, waitTimeoutSeconds: 30 };

		it('polls until the person identified', async () => {
			const { groupId, personId } = idin.seedPerson();
			const waiting = run({ resource: 'person', operation: 'waitForResult', groupId, personId, options: fast });
			while (idin.apiRequests('GET') < 2) await new Promise((resolve) => setTimeout(resolve, 10));
			await idin.sandbox.settlePerson(personId, { status: 'cancelled' });
			const { output } = await waiting;
			expect(output[0][0].json).toMatchObject({ status: 'cancelled', reason: 'The person cancelled the identification' });
		});

		it('fails after the timeout, or puts out the pending person when asked to', async () => {
			const { groupId, personId } = idin.seedPerson();
			const options = { pollIntervalSeconds: 0.05, waitTimeoutSeconds: 0.2 };
			const error = await failure({ resource: 'person', operation: 'waitForResult', groupId, personId, options });
			expect(error.message).toBe(`The person ${personId} is still pending`);
			expect(error.description).toContain('Raise "Wait Timeout"');
			const json = await runJson({ resource: 'person', operation: 'waitForResult', groupId, personId, options: { ...options, onTimeout: 'output' } });
			expect(json).toMatchObject({ status: 'pending' });
		});

		it("stops at once when the execution's cancel signal fires", async () => {
			const { groupId, personId } = idin.seedPerson();
			const { ctx } = await createRequestContext({ credentials: idin.credentials });
			const controller = new AbortController();
			const parameters: IDataObject = { groupId, personId, options: { pollIntervalSeconds: 60, waitTimeoutSeconds: 600 } };
			const cancellable = Object.create(ctx, {
				getExecutionCancelSignal: { value: () => controller.signal },
				getNodeParameter: { value: (name: string, _itemIndex: number, fallback?: unknown) => parameters[name] ?? fallback },
			}) as typeof ctx;
			const started = Date.now();
			const waiting = waitForResult.execute.call(cancellable, 0, {});
			while (idin.apiRequests('GET') < 1) await new Promise((resolve) => setTimeout(resolve, 10));
			controller.abort(new Error('Execution was cancelled'));
			await expect(waiting).rejects.toThrow('Execution was cancelled');
			expect(Date.now() - started).toBeLessThan(5_000);
			expect(idin.apiRequests('GET')).toBe(1);
		});
	});

	describe('Invite → Send', () => {
		it('has CM e-mail the invitation and puts out its URL and expiry', async () => {
			const { groupId, personId } = idin.seedPerson();
			const json = await runJson({ resource: 'invite', operation: 'send', groupId, personId });
			const [invite] = idin.sandbox.inspectGroup(groupId).persons[0].invites;
			expect(json).toEqual({
				groupId,
				personId,
				inviteId: invite.id,
				inviteUrl: invite.url,
				inviteExpiresAt: new Date(invite.expires_at).toISOString(),
				emailSent: true,
			});
			expect(idin.sandbox.invitationEmails().map((email) => email.url)).toEqual([invite.url]);
			expect(idin.bodiesSentTo('/groups/:groupId/persons/:personId/invites')).toEqual([{ email: true }]);
		});

		it('only makes the URL when e-mail is off, for the workflow to deliver', async () => {
			const { groupId, personId } = idin.seedPerson();
			const json = await runJson({ resource: 'invite', operation: 'send', groupId, personId, sendEmail: false });
			expect(json).toMatchObject({ emailSent: false, inviteUrl: expect.stringContaining('/app/idin-invite/') });
			expect(idin.sandbox.invitationEmails()).toEqual([]);
		});
	});

	describe('Person → Invite (group, person and invite in one step)', () => {
		const invite = { resource: 'person', operation: 'invite', ...ANDRE };

		it('creates a group named after the person, adds the person and sends the invite', async () => {
			const json = await runJson({ ...invite, ...ALL_ATTRIBUTE_TOGGLES });
			const [group] = idin.sandbox.inspectGroups();
			const [person] = group.persons;
			expect(group.name).toBe('Andre van Dijk');
			expect(person.attributes).toEqual(ALL_ATTRIBUTES);
			expect(json).toEqual({
				groupId: group.id,
				personId: person.id,
				inviteId: person.invites[0].id,
				inviteUrl: person.invites[0].url,
				inviteExpiresAt: new Date(person.invites[0].expires_at).toISOString(),
				emailSent: true,
				groupCreated: true,
				invitedName: 'Andre van Dijk',
				invitedEmail: 'andre@example.com',
			});
		});

		it('adds the person to a given group', async () => {
			const group = idin.sandbox.createGroupDirect({ name: 'Existing' });
			const json = await runJson({ ...invite, groupMode: 'existing', groupId: group.id, sendEmail: false });
			expect(json).toMatchObject({ groupId: group.id, groupCreated: false, emailSent: false });
			expect(idin.sandbox.inspectGroups()).toHaveLength(1);
			expect(idin.bodiesSentTo('/groups')).toEqual([]);
		});

		it('checks the input before creating anything', async () => {
			const error = await failure({ ...invite, emailAddress: 'nope' });
			expect(error.message).toBe('"nope" is not an email address');
			expect(idin.apiRequests()).toBe(0);
		});

		it('says which group exists when CM refuses the person after the group was made', async () => {
			const error = await failure({ ...invite, groupName: 'Onboarding', name: 'x'.repeat(300) });
			const [group] = idin.sandbox.inspectGroups();
			expect(group.persons).toEqual([]);
			expect(error.message).toBe(`CM iDIN: name: at most 255 characters — already created: group ${group.id} (no person in it yet)`);
			expect(error.description).toContain(`Group "Use an Existing Group" and Group ID ${group.id}`);
			expect(error.httpCode).toBe('400');
		});

		it('says which group and person exist when the invite fails', async () => {
			idin.sandbox.queueFault({ kind: 'status', status: 503, method: 'POST', path: `${IDIN_API_PREFIX}/groups/:groupId/persons/:personId/invites` });
			const error = await failure(invite);
			const [group] = idin.sandbox.inspectGroups();
			const [person] = group.persons;
			expect(person.invites).toEqual([]);
			expect(error.message).toBe(
				`CM iDIN: Service Unavailable — already created: group ${group.id} and person ${person.id} in it (not invited yet)`,
			);
			expect(error.description).toContain(`"Invite", Operation "Send" with Group ID ${group.id} and Person ID ${person.id}`);
		});

		it('names only the person it added to a given group', async () => {
			const group = idin.sandbox.createGroupDirect({ name: 'Existing' });
			idin.sandbox.queueFault({ kind: 'status', status: 500, method: 'POST', path: `${IDIN_API_PREFIX}/groups/:groupId/persons/:personId/invites` });
			const error = await failure({ ...invite, groupMode: 'existing', groupId: group.id });
			const [person] = idin.sandbox.inspectGroup(group.id).persons;
			expect(error.message).toContain(`— already created: person ${person.id} in group ${group.id} (not invited yet)`);
		});

		it('says nothing was created when the group itself is refused', async () => {
			idin.sandbox.queueFault({ kind: 'status', status: 500, method: 'POST', path: `${IDIN_API_PREFIX}/groups` });
			const error = await failure(invite);
			expect(error.message).toBe('CM iDIN: Internal server error');
			expect(idin.sandbox.inspectGroups()).toEqual([]);
		});
	});
});
