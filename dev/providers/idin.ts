/**
 * CM.com iDIN invites in the harness: its demo workflows, how the sandbox is wired to n8n (webhook URL and the
 * secret header CM support would add), and its end-to-end cases. Everything here is data or a case; the machinery
 * lives in dev/lib.
 */
import { randomBytes } from 'crypto';
import { IDIN_WEBHOOK_PATH } from '../../nodes/CmIdin/constants';
import { IDIN_TEST_KEY, type IdinSimulator } from '../../test/sandbox/idin';
import { assert, assertEqual, assertNoNewExecution, assertSucceeded, executionsAfter, manualTrigger, runChain } from '../lib/check';
import { nodeOutput, type ExecutionDetail } from '../lib/n8n';
import { packageName } from '../lib/package';
import { productionWebhookUrl } from '../lib/workflows';
import type { E2ECase, ProviderHarness, Stack } from './types';
import { demoWorkflow, onWebhookProcess, sandboxOf } from './lookup';

const INVITE = 'idin-invite-person.json';
const KEEP = 'idin-keep-results.json';
const POLL = 'idin-check-open-invitations.json';

const CREDENTIAL_TYPE = 'cmIdinApi';
const SECRET_HEADER = 'X-Webhook-Secret';

/** The data tables the demo workflows use (they find them by name). */
const INVITATIONS_TABLE = 'iDIN invitations';
const IDENTITIES_TABLE = 'iDIN verified identities';
const text = (name: string) => ({ name, type: 'string' as const });
const INVITATION_COLUMNS = ['personId', 'groupId', 'name', 'email', 'inviteUrl', 'inviteExpiresAt', 'status', 'statusChangedAt'].map(text);
const IDENTITY_COLUMNS = [
	...['personId', 'groupId', 'fullName', 'familyName', 'initials', 'subjectId', 'bankBic', 'completedAt', 'source'].map(text),
	{ name: 'isAdult', type: 'boolean' as const },
];

const TRIGGER_NODE = 'CM iDIN Trigger';
const ALL_ATTRIBUTES = {
	requestIdentity: true,
	requestName: true,
	requestAddress: true,
	requestAdult: true,
	requestDateOfBirth: true,
	requestGender: true,
	requestTelephoneNumber: true,
	requestEmailAddress: true,
};

function simulator(stack: Stack): IdinSimulator {
	return sandboxOf<IdinSimulator>(stack, 'idin');
}

/**
 * CM checks a token's iat/nbf/exp against its own clock, and n8n mints tokens from the real time. The e2e sandbox
 * clock is frozen (nothing may depend on timing luck) since before n8n started, so each case first sets it to now.
 */
function alignClock(stack: Stack): void {
	simulator(stack).clock.set(Date.now());
}

const workflow = demoWorkflow;

function triggerUrl(stack: Stack): string {
	return productionWebhookUrl(stack.n8n.url, workflow(stack, KEEP).json, TRIGGER_NODE, IDIN_WEBHOOK_PATH);
}

function inviteUrl(stack: Stack): string {
	return productionWebhookUrl(stack.n8n.url, workflow(stack, INVITE).json, 'Identification wanted');
}

function credential(stack: Stack) {
	const saved = stack.credentials.get(CREDENTIAL_TYPE);
	if (!saved) throw new Error('the CM iDIN credential was not created');
	return saved;
}

function credentials(stack: Stack) {
	const { id, name } = credential(stack);
	return { [CREDENTIAL_TYPE]: { id, name } };
}

/** What CM support would configure: the trigger's URL, and the credential's header name and secret. */
function webhookHeader(stack: Stack) {
	return { name: SECRET_HEADER, value: String(credential(stack).data.webhookSecret) };
}

async function tableRows(stack: Stack, table: string, personId: string) {
	const found = (await stack.api.dataTables(stack.projectId)).find((t) => t.name === table);
	if (!found) throw new Error(`data table "${table}" is missing`);
	return (await stack.api.dataTableRows(stack.projectId, found.id)).filter((row) => row.personId === personId);
}

/** A group with one person asking for every attribute, made in the sandbox without n8n. */
function seedPerson(stack: Stack) {
	const sim = simulator(stack);
	const group = sim.createGroupDirect({ name: 'e2e seeded group' });
	const person = sim.addPersonDirect(group.id, {
		name: 'Andre van Dijk',
		email_address: 'andre@example.com',
		attributes: { identity: true, name: true, '18y_or_older': true },
	});
	return { groupId: group.id, personId: person.id };
}

/** Settles a person without CM calling the trigger (as if the webhook were lost): for the scheduled check. */
async function settleUnannounced(stack: Stack, personId: string, status: 'success' | 'cancelled'): Promise<void> {
	const sim = simulator(stack);
	sim.setWebhook(IDIN_TEST_KEY.keyId, { url: null });
	try {
		await sim.settlePerson(personId, { status });
	} finally {
		sim.setWebhook(IDIN_TEST_KEY.keyId, { url: triggerUrl(stack) });
	}
}

/** Invites a person through the demo's webhook, as a website or CRM would; returns what the webhook answered. */
async function invitePerson(stack: Stack, name: string, email: string): Promise<Record<string, any>> {
	const res = await fetch(inviteUrl(stack), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name, email }),
	});
	const body = await res.text();
	assert(res.ok, `the invite webhook answered ${res.status}: ${body}`);
	return JSON.parse(body);
}

/** Items that reached `nodeName` in an execution, or [] when the node did not run. */
function reached(execution: ExecutionDetail, nodeName: string) {
	return execution.runData[nodeName] ? nodeOutput(execution, nodeName) : [];
}

async function runPoll(stack: Stack): Promise<ExecutionDetail> {
	const poll = workflow(stack, POLL);
	const execution = await stack.api.waitForExecution(await stack.api.runManually(poll.id, 'Every 15 minutes'));
	assertSucceeded(execution);
	return execution;
}

function failedNodeMessage(execution: ExecutionDetail, nodeName: string): string {
	const run = execution.runData[nodeName]?.find((r) => r.error);
	return run?.error?.message ?? execution.error?.message ?? '';
}

const cases: E2ECase[] = [
	{
		name: 'CM iDIN demo [idin]: inviting by webhook returns the link and CM e-mails it; identifying at the bank runs the trigger workflow, which keeps the identity',
		runs: [INVITE, KEEP],
		async run(stack) {
			alignClock(stack);
			const { api } = stack;
			const sim = simulator(stack);
			const keep = workflow(stack, KEEP);
			const keepBefore = (await api.listExecutions(keep.id)).length;

			// 1. A website posts the person; n8n answers with the invite link, and CM e-mails it.
			const answer = await invitePerson(stack, 'Andre van Dijk', 'andre@example.com');
			const group = sim.inspectGroups().find((g) => g.id === answer.groupId);
			assert(group, `the answer names group ${answer.groupId}, which the sandbox does not have`);
			const [person] = group.persons;
			assertEqual([person.id, person.attributes.identity, person.attributes.name, person.attributes['18y_or_older']], [answer.personId, true, true, true], 'person added, attributes sent as booleans');
			assertEqual(answer.inviteUrl, person.invites[0].url, 'invite URL returned by the webhook');
			assertEqual(answer.emailSent, true, 'emailSent');
			assert(sim.invitationEmails().some((email) => email.url === answer.inviteUrl), 'CM did not e-mail the invitation');
			const [invitation] = await tableRows(stack, INVITATIONS_TABLE, answer.personId);
			assertEqual([invitation?.status, invitation?.inviteUrl], ['invited', answer.inviteUrl], 'invitation kept in the data table');

			// 2. The person identifies at the bank page behind the link; CM calls the trigger with the secret header.
			const page = await fetch(answer.inviteUrl);
			assert(page.ok && (await page.text()).includes('Identify'), `the invite page answered ${page.status}`);
			const done = await fetch(answer.inviteUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ identity: 'andre', outcome: 'success' }),
			});
			assert(done.ok, `identifying on the invite page answered ${done.status}`);

			// 3. One run (the group.updated event that follows is filtered out), the identity kept, the invitation closed.
			const run = await api.waitForNewExecution(keep.id, keepBefore);
			assertSucceeded(run);
			const [event] = nodeOutput(run, TRIGGER_NODE);
			assertEqual(
				[event.json.event, event.json.status, event.json.confirmed, event.json.signatureVerified, event.json.personId],
				['person.updated', 'verified', true, true, answer.personId],
				'trigger event',
			);
			assertEqual(event.json.identity?.person?.fullName, 'Andre van Dijk', 'fullName');
			assertEqual(event.json.bankBic, 'ABNANL2A', 'bankBic');
			await assertNoNewExecution(api, keep.id, keepBefore + 1);
			const [kept] = await tableRows(stack, IDENTITIES_TABLE, answer.personId);
			assertEqual(
				[kept?.fullName, kept?.familyName, kept?.isAdult, kept?.bankBic, kept?.source],
				['Andre van Dijk', 'van Dijk', true, 'ABNANL2A', 'webhook'],
				'identity kept in the data table',
			);
			assertEqual((await tableRows(stack, INVITATIONS_TABLE, answer.personId))[0]?.status, 'verified', 'invitation status');
		},
	},
	{
		name: 'CM iDIN Trigger [idin]: refuses forged calls (no header 401, wrong header 401, unknown person 404, unconfirmed status 409) and records no execution',
		async run(stack) {
			alignClock(stack);
			const sim = simulator(stack);
			const keep = workflow(stack, KEEP);
			const { groupId, personId } = seedPerson(stack);
			const before = (await stack.api.listExecutions(keep.id)).length;
			const real = { group: groupId, person: personId };
			const forgeries: Array<[string, Parameters<IdinSimulator['forgeWebhook']>[0], number]> = [
				['without the secret header', { header: null, event: real }, 401],
				['with a wrong secret', { header: { name: SECRET_HEADER, value: 'guessed' }, event: real }, 401],
				['about a person CM does not know', {}, 404],
				['with a status CM does not report', { event: { ...real, status: 'success' } }, 409],
			];
			for (const [what, options, status] of forgeries) {
				const [delivery] = await sim.forgeWebhook(options);
				assertEqual(delivery.status, status, `answer to a call ${what}`);
			}
			await assertNoNewExecution(stack.api, keep.id, before);
			assertEqual((await tableRows(stack, INVITATIONS_TABLE, personId)).length, 0, 'rows written for forged calls');
		},
	},
	{
		name: 'CM iDIN Trigger [idin]: a duplicate delivery of one event runs the workflow once',
		modes: ['regular'],
		skipReason:
			'the trigger remembers deliveries per n8n process; behind the load balancer a duplicate may reach the other webhook process, which runs the workflow again (the queue-mode duplicate case checks both processes)',
		async run(stack) {
			alignClock(stack);
			const sim = simulator(stack);
			const keep = workflow(stack, KEEP);
			const { personId } = seedPerson(stack);
			const before = (await stack.api.listExecutions(keep.id)).length;
			const { deliveries } = await sim.settlePerson(personId, { status: 'success' });
			const personEvent = deliveries.find((delivery) => JSON.parse(delivery.body).event === 'person.updated');
			assertEqual(personEvent?.status, 200, 'answer to the genuine event');
			assertSucceeded(await stack.api.waitForNewExecution(keep.id, before));
			const replays = await sim.redeliverEvent(personEvent!.eventId!, { times: 2 });
			assertEqual(replays.map((replay) => replay.status), [200, 200], 'answers to the duplicates');
			await assertNoNewExecution(stack.api, keep.id, before + 1);
			assertEqual((await tableRows(stack, IDENTITIES_TABLE, personId)).length, 1, 'identities kept');
		},
	},
	{
		name: 'CM iDIN Trigger [idin] in queue mode: a duplicate to the webhook process that took the event is acknowledged without a run; one to the other process may run again, and the demo’s “Once per event” keeps the identity once',
		modes: ['queue'],
		async run(stack) {
			alignClock(stack);
			const sim = simulator(stack);
			const keep = workflow(stack, KEEP);
			const { personId } = seedPerson(stack);
			const [same, other] = [0, 1].map((index) => onWebhookProcess(stack, triggerUrl(stack), index));
			const before = (await stack.api.listExecutions(keep.id)).length;
			// CM sends this event to the first webhook process (as the load balancer may).
			sim.setWebhook(IDIN_TEST_KEY.keyId, { url: same });
			let deliveries: Awaited<ReturnType<IdinSimulator['settlePerson']>>['deliveries'];
			try {
				({ deliveries } = await sim.settlePerson(personId, { status: 'success' }));
			} finally {
				sim.setWebhook(IDIN_TEST_KEY.keyId, { url: triggerUrl(stack) });
			}
			const personEvent = deliveries.find((delivery) => JSON.parse(delivery.body).event === 'person.updated');
			assertEqual(personEvent?.status, 200, 'answer to the genuine event');
			const run = await stack.api.waitForNewExecution(keep.id, before);
			assertSucceeded(run);
			const toSame = await sim.redeliverEvent(personEvent!.eventId!, { times: 1, url: same });
			assertEqual(toSame.map((replay) => replay.status), [200], 'answer to the duplicate sent to the same webhook process');
			await assertNoNewExecution(stack.api, keep.id, before + 1);
			const toOther = await sim.redeliverEvent(personEvent!.eventId!, { times: 1, url: other });
			assertEqual(toOther.map((replay) => replay.status), [200], 'answer to the duplicate sent to the other webhook process');
			const again = await executionsAfter(stack.api, keep.id, run.id);
			assert(again.length <= 1, `${again.length} executions after a duplicate to the other webhook process`);
			for (const execution of again) {
				assertSucceeded(execution);
				assertEqual(reached(execution, 'Once per event').length, 0, 'items past "Once per event" in the run of the duplicate');
			}
			assertEqual((await tableRows(stack, IDENTITIES_TABLE, personId)).length, 1, 'identities kept');
			return `the duplicate to the other webhook process started ${again.length} more execution(s)${again.length ? ', stopped at "Once per event"' : ''}`;
		},
	},
	{
		name: 'CM iDIN demo [idin]: the scheduled check acts once on each finished invitation and leaves open ones',
		runs: [POLL],
		async run(stack) {
			alignClock(stack);
			const identifies = await invitePerson(stack, 'Sanne de Vries', 'sanne@example.com');
			const cancels = await invitePerson(stack, 'Jan Jansen', 'jan@example.com');
			const open = await invitePerson(stack, 'Piet Pieters', 'piet@example.com');
			await settleUnannounced(stack, identifies.personId, 'success');
			await settleUnannounced(stack, cancels.personId, 'cancelled');

			const first = await runPoll(stack);
			const keptIds = reached(first, 'Verified identity').map((item) => item.json.personId);
			const askedIds = reached(first, 'Ask again').map((item) => item.json.personId);
			assert(keptIds.includes(identifies.personId), 'the identified person was not kept by the first check');
			assert(askedIds.includes(cancels.personId), 'the cancelled person was not followed up by the first check');
			assert(![...keptIds, ...askedIds].includes(open.personId), 'the open invitation was acted on');
			const [kept] = await tableRows(stack, IDENTITIES_TABLE, identifies.personId);
			assertEqual([kept?.source, kept?.isAdult], ['poll', true], 'identity kept by the check');
			assertEqual((await tableRows(stack, INVITATIONS_TABLE, cancels.personId))[0]?.status, 'cancelled', 'recorded outcome');

			const second = await runPoll(stack);
			assertEqual(reached(second, 'Get person').map((item) => item.json.personId), [open.personId], 'invitations the second check reads');
			assertEqual(reached(second, 'Finished only').length, 0, 'invitations the second check acts on');

			await settleUnannounced(stack, open.personId, 'success');
			const third = await runPoll(stack);
			assertEqual(reached(third, 'Verified identity').map((item) => item.json.personId), [open.personId], 'identities kept by the third check');
		},
	},
	{
		name: 'CM iDIN node [idin]: Group Create → Person Add → Invite Send → Person Get, then Wait for Result, in real n8n',
		async run(stack) {
			alignClock(stack);
			const sim = simulator(stack);
			const node = { type: `${packageName}.cmIdin`, typeVersion: 1, credentials: credentials(stack) };
			const chain = await runChain(stack.api, 'CM iDIN operations', [
				manualTrigger,
				{ ...node, name: 'Create group', parameters: { resource: 'group', operation: 'create', groupName: 'e2e operations', options: {} } },
				{
					...node,
					name: 'Add person',
					parameters: { resource: 'person', operation: 'add', groupId: '={{ $json.groupId }}', name: 'Andre van Dijk', emailAddress: 'andre@example.com', ...ALL_ATTRIBUTES, output: 'normalized', options: {} },
				},
				{
					...node,
					name: 'Send invite',
					parameters: { resource: 'invite', operation: 'send', groupId: '={{ $json.groupId }}', personId: '={{ $json.personId }}', sendEmail: false, options: {} },
				},
				{
					...node,
					name: 'Get person',
					parameters: { resource: 'person', operation: 'get', groupId: '={{ $json.groupId }}', personId: '={{ $json.personId }}', output: 'normalized', options: {} },
				},
			]);
			assertSucceeded(chain);
			const groupId = nodeOutput(chain, 'Create group')[0].json.groupId;
			const group = sim.inspectGroup(groupId);
			assertEqual(group.name, 'e2e operations', 'group name in the sandbox');
			const [person] = group.persons;
			assert(Object.values(person.attributes).every((value) => value === true), `attributes stored as ${JSON.stringify(person.attributes)}`);
			const [invite] = nodeOutput(chain, 'Send invite');
			assertEqual([invite.json.inviteUrl, invite.json.emailSent], [person.invites[0].url, false], 'invite output');
			const [got] = nodeOutput(chain, 'Get person');
			assertEqual([got.json.personId, got.json.status, got.json.groupId], [person.id, 'pending', groupId], 'Get output');

			await settleUnannounced(stack, person.id, 'success');
			const wait = await runChain(stack.api, 'CM iDIN wait for result', [
				manualTrigger,
				{
					...node,
					name: 'Wait for result',
					parameters: { resource: 'person', operation: 'waitForResult', groupId, personId: person.id, output: 'normalized', options: { pollIntervalSeconds: 1, waitTimeoutSeconds: 10 } },
				},
			]);
			assertSucceeded(wait);
			const [result] = nodeOutput(wait, 'Wait for result');
			assertEqual(
				[result.json.status, result.json.person?.fullName, result.json.person?.address?.houseNumber, result.json.person?.phone],
				['verified', 'Andre van Dijk', '1b', '+31612345678'],
				'Wait for Result output',
			);
		},
	},
	{
		name: 'CM iDIN node [idin]: Invite Person that fails half-way names the group it already created',
		async run(stack) {
			alignClock(stack);
			const sim = simulator(stack);
			const groupsBefore = new Set(sim.inspectGroups().map((g) => g.id));
			const execution = await runChain(stack.api, 'CM iDIN invite fails half-way', [
				manualTrigger,
				{
					name: 'Invite person',
					type: `${packageName}.cmIdin`,
					typeVersion: 1,
					credentials: credentials(stack),
					// CM refuses names over 255 characters; the group is made before the person is refused.
					parameters: { resource: 'person', operation: 'invite', groupMode: 'new', groupName: 'e2e half-way', name: 'x'.repeat(300), emailAddress: 'x@example.com', options: {} },
				},
			]);
			assertEqual(execution.status, 'error', 'execution status');
			const created = sim.inspectGroups().filter((g) => !groupsBefore.has(g.id));
			assertEqual(created.map((g) => [g.name, g.persons.length]), [['e2e half-way', 0]], 'groups the failed step left');
			const message = failedNodeMessage(execution, 'Invite person');
			assert(message.includes(`already created: group ${created[0].id}`), `the error does not name the group: ${message}`);
		},
	},
];

export const idin: ProviderHarness = {
	provider: 'idin',
	workflows: [
		{ file: INVITE, activate: true },
		{ file: KEEP, activate: true },
		{ file: POLL, activate: false },
	],
	async prepare(stack) {
		await stack.api.ensureDataTable(stack.projectId, INVITATIONS_TABLE, INVITATION_COLUMNS);
		await stack.api.ensureDataTable(stack.projectId, IDENTITIES_TABLE, IDENTITY_COLUMNS);
		// The trigger refuses every call until the credential holds the secret CM support would send: give it one
		// before the demo workflows are activated.
		const saved = credential(stack);
		const data = { ...saved.data, webhookHeaderName: SECRET_HEADER, webhookSecret: randomBytes(24).toString('base64url') };
		await stack.api.upsertCredential({ name: saved.name, type: saved.type, data });
		stack.credentials.set(CREDENTIAL_TYPE, { ...saved, data });
	},
	async wire(stack) {
		alignClock(stack);
		const url = triggerUrl(stack);
		simulator(stack).setWebhook(IDIN_TEST_KEY.keyId, { url, header: webhookHeader(stack) });
		return [`CM iDIN sandbox sends webhooks (key ${IDIN_TEST_KEY.keyId}) to ${url} with the header ${SECRET_HEADER}`];
	},
	tryFirst(stack) {
		const sandbox = stack.sandboxes.get('idin')!;
		return [
			`CM iDIN — invite someone (as a website or CRM would):`,
			`    curl -s -X POST ${inviteUrl(stack)} -H 'content-type: application/json' -d '{"name":"Andre van Dijk","email":"andre@example.com"}'`,
			`  "CM iDIN: invite a person to identify" creates a group, adds the person, has CM e-mail the invitation and`,
			`  answers with the inviteUrl. Open it: it is the sandbox's bank page. Pick a customer and click "Identify":`,
			`  CM calls the CM iDIN Trigger (with the secret header), "CM iDIN: keep results when CM reports them" keeps`,
			`  the identity in the data table "${IDENTITIES_TABLE}" and closes the invitation in "${INVITATIONS_TABLE}".`,
			`  Invite another person, identify without the webhook (sandbox controls), then run "CM iDIN: check open`,
			`  invitations on a schedule" by hand. E-mails CM "sent": ${sandbox.baseUrl}/__sandbox/idin/emails`,
			`  Sandbox controls (forge or replay a webhook, expire a group): ${sandbox.baseUrl}/__sandbox/`,
		];
	},
	cases,
	browser: {
		search: 'iDIN',
		// The CM iDIN Trigger is listed inside the "CM iDIN" entry (n8n merges a node and its trigger), one entry per event.
		listed: ['CM iDIN'],
		trigger: { item: 'CM iDIN', entry: 'On person updated' },
		action: { item: 'CM iDIN', entry: 'Invite a person to identify' },
	},
};
