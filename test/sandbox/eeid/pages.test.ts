import { EEID_TEST_CLIENT, OTHER_TEST_PERSONS, type EeIdSimulator } from './index';
import { apiClient, SUB_CLAIM, useReceiver, useSimulator } from './testing';

const sandbox = useSimulator();
const { token, create } = apiClient(sandbox);
const hook = useReceiver();
let eeid: EeIdSimulator;
let base: string;

beforeEach(() => {
	({ eeid, base } = sandbox);
});

describe('the link page', () => {
	it('shows a form prefilled from claims_required in the requested language', async () => {
		const created = await create(await token(), {
			claims_required: [SUB_CLAIM, { type: 'name', value: 'Jaan Tamm' }],
			reason: 'Account',
			reason_translations: { et: 'Konto <avamine>' },
		});
		const answer = await fetch(`${created.link}?ui_locales=et%20en`);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
		const html = await answer.text();
		expect(html).toContain('<html lang="et">');
		expect(html).toContain('<title>eeID sandbox — identify</title>');
		expect(html).toContain('Language: et');
		expect(html).toContain('Reason: Konto &#60;avamine&#62;');
		expect(html).toContain('name="given_name" value="Jaan"');
		expect(html).toContain('name="family_name" value="Tamm"');
		expect(html).toContain('name="sub" value="EE38001085718"');
		expect(html).toContain('name="birthdate" value="1980-01-08"');
		expect(html).toContain('<form method="post">');
	});

	it('offers identifying as the expected person or as another test person', async () => {
		const created = await create(await token(), { claims_required: [SUB_CLAIM] });
		const html = await (await fetch(created.link)).text();
		expect(html).toContain('<button type="submit" name="as" value="expected">Identify</button>');
		expect(html).toContain('<button type="submit" name="as" value="other">Identify as another person</button>');
		expect(html).toContain(OTHER_TEST_PERSONS[0].sub);
		expect(html).toContain('<option selected>SMART_ID</option>');
	});

	it('completes the request with the submitted identity and delivers the webhook', async () => {
		eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, hook.webhookUrl);
		const created = await create(await token(), { reference: 'web', claims_required: [SUB_CLAIM] });
		const form = new URLSearchParams({ given_name: 'Kati', family_name: 'Karu', sub: 'EE48001085718', birthdate: '1980-01-08' });
		const answer = await fetch(`${created.link}?ui_locales=ru`, { method: 'POST', body: form });
		expect(answer.status).toBe(200);
		const html = await answer.text();
		expect(html).toContain('<html lang="ru">');
		expect(html).toContain('is completed');
		expect(html).toContain(`Webhook: ${hook.webhookUrl} answered 200 after 1 attempt(s)`);
		expect(eeid.identificationRequest(created.id)).toMatchObject({
			status: 'completed',
			result: { sub: 'EE48001085718', given_name: 'Kati', family_name: 'Karu', date_of_birth: '1980-01-08', authentication_type: 'SMART_ID' },
			// The sub typed in is not the one required: eeID completes anyway and says so.
			claims_matched: false,
		});
		expect(html).toContain('Claims: not matched: Claim &#34;sub&#34; does not match');
		expect(hook.received()).toHaveLength(1);
		expect((await fetch(created.link)).status).toBe(409);
	});

	it('completes as the expected person with the prefilled form: claims matched', async () => {
		const created = await create(await token(), { claims_required: [SUB_CLAIM, { type: 'name', value: 'Jaan Tamm' }] });
		const form = new URLSearchParams({ given_name: 'JAAN', family_name: 'TAMM', sub: SUB_CLAIM.value, birthdate: '1980-01-08', authentication_type: 'ID_CARD', as: 'expected' });
		const html = await (await fetch(created.link, { method: 'POST', body: form })).text();
		expect(html).toContain('Claims: all required claims matched');
		expect(html).toContain('Webhook: none configured');
		expect(eeid.identificationRequest(created.id)).toMatchObject({ claims_matched: true, result: { authentication_type: 'ID_CARD' } });
	});

	it('completes as another test person: completed, claims not matched, webhook sent', async () => {
		eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, hook.webhookUrl);
		const created = await create(await token(), { claims_required: [SUB_CLAIM, { type: 'name', value: 'Jaan Tamm' }] });
		const html = await (await fetch(created.link, { method: 'POST', body: new URLSearchParams({ as: 'other' }) })).text();
		expect(html).toContain('Claims: not matched');
		expect(eeid.identificationRequest(created.id)).toMatchObject({
			status: 'completed',
			result: { sub: OTHER_TEST_PERSONS[0].sub },
			claims_matched: false,
			mismatched_claims: { sub: { expected: SUB_CLAIM.value, actual: OTHER_TEST_PERSONS[0].sub } },
		});
		expect(hook.received()).toHaveLength(1);
	});

	it('says on the page when the webhook failed and will be retried on the clock', async () => {
		eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, hook.webhookUrl);
		hook.receiver.queueFault({ kind: 'status', status: 500 });
		const created = await create(await token(), { claims_required: [SUB_CLAIM] });
		const html = await (await fetch(created.link, { method: 'POST', body: new URLSearchParams({}) })).text();
		expect(html).toContain('answered 500 after 1 attempt(s); eeID retries it on the sandbox clock');
		expect(eeid.pendingWebhooks()).toHaveLength(1);
	});

	it('answers 404 for an unknown request and 410 once the link expired', async () => {
		expect((await fetch(`${base}/ident/497f6eca-6276-4993-bfeb-53cbbbba6f08`)).status).toBe(404);
		const created = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		eeid.clock.advance(8 * 24 * 3600 * 1000);
		const answer = await fetch(created.link, { method: 'POST', body: new URLSearchParams({}) });
		expect(answer.status).toBe(410);
		expect(await answer.text()).toContain('This link has expired.');
	});
});
